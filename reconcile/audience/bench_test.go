package audience

import (
	"strconv"
	"testing"

	"github.com/wxmenu/wxmenu/reconcile/plans"
)

// BenchmarkReplay times a large realistic change: 20 live menus over 10
// tags and three platforms, every one recreated with new buttons, create
// before delete.
func BenchmarkReplay(b *testing.B) {
	var live []liveMenu
	var steps []plans.Step
	for i := range 20 {
		rule := tag(strconv.Itoa(101 + i%10))
		if i >= 10 {
			rule.ClientPlatformType = strconv.Itoa(1 + i%3)
		}
		live = append(live, liveMenu{"menu-" + strconv.Itoa(i), rule, "m" + strconv.Itoa(i)})
	}
	for i := len(live) - 1; i >= 0; i-- {
		steps = append(steps, add(live[i].name, live[i].rule, live[i].buttons+"-v2"))
	}
	before := account(live...)
	for _, m := range before.Conditional {
		steps = append(steps, del(m.MenuID))
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Replay(before, steps, nil); err != nil {
			b.Fatal(err)
		}
	}
}

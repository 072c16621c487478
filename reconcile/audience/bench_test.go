package audience

import (
	"strconv"
	"testing"
)

// BenchmarkSimulate times a large realistic change: 20 live menus over 10
// tags and three platforms, every one recreated with new buttons, create
// before delete.
func BenchmarkSimulate(b *testing.B) {
	var live []liveMenu
	var desired []DesiredMenu
	for i := range 20 {
		rule := tag(strconv.Itoa(101 + i%10))
		if i >= 10 {
			rule.ClientPlatformType = strconv.Itoa(1 + i%3)
		}
		live = append(live, liveMenu{rule, "m" + strconv.Itoa(i)})
		desired = append(desired, want("menu-"+strconv.Itoa(i), rule, "m"+strconv.Itoa(i)+"-v2"))
	}
	in := Input{Live: account(live...), Desired: Desired{Default: buttons("home"), Conditional: desired}}
	var steps []Step
	for i := len(desired) - 1; i >= 0; i-- {
		steps = append(steps, Step{Action: ActionAddConditional, Name: desired[i].Name, MatchRule: *desired[i].Rule, Buttons: desired[i].Buttons})
	}
	for _, m := range in.Live.Conditional {
		steps = append(steps, Step{Action: ActionDelConditional, MenuID: m.MenuID})
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Simulate(in, steps); err != nil {
			b.Fatal(err)
		}
	}
}

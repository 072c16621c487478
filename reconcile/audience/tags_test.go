package audience

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/wxmenu/wxmenu/wechat"
)

func TestListTags(t *testing.T) {
	var st State
	for _, id := range []string{"10", "b", "9", "7", "a", "07", "18446744073709551616", "2", "9"} {
		st.Conditional = append(st.Conditional, Menu{Rule: &wechat.MatchRule{TagID: id}})
	}
	st.Conditional = append(st.Conditional, Menu{Rule: &wechat.MatchRule{TagID: "5", Sex: "1"}}, Menu{Rule: &wechat.MatchRule{ClientPlatformType: "1"}})
	// Numbers by value (equal values by text), then the rest as text; a
	// number too large for uint64 sorts as text. Each tag once, none of a
	// dead rule.
	want := []string{"2", "07", "7", "9", "10", "18446744073709551616", "a", "b"}
	if diff := cmp.Diff(want, listTags(st)); diff != "" {
		t.Errorf("listTags (-want +got):\n%s", diff)
	}
}

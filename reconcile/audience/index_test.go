package audience

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/wxmenu/wxmenu/wechat"
)

func TestJoinPlatforms(t *testing.T) {
	tests := []struct{ a, b, want []string }{
		{platforms[0:1:1], platforms[1:2:2], []string{"1", "2"}},
		{platforms[0:2:2], platforms[2:3:3], []string{"1", "2", "3"}},
		{platforms[1:2:2], platforms[2:3:3], []string{"2", "3"}},
		{platforms[0:1:1], platforms[2:3:3], []string{"1", "3"}}, // not a run: a list of its own
	}
	for _, tt := range tests {
		got := joinPlatforms(tt.a, tt.b)
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("joinPlatforms(%v, %v) (-want +got):\n%s", tt.a, tt.b, diff)
		}
		// Appending to the result must leave platforms alone.
		if grown := append(got, "x"); grown[len(grown)-1] != "x" {
			t.Fatal("append lost its element")
		}
	}
	if diff := cmp.Diff([]string{"1", "2", "3"}, platforms); diff != "" {
		t.Errorf("platforms changed (-want +got):\n%s", diff)
	}
}

func TestRuleIndexFindsMenusWithTheRule(t *testing.T) {
	rules := []wechat.MatchRule{
		{TagID: "101"},                          // 0
		{TagID: "101", ClientPlatformType: "1"}, // 1
		{ClientPlatformType: "2"},               // 2
		{TagID: "101"},                          // 3
		{TagID: "102"},                          // 4
	}
	rule := func(i int) *wechat.MatchRule { return &rules[i] }
	x := newRuleIndex(len(rules), rule)
	find := func(r wechat.MatchRule, stopAfter int) []int {
		var out []int
		x.find(&r, rule, func(i int) bool {
			out = append(out, i)
			return len(out) < stopAfter
		})
		return out
	}
	tests := []struct {
		name      string
		rule      wechat.MatchRule
		stopAfter int
		want      []int
	}{
		{"a tag: both menus with it, in list order", wechat.MatchRule{TagID: "101"}, 9, []int{0, 3}},
		{"stops when asked", wechat.MatchRule{TagID: "101"}, 1, []int{0}},
		{"a tag and a platform", wechat.MatchRule{TagID: "101", ClientPlatformType: "1"}, 9, []int{1}},
		{"no tag", wechat.MatchRule{ClientPlatformType: "2"}, 9, []int{2}},
		{"a rule no menu has", wechat.MatchRule{TagID: "102", ClientPlatformType: "3"}, 9, nil},
		{"a tag no menu has", wechat.MatchRule{TagID: "999"}, 9, nil},
	}
	for _, tt := range tests {
		if diff := cmp.Diff(tt.want, find(tt.rule, tt.stopAfter)); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tt.name, diff)
		}
	}
}

func TestSortTags(t *testing.T) {
	tags := []string{"10", "b", "9", "7", "a", "07", "18446744073709551616", "2"}
	rank := sortTags(tags)
	// Numbers by value (equal values by text), then the rest as text; a
	// number too large for uint64 sorts as text.
	want := []string{"2", "07", "7", "9", "10", "18446744073709551616", "a", "b"}
	if diff := cmp.Diff(want, tags); diff != "" {
		t.Errorf("sortTags (-want +got):\n%s", diff)
	}
	// rank says where each tag went: "10" was first and is now fifth.
	if diff := cmp.Diff([]int32{4, 7, 3, 2, 6, 1, 5, 0}, rank); diff != "" {
		t.Errorf("sortTags rank (-want +got):\n%s", diff)
	}
}

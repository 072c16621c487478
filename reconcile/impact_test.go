package reconcile

import (
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/wxmenu/wxmenu/reconcile/desired"
	"github.com/wxmenu/wxmenu/reconcile/plans"
	"github.com/wxmenu/wxmenu/wechat"
)

// sixLive is an account with six conditional menus for tags 1..6, tag 1
// the newest (highest priority); sixWanted is the file that matches it.
func sixLive() *wechat.MenuSet {
	var ms []wechat.ConditionalMenu
	for i := 1; i <= 6; i++ {
		ms = append(ms, liveCond(fmt.Sprint(100-i), tagRule(fmt.Sprint(i)), clickButtons(fmt.Sprint("m", i))))
	}
	return liveAccount(ms...)
}

func sixWanted() []desired.Conditional {
	var cs []desired.Conditional
	for i := 1; i <= 6; i++ {
		cs = append(cs, wantCond(fmt.Sprint("m", i), tagRule(fmt.Sprint(i)), clickButtons(fmt.Sprint("m", i))))
	}
	return cs
}

// TestLossRail plans realistic edits at the default rails: the ones that
// take no menu from anyone are never blocked, however many calls they make;
// the ones that take most personalized menus away are, with a message in
// audience terms.
func TestLossRail(t *testing.T) {
	edit := func(f func(cs []desired.Conditional) []desired.Conditional) *desired.State {
		return dsMenus(f(sixWanted())...)
	}
	tests := []struct {
		name    string
		live    *wechat.MenuSet
		ds      *desired.State
		blocked string // a part of the loss rail's message; "" when it must not trip
	}{
		{name: "no change", live: sixLive(), ds: edit(func(cs []desired.Conditional) []desired.Conditional { return cs })},
		{name: "reorder: the bottom menu moves to the top", live: sixLive(), ds: edit(func(cs []desired.Conditional) []desired.Conditional {
			return append([]desired.Conditional{cs[5]}, cs[:5]...)
		})},
		{name: "reverse the order of all six", live: sixLive(), ds: edit(func(cs []desired.Conditional) []desired.Conditional {
			out := make([]desired.Conditional, len(cs))
			for i, c := range cs {
				out[len(cs)-1-i] = c
			}
			return out
		})},
		{name: "edit the bottom menu of six", live: sixLive(), ds: edit(func(cs []desired.Conditional) []desired.Conditional {
			cs[5].Buttons = clickButtons("m6-new")
			return cs
		})},
		{name: "replace every menu one for one", live: sixLive(), ds: edit(func(cs []desired.Conditional) []desired.Conditional {
			for i := range cs {
				cs[i].Buttons = clickButtons(cs[i].Name + "-v2")
			}
			return cs
		})},
		{name: "move every menu to a new tag one for one", live: sixLive(), ds: edit(func(cs []desired.Conditional) []desired.Conditional {
			for i := range cs {
				cs[i].MatchRule = tagRule(fmt.Sprint(i + 1))
				cs[i].MatchRule.ClientPlatformType = ""
			}
			return cs
		})},
		{name: "add three menus above the existing ones", live: sixLive(), ds: edit(func(cs []desired.Conditional) []desired.Conditional {
			return append([]desired.Conditional{
				wantCond("n1", tagRule("11"), mA), wantCond("n2", tagRule("12"), mB), wantCond("n3", tagRule("13"), mC),
			}, cs...)
		})},
		{name: "remove two of six (below the floor)", live: sixLive(), ds: edit(func(cs []desired.Conditional) []desired.Conditional { return cs[:4] })},
		{name: "remove three of six (not more than half)", live: sixLive(), ds: edit(func(cs []desired.Conditional) []desired.Conditional { return cs[:3] })},
		{name: "change the default menu", live: sixLive(), ds: func() *desired.State {
			d := edit(func(cs []desired.Conditional) []desired.Conditional { return cs })
			d.Default.Buttons = clickButtons("home-v2")
			return d
		}()},
		{
			name: "keep one of six live menus", live: sixLive(),
			ds:      edit(func(cs []desired.Conditional) []desired.Conditional { return cs[:1] }),
			blocked: "5 of 6 audiences with a personalized menu lose it (tag 2 → default menu, tag 3 → default menu, tag 4 → default menu, and 2 more); 5 of 6 conditional menus are removed for good",
		},
		{
			name: "remove every menu, keep the default", live: sixLive(), ds: dsMenus(),
			blocked: "6 of 6 audiences with a personalized menu lose it",
		},
		{
			name: "send most audiences to the default menu by making their menus iOS-only", live: sixLive(),
			ds: edit(func(cs []desired.Conditional) []desired.Conditional {
				for i := range cs[:4] {
					cs[i].MatchRule.ClientPlatformType = "1"
				}
				return cs
			}),
			// Tags 1-4 on Android and others lose their menu (4 of the 10
			// audience rows, as iOS splits off), and no menu has the four
			// old matchrules after apply.
			blocked: "4 of 6 conditional menus are removed for good",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := NewPlan(tt.live, tt.ds, PlanOptions{DesiredFile: "menus.yaml"})
			if err != nil {
				t.Fatal(err)
			}
			got := ""
			for _, v := range p.Blocked {
				if v.Rail == "many-deletes" {
					got = v.Message
				}
			}
			if tt.blocked == "" && got != "" {
				t.Fatalf("blocked, want not: %s", got)
			}
			if tt.blocked != "" && !strings.Contains(got, tt.blocked) {
				t.Fatalf("loss rail message = %q, want it to contain %q", got, tt.blocked)
			}
			if tt.blocked == "" && len(p.Blocked) > 0 {
				t.Fatalf("blocked by %v", p.Blocked)
			}
		})
	}
}

// TestPlanReviewFields checks the audience table, the priority order and
// the counts of a plan that edits one menu and drops another.
func TestPlanReviewFields(t *testing.T) {
	live := liveAccount(liveCond("3", tagRule("1"), mA), liveCond("2", tagRule("2"), mB), liveCond("1", wechat.MatchRule{ClientPlatformType: "1"}, mC))
	ds := dsMenus(wantCond("vip", tagRule("1"), clickButtons("vip2")), wantCond("ios", wechat.MatchRule{ClientPlatformType: "1"}, mC))
	ds.Tags = map[string]string{"1": "vip", "2": "trial"}
	p, err := NewPlan(live, ds, PlanOptions{DesiredFile: "menus.yaml"})
	if err != nil {
		t.Fatal(err)
	}
	type row struct{ Label, Before, After string }
	var got []row
	changed := 0
	for _, r := range p.Audiences {
		got = append(got, row{r.Label, r.Before.Name, r.After.Name})
		if r.Changed {
			changed++
		}
	}
	want := []row{
		{"tag 1 (vip)", "vip", "vip"},
		{"tag 2 (trial) on iOS", "tag 2 (trial) (menuid 2)", "ios"},
		{"tag 2 (trial) on Android, others", "tag 2 (trial) (menuid 2)", "default menu"},
		{"everyone else on iOS", "ios", "ios"},
		{"everyone else on Android, others", "default menu", "default menu"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("audience table (-want +got):\n%s", diff)
	}
	if changed != 3 {
		t.Errorf("%d changed rows, want 3 (vip's buttons, tag 2 on both sides)", changed)
	}
	if diff := cmp.Diff([]string{"vip", "ios"}, priorityNames(p.Priority)); diff != "" {
		t.Errorf("priority (-want +got):\n%s", diff)
	}
	if !p.Changes || p.Counts["add_conditional"] != 1 || p.Counts["del_conditional"] != 2 {
		t.Errorf("has_changes %v, counts %v", p.Changes, p.Counts)
	}
	if len(p.Removed) != 1 || p.Removed[0].MenuID != "2" {
		t.Errorf("removed = %+v, want menuid 2", p.Removed)
	}
}

func priorityNames(ms []plans.PriorityMenu) []string {
	var out []string
	for _, m := range ms {
		out = append(out, m.Name)
	}
	return out
}

// TestLargePlanAudienceTableReplayed checks that a large plan (60 menus
// reversed, 120 steps, some deletes moved first under the count cap) is
// replayed step by step like any other: the table has every audience and
// no warning says it was cut short.
func TestLargePlanAudienceTableReplayed(t *testing.T) {
	var live []wechat.ConditionalMenu
	var want []desired.Conditional
	for i := 1; i <= 60; i++ {
		live = append(live, liveCond(fmt.Sprint(1000-i), tagRule(fmt.Sprint(i)), clickButtons(fmt.Sprint("m", i))))
		want = append([]desired.Conditional{wantCond(fmt.Sprint("m", i), tagRule(fmt.Sprint(i)), clickButtons(fmt.Sprint("m", i)))}, want...)
	}
	p, err := NewPlan(liveAccount(live...), dsMenus(want...), PlanOptions{DesiredFile: "menus.yaml"})
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Audiences) != 61 {
		t.Errorf("%d audience rows, want 61 (60 tags and everyone else)", len(p.Audiences))
	}
	for _, w := range p.Warnings {
		if strings.Contains(w, "too large") {
			t.Errorf("warning %q: the plan was not replayed", w)
		}
	}
	if p.IsBlocked() {
		t.Errorf("reversing 60 menus is blocked: %v", p.Blocked)
	}
}

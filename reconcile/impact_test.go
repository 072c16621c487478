package reconcile

import (
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/wxmenu/wxmenu/reconcile/audience"
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
			p, err := NewPlan(LiveRead{Menus: tt.live}, tt.ds, PlanOptions{DesiredFile: "menus.yaml"})
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
	p, err := NewPlan(LiveRead{Menus: live}, ds, PlanOptions{DesiredFile: "menus.yaml"})
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
	p, err := NewPlan(LiveRead{Menus: liveAccount(live...)}, dsMenus(want...), PlanOptions{DesiredFile: "menus.yaml"})
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

// TestAudienceTable checks the "who sees what" table of realistic plans:
// the steps of Diff replayed on the account by Review, before and after
// apply (audience's TestReplay checks the menus seen between two calls).
func TestAudienceTable(t *testing.T) {
	// account has the default menu homeButtons and the given menus newest
	// first, menuids 900, 899, ...
	account := func(ms ...wechat.ConditionalMenu) *wechat.MenuSet {
		for i := range ms {
			ms[i].MenuID = fmt.Sprint(900 - i)
		}
		return liveAccount(ms...)
	}
	menu := func(r wechat.MatchRule, key string) wechat.ConditionalMenu {
		return wechat.ConditionalMenu{MatchRule: r, Buttons: clickButtons(key)}
	}
	want := func(name string, r wechat.MatchRule, key string) desired.Conditional {
		return wantCond(name, r, clickButtons(key))
	}
	tagOn := func(id, p string) wechat.MatchRule { return wechat.MatchRule{TagID: id, ClientPlatformType: p} }
	on := func(p string) wechat.MatchRule { return wechat.MatchRule{ClientPlatformType: p} }
	six := func() *wechat.MenuSet {
		var ms []wechat.ConditionalMenu
		for i := range 6 {
			ms = append(ms, menu(tagRule(fmt.Sprint(101+i)), fmt.Sprint("m", 101+i)))
		}
		return account(ms...)
	}
	sixWant := func(edit func(i int, c *desired.Conditional)) *desired.State {
		ds := dsMenus()
		for i := range 6 {
			c := want(fmt.Sprint("menu-", 101+i), tagRule(fmt.Sprint(101+i)), fmt.Sprint("m", 101+i))
			edit(i, &c)
			ds.Conditional = append(ds.Conditional, c)
		}
		return ds
	}
	tests := []struct {
		name string
		live *wechat.MenuSet
		ds   *desired.State
		want []string
	}{
		{
			name: "nothing changes: one row per tag, platforms merged",
			live: account(menu(tagRule("101"), "vip")),
			ds:   dsMenus(want("vip", tagRule("101"), "vip")),
			want: []string{"tag 101: vip -> vip", "everyone else: default menu -> default menu"},
		},
		{
			name: "reorder two overlapping menus: tag 101 on iOS now sees ios, a change but not a loss",
			live: account(menu(tagRule("101"), "vip"), menu(on("1"), "ios")),
			ds:   dsMenus(want("ios", on("1"), "ios"), want("vip", tagRule("101"), "vip")),
			want: []string{
				"tag 101 on iOS: vip -> ios (new) [changed]",
				"tag 101 on Android, others: vip -> vip",
				"everyone else on iOS: ios -> ios (new)",
				"everyone else on Android, others: default menu -> default menu",
			},
		},
		{
			name: "edit the bottom menu of six: only tag 106 changes, all six recreated, nothing lost",
			live: six(),
			ds: sixWant(func(i int, c *desired.Conditional) {
				if i == 5 {
					c.Buttons = clickButtons("m106-v2")
				}
			}),
			want: []string{
				"tag 101: menu-101 -> menu-101 (new)",
				"tag 102: menu-102 -> menu-102 (new)",
				"tag 103: menu-103 -> menu-103 (new)",
				"tag 104: menu-104 -> menu-104 (new)",
				"tag 105: menu-105 -> menu-105 (new)",
				"tag 106: menu-106 -> menu-106 (new) [changed]",
				"everyone else: default menu -> default menu",
			},
		},
		{
			name: "replace every menu one for one: all change, none lost, none removed",
			live: six(),
			ds:   sixWant(func(i int, c *desired.Conditional) { c.Buttons = clickButtons(c.Name + "-v2") }),
			want: []string{
				"tag 101: menu-101 -> menu-101 (new) [changed]",
				"tag 102: menu-102 -> menu-102 (new) [changed]",
				"tag 103: menu-103 -> menu-103 (new) [changed]",
				"tag 104: menu-104 -> menu-104 (new) [changed]",
				"tag 105: menu-105 -> menu-105 (new) [changed]",
				"tag 106: menu-106 -> menu-106 (new) [changed]",
				"everyone else: default menu -> default menu",
			},
		},
		{
			name: "add a more specific menu above: tag 101 on iOS gains vip-ios, the rest keep vip",
			live: account(menu(tagRule("101"), "vip")),
			ds:   dsMenus(want("vip-ios", tagOn("101", "1"), "vip-ios"), want("vip", tagRule("101"), "vip")),
			want: []string{
				"tag 101 on iOS: vip -> vip-ios (new) [changed]",
				"tag 101 on Android, others: vip -> vip",
				"everyone else: default menu -> default menu",
			},
		},
		{
			name: "remove vip-ios: tag 101 on iOS falls back to the broader vip, a loss",
			live: account(menu(tagOn("101", "1"), "vip-ios"), menu(tagRule("101"), "vip")),
			ds:   dsMenus(want("vip", tagRule("101"), "vip")),
			want: []string{
				"tag 101 on iOS: tag 101, iOS (menuid 900) -> vip [changed] [lost]",
				"tag 101 on Android, others: vip -> vip",
				"everyone else: default menu -> default menu",
				"removed for good: tag 101, iOS (menuid 900)",
			},
		},
		{
			name: "remove most: keeping one of six sends five tags to the default menu",
			live: six(),
			ds:   dsMenus(want("menu-106", tagRule("106"), "m106")),
			want: []string{
				"tag 101: tag 101 (menuid 900) -> default menu [changed] [lost]",
				"tag 102: tag 102 (menuid 899) -> default menu [changed] [lost]",
				"tag 103: tag 103 (menuid 898) -> default menu [changed] [lost]",
				"tag 104: tag 104 (menuid 897) -> default menu [changed] [lost]",
				"tag 105: tag 105 (menuid 896) -> default menu [changed] [lost]",
				"tag 106: menu-106 -> menu-106",
				"everyone else: default menu -> default menu",
				"removed for good: tag 101 (menuid 900)",
				"removed for good: tag 102 (menuid 899)",
				"removed for good: tag 103 (menuid 898)",
				"removed for good: tag 104 (menuid 897)",
				"removed for good: tag 105 (menuid 896)",
			},
		},
		{
			name: "tag and platform combinations: each distinguished pair gets its row",
			live: account(menu(tagOn("101", "1"), "vip-ios"), menu(tagRule("101"), "vip"), menu(on("2"), "android")),
			ds: dsMenus(
				want("vip-ios", tagOn("101", "1"), "vip-ios"),
				want("vip", tagRule("101"), "vip"),
				want("staff-others", tagOn("102", "3"), "staff"),
				want("android", on("2"), "android"),
			),
			want: []string{
				"tag 101 on iOS: vip-ios -> vip-ios (new)",
				"tag 101 on Android, others: vip -> vip (new)",
				"tag 102 on iOS: default menu -> default menu",
				"tag 102 on Android: android -> android",
				"tag 102 on others: default menu -> staff-others (new) [changed]",
				"everyone else on iOS, others: default menu -> default menu",
				"everyone else on Android: android -> android",
			},
		},
		{
			name: "dead rules match nobody: deleting one changes no audience and counts as no loss",
			live: account(menu(wechat.MatchRule{Sex: "1"}, "men"), menu(tagRule("101"), "vip")),
			ds:   dsMenus(want("vip", tagRule("101"), "vip")),
			want: []string{
				"tag 101: vip -> vip",
				"everyone else: default menu -> default menu",
				"dead, removed: sex 1 (dead) (menuid 900)",
			},
		},
		{
			name: "an unmanaged menu stays and keeps matching, below what is created",
			live: account(menu(on("1"), "ios-campaign"), menu(tagRule("101"), "vip")),
			ds: func() *desired.State {
				ds := dsMenus(want("staff", tagRule("102"), "staff"), want("vip", tagRule("101"), "vip"))
				ds.Unmanaged = []desired.UnmanagedRule{{MatchRule: on("1")}}
				return ds
			}(),
			want: []string{
				"tag 101 on iOS: unmanaged: iOS (menuid 900) -> unmanaged: iOS (menuid 900)",
				"tag 101 on Android, others: vip -> vip",
				"tag 102 on iOS: unmanaged: iOS (menuid 900) -> staff (new) [changed]",
				"tag 102 on Android, others: default menu -> staff (new) [changed]",
				"everyone else on iOS: unmanaged: iOS (menuid 900) -> unmanaged: iOS (menuid 900)",
				"everyone else on Android, others: default menu -> default menu",
			},
		},
		{
			name: "first apply on an empty account: everyone gets a menu",
			live: &wechat.MenuSet{},
			ds:   dsMenus(want("vip", tagRule("101"), "vip")),
			want: []string{"tag 101: no menu -> vip (new) [changed]", "everyone else: no menu -> default menu [changed]"},
		},
		{
			name: "the file declares no menu: everyone loses every menu",
			live: account(menu(tagRule("101"), "vip")),
			ds:   &desired.State{Path: "menus.yaml"},
			want: []string{
				"tag 101: tag 101 (menuid 900) -> no menu [changed] [lost]",
				"everyone else: default menu -> no menu [changed]",
				"removed for good: tag 101 (menuid 900)",
			},
		},
		{
			name: "tag names label the table, the plan's names its menus",
			live: account(menu(tagRule("101"), "old")),
			ds: func() *desired.State {
				ds := dsMenus(want("vip", tagRule("102"), "vip"))
				ds.Tags = map[string]string{"101": "gold", "102": "platinum"}
				return ds
			}(),
			want: []string{
				"tag 101 (gold): tag 101 (gold) (menuid 900) -> default menu [changed] [lost]",
				"tag 102 (platinum): default menu -> vip (new) [changed]",
				"everyone else: default menu -> default menu",
				"removed for good: tag 101 (gold) (menuid 900)",
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := Diff(LiveRead{Menus: tt.live}, tt.ds, PlanOptions{DesiredFile: "menus.yaml"})
			if err != nil {
				t.Fatal(err)
			}
			r, err := c.Review(SafetyOptions{})
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, describeTable(r.Impact, c.Steps)); diff != "" {
				t.Errorf("impact (-want +got):\n%s", diff)
			}
		})
	}
}

// describeTable prints an audience table, and the deletes of menus that
// never matched anyone, as lines a reviewer would read.
func describeTable(imp *audience.Impact, steps []plans.Step) []string {
	name := func(s plans.Seen) string {
		switch {
		case s.Unmanaged:
			return "unmanaged: " + s.Name
		case s.Kind == plans.KindConditional && s.MenuID == "":
			return s.Name + " (new)"
		}
		return s.Name
	}
	var out []string
	for _, r := range imp.Rows {
		line := fmt.Sprintf("%s: %s -> %s", r.Label, name(r.Before), name(r.After))
		if r.Changed {
			line += " [changed]"
		}
		if r.Lost {
			line += " [lost]"
		}
		out = append(out, line)
	}
	for _, m := range imp.Removed {
		out = append(out, "removed for good: "+m.Name)
	}
	for _, s := range steps {
		if s.ReasonCode == plans.ReasonDeadRule {
			out = append(out, "dead, removed: "+s.Name)
		}
	}
	return out
}

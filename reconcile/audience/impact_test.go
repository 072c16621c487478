package audience

import (
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/wxmenu/wxmenu/wechat"
)

// buttons returns a one-button menu whose click key is its name.
func buttons(name string) []wechat.Button {
	return []wechat.Button{{Type: "click", Name: name, Key: strings.ToUpper(name)}}
}

func tag(id string) wechat.MatchRule { return wechat.MatchRule{TagID: id} }
func tagOn(id, p string) wechat.MatchRule {
	return wechat.MatchRule{TagID: id, ClientPlatformType: p}
}
func on(p string) wechat.MatchRule { return wechat.MatchRule{ClientPlatformType: p} }

// liveMenu is a live conditional menu; account gives menuids in order.
type liveMenu struct {
	rule    wechat.MatchRule
	buttons string
}

// account returns a live account with a default menu "home" and menus
// newest first, with menuids 900, 899, ... in that order, as menu/get
// reports them (leaves carry "sub_button": []).
func account(menus ...liveMenu) *wechat.MenuSet {
	set := &wechat.MenuSet{Default: &wechat.Menu{Buttons: reported(buttons("home"))}}
	for i, m := range menus {
		set.Conditional = append(set.Conditional, wechat.ConditionalMenu{
			MenuID: strconv.Itoa(900 - i), MatchRule: m.rule, Buttons: reported(buttons(m.buttons)),
		})
	}
	return set
}

// reported adds menu/get's "sub_button": [] to leaves.
func reported(bs []wechat.Button) []wechat.Button {
	out := make([]wechat.Button, len(bs))
	for i, b := range bs {
		out[i] = b
		out[i].SubButtons = reported(b.SubButtons)
	}
	return out
}

func want(name string, rule wechat.MatchRule, b string) DesiredMenu {
	return DesiredMenu{Name: name, Rule: &rule, Buttons: buttons(b)}
}

// describe prints an impact as lines a reviewer would read.
func describe(imp *Impact) []string {
	var out []string
	for _, r := range imp.Rows {
		line := fmt.Sprintf("%s: %s -> %s", r.Label, seenName(r.Before), seenName(r.After))
		if r.Changed {
			line += " [changed]"
		}
		if r.Lost {
			line += " [lost]"
		}
		for _, t := range r.Transient {
			line += fmt.Sprintf(" [steps %v: %s]", t.Steps, seenName(t.Seen))
		}
		out = append(out, line)
	}
	for _, m := range imp.Removed {
		out = append(out, "removed for good: "+m.Name)
	}
	for _, m := range imp.DeadRemoved {
		out = append(out, "dead, removed: "+m.Name)
	}
	return out
}

func seenName(s Seen) string {
	if s.Kind == KindConditional && s.MenuID == "" {
		return s.Name + " (new)"
	}
	return s.Name
}

// sixTags is an account of six menus for tags 101..106, 101 newest.
func sixTags() ([]liveMenu, []DesiredMenu) {
	var live []liveMenu
	var desired []DesiredMenu
	for i := range 6 {
		id := strconv.Itoa(101 + i)
		live = append(live, liveMenu{tag(id), "m" + id})
		desired = append(desired, want("menu-"+id, tag(id), "m"+id))
	}
	return live, desired
}

func TestCompute(t *testing.T) {
	six, sixDesired := sixTags()
	editBottom := append([]DesiredMenu(nil), sixDesired...)
	editBottom[5] = want("menu-106", tag("106"), "m106-v2")
	var replaced []DesiredMenu
	for _, d := range sixDesired {
		replaced = append(replaced, DesiredMenu{Name: d.Name, Rule: d.Rule, Buttons: buttons(d.Name + "-v2")})
	}
	tests := []struct {
		name string
		in   Input
		want []string
	}{
		{
			name: "nothing changes: one row per tag, platforms merged",
			in: Input{
				Live:    account(liveMenu{tag("101"), "vip"}),
				Desired: Desired{Default: buttons("home"), Conditional: []DesiredMenu{want("vip", tag("101"), "vip")}},
			},
			want: []string{"tag 101: vip -> vip", "everyone else: default menu -> default menu"},
		},
		{
			name: "reorder two overlapping menus: tag 101 on iOS now sees ios, a change but not a loss",
			in: Input{
				Live: account(liveMenu{tag("101"), "vip"}, liveMenu{on("1"), "ios"}),
				Desired: Desired{Default: buttons("home"), Conditional: []DesiredMenu{
					want("ios", on("1"), "ios"), want("vip", tag("101"), "vip"),
				}},
			},
			want: []string{
				"tag 101 on iOS: vip -> ios (new) [changed]",
				"tag 101 on Android, others: vip -> vip",
				"everyone else on iOS: ios -> ios (new)",
				"everyone else on Android, others: default menu -> default menu",
			},
		},
		{
			name: "edit the bottom menu of six: only tag 106 changes, all six recreated, nothing lost",
			in:   Input{Live: account(six...), Desired: Desired{Default: buttons("home"), Conditional: editBottom}},
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
			in:   Input{Live: account(six...), Desired: Desired{Default: buttons("home"), Conditional: replaced}},
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
			in: Input{
				Live: account(liveMenu{tag("101"), "vip"}),
				Desired: Desired{Default: buttons("home"), Conditional: []DesiredMenu{
					want("vip-ios", tagOn("101", "1"), "vip-ios"), want("vip", tag("101"), "vip"),
				}},
			},
			want: []string{
				"tag 101 on iOS: vip -> vip-ios (new) [changed]",
				"tag 101 on Android, others: vip -> vip",
				"everyone else: default menu -> default menu",
			},
		},
		{
			name: "remove vip-ios: tag 101 on iOS falls back to the broader vip, a loss",
			in: Input{
				Live: account(liveMenu{tagOn("101", "1"), "vip-ios"}, liveMenu{tag("101"), "vip"}),
				Desired: Desired{Default: buttons("home"), Conditional: []DesiredMenu{
					want("vip", tag("101"), "vip"),
				}},
			},
			want: []string{
				"tag 101 on iOS: tag 101, iOS (menuid 900) -> vip [changed] [lost]",
				"tag 101 on Android, others: vip -> vip",
				"everyone else: default menu -> default menu",
				"removed for good: tag 101, iOS (menuid 900)",
			},
		},
		{
			name: "remove most: keeping one of six sends five tags to the default menu",
			in: Input{Live: account(six...), Desired: Desired{Default: buttons("home"), Conditional: []DesiredMenu{
				want("menu-106", tag("106"), "m106"),
			}}},
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
			in: Input{
				Live: account(liveMenu{tagOn("101", "1"), "vip-ios"}, liveMenu{tag("101"), "vip"}, liveMenu{on("2"), "android"}),
				Desired: Desired{Default: buttons("home"), Conditional: []DesiredMenu{
					want("vip-ios", tagOn("101", "1"), "vip-ios"),
					want("vip", tag("101"), "vip"),
					want("staff-others", tagOn("102", "3"), "staff"),
					want("android", on("2"), "android"),
				}},
			},
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
			in: Input{
				Live:    account(liveMenu{wechat.MatchRule{Sex: "1"}, "men"}, liveMenu{tag("101"), "vip"}),
				Desired: Desired{Default: buttons("home"), Conditional: []DesiredMenu{want("vip", tag("101"), "vip")}},
			},
			want: []string{
				"tag 101: vip -> vip",
				"everyone else: default menu -> default menu",
				"dead, removed: sex 1 (dead) (menuid 900)",
			},
		},
		{
			name: "an unmanaged menu stays and keeps matching, below what is created",
			in: Input{
				Live: account(liveMenu{on("1"), "ios-campaign"}, liveMenu{tag("101"), "vip"}),
				Desired: Desired{
					Default:     buttons("home"),
					Conditional: []DesiredMenu{want("staff", tag("102"), "staff"), want("vip", tag("101"), "vip")},
					Unmanaged:   []wechat.MatchRule{on("1")},
				},
			},
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
			in: Input{
				Desired: Desired{Default: buttons("home"), Conditional: []DesiredMenu{want("vip", tag("101"), "vip")}},
			},
			want: []string{"tag 101: no menu -> vip (new) [changed]", "everyone else: no menu -> default menu [changed]"},
		},
		{
			name: "the file declares no menu: everyone loses every menu",
			in:   Input{Live: account(liveMenu{tag("101"), "vip"})},
			want: []string{
				"tag 101: tag 101 (menuid 900) -> no menu [changed] [lost]",
				"everyone else: default menu -> no menu [changed]",
				"removed for good: tag 101 (menuid 900)",
			},
		},
		{
			name: "names from the plan and tag names label the table",
			in: Input{
				Live:      account(liveMenu{tag("101"), "old"}),
				Desired:   Desired{Default: buttons("home"), Conditional: []DesiredMenu{want("vip", tag("102"), "vip")}},
				LiveNames: []string{"legacy-vip"}, // menuid 900
				TagNames:  map[string]string{"101": "gold", "102": "platinum"},
			},
			want: []string{
				"tag 101 (gold): legacy-vip -> default menu [changed] [lost]",
				"tag 102 (platinum): default menu -> vip (new) [changed]",
				"everyone else: default menu -> default menu",
				"removed for good: legacy-vip",
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := describe(Compute(tt.in))
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("impact (-want +got):\n%s", diff)
			}
		})
	}
}

func TestSimulate(t *testing.T) {
	home := buttons("home")
	tests := []struct {
		name  string
		in    Input
		steps []Step
		want  []string
	}{
		{
			name: "create before delete: nobody sees a menu they see neither before nor after",
			in: Input{
				Live:    account(liveMenu{tag("101"), "vip"}),
				Desired: Desired{Default: home, Conditional: []DesiredMenu{want("vip", tag("101"), "vip-v2")}},
			},
			steps: []Step{
				{Action: ActionAddConditional, Name: "vip", MatchRule: tag("101"), Buttons: buttons("vip-v2")},
				{Action: ActionDelConditional, Name: "vip", MenuID: "900"},
			},
			want: []string{"tag 101: vip -> vip (new) [changed]", "everyone else: default menu -> default menu"},
		},
		{
			name: "delete first under a cap: tag 101 waits on the default menu for one step",
			in: Input{
				Live:    account(liveMenu{tag("101"), "vip"}),
				Desired: Desired{Default: home, Conditional: []DesiredMenu{want("vip", tag("101"), "vip-v2")}},
			},
			steps: []Step{
				{Action: ActionDelConditional, Name: "vip", MenuID: "900"},
				{Action: ActionAddConditional, Name: "vip", MatchRule: tag("101"), Buttons: buttons("vip-v2")},
			},
			want: []string{
				"tag 101: vip -> vip (new) [changed] [steps [1]: default menu]",
				"everyone else: default menu -> default menu",
			},
		},
		{
			name: "recreating two overlapping menus lowest first: tag 101 on iOS sees the broader vip between the two creates",
			in: Input{
				Live: account(liveMenu{tagOn("101", "1"), "vip-ios"}, liveMenu{tag("101"), "vip"}),
				Desired: Desired{Default: home, Conditional: []DesiredMenu{
					want("vip-ios", tagOn("101", "1"), "vip-ios-v2"), want("vip", tag("101"), "vip-v2"),
				}},
			},
			steps: []Step{
				{Action: ActionAddConditional, MatchRule: tag("101"), Buttons: buttons("vip-v2")},
				{Action: ActionAddConditional, MatchRule: tagOn("101", "1"), Buttons: buttons("vip-ios-v2")},
				{Action: ActionDelConditional, MenuID: "900"},
				{Action: ActionDelConditional, MenuID: "899"},
			},
			want: []string{
				"tag 101 on iOS: vip-ios -> vip-ios (new) [changed] [steps [1]: vip (new)]",
				"tag 101 on Android, others: vip -> vip (new) [changed]",
				"everyone else: default menu -> default menu",
			},
		},
		{
			name: "two deletes first under a cap: tag 101 waits three steps, tag 102 one",
			in: Input{
				Live:    account(liveMenu{tag("101"), "vip"}, liveMenu{tag("102"), "staff"}),
				Desired: Desired{Default: home, Conditional: []DesiredMenu{want("vip", tag("101"), "vip-v2"), want("staff", tag("102"), "staff")}},
			},
			steps: []Step{
				{Action: ActionDelConditional, MenuID: "900"},
				{Action: ActionDelConditional, MenuID: "899"},
				{Action: ActionAddConditional, Name: "staff", MatchRule: tag("102"), Buttons: buttons("staff")},
				{Action: ActionAddConditional, Name: "vip", MatchRule: tag("101"), Buttons: buttons("vip-v2")},
			},
			want: []string{
				"tag 101: vip -> vip (new) [changed] [steps [1 2 3]: default menu]",
				"tag 102: staff -> staff (new) [steps [2]: default menu]",
				"everyone else: default menu -> default menu",
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			imp, err := Simulate(tt.in, tt.steps)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, describe(imp)); diff != "" {
				t.Errorf("impact (-want +got):\n%s", diff)
			}
		})
	}
}

func TestSimulateRefusesImpossibleSteps(t *testing.T) {
	tests := []struct {
		name  string
		in    Input
		steps []Step
		want  string
	}{
		{
			name:  "delete of a menuid the account lacks",
			in:    Input{Live: account()},
			steps: []Step{{Action: ActionDelConditional, Name: "vip", MenuID: "1"}},
			want:  `step 1: step del_conditional "vip": no conditional menu with menuid "1" (65301)`,
		},
		{
			name:  "a conditional menu before the default menu",
			in:    Input{},
			steps: []Step{{Action: ActionAddConditional, Name: "vip", MatchRule: tag("101"), Buttons: buttons("vip")}},
			want:  `step 1: step add_conditional "vip": the account has no default menu (65303)`,
		},
		{
			name:  "an unknown action",
			in:    Input{},
			steps: []Step{{Action: "edit_conditional"}},
			want:  `step 1: unknown step action "edit_conditional"`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Simulate(tt.in, tt.steps)
			if err == nil {
				t.Fatal("no error")
			}
			if diff := cmp.Diff(tt.want, err.Error()); diff != "" {
				t.Errorf("error (-want +got):\n%s", diff)
			}
		})
	}
}

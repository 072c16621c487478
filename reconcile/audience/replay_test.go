package audience

import (
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/wxmenu/wxmenu/reconcile/plans"
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

// liveMenu is a live conditional menu, named as a plan would name it.
type liveMenu struct {
	name    string
	rule    wechat.MatchRule
	buttons string
}

// account returns a live account with a default menu "home" and menus
// newest first, with menuids 900, 899, ... in that order.
func account(menus ...liveMenu) State {
	st := State{Default: &Menu{Name: DefaultMenuName, Buttons: buttons("home")}}
	for i, m := range menus {
		st.Conditional = append(st.Conditional, Menu{Name: m.name, MenuID: strconv.Itoa(900 - i), Rule: &m.rule, Buttons: buttons(m.buttons)})
	}
	return st
}

func add(name string, rule wechat.MatchRule, b string) plans.Step {
	return plans.Step{Action: plans.ActionAddConditional, Name: name, MatchRule: &rule, After: buttons(b)}
}

func del(menuID string) plans.Step {
	return plans.Step{Action: plans.ActionDelConditional, MenuID: menuID}
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
	return out
}

func seenName(s plans.Seen) string {
	if s.Kind == plans.KindConditional && s.MenuID == "" {
		return s.Name + " (new)"
	}
	return s.Name
}

func TestReplay(t *testing.T) {
	tests := []struct {
		name   string
		before State
		steps  []plans.Step
		want   []string
	}{
		{
			name:   "create before delete: nobody sees a menu they see neither before nor after",
			before: account(liveMenu{"vip", tag("101"), "vip"}),
			steps:  []plans.Step{add("vip", tag("101"), "vip-v2"), del("900")},
			want:   []string{"tag 101: vip -> vip (new) [changed]", "everyone else: default menu -> default menu"},
		},
		{
			name:   "delete first under a cap: tag 101 waits on the default menu for one step",
			before: account(liveMenu{"vip", tag("101"), "vip"}),
			steps:  []plans.Step{del("900"), add("vip", tag("101"), "vip-v2")},
			want: []string{
				"tag 101: vip -> vip (new) [changed] [steps [1]: default menu]",
				"everyone else: default menu -> default menu",
			},
		},
		{
			name:   "recreating two overlapping menus lowest first: tag 101 on iOS sees the broader vip between the two creates",
			before: account(liveMenu{"vip-ios", tagOn("101", "1"), "vip-ios"}, liveMenu{"vip", tag("101"), "vip"}),
			steps:  []plans.Step{add("vip", tag("101"), "vip-v2"), add("vip-ios", tagOn("101", "1"), "vip-ios-v2"), del("900"), del("899")},
			want: []string{
				"tag 101 on iOS: vip-ios -> vip-ios (new) [changed] [steps [1]: vip (new)]",
				"tag 101 on Android, others: vip -> vip (new) [changed]",
				"everyone else: default menu -> default menu",
			},
		},
		{
			name:   "two deletes first under a cap: tag 101 waits three steps, tag 102 one",
			before: account(liveMenu{"vip", tag("101"), "vip"}, liveMenu{"staff", tag("102"), "staff"}),
			steps:  []plans.Step{del("900"), del("899"), add("staff", tag("102"), "staff"), add("vip", tag("101"), "vip-v2")},
			want: []string{
				"tag 101: vip -> vip (new) [changed] [steps [1 2 3]: default menu]",
				"tag 102: staff -> staff (new) [steps [2]: default menu]",
				"everyone else: default menu -> default menu",
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			imp, err := Replay(tt.before, tt.steps, nil)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, describe(imp)); diff != "" {
				t.Errorf("impact (-want +got):\n%s", diff)
			}
		})
	}
}

func TestReplayRefusesImpossibleSteps(t *testing.T) {
	tests := []struct {
		name   string
		before State
		steps  []plans.Step
		want   string
	}{
		{
			name:   "delete of a menuid the account lacks",
			before: account(),
			steps:  []plans.Step{{Action: plans.ActionDelConditional, Name: "vip", MenuID: "1"}},
			want:   `step 1: step del_conditional "vip": no conditional menu with menuid "1" (65301)`,
		},
		{
			name:  "a conditional menu before the default menu",
			steps: []plans.Step{add("vip", tag("101"), "vip")},
			want:  `step 1: step add_conditional "vip": the account has no default menu (65303)`,
		},
		{
			name:  "an unknown action",
			steps: []plans.Step{{Action: "edit_conditional"}},
			want:  `step 1: unknown step action "edit_conditional"`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Replay(tt.before, tt.steps, nil)
			if err == nil {
				t.Fatal("no error")
			}
			if diff := cmp.Diff(tt.want, err.Error()); diff != "" {
				t.Errorf("error (-want +got):\n%s", diff)
			}
		})
	}
}

package reconcile

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/wxmenu/wxmenu/reconcile/desired"
	"github.com/wxmenu/wxmenu/wechat"
)

// protectedViolation returns the message of the protected rail in err, or
// "" when that rail did not trip.
func protectedViolation(err error) string {
	var se *SafetyError
	if !errors.As(err, &se) {
		return ""
	}
	for _, v := range se.Violations {
		if v.Rail == "protected" {
			return v.Message
		}
	}
	return ""
}

// protect marks the named desired menus protected.
func protect(d *desired.State, names ...string) *desired.State {
	for i := range d.Conditional {
		for _, n := range names {
			if d.Conditional[i].Name == n {
				d.Conditional[i].Protect = true
			}
		}
	}
	return d
}

// TestProtectedRail checks that protection follows the menu being replaced,
// not the rule it is written with.
func TestProtectedRail(t *testing.T) {
	tests := []struct {
		name string
		live *wechat.MenuSet
		ds   *desired.State
		want string // the protected rail's message, "" when it must not trip
	}{
		{
			name: "buttons changed",
			live: liveAccount(liveCond("1", tagRule("101"), mA)),
			ds:   protect(dsMenus(wantCond("vip", tagRule("101"), mB)), "vip"),
			want: `the plan deletes or recreates protected menu "vip" (menuid 1)`,
		},
		{
			name: "matchrule changed",
			live: liveAccount(liveCond("1", tagRule("101"), mA)),
			ds:   protect(dsMenus(wantCond("vip", tagRule("103"), mA)), "vip"),
			want: `the plan deletes or recreates protected menu "vip" (menuid 1)`,
		},
		{
			name: "matchrule changed below a recreated menu",
			live: liveAccount(liveCond("2", tagRule("102"), mB), liveCond("1", tagRule("101"), mA)),
			ds: protect(dsMenus(wantCond("staff", tagRule("102"), mB), wantCond("vip", tagRule("103"), mA)),
				"vip"),
			want: `the plan deletes or recreates protected menu "vip" (menuid 1)`,
		},
		{
			name: "kept, with a stray older menu of the same matchrule",
			live: liveAccount(liveCond("2", tagRule("101"), mA), liveCond("1", tagRule("101"), mC)),
			ds:   protect(dsMenus(wantCond("vip", tagRule("101"), mA)), "vip"),
		},
		{
			name: "kept, with an identical older duplicate",
			live: liveAccount(liveCond("2", tagRule("101"), mA), liveCond("1", tagRule("101"), mA)),
			ds:   protect(dsMenus(wantCond("vip", tagRule("101"), mA)), "vip"),
		},
		{
			name: "recreated, with a stray menu of the same matchrule",
			live: liveAccount(liveCond("2", tagRule("101"), mA), liveCond("1", tagRule("101"), mC)),
			ds:   protect(dsMenus(wantCond("vip", tagRule("101"), mB)), "vip"),
			want: `the plan deletes or recreates protected menus "vip" (menuid 2), "vip" (menuid 1)`,
		},
		{
			name: "another menu takes the old matchrule of a kept protected menu",
			live: liveAccount(liveCond("2", tagRule("2"), mB), liveCond("1", tagRule("101"), mA)),
			ds: protect(dsMenus(wantCond("other", tagRule("2"), mC), wantCond("vip", tagRule("101"), mA)),
				"vip"),
		},
		{
			name: "stray menu with a kept protected menu's matchrule, replaced by another menu",
			live: liveAccount(liveCond("2", tagRule("101"), mC), liveCond("1", tagRule("101"), mA)),
			ds: protect(dsMenus(wantCond("x", tagRule("5"), mC), wantCond("vip", tagRule("101"), mA)),
				"vip"),
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := planOrBlocked(tt.live, tt.ds, PlanOptions{Safety: SafetyOptions{AllowManyDeletes: true}})
			var se *SafetyError
			if err != nil && !errors.As(err, &se) {
				t.Fatalf("NewPlan: %v", err)
			}
			if diff := cmp.Diff(tt.want, protectedViolation(err)); diff != "" {
				t.Errorf("protected rail mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// TestProtectedRailExample is the reported case: in examples/basic the
// protected vip menu moves from tag 101 to tag 103. The plan replaces the
// live vip menu, so the rail must trip.
func TestProtectedRailExample(t *testing.T) {
	ds, err := desired.Load("../examples/basic/menus.yaml")
	if err != nil {
		t.Fatal(err)
	}
	// The account as apply left it: staff above vip.
	live := &wechat.MenuSet{Default: &wechat.Menu{Buttons: ds.Default.Buttons}}
	for i, c := range ds.Conditional {
		live.Conditional = append(live.Conditional, liveCond(string(rune('2'-i)), c.MatchRule, c.Buttons))
	}
	if p, err := planOrBlocked(live, ds, PlanOptions{}); err != nil || p.HasChanges() {
		t.Fatalf("the example against its own account: err %v, steps %v", err, p.Steps)
	}
	var vip *desired.Conditional
	for i := range ds.Conditional {
		if ds.Conditional[i].Name == "vip" {
			vip = &ds.Conditional[i]
		}
	}
	if vip == nil || !vip.Protect || vip.MatchRule.TagID != "101" {
		t.Fatalf("examples/basic no longer has a protected vip menu with tag 101: %+v", vip)
	}
	vip.MatchRule.TagID = "103"

	p, err := planOrBlocked(live, ds, PlanOptions{})
	if p == nil {
		t.Fatalf("NewPlan: %v", err)
	}
	wantSteps := []string{
		"+ vip: matchrule changed from tag 101 (replaces menuid 1)",
		"+ staff: unchanged, recreated to stay above vip",
		"- staff #2: menuid 2, replaced by the new staff",
		"- vip #1: menuid 1, replaced by the new vip",
	}
	if diff := cmp.Diff(wantSteps, stepStrings(p)); diff != "" {
		t.Errorf("steps mismatch (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(`the plan deletes or recreates protected menu "vip" (menuid 1)`, protectedViolation(err)); diff != "" {
		t.Errorf("protected rail mismatch (-want +got):\n%s", diff)
	}
}

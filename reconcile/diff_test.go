package reconcile

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/wxmenu/wxmenu/reconcile/canon"
	"github.com/wxmenu/wxmenu/reconcile/desired"
	"github.com/wxmenu/wxmenu/reconcile/plans"
	"github.com/wxmenu/wxmenu/wechat"
)

// Fixtures: a menu's buttons are named by one key; view menus point at a host.

func clickButtons(key string) []wechat.Button {
	return []wechat.Button{{Type: "click", Name: key, Key: key}}
}

func viewButtons(host string) []wechat.Button {
	return []wechat.Button{{Type: "view", Name: host, URL: "https://" + host + "/?a=1&b=2"}}
}

func tagRule(id string) wechat.MatchRule { return wechat.MatchRule{TagID: id} }

func liveCond(id string, r wechat.MatchRule, b []wechat.Button) wechat.ConditionalMenu {
	return wechat.ConditionalMenu{MenuID: id, MatchRule: r, Buttons: b}
}

func wantCond(name string, r wechat.MatchRule, b []wechat.Button) desired.Conditional {
	return desired.Conditional{Name: name, MatchRule: r, Buttons: b}
}

var homeButtons = clickButtons("home")

// liveAccount builds a live state with the default menu homeButtons and the
// given conditional menus, listed as given (menuids decide priority).
func liveAccount(ms ...wechat.ConditionalMenu) *wechat.MenuSet {
	return &wechat.MenuSet{Default: &wechat.Menu{Buttons: homeButtons}, Conditional: ms}
}

func dsMenus(ms ...desired.Conditional) *desired.State {
	return &desired.State{Path: "menus.yaml", Default: &desired.Default{Buttons: homeButtons}, Conditional: ms}
}

// stepStrings is a compact form of the steps: sign, name, menuid, reason.
func stepStrings(p *plans.Plan) []string {
	var out []string
	for _, s := range p.Steps {
		sign := s.Sign()
		line := sign + " " + s.Name
		if s.MenuID != "" {
			line += " #" + s.MenuID
		}
		if s.DeleteFirst {
			line += " FIRST"
		}
		out = append(out, line+": "+s.Reason)
	}
	return out
}

func keptStrings(p *plans.Plan) []string {
	var out []string
	for _, k := range p.Kept {
		line := k.Name + " #" + k.MenuID
		if k.Unmanaged {
			line += " unmanaged"
		}
		out = append(out, line)
	}
	return out
}

func violationRails(err error) []string {
	var se *SafetyError
	if !errors.As(err, &se) {
		return nil
	}
	var out []string
	for _, v := range se.Violations {
		out = append(out, v.Rail+" --"+v.Override)
	}
	return out
}

var (
	mA = clickButtons("a")
	mB = clickButtons("b")
	mC = clickButtons("c")
)

func TestNewPlan(t *testing.T) {
	allow := SafetyOptions{AllowEmpty: true, AllowDeleteAll: true, AllowProtected: true, AllowManyDeletes: true}
	tests := []struct {
		name           string
		live           *wechat.MenuSet
		ds             *desired.State
		opts           PlanOptions
		steps          []string
		kept           []string
		warnings       []string
		violations     []string
		overrides      []string
		wantErrContain string
	}{
		{
			name: "no change",
			live: liveAccount(liveCond("2", tagRule("1"), mA), liveCond("1", tagRule("2"), mB)),
			ds:   dsMenus(wantCond("a", tagRule("1"), mA), wantCond("b", tagRule("2"), mB)),
			kept: []string{"a #2", "b #1"},
		},
		{
			name:  "new menu at the top",
			live:  liveAccount(liveCond("1", tagRule("2"), mB)),
			ds:    dsMenus(wantCond("a", tagRule("1"), mA), wantCond("b", tagRule("2"), mB)),
			steps: []string{"+ a: new"},
			kept:  []string{"b #1"},
		},
		{
			name: "new menu in the middle",
			live: liveAccount(liveCond("2", tagRule("1"), mA), liveCond("1", tagRule("3"), mC)),
			ds:   dsMenus(wantCond("a", tagRule("1"), mA), wantCond("b", tagRule("2"), mB), wantCond("c", tagRule("3"), mC)),
			steps: []string{
				"+ b: new",
				"+ a: unchanged, recreated to stay above b",
				"- a #2: menuid 2, replaced by the new a",
			},
			kept: []string{"c #1"},
		},
		{
			name: "new menu at the bottom",
			live: liveAccount(liveCond("2", tagRule("1"), mA), liveCond("1", tagRule("2"), mB)),
			ds:   dsMenus(wantCond("a", tagRule("1"), mA), wantCond("b", tagRule("2"), mB), wantCond("c", tagRule("3"), mC)),
			steps: []string{
				"+ c: new",
				"+ b: unchanged, recreated to stay above c",
				"+ a: unchanged, recreated to stay above b",
				"- a #2: menuid 2, replaced by the new a",
				"- b #1: menuid 1, replaced by the new b",
			},
		},
		{
			name: "one menu changed in the middle",
			live: liveAccount(liveCond("3", tagRule("1"), mA), liveCond("2", tagRule("2"), mB), liveCond("1", tagRule("3"), mC)),
			ds: dsMenus(wantCond("a", tagRule("1"), mA), wantCond("b", tagRule("2"), clickButtons("b2")),
				wantCond("c", tagRule("3"), mC)),
			steps: []string{
				"+ b: buttons changed (replaces menuid 2)",
				"+ a: unchanged, recreated to stay above b",
				"- a #3: menuid 3, replaced by the new a",
				"- b #2: menuid 2, replaced by the new b",
			},
			kept: []string{"c #1"},
		},
		{
			name: "matchrule changed",
			live: liveAccount(liveCond("2", tagRule("1"), mA), liveCond("1", tagRule("2"), mB)),
			ds:   dsMenus(wantCond("a", tagRule("7"), mA), wantCond("b", tagRule("2"), mB)),
			steps: []string{
				"+ a: matchrule changed from tag 1 (replaces menuid 2)",
				"- a #2: menuid 2, replaced by the new a",
			},
			kept: []string{"b #1"},
		},
		{
			name: "reorder",
			live: liveAccount(liveCond("2", tagRule("1"), mA), liveCond("1", tagRule("2"), mB)),
			ds:   dsMenus(wantCond("b", tagRule("2"), mB), wantCond("a", tagRule("1"), mA)),
			steps: []string{
				"+ b: unchanged, recreated to stay above a",
				"- b #1: menuid 1, replaced by the new b",
			},
			kept: []string{"a #2"},
		},
		{
			name: "listed order is not priority order",
			live: liveAccount(liveCond("1", tagRule("2"), mB), liveCond("2", tagRule("1"), mA)),
			ds:   dsMenus(wantCond("a", tagRule("1"), mA), wantCond("b", tagRule("2"), mB)),
			kept: []string{"a #2", "b #1"},
		},
		{
			name: "menus removed",
			live: liveAccount(liveCond("3", tagRule("1"), mA), liveCond("2", tagRule("2"), mB), liveCond("1", tagRule("3"), mC)),
			ds:   dsMenus(wantCond("b", tagRule("2"), mB)),
			steps: []string{
				"- tag 1 (menuid 3) #3: not in menus.yaml",
				"- tag 3 (menuid 1) #1: not in menus.yaml",
			},
			kept: []string{"b #2"},
		},
		{
			name: "live duplicates",
			live: liveAccount(liveCond("4", tagRule("1"), mA), liveCond("3", tagRule("1"), mA),
				liveCond("2", tagRule("2"), mB), liveCond("1", tagRule("2"), mB)),
			ds: dsMenus(wantCond("a", tagRule("1"), mA), wantCond("b", tagRule("2"), mB)),
			steps: []string{
				"- tag 1 (menuid 4) #4: duplicate of a",
				"- tag 2 (menuid 2) #2: duplicate of b",
			},
			kept: []string{"a #3", "b #1"},
		},
		{
			name: "live duplicate of a recreated menu",
			live: liveAccount(liveCond("3", tagRule("1"), mA), liveCond("2", tagRule("1"), mA), liveCond("1", tagRule("2"), mB)),
			ds: dsMenus(wantCond("b", tagRule("2"), mB), wantCond("a", tagRule("1"), mA),
				wantCond("c", tagRule("3"), mC)),
			opts: PlanOptions{Safety: allow},
			steps: []string{
				"+ c: new",
				"+ a: unchanged, recreated to stay above c",
				"+ b: unchanged, recreated to stay above a",
				"- a #3: menuid 3, replaced by the new a",
				"- tag 1 (menuid 2) #2: duplicate of a",
				"- b #1: menuid 1, replaced by the new b",
			},
			// Recreations only: no follower loses a menu, so no override.
			overrides: nil,
		},
		{
			name:  "dead live menu",
			live:  liveAccount(liveCond("2", wechat.MatchRule{Sex: "1"}, mA), liveCond("1", tagRule("1"), mA)),
			ds:    dsMenus(wantCond("a", tagRule("1"), mA)),
			steps: []string{"- sex 1 (dead) (menuid 2) #2: never matches: uses privacy field sex, which WeChat no longer matches"},
			kept:  []string{"a #1"},
			warnings: []string{
				"menu sex 1 (dead) (menuid 2) never matches any user: WeChat stopped matching on sex; it will be deleted",
			},
		},
		{
			name: "unmanaged menus are kept and outranked",
			live: liveAccount(liveCond("4", tagRule("900"), mC), liveCond("3", tagRule("1"), mA),
				liveCond("2", tagRule("901"), mC), liveCond("1", tagRule("2"), mB)),
			ds: func() *desired.State {
				d := dsMenus(wantCond("a", tagRule("1"), clickButtons("a2")), wantCond("b", tagRule("2"), mB))
				d.Unmanaged = []desired.UnmanagedRule{{MatchRule: tagRule("900")}, {MatchRule: tagRule("901")}}
				return d
			}(),
			steps: []string{
				"+ a: buttons changed (replaces menuid 3)",
				"- a #3: menuid 3, replaced by the new a",
			},
			kept: []string{"tag 900 (menuid 4) #4 unmanaged", "tag 901 (menuid 2) #2 unmanaged", "b #1"},
			warnings: []string{
				"a will now rank above unmanaged menu tag 900 (menuid 4)",
			},
		},
		{
			name: "missing default menu",
			live: &wechat.MenuSet{},
			ds:   dsMenus(wantCond("a", tagRule("1"), mA)),
			steps: []string{
				"+ default menu: the account has no default menu",
				"+ a: new",
			},
		},
		{
			name:     "default menu changed",
			live:     &wechat.MenuSet{Default: &wechat.Menu{Buttons: clickButtons("old")}},
			ds:       dsMenus(),
			steps:    []string{"~ default menu: default menu changed"},
			warnings: []string{"the default menu will be replaced; every user no conditional menu matches sees the new one"},
		},
		{
			name:       "empty desired state",
			live:       liveAccount(liveCond("1", tagRule("1"), mA)),
			ds:         &desired.State{Path: "menus.yaml"},
			steps:      []string{"! all menus: menus.yaml declares no menu"},
			violations: []string{"empty --allow-empty", "delete-all --allow-delete-all"},
		},
		{
			name:      "empty desired state allowed",
			live:      liveAccount(liveCond("1", tagRule("1"), mA), liveCond("2", tagRule("900"), mA)),
			ds:        &desired.State{Path: "menus.yaml", Unmanaged: []desired.UnmanagedRule{{MatchRule: tagRule("900")}}},
			opts:      PlanOptions{Safety: SafetyOptions{AllowEmpty: true, AllowDeleteAll: true}},
			steps:     []string{"! all menus: menus.yaml declares no menu"},
			warnings:  []string{"menu/delete also removes 1 unmanaged menu"},
			overrides: []string{"allow-empty", "allow-delete-all"},
		},
		{
			name: "empty desired state and empty account",
			live: &wechat.MenuSet{},
			ds:   &desired.State{Path: "menus.yaml"},
		},
		{
			name: "domain cap forces a delete first",
			live: liveAccount(liveCond("3", tagRule("1"), viewButtons("d2.example")),
				liveCond("2", tagRule("2"), viewButtons("d1.example")), liveCond("1", tagRule("3"), viewButtons("d3.example"))),
			ds: dsMenus(wantCond("n", tagRule("4"), viewButtons("d4.example")), wantCond("c", tagRule("3"), viewButtons("d3.example"))),
			steps: []string{
				"- tag 2 (menuid 2) #2 FIRST: not in menus.yaml; deleted before creating n, which would otherwise exceed WeChat's limit of 3 URL domains across conditional menus",
				"+ n: new",
				"- tag 1 (menuid 3) #3: not in menus.yaml",
			},
			kept: []string{"c #1"},
			warnings: []string{
				"1 menu is deleted before the creates because of WeChat's limits; their users see the next matching menu or the default menu until apply finishes",
			},
		},
		{
			name: "domain cap prefers the domain held by fewest menus",
			live: liveAccount(liveCond("4", tagRule("1"), viewButtons("a.example")), liveCond("3", tagRule("2"), viewButtons("a.example")),
				liveCond("2", tagRule("3"), viewButtons("z.example")), liveCond("1", tagRule("5"), viewButtons("k.example"))),
			ds:   dsMenus(wantCond("n", tagRule("4"), viewButtons("n.example")), wantCond("k", tagRule("5"), viewButtons("k.example"))),
			opts: PlanOptions{Safety: allow},
			steps: []string{
				"- tag 3 (menuid 2) #2 FIRST: not in menus.yaml; deleted before creating n, which would otherwise exceed WeChat's limit of 3 URL domains across conditional menus",
				"+ n: new",
				"- tag 1 (menuid 4) #4: not in menus.yaml",
				"- tag 2 (menuid 3) #3: not in menus.yaml",
			},
			kept: []string{"k #1"},
			warnings: []string{
				"1 menu is deleted before the creates because of WeChat's limits; their users see the next matching menu or the default menu until apply finishes",
			},
			overrides: []string{"allow-many-deletes"},
		},
		{
			name: "domain cap cannot be met",
			live: liveAccount(),
			ds: dsMenus(wantCond("a", tagRule("1"), viewButtons("a.example")), wantCond("b", tagRule("2"), viewButtons("b.example")),
				wantCond("c", tagRule("3"), viewButtons("c.example")), wantCond("d", tagRule("4"), viewButtons("d.example"))),
			wantErrContain: `cannot create menu "a": conditional menus would use more than 3 URL domains (a.example, b.example, c.example, d.example)`,
		},
		{
			name: "domain cap held by an unmanaged menu",
			live: liveAccount(liveCond("1", tagRule("900"), viewButtons("u.example"))),
			ds: func() *desired.State {
				d := dsMenus(wantCond("a", tagRule("1"), viewButtons("a.example")), wantCond("b", tagRule("2"), viewButtons("b.example")),
					wantCond("c", tagRule("3"), viewButtons("c.example")))
				d.Unmanaged = []desired.UnmanagedRule{{MatchRule: tagRule("900")}}
				return d
			}(),
			wantErrContain: `cannot create menu "a": conditional menus would use more than 3 URL domains`,
		},
		{
			name: "count cap forces a delete first",
			live: liveAccount(liveCond("3", tagRule("1"), mA), liveCond("2", tagRule("2"), mB), liveCond("1", tagRule("3"), mC)),
			ds: dsMenus(wantCond("n", tagRule("4"), clickButtons("n")), wantCond("b", tagRule("2"), mB),
				wantCond("c", tagRule("3"), mC)),
			opts: PlanOptions{MaxConditional: 3},
			steps: []string{
				"- tag 1 (menuid 3) #3 FIRST: not in menus.yaml; deleted before creating n, which would otherwise exceed WeChat's limit of 3 conditional menus",
				"+ n: new",
			},
			kept: []string{"b #2", "c #1"},
			warnings: []string{
				"1 menu is deleted before the creates because of WeChat's limits; their users see the next matching menu or the default menu until apply finishes",
			},
		},
		{
			name: "count cap deletes a stale menu before one being replaced",
			live: liveAccount(liveCond("3", tagRule("1"), mA), liveCond("2", tagRule("2"), mB), liveCond("1", tagRule("3"), mC)),
			ds:   dsMenus(wantCond("a", tagRule("1"), clickButtons("a2")), wantCond("c", tagRule("3"), mC)),
			opts: PlanOptions{MaxConditional: 3},
			steps: []string{
				"- tag 2 (menuid 2) #2 FIRST: not in menus.yaml; deleted before creating a, which would otherwise exceed WeChat's limit of 3 conditional menus",
				"+ a: buttons changed (replaces menuid 3)",
				"- a #3: menuid 3, replaced by the new a",
			},
			kept: []string{"c #1"},
			warnings: []string{
				"1 menu is deleted before the creates because of WeChat's limits; their users see the next matching menu or the default menu until apply finishes",
			},
		},
		{
			name: "count cap deletes a dead menu first",
			live: liveAccount(liveCond("3", tagRule("2"), mB), liveCond("2", wechat.MatchRule{Sex: "1"}, mA), liveCond("1", tagRule("3"), mC)),
			ds:   dsMenus(wantCond("n", tagRule("4"), clickButtons("n")), wantCond("c", tagRule("3"), mC)),
			opts: PlanOptions{MaxConditional: 3},
			steps: []string{
				"- sex 1 (dead) (menuid 2) #2 FIRST: never matches: uses privacy field sex, which WeChat no longer matches; deleted before creating n, which would otherwise exceed WeChat's limit of 3 conditional menus",
				"+ n: new",
				"- tag 2 (menuid 3) #3: not in menus.yaml",
			},
			kept: []string{"c #1"},
			warnings: []string{
				"menu sex 1 (dead) (menuid 2) never matches any user: WeChat stopped matching on sex; it will be deleted",
				"1 menu is deleted before the creates because of WeChat's limits; their users see the next matching menu or the default menu until apply finishes",
			},
		},
		{
			name: "count cap deletes a menu whose replacement exists before one still serving users",
			live: liveAccount(liveCond("4", tagRule("1"), mA), liveCond("3", tagRule("2"), mB),
				liveCond("2", tagRule("4"), clickButtons("x")), liveCond("1", tagRule("3"), mC)),
			ds: dsMenus(wantCond("a", tagRule("1"), clickButtons("a2")), wantCond("b", tagRule("2"), clickButtons("b2")),
				wantCond("c", tagRule("3"), mC)),
			opts: PlanOptions{MaxConditional: 4, Safety: allow},
			steps: []string{
				"- tag 4 (menuid 2) #2 FIRST: not in menus.yaml; deleted before creating b, which would otherwise exceed WeChat's limit of 4 conditional menus",
				"+ b: buttons changed (replaces menuid 3)",
				"- b #3 FIRST: menuid 3, replaced by the new b; deleted before creating a, which would otherwise exceed WeChat's limit of 4 conditional menus",
				"+ a: buttons changed (replaces menuid 4)",
				"- a #4: menuid 4, replaced by the new a",
			},
			kept: []string{"c #1"},
			warnings: []string{
				"2 menus are deleted before the creates because of WeChat's limits; their users see the next matching menu or the default menu until apply finishes",
			},
			// Recreations only: no follower loses a menu, so no override.
			overrides: nil,
		},
		{
			name: "domain cap frees a stale menu's domain before a replaced menu's",
			live: liveAccount(liveCond("3", tagRule("1"), viewButtons("a.example")),
				liveCond("2", tagRule("2"), viewButtons("b.example")), liveCond("1", tagRule("3"), viewButtons("c.example"))),
			ds: dsMenus(wantCond("a", tagRule("1"), viewButtons("n.example")), wantCond("c", tagRule("3"), viewButtons("c.example"))),
			steps: []string{
				"- tag 2 (menuid 2) #2 FIRST: not in menus.yaml; deleted before creating a, which would otherwise exceed WeChat's limit of 3 URL domains across conditional menus",
				"+ a: buttons changed (replaces menuid 3)",
				"- a #3: menuid 3, replaced by the new a",
			},
			kept: []string{"c #1"},
			warnings: []string{
				"1 menu is deleted before the creates because of WeChat's limits; their users see the next matching menu or the default menu until apply finishes",
			},
		},
		{
			name: "domain cap frees a dead menu's domain first",
			live: liveAccount(liveCond("3", tagRule("2"), viewButtons("a.example")),
				liveCond("2", wechat.MatchRule{Sex: "1"}, viewButtons("b.example")), liveCond("1", tagRule("3"), viewButtons("c.example"))),
			ds: dsMenus(wantCond("n", tagRule("4"), viewButtons("n.example")), wantCond("c", tagRule("3"), viewButtons("c.example"))),
			steps: []string{
				"- sex 1 (dead) (menuid 2) #2 FIRST: never matches: uses privacy field sex, which WeChat no longer matches; deleted before creating n, which would otherwise exceed WeChat's limit of 3 URL domains across conditional menus",
				"+ n: new",
				"- tag 2 (menuid 3) #3: not in menus.yaml",
			},
			kept: []string{"c #1"},
			warnings: []string{
				"menu sex 1 (dead) (menuid 2) never matches any user: WeChat stopped matching on sex; it will be deleted",
				"1 menu is deleted before the creates because of WeChat's limits; their users see the next matching menu or the default menu until apply finishes",
			},
		},
		{
			name: "count cap cannot be met",
			live: liveAccount(),
			ds: dsMenus(wantCond("a", tagRule("1"), mA), wantCond("b", tagRule("2"), mB),
				wantCond("c", tagRule("3"), mC)),
			opts:           PlanOptions{MaxConditional: 2},
			wantErrContain: `cannot create menu "a": the account would hold more than 2 conditional menus even after deleting every stale menu`,
		},
		{
			name: "many deletes by share",
			live: liveAccount(liveCond("4", tagRule("1"), mA), liveCond("3", tagRule("2"), mA),
				liveCond("2", tagRule("3"), mA), liveCond("1", tagRule("4"), mA)),
			ds: dsMenus(wantCond("d", tagRule("4"), mA)),
			steps: []string{
				"- tag 1 (menuid 4) #4: not in menus.yaml",
				"- tag 2 (menuid 3) #3: not in menus.yaml",
				"- tag 3 (menuid 2) #2: not in menus.yaml",
			},
			kept:       []string{"d #1"},
			violations: []string{"many-deletes --allow-many-deletes"},
		},
		{
			name: "many deletes by count",
			live: liveAccount(liveCond("4", tagRule("1"), mA), liveCond("3", tagRule("2"), mA),
				liveCond("2", tagRule("3"), mA), liveCond("1", tagRule("4"), mA)),
			ds:   dsMenus(wantCond("d", tagRule("4"), mA)),
			opts: PlanOptions{Safety: SafetyOptions{MaxDeletes: 2, MaxDeleteShare: 1}},
			steps: []string{
				"- tag 1 (menuid 4) #4: not in menus.yaml",
				"- tag 2 (menuid 3) #3: not in menus.yaml",
				"- tag 3 (menuid 2) #2: not in menus.yaml",
			},
			kept:       []string{"d #1"},
			violations: []string{"many-deletes --allow-many-deletes"},
		},
		{
			name: "few deletes are below the minimum",
			live: liveAccount(liveCond("2", tagRule("1"), mA), liveCond("1", tagRule("2"), mA)),
			ds:   dsMenus(),
			steps: []string{
				"- tag 1 (menuid 2) #2: not in menus.yaml",
				"- tag 2 (menuid 1) #1: not in menus.yaml",
			},
		},
		{
			name: "many deletes allowed",
			live: liveAccount(liveCond("4", tagRule("1"), mA), liveCond("3", tagRule("2"), mA),
				liveCond("2", tagRule("3"), mA), liveCond("1", tagRule("4"), mA)),
			ds:   dsMenus(wantCond("d", tagRule("4"), mA)),
			opts: PlanOptions{Safety: SafetyOptions{AllowManyDeletes: true}},
			steps: []string{
				"- tag 1 (menuid 4) #4: not in menus.yaml",
				"- tag 2 (menuid 3) #3: not in menus.yaml",
				"- tag 3 (menuid 2) #2: not in menus.yaml",
			},
			kept:      []string{"d #1"},
			overrides: []string{"allow-many-deletes"},
		},
		{
			name: "protected menu changed",
			live: liveAccount(liveCond("1", tagRule("1"), mA)),
			ds: func() *desired.State {
				d := dsMenus(wantCond("vip", tagRule("1"), mB))
				d.Conditional[0].Protect = true
				return d
			}(),
			steps: []string{
				"+ vip: buttons changed (replaces menuid 1)",
				"- vip #1: menuid 1, replaced by the new vip",
			},
			violations: []string{"protected --allow-protected"},
		},
		{
			name: "protected menu recreated for order",
			live: liveAccount(liveCond("2", tagRule("2"), mB), liveCond("1", tagRule("1"), mA)),
			ds: func() *desired.State {
				d := dsMenus(wantCond("vip", tagRule("1"), mA), wantCond("b", tagRule("2"), mB))
				d.Conditional[0].Protect = true
				return d
			}(),
			opts: PlanOptions{Safety: SafetyOptions{AllowProtected: true}},
			steps: []string{
				"+ vip: unchanged, recreated to stay above b",
				"- vip #1: menuid 1, replaced by the new vip",
			},
			kept:      []string{"b #2"},
			overrides: []string{"allow-protected"},
		},
		{
			name: "protected menu kept",
			live: liveAccount(liveCond("1", tagRule("1"), mA)),
			ds: func() *desired.State {
				d := dsMenus(wantCond("n", tagRule("2"), mB), wantCond("vip", tagRule("1"), mA))
				d.Conditional[1].Protect = true
				return d
			}(),
			steps: []string{"+ n: new"},
			kept:  []string{"vip #1"},
		},
		{
			name:           "conditional menus without a default",
			live:           &wechat.MenuSet{},
			ds:             &desired.State{Conditional: []desired.Conditional{wantCond("a", tagRule("1"), mA)}},
			wantErrContain: "declares conditional menus but no default menu",
		},
		{
			name:           "desired privacy rule",
			live:           liveAccount(),
			ds:             dsMenus(wantCond("a", wechat.MatchRule{TagID: "1", Sex: "2"}, mA)),
			wantErrContain: `menu "a" matches on sex, which WeChat rejects (65320)`,
		},
		{
			name:           "desired empty rule",
			live:           liveAccount(),
			ds:             dsMenus(wantCond("a", wechat.MatchRule{}, mA)),
			wantErrContain: `menu "a" has an empty matchrule (65304)`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := planOrBlocked(tt.live, tt.ds, tt.opts)
			if tt.wantErrContain != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErrContain) {
					t.Fatalf("NewPlan error = %v, want it to contain %q", err, tt.wantErrContain)
				}
				if p != nil {
					t.Errorf("NewPlan returned a plan with error %v", err)
				}
				return
			}
			if diff := cmp.Diff(tt.violations, violationRails(err)); diff != "" {
				t.Errorf("violations mismatch (-want +got):\n%s", diff)
			}
			if err != nil && tt.violations == nil {
				t.Fatalf("NewPlan: %v", err)
			}
			if p == nil {
				t.Fatal("NewPlan returned no plan")
			}
			if diff := cmp.Diff(tt.steps, stepStrings(p)); diff != "" {
				t.Errorf("steps mismatch (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.kept, keptStrings(p)); diff != "" {
				t.Errorf("kept mismatch (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.warnings, p.Warnings); diff != "" {
				t.Errorf("warnings mismatch (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.overrides, p.Overrides); diff != "" {
				t.Errorf("overrides mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestNewPlanFields(t *testing.T) {
	now := time.Date(2025, 3, 1, 8, 0, 0, 0, time.UTC)
	live := &wechat.MenuSet{
		Default:     &wechat.Menu{Buttons: clickButtons("old")},
		Conditional: []wechat.ConditionalMenu{liveCond("5", tagRule("1"), mA), liveCond("4", tagRule("2"), mB)},
	}
	ds := dsMenus(wantCond("x", tagRule("3"), mC), wantCond("b", tagRule("2"), mB))
	p, err := planOrBlocked(live, ds, PlanOptions{AppID: "wx1", DesiredFile: "menus.yaml", ToolVersion: "1.2.3", Now: now})
	if err != nil {
		t.Fatal(err)
	}
	want := &plans.Plan{
		FormatVersion: plans.FormatVersion, ToolVersion: "1.2.3", CreatedAt: now, AppID: "wx1", DesiredFile: "menus.yaml",
		DesiredDigest: ds.Digest(), LiveDigest: canon.LiveDigest(live),
		Steps: []plans.Step{
			{Action: plans.ActionCreateDefault, Name: "default menu", Before: clickButtons("old"), After: homeButtons, ReasonCode: plans.ReasonDefaultChanged, Reason: "default menu changed"},
			{Action: plans.ActionAddConditional, Name: "x", MatchRule: &wechat.MatchRule{TagID: "3"}, After: mC, ReasonCode: plans.ReasonNew, Reason: "new"},
			{Action: plans.ActionDelConditional, Name: "tag 1 (menuid 5)", MenuID: "5", MatchRule: &wechat.MatchRule{TagID: "1"}, Before: mA, ReasonCode: plans.ReasonNotInFile, Reason: "not in menus.yaml"},
		},
		Kept:     []plans.KeptMenu{{Name: "b", MenuID: "4", MatchRule: &wechat.MatchRule{TagID: "2"}}},
		Warnings: []string{"the default menu will be replaced; every user no conditional menu matches sees the new one"},
		Quota:    map[string]int{"menu/create": 1, "menu/addconditional": 1, "menu/delconditional": 1},
		Changes:  true,
		Counts:   map[plans.Action]int{plans.ActionCreateDefault: 1, plans.ActionAddConditional: 1, plans.ActionDelConditional: 1},
		Priority: []plans.PriorityMenu{{Name: "x", MatchRule: &wechat.MatchRule{TagID: "3"}}, {Name: "b", MatchRule: &wechat.MatchRule{TagID: "2"}, Kept: true}},
		// The audience table is checked in impact_test.go; here only that
		// it is the plan's.
		Audiences: p.Audiences,
		Removed:   p.Removed,
		Reads:     map[string]int{"menu/get": 1},
	}
	if err := plans.Seal(want); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, p); diff != "" {
		t.Errorf("plan mismatch (-want +got):\n%s", diff)
	}

	empty, err := planOrBlocked(live, &desired.State{Default: &desired.Default{Buttons: clickButtons("old")},
		Conditional: ds.Conditional[1:]}, PlanOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if empty.Steps == nil || empty.Quota == nil {
		t.Errorf("a plan with one delete has Steps %v and Quota %v; both must be non-nil", empty.Steps, empty.Quota)
	}
	if diff := cmp.Diff(map[string]int{"menu/delconditional": 1}, empty.Quota); diff != "" {
		t.Errorf("quota mismatch (-want +got):\n%s", diff)
	}
}

func TestNewPlanRefusesMissingInput(t *testing.T) {
	if _, err := planOrBlocked(nil, dsMenus(), PlanOptions{}); err == nil {
		t.Error("NewPlan(nil live) succeeded; a failed read must never look like an empty account")
	}
	if _, err := planOrBlocked(liveAccount(), nil, PlanOptions{}); err == nil {
		t.Error("NewPlan(nil desired) succeeded")
	}
	live := &wechat.MenuSet{Default: &wechat.Menu{Buttons: homeButtons}, Conditional: []wechat.ConditionalMenu{{MatchRule: tagRule("1"), Buttons: mA}}}
	if _, err := planOrBlocked(live, dsMenus(), PlanOptions{}); err == nil || !strings.Contains(err.Error(), "no menuid") {
		t.Errorf("deleting a live menu without menuid: err = %v, want a no-menuid error", err)
	}
}

func TestSafetyErrorMessage(t *testing.T) {
	_, err := planOrBlocked(liveAccount(liveCond("1", tagRule("1"), mA)), &desired.State{Path: "menus.yaml"}, PlanOptions{})
	want := "plan blocked by safety rails: menus.yaml declares no menu, so the plan removes every menu (override with --allow-empty); " +
		"the plan calls menu/delete, which removes the default menu and every conditional menu (override with --allow-delete-all)"
	if err == nil {
		t.Fatal("no safety error")
	}
	if diff := cmp.Diff(want, err.Error()); diff != "" {
		t.Errorf("error mismatch (-want +got):\n%s", diff)
	}
}

func TestManyDeletesMessages(t *testing.T) {
	var ms []wechat.ConditionalMenu
	for i := 1; i <= 12; i++ {
		ms = append(ms, liveCond(fmt.Sprint(i), tagRule(fmt.Sprint(i)), mA))
	}
	_, err := planOrBlocked(liveAccount(ms...), dsMenus(), PlanOptions{})
	var se *SafetyError
	if !errors.As(err, &se) || len(se.Violations) != 1 {
		t.Fatalf("err = %v, want one violation", err)
	}
	if diff := cmp.Diff("12 of 12 audiences with a personalized menu lose it (tag 1 → default menu, tag 2 → default menu, tag 3 → default menu, and 9 more); "+
		"12 of 12 conditional menus are removed for good, not recreated (the rail allows at most 50% and at most 10 of either, once 3 are affected)", se.Violations[0].Message); diff != "" {
		t.Errorf("message mismatch (-want +got):\n%s", diff)
	}
	_, err = planOrBlocked(liveAccount(ms[:5]...), dsMenus(), PlanOptions{})
	if !errors.As(err, &se) || len(se.Violations) != 1 {
		t.Fatalf("err = %v, want one violation", err)
	}
	if diff := cmp.Diff("5 of 5 audiences with a personalized menu lose it (tag 1 → default menu, tag 2 → default menu, tag 3 → default menu, and 2 more); "+
		"5 of 5 conditional menus are removed for good, not recreated (the rail allows at most 50% and at most 10 of either, once 3 are affected)", se.Violations[0].Message); diff != "" {
		t.Errorf("message mismatch (-want +got):\n%s", diff)
	}
}

// planOrBlocked is NewPlan with a blocked plan's violations returned as its
// error too, the way these tests check the rails.
func planOrBlocked(live *wechat.MenuSet, ds *desired.State, opts PlanOptions) (*plans.Plan, error) {
	p, err := NewPlan(LiveRead{Menus: live}, ds, opts)
	if err != nil {
		return nil, err
	}
	return p, BlockedError(p)
}

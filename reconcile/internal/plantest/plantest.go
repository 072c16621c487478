// Package plantest holds the plans that the renderer and plan-file tests
// share: an account and a desired state whose plan shows every kind of step.
// It is for tests only.
package plantest

import (
	"strconv"
	"testing"
	"time"

	"github.com/wxmenu/wxmenu/reconcile"
	"github.com/wxmenu/wxmenu/reconcile/desired"
	"github.com/wxmenu/wxmenu/reconcile/plans"
	"github.com/wxmenu/wxmenu/wechat"
)

func clickButtons(key string) []wechat.Button {
	return []wechat.Button{{Type: "click", Name: key, Key: key}}
}

func viewButtons(host string) []wechat.Button {
	return []wechat.Button{{Type: "view", Name: host, URL: "https://" + host + "/?a=1&b=2"}}
}

// Time is the creation time of every fixture plan.
var Time = time.Date(2025, 3, 1, 8, 30, 0, 0, time.UTC)

// RichInput is an account and a file whose plan shows every kind of
// step: a replaced default menu, a new menu, a changed menu, a menu
// recreated to keep its priority, a dead menu, a stale menu deleted first
// because of the 3-domain cap, a kept and an unmanaged menu, Chinese names,
// and URLs with & and <.
func RichInput() (*wechat.MenuSet, *desired.State) {
	iosButtons := []wechat.Button{
		{Type: "click", Name: "下载", Key: "APP_DOWNLOAD"},
		{Name: "帮助", SubButtons: []wechat.Button{
			{Type: "click", Name: "客服", Key: "SUPPORT"},
			{Type: "miniprogram", Name: "小程序", URL: "https://shop.example/m", AppID: "wx0123456789abcdef", PagePath: "pages/index?from=menu&x=1"},
		}},
	}
	live := &wechat.MenuSet{
		Default: &wechat.Menu{MenuID: "1000", Buttons: []wechat.Button{{Type: "click", Name: "首页", Key: "HOME"}}},
		Conditional: []wechat.ConditionalMenu{
			{MenuID: "1006", MatchRule: wechat.MatchRule{TagID: "900"}, Buttons: viewButtons("partner.example")},
			{MenuID: "1005", MatchRule: wechat.MatchRule{Sex: "1"}, Buttons: []wechat.Button{{Type: "click", Name: "男士", Key: "MEN"}}},
			{MenuID: "1004", MatchRule: wechat.MatchRule{TagID: "101"}, Buttons: []wechat.Button{
				{Type: "view", Name: "会员中心", URL: "https://shop.example/vip?a=1&b=2"},
				{Type: "click", Name: "积分", Key: "POINTS"},
			}},
			{MenuID: "1003", MatchRule: wechat.MatchRule{ClientPlatformType: "1"}, Buttons: iosButtons},
			{MenuID: "1002", MatchRule: wechat.MatchRule{TagID: "102"}, Buttons: viewButtons("old.example")},
			{MenuID: "1001", MatchRule: wechat.MatchRule{ClientPlatformType: "2"}, Buttons: clickButtons("android")},
		},
	}
	ds := &desired.State{
		Path: "menus.yaml",
		Default: &desired.Default{Buttons: []wechat.Button{
			{Type: "click", Name: "首页", Key: "HOME_V2"},
			{Type: "view", Name: "<新>品", URL: "https://www.example.com/new?x=1&y=<2>"},
		}},
		Conditional: []desired.Conditional{
			{Name: "ios", MatchRule: wechat.MatchRule{ClientPlatformType: "1"}, Buttons: iosButtons},
			{Name: "会员|vip", MatchRule: wechat.MatchRule{TagID: "101"}, Protect: true, Buttons: []wechat.Button{
				{Type: "view", Name: "会员中心", URL: "https://shop.example/vip?a=1&b=2&c=3"},
				{Type: "click", Name: "积分", Key: "POINTS"},
				{Type: "click", Name: "签到", Key: "CHECK_IN"},
			}},
			{Name: "spring-campaign", MatchRule: wechat.MatchRule{TagID: "103"}, Buttons: viewButtons("campaign.example")},
			{Name: "android", MatchRule: wechat.MatchRule{ClientPlatformType: "2"}, Buttons: clickButtons("android")},
		},
		Unmanaged: []desired.UnmanagedRule{{MatchRule: wechat.MatchRule{TagID: "900"}}},
		Tags:      map[string]string{"101": "会员", "103": "spring"},
	}
	return live, ds
}

// Options are the plan options of the fixture plans.
func Options(s reconcile.SafetyOptions) reconcile.PlanOptions {
	return reconcile.PlanOptions{AppID: "wx1234567890abcdef", DesiredFile: "menus.yaml", ToolVersion: "0.1.0", Now: Time, Safety: s}
}

// AccountPlan plans RichInput as another account of a project would: the
// appid appID, every live menuid shifted by shift, the input changed by
// edit (if not nil) first.
func AccountPlan(t testing.TB, appID string, shift int, edit func(*wechat.MenuSet, *desired.State), safety reconcile.SafetyOptions) *plans.Plan {
	t.Helper()
	live, ds := RichInput()
	if edit != nil {
		edit(live, ds)
	}
	move := func(id *string) {
		n, err := strconv.Atoi(*id)
		if err != nil {
			t.Fatal(err)
		}
		*id = strconv.Itoa(n + shift)
	}
	move(&live.Default.MenuID)
	for i := range live.Conditional {
		move(&live.Conditional[i].MenuID)
	}
	opts := Options(safety)
	opts.AppID = appID
	p, err := reconcile.NewPlan(reconcile.LiveRead{Menus: live}, ds, opts)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// RichSafety is what the rich plan needs allowed.
var RichSafety = reconcile.SafetyOptions{AllowManyDeletes: true, AllowProtected: true}

// Plans builds the plans the renderers are checked on.
func Plans(t *testing.T) map[string]*plans.Plan {
	t.Helper()
	out := map[string]*plans.Plan{}

	live, ds := RichInput()
	rich, err := reconcile.NewPlan(reconcile.LiveRead{Menus: live}, ds, Options(reconcile.SafetyOptions{AllowManyDeletes: true, AllowProtected: true}))
	if err != nil {
		t.Fatal(err)
	}
	out["rich"] = rich

	live, ds = RichInput()
	ds.Conditional = ds.Conditional[3:]
	ds.Default.Buttons = live.Default.Buttons
	live.Conditional = []wechat.ConditionalMenu{live.Conditional[0], live.Conditional[5]}
	empty, err := reconcile.NewPlan(reconcile.LiveRead{Menus: live}, ds, Options(reconcile.SafetyOptions{}))
	if err != nil {
		t.Fatal(err)
	}
	out["empty"] = empty

	live, _ = RichInput()
	wipe, err := reconcile.NewPlan(reconcile.LiveRead{Menus: live}, &desired.State{Path: "menus.yaml"}, Options(reconcile.SafetyOptions{AllowEmpty: true, AllowDeleteAll: true}))
	if err != nil {
		t.Fatal(err)
	}
	out["delete-all"] = wipe

	// blocked keeps one of the five live menus that match someone: four
	// audiences lose their personalized menu, and the plan comes from CI.
	live, ds = RichInput()
	ds.Conditional = ds.Conditional[3:]
	opts := Options(reconcile.SafetyOptions{})
	opts.Provenance = &plans.Provenance{System: "github", Commit: "0123456789abcdef0123456789abcdef01234567",
		Repository: "shop/menus", RunURL: "https://github.com/shop/menus/actions/runs/42"}
	blocked, err := reconcile.NewPlan(reconcile.LiveRead{Menus: live}, ds, opts)
	if err != nil {
		t.Fatal(err)
	}
	if !blocked.IsBlocked() {
		t.Fatal("the blocked fixture plan is not blocked")
	}
	out["blocked"] = blocked

	// cap edits the vip menu on an account at its conditional-menu cap: the
	// old vip menu is deleted before its replacement exists, so vip
	// followers see the default menu between the two calls.
	capLive := &wechat.MenuSet{
		Default: &wechat.Menu{MenuID: "2000", Buttons: clickButtons("home")},
		Conditional: []wechat.ConditionalMenu{
			{MenuID: "2002", MatchRule: wechat.MatchRule{TagID: "101"}, Buttons: clickButtons("vip")},
			{MenuID: "2001", MatchRule: wechat.MatchRule{ClientPlatformType: "1"}, Buttons: clickButtons("ios")},
		},
	}
	capWanted := &desired.State{Path: "menus.yaml", Default: &desired.Default{Buttons: clickButtons("home")},
		Tags: map[string]string{"101": "会员"},
		Conditional: []desired.Conditional{
			{Name: "vip", MatchRule: wechat.MatchRule{TagID: "101"}, Buttons: []wechat.Button{{Type: "click", Name: "会员中心", Key: "VIP"}, {Type: "click", Name: "积分", Key: "POINTS"}}},
			{Name: "ios", MatchRule: wechat.MatchRule{ClientPlatformType: "1"}, Buttons: clickButtons("ios")},
		}}
	capOpts := Options(reconcile.SafetyOptions{})
	capOpts.MaxConditional = 2
	capped, err := reconcile.NewPlan(reconcile.LiveRead{Menus: capLive}, capWanted, capOpts)
	if err != nil {
		t.Fatal(err)
	}
	out["cap"] = capped
	return out
}

// StepStrings is each step of p on one line: sign, name, menuid, FIRST for a
// delete moved first, and the reason.
func StepStrings(p *plans.Plan) []string {
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

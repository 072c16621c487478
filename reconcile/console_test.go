package reconcile_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/wxmenu/wxmenu/reconcile"
	"github.com/wxmenu/wxmenu/reconcile/plans"
	"github.com/wxmenu/wxmenu/wechat"
	"github.com/wxmenu/wxmenu/wechat/wechattest"
)

// consoleButtons is a menu published in the console, in menu/create's shape
// as the emulator's control surface takes it; "text" is a console-only type
// (its reply text travels as value, which the emulator reports from
// media_id).
var consoleButtons = []wechat.Button{
	{Type: "view", Name: "官网", URL: "https://www.example.com/"},
	{Name: "更多", SubButtons: []wechat.Button{
		{Type: "click", Name: "联系我们", Key: "CONTACT"},
		{Type: "text", Name: "营业时间", MediaID: "9:00-18:00"},
	}},
}

// TestPlanShowsConsoleMenu: menu/get's 46003 makes plan read
// get_current_selfmenu_info once; the console menu is the default menu's
// before, with a warning naming the console-only button. After apply,
// menu/get sees the menu and plan reads once again.
func TestPlanShowsConsoleMenu(t *testing.T) {
	a := newAccount(t)
	ds := loadBasic(t)
	s := &reconcile.Session{Client: a.client, AppID: testAppID, ToolVersion: "test"}
	ctx := context.Background()

	before := a.emu.Calls()
	r := s.Plan(ctx, ds, reconcile.PlanOptions{})
	if r.Err != nil || r.Plan.Reads["get_current_selfmenu_info"] != 0 {
		t.Fatalf("plan of the demo account: err %v, reads %v; want one read", r.Err, r.Plan.Reads)
	}
	if diff := cmp.Diff(map[string]int{"menu/get": 1}, a.callsSince(before)); diff != "" {
		t.Errorf("calls of a plan with API menus (-want +got):\n%s", diff)
	}

	a.emu.Default().SetConsoleMenu(consoleButtons)
	before = a.emu.Calls()
	r = s.Plan(ctx, ds, reconcile.PlanOptions{})
	if r.Status != reconcile.StatusChanges {
		t.Fatalf("plan: status %s, err %v", r.Status, r.Err)
	}
	if diff := cmp.Diff(map[string]int{"menu/get": 1, "get_current_selfmenu_info": 1}, a.callsSince(before)); diff != "" {
		t.Errorf("calls (-want +got):\n%s", diff)
	}
	p := r.Plan
	if p.Reads["get_current_selfmenu_info"] != 1 || p.Reads["menu/get"] != 1 {
		t.Errorf("plan reads %v, want menu/get and get_current_selfmenu_info once each", p.Reads)
	}
	first := p.Steps[0]
	wantBefore := []wechat.Button{
		{Type: "view", Name: "官网", URL: "https://www.example.com/"},
		{Name: "更多", SubButtons: []wechat.Button{{Type: "click", Name: "联系我们", Key: "CONTACT"}, {Type: "text", Name: "营业时间"}}},
	}
	if first.Action != plans.ActionCreateDefault || first.ReasonCode != plans.ReasonReplacesConsoleMenu {
		t.Errorf("first step %s (%s), want create_default replacing the console menu", first.Action, first.ReasonCode)
	}
	if diff := cmp.Diff(wantBefore, first.Before); diff != "" {
		t.Errorf("before (-want +got):\n%s", diff)
	}
	wantWarning := `followers see a menu published in the console (menu/get reports none); apply replaces it; WeChat's API cannot create its console-only buttons "更多" > "营业时间" (text "9:00-18:00")`
	if !slices.Contains(p.Warnings, wantWarning) {
		t.Errorf("warnings %q\nlack %q", p.Warnings, wantWarning)
	}
	if _, err := reread(t, p); err != nil {
		t.Fatalf("the annotated plan is not sealed or does not read back: %v", err)
	}

	applied := s.Apply(ctx, p, reconcile.ApplyOptions{Desired: ds})
	if applied.Status != reconcile.StatusApplied {
		t.Fatalf("apply: status %s, err %v", applied.Status, applied.Err)
	}
	if got := a.emu.Menus(); got.Default == nil {
		t.Fatal("apply left no API menu")
	}
	again := s.Plan(ctx, ds, reconcile.PlanOptions{})
	if again.Status != reconcile.StatusNoChanges || again.Plan.Reads["get_current_selfmenu_info"] != 0 || len(again.Plan.Warnings) != 0 {
		t.Errorf("re-plan: status %s, reads %v, warnings %q; want no changes in one read", again.Status, again.Plan.Reads, again.Plan.Warnings)
	}
}

// menuAPIOnly hides the client's get_current_selfmenu_info.
type menuAPIOnly struct{ reconcile.MenuAPI }

// TestReadLive: the second read happens only after 46003, only with a
// client that can make it, and its failure is a read error, never an empty
// account.
func TestReadLive(t *testing.T) {
	ctx := context.Background()
	a := newAccount(t)
	a.emu.Default().SetConsoleMenu(consoleButtons)

	r, err := reconcile.ReadLive(ctx, menuAPIOnly{a.client})
	if err != nil || r.Reads != 1 || r.Console != nil {
		t.Errorf("ReadLive without SelfMenuReader: %+v, %v; want one read, no console menu", r, err)
	}
	r, err = reconcile.ReadLive(ctx, a.client)
	if err != nil || r.Reads != 2 || r.Console == nil || len(r.Console) != 2 {
		t.Errorf("ReadLive: %+v, %v; want two reads and the console menu", r, err)
	}

	a.emu.Default().SetConsoleMenu(nil)
	r, err = reconcile.ReadLive(ctx, a.client)
	if err != nil || r.Reads != 2 || r.Console != nil {
		t.Errorf("ReadLive of an account with no menu: %+v, %v; want two reads, no console menu", r, err)
	}

	a.emu.SetQuota("get_current_selfmenu_info", 0)
	_, err = reconcile.ReadLive(ctx, a.client)
	var re *reconcile.ReadError
	if !errors.As(err, &re) || !wechat.IsCode(err, wechat.CodeDailyQuota) {
		t.Errorf("ReadLive with the second read failing: %v, want a ReadError of 45009", err)
	}
}

// TestSessionExport: export writes the console menu when menu/get has
// none, and the account's menus otherwise.
func TestSessionExport(t *testing.T) {
	ctx := context.Background()
	a := newAccount(t)
	s := &reconcile.Session{Client: a.client, AppID: testAppID}
	exp, err := s.Export(ctx)
	if err != nil || exp.What != "3 conditional menus" || len(exp.Warnings) != 0 || exp.Reads != 1 {
		t.Errorf("Export of the demo account: %q, %q, reads %d, %v", exp.What, exp.Warnings, exp.Reads, err)
	}
	a.emu.Default().SetConsoleMenu(consoleButtons)
	exp, err = s.Export(ctx)
	if err != nil || exp.What != "the menu published in the console" || len(exp.Warnings) != 1 || exp.Reads != 2 {
		t.Fatalf("Export of a console menu: %+v, %v", exp, err)
	}
	for _, want := range []string{"url: https://www.example.com/", "key: CONTACT", `#   - "更多" > "营业时间" (text "9:00-18:00")`} {
		if !strings.Contains(string(exp.Data), want) {
			t.Errorf("exported file lacks %q:\n%s", want, exp.Data)
		}
	}
}

// TestCreateDropsConditional: in the emulator mode where menu/create drops
// the conditional menus, apply's read-back finds the kept menu gone (not
// converged, with a hint saying so); the next plan recreates it without a
// menu/create and converges.
func TestCreateDropsConditional(t *testing.T) {
	a := newAccount(t)
	if err := a.emu.Default().SetSettings(wechattest.AccountSettings{CreateDropsConditional: true}); err != nil {
		t.Fatal(err)
	}
	ds := loadBasic(t)
	s := &reconcile.Session{Client: a.client, AppID: testAppID}
	ctx := context.Background()

	// Plan and apply as the CLI does for one account, from the plan's read.
	run := func() *reconcile.Result {
		r := s.Plan(ctx, ds, reconcile.PlanOptions{})
		if r.Status != reconcile.StatusChanges {
			return r
		}
		return s.Apply(ctx, r.Plan, reconcile.ApplyOptions{Desired: ds, Live: r.Live})
	}
	r := run()
	if r.Status != reconcile.StatusNotConverged {
		t.Fatalf("first run: status %s, err %v; want not converged", r.Status, r.Err)
	}
	_, hint := r.Problem()
	if want := "1 of the conditional menus apply kept are gone after menu/create"; !strings.HasPrefix(hint, want) {
		t.Errorf("hint %q, want it to start with %q", hint, want)
	}
	r = run()
	if r.Status != reconcile.StatusApplied {
		t.Fatalf("second run: status %s, err %v; want applied", r.Status, r.Err)
	}
	for _, st := range r.Plan.Steps {
		if st.Action == plans.ActionCreateDefault {
			t.Errorf("the second plan has a menu/create: %+v", st)
		}
	}
	a.checkConverged(ds)

	// Without the mode, a not-converged apply gets the generic hint.
	generic := &reconcile.Result{Status: reconcile.StatusNotConverged, Plan: r.Plan, Err: &reconcile.NotConvergedError{Remaining: r.Plan}}
	if _, hint := generic.Problem(); !strings.HasPrefix(hint, "run 'wxmenu plan' to see what differs") {
		t.Errorf("generic not-converged hint = %q", hint)
	}
}

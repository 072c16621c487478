package reconcile_test

// These tests run Apply through the real wechat.Client against the emulator
// over real HTTP. The emulator's call counters are the ground truth for what
// apply sent; a front door in front of the emulator records the access
// tokens the client used (so tests can prove none leaks) and can lose a
// request before the emulator sees it.

import (
	"errors"
	"io"
	"maps"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/wxmenu/wxmenu/reconcile"
	"github.com/wxmenu/wxmenu/reconcile/audit"
	"github.com/wxmenu/wxmenu/reconcile/canon"
	"github.com/wxmenu/wxmenu/reconcile/desired"
	"github.com/wxmenu/wxmenu/reconcile/plans"
	"github.com/wxmenu/wxmenu/wechat"
	"github.com/wxmenu/wxmenu/wechat/wechattest"
)

// Distinctive credentials, so a leak into any output can be searched for.
const (
	testAppID  = "wxapplytest5e1c2a"
	testSecret = "apply-test-secret-q8v2k7m4z9"
)

var planTime = time.Date(2025, 3, 1, 8, 30, 0, 0, time.UTC)

// frontDoor is the HTTP handler in front of the emulator. It counts the
// requests per endpoint, remembers every access token the client sent, and
// can lose the next requests to an endpoint before forwarding them: the
// request is read whole, then the connection is closed, so the client cannot
// tell it from a response lost after the change.
type frontDoor struct {
	emu *wechattest.Emulator

	mu       sync.Mutex
	requests map[string]int // by endpoint name, e.g. "menu/get"
	tokens   map[string]bool
	lose     map[string]int // endpoint name -> requests still to lose
}

func (f *frontDoor) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	endpoint := strings.TrimPrefix(r.URL.Path, "/cgi-bin/")
	f.mu.Lock()
	f.requests[endpoint]++
	if tok := r.URL.Query().Get("access_token"); tok != "" {
		f.tokens[tok] = true
	}
	lose := f.lose[endpoint] > 0
	if lose {
		f.lose[endpoint]--
	}
	f.mu.Unlock()
	if !lose {
		f.emu.ServeHTTP(w, r)
		return
	}
	_, _ = io.Copy(io.Discard, r.Body)
	wechattest.DropResponse(w)
}

func (f *frontDoor) loseNext(endpoint string, n int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.lose[endpoint] = n
}

func (f *frontDoor) requestsTo(endpoint string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.requests[endpoint]
}

func (f *frontDoor) tokensSeen() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Collect(maps.Keys(f.tokens))
}

// account is the emulator's demo account behind a real HTTP server, with a
// client for it.
type account struct {
	t      *testing.T
	emu    *wechattest.Emulator
	front  *frontDoor
	url    string
	client *wechat.Client
}

func newAccount(t *testing.T) *account {
	t.Helper()
	emu := wechattest.New(wechattest.Config{AppID: testAppID, Secret: testSecret, Seed: 7})
	emu.SeedDemo()
	front := &frontDoor{emu: emu, requests: map[string]int{}, tokens: map[string]bool{}, lose: map[string]int{}}
	srv := httptest.NewServer(front)
	t.Cleanup(srv.Close)
	a := &account{t: t, emu: emu, front: front, url: srv.URL}
	a.client = a.newClient()
	return a
}

// newClient returns a client of the account that makes each call once, so
// the emulator's counters show exactly what the caller asked for.
func (a *account) newClient() *wechat.Client {
	a.t.Helper()
	c, err := wechat.New(
		wechat.WithBaseURLs(a.url),
		wechat.WithCredentials(testAppID, testSecret),
		wechat.WithRetry(1, 0, 0),
	)
	if err != nil {
		a.t.Fatal(err)
	}
	return c
}

// plan reads the account and plans for the desired state, then round-trips the plan
// through its document as `plan --out` followed by `apply PLAN` does.
func (a *account) plan(ds *desired.State, safety reconcile.SafetyOptions) *plans.Plan {
	a.t.Helper()
	live, err := a.client.GetMenu(a.t.Context())
	if err != nil {
		a.t.Fatalf("reading the account: %v", err)
	}
	p, err := reconcile.NewPlan(reconcile.LiveRead{Menus: live}, ds, reconcile.PlanOptions{
		AppID: testAppID, DesiredFile: "menus.yaml", ToolVersion: "test", Now: planTime, Safety: safety,
	})
	if err != nil {
		a.t.Fatalf("planning: %v", err)
	}
	read, err := reread(a.t, p)
	if err != nil {
		a.t.Fatalf("reading the plan back: %v", err)
	}
	return read
}

// apply runs Apply with the account's appid and desired state.
func (a *account) apply(p *plans.Plan, ds *desired.State, opts reconcile.ApplyOptions) (*reconcile.ApplyResult, error) {
	a.t.Helper()
	opts.AppID = testAppID
	if opts.Desired == nil {
		opts.Desired = ds
	}
	return reconcile.Apply(a.t.Context(), a.client, p, opts)
}

// checkConverged checks, on the emulator's own state, that the account holds
// exactly the desired menus in priority order, and that a fresh plan is empty.
func (a *account) checkConverged(ds *desired.State) {
	a.t.Helper()
	got := a.emu.Menus()
	switch {
	case ds.Default == nil && got.Default != nil:
		a.t.Errorf("account has a default menu, want no menu at all")
	case ds.Default != nil && got.Default == nil:
		a.t.Fatal("account has no default menu")
	case ds.Default != nil:
		if diff := cmp.Diff(canon.CanonicalButtons(ds.Default.Buttons), canon.CanonicalButtons(got.Default.Buttons)); diff != "" {
			a.t.Errorf("default menu (-want +got):\n%s", diff)
		}
	}
	var want, have []string
	for _, c := range ds.Conditional {
		want = append(want, string(canon.JSON(c.MatchRule))+" "+canon.CanonicalButtons(c.Buttons))
	}
	for _, c := range got.Conditional {
		have = append(have, string(canon.JSON(c.MatchRule))+" "+canon.CanonicalButtons(c.Buttons))
	}
	if diff := cmp.Diff(want, have); diff != "" {
		a.t.Errorf("conditional menus, newest first (-want +got):\n%s", diff)
	}
	if p := a.plan(ds, allowAll); len(p.Steps) != 0 {
		a.t.Errorf("a fresh plan still has %d steps: %+v", len(p.Steps), p.Steps)
	}
}

// callsSince returns the menu API calls the emulator received since before,
// token fetches left out, zero counts dropped.
func (a *account) callsSince(before map[string]int) map[string]int {
	delta := map[string]int{}
	for endpoint, n := range a.emu.Calls() {
		if strings.HasPrefix(endpoint, "cgi-bin/") {
			continue
		}
		if d := n - before[endpoint]; d != 0 {
			delta[endpoint] = d
		}
	}
	return delta
}

// planCalls is what applying p costs: its quota plus reads menu/get calls.
func planCalls(p *plans.Plan, reads int) map[string]int {
	want := map[string]int{}
	for endpoint, n := range p.Quota {
		if n != 0 {
			want[endpoint] = n
		}
	}
	if reads != 0 {
		want["menu/get"] += reads
	}
	return want
}

func loadBasic(t *testing.T) *desired.State {
	t.Helper()
	ds, err := desired.Load("../examples/basic/menus.yaml")
	if err != nil {
		t.Fatal(err)
	}
	return ds
}

// stepSummary is a step result in comparable form.
type stepSummary struct {
	Action  plans.Action
	MenuID  string // the menuid a delete removes
	Outcome plans.Outcome
	Reread  bool
	Err     bool
}

func summarize(res *reconcile.ApplyResult) []stepSummary {
	var out []stepSummary
	for _, s := range res.Steps {
		out = append(out, stepSummary{s.Step.Action, s.Step.MenuID, s.Outcome, s.Reread, s.Err != nil})
	}
	return out
}

// demoIDs are the menuids of the seeded demo account's conditional menus.
type demoIDs struct{ vip, android, sex string }

func (a *account) demoIDs() demoIDs {
	a.t.Helper()
	var ids demoIDs
	for _, m := range a.emu.Menus().Conditional {
		switch {
		case m.MatchRule.TagID == "101":
			ids.vip = m.MenuID
		case m.MatchRule.ClientPlatformType == "2":
			ids.android = m.MenuID
		case m.MatchRule.Sex == "1":
			ids.sex = m.MenuID
		}
	}
	if ids.vip == "" || ids.android == "" || ids.sex == "" {
		a.t.Fatalf("demo account is not as expected: %+v", a.emu.Menus())
	}
	return ids
}

// basicSteps is the plan from the demo account to examples/basic: a changed
// default menu, staff created above the kept vip menu, and the android and
// dead sex menus deleted (newest first).
func basicSteps(ids demoIDs, outcome plans.Outcome) []stepSummary {
	return []stepSummary{
		{Action: plans.ActionCreateDefault, Outcome: outcome},
		{Action: plans.ActionAddConditional, Outcome: outcome},
		{Action: plans.ActionDelConditional, MenuID: ids.android, Outcome: outcome},
		{Action: plans.ActionDelConditional, MenuID: ids.sex, Outcome: outcome},
	}
}

// menuIDOf returns the menuid of the live conditional menu with tag id tag.
func (a *account) menuIDOf(tag string) string {
	a.t.Helper()
	var ids []string
	for _, m := range a.emu.Menus().Conditional {
		if m.MatchRule.TagID == tag {
			ids = append(ids, m.MenuID)
		}
	}
	if len(ids) != 1 {
		a.t.Fatalf("want exactly one menu for tag %s, have menuids %v", tag, ids)
	}
	return ids[0]
}

// allowAll grants every safety override.
var allowAll = reconcile.SafetyOptions{AllowEmpty: true, AllowDeleteAll: true, AllowProtected: true, AllowManyDeletes: true}

var extraButtons = []wechat.Button{{Type: "click", Name: "活动", Key: "PROMO"}}

func TestApplyConvergesDemoAccount(t *testing.T) {
	a := newAccount(t)
	ds := loadBasic(t)
	ids := a.demoIDs()
	p := a.plan(ds, reconcile.SafetyOptions{})
	if diff := cmp.Diff(map[string]int{"menu/create": 1, "menu/addconditional": 1, "menu/delconditional": 2}, p.Quota); diff != "" {
		t.Fatalf("plan quota (-want +got):\n%s", diff)
	}

	var progress []string
	before := a.emu.Calls()
	res, err := a.apply(p, ds, reconcile.ApplyOptions{Progress: func(ev reconcile.ProgressEvent) {
		s := string(ev.Step.Action) + " start"
		if ev.Result != nil {
			s = string(ev.Step.Action) + " " + string(ev.Result.Outcome)
		}
		if ev.Total != len(p.Steps) {
			s += " wrong total"
		}
		progress = append(progress, s)
	}})
	if err != nil {
		t.Fatalf("Apply: %v", err)
	}
	if diff := cmp.Diff(basicSteps(ids, plans.OutcomeDone), summarize(res)); diff != "" {
		t.Errorf("steps (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(planCalls(p, 2), a.callsSince(before)); diff != "" {
		t.Errorf("calls made by apply (-want +got):\n%s", diff)
	}
	if res.Reads != 2 {
		t.Errorf("Reads = %d, want 2 (before and after)", res.Reads)
	}
	if res.Done() != 4 {
		t.Errorf("Done() = %d, want 4", res.Done())
	}
	if got, want := res.Steps[1].MenuID, a.menuIDOf("102"); got != want {
		t.Errorf("create recorded menuid %q, the account has %q", got, want)
	}
	if got := res.Steps[1].MenuID; got == ids.vip || got == ids.android || got == ids.sex {
		t.Errorf("create recorded an old menuid %q", got)
	}
	if got := a.menuIDOf("101"); got != ids.vip {
		t.Errorf("kept vip menu has menuid %q, want the old %q", got, ids.vip)
	}
	wantProgress := []string{
		"create_default start", "create_default done",
		"add_conditional start", "add_conditional done",
		"del_conditional start", "del_conditional done",
		"del_conditional start", "del_conditional done",
	}
	if diff := cmp.Diff(wantProgress, progress); diff != "" {
		t.Errorf("progress events (-want +got):\n%s", diff)
	}
	a.checkConverged(ds)
}

func TestApplyWithNoChanges(t *testing.T) {
	a := newAccount(t)
	ds := loadBasic(t)
	if _, err := a.apply(a.plan(ds, reconcile.SafetyOptions{}), ds, reconcile.ApplyOptions{}); err != nil {
		t.Fatal(err)
	}
	p := a.plan(ds, reconcile.SafetyOptions{})
	before := a.emu.Calls()
	res, err := a.apply(p, ds, reconcile.ApplyOptions{})
	if err != nil {
		t.Fatalf("Apply of an empty plan: %v", err)
	}
	if len(res.Steps) != 0 || res.Reads != 2 {
		t.Errorf("got %d steps and %d reads, want 0 and 2", len(res.Steps), res.Reads)
	}
	if diff := cmp.Diff(map[string]int{"menu/get": 2}, a.callsSince(before)); diff != "" {
		t.Errorf("calls (-want +got):\n%s", diff)
	}
}

func TestApplyRefusesStalePlan(t *testing.T) {
	tests := []struct {
		name string
		// change runs between planning and applying and returns the apply
		// options to use.
		change func(t *testing.T, a *account, p *plans.Plan, ds *desired.State) reconcile.ApplyOptions
		// reads is the number of menu/get calls apply makes before refusing.
		reads      int
		wantReason string
	}{
		{
			name: "account changed after planning",
			change: func(t *testing.T, a *account, _ *plans.Plan, _ *desired.State) reconcile.ApplyOptions {
				if _, err := a.newClient().AddConditional(t.Context(), extraButtons, wechat.MatchRule{TagID: "103"}); err != nil {
					t.Fatal(err)
				}
				return reconcile.ApplyOptions{}
			},
			reads:      1,
			wantReason: "the account changed since the plan was made (or the plan was already applied)",
		},
		{
			name: "plan already applied",
			change: func(t *testing.T, a *account, p *plans.Plan, ds *desired.State) reconcile.ApplyOptions {
				if _, err := a.apply(p, ds, reconcile.ApplyOptions{}); err != nil {
					t.Fatalf("first apply: %v", err)
				}
				return reconcile.ApplyOptions{}
			},
			reads:      1,
			wantReason: "the account changed since the plan was made (or the plan was already applied)",
		},
		{
			name: "desired file changed",
			change: func(t *testing.T, _ *account, p *plans.Plan, ds *desired.State) reconcile.ApplyOptions {
				edited := loadBasic(t)
				edited.Conditional[0].Buttons[1].Key = "STAFF_ROTA_V2"
				p.DesiredFile = edited.Path // the same file, edited
				return reconcile.ApplyOptions{Desired: edited}
			},
			reads:      0, // the file is checked before the account is read
			wantReason: "../examples/basic/menus.yaml changed since the plan was made",
		},
		{
			name: "plan made for another file",
			change: func(t *testing.T, _ *account, p *plans.Plan, ds *desired.State) reconcile.ApplyOptions {
				edited := loadBasic(t)
				edited.Conditional[0].Buttons[1].Key = "STAFF_ROTA_V2"
				p.DesiredFile = "other/menus.yaml"
				return reconcile.ApplyOptions{Desired: edited}
			},
			reads:      0,
			wantReason: "the plan was made for other/menus.yaml, not ../examples/basic/menus.yaml",
		},
		{
			name: "plan for another account",
			change: func(t *testing.T, _ *account, p *plans.Plan, _ *desired.State) reconcile.ApplyOptions {
				p.AppID = "wxotheraccount01"
				return reconcile.ApplyOptions{}
			},
			reads:      0,
			wantReason: "the plan is for account wxotheraccount01, not " + testAppID,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := newAccount(t)
			ds := loadBasic(t)
			p := a.plan(ds, reconcile.SafetyOptions{})
			opts := tt.change(t, a, p, ds)
			menusBefore := a.emu.Menus()
			before := a.emu.Calls()

			res, err := a.apply(p, ds, opts)
			var stale *reconcile.StaleError
			if !errors.As(err, &stale) {
				t.Fatalf("Apply error = %v, want a *StaleError", err)
			}
			if stale.Reason != tt.wantReason {
				t.Errorf("reason = %q, want %q", stale.Reason, tt.wantReason)
			}
			if len(res.Steps) != 0 || res.Reads != tt.reads {
				t.Errorf("result has %d steps and %d reads, want 0 and %d", len(res.Steps), res.Reads, tt.reads)
			}
			if diff := cmp.Diff(planCalls(&plans.Plan{}, tt.reads), a.callsSince(before)); diff != "" {
				t.Errorf("calls made by a refused apply (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(menusBefore, a.emu.Menus()); diff != "" {
				t.Errorf("a refused apply changed the account (-before +after):\n%s", diff)
			}
		})
	}
}

func TestApplyRefusesUnusableInput(t *testing.T) {
	a := newAccount(t)
	ds := loadBasic(t)
	p := a.plan(ds, reconcile.SafetyOptions{})
	future := *p
	future.FormatVersion = plans.FormatVersion + 1
	tests := []struct {
		name string
		plan *plans.Plan
		opts reconcile.ApplyOptions
		want string
	}{
		{"no desired state", p, reconcile.ApplyOptions{AppID: testAppID}, "apply needs the desired state the plan was made from"},
		{"future format", &future, reconcile.ApplyOptions{AppID: testAppID, Desired: ds}, "plan format version 4 is not supported (want 3)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := a.emu.Calls()
			_, err := reconcile.Apply(t.Context(), a.client, tt.plan, tt.opts)
			if err == nil || err.Error() != tt.want {
				t.Fatalf("Apply error = %v, want %q", err, tt.want)
			}
			if diff := cmp.Diff(map[string]int{}, a.callsSince(before)); diff != "" {
				t.Errorf("calls (-want +got):\n%s", diff)
			}
		})
	}
}

// TestApplyResolvesLostResponse loses the response of every call to one
// endpoint after the emulator made the change: apply must re-read once per
// lost response, see that the change happened, and never send it again.
func TestApplyResolvesLostResponse(t *testing.T) {
	tests := []struct {
		endpoint string
		reread   []bool // per step of the basic plan
	}{
		{"menu/create", []bool{true, false, false, false}},
		{"menu/addconditional", []bool{false, true, false, false}},
		{"menu/delconditional", []bool{false, false, true, true}},
	}
	for _, tt := range tests {
		t.Run(tt.endpoint, func(t *testing.T) {
			a := newAccount(t)
			ds := loadBasic(t)
			ids := a.demoIDs()
			p := a.plan(ds, reconcile.SafetyOptions{})
			a.emu.SetFaults(wechattest.Faults{DropRate: 1, Endpoints: []string{tt.endpoint}})
			auditPath := filepath.Join(t.TempDir(), "audit.log")
			log, err := audit.Open(auditPath, "test")
			if err != nil {
				t.Fatal(err)
			}
			before := a.emu.Calls()

			res, err := a.apply(p, ds, reconcile.ApplyOptions{Audit: log})
			if err != nil {
				t.Fatalf("Apply: %v", err)
			}
			if err := log.Close(); err != nil {
				t.Fatal(err)
			}
			a.emu.SetFaults(wechattest.Faults{})
			want := basicSteps(ids, plans.OutcomeDone)
			rereads := 0
			for i, r := range tt.reread {
				want[i].Reread = r
				if r {
					rereads++
				}
			}
			if diff := cmp.Diff(want, summarize(res)); diff != "" {
				t.Errorf("steps (-want +got):\n%s", diff)
			}
			if res.Reads != 2+rereads {
				t.Errorf("Reads = %d, want %d", res.Reads, 2+rereads)
			}
			// Each step's call was sent exactly once: no duplicate.
			if diff := cmp.Diff(planCalls(p, 2+rereads), a.callsSince(before)); diff != "" {
				t.Errorf("calls (-want +got):\n%s", diff)
			}
			if got, want := res.Steps[1].MenuID, a.menuIDOf("102"); got != want {
				t.Errorf("create recorded menuid %q, the account has %q", got, want)
			}
			var audited []bool
			for _, r := range readAudit(t, auditPath) {
				if r.Event == "step" {
					audited = append(audited, r.Reread)
				}
			}
			if diff := cmp.Diff(tt.reread, audited); diff != "" {
				t.Errorf("reread flags in the audit log (-want +got):\n%s", diff)
			}
			a.checkConverged(ds)
		})
	}
}

// TestApplyResolvesLostDeleteAll loses menu/delete, a GET that is not
// idempotent: after the change (the re-read finds the account empty) or
// before it (the re-read finds the menus, and the call is resent once).
func TestApplyResolvesLostDeleteAll(t *testing.T) {
	tests := []struct {
		name string
		lose func(a *account)
		// requests is how many menu/delete requests reach the front door,
		// calls how many reach the account.
		requests, calls int
	}{
		{
			name:     "response lost after the change",
			lose:     func(a *account) { a.emu.SetFaults(wechattest.Faults{DropRate: 1, Endpoints: []string{"menu/delete"}}) },
			requests: 1, calls: 1,
		},
		{
			name:     "request lost before arrival",
			lose:     func(a *account) { a.front.loseNext("menu/delete", 1) },
			requests: 2, calls: 1,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := newAccount(t)
			ds := &desired.State{Path: "menus.yaml"}
			p := a.plan(ds, reconcile.SafetyOptions{AllowEmpty: true, AllowDeleteAll: true})
			if diff := cmp.Diff(map[string]int{"menu/delete": 1}, p.Quota); diff != "" {
				t.Fatalf("plan quota (-want +got):\n%s", diff)
			}
			tt.lose(a)
			sentBefore := a.front.requestsTo("menu/delete")
			before := a.emu.Calls()

			res, err := a.apply(p, ds, reconcile.ApplyOptions{})
			if err != nil {
				t.Fatalf("Apply: %v", err)
			}
			want := []stepSummary{{Action: plans.ActionDeleteAll, Outcome: plans.OutcomeDone, Reread: true}}
			if diff := cmp.Diff(want, summarize(res)); diff != "" {
				t.Errorf("steps (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(map[string]int{"menu/get": 3, "menu/delete": tt.calls}, a.callsSince(before)); diff != "" {
				t.Errorf("calls that reached the account (-want +got):\n%s", diff)
			}
			if got := a.front.requestsTo("menu/delete") - sentBefore; got != tt.requests {
				t.Errorf("%d menu/delete requests, want %d", got, tt.requests)
			}
			a.emu.SetFaults(wechattest.Faults{})
			a.checkConverged(ds)
		})
	}
}

// TestApplyResendsRequestLostBeforeArrival loses one delete before the
// emulator sees it: the re-read shows the change did not happen, so apply
// sends the call once more, and only once. (Creates are never re-sent; see
// TestApplyStopsAtUnknownCreate.)
func TestApplyResendsRequestLostBeforeArrival(t *testing.T) {
	tests := []struct {
		endpoint string
		step     int
	}{
		{"menu/delconditional", 2},
	}
	for _, tt := range tests {
		t.Run(tt.endpoint, func(t *testing.T) {
			a := newAccount(t)
			ds := loadBasic(t)
			ids := a.demoIDs()
			p := a.plan(ds, reconcile.SafetyOptions{})
			a.front.loseNext(tt.endpoint, 1)
			sentBefore := a.front.requestsTo(tt.endpoint)
			before := a.emu.Calls()

			res, err := a.apply(p, ds, reconcile.ApplyOptions{})
			if err != nil {
				t.Fatalf("Apply: %v", err)
			}
			want := basicSteps(ids, plans.OutcomeDone)
			want[tt.step].Reread = true
			if diff := cmp.Diff(want, summarize(res)); diff != "" {
				t.Errorf("steps (-want +got):\n%s", diff)
			}
			if res.Reads != 3 {
				t.Errorf("Reads = %d, want 3", res.Reads)
			}
			// The emulator saw each call once; the lost request is the one
			// extra request that reached the front door.
			if diff := cmp.Diff(planCalls(p, 3), a.callsSince(before)); diff != "" {
				t.Errorf("calls that reached the account (-want +got):\n%s", diff)
			}
			if got, want := a.front.requestsTo(tt.endpoint)-sentBefore, p.Quota[tt.endpoint]+1; got != want {
				t.Errorf("%d requests to %s, want %d (one lost, one resent)", got, tt.endpoint, want)
			}
			a.checkConverged(ds)
		})
	}
}

// TestApplyDelConditionalAlreadyGone has another operator delete a menu
// while apply runs, just before apply deletes it.
func TestApplyDelConditionalAlreadyGone(t *testing.T) {
	a := newAccount(t)
	ds := loadBasic(t)
	ids := a.demoIDs()
	p := a.plan(ds, reconcile.SafetyOptions{})
	other := a.newClient()
	res, err := a.apply(p, ds, reconcile.ApplyOptions{Progress: func(ev reconcile.ProgressEvent) {
		if ev.Result == nil && ev.Step.MenuID == ids.android {
			if err := other.DelConditional(t.Context(), ids.android); err != nil {
				t.Errorf("deleting from the other client: %v", err)
			}
		}
	}})
	if err != nil {
		t.Fatalf("Apply: %v", err)
	}
	want := basicSteps(ids, plans.OutcomeDone)
	want[2].Outcome = plans.OutcomeAlreadyDone
	if diff := cmp.Diff(want, summarize(res)); diff != "" {
		t.Errorf("steps (-want +got):\n%s", diff)
	}
	if res.Done() != 4 {
		t.Errorf("Done() = %d, want 4", res.Done())
	}
	a.checkConverged(ds)
}

func TestApplyStopsAtHardError(t *testing.T) {
	a := newAccount(t)
	ds := loadBasic(t)
	ids := a.demoIDs()
	p := a.plan(ds, reconcile.SafetyOptions{})
	a.emu.SetQuota("menu/delconditional", 0)
	auditPath := filepath.Join(t.TempDir(), "audit.log")
	log, err := audit.Open(auditPath, "test")
	if err != nil {
		t.Fatal(err)
	}
	before := a.emu.Calls()

	res, err := a.apply(p, ds, reconcile.ApplyOptions{Audit: log})
	if cerr := log.Close(); cerr != nil {
		t.Fatal(cerr)
	}
	var partial *reconcile.PartialError
	if !errors.As(err, &partial) {
		t.Fatalf("Apply error = %v, want a *PartialError", err)
	}
	if partial.Done != 2 || partial.Total != 4 {
		t.Errorf("PartialError reports %d of %d, want 2 of 4", partial.Done, partial.Total)
	}
	var apiErr *wechat.APIError
	if !errors.As(err, &apiErr) || apiErr.Code != 45009 {
		t.Errorf("error %v does not unwrap to errcode 45009", err)
	}
	want := basicSteps(ids, plans.OutcomeDone)
	want[2].Outcome, want[2].Err = plans.OutcomeFailed, true
	want[3].Outcome = plans.OutcomeNotRun
	if diff := cmp.Diff(want, summarize(res)); diff != "" {
		t.Errorf("steps (-want +got):\n%s", diff)
	}
	// No verification read after a failure; the failed call was made once.
	if diff := cmp.Diff(map[string]int{"menu/get": 1, "menu/create": 1, "menu/addconditional": 1, "menu/delconditional": 1}, a.callsSince(before)); diff != "" {
		t.Errorf("calls (-want +got):\n%s", diff)
	}

	records := readAudit(t, auditPath)
	var events []string
	for _, r := range records {
		events = append(events, r.Event)
	}
	if diff := cmp.Diff([]string{"apply_start", "intent", "step", "intent", "step", "intent", "step", "apply_failed"}, events); diff != "" {
		t.Errorf("audit events (-want +got):\n%s", diff)
	}
	if r := records[6]; r.Outcome != plans.OutcomeFailed || r.Errcode != 45009 || r.MenuIDBefore != ids.android || r.RequestID == "" {
		t.Errorf("failed step record = %+v, want outcome failed, errcode 45009, menuid_before %s and WeChat's request id", r, ids.android)
	}
	if r := records[7]; !strings.Contains(r.Error, "errcode 45009") || !strings.Contains(r.Error, "2 of 4") {
		t.Errorf("apply_failed error = %q, want the 45009 failure after 2 of 4 steps", r.Error)
	}
	checkNoSecrets(t, a, auditPath)

	// With the quota back, planning again finishes the job.
	quota := wechat.DailyQuotas()["menu/delconditional"]
	a.emu.SetQuota("menu/delconditional", quota)
	again := a.plan(ds, reconcile.SafetyOptions{})
	if diff := cmp.Diff(map[string]int{"menu/delconditional": 2}, again.Quota); diff != "" {
		t.Errorf("plan after the failure (-want +got):\n%s", diff)
	}
	if _, err := a.apply(again, ds, reconcile.ApplyOptions{}); err != nil {
		t.Fatalf("second Apply: %v", err)
	}
	a.checkConverged(ds)
}

// TestApplyReportsNotConverged has another operator add a menu right after
// apply's last step, so the verification read finds the account off.
func TestApplyReportsNotConverged(t *testing.T) {
	a := newAccount(t)
	ds := loadBasic(t)
	p := a.plan(ds, reconcile.SafetyOptions{})
	other := a.newClient()
	var extraID string
	res, err := a.apply(p, ds, reconcile.ApplyOptions{Progress: func(ev reconcile.ProgressEvent) {
		if ev.Result != nil && ev.Index == ev.Total-1 {
			id, err := other.AddConditional(t.Context(), extraButtons, wechat.MatchRule{TagID: "103"})
			if err != nil {
				t.Errorf("adding from the other client: %v", err)
			}
			extraID = id
		}
	}})
	var nc *reconcile.NotConvergedError
	if !errors.As(err, &nc) {
		t.Fatalf("Apply error = %v, want a *NotConvergedError", err)
	}
	if res.Done() != 4 || res.Reads != 2 {
		t.Errorf("Done() = %d, Reads = %d, want 4 and 2", res.Done(), res.Reads)
	}
	type remaining struct {
		Action plans.Action
		MenuID string
	}
	var got []remaining
	for _, s := range nc.Remaining.Steps {
		got = append(got, remaining{s.Action, s.MenuID})
	}
	if diff := cmp.Diff([]remaining{{plans.ActionDelConditional, extraID}}, got); diff != "" {
		t.Errorf("remaining steps (-want +got):\n%s", diff)
	}
	if want := "account did not converge: a new plan still has 1 steps"; err.Error() != want {
		t.Errorf("error = %q, want %q", err, want)
	}
}

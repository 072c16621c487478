package fleet_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/wxmenu/wxmenu/reconcile"
	"github.com/wxmenu/wxmenu/reconcile/account"
	"github.com/wxmenu/wxmenu/reconcile/fleet"
	"github.com/wxmenu/wxmenu/reconcile/plans"
	"github.com/wxmenu/wxmenu/reconcile/project"
	"github.com/wxmenu/wxmenu/wechat"
	"github.com/wxmenu/wxmenu/wechat/wechattest"
)

const (
	componentAppID  = "wxc0mp0nent0000001"
	componentSecret = "component-secret-for-tests-0001"
)

// testFleet is a project of n accounts (the last two platform
// authorizers) on one emulator over loopback HTTP, behind an effect
// recorder.
type testFleet struct {
	emu   *wechattest.Emulator
	rec   *wechattest.EffectRecorder
	proj  *project.Project
	env   map[string]string
	bases []string
	dir   string
}

func newTestFleet(t *testing.T, n int) *testFleet {
	t.Helper()
	tf := &testFleet{dir: t.TempDir(), env: map[string]string{}}
	menus, err := os.ReadFile("../../examples/basic/menus.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var cfg wechattest.Config
	var src strings.Builder
	src.WriteString("accounts:\n")
	for i := range n {
		appID, name := fmt.Sprintf("wx%016d", i+1), fmt.Sprintf("acct-%02d", i+1)
		secret := fmt.Sprintf("secret-of-account-%02d-0123456789", i+1)
		cfg.Accounts = append(cfg.Accounts, wechattest.AccountConfig{AppID: appID, Secret: secret})
		if err := os.WriteFile(filepath.Join(tf.dir, name+".yaml"), menus, 0o644); err != nil {
			t.Fatal(err)
		}
		if i >= n-2 {
			fmt.Fprintf(&src, "  - {name: %s, appid: %s, file: %s.yaml, platform: true}\n", name, appID, name)
			continue
		}
		env := strings.ToUpper(strings.ReplaceAll(name, "-", "_")) + "_SECRET"
		tf.env[env] = secret
		fmt.Fprintf(&src, "  - {name: %s, appid: %s, file: %s.yaml, secret_env: %s}\n", name, appID, name, env)
	}
	fmt.Fprintf(&src, "platform: {component_appid: %s, component_secret_env: CS, verify_ticket_env: VT}\n", componentAppID)
	cfg.Platform = &wechattest.PlatformConfig{ComponentAppID: componentAppID, ComponentSecret: componentSecret}
	cfg.Seed = 42
	tf.emu = wechattest.New(cfg)
	tf.emu.SeedDemoAll()
	tf.env["CS"], tf.env["VT"] = componentSecret, tf.emu.Ticket()
	tf.rec = wechattest.NewEffectRecorder(tf.emu)
	srv := httptest.NewServer(tf.rec)
	t.Cleanup(srv.Close)
	tf.bases = []string{srv.URL}
	path := filepath.Join(tf.dir, "wxmenu.yaml")
	if err := os.WriteFile(path, []byte(src.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	if tf.proj, err = project.Load(path); err != nil {
		t.Fatal(err)
	}
	return tf
}

func (tf *testFleet) options(t *testing.T, readOnly bool) fleet.Options {
	fl := account.Open(account.Spec{Project: tf.proj, APIBases: tf.bases, ReadOnly: readOnly,
		Getenv: func(k string) string { return tf.env[k] }, Options: []wechat.Option{wechat.WithRetry(6, time.Millisecond, 5*time.Millisecond)}})
	return fleet.Options{Accounts: tf.proj.Accounts, Parallel: 4, LockDir: filepath.Join(tf.dir, "locks"),
		Plan: reconcile.PlanOptions{MaxConditional: wechat.DefaultMaxConditional, Safety: reconcile.SafetyOptions{MaxDeletes: 10, MaxDeleteShare: 0.5}},
		Open: fl.Open}
}

func statuses(rep *fleet.Report) map[string]reconcile.Status {
	out := map[string]reconcile.Status{}
	for _, o := range rep.Outcomes {
		out[o.Name] = o.Result.Status
	}
	return out
}

// TestApplyAcrossFaults applies a fleet through busy answers and lost
// responses, with one account whose secret is wrong: every other account
// converges, the failed one is reported and unchanged, and no call took
// effect more often than its plan asked.
func TestApplyAcrossFaults(t *testing.T) {
	tf := newTestFleet(t, 10)
	tf.env["ACCT_03_SECRET"] = "a-wrong-secret-0123456789"
	broken := tf.emu.Account("wx0000000000000003").Menus()
	tf.emu.SetFaults(wechattest.Faults{BusyRate: 0.2, DropRate: 0.3})
	ctx := context.Background()
	for run := 0; run < 6; run++ {
		before := len(tf.rec.Effects())
		rep := fleet.Apply(ctx, tf.options(t, false), nil)
		planned := map[string]int{}
		for _, o := range rep.Outcomes {
			if o.Result.Plan != nil {
				for _, s := range o.Result.Plan.Steps {
					planned[o.AppID+" "+s.Action.Endpoint()]++
				}
			}
		}
		got := map[string]int{}
		for _, e := range tf.rec.Effects()[before:] {
			got[e.AppID+" "+e.Endpoint]++
		}
		for k, n := range got {
			if n > planned[k] {
				t.Errorf("run %d: %s took effect %d times, planned %d", run, k, n, planned[k])
			}
		}
		if s := statuses(rep)["acct-03"]; s != reconcile.StatusError {
			t.Errorf("run %d: acct-03 is %s, want error", run, s)
		}
	}
	tf.emu.SetFaults(wechattest.Faults{})
	rep := fleet.Plan(ctx, tf.options(t, true))
	want := map[string]reconcile.Status{}
	for _, a := range tf.proj.Accounts {
		want[a.Name] = reconcile.StatusNoChanges
	}
	want["acct-03"] = reconcile.StatusError
	if diff := cmp.Diff(want, statuses(rep)); diff != "" {
		t.Errorf("after the runs (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(broken, tf.emu.Account("wx0000000000000003").Menus()); diff != "" {
		t.Errorf("the failed account changed:\n%s", diff)
	}
	if got := rep.Summary(); got != "10 accounts: 9 no changes, 1 failed: acct-03 (40125)" {
		t.Errorf("summary %q", got)
	}
}

// TestSavedPlanRefusesStaleAccount: a saved fleet plan with one account
// changed since applies nothing and names it; SkipStale applies the rest.
func TestSavedPlanRefusesStaleAccount(t *testing.T) {
	tf := newTestFleet(t, 4)
	ctx := context.Background()
	rep := fleet.Plan(ctx, tf.options(t, true))
	path := filepath.Join(t.TempDir(), "plan.json")
	if _, err := rep.Save(path, tf.proj.Path, "test", time.Time{}); err != nil {
		t.Fatal(err)
	}
	saved, err := plans.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	// Someone changes acct-02 in the console.
	tf.emu.Account("wx0000000000000002").SeedMenus(wechat.MenuSet{Default: &wechat.Menu{Buttons: []wechat.Button{{Type: "click", Name: "x", Key: "X"}}}})
	before := len(tf.rec.Effects())
	rep = fleet.Apply(ctx, tf.options(t, false), saved)
	if n := len(tf.rec.Effects()) - before; n != 0 {
		t.Errorf("%d calls took effect; a stale account must hold the run back", n)
	}
	want := map[string]reconcile.Status{"acct-01": reconcile.StatusChanges, "acct-02": reconcile.StatusStale, "acct-03": reconcile.StatusChanges, "acct-04": reconcile.StatusChanges}
	if diff := cmp.Diff(want, statuses(rep)); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	held := slices.ContainsFunc(rep.Outcomes, func(o fleet.Outcome) bool { return o.Held != "" })
	if !held || rep.Worst().Name != "acct-02" {
		t.Errorf("held %v, worst %s", held, rep.Worst().Name)
	}
	opts := tf.options(t, false)
	opts.SkipStale = true
	rep = fleet.Apply(ctx, opts, saved)
	want = map[string]reconcile.Status{"acct-01": reconcile.StatusApplied, "acct-02": reconcile.StatusStale, "acct-03": reconcile.StatusApplied, "acct-04": reconcile.StatusApplied}
	if diff := cmp.Diff(want, statuses(rep)); diff != "" {
		t.Errorf("with SkipStale (-want +got):\n%s", diff)
	}
}

// TestBlockedAccountHoldsTheRun: a rail tripped on one account applies
// nothing anywhere.
func TestBlockedAccountHoldsTheRun(t *testing.T) {
	tf := newTestFleet(t, 3)
	if err := os.WriteFile(filepath.Join(tf.dir, "acct-01.yaml"), []byte("default:\n  button:\n    - {type: click, name: only, key: ONLY}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	rep := fleet.Apply(context.Background(), tf.options(t, false), nil)
	want := map[string]reconcile.Status{"acct-01": reconcile.StatusBlocked, "acct-02": reconcile.StatusChanges, "acct-03": reconcile.StatusChanges}
	if diff := cmp.Diff(want, statuses(rep)); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if len(tf.rec.Effects()) != 0 {
		t.Errorf("%d calls took effect", len(tf.rec.Effects()))
	}
	if got := rep.Summary(); got != "3 accounts: 2 held back (nothing applied), 0 no changes, 1 blocked: acct-01" {
		t.Errorf("summary %q", got)
	}
}

// inFlight counts the requests being served at once.
type inFlight struct {
	next    http.Handler
	mu      sync.Mutex
	now, hi int
}

func (f *inFlight) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	f.now++
	f.hi = max(f.hi, f.now)
	f.mu.Unlock()
	defer func() { f.mu.Lock(); f.now--; f.mu.Unlock() }()
	f.next.ServeHTTP(w, r)
}

// TestParallelIsABound: never more requests at once than accounts allowed
// to run at once.
func TestParallelIsABound(t *testing.T) {
	tf := newTestFleet(t, 12)
	tf.emu.SetFaults(wechattest.Faults{Latency: 2 * time.Millisecond})
	counter := &inFlight{next: tf.emu}
	srv := httptest.NewServer(counter)
	defer srv.Close()
	tf.bases = []string{srv.URL}
	opts := tf.options(t, true)
	opts.Parallel = 3
	rep := fleet.Plan(context.Background(), opts)
	for _, o := range rep.Outcomes {
		if o.Result.Status != reconcile.StatusChanges {
			t.Errorf("%s: %s %v", o.Name, o.Result.Status, o.Result.Err)
		}
	}
	if counter.hi > opts.Parallel {
		t.Errorf("%d requests at once, --parallel %d", counter.hi, opts.Parallel)
	}
	t.Logf("at most %d requests at once", counter.hi)
}

package watch_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/wxmenu/wxmenu/reconcile"
	"github.com/wxmenu/wxmenu/reconcile/notify"
	"github.com/wxmenu/wxmenu/reconcile/watch"
)

var t0 = time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC)

func TestStateUpdateAndUndo(t *testing.T) {
	s, err := watch.LoadState(filepath.Join(t.TempDir(), "none.json"))
	if err != nil {
		t.Fatal(err)
	}
	type step struct {
		status  string
		changed bool
		from    string
	}
	for i, st := range []step{
		{"in_sync", false, ""}, // first seen in sync: nothing to say
		{"in_sync", false, ""}, // unchanged
		{"changed_outside", true, "in_sync"},
		{"changed_outside", false, ""}, // still drifted: quiet
		{"console", true, "changed_outside"},
		{"in_sync", true, "console"}, // recovery
	} {
		c, changed := s.Update("shop", "wx1", st.status, "cause", t0.Add(time.Duration(i)*time.Hour))
		if changed != st.changed || c.From != st.from || (changed && c.To != st.status) {
			t.Errorf("step %d (%s): change %+v, %v; want changed=%v from %q", i, st.status, c, changed, st.changed, st.from)
		}
	}
	// A new account seen drifted is a change from nothing.
	if c, ok := s.Update("new", "wx2", "pending", "file changed", t0); !ok || c.From != "" {
		t.Errorf("first sight of a drifted account: %+v, %v", c, ok)
	}
	// Undo puts back what was there before the last Update.
	c, _ := s.Update("shop", "wx1", "error", "boom", t0.Add(9*time.Hour))
	s.Undo(c)
	if got := s.Accounts["shop"].Status; got != "in_sync" {
		t.Errorf("after Undo the status is %q, want in_sync", got)
	}
	c, _ = s.Update("brand-new", "wx3", "error", "boom", t0)
	s.Undo(c)
	if _, ok := s.Accounts["brand-new"]; ok {
		t.Error("Undo of a first sight left the account recorded")
	}
}

func TestStateFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "state.json")
	s, _ := watch.LoadState(path)
	s.Update("shop", "wx1", "pending", "file changed", t0)
	if err := s.Save(path); err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("state file mode %v, want 0600", fi.Mode().Perm())
	}
	again, err := watch.LoadState(path)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(s.Accounts, again.Accounts); diff != "" {
		t.Errorf("reloaded state (-saved +loaded):\n%s", diff)
	}
	for name, data := range map[string]string{
		"torn":    `{"format_version":1,"accounts":{"shop":`,
		"unknown": `{"format_version":1,"accounts":{},"extra":1}`,
		"version": `{"format_version":9,"accounts":{}}`,
	} {
		bad := filepath.Join(dir, name+".json")
		os.WriteFile(bad, []byte(data), 0o600)
		_, err := watch.LoadState(bad)
		var se *watch.StateError
		if !errors.As(err, &se) || !strings.Contains(err.Error(), name+".json: not a wxmenu drift state file") || !strings.Contains(se.ErrorHint(), "move "+bad+" away") {
			t.Errorf("%s: %v; want a StateError naming the file with a hint", name, err)
		}
	}
}

// receiver is a loopback webhook that records the changes posted to it.
type receiver struct {
	mu      sync.Mutex
	posts   [][]notify.Change
	failing bool
}

func (r *receiver) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.failing {
		http.Error(w, "down", http.StatusBadRequest)
		return
	}
	var body struct{ Changes []notify.Change }
	json.NewDecoder(req.Body).Decode(&body)
	r.posts = append(r.posts, body.Changes)
}

func (r *receiver) transitions() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []string
	for _, p := range r.posts {
		for _, c := range p {
			out = append(out, c.Account+":"+c.From+">"+c.To)
		}
	}
	return out
}

// TestRunNotifiesTransitionsAndPausesSelfHeal sweeps a changing world: it
// notifies changes only, heals a self-healing account, pauses it after
// MaxReverts reverts in a row, and serves metrics that follow.
func TestRunNotifiesTransitionsAndPausesSelfHeal(t *testing.T) {
	recv := &receiver{}
	hook := httptest.NewServer(recv)
	defer hook.Close()
	target, err := notify.ParseTarget(hook.URL)
	if err != nil {
		t.Fatal(err)
	}
	// What each sweep finds: shop drifts outside and is healed three
	// times in a row; brand is in sync, then pending.
	world := [][]reconcile.DriftStatus{
		{reconcile.DriftInSync, reconcile.DriftInSync},
		{reconcile.DriftChangedOutside, reconcile.DriftInSync},
		{reconcile.DriftChangedOutside, reconcile.DriftPending},
		{reconcile.DriftChangedOutside, reconcile.DriftPending},
		{reconcile.DriftChangedOutside, reconcile.DriftInSync},
	}
	sweep := 0
	heals := 0
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	state, _ := watch.LoadState(filepath.Join(t.TempDir(), "s.json"))
	metrics := watch.NewMetrics()
	opts := watch.Options{
		Interval: time.Millisecond,
		Sweep: func(context.Context) []watch.Checked {
			now := world[sweep]
			sweep++
			if sweep == len(world) {
				cancel() // this sweep finishes, none other starts
			}
			return []watch.Checked{
				{Account: "shop", AppID: "wx1", Drift: &reconcile.Drift{Status: now[0], Cause: "x"}, SelfHeal: true},
				{Account: "brand", AppID: "wx2", Drift: &reconcile.Drift{Status: now[1], Cause: "y"}},
			}
		},
		Heal:    func(context.Context, watch.Checked) error { heals++; return nil },
		State:   state,
		Notify:  []notify.Target{target},
		Metrics: metrics,
		Log:     slog.New(slog.NewTextHandler(io.Discard, nil)),
	}
	opts.Metrics = metrics
	if got := watch.Run(ctx, opts); got != watch.StatusPaused {
		t.Errorf("Run returned %q, want the last sweep's worst, paused", got)
	}
	if sweep != len(world) {
		t.Errorf("%d sweeps, want %d", sweep, len(world))
	}
	if heals != watch.MaxReverts {
		t.Errorf("healed %d times, want %d (then paused)", heals, watch.MaxReverts)
	}
	want := []string{
		"shop:in_sync>changed_outside",
		"brand:in_sync>pending",
		"shop:changed_outside>paused",
		"brand:pending>in_sync",
	}
	if diff := cmp.Diff(want, recv.transitions()); diff != "" {
		t.Errorf("notified (-want +got):\n%s", diff)
	}

	srv := httptest.NewServer(metrics.Handler())
	defer srv.Close()
	resp, err := http.Get(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	for _, line := range []string{
		`wxmenu_account_status{account="shop",status="paused"} 1`,
		`wxmenu_account_status{account="shop",status="in_sync"} 0`,
		`wxmenu_account_status{account="brand",status="in_sync"} 1`,
		`wxmenu_drift_detected_total{account="shop",kind="changed_outside"} 1`,
		`wxmenu_drift_detected_total{account="brand",kind="pending"} 1`,
		`wxmenu_sweep_duration_seconds `,
	} {
		if !strings.Contains(string(body), line) {
			t.Errorf("/metrics lacks %q", line)
		}
	}
}

// TestRunRetriesAFailedNotification: a change no target took is notified
// again on the next sweep.
func TestRunRetriesAFailedNotification(t *testing.T) {
	recv := &receiver{failing: true}
	hook := httptest.NewServer(recv)
	defer hook.Close()
	target, _ := notify.ParseTarget(hook.URL)
	state, _ := watch.LoadState(filepath.Join(t.TempDir(), "s.json"))
	opts := watch.Options{
		Once: true,
		Sweep: func(context.Context) []watch.Checked {
			return []watch.Checked{{Account: "shop", AppID: "wx1", Drift: &reconcile.Drift{Status: reconcile.DriftConsole, Cause: "c"}}}
		},
		State:  state,
		Notify: []notify.Target{target},
		Log:    slog.New(slog.NewTextHandler(io.Discard, nil)),
	}
	watch.Run(context.Background(), opts)
	recv.mu.Lock()
	recv.failing = false
	recv.mu.Unlock()
	watch.Run(context.Background(), opts)
	watch.Run(context.Background(), opts)
	if diff := cmp.Diff([]string{"shop:>console"}, recv.transitions()); diff != "" {
		t.Errorf("notified (-want +got):\n%s", diff)
	}
}

// TestRunStartsNoRevertWhenStopping: a sweep during which watch is told to
// stop records what it found but starts no revert, and no sweep follows.
func TestRunStartsNoRevertWhenStopping(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	sweeps, heals := 0, 0
	state, _ := watch.LoadState("")
	got := watch.Run(ctx, watch.Options{
		Interval: time.Millisecond,
		Sweep: func(calls context.Context) []watch.Checked {
			sweeps++
			cancel() // SIGTERM while the accounts are read
			if calls.Err() != nil {
				t.Error("the sweep's calls were cancelled with it")
			}
			return []watch.Checked{{Account: "shop", AppID: "wx1", Drift: &reconcile.Drift{Status: reconcile.DriftChangedOutside, Cause: "x"}, SelfHeal: true}}
		},
		Heal:  func(context.Context, watch.Checked) error { heals++; return nil },
		State: state,
		Log:   slog.New(slog.NewTextHandler(io.Discard, nil)),
	})
	if sweeps != 1 || heals != 0 || got != reconcile.DriftChangedOutside {
		t.Errorf("%d sweeps, %d reverts, worst %q; want 1 sweep, no revert, changed_outside recorded", sweeps, heals, got)
	}
}

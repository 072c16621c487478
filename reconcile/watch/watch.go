package watch

import (
	"context"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"time"

	"github.com/wxmenu/wxmenu/internal/i18n"
	"github.com/wxmenu/wxmenu/reconcile"
	"github.com/wxmenu/wxmenu/reconcile/notify"
)

// MaxReverts is how many sweeps in a row may revert a self-healing account
// before watch pauses it and alerts: something keeps changing it back, and
// people must decide who is right.
const MaxReverts = 3

// Checked is one account as a sweep found it.
type Checked struct {
	Account, AppID string
	Drift          *reconcile.Drift
	// Err is the error behind an error status (for the API error metric).
	Err error
	// SelfHeal is the account's self_heal: true.
	SelfHeal bool
}

// Options configure Run.
type Options struct {
	// Interval is the time between sweeps; each wait is shortened or
	// lengthened by up to a tenth at random, so that many watches (or many
	// hosts) do not sweep in step.
	Interval time.Duration
	// Once runs one sweep and returns.
	Once bool
	// Sweep checks every account: a plan run with read-only clients
	// judged by fleet.Report.Drift. Its context is never cancelled; once
	// Run's context is done it should start no other account and leave
	// out those it did not check.
	Sweep func(ctx context.Context) []Checked
	// Heal, when --self-heal is given, re-applies the state the account's
	// last apply left (from the audit log) through the rails; nil never
	// changes anything.
	Heal func(ctx context.Context, c Checked) error
	// State holds each account's last status; StatePath, if set, is
	// where it is saved after each sweep.
	State     *State
	StatePath string
	// Notify are the --notify targets, posted to on every change of
	// status, through Client.
	Notify []notify.Target
	// Printer words the notifications' chat text (nil: English).
	Printer *i18n.Printer
	Client  *http.Client
	Metrics *Metrics
	Log     *slog.Logger
	Now     func() time.Time
}

// Run sweeps until ctx is done (or once, with Once) and returns the worst
// status of the last sweep. When ctx is done during a sweep, the calls in
// flight finish (never abandoned half way) and nothing new starts: Sweep
// starts no other account (it watches ctx), no revert starts, and the
// accounts checked are recorded and notified as usual; no sweep follows.
func Run(ctx context.Context, opts Options) reconcile.DriftStatus {
	w := &watcher{Options: opts, reverts: map[string]int{}, paused: map[string]bool{}}
	for {
		worst := w.sweep(ctx)
		if opts.Once {
			return worst
		}
		wait := opts.Interval + time.Duration((rand.Float64()-0.5)*0.2*float64(opts.Interval))
		select {
		case <-ctx.Done():
			return worst
		case <-time.After(wait):
		}
	}
}

type watcher struct {
	Options
	reverts map[string]int  // sweeps in a row that reverted the account
	paused  map[string]bool // accounts self-heal gave up on until restart
}

func (w *watcher) now() time.Time {
	if w.Now != nil {
		return w.Now()
	}
	return time.Now()
}

// sweep checks every account once, heals those it may, records and
// notifies the changes, and returns the worst status.
func (w *watcher) sweep(stop context.Context) reconcile.DriftStatus {
	start := w.now()
	ctx := context.WithoutCancel(stop) // the calls of a sweep are never cut off
	checked := w.Sweep(ctx)
	counts := map[reconcile.DriftStatus]int{}
	worst := reconcile.DriftInSync
	for i, c := range checked {
		status, cause := w.heal(stop, c)
		d := *c.Drift
		d.Status, d.Cause = status, cause
		checked[i].Drift = &d
		counts[status]++
		worst = Worse(worst, status)
	}
	changes, errs := Track(ctx, w.State, checked, w.Notify, w.Printer, w.Client, w.now())
	for _, err := range errs {
		w.Log.Error("notification failed", "error", err)
	}
	changed := map[string]notify.Change{}
	for _, c := range changes {
		changed[c.Account] = c
		w.Log.Warn("status changed", "account", c.Account, "from", c.From, "to", c.To, "cause", c.Summary)
	}
	if w.Metrics != nil {
		for _, c := range checked {
			_, ok := changed[c.Account]
			w.Metrics.observe(c.Account, c.Drift.Status, ok, c.Err, w.now())
		}
	}
	if w.StatePath != "" {
		if err := w.State.Save(w.StatePath); err != nil {
			w.Log.Error("saving the state", "file", w.StatePath, "error", err)
		}
	}
	took := w.now().Sub(start)
	if w.Metrics != nil {
		w.Metrics.sweepDuration.Set(took.Seconds())
	}
	args := []any{"accounts", len(checked), "changes", len(changes), "duration", took.Round(time.Millisecond)}
	for _, s := range Statuses {
		if counts[s] > 0 {
			args = append(args, string(s), counts[s])
		}
	}
	w.Log.Info("sweep", args...)
	return worst
}

// heal reverts an account that may self-heal and drifted, and says what
// its status is after: in sync when the revert converged, paused after
// MaxReverts reverts in a row.
// A revert starts only while stop is not done; once started it runs to the
// end.
func (w *watcher) heal(stop context.Context, c Checked) (reconcile.DriftStatus, string) {
	d := c.Drift
	drifted := d.Status == reconcile.DriftChangedOutside || d.Status == reconcile.DriftConsole
	switch {
	case !drifted:
		if !w.paused[c.Account] {
			w.reverts[c.Account] = 0
		}
		return d.Status, d.Cause
	case w.Heal == nil || !c.SelfHeal:
		return d.Status, d.Cause
	case w.paused[c.Account]:
		return StatusPaused, pausedCause
	case stop.Err() != nil:
		return d.Status, d.Cause // stopping: no revert starts
	}
	if err := w.Heal(context.WithoutCancel(stop), c); err != nil {
		w.Log.Error("self-heal failed", "account", c.Account, "error", err)
		return d.Status, d.Cause + "; self-heal failed: " + err.Error()
	}
	w.reverts[c.Account]++
	w.Log.Warn("self-healed", "account", c.Account, "was", string(d.Status), "reverts_in_a_row", w.reverts[c.Account])
	if w.reverts[c.Account] >= MaxReverts {
		w.paused[c.Account] = true
		return StatusPaused, pausedCause
	}
	// The status stays the drift found, so the change is notified; the
	// next sweep finds the account in sync and notifies the recovery.
	return d.Status, fmt.Sprintf("%s; self-heal reverted it to the state the last apply left (%d in a row)", d.Cause, w.reverts[c.Account])
}

var pausedCause = fmt.Sprintf("self-heal paused: reverted %d times in a row and changed again each time; find out who changes it, then restart watch to heal it again", MaxReverts)

// Track records each checked account's status in state and posts the
// changes (a status other than the recorded one) to every target, in one
// message a target. A change some target did not take is undone in state,
// so the next run or sweep posts it again (and none is returned); the
// delivery errors are for the caller to report, never in place of the
// result. The chat messages are worded by tr (nil: English), the JSON
// body always in English.
func Track(ctx context.Context, state *State, checked []Checked, targets []notify.Target, tr *i18n.Printer, client *http.Client, now time.Time) ([]notify.Change, []error) {
	var changes []notify.Change
	for _, c := range checked {
		if change, ok := state.Update(c.Account, c.AppID, string(c.Drift.Status), c.Drift.Cause, now); ok {
			if tr.Chinese() {
				change.Words = c.Drift.CauseIn(tr)
			}
			changes = append(changes, change)
		}
	}
	if len(changes) == 0 {
		return nil, nil
	}
	var errs []error
	for _, t := range targets {
		if err := notify.Send(ctx, client, t.In(tr), changes); err != nil {
			errs = append(errs, err)
		}
	}
	if len(errs) > 0 {
		for _, c := range changes {
			state.Undo(c)
		}
		return nil, errs // not recorded: counted and logged when posted
	}
	return changes, nil
}

// Worse is the worse of two statuses for the exit code: error, then any
// drift, then in sync.
func Worse(a, b reconcile.DriftStatus) reconcile.DriftStatus {
	rank := func(s reconcile.DriftStatus) int {
		switch s {
		case reconcile.DriftInSync:
			return 0
		case reconcile.DriftError:
			return 2
		}
		return 1
	}
	if rank(b) > rank(a) {
		return b
	}
	return a
}

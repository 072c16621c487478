package fleet

import (
	"context"
	"errors"
	"fmt"
	"github.com/wxmenu/wxmenu/internal/errtext"
	"io"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/wxmenu/wxmenu/internal/atomicfile"
	"github.com/wxmenu/wxmenu/internal/i18n"
	"github.com/wxmenu/wxmenu/reconcile"
	"github.com/wxmenu/wxmenu/reconcile/audit"
	"github.com/wxmenu/wxmenu/reconcile/desired"
	"github.com/wxmenu/wxmenu/reconcile/plans"
	"github.com/wxmenu/wxmenu/reconcile/project"
	"github.com/wxmenu/wxmenu/reconcile/snapshot"
	"github.com/wxmenu/wxmenu/wechat"
)

// DefaultParallel is how many accounts run at once by default. WeChat
// limits calls per account, not per caller, so the bound is about the
// runner (sockets, memory: one plan per account in flight) and the token
// services behind token_command and the platform's component endpoints.
// 16 keeps a CI runner and a modest token service comfortable while a
// fleet of 1,000 accounts at 50 ms per round trip plans in seconds.
const DefaultParallel = 16

// Options configure a fleet run.
type Options struct {
	// Accounts are the selected accounts, in project order (one unnamed
	// account for a menus file, -f).
	Accounts []project.Account
	// Open opens one account's client (account.Opener.Open).
	Open func(ctx context.Context, a project.Account) (*wechat.Client, error)
	// Parallel bounds the accounts run at once; 0 is DefaultParallel.
	Parallel int
	// Plan are the plan options of every account (DesiredFile is set per
	// account); apply judges a plan again with the same rails and cap.
	Plan reconcile.PlanOptions
	// LockDir, LockWait, AuditPath and ToolVersion are every account's
	// Session settings.
	LockDir     string
	LockWait    time.Duration
	AuditPath   string
	ToolVersion string
	// SkipStale applies the fresh accounts of a saved plan even when
	// others are stale or blocked (those are reported, not applied).
	SkipStale bool
	// ReplaceFiles lets Export (and Bootstrap) replace an account's file
	// that exists (export --force).
	ReplaceFiles bool
	// Authorizers lists the platform's authorizers (Bootstrap's callers).
	Authorizers func(ctx context.Context) ([]wechat.Authorizer, error)
	// Live, if set, is the snapshot every account is planned from instead
	// of a read of it (plan --live): Plan opens no account and makes no
	// call, and the plans say so. LivePath is its file as given.
	Live     *snapshot.File
	LivePath string
	// Restore, if set, is the apply whose state (from the audit log) is
	// the desired state of every account instead of its file (plan
	// --restore); the accounts' Path is its label, reconcile.RestorePrefix
	// and its ID.
	Restore *audit.Apply
	// Show, if set, is given apply's report once every account was
	// planned (or its saved plan checked) and judged, before anything is
	// held back, asked or applied.
	Show func(*Report)
	// Confirm, if set, is asked once, after Show, when accounts have
	// changes and nothing holds the run back; false declines.
	Confirm func(*Report) bool
	// Progress, if set, receives every step of every account's apply.
	Progress func(a project.Account, ev reconcile.ProgressEvent)
	// Waves are the names of the project's rollout waves in the order
	// they apply (project.Rollout.Names); each account's Wave is one of
	// them. None: every account is in one wave.
	Waves []string
	// LastWave, if set, is the wave apply stops after (apply --wave): the
	// accounts of later waves are reported as not started.
	LastWave string
}

// Outcome is what happened to one account.
type Outcome struct {
	Name, AppID, File string
	// Wave is the account's rollout wave ("" without rollout:); Mode its
	// mode (enforce, observe or paused; "" is enforce).
	Wave   string
	Mode   project.Mode
	Result *reconcile.Result
	// Held says why an account with changes was not applied (another
	// account held the run back, or its wave was not started); ""
	// otherwise.
	Held string
	// NotStarted is set when Held is because the account's wave did not
	// start: an earlier wave failed, or apply --wave stopped before it.
	NotStarted bool
	// AlreadyApplied is set for an account of a saved project plan that
	// an earlier run of the plan applied (apply --wave): no changes.
	AlreadyApplied bool
}

// en words the prose a report holds in English, as its JSON document
// holds it (Outcome.Held, Summary): each sentence a message of the
// catalogue, which a reader's language rewords (render).
var en *i18n.Printer

// HeldSeparator joins the clauses of Outcome.Held.
const HeldSeparator = "; "

// Observed reports whether the account is planned and never applied
// (mode: observe).
func (o Outcome) Observed() bool { return o.Mode == project.ModeObserve }

// Report is a fleet run's outcomes, in the order of Options.Accounts.
type Report struct {
	Outcomes []Outcome
	// Applying is true for apply (statuses then mean what apply did).
	Applying bool
	// Waves are the rollout's waves in order (Options.Waves); Stopped is
	// the wave whose failure stopped the rollout, "" when none did.
	Waves   []string
	Stopped string
}

// outcome is account a's outcome before anything ran.
func outcome(a project.Account) Outcome {
	return Outcome{Name: a.Name, AppID: a.AppID, File: a.Path, Wave: a.Wave, Mode: a.Mode}
}

// paused is the result of an account the project pauses: not read.
func paused() *reconcile.Result { return &reconcile.Result{Status: reconcile.StatusPaused} }

// session is account a's session, its client not yet opened; log is the
// run's one audit log.
func (o *Options) session(a project.Account, log *audit.Log) *reconcile.Session {
	return &reconcile.Session{AppID: a.AppID, Account: a.Name, LockDir: o.LockDir, LockWait: o.LockWait,
		Audit: log, ToolVersion: o.ToolVersion}
}

// applyOptions are apply's options for an account whose file holds ds: the
// cap and rail thresholds plan was given, so the re-derivation judges as
// plan did.
func (o *Options) applyOptions(a project.Account, ds *desired.State) reconcile.ApplyOptions {
	opts := reconcile.ApplyOptions{AppID: a.AppID, Desired: ds, MaxConditional: o.Plan.MaxConditional, Safety: o.Plan.Safety}
	if o.Progress != nil {
		opts.Progress = func(ev reconcile.ProgressEvent) { o.Progress(a, ev) }
	}
	return opts
}

// load is account a's desired state: its file or its template rendered
// (project.Account.Desired), or the state to restore.
func (o *Options) load(ctx context.Context, a project.Account) (*desired.State, error) {
	if o.Restore != nil {
		return reconcile.RestoredState(o.Restore)
	}
	return a.Desired(ctx)
}

// each runs f for the index of every account, at most Parallel (or
// DefaultParallel) at a time.
func (o *Options) each(f func(i int)) {
	all := make([]int, len(o.Accounts))
	for i := range all {
		all[i] = i
	}
	o.eachOf(all, f)
}

// eachOf runs f for each index of indices, as each does.
func (o *Options) eachOf(indices []int, f func(i int)) {
	n := o.Parallel
	if n <= 0 {
		n = DefaultParallel
	}
	sem := make(chan struct{}, n)
	var wg sync.WaitGroup
	for _, i := range indices {
		sem <- struct{}{}
		wg.Go(func() {
			defer func() { <-sem }()
			f(i)
		})
	}
	wg.Wait()
}

// Plan plans every account, reading them in parallel. Nothing is changed:
// Open should give read-only clients.
func Plan(ctx context.Context, opts Options) *Report {
	rep := &Report{Outcomes: make([]Outcome, len(opts.Accounts)), Waves: opts.Waves}
	opts.each(func(i int) {
		a := opts.Accounts[i]
		rep.Outcomes[i] = outcome(a)
		if a.Mode == project.ModePaused {
			rep.Outcomes[i].Result = paused()
			return
		}
		rep.Outcomes[i].Result, _, _ = planOne(ctx, &opts, a, opts.session(a, nil))
	})
	return rep
}

// planOne loads an account's file, opens the account in s and plans.
// loaded is false when the menus file could not be loaded.
func planOne(ctx context.Context, opts *Options, a project.Account, s *reconcile.Session) (r *reconcile.Result, ds *desired.State, loaded bool) {
	ds, err := opts.load(ctx, a)
	if err != nil {
		return reconcile.Failed(nil, err), nil, false
	}
	po := opts.Plan
	po.DesiredFile = a.Path
	if opts.Live != nil {
		entry, err := opts.Live.For(a.Name, a.AppID)
		if err != nil {
			return reconcile.Failed(nil, err), nil, true
		}
		s.AppID, po.Snapshot = entry.AppID, opts.Live.Source(opts.LivePath, entry)
		return s.PlanRead(entry.Read(), ds, po), ds, true
	}
	api, err := opts.Open(ctx, a)
	if err != nil {
		return reconcile.Failed(nil, err), nil, true
	}
	s.Client = api
	return s.Plan(ctx, ds, po), ds, true
}

// pending is one account between apply's two phases.
type pending struct {
	session *reconcile.Session
	ds      *desired.State
	plan    *plans.Plan
	live    *wechat.MenuSet // the read phase 1 judged the plan against
	reads   int             // the reads of phase 1 that were apply's (a saved plan's check)
	locked  error           // why the account's lock was not taken
	// unjudged is set when the account's own input kept phase 1 from
	// judging it: its menus file did not load, or another apply holds its
	// lock. Unlike an account that cannot be reached, it holds the run.
	unjudged bool
	// paused: the project pauses the account, which is neither locked
	// nor read. done: a saved project plan found it already applied.
	paused, done bool
}

// Apply plans (or, with saved, checks) every account, judges every rail,
// and only then applies the accounts with changes, in parallel.
func Apply(ctx context.Context, opts Options, saved *plans.File) *Report {
	// One writer for the audit file: every account records through it, and
	// once a write fails no account makes another call.
	log, err := reconcile.OpenAudit(opts.AuditPath, opts.ToolVersion)
	rep := &Report{Outcomes: make([]Outcome, len(opts.Accounts)), Applying: true, Waves: opts.Waves}
	work := make([]*pending, len(opts.Accounts))
	savedPlans := map[string]plans.AccountPlan{}
	if saved != nil {
		for _, fa := range saved.Accounts {
			savedPlans[fa.Name] = fa
		}
	}
	for i, a := range opts.Accounts {
		rep.Outcomes[i] = outcome(a)
		if savedPlans[a.Name].Mode == string(project.ModeObserve) && a.Mode != project.ModePaused {
			// Reviewed as observed: never applied, whatever the project says now.
			rep.Outcomes[i].Mode = project.ModeObserve
		}
		switch {
		case err != nil: // no audit log, no account
			rep.Outcomes[i].Result = reconcile.Failed(nil, err)
		case a.Mode == project.ModePaused:
			rep.Outcomes[i].Result = paused()
		}
		work[i] = &pending{session: opts.session(a, log), paused: a.Mode == project.ModePaused}
	}
	if err != nil {
		return rep
	}
	defer log.Close()
	defer func() {
		for _, w := range work {
			w.session.Unlock()
		}
	}()
	// The locks are taken one by one in one global order (the lock's name),
	// so two runs over the same accounts never each hold a lock the other
	// waits for, whatever order their projects list them in.
	byLock := slices.SortedFunc(slices.Values(work), func(v, w *pending) int {
		return strings.Compare(v.session.LockName(), w.session.LockName())
	})
	for _, w := range byLock {
		if !w.paused {
			w.locked = w.session.Lock(ctx)
		}
	}
	// Phase 1: plan, or check the saved plan, of every account: re-derived
	// and judged by the rails with the run's thresholds.
	opts.each(func(i int) {
		a, w := opts.Accounts[i], work[i]
		var r *reconcile.Result
		switch {
		case w.paused:
			return
		case w.locked != nil:
			r, w.unjudged = reconcile.Failed(savedPlans[a.Name].Plan, w.locked), true
		case saved == nil:
			var loaded bool
			r, w.ds, loaded = planOne(ctx, &opts, a, w.session)
			w.unjudged = !loaded
			if r.Status == reconcile.StatusChanges {
				w.plan, w.live = r.Plan, r.Live
			}
		case saved.Project != "" && !slices.Equal(saved.Waves, opts.Waves):
			r = reconcile.Failed(savedPlans[a.Name].Plan, &reconcile.StaleError{Reason: fmt.Sprintf("the project's rollout waves changed since the plan was made (%s, now %s)",
				strings.Join(saved.Waves, ", "), strings.Join(opts.Waves, ", "))})
		case saved.Project != "" && savedPlans[a.Name].Plan != nil && savedPlans[a.Name].Wave != a.Wave:
			// The waves are part of what was reviewed: which accounts go
			// first, and which apply --wave touches.
			r = reconcile.Failed(savedPlans[a.Name].Plan, &reconcile.StaleError{Reason: fmt.Sprintf("account %s's rollout wave changed since the plan was made (%s, now %s)",
				a.Name, savedPlans[a.Name].Wave, a.Wave)})
		default:
			r = checkSaved(ctx, &opts, a, savedPlans[a.Name].Plan, saved.Project != "", w)
			rep.Outcomes[i].AlreadyApplied = w.done
		}
		rep.Outcomes[i].Result = r
		if rep.Outcomes[i].Observed() {
			// Planned and judged for the review, never applied, and no
			// reason to hold the others back.
			w.plan, w.unjudged = nil, false
			if r.Status == reconcile.StatusChanges {
				rep.Outcomes[i].Held = en.Msg("not applied: %s", en.Msg("the account is observed (mode: observe): planned and drift-checked, never applied"))
			}
		}
	})
	if opts.Show != nil {
		opts.Show(rep)
	}
	// Every rail judged: is the run held back?
	var unjudged []string
	for i, w := range work {
		if w.unjudged {
			unjudged = append(unjudged, rep.Outcomes[i].Name)
		}
	}
	if !(opts.SkipStale && saved != nil) && rep.hold(unjudged) {
		return rep
	}
	asked := opts.Confirm != nil && rep.toApply()
	if asked && !opts.Confirm(rep) {
		for i := range rep.Outcomes {
			if r := rep.Outcomes[i].Result; r.Status == reconcile.StatusChanges && !rep.Outcomes[i].Observed() {
				rep.Outcomes[i].Result = reconcile.Failed(r.Plan, reconcile.ErrDeclined)
			}
		}
		return rep
	}
	// Phase 2: apply the accounts with changes, in parallel, wave after
	// wave (rollout.go). With one account nothing ran between its read and
	// now (no other account was planned, nobody was asked), so apply
	// starts from that read; with many, each is read again, as time passed
	// since.
	reuse := len(work) == 1 && !asked
	rep.inWaves(&opts, func(wave []int) {
		opts.eachOf(wave, func(i int) {
			w := work[i]
			if w.plan == nil || rep.Outcomes[i].Result.Status != reconcile.StatusChanges {
				return
			}
			ao := opts.applyOptions(opts.Accounts[i], w.ds)
			if reuse {
				ao.Live = w.live
			}
			r := w.session.Apply(ctx, w.plan, ao)
			r.Applied.Reads += w.reads
			rep.Outcomes[i].Result = r
		})
	})
	return rep
}

// checkSaved checks one account of a saved plan against its file and
// a fresh read of the account exactly as apply will (reconcile.Check),
// without changing anything. A plan for another account, or for its file
// as it was, is refused before the account is read. An account of a
// project's plan (inProject) that the account already matches, applied by
// an earlier run of the plan (apply --wave), is done: no changes.
func checkSaved(ctx context.Context, opts *Options, a project.Account, p *plans.Plan, inProject bool, w *pending) *reconcile.Result {
	if p == nil {
		return reconcile.Failed(nil, &reconcile.StaleError{Reason: fmt.Sprintf("the saved plan has no plan for account %s", a.Name)})
	}
	ds, err := opts.load(ctx, a)
	if err != nil {
		w.unjudged = true
		return reconcile.Failed(p, err)
	}
	ao := opts.applyOptions(a, ds)
	if err := reconcile.CheckOffline(p, ao); err != nil {
		return reconcile.Failed(p, err) // no call: not even the account's token
	}
	api, err := opts.Open(ctx, a)
	if err != nil {
		return reconcile.Failed(p, err)
	}
	w.session.Client = api
	live, err := api.GetMenu(ctx)
	if err != nil {
		return reconcile.Failed(p, &reconcile.ReadError{Err: err})
	}
	if err := reconcile.Check(live, p, ao); err != nil {
		if inProject && reconcile.AlreadyApplied(live, p, ao) {
			// An earlier run of this plan applied it (apply --wave):
			// done, nothing left to do.
			w.done = true
			return &reconcile.Result{Status: reconcile.StatusNoChanges, Live: live}
		}
		return reconcile.Failed(p, err)
	}
	w.ds, w.plan, w.live, w.reads = ds, p, live, 1
	return &reconcile.Result{Status: reconcile.Classify(p, nil, false), Plan: p, Live: live}
}

// hold holds the run back (nothing applied) when an account is blocked
// or stale, or could not be judged (unjudged: its menus file or its lock):
// every account with changes says why, naming them. It reports whether it
// held the run.
func (r *Report) hold(unjudged []string) bool {
	var parts []string
	if names := r.enforced(reconcile.StatusBlocked); len(names) > 0 {
		parts = append(parts, en.Msg("blocked by a safety rail: %s", strings.Join(names, ", ")))
	}
	if names := r.enforced(reconcile.StatusStale); len(names) > 0 {
		parts = append(parts, en.Msg("stale: %s", strings.Join(names, ", ")))
	}
	if len(unjudged) > 0 {
		parts = append(parts, en.Msg("not judged (menus file or lock): %s", strings.Join(unjudged, ", ")))
	}
	if len(parts) == 0 {
		return false
	}
	for i := range r.Outcomes {
		if r.Outcomes[i].Result.Status == reconcile.StatusChanges && !r.Outcomes[i].Observed() {
			r.Outcomes[i].Held = en.Msg("not applied: %s", strings.Join(parts, HeldSeparator))
		}
	}
	return true
}

// names are the names of the accounts with status s.
func (r *Report) names(s reconcile.Status) []string {
	var out []string
	for _, o := range r.Outcomes {
		if o.Result.Status == s {
			out = append(out, o.Name)
		}
	}
	return out
}

// enforced are the names of the accounts with status s that apply
// applies (not observed).
func (r *Report) enforced(s reconcile.Status) []string {
	var out []string
	for _, o := range r.Outcomes {
		if o.Result.Status == s && !o.Observed() {
			out = append(out, o.Name)
		}
	}
	return out
}

// HasChanges reports whether any account has changes not yet applied.
func (r *Report) HasChanges() bool { return len(r.names(reconcile.StatusChanges)) > 0 }

// toApply reports whether apply has changes to make: an account with
// changes that is not observed.
func (r *Report) toApply() bool { return len(r.enforced(reconcile.StatusChanges)) > 0 }

// severity orders statuses from harmless to most severe: an account left
// half-changed beats a failure, which beats a refusal.
func severity(o Outcome) int {
	r := o.Result
	switch r.Status {
	case reconcile.StatusNoChanges, reconcile.StatusApplied, reconcile.StatusPaused:
		return 0
	case reconcile.StatusChanges: // held back or not, nothing was changed
		return 1
	case reconcile.StatusDeclined:
		return 2
	case reconcile.StatusStale:
		return 3
	case reconcile.StatusBlocked:
		return 4
	case reconcile.StatusPartial, reconcile.StatusNotConverged:
		if r.Unchanged() {
			return 5
		}
		return 6
	}
	return 5
}

// Worst is the most severe outcome (the first of equals), which decides
// the exit code; nil for an empty report. An observed account's rail or
// staleness is no outcome of the run: it is never applied.
func (r *Report) Worst() *Outcome {
	var worst *Outcome
	for i := range r.Outcomes {
		if s := r.Outcomes[i].Result.Status; r.Outcomes[i].Observed() && (s == reconcile.StatusBlocked || s == reconcile.StatusStale) {
			continue
		}
		if worst == nil || severity(r.Outcomes[i]) > severity(*worst) {
			worst = &r.Outcomes[i]
		}
	}
	return worst
}

// Summary is the run in one line, e.g. "40 accounts: 3 with changes, 36
// no changes, 1 failed: brand-x (61004)": in English, as the JSON report
// holds it.
func (r *Report) Summary() string { return r.SummaryIn(nil) }

// SummaryIn is Summary worded by tr (nil: English).
func (r *Report) SummaryIn(tr *i18n.Printer) string {
	return tr.Msg("%d accounts: %s", len(r.Outcomes), tr.List(summarize(tr, r.Outcomes, r.Applying)))
}

// summarize counts outcomes for Summary and the waves' lines, worded by
// tr (nil: English): how many applied, have changes, were held back or
// not started, have none, and which are observed, paused, blocked, stale
// or failed.
func summarize(tr *i18n.Printer, outcomes []Outcome, applying bool) []string {
	var applied, changes, held, notStarted, none, done int
	var failed, observed, paused, blocked, stale []string
	for _, o := range outcomes {
		switch s := o.Result.Status; {
		case s == reconcile.StatusPaused:
			paused = append(paused, o.Name)
		case o.Observed() && s == reconcile.StatusChanges:
			observed = append(observed, o.Name)
		case s == reconcile.StatusBlocked:
			blocked = append(blocked, o.Name)
		case s == reconcile.StatusStale:
			stale = append(stale, o.Name)
		case s == reconcile.StatusApplied:
			applied++
		case s == reconcile.StatusChanges && o.NotStarted:
			notStarted++
		case s == reconcile.StatusChanges && o.Held != "":
			held++
		case s == reconcile.StatusChanges:
			changes++
		case s == reconcile.StatusNoChanges && o.AlreadyApplied:
			done++
		case s == reconcile.StatusNoChanges:
			none++
		default: // named with the WeChat errcode, or the status
			why := strings.ReplaceAll(string(s), "_", " ")
			if ae := (*wechat.APIError)(nil); errors.As(o.Result.Err, &ae) {
				why = fmt.Sprint(ae.Code)
			}
			failed = append(failed, fmt.Sprintf("%s (%s)", o.Name, why))
		}
	}
	var parts []string
	if applied > 0 {
		parts = append(parts, tr.Msg("%s applied", strconv.Itoa(applied)))
	}
	if changes > 0 {
		parts = append(parts, tr.Msg("%s with changes", strconv.Itoa(changes)))
	}
	if held > 0 {
		parts = append(parts, tr.Msg("%s held back (nothing applied)", strconv.Itoa(held)))
	}
	if notStarted > 0 {
		parts = append(parts, tr.Msg("%s not started (a later wave)", strconv.Itoa(notStarted)))
	}
	if done > 0 {
		parts = append(parts, tr.Msg("%s already applied by an earlier run of the plan", strconv.Itoa(done)))
	}
	parts = append(parts, tr.Msg("%s no changes", strconv.Itoa(none)))
	if len(observed) > 0 {
		if applying {
			parts = append(parts, tr.Msg("%s observed with changes, never applied (mode: observe): %s", strconv.Itoa(len(observed)), tr.List(observed)))
		} else {
			parts = append(parts, tr.Msg("%s observed with changes (mode: observe): %s", strconv.Itoa(len(observed)), tr.List(observed)))
		}
	}
	if len(paused) > 0 {
		parts = append(parts, tr.Msg("%s paused, not read (mode: paused): %s", strconv.Itoa(len(paused)), tr.List(paused)))
	}
	if len(blocked) > 0 {
		parts = append(parts, tr.Msg("%s blocked: %s", strconv.Itoa(len(blocked)), tr.List(blocked)))
	}
	if len(stale) > 0 {
		parts = append(parts, tr.Msg("%s stale: %s", strconv.Itoa(len(stale)), tr.List(stale)))
	}
	if len(failed) > 0 {
		parts = append(parts, tr.Msg("%s failed: %s", strconv.Itoa(len(failed)), tr.List(failed)))
	}
	return parts
}

// Save writes the plan file of a plan run (--out) to path, made at now:
// every account's plan, sealed. It refuses when an account failed or is
// blocked: a saved plan covers every selected account. The file is written
// through a temporary file: a reader never sees half a plan.
func (r *Report) Save(path, projectPath, toolVersion string, now time.Time) (*plans.File, error) {
	var accounts []plans.AccountPlan
	var bad []string
	for _, o := range r.Outcomes {
		switch o.Result.Status {
		case reconcile.StatusPaused: // not planned: nothing to save
		case reconcile.StatusChanges, reconcile.StatusNoChanges:
			accounts = append(accounts, plans.AccountPlan{Name: o.Name, Wave: o.Wave, Mode: savedMode(o.Mode), Plan: o.Result.Plan})
		default:
			bad = append(bad, o.Name)
		}
	}
	if len(bad) > 0 {
		return nil, fmt.Errorf("the plan was not saved: %s could not be planned", strings.Join(bad, ", "))
	}
	saved, err := plans.NewFile(projectPath, toolVersion, now, accounts, r.Waves...)
	if err != nil {
		return nil, err
	}
	if err := atomicfile.Write(path, func(w io.Writer) error { return plans.WriteFile(w, saved) }); err != nil {
		return nil, fmt.Errorf("writing %s: %w", path, errtext.PathReason(err))
	}
	return saved, nil
}

// PlannedAccounts is the selected accounts a saved plan covers, and those
// the project pauses, in project order. A plan naming an account the project does not list is refused,
// and so is a selection the plan does not cover at all.
func PlannedAccounts(p *project.Project, selected []project.Account, saved *plans.File) ([]project.Account, error) {
	in := map[string]bool{}
	for _, a := range selected {
		in[a.Name] = true
	}
	if p != nil { // the accounts the project lists, selected or not
		for _, a := range p.Accounts {
			in[a.Name] = true
		}
	}
	covered := map[string]bool{}
	for _, fa := range saved.Accounts {
		if saved.Project != "" && !in[fa.Name] {
			// Dropping it would leave reviewed changes unapplied in
			// silence.
			return nil, errtext.Errorf("make a new plan of the project as it is now, review it and apply that",
				"the saved plan has account %s, which %s does not list (removed or renamed since the plan was made); nothing was applied", fa.Name, saved.Project)
		}
		covered[fa.Name] = true
	}
	var out []project.Account
	for _, a := range selected {
		// A paused account has no plan to save, and is listed as paused.
		if covered[a.Name] || a.Mode == project.ModePaused {
			out = append(out, a)
		}
	}
	if len(out) == 0 {
		return nil, errors.New("the saved plan covers none of the selected accounts")
	}
	return out, nil
}

// ReportOf is the report of a saved project plan, as the plan run that
// saved it reported it (show renders it with the report's renderers).
func ReportOf(f *plans.File) *Report {
	rep := &Report{Waves: f.Waves}
	for _, a := range f.Accounts {
		p := a.Plan
		rep.Outcomes = append(rep.Outcomes, Outcome{Name: a.Name, AppID: p.AppID, File: p.DesiredFile, Wave: a.Wave, Mode: project.Mode(a.Mode),
			Result: &reconcile.Result{Status: reconcile.Classify(p, nil, false), Plan: p}})

	}
	return rep
}

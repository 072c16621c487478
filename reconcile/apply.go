package reconcile

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/wxmenu/wxmenu/reconcile/audit"
	"github.com/wxmenu/wxmenu/reconcile/canon"
	"github.com/wxmenu/wxmenu/reconcile/desired"
	"github.com/wxmenu/wxmenu/reconcile/plans"
	"github.com/wxmenu/wxmenu/wechat"
)

// MenuAPI is the part of the WeChat client that apply uses. *wechat.Client
// implements it; tests use that client against the emulator.
type MenuAPI interface {
	GetMenu(ctx context.Context) (*wechat.MenuSet, error)
	CreateMenu(ctx context.Context, buttons []wechat.Button) error
	DeleteMenu(ctx context.Context) error
	AddConditional(ctx context.Context, buttons []wechat.Button, rule wechat.MatchRule) (string, error)
	DelConditional(ctx context.Context, menuID string) error
}

// ApplyOptions configure Apply.
type ApplyOptions struct {
	// AppID is the account the client talks to; a plan for another account
	// is refused. Empty (a static token) skips the check.
	AppID string
	// Desired is the desired state read from the plan's file now. Its digest
	// must equal the plan's, and the account must match it after apply.
	Desired *desired.State
	// Live, if set, is the account as read just before Apply, which the
	// plan was made from or checked against (Check) with these options
	// (apply --auto-approve of one account plans and applies in one go);
	// Apply then neither reads the account nor runs Check again.
	Live *wechat.MenuSet
	// MaxConditional is passed to the re-derivation and the convergence
	// check (see PlanOptions).
	MaxConditional int
	// Safety holds the rail thresholds the plan is made again with; its
	// Allow fields are ignored (the saved plan's Overrides decide them).
	Safety SafetyOptions
	// Audit receives one record per step; nil records nothing.
	Audit *audit.Log
	// Progress, if set, is called before and after each step.
	Progress func(ev ProgressEvent)
	// Now returns the time; nil means time.Now.
	Now func() time.Time
}

// ProgressEvent reports a step starting (Result nil) or finished.
type ProgressEvent struct {
	Index  int // 0-based
	Total  int
	Step   plans.Step
	Result *StepResult
}

// StepResult is the outcome of one step.
type StepResult struct {
	Step     plans.Step
	Outcome  plans.Outcome
	MenuID   string // the menuid a create produced
	Err      error
	Duration time.Duration
	// Reread is set when the response was lost and the account was read
	// again to learn whether the call took effect.
	Reread bool
}

// ApplyResult summarises an apply.
type ApplyResult struct {
	Steps []StepResult
	// Reads counts menu/get calls apply made (before, after, re-reads).
	Reads int
}

// Done counts the steps that took effect (done or already done).
func (r *ApplyResult) Done() int {
	return count(r.Steps, func(s StepResult) bool {
		return s.Outcome == plans.OutcomeDone || s.Outcome == plans.OutcomeAlreadyDone
	})
}

// StaleError means the plan no longer matches the account or the file; apply
// changed nothing.
type StaleError struct{ Reason string }

func (e *StaleError) Error() string { return "plan is stale: " + e.Reason }

// PartialError means apply stopped after a failed step: some steps took
// effect, the rest did not run. Planning and applying again converges.
type PartialError struct {
	Done, Total int
	Err         error
}

func (e *PartialError) Error() string {
	return fmt.Sprintf("apply stopped after %d of %d steps: %v", e.Done, e.Total, e.Err)
}

func (e *PartialError) Unwrap() error { return e.Err }

// NotConvergedError means every step succeeded but the account read back
// does not match the desired state: Remaining holds the steps and kept
// menus Diff finds on it.
type NotConvergedError struct{ Remaining *plans.Plan }

func (e *NotConvergedError) Error() string {
	return fmt.Sprintf("account did not converge: a new plan still has %d steps", len(e.Remaining.Steps))
}

// Apply executes plan against the account: it reads the account once and
// refuses a stale plan (one whose steps are not exactly those made again
// from the account and the desired state, see rederive), runs each step
// once in order, re-reads only when a response was lost, and reads once
// more to prove the account converged. A create whose outcome stays
// unknown stops apply (OutcomeUnknownError): it is never re-sent.
// Cancelling ctx (an interrupt) finishes the call in flight and stops
// before the next step, with ErrInterrupted.
func Apply(ctx context.Context, api MenuAPI, plan *plans.Plan, opts ApplyOptions) (*ApplyResult, error) {
	now := opts.Now
	if now == nil {
		now = time.Now
	}
	res := &ApplyResult{}
	// The checks that need no read come first: an unusable plan costs no
	// call, not even the account's token.
	if err := CheckOffline(plan, opts); err != nil {
		return res, err
	}
	live := opts.Live
	if live == nil {
		var err error
		live, err = api.GetMenu(ctx)
		res.Reads++
		if err != nil {
			return res, fmt.Errorf("reading the account: %w", err)
		}
		if err := Check(live, plan, opts); err != nil {
			return res, err
		}
	}

	// Calls run on a context that an interrupt (ctx cancelled) does not
	// cancel: a call abandoned half way has an unknown outcome, so the call
	// in flight is finished and apply stops before the next. ctx's deadline
	// still bounds every call.
	callCtx := context.WithoutCancel(ctx)
	if deadline, ok := ctx.Deadline(); ok {
		var cancel context.CancelFunc
		callCtx, cancel = context.WithDeadline(callCtx, deadline)
		defer cancel()
	}
	run := applyRun{api: api, plan: plan, opts: opts, res: res, live: live, now: now}
	if err := opts.Audit.Record(now(), plan, audit.Record{Event: audit.EventApplyStart, Steps: len(plan.Steps), Provenance: plan.Provenance}); err != nil {
		return res, err // nothing was called yet
	}
	// stop ends apply after step i with err: the remaining steps did not run.
	stop := func(i int, err error) (*ApplyResult, error) {
		for _, rest := range plan.Steps[i+1:] {
			res.Steps = append(res.Steps, StepResult{Step: rest, Outcome: plans.OutcomeNotRun})
		}
		perr := &PartialError{Done: res.Done(), Total: len(plan.Steps), Err: err}
		opts.Audit.Record(now(), plan, audit.Record{Event: audit.EventApplyFailed, Error: perr.Error()})
		return res, perr
	}
	for i, step := range plan.Steps {
		if err := ctx.Err(); err != nil {
			return stop(i-1, interrupted(err))
		}
		if opts.Progress != nil {
			opts.Progress(ProgressEvent{Index: i, Total: len(plan.Steps), Step: step})
		}
		run.index = i
		sr := run.step(callCtx, step)
		res.Steps = append(res.Steps, sr)
		auditErr := opts.Audit.Record(now(), plan, auditStep(i, sr))
		if opts.Progress != nil {
			opts.Progress(ProgressEvent{Index: i, Total: len(plan.Steps), Step: step, Result: &res.Steps[i]})
		}
		switch {
		case sr.Outcome == plans.OutcomeFailed || sr.Outcome == plans.OutcomeUnknown:
			return stop(i, sr.Err)
		case auditErr != nil:
			// No call is made that the audit log cannot record.
			return stop(i, auditErr)
		}
	}

	after, err := api.GetMenu(callCtx)
	res.Reads++
	if err != nil {
		// Every step ran, but nobody knows whether the account matches.
		return stop(len(plan.Steps)-1, fmt.Errorf("verifying the account after apply: %w", err))
	}
	// Converged means Diff finds nothing left to do; rails do not apply.
	check, err := remaining(after, plan, opts)
	if err != nil {
		// The account read back cannot even be planned against (e.g. a
		// limit is crossed): it certainly does not match.
		return stop(len(plan.Steps)-1, fmt.Errorf("account did not converge: %w", err))
	}
	if len(check.Steps) > 0 {
		nc := &NotConvergedError{Remaining: &plans.Plan{Steps: check.Steps, Kept: check.Kept}}
		opts.Audit.Record(now(), plan, audit.Record{Event: audit.EventApplyFailed, Error: nc.Error()})
		return res, nc
	}
	if err := opts.Audit.Record(now(), plan, audit.Record{
		Event: audit.EventApplyDone, Steps: len(plan.Steps),
		DesiredFile: plan.DesiredFile, DesiredDigest: plan.DesiredDigest, LiveDigest: canon.LiveDigest(after), State: after,
	}); err != nil {
		return res, &PartialError{Done: res.Done(), Total: len(plan.Steps), Err: err}
	}
	return res, nil
}

// ErrInterrupted is the cause of an apply stopped by an interrupt (its
// context cancelled) between two steps.
var ErrInterrupted = errors.New("interrupted")

func interrupted(ctxErr error) error {
	if errors.Is(ctxErr, context.DeadlineExceeded) {
		return fmt.Errorf("%w: the time allowed ran out", ErrInterrupted)
	}
	return ErrInterrupted
}

// applyRun carries the state of one apply: what the account is known to
// hold, so a lost response can be resolved by one re-read.
type applyRun struct {
	api  MenuAPI
	plan *plans.Plan
	opts ApplyOptions
	res  *ApplyResult
	live *wechat.MenuSet // last state read
	now  func() time.Time
	// created holds the menuids this apply created, so a re-read can tell
	// a menu we created from one that already existed.
	created []string
	index   int // the step being run
}

// send writes the intent record of step s, then makes its call. No call is
// made that the audit log has not recorded first, so a killed apply leaves
// the call in flight on record.
func (r *applyRun) send(ctx context.Context, s plans.Step, sr *StepResult) error {
	if err := r.opts.Audit.Record(r.now(), r.plan, stepRecord(audit.EventIntent, r.index, s)); err != nil {
		return err // the call is not made
	}
	return r.call(ctx, s, sr)
}

func (r *applyRun) step(ctx context.Context, s plans.Step) StepResult {
	start := r.now()
	sr := StepResult{Step: s}
	err := r.send(ctx, s, &sr)
	if errors.Is(err, wechat.ErrOutcomeUnknown) {
		// The request may have reached WeChat (the client re-sends only
		// requests that provably never left). Read the account and decide.
		happened, rerr := r.resolve(ctx, s, &sr)
		switch {
		case rerr != nil:
			err = &OutcomeUnknownError{Step: s, Err: errors.Join(err, rerr)}
		case happened:
			err = nil
		case s.Action == plans.ActionCreateDefault || s.Action == plans.ActionAddConditional:
			// Not seen yet does not mean not applied: a request held in
			// WeChat's front end can land after this read, and WeChat has
			// no idempotency key, so a re-sent create could land twice.
			err = &OutcomeUnknownError{Step: s, Err: err}
		default:
			// A delete may be sent again: deleting a gone menu is harmless.
			err = r.send(ctx, s, &sr)
		}
	}
	switch {
	case err == nil:
		sr.Outcome = plans.OutcomeDone
	case s.Action == plans.ActionDelConditional && wechat.IsCode(err, wechat.CodeNoConditionalMenu):
		// The menu is already gone: the step's goal holds.
		sr.Outcome = plans.OutcomeAlreadyDone
	case errors.As(err, new(*OutcomeUnknownError)):
		sr.Outcome = plans.OutcomeUnknown
		sr.Err = err
	default:
		sr.Outcome = plans.OutcomeFailed
		sr.Err = err
	}
	sr.Duration = r.now().Sub(start)
	return sr
}

// OutcomeUnknownError is a step whose request may have reached WeChat but
// whose effect could not be seen. Apply stops there: re-sending a create
// could make the menu twice. It matches wechat.ErrOutcomeUnknown.
type OutcomeUnknownError struct {
	Step plans.Step
	Err  error // why the outcome is unknown
}

func (e *OutcomeUnknownError) Error() string {
	return fmt.Sprintf("%s %s: outcome unknown: WeChat may still apply it; run plan again (%s)",
		e.Step.Action.Endpoint(), cmp.Or(e.Step.Name, "default menu"), strings.ReplaceAll(e.Err.Error(), "\n", "; "))
}

func (e *OutcomeUnknownError) Unwrap() []error { return []error{wechat.ErrOutcomeUnknown, e.Err} }

func (r *applyRun) call(ctx context.Context, s plans.Step, sr *StepResult) error {
	switch s.Action {
	case plans.ActionCreateDefault:
		return r.api.CreateMenu(ctx, s.After)
	case plans.ActionAddConditional:
		if s.MatchRule == nil {
			return errors.New("plan step has no matchrule")
		}
		id, err := r.api.AddConditional(ctx, s.After, *s.MatchRule)
		if err == nil {
			sr.MenuID = id
			r.created = append(r.created, id)
		}
		return err
	case plans.ActionDelConditional:
		return r.api.DelConditional(ctx, s.MenuID)
	case plans.ActionDeleteAll:
		return r.api.DeleteMenu(ctx)
	}
	return fmt.Errorf("unknown plan action %q", s.Action)
}

// resolve re-reads the account after a lost response and reports whether
// step s took effect.
func (r *applyRun) resolve(ctx context.Context, s plans.Step, sr *StepResult) (bool, error) {
	live, err := r.api.GetMenu(ctx)
	r.res.Reads++
	if err != nil {
		return false, fmt.Errorf("re-reading the account after a lost response: %w", err)
	}
	sr.Reread = true
	prev := r.live
	r.live = live
	switch s.Action {
	case plans.ActionCreateDefault:
		return live.Default != nil && canon.SameButtons(live.Default.Buttons, s.After), nil
	case plans.ActionDeleteAll:
		return live.Default == nil && len(live.Conditional) == 0, nil
	case plans.ActionDelConditional:
		return !hasMenu(live, s.MenuID), nil
	case plans.ActionAddConditional:
		// A menu created by this call is one with the step's identity whose
		// menuid was not there before and was not created by an earlier step.
		form := canon.CanonicalButtons(s.After)
		for _, m := range live.Conditional {
			if hasMenu(prev, m.MenuID) || slices.Contains(r.created, m.MenuID) {
				continue
			}
			if m.MatchRule == *s.MatchRule && canon.CanonicalButtons(m.Buttons) == form {
				sr.MenuID = m.MenuID
				r.created = append(r.created, m.MenuID)
				return true, nil
			}
		}
		return false, nil
	}
	return false, fmt.Errorf("unknown plan action %q", s.Action)
}

// stepRecord is the record of event about step i, s.
func stepRecord(event string, i int, s plans.Step) audit.Record {
	return audit.Record{Event: event, Step: &i, Action: s.Action, Endpoint: s.Action.Endpoint(), Name: s.Name, MenuIDBefore: s.MenuID}
}

// hasMenu reports whether live holds the conditional menu menuID.
func hasMenu(live *wechat.MenuSet, menuID string) bool {
	return slices.ContainsFunc(live.Conditional, func(m wechat.ConditionalMenu) bool { return m.MenuID == menuID })
}

// auditStep is the step record of step i's outcome.
func auditStep(i int, sr StepResult) audit.Record {
	r := stepRecord(audit.EventStep, i, sr.Step)
	r.MenuIDAfter = sr.MenuID
	r.Outcome = sr.Outcome
	r.Reread = sr.Reread
	r.DurationMS = sr.Duration.Milliseconds()
	if sr.Err != nil {
		r.Error = strings.ReplaceAll(sr.Err.Error(), "\n", " ") // one line
	}
	if apiErr, ok := errors.AsType[*wechat.APIError](sr.Err); ok {
		r.Errcode = apiErr.Code
		r.RequestID = apiErr.RequestID
	}
	return r
}

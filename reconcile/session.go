package reconcile

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/wxmenu/wxmenu/internal/errtext"
	"github.com/wxmenu/wxmenu/reconcile/audit"
	"github.com/wxmenu/wxmenu/reconcile/desired"
	"github.com/wxmenu/wxmenu/reconcile/plans"
	"github.com/wxmenu/wxmenu/wechat"
)

// Session is the plan-and-apply flow for one account, driven with plain
// values: a client, the account's appid, where its lock lives, where its
// audit records go. It holds no credentials itself (the client does) and is
// used by one goroutine at a time.
type Session struct {
	// Client talks to the account.
	Client MenuAPI
	// AppID is the account's appid: plans are made for it and a plan for
	// another account is refused. Empty only for a static token whose
	// account is unknown.
	AppID string
	// Account is an optional label for people (e.g. "shop-prod"); AppID
	// names the lock when it is empty.
	Account string
	// LockDir holds the per-account lock files; "" takes no lock.
	LockDir string
	// LockWait is how long to wait for another apply's lock (0: try once).
	LockWait time.Duration
	// Audit is the audit log apply appends to, opened once per process and
	// shared by every account it applies; nil records nothing.
	Audit *audit.Log
	// ToolVersion is written into plans.
	ToolVersion string
	// Now returns the time; nil means time.Now.
	Now func() time.Time

	lock *AccountLock
}

// Status is the outcome of a Session call. Everything a caller derives
// from a run (an exit code, a JSON result document) is derived from it.
type Status string

// Statuses.
const (
	StatusNoChanges    Status = "no_changes"    // the account already matches
	StatusChanges      Status = "changes"       // Plan: the plan has steps to apply
	StatusApplied      Status = "applied"       // Apply: every step done, account verified
	StatusBlocked      Status = "blocked"       // a safety rail tripped; nothing was changed
	StatusStale        Status = "stale"         // the plan no longer matches; nothing was changed
	StatusPartial      Status = "partial"       // apply stopped part way
	StatusNotConverged Status = "not_converged" // every step ran, the account still differs
	StatusDeclined     Status = "declined"      // apply was not confirmed; nothing was changed
	StatusError        Status = "error"         // anything else (bad input, read failure, lock)
	StatusPaused       Status = "paused"        // the project pauses the account (mode: paused): not read, not planned
)

// ErrDeclined is the error of a declined apply.
var ErrDeclined = errors.New("apply cancelled; nothing was changed")

// ReadError means the account could not be read. A failed read is never
// taken for an empty account.
type ReadError struct{ Err error }

func (e *ReadError) Error() string { return "reading the account: " + e.Err.Error() }
func (e *ReadError) Unwrap() error { return e.Err }

// Result is what a Session call produced.
type Result struct {
	Status Status
	// Plan is the plan made (Plan) or applied (Apply); nil when no plan
	// exists.
	Plan *plans.Plan
	// Live is the account as Plan read it, and Console whether that read
	// found a menu published in the console in place of API menus.
	Live    *wechat.MenuSet
	Console bool
	// Applied holds the steps Apply ran; empty for Plan.
	Applied ApplyResult
	// Err is why the call did not succeed; nil for no_changes, changes and
	// applied.
	Err error
}

// Classify is the one place an outcome is decided: the status of a run of
// plan p that ended with err.
func Classify(p *plans.Plan, err error, applied bool) Status {
	switch {
	case err == nil && (p == nil || !p.HasChanges()):
		return StatusNoChanges
	case err == nil && applied:
		return StatusApplied
	case err == nil:
		return StatusChanges
	case errors.As(err, new(*StaleError)):
		return StatusStale
	case errors.As(err, new(*PartialError)):
		return StatusPartial
	case errors.As(err, new(*NotConvergedError)):
		return StatusNotConverged
	case errors.As(err, new(*SafetyError)):
		return StatusBlocked
	case errors.Is(err, ErrDeclined):
		return StatusDeclined
	}
	return StatusError
}

// Failed is the result of a run that failed before or outside a Session
// call (bad input, a failed open), so it is reported like any other.
func Failed(p *plans.Plan, err error) *Result {
	return &Result{Status: Classify(p, err, false), Plan: p, Err: err}
}

// Unchanged reports whether the account is known to be as it was before
// the run: nothing ran, or the first call was refused outright (no lost
// response, no re-read).
func (r *Result) Unchanged() bool {
	switch {
	case r.Status != StatusApplied && r.Status != StatusPartial && r.Status != StatusNotConverged:
		return true
	case r.Status != StatusPartial || r.Applied.Done() > 0 || errors.Is(r.Err, wechat.ErrOutcomeUnknown):
		return false
	}
	return !slices.ContainsFunc(r.Applied.Steps, func(s StepResult) bool { return s.Reread })
}

// Lock takes the account's apply lock for the session until Unlock; Apply
// takes it itself when it is not held. It returns ErrLocked when another
// apply holds it.
func (s *Session) Lock(ctx context.Context) error {
	if s.lock != nil || s.LockDir == "" {
		return nil
	}
	l, err := LockAccount(ctx, s.LockDir, s.LockName(), s.LockWait)
	if errors.Is(err, ErrLocked) {
		return err
	}
	if err != nil {
		return fmt.Errorf("taking the apply lock: %w", err)
	}
	s.lock = l
	return nil
}

// LockName names the account's lock: its appid, else its label. Runs over
// many accounts take their locks in the order of these names.
func (s *Session) LockName() string { return cmp.Or(s.AppID, s.Account, "access-token") }

// OpenAudit opens the audit log at path for a run ("" records nothing): one
// per process, shared by every account the run applies.
func OpenAudit(path, toolVersion string) (*audit.Log, error) {
	if path == "" {
		return nil, nil
	}
	log, err := audit.Open(path, toolVersion)
	if err != nil {
		return nil, fmt.Errorf("opening the audit log: %w", errtext.PathReason(err))
	}
	return log, nil
}

// Unlock releases the lock Lock took.
func (s *Session) Unlock() {
	s.lock.Unlock()
	s.lock = nil
}

// Plan reads the account (once, or twice for a console-published menu: see
// ReadLive; and its tags when the file names tags) and plans for ds. A
// blocked plan comes back with StatusBlocked, the plan and a *SafetyError
// naming its violations.
func (s *Session) Plan(ctx context.Context, ds *desired.State, opts PlanOptions) *Result {
	read, err := s.Read(ctx, len(ds.Tags) > 0)
	if err != nil {
		return Failed(nil, err)
	}
	return s.PlanRead(*read, ds, opts)
}

// Read reads the account as Plan does (ReadLive), and its tags when
// withTags: Plan asks for them only for a file that names tags (one extra
// read, plan.Reads), a snapshot always, since a later file may name tags.
func (s *Session) Read(ctx context.Context, withTags bool) (*LiveRead, error) {
	read, err := ReadLive(ctx, s.Client)
	if err != nil {
		return nil, err
	}
	if tl, ok := s.Client.(TagLister); ok && withTags {
		read.Tags, read.TagsErr = tl.GetTags(ctx)
	}
	return read, nil
}

// PlanRead plans for ds against read, the account as Read read it, now or
// earlier (a snapshot: opts.Snapshot then says so in the plan). The tags
// of a read are an input only for a file that names tags, as Plan reads
// them only then: a plan from a snapshot, which holds them always, is the
// plan Plan makes.
func (s *Session) PlanRead(read LiveRead, ds *desired.State, opts PlanOptions) *Result {
	if len(ds.Tags) == 0 {
		read.Tags, read.TagsErr = nil, nil
	}
	opts.AppID = s.AppID
	opts.ToolVersion = cmp.Or(opts.ToolVersion, s.ToolVersion)
	if now := s.Now; opts.Now.IsZero() {
		if now == nil {
			now = time.Now
		}
		opts.Now = now().UTC().Truncate(time.Second)
	}
	p, err := NewPlan(read, ds, opts)
	if err != nil {
		return Failed(nil, fmt.Errorf("planning: %w", err))
	}
	err = BlockedError(p)
	return &Result{Status: Classify(p, err, false), Plan: p, Live: read.Menus, Console: read.Console != nil, Err: err}
}

// Apply applies plan under the account's lock (see Apply), recording it in
// the session's audit log. opts.AppID, opts.Audit and opts.Now come from
// the session.
func (s *Session) Apply(ctx context.Context, plan *plans.Plan, opts ApplyOptions) *Result {
	if s.lock == nil && s.LockDir != "" {
		if err := s.Lock(ctx); err != nil {
			return Failed(plan, err)
		}
		defer s.Unlock()
	}
	opts.AppID, opts.Now = s.AppID, s.Now
	// Records name a project's account, even one that is its appid.
	opts.Audit = s.Audit.For(s.Account)
	// Apply returns the error of every record it needs (an intent before a
	// call, a step after it, apply_done): the log's own error may be
	// another account's, written after this one's last record.
	res, err := Apply(ctx, s.Client, plan, opts)
	return &Result{Status: Classify(plan, err, true), Plan: plan, Applied: *res, Err: err}
}

// answeredUnusable reports a read that WeChat answered with a JSON body of
// HTTP 2xx that is not an answer to plan on (no menu, a menuid twice):
// neither credentials nor the network are to blame, unlike an HTML page
// from a proxy or a captive portal.
func answeredUnusable(err error) bool {
	var u *wechat.UnexpectedResponseError
	return errors.As(err, &u) && u.StatusCode >= 200 && u.StatusCode <= 299 && strings.Contains(u.ContentType, "json")
}

// Problem words a result that is not a success for people: the error line
// (the error, and "; nothing was changed" when that is known and not already
// said) and a hint, "" when there is none.
func (r *Result) Problem() (message, hint string) {
	if r.Err == nil {
		return "", ""
	}
	file := "menus.yaml"
	if r.Plan != nil {
		file = cmp.Or(r.Plan.DesiredFile, file)
	}
	message = r.Err.Error()
	hint = errtext.Hint(r.Err)
	apiHint := WeChatHint(r.Err) // what to do about an account or access error
	switch r.Status {
	case StatusStale:
		if r.Plan != nil && r.Plan.Snapshot != nil {
			return message + "; nothing was changed", "plan against the live account (wxmenu plan -f " + file + " --out plan.json, with the account's credentials), review it and apply that"
		}
		return message + "; nothing was changed", "make a new plan (wxmenu plan -f " + file + " --out plan.json), review it and apply that"
	case StatusPartial:
		if r.Unchanged() {
			// WeChat refused the first call: the account is as it was.
			return message + "; nothing was changed", apiHint
		}
		if apiHint != "" {
			return message, apiHint + "; then run plan and apply again (the account is between the old and the new state)"
		}
		return message, "the account is between the old and the new state; run plan and apply again to converge"
	case StatusNotConverged:
		if h := notConvergedHint(r); h != "" {
			return message, h
		}
		return message, "run 'wxmenu plan' to see what differs; someone may have changed the account during apply"
	}
	switch {
	case errors.Is(r.Err, context.Canceled):
		// Nothing cancels a command's context but an interrupt (Ctrl-C,
		// SIGTERM; a --timeout is DeadlineExceeded), and here no step ran:
		// the account and the files are as they were. The error's own text
		// ("context canceled") and a hint about credentials or the network
		// would send the operator looking for a fault there is not.
		if errors.As(r.Err, new(*ReadError)) {
			return "interrupted while reading the account; nothing was changed", ""
		}
		return "interrupted; nothing was changed", ""
	case apiHint != "":
		hint = apiHint
	case errors.As(r.Err, new(*ReadError)) && answeredUnusable(r.Err):
		hint = "the read reached WeChat, whose answer no plan can be made against (wxmenu never plans on an answer it cannot trust); " +
			"nothing was changed: run it again later, and if the answer stays the same, raise it with WeChat, quoting the answer above"
	case errors.As(r.Err, new(*ReadError)):
		hint = "the account was not read, so nothing can be compared; check credentials and network (wxmenu never treats a failed read as an empty account)"
	case errors.Is(r.Err, ErrLocked):
		hint = "wait for it to finish, or pass --lock-timeout 5m to wait"
	}
	return message, hint
}

// WeChatHint is what the operator should do about the WeChat error in err's
// chain (wechat.APIError.Hint: account kind, verification, ip whitelist,
// quota, credentials, platform authorization), or "" when no such error is
// there or its errcode needs no hint. The request id is part of the error's
// own text, so it is printed with the message. Result.Problem uses it; so
// does any command that reports a WeChat error outside a Session.
func WeChatHint(err error) string {
	if apiErr, ok := errors.AsType[*wechat.APIError](err); ok {
		return apiErr.Hint()
	}
	return ""
}

// notConvergedHint explains a read-back that lacks conditional menus the
// plan kept after a menu/create, or returns "". WeChat does not document
// whether menu/create keeps the conditional menus (reference §1.1,
// UNCONFIRMED). If it drops them, the menus this apply created survive (the
// default menu is created first) and only the kept ones are gone; the plan
// made from the read-back recreates them, and the creates that must rank
// above them, without a menu/create, so applying it converges.
func notConvergedHint(r *Result) string {
	nc, ok := errors.AsType[*NotConvergedError](r.Err)
	if r.Plan == nil || !ok || nc.Remaining == nil {
		return ""
	}
	if !slices.ContainsFunc(r.Plan.Steps, func(s plans.Step) bool { return s.Action == plans.ActionCreateDefault }) {
		return ""
	}
	// Every live menu of the read-back is kept or deleted by the new plan.
	seen := map[string]bool{}
	for _, k := range nc.Remaining.Kept {
		seen[k.MenuID] = true
	}
	for _, s := range nc.Remaining.Steps {
		if s.Action == plans.ActionDelConditional {
			seen[s.MenuID] = true
		}
	}
	missing := 0
	for _, k := range r.Plan.Kept {
		if !seen[k.MenuID] {
			missing++
		}
	}
	if missing == 0 {
		return ""
	}
	return fmt.Sprintf("%d of the conditional menus apply kept are gone after menu/create, which WeChat may have removed; "+
		"run plan and apply again, which recreates them without a menu/create", missing)
}

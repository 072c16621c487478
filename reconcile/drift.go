package reconcile

import (
	"fmt"

	"github.com/wxmenu/wxmenu/reconcile/audit"
	"github.com/wxmenu/wxmenu/reconcile/desired"
	"github.com/wxmenu/wxmenu/reconcile/plans"
	"github.com/wxmenu/wxmenu/wechat"
)

// DriftStatus is what drift says of one account.
type DriftStatus string

// Drift statuses. Pending and ChangedOutside need the audit log's record
// of the account's last apply; without one, an account that differs from
// its file is Drifted: wxmenu cannot tell which side changed.
const (
	DriftInSync         DriftStatus = "in_sync"         // the account matches its file
	DriftPending        DriftStatus = "pending"         // the file changed since the last apply (or that apply failed)
	DriftConsole        DriftStatus = "console"         // a menu published in the console replaced the API menus
	DriftChangedOutside DriftStatus = "changed_outside" // the menus differ from what the last apply left
	DriftDrifted        DriftStatus = "drifted"         // differs, and no apply is recorded to say why
	DriftError          DriftStatus = "error"           // the account or its file could not be read
)

// DriftStatuses are the drift statuses in the order reports count them.
var DriftStatuses = []DriftStatus{DriftInSync, DriftPending, DriftConsole, DriftChangedOutside, DriftDrifted, DriftError}

// Drift is one account's drift: its status, a sentence saying why, the
// last apply it was judged against, and for changed_outside who sees
// another menu now than the last apply left them (Audiences).
type Drift struct {
	Status    DriftStatus         `json:"status"`
	Cause     string              `json:"cause"`
	LastApply *audit.Apply        `json:"last_apply,omitempty"`
	Audiences []plans.AudienceRow `json:"audiences,omitempty"`
	Removed   []plans.Seen        `json:"removed,omitempty"`
	live      *wechat.MenuSet
}

// DriftOf judges a plan run's result r (the account read and planned
// against its file) with last, the audit log's newest apply of the
// account (nil when the log records none, or there is no log).
func DriftOf(r *Result, last *audit.Apply) *Drift {
	d := &Drift{LastApply: last, live: r.Live}
	var hint string
	switch {
	case r.Plan == nil || r.Status == StatusError:
		d.Status = DriftError
		if d.Cause, hint = r.Problem(); hint != "" {
			d.Cause += " (" + hint + ")"
		}
	case !r.Plan.HasChanges():
		d.Status, d.Cause = DriftInSync, "the account matches its file"
	case r.Console:
		d.Status, d.Cause = DriftConsole, "a menu published in the mp.weixin.qq.com console replaced the menus made through the API (menu/get reports none)"
	case last == nil:
		d.Status, d.Cause = DriftDrifted, "the account differs from its file, and the audit log records no apply of this account, so which side changed is unknown"
	case last.Outcome != audit.OutcomeApplied:
		d.Status, d.Cause = DriftPending, fmt.Sprintf("the last apply (%s, %s) did not finish (%s); plan and apply again", last.ID, last.Time.Format("2006-01-02 15:04 MST"), last.Outcome)
	case last.State() == nil:
		d.Status, d.Cause = DriftDrifted, fmt.Sprintf("the account differs from its file, and the last apply (%s) was recorded before applies recorded the state they left", last.ID)
	default:
		d.judgeAgainst(last)
	}
	return d
}

// judgeAgainst tells pending from changed_outside: whether the account is
// still what the last apply left (by Diff, so what menu/get normalises is
// no drift).
func (d *Drift) judgeAgainst(last *audit.Apply) {
	when := last.Time.Format("2006-01-02 15:04 MST")
	left, err := stateOf(last.State(), "the state apply "+last.ID+" left")
	var rows *Changes
	if err == nil {
		rows, err = Diff(LiveRead{Menus: d.live}, left, PlanOptions{AppID: last.AppID})
	}
	if err != nil {
		// What the apply left cannot be compared with: never guess
		// changed_outside (watch --self-heal would revert on it).
		d.Status, d.Cause = DriftError, fmt.Sprintf("the state the last apply (%s) left cannot be compared with the account: %v", last.ID, err)
		return
	}
	if len(rows.Steps) == 0 {
		d.Status, d.Cause = DriftPending, fmt.Sprintf("the file changed since the last apply (%s, %s); plan and apply it", last.ID, when)
		return
	}
	d.Status, d.Cause = DriftChangedOutside, fmt.Sprintf("the menus differ from what the last apply (%s, %s) left: changed through the API by someone else (another platform, a developer) or in the console", last.ID, when)
	// Who sees another menu now: the steps that turn what the apply left
	// into what is live now, replayed on what it left.
	now, err := stateOf(d.live, "the live account")
	if err != nil {
		return
	}
	if p, err := NewPlan(LiveRead{Menus: last.State()}, now, PlanOptions{AppID: last.AppID, Safety: SafetyOptions{AllowEmpty: true, AllowDeleteAll: true, AllowProtected: true, AllowManyDeletes: true}}); err == nil {
		d.Audiences, d.Removed = p.Audiences, p.Removed
	}
}

// stateOf is a live account as a desired state: what export writes for it.
func stateOf(live *wechat.MenuSet, name string) (*desired.State, error) {
	data, err := desired.Export(live)
	if err != nil {
		return nil, err
	}
	return desired.Parse(name, data)
}

// RestorePrefix starts the desired-file label of a plan back to the state
// an apply left (plan --restore): "restore:" and the apply's ID.
const RestorePrefix = "restore:"

// RestoredState is the state apply a left, as a desired state named
// RestorePrefix+ID: what plan --restore plans back to. An apply that
// recorded no state (it failed, or the log predates recorded states) has
// nothing to restore.
func RestoredState(a *audit.Apply) (*desired.State, error) {
	if a.State() == nil {
		if a.Outcome != audit.OutcomeApplied {
			return nil, fmt.Errorf("apply %s did not finish (%s), so it recorded no state to restore", a.ID, a.Outcome)
		}
		return nil, fmt.Errorf("apply %s recorded no state to restore: the audit log was written before wxmenu recorded the state each apply leaves", a.ID)
	}
	return stateOf(a.State(), RestorePrefix+a.ID)
}

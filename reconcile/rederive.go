package reconcile

import (
	"encoding/json"
	"fmt"
	"slices"

	"github.com/wxmenu/wxmenu/reconcile/plans"
	"github.com/wxmenu/wxmenu/wechat"
)

// rederive makes the plan again from the account as read and the desired
// state, with the overrides the saved plan records and apply's rail
// thresholds, and refuses the saved plan unless its steps and overrides are
// exactly the ones made now. The plan digest only proves a plan is whole:
// anyone can recompute it, so a saved plan is a commitment the reviewer saw,
// checked here, never a program apply runs as written. It costs no API call.
func rederive(live *wechat.MenuSet, saved *plans.Plan, opts ApplyOptions) error {
	safety := opts.Safety
	safety.AllowEmpty = slices.Contains(saved.Overrides, OverrideEmpty)
	safety.AllowDeleteAll = slices.Contains(saved.Overrides, OverrideDeleteAll)
	safety.AllowProtected = slices.Contains(saved.Overrides, OverrideProtected)
	safety.AllowManyDeletes = slices.Contains(saved.Overrides, OverrideManyDeletes)
	fresh, err := NewPlan(live, opts.Desired, PlanOptions{
		AppID: saved.AppID, DesiredFile: saved.DesiredFile, MaxConditional: opts.MaxConditional, Safety: safety,
	})
	if err != nil {
		return &StaleError{Reason: fmt.Sprintf("the saved plan cannot be made again from the account and %s: %v", saved.DesiredFile, err)}
	}
	adoptConsoleBefore(live, saved, fresh)
	if len(fresh.Blocked) > 0 {
		return &StaleError{Reason: "made again from the account and " + saved.DesiredFile + ", the plan trips a safety rail the saved plan does not record an override for: " + fresh.Blocked[0].Message}
	}
	if i, ok := sameSteps(saved.Steps, fresh.Steps); !ok {
		return &StaleError{Reason: fmt.Sprintf("the saved plan's steps are not the ones the account and %s give (step %d differs): the plan was edited or made by another version", saved.DesiredFile, i+1)}
	}
	if !slices.Equal(saved.Overrides, fresh.Overrides) && !(len(saved.Overrides) == 0 && len(fresh.Overrides) == 0) {
		return &StaleError{Reason: fmt.Sprintf("the saved plan records the overrides %v, the account and %s need %v: the plan was edited", saved.Overrides, saved.DesiredFile, fresh.Overrides)}
	}
	return nil
}

// sameSteps compares steps as they are written in a plan document, so a
// plan read back from JSON equals the one made in memory. It returns the
// index of the first step that differs.
func sameSteps(saved, fresh []plans.Step) (int, bool) {
	for i := range max(len(saved), len(fresh)) {
		if i >= len(saved) || i >= len(fresh) {
			return i, false
		}
		a, errA := json.Marshal(saved[i])
		b, errB := json.Marshal(fresh[i])
		if errA != nil || errB != nil || string(a) != string(b) {
			return i, false
		}
	}
	return 0, true
}

// adoptConsoleBefore gives the fresh plan's default-menu create the
// console-published menu the saved plan showed as its "before". Planning
// read it with get_current_selfmenu_info; apply does not read it again (no
// extra call): it is shown to reviewers, never sent, and it can only exist
// while menu/get reports no menu at all, which the live digest has checked.
func adoptConsoleBefore(live *wechat.MenuSet, saved, fresh *plans.Plan) {
	if live.Default != nil || len(live.Conditional) > 0 {
		return
	}
	for i := range fresh.Steps {
		f := &fresh.Steps[i]
		if i >= len(saved.Steps) || f.Action != plans.ActionCreateDefault || f.Before != nil {
			continue
		}
		if s := saved.Steps[i]; s.Action == f.Action && s.ReasonCode == plans.ReasonReplacesConsoleMenu {
			f.Before, f.ReasonCode, f.Reason = s.Before, s.ReasonCode, s.Reason
		}
	}
}

package reconcile

import (
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"time"

	"github.com/wxmenu/wxmenu/reconcile/canon"
	"github.com/wxmenu/wxmenu/reconcile/plans"
	"github.com/wxmenu/wxmenu/wechat"
)

// Check is apply's whole judgement of a saved plan against the account as
// live shows it, before any call: CheckOffline passes, the plan was made
// from the account as it is, and its steps and overrides are exactly the
// ones made again from live and the desired state with opts.Safety's
// thresholds (see rederive). A project apply runs it for every account
// before it changes any. It makes no call.
func Check(live *wechat.MenuSet, plan *plans.Plan, opts ApplyOptions) error {
	if err := CheckOffline(plan, opts); err != nil {
		return err
	}
	if d := canon.LiveDigest(live); d != plan.LiveDigest {
		return &StaleError{Reason: "the account changed since the plan was made (or the plan was already applied)"}
	}
	return rederive(live, plan, opts)
}

// CheckOffline is the part of apply's judgement that needs no read of the
// account: the plan is of this format, not blocked, for this account and
// the desired state's file as it is now. Apply and a project apply run it
// before they open the account, then Check.
func CheckOffline(plan *plans.Plan, opts ApplyOptions) error {
	if plan.FormatVersion != plans.FormatVersion {
		return fmt.Errorf("plan format version %d is not supported (want %d)", plan.FormatVersion, plans.FormatVersion)
	}
	if s := plan.Snapshot; s != nil {
		// Its live digest is the snapshot's, and the account may have
		// changed since; more to the point, nobody with the account's
		// credentials made it, so it is shown, never applied. Stale (exit
		// 3): the remedy is a plan of the live account.
		return &StaleError{Reason: fmt.Sprintf("it was made from the snapshot %s taken at %s, not from the live account; a plan from a snapshot is for review only and cannot be applied",
			s.File, s.TakenAt.UTC().Format(time.RFC3339))}
	}
	if err := BlockedError(plan); err != nil {
		return err
	}
	if opts.AppID != "" && plan.AppID != "" && opts.AppID != plan.AppID {
		return &StaleError{Reason: fmt.Sprintf("the plan is for account %s, not %s", plan.AppID, opts.AppID)}
	}
	if opts.Desired == nil {
		return errors.New("apply needs the desired state the plan was made from")
	}
	if d := opts.Desired.Digest(); d != plan.DesiredDigest {
		if p := opts.Desired.Path; p != "" && plan.DesiredFile != "" && filepath.Clean(p) != filepath.Clean(plan.DesiredFile) {
			// A plan applied with -f another file: that file did not change,
			// it is a different one.
			return &StaleError{Reason: fmt.Sprintf("the plan was made for %s, not %s", plan.DesiredFile, p)}
		}
		return &StaleError{Reason: fmt.Sprintf("%s changed since the plan was made", cmp.Or(opts.Desired.Path, plan.DesiredFile, "the desired-state file"))}
	}
	var made plans.Plan // the template fields of the desired state now
	if r := opts.Desired.Rendered; r != nil {
		made.Template, made.TemplateDigest, made.VarsDigest = r.Template, r.TemplateDigest, r.VarsDigest
	}
	switch {
	case made.Template != plan.Template:
		return &StaleError{Reason: fmt.Sprintf("the plan was made from %s, the account's desired state now comes from %s", templateOrFile(plan.Template), templateOrFile(made.Template))}
	case made.TemplateDigest != plan.TemplateDigest:
		return &StaleError{Reason: fmt.Sprintf("template %s (%s) changed since the plan was made", plan.Template, plan.DesiredFile)}
	case made.VarsDigest != plan.VarsDigest:
		return &StaleError{Reason: "the account's vars changed since the plan was made"}
	}
	return nil
}

// AlreadyApplied reports whether the account as live shows it is already
// what applying plan leaves: its desired state is the plan's (CheckOffline
// passes) and Diff finds nothing left to do, the test apply's own
// verification makes (remaining). A saved project plan applied in waves
// (apply --wave, then the rest) finds the accounts an earlier run of it
// applied so: done, not stale. It makes no call.
func AlreadyApplied(live *wechat.MenuSet, plan *plans.Plan, opts ApplyOptions) bool {
	if CheckOffline(plan, opts) != nil {
		return false
	}
	c, err := remaining(live, plan, opts)
	return err == nil && len(c.Steps) == 0
}

// remaining is what Diff finds left to do on the account as live shows it
// for the plan's desired state: nothing once an apply converged.
func remaining(live *wechat.MenuSet, plan *plans.Plan, opts ApplyOptions) (*Changes, error) {
	return Diff(LiveRead{Menus: live}, opts.Desired, PlanOptions{AppID: plan.AppID, DesiredFile: plan.DesiredFile, MaxConditional: opts.MaxConditional})
}

// templateOrFile names where a plan's desired state came from.
func templateOrFile(template string) string {
	if template == "" {
		return "a menus file"
	}
	return "template " + template
}

// rederive makes the changes again from the account as read and the
// desired state (Diff), with the console menu the saved plan shows, and
// refuses the saved plan unless its steps are exactly the ones made now,
// and its overrides exactly the ones the rails (Review), judged with apply's
// thresholds, need now. The plan digest only proves a plan is whole: anyone
// can recompute it, so a saved plan is a commitment the reviewer saw,
// checked here, never a program apply runs as written. It costs no API
// call.
func rederive(live *wechat.MenuSet, saved *plans.Plan, opts ApplyOptions) error {
	read := LiveRead{Menus: live}
	if live.Default == nil && len(live.Conditional) == 0 && len(saved.Steps) > 0 && saved.Steps[0].ReasonCode == plans.ReasonReplacesConsoleMenu {
		// The menu published in the console that the saved plan shows as
		// the "before" of its default-menu create (see read.go): apply
		// does not read it again.
		read.Console = saved.Steps[0].Before
	}
	c, err := Diff(read, opts.Desired, PlanOptions{
		AppID: saved.AppID, DesiredFile: saved.DesiredFile, MaxConditional: opts.MaxConditional,
	})
	if err != nil {
		return &StaleError{Reason: fmt.Sprintf("the saved plan cannot be made again from the account and %s: %v", saved.DesiredFile, err)}
	}
	if i, ok := sameSteps(saved.Steps, c.Steps); !ok {
		return &StaleError{Reason: fmt.Sprintf("the saved plan's steps are not the ones the account and %s give (step %d differs): the plan was edited or made by another version", saved.DesiredFile, i+1)}
	}
	safety := opts.Safety
	safety.AllowEmpty = slices.Contains(saved.Overrides, OverrideEmpty)
	safety.AllowDeleteAll = slices.Contains(saved.Overrides, OverrideDeleteAll)
	safety.AllowProtected = slices.Contains(saved.Overrides, OverrideProtected)
	safety.AllowManyDeletes = slices.Contains(saved.Overrides, OverrideManyDeletes)
	r, err := c.Review(safety)
	switch {
	case err != nil:
		return err
	case len(r.Blocked) > 0:
		return &StaleError{Reason: "made again from the account and " + saved.DesiredFile + ", the plan trips a safety rail the saved plan does not record an override for: " + r.Blocked[0].Message}
	case !slices.Equal(saved.Overrides, r.Overrides):
		return &StaleError{Reason: fmt.Sprintf("the saved plan records the overrides %v, the account and %s need %v: the plan was edited", saved.Overrides, saved.DesiredFile, r.Overrides)}
	}
	if field, same := sameReview(saved, c.plan(r)); !same {
		return &StaleError{Reason: fmt.Sprintf("the saved plan's %s is not what the account and %s give: the plan was edited or made by another version", field, saved.DesiredFile)}
	}
	return nil
}

// sameReview compares what a reviewer read beside the steps in the saved
// plan with the plan made again: who sees what, the menus kept and removed,
// the final priority order, the counts and the tag names. A plan whose
// review was edited (a harmless-looking audience table over the same
// steps) is refused like one whose steps were. The warnings are compared
// only when planning made no read but menu/get: apply reads neither the
// tags nor the console menu again, and warnings about an unknown tag or a
// console-only button come from those reads. It returns the first field
// that differs.
func sameReview(saved, fresh *plans.Plan) (string, bool) {
	type field struct {
		name        string
		saved, made any
	}
	fields := []field{
		{"desired_file", saved.DesiredFile, fresh.DesiredFile},
		{"kept", saved.Kept, fresh.Kept},
		{"priority", saved.Priority, fresh.Priority},
		{"audiences", saved.Audiences, fresh.Audiences},
		{"removed", saved.Removed, fresh.Removed},
		{"counts", saved.Counts, fresh.Counts},
		{"quota", saved.Quota, fresh.Quota},
		{"tag_names", saved.TagNames, fresh.TagNames},
		{"has_changes", saved.Changes, fresh.Changes},
	}
	if saved.Reads["tags/get"] == 0 && saved.Reads["get_current_selfmenu_info"] == 0 {
		fields = append(fields, field{"warnings", saved.Warnings, fresh.Warnings})
	}
	for _, f := range fields {
		if !sameJSON(f.saved, f.made) {
			return f.name, false
		}
	}
	return "", true
}

// sameSteps compares steps as they are written in a plan document, so a
// plan read back from JSON equals the one made in memory. It returns the
// index of the first step that differs.
func sameSteps(saved, fresh []plans.Step) (int, bool) {
	for i := range max(len(saved), len(fresh)) {
		if i >= len(saved) || i >= len(fresh) || !sameJSON(saved[i], fresh[i]) {
			return i, false
		}
	}
	return 0, true
}

// sameJSON reports whether a and b are written alike in a plan document,
// with an empty list or object written as nothing, as null is: a plan read
// back from its document holds [] where the plan made in memory holds nil.
func sameJSON(a, b any) bool {
	x, errA := json.Marshal(a)
	y, errB := json.Marshal(b)
	empty := func(data []byte) string {
		switch s := string(data); s {
		case "null", "[]", "{}":
			return ""
		default:
			return s
		}
	}
	return errA == nil && errB == nil && empty(x) == empty(y)
}

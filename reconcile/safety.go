package reconcile

import (
	"fmt"
	"slices"
	"strings"

	"github.com/wxmenu/wxmenu/reconcile/plans"
)

// Safety rails stop plans that are more likely a mistake than an intent: an
// empty file, menu/delete, losing a protected menu, or deleting a large part
// of the account. Each rail has an override (a CLI flag); a plan that needed
// an override lists it in Plan.Overrides so the audit log records it.

// SafetyOptions set the rails' overrides and thresholds.
type SafetyOptions struct {
	AllowEmpty, AllowDeleteAll, AllowProtected, AllowManyDeletes bool
	// MaxDeletes is the most menu/delconditional calls allowed without
	// AllowManyDeletes; 0 means 10.
	MaxDeletes int
	// MaxDeleteShare is the largest share of the managed live conditional
	// menus a plan may delete without AllowManyDeletes; 0 means 0.5.
	MaxDeleteShare float64
	// DeleteMinimum is the number of deletes below which the count and share
	// limits do not apply; 0 means 3.
	DeleteMinimum int
}

// Override names, as the CLI spells its flags.
const (
	OverrideEmpty       = "allow-empty"
	OverrideDeleteAll   = "allow-delete-all"
	OverrideProtected   = "allow-protected"
	OverrideManyDeletes = "allow-many-deletes"
)

// SafetyError is the error of a blocked plan: the rails it tripped that no
// override allows (Plan.Blocked).
type SafetyError struct {
	Violations []plans.Violation
}

func (e *SafetyError) Error() string {
	if e == nil || len(e.Violations) == 0 {
		return "plan blocked by safety rails"
	}
	parts := make([]string, len(e.Violations))
	for i, v := range e.Violations {
		parts[i] = fmt.Sprintf("%s (override with --%s)", v.Message, v.Override)
	}
	return "plan blocked by safety rails: " + strings.Join(parts, "; ")
}

// safetyFacts is what the rails judge, gathered by the differ.
type safetyFacts struct {
	file         string
	emptyDesired bool
	steps        []plans.Step
	protected    map[string]string // menuid of a delete that removes a protected menu -> its desired name
	liveManaged  int               // live conditional menus not unmanaged
}

// checkSafety returns the tripped rails without an override, and the
// overrides that were needed and granted, in a fixed order.
func checkSafety(f safetyFacts, o SafetyOptions) (violations []plans.Violation, granted []string) {
	if o.MaxDeletes <= 0 {
		o.MaxDeletes = 10
	}
	if o.MaxDeleteShare <= 0 {
		o.MaxDeleteShare = 0.5
	}
	if o.DeleteMinimum <= 0 {
		o.DeleteMinimum = 3
	}
	rail := func(tripped, allowed bool, v plans.Violation) {
		switch {
		case !tripped:
		case allowed:
			granted = append(granted, v.Override)
		default:
			violations = append(violations, v)
		}
	}

	deleteAll, deletes := 0, 0
	var protected []string
	for _, s := range f.steps {
		switch s.Action {
		case plans.ActionDeleteAll:
			deleteAll++
		case plans.ActionDelConditional:
			deletes++
			if name, ok := f.protected[s.MenuID]; ok {
				protected = append(protected, fmt.Sprintf("%q (menuid %s)", name, s.MenuID))
			}
		}
	}

	rail(f.emptyDesired && len(f.steps) > 0, o.AllowEmpty, plans.Violation{
		Rail: "empty", Override: OverrideEmpty,
		Message: f.file + " declares no menu, so the plan removes every menu",
	})
	rail(deleteAll > 0, o.AllowDeleteAll, plans.Violation{
		Rail: "delete-all", Override: OverrideDeleteAll,
		Message: "the plan calls menu/delete, which removes the default menu and every conditional menu",
	})
	rail(len(protected) > 0, o.AllowProtected, plans.Violation{
		Rail: "protected", Override: OverrideProtected,
		Message: "the plan deletes or recreates protected " + pluralWord(len(protected), "menu", "menus") + " " + strings.Join(protected, ", "),
	})
	share := o.MaxDeleteShare * float64(f.liveManaged)
	tooMany := deletes >= o.DeleteMinimum && (deletes > o.MaxDeletes || float64(deletes) > share)
	msg := fmt.Sprintf("the plan deletes %d conditional menus, more than the limit of %d", deletes, o.MaxDeletes)
	if deletes <= o.MaxDeletes {
		msg = fmt.Sprintf("the plan deletes %d of %d managed conditional menus, more than %g%%",
			deletes, f.liveManaged, o.MaxDeleteShare*100)
	}
	rail(tooMany, o.AllowManyDeletes, plans.Violation{Rail: "many-deletes", Override: OverrideManyDeletes, Message: msg})
	return violations, granted
}

func pluralWord(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// ErrorHint says how to allow the plan: the override flags of the tripped
// rails, each once.
func (e *SafetyError) ErrorHint() string {
	var flags []string
	for _, v := range e.Violations {
		if f := "--" + v.Override; !slices.Contains(flags, f) {
			flags = append(flags, f)
		}
	}
	return "if this is intended, plan again with " + strings.Join(flags, " ") + " (the override is recorded in the plan and the audit log)"
}

// OptionError is a plan option that would silently mean something else,
// with a hint.
type OptionError struct{ Message, Hint string }

func (e *OptionError) Error() string     { return e.Message }
func (e *OptionError) ErrorHint() string { return e.Hint }

// Check refuses rail settings that would silently mean something else
// (NewPlan reads 0 as "use the default"). Messages name the CLI flags.
func (o PlanOptions) Check() error {
	switch s := o.Safety; {
	case s.MaxDeletes < 1:
		return &OptionError{fmt.Sprintf("--max-deletes must be at least 1, got %d", s.MaxDeletes), "the rail never applies below 3 deletes; to allow more, pass --allow-many-deletes"}
	case s.MaxDeleteShare <= 0 || s.MaxDeleteShare > 1:
		return &OptionError{fmt.Sprintf("--max-delete-share must be above 0 and at most 1, got %g", s.MaxDeleteShare), "use a share between 0 and 1, e.g. --max-delete-share 0.25"}
	case o.MaxConditional < 1:
		return &OptionError{Message: fmt.Sprintf("--max-conditional must be at least 1, got %d", o.MaxConditional)}
	}
	return nil
}

// BlockedError returns a *SafetyError for a blocked plan, nil otherwise.
func BlockedError(p *plans.Plan) error {
	if p == nil || !p.IsBlocked() {
		return nil
	}
	return &SafetyError{Violations: p.Blocked}
}

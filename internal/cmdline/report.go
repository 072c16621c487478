package cmdline

import (
	"errors"
	"fmt"
	"io"

	"github.com/wxmenu/wxmenu/reconcile"
	"github.com/wxmenu/wxmenu/reconcile/desired"
	"github.com/wxmenu/wxmenu/reconcile/fleet"
)

// Exit codes. 0 and 1 are the usual; the others are documented in README.md.
const (
	ExitOK       = 0
	ExitError    = 1
	ExitChanges  = 2 // plan --detailed-exitcode: the plan has changes
	ExitStale    = 3 // apply refused a stale plan; nothing was changed
	ExitPartial  = 4 // apply stopped part way, or the account did not converge
	ExitDeclined = 5 // apply was not confirmed
)

// ErrHasChanges carries exit code 2 of plan --detailed-exitcode; it is not
// an error for the user and is never printed.
var ErrHasChanges = errors.New("the plan has changes")

// ErrReported ends a run whose outcome was printed already (a fleet
// report); it carries the exit code and is never printed.
var ErrReported = errors.New("reported above")

// Report prints err as `wxmenu: error: …` lines (never a stack trace), with
// the hint of the first error in the chain that has one, and returns the
// exit code.
//
// redact removes configured credentials from every printed line.
func Report(stderr io.Writer, err error, globals []string, redact func(string) string) int {
	if err == nil {
		return ExitOK
	}
	code, usage := ExitError, ""
	if ce := (*Error)(nil); errors.As(err, &ce) {
		code, usage = ce.Code, ce.Usage
		if errors.Is(ce.Err, ErrHasChanges) || errors.Is(ce.Err, ErrReported) {
			return code
		}
	}
	if diags := (desired.Diagnostics)(nil); errors.As(err, &diags) {
		for _, d := range diags {
			fmt.Fprintf(stderr, "wxmenu: error: %s\n", redact(d.String()))
		}
		if len(diags) > 1 {
			fmt.Fprintf(stderr, "wxmenu: %d problems found\n", len(diags))
		}
		return code
	}
	fmt.Fprintf(stderr, "wxmenu: error: %s\n", redact(err.Error()))
	if usage != "" {
		fmt.Fprintln(stderr, usage)
	}
	if h := (interface{ ErrorHint() string })(nil); errors.As(err, &h) && h.ErrorHint() != "" {
		fmt.Fprintf(stderr, "hint: %s\n", redact(WithGlobals(h.ErrorHint(), globals)))
	}
	return code
}

// ExitFor is the error (exit code, message, hint) of a run's result.
func ExitFor(r *reconcile.Result) error {
	code := ExitError
	switch r.Status {
	case reconcile.StatusNoChanges, reconcile.StatusChanges, reconcile.StatusApplied:
		return nil
	case reconcile.StatusStale:
		code = ExitStale
	case reconcile.StatusPartial, reconcile.StatusNotConverged:
		if !r.Unchanged() {
			code = ExitPartial
		}
	case reconcile.StatusDeclined:
		code = ExitDeclined
	}
	if diags := (desired.Diagnostics)(nil); errors.As(r.Err, &diags) {
		return r.Err // printed one per line by report
	}
	message, hint := r.Problem()
	return Fail(code, hint, "%s", message)
}

// Reported ends a run whose outcome was printed already (a fleet report)
// with exit code; Report prints nothing for it.
func Reported(code int) error { return &Error{Code: code, Err: ErrReported} }

// DetailedExit is the exit of a plan that succeeded: with detailed
// (--detailed-exitcode), ExitChanges when the plan has changes.
func DetailedExit(detailed, hasChanges bool) error {
	if detailed && hasChanges {
		return &Error{Code: ExitChanges, Err: ErrHasChanges}
	}
	return nil
}

// ExitForFleet is the exit of a fleet run whose report was printed: the
// exit code ExitFor gives its most severe outcome, else DetailedExit.
func ExitForFleet(rep *fleet.Report, detailed bool) error {
	worst := rep.Worst()
	if worst == nil {
		return nil
	}
	if err := ExitFor(worst.Result); err != nil {
		code := ExitError
		if ce := (*Error)(nil); errors.As(err, &ce) {
			code = ce.Code
		}
		return Reported(code)
	}
	return DetailedExit(detailed, rep.HasChanges())
}

// ExitForProblems is the exit of a project command whose problems (n of
// them) were reported already: ExitError when there are any.
func ExitForProblems(n int) error {
	if n > 0 {
		return Reported(ExitError)
	}
	return nil
}

package cmdline

import (
	"errors"
	"fmt"
	"io"

	"github.com/wxmenu/wxmenu/internal/errtext"
	"github.com/wxmenu/wxmenu/internal/literal"
	"github.com/wxmenu/wxmenu/reconcile"
	"github.com/wxmenu/wxmenu/reconcile/desired"
	"github.com/wxmenu/wxmenu/reconcile/fleet"
	"github.com/wxmenu/wxmenu/reconcile/render"
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

// ErrHasChanges (exit 2 of plan --detailed-exitcode) and ErrReported (a
// run whose problems its report printed) are never printed.
var (
	ErrHasChanges = errors.New("the plan has changes")
	ErrReported   = errors.New("reported above")
)

// Error is an error with the process exit code, an optional usage line
// (printed after the error) and an optional hint (printed last).
type Error struct {
	Code  int
	Err   error
	Usage string
	Hint  string
}

func (e *Error) Error() string     { return e.Err.Error() }
func (e *Error) Unwrap() error     { return e.Err }
func (e *Error) ErrorHint() string { return e.Hint }

// Fail is an *Error with a formatted message.
func Fail(code int, hint string, format string, args ...any) error {
	return &Error{Code: code, Err: fmt.Errorf(format, args...), Hint: hint}
}

// Report prints err as `wxmenu: error: …` lines (never a stack trace), with
// the hint of the first error in the chain that has one, and returns the
// exit code; redact removes configured credentials from every line, and
// literal.Line what could act on a terminal (WeChat's errmsg is data).
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
			fmt.Fprintf(stderr, "wxmenu: error: %s\n", redact(render.Diagnostic(d)))
		}
		if len(diags) > 1 {
			fmt.Fprintf(stderr, "wxmenu: %d problems found\n", len(diags))
		}
		return code
	}
	fmt.Fprintf(stderr, "wxmenu: error: %s\n", literal.Line(redact(err.Error())))
	if usage != "" {
		fmt.Fprintln(stderr, usage)
	}
	if h := errtext.Hint(err); h != "" {
		fmt.Fprintf(stderr, "hint: %s\n", literal.Line(redact(render.WithGlobals(h, globals))))
	}
	return code
}

// exitCode is the exit code of a run's result.
func exitCode(r *reconcile.Result) int {
	switch r.Status {
	case reconcile.StatusNoChanges, reconcile.StatusChanges, reconcile.StatusApplied, reconcile.StatusPaused:
		return ExitOK
	case reconcile.StatusStale:
		return ExitStale
	case reconcile.StatusPartial, reconcile.StatusNotConverged:
		if !r.Unchanged() {
			return ExitPartial
		}
	case reconcile.StatusDeclined:
		return ExitDeclined
	}
	return ExitError
}

// reported ends with code a run whose problems were printed already.
func reported(code int) error { return &Error{Code: code, Err: ErrReported} }

// ExitForFleet is the exit of a run whose report was printed: the exit
// of its most severe outcome, else, with detailed (--detailed-exitcode),
// ExitChanges when an account has changes. A rollout that a failure
// stopped after it changed accounts exits ExitPartial: the fleet is
// between the old and the new state. The problem (message and hint)
// of a menus file's one account (single) is returned for Report to print;
// a project's report printed its accounts' problems already.
func ExitForFleet(rep *fleet.Report, detailed, single bool) error {
	worst := rep.Worst()
	switch {
	case rep.Stopped != "" && rep.Changed():
		return reported(ExitPartial)
	case worst == nil || exitCode(worst.Result) == ExitOK:
		if detailed && rep.HasChanges() {
			return &Error{Code: ExitChanges, Err: ErrHasChanges}
		}
		return nil
	case !single:
		return reported(exitCode(worst.Result))
	case errors.As(worst.Result.Err, new(desired.Diagnostics)):
		return worst.Result.Err // printed one per line by Report
	}
	message, hint := worst.Result.Problem()
	return Fail(exitCode(worst.Result), hint, "%s", message)
}

// ExitForProblems is the exit of a command whose problems (n of them)
// were reported already (ExitError when there are any), or err, the
// problem of a menus file's account, which Report prints.
func ExitForProblems(n int, err error) error {
	if err == nil && n > 0 {
		return reported(ExitError)
	}
	return err
}

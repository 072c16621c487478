package render

import (
	"errors"
	"fmt"
	"io"

	"github.com/wxmenu/wxmenu/reconcile/desired"
	"github.com/wxmenu/wxmenu/reconcile/fleet"
)

// FleetValidate writes validate's result for every account: a line per
// valid file on w (its warnings on errw), every problem of every other file on errw as
// "wxmenu: error: file:line:col: …", then a summary line on w. It returns
// the number of problems.
func FleetValidate(w, errw io.Writer, checks []fleet.Check) int {
	problems, bad := 0, 0
	for _, c := range checks {
		if c.Err == nil {
			fmt.Fprintf(w, "%s: %s is valid: %s\n", c.Name, c.State.Path, StateSummary(c.State))
			for _, d := range c.Warnings {
				fmt.Fprintln(errw, "warning: "+d.String())
			}
			continue
		}
		bad++
		var diags desired.Diagnostics
		if errors.As(c.Err, &diags) {
			for _, d := range diags {
				fmt.Fprintf(errw, "wxmenu: error: %s\n", d.String())
			}
			problems += len(diags)
			continue
		}
		fmt.Fprintf(errw, "wxmenu: error: %s: %v\n", c.Name, c.Err)
		problems++
	}
	fmt.Fprintf(w, "%s: %d valid, %d with problems (%s)\n", Count(len(checks), "account"), len(checks)-bad, bad, Count(problems, "problem"))
	return problems
}

// FleetExport writes export's result per account and returns the number
// of accounts that failed.
func FleetExport(w, errw io.Writer, exported []fleet.Exported) int {
	failed := 0
	for _, x := range exported {
		if x.Err != nil {
			failed++
			fmt.Fprintf(errw, "wxmenu: error: %s: %v\n", x.Name, x.Err)
			if h := (interface{ ErrorHint() string })(nil); errors.As(x.Err, &h) && h.ErrorHint() != "" {
				fmt.Fprintf(errw, "hint: %s\n", h.ErrorHint())
			}
			continue
		}
		for _, warning := range x.Warnings {
			fmt.Fprintf(errw, "wxmenu: warning: %s: %s\n", x.Name, warning)
		}
		fmt.Fprintf(w, "%s: exported to %s (%s)\n", x.Name, x.File, x.What)
	}
	fmt.Fprintf(w, "%s: %d exported, %d failed\n", Count(len(exported), "account"), len(exported)-failed, failed)
	return failed
}

// FleetTryMatch writes, per account, which menu user sees and its
// buttons; failures go to errw. It returns the number of failures.
func FleetTryMatch(w, errw io.Writer, user string, matched []fleet.Matched) int {
	failed := 0
	for _, m := range matched {
		if m.Err != nil {
			failed++
			fmt.Fprintf(errw, "wxmenu: error: %s: %v\n", m.Name, m.Err)
			continue
		}
		fmt.Fprintf(w, "%s: %s sees %s\n", m.Name, user, SeenMenu(m.State, m.Buttons))
		for _, line := range ButtonLines(m.Buttons) {
			fmt.Fprintln(w, "  "+line)
		}
	}
	return failed
}

package render

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"

	"github.com/wxmenu/wxmenu/internal/errtext"
	"github.com/wxmenu/wxmenu/internal/literal"
	"github.com/wxmenu/wxmenu/reconcile"
	"github.com/wxmenu/wxmenu/reconcile/desired"
	"github.com/wxmenu/wxmenu/reconcile/fleet"
)

// The offline commands of a run on one menus file (its one account has no
// name) print what it did as the commands of a project do, without the
// account's name and the summary line; its problem is returned for the
// caller to print, with its hint, as the error of the command.

// FleetValidate writes validate's result for every account: a line per
// valid file on w (its warnings on errw), every problem of every other
// file on errw as "wxmenu: error: file:line:col: …", then, for a project,
// a summary line on w. It returns the number of problems.
func FleetValidate(w, errw io.Writer, checks []fleet.Check) (int, error) {
	single := len(checks) == 1 && checks[0].Name == ""
	if single && checks[0].Err != nil {
		return 0, checks[0].Err
	}
	bad := 0
	for _, c := range checks {
		if c.Err == nil {
			printLine(w, "%s%s is valid: %s", named(c.Name), c.State.Path, StateSummary(c.State))
		} else {
			bad++
		}
	}
	problems := Problems(errw, checks)
	if !single {
		printLine(w, "%s: %d valid, %d with problems (%s)", Count(len(checks), "account"), len(checks)-bad, bad, Count(problems, "problem"))
	}
	return problems, nil
}

// Problems writes the warnings and every problem of checks on errw, as
// "wxmenu: error: file:line:col: …", and returns the number of problems.
func Problems(errw io.Writer, checks []fleet.Check) int {
	problems := 0
	for _, c := range checks {
		if c.Err == nil {
			for _, d := range c.Warnings {
				fmt.Fprintln(errw, "warning: "+Diagnostic(d))
			}
			continue
		}
		var diags desired.Diagnostics
		if errors.As(c.Err, &diags) {
			for _, d := range diags {
				fmt.Fprintln(errw, "wxmenu: error: "+Diagnostic(d))
			}
			problems += len(diags)
			continue
		}
		printLine(errw, "wxmenu: error: %s: %v", c.Name, c.Err)
		problems++
	}
	return problems
}

// Diagnostic is d for a terminal, its hint on a line of its own: its path,
// message and hint made safe (literal.Line).
func Diagnostic(d desired.Diagnostic) string {
	d.Path, d.Message, d.Hint = literal.Line(d.Path), literal.Line(d.Message), literal.Line(d.Hint)
	return d.String()
}

// FleetExport writes export's result per account and returns the number
// of accounts that failed. The account of a menus file goes to w when it
// has no file (export to standard output); its warnings and where it went
// to errw.
func FleetExport(w, errw io.Writer, exported []fleet.Exported) (int, error) {
	if len(exported) == 1 && exported[0].Name == "" {
		x := exported[0]
		if x.Err != nil {
			message, hint := reconcile.Failed(nil, exportError(x.File, x.Err)).Problem()
			return 0, errtext.Errorf(hint, "%s", message)
		}
		for _, warning := range x.Warnings {
			printLine(errw, "wxmenu: warning: %s", warning)
		}
		if x.File == "" {
			w.Write(x.Data)
		} else {
			printLine(errw, "wxmenu: exported %s to %s", x.What, x.File)
		}
		return 0, nil
	}
	failed := 0
	for _, x := range exported {
		if x.Err != nil {
			failed++
			printLine(errw, "wxmenu: error: %s: %v", x.Name, x.Err)
			if h := errtext.Hint(x.Err); h != "" {
				printLine(errw, "hint: %s", h)
			}
			continue
		}
		if x.Template != "" {
			printLine(w, "%s: bound to template %s (its live menus are the template's)", x.Name, x.Template)
			continue
		}
		for _, warning := range x.Warnings {
			printLine(errw, "wxmenu: warning: %s: %s", x.Name, warning)
		}
		printLine(w, "%s: exported to %s (%s)", x.Name, x.File, x.What)
	}
	printLine(w, "%s: %d exported, %d failed", Count(len(exported), "account"), len(exported)-failed, failed)
	return failed, nil
}

// FleetSnapshot writes what export --snapshot read per account of a
// project (project), its failures on errw with their hints. The account of
// a menus file prints nothing; its failure is returned with its hint, for
// the caller to print as the command's error.
func FleetSnapshot(w, errw io.Writer, taken []fleet.Taken, project bool) error {
	if !project {
		if t := taken[0]; t.Err != nil {
			message, hint := reconcile.Failed(nil, t.Err).Problem()
			return errtext.Errorf(hint, "%s", message)
		}
		return nil
	}
	for _, t := range taken {
		if t.Err != nil {
			message, hint := reconcile.Failed(nil, t.Err).Problem()
			printLine(errw, "wxmenu: error: %s: %s", t.Name, message)
			if hint != "" {
				printLine(errw, "hint: %s", hint)
			}
			continue
		}
		printLine(w, "%s: read %s", t.Name, t.Account.Summary())
	}
	return nil
}

// FleetTryMatch writes, per account, which menu user sees and its
// buttons; failures go to errw. It returns the number of failures.
func FleetTryMatch(w, errw io.Writer, user string, matched []fleet.Matched) (int, error) {
	if m := matched; len(m) == 1 && m[0].Name == "" && m[0].Err != nil {
		if hint := reconcile.WeChatHint(m[0].Err); hint != "" {
			return 0, &errtext.Error{Err: m[0].Err, Hint: hint}
		}
		return 0, m[0].Err
	}
	failed := 0
	for _, m := range matched {
		if m.Err != nil {
			failed++
			printLine(errw, "wxmenu: error: %s: %v", m.Name, m.Err)
			continue
		}
		printLine(w, "%s%s sees %s", named(m.Name), user, SeenMenu(m.State, m.Buttons))
		for _, line := range ButtonLines(m.Buttons) {
			fmt.Fprintln(w, "  "+line)
		}
	}
	return failed, nil
}

// exportError words the failure of export to --out (the account of a
// menus file, not a project's): a file that exists, or a directory, is
// left as it is, and the hint names a file that is free.
func exportError(out string, err error) error {
	if !errors.As(err, new(*fleet.ExistsError)) {
		return err
	}
	info, err := os.Lstat(out)
	if err == nil && info.IsDir() {
		return errtext.Errorf("name a file, e.g. --out "+ShellWord(filepath.Join(out, "menus.yaml")), "--out %s is a directory", out)
	}
	if err == nil && info.Mode()&(fs.ModeType&^fs.ModeSymlink) != 0 {
		// A device, a pipe: --force would not replace it either.
		return errtext.Errorf("export to a file: --out exported.yaml", "--out %s is not a regular file; export leaves it as it is", out)
	}
	fresh := filepath.Join(filepath.Dir(out), "exported.yaml")
	for i := 2; ; i++ {
		if _, err := os.Lstat(fresh); err != nil {
			break
		}
		fresh = filepath.Join(filepath.Dir(out), "exported-"+strconv.Itoa(i)+".yaml")
	}
	return errtext.Errorf("export to a new file (wxmenu export --out "+ShellWord(fresh)+"), or add --force to replace "+ShellWord(out),
		"--out %s exists; export leaves it as it is", out)
}

package fleet

import (
	"cmp"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/wxmenu/wxmenu/internal/errtext"
	"github.com/wxmenu/wxmenu/reconcile/plans"
	"github.com/wxmenu/wxmenu/reconcile/project"
)

// Select is the accounts of p a command runs on: those patterns
// (--account) select and, when changedList (--changed-files) names a list
// of changed paths, of them those whose menus file it lists (read against
// wd, see project.ChangedBase). ok is false when the list touches none:
// the command has nothing to do, and a notice on notices says so and where
// the paths were read from, so that a list read against the wrong folder
// does not pass for a change to no account.
func Select(p *project.Project, patterns []string, changedList, wd string, notices io.Writer) (accounts []project.Account, ok bool, err error) {
	accounts, err = p.Select(patterns)
	if err != nil || changedList == "" {
		return accounts, err == nil, err
	}
	list, err := os.ReadFile(changedList)
	if err != nil {
		return nil, false, err
	}
	base, inRepo := p.ChangedBase(wd)
	// A project with no accounts yet has none a change can touch either.
	if accounts = p.Changed(accounts, strings.Split(string(list), "\n"), base); len(accounts) > 0 {
		return accounts, true, nil
	}
	which := "no account's"
	if len(patterns) > 0 {
		which = "no selected account's"
	}
	from := "the repository root " + base
	if !inRepo {
		from = "the working directory " + base + ", as no git repository holds " + p.Path
	}
	fmt.Fprintf(notices, "wxmenu: %s menus file is listed in %s (its paths read relative to %s): nothing to do\n", which, changedList, from)
	return nil, false, nil
}

// ApplyInput decides whether apply works on a project, from its arguments
// (args), its -f (file) and its --config (config):
//
//   - one argument that is a saved project plan: that plan (saved) and the
//     project it names, or the one config names;
//   - otherwise, the project project.Find finds (no -f, and --config or
//     ./wxmenu.yaml), which apply plans and applies in one go only with
//     autoApprove (--auto-approve): it never asks about a project, and
//     returns the project with an error saying so instead.
//
// A nil project and no error mean apply works on one menus file
// (ApplyFile), with saved the plan of one menus file when the argument is
// one (read once, here). That is also the answer for an argument that is
// not a readable plan, and for more than one argument: ApplyFile says what
// is wrong.
//
// skipStale (--skip-stale) is for a saved plan: without one it is refused
// rather than ignored, which would read as if stale accounts were skipped.
func ApplyInput(args []string, file, config string, autoApprove, skipStale bool) (p *project.Project, saved *plans.File, err error) {
	switch {
	case len(args) == 0 && skipStale:
		return nil, nil, errtext.Errorf("drop --skip-stale: a plan made and applied in one go has no stale account", "--skip-stale applies the fresh accounts of a saved plan, and there is none")
	case len(args) > 1:
		return nil, nil, nil
	case len(args) == 1:
		saved, err := plans.ReadFile(args[0])
		switch {
		case err == nil && saved.Project == "" && config != "" && config != os.Getenv("WXMENU_CONFIG") && file == "":
			// --config would be ignored: the plan's account is the one of
			// the credentials, not of a project. (WXMENU_CONFIG is not
			// refused: a pipeline may set it for its project jobs, and -f
			// wins over it everywhere.)
			return nil, nil, errtext.Errorf("apply it without --config: wxmenu apply "+args[0], "%s is the plan of one menus file, not of the project %s", args[0], config)
		case err != nil:
			return nil, nil, nil
		case saved.Project == "":
			return nil, saved, nil
		case file != "":
			// -f (or WXMENU_FILE) would be ignored: a project's plan
			// applies the accounts it lists.
			return nil, nil, errtext.Errorf("apply it without -f (and with WXMENU_FILE unset); --account NAME applies one of its accounts",
				"%s is the plan of the project %s, not of the menus file %s", args[0], saved.Project, file)
		}
		p, err = project.Load(cmp.Or(config, saved.Project))
		return p, saved, err
	}
	p, err = project.Find(file, config)
	if p != nil && err == nil && !autoApprove {
		return p, nil, errtext.Errorf("pass --auto-approve, or apply a saved plan (wxmenu plan --out plan.json, then wxmenu apply plan.json)",
			"apply of a project needs --auto-approve or a saved plan")
	}
	return p, nil, err
}

// ApplyFile is what apply on one menus file works on: the saved plan
// (args[0], if any: saved when ApplyInput read it, else read here to say
// why it cannot be) and the desired-state file (file, the -f, else the
// file the saved plan was made from). A saved plan needs no confirmation
// (it was reviewed); planning and applying in one go asks first, so it
// needs autoApprove (--auto-approve) or an interactive standard input.
func ApplyFile(args []string, saved *plans.File, file string, autoApprove, interactive bool) (_ *plans.File, desiredFile string, err error) {
	switch {
	case len(args) > 1:
		return nil, "", errtext.Errorf("flags go before PLAN.json", "apply takes one plan file, got %d arguments", len(args))
	case len(args) == 1 && strings.HasPrefix(args[0], "-"):
		return nil, "", errtext.Errorf("flags go before PLAN.json", "unexpected flag %q", args[0])
	case len(args) == 1:
		if saved == nil {
			if saved, err = plans.ReadFile(args[0]); err != nil {
				return nil, "", err
			}
		}
		return saved, cmp.Or(file, saved.Single().DesiredFile), nil
	case file == "":
		return nil, "", errtext.Errorf("make a plan (wxmenu plan -f menus.yaml --out plan.json), review it and apply it (wxmenu apply plan.json), or plan and apply in one go (wxmenu apply -f menus.yaml)", "nothing to apply")
	case !autoApprove && !interactive:
		return nil, "", errtext.Errorf("pass --auto-approve to apply without a question, or apply a saved plan", "apply -f needs confirmation, and standard input is not a terminal")
	}
	return nil, file, nil
}

package cmdline

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/wxmenu/wxmenu/internal/buildinfo"
	"github.com/wxmenu/wxmenu/internal/errtext"
	"github.com/wxmenu/wxmenu/reconcile/fleet"
	"github.com/wxmenu/wxmenu/reconcile/plans"
	"github.com/wxmenu/wxmenu/reconcile/project"
	"github.com/wxmenu/wxmenu/reconcile/render"
)

// FleetView is how fleet plan and apply show their report: Format (the
// --format) json, markdown (as comment parts, written to MarkdownDir when
// it is not "") or anything else text, coloured with Color. Detailed is
// --detailed-exitcode.
type FleetView struct {
	Stdout, Stderr      io.Writer
	Format, MarkdownDir string
	Color, Detailed     bool
	// Globals are the flags the commands it prints repeat (HintGlobals).
	Globals []string
	// Project is the project file as given; SavedAs the saved plan shown
	// (show), "" for a run's report.
	Project, SavedAs string
}

// options are the renderers' options of the view.
func (v FleetView) options() render.Options {
	return render.Options{Color: v.Color, Globals: v.Globals, Project: v.Project, SavedAs: v.SavedAs}
}

// FleetViewOf is the view a fleet command's flags ask for; globals as
// HintGlobals gives them.
func FleetViewOf(c *cli.Context, stdout, stderr io.Writer, globals []string, p *project.Project) FleetView {
	return FleetView{Stdout: stdout, Stderr: stderr, Format: c.String("format"), MarkdownDir: c.String("out-markdown-dir"),
		Color: UseColor(c, stdout), Detailed: c.Bool("detailed-exitcode"), Globals: globals, Project: p.Path}
}

// Show prints rep and returns the exit of its most severe outcome
// (ExitForFleet).
func (v FleetView) Show(rep *fleet.Report) error {
	switch v.Format {
	case "json":
		if err := render.FleetJSON(v.Stdout, rep, v.options()); err != nil {
			return err
		}
	case "html":
		if err := render.FleetHTML(v.Stdout, rep); err != nil {
			return err
		}
	case "markdown":
		n, err := render.WriteFleetMarkdown(v.Stdout, rep, v.options(), v.MarkdownDir)
		if err != nil {
			return Fail(ExitError, "", "%v", errtext.PathReason(err))
		}
		if v.MarkdownDir != "" {
			fmt.Fprintf(v.Stderr, "wxmenu: wrote %d comment parts to %s\n", n, v.MarkdownDir)
		}
	default:
		if err := render.FleetText(v.Stdout, rep, v.options()); err != nil {
			return err
		}
	}
	return ExitForFleet(rep, v.Detailed)
}

// ShowPlan is Show for a fleet plan of the project at projectPath that,
// when out (--out) is not "", is saved there first, made at now. A plan
// that cannot be saved (an account failed or is blocked, or the write
// failed) is shown all the same, and the error is why it was not saved.
func (v FleetView) ShowPlan(rep *fleet.Report, projectPath, out string, now time.Time) error {
	if out == "" {
		return v.Show(rep)
	}
	saved, err := rep.SavedPlan(projectPath, buildinfo.ToolVersion(), now)
	if err == nil {
		err = WriteOut(v.Stdout, out, func(w io.Writer) error { return plans.WriteFile(w, saved) })
	}
	if err != nil {
		v.Show(rep) // its exit is the error's
		return err
	}
	exit := v.Show(rep)
	fmt.Fprintf(v.Stderr, "wxmenu: plan of %d accounts saved to %s; apply it with: %s\n", len(saved.Accounts), out, WithGlobals("wxmenu apply "+shellQuote(out), v.Globals))
	return exit
}

// FleetAccounts is the accounts of p a fleet command runs on: those
// patterns (--account) select, and of them, when changedFiles
// (--changed-files) names a list of changed paths, those whose menus file
// it lists (project.SelectChanged; relative paths are read from the root
// of the repository, else from wd, the working directory). run is false
// when the list touches none of them: the command has nothing to do, and
// a notice on stderr says so and where the paths were read from, so that
// a list read against the wrong folder does not pass for a change to no
// account.
func FleetAccounts(stderr io.Writer, p *project.Project, patterns []string, changedFiles, wd string) (selected []project.Account, run bool, err error) {
	selected, none, err := p.SelectChanged(patterns, changedFiles, wd)
	if err != nil {
		return nil, false, err
	}
	if none {
		which := "no account's"
		if len(patterns) > 0 {
			which = "no selected account's"
		}
		base, inRepo := p.ChangedBase(wd)
		from := "the repository root " + base
		if !inRepo {
			from = "the working directory " + base + ", as no git repository holds " + p.Path
		}
		fmt.Fprintf(stderr, "wxmenu: %s menus file is listed in %s (its paths read relative to %s): nothing to do\n", which, changedFiles, from)
		return nil, false, nil
	}
	return selected, true, nil
}

// FleetApplyAccounts is the accounts a fleet apply works on: the selected
// ones, or those of them a saved plan covers (fleet.PlannedAccounts).
func FleetApplyAccounts(selected []project.Account, saved *plans.File) ([]project.Account, error) {
	if saved == nil {
		return selected, nil
	}
	return fleet.PlannedAccounts(selected, saved)
}

// FleetExport is export on a project: each selected account's menus to
// its file or, with bootstrap (--bootstrap-platform), every authorizer of
// the platform the project does not list yet, added to the project file.
// It prints what was exported and returns ExitForProblems of the failures.
func FleetExport(ctx context.Context, stdout, stderr io.Writer, p *project.Project, opts fleet.Options, bootstrap bool, globals []string) error {
	if !bootstrap {
		return ExitForProblems(render.FleetExport(stdout, stderr, fleet.Export(ctx, opts)))
	}
	list, err := opts.Authorizers(ctx)
	if err != nil {
		return err
	}
	exported, err := fleet.Bootstrap(ctx, p, list, opts)
	if err != nil {
		return WriteError(p.Path, err)
	}
	exit := ExitForProblems(render.FleetExport(stdout, stderr, exported))
	fmt.Fprintf(stderr, "wxmenu: %s lists %d accounts; check them with: %s\n", p.Path, len(p.Accounts), WithGlobals("wxmenu plan --config "+shellQuote(p.Path), globals))
	return exit
}

// ExitForProblems is the exit of a fleet command whose problems (n of
// them) were reported already: ExitError when there are any.
func ExitForProblems(n int) error {
	if n > 0 {
		return Reported(ExitError)
	}
	return nil
}

package main

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/wxmenu/wxmenu/internal/buildinfo"
	"github.com/wxmenu/wxmenu/internal/cmdline"
	"github.com/wxmenu/wxmenu/reconcile"
	"github.com/wxmenu/wxmenu/reconcile/fleet"
	"github.com/wxmenu/wxmenu/reconcile/plans"
	"github.com/wxmenu/wxmenu/reconcile/project"
	"github.com/wxmenu/wxmenu/reconcile/render"
)

// view is how a command shows the report of its run in the --format
// asked for: a run on a menus file (-f) with the single-account renderers,
// its plan and apply output as the README documents them; a run on a
// project with the project's, one section per account and a summary.
type view struct {
	stdout, stderr io.Writer
	fl             *flags
	opts           render.Options
	// single renders the plan of a menus file; nil for a project.
	single func(io.Writer, *plans.Plan) error
}

// view is the view of a run on p (nil for a menus file) whose plan is
// shown from savedAs ("" for a run's own), or an error that lists the
// formats.
func (e *env) view(fl *flags, p *project.Project, savedAs string) (*view, error) {
	v := &view{stdout: e.stdout, stderr: e.stderr, fl: fl, opts: render.Options{Color: fl.color, Globals: e.globals, SavedAs: savedAs}}
	show, err := render.ForFormatWith(fl.format, v.opts)
	if err != nil {
		return nil, cmdline.Fail(cmdline.ExitError, "use --format text, markdown, json or html", "%v", err)
	}
	if p != nil {
		v.opts.Project = p.Path
	} else {
		v.single = show
	}
	return v, nil
}

// show prints rep and returns its exit: for a menus file, its plan (a
// blocked one too, with why) and the exit of its result; for a project,
// the report and the exit of its most severe outcome. Either way
// --detailed-exitcode exits 2 on changes.
func (v *view) show(rep *fleet.Report) error {
	if v.single != nil {
		r := rep.Outcomes[0].Result
		if r.Plan != nil {
			if err := v.single(v.stdout, r.Plan); err != nil {
				return err
			}
		}
		if err := cmdline.ExitFor(r); err != nil {
			return err
		}
		return cmdline.DetailedExit(v.fl.detailed, r.Plan.HasChanges())
	}
	var err error
	switch v.fl.format {
	case "json":
		err = render.FleetJSON(v.stdout, rep, v.opts)
	case "html":
		err = render.FleetHTML(v.stdout, rep)
	case "markdown", "md":
		var n int
		if n, err = render.WriteFleetMarkdown(v.stdout, rep, v.opts, v.fl.markdownDir); err != nil {
			return cmdline.Fail(cmdline.ExitError, "", "%v", cmdline.UnwrapPathError(err))
		}
		if v.fl.markdownDir != "" {
			fmt.Fprintf(v.stderr, "wxmenu: wrote %d comment parts to %s\n", n, v.fl.markdownDir)
		}
	default:
		err = render.FleetText(v.stdout, rep, v.opts)
	}
	if err != nil {
		return err
	}
	return cmdline.ExitForFleet(rep, v.fl.detailed)
}

// plan is show for plan's report, saved first to --out when every
// account was planned (a blocked or failed plan is shown, never saved),
// with the command that applies it; p is the project planned.
func (v *view) plan(rep *fleet.Report, p *project.Project) error {
	out := v.fl.out
	if out == "" {
		return v.show(rep)
	}
	saved, err := rep.SavedPlan(v.opts.Project, buildinfo.ToolVersion(), time.Now())
	if err == nil {
		err = cmdline.WriteOut(v.stdout, out, func(w io.Writer) error { return plans.WriteFile(w, saved) })
	}
	exit := v.show(rep)
	if err != nil && v.single != nil && rep.Outcomes[0].Result.Err != nil {
		return exit // not saved: the plan's own exit says why
	}
	if err != nil {
		return err
	}
	what := "plan"
	if p != nil {
		what = fmt.Sprintf("plan of %d accounts", len(saved.Accounts))
	}
	fmt.Fprintf(v.stderr, "wxmenu: %s saved to %s; apply it with: %s\n", what, out, cmdline.WithGlobals("wxmenu apply "+cmdline.Quote(out), v.opts.Globals))
	return exit
}

// apply is show for apply's report: for a menus file, what a stopped
// apply did (text; the plan and the steps were shown as they came, see
// hooks) or its one result document (json).
func (v *view) apply(rep *fleet.Report) error {
	if v.single == nil {
		return v.show(rep)
	}
	r := rep.Outcomes[0].Result
	if v.fl.format == "json" {
		if err := render.ApplyJSON(v.stdout, r); err != nil {
			return err
		}
	} else {
		render.ApplySummary(v.stdout, r)
	}
	return cmdline.ExitFor(r)
}

// hooks are what apply on a menus file shows and asks as it runs: as
// text, the plan made and each step; unless --auto-approve, a plan made
// by the run is applied only once standard input answers yes (a saved
// plan was reviewed).
func (e *env) hooks(ctx context.Context, fl *flags, v *view, opts *fleet.Options, saved bool) {
	name := "account " + opts.Accounts[0].AppID
	if fl.format != "json" {
		if !saved {
			opts.Show = func(rep *fleet.Report) {
				if p := rep.Outcomes[0].Result.Plan; p != nil {
					render.Text(v.stdout, p, render.Options{Color: fl.color, Applying: true})
				}
			}
		}
		opts.Progress = func(_ project.Account, ev reconcile.ProgressEvent) {
			if ev.Index == 0 && ev.Result == nil { // printed only once the plan passed its checks
				fmt.Fprintf(v.stdout, "\nApplying %d steps to %s\n", ev.Total, name)
			}
			render.Progress(v.stdout, ev, fl.color)
		}
	}
	if !saved && !fl.autoApprove {
		opts.Confirm = func(*fleet.Report) bool {
			fmt.Fprint(e.stdout, "\nApply these changes to "+name+"? Only 'yes' is accepted: ")
			answer, err := reconcile.ReadLine(ctx, e.stdin) // an interrupt or the end of input declines at once
			return err == nil && strings.TrimSpace(answer) == "yes"
		}
	}
}

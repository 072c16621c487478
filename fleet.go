package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/wxmenu/wxmenu/internal/buildinfo"
	"github.com/wxmenu/wxmenu/internal/cmdline"
	"github.com/wxmenu/wxmenu/reconcile/account"
	"github.com/wxmenu/wxmenu/reconcile/fleet"
	"github.com/wxmenu/wxmenu/reconcile/plans"
	"github.com/wxmenu/wxmenu/reconcile/project"
	"github.com/wxmenu/wxmenu/reconcile/render"
)

// projectOf is the project a command without -f works on, or nil for the
// single-account mode (see project.Find).
func projectOf(c *cli.Context) (*project.Project, error) {
	return project.Find(c.String("file"), cmdline.String(c, "config"))
}

// fleetRun opens the selected accounts of p and runs f with the options
// of a fleet run.
func fleetRun(c *cli.Context, e *env, p *project.Project, readOnly bool, f func(ctx context.Context, opts fleet.Options) error) error {
	wd, _ := os.Getwd()
	selected, none, err := p.SelectChanged(cmdline.StringSlice(c, "account"), cmdline.String(c, "changed-files"), wd)
	if err != nil {
		return err
	}
	if none {
		fmt.Fprintf(e.stderr, "wxmenu: no account's menus file is listed in %s: nothing to do\n", cmdline.String(c, "changed-files"))
		return nil
	}
	fl, err := account.OpenFleet(cmdline.FleetSpec(c, p, readOnly, e.stderr))
	if err != nil {
		return err
	}
	defer fl.Close()
	ctx, cancel := context.WithTimeout(c.Context, cmdline.Duration(c, "timeout"))
	defer cancel()
	return f(ctx, cmdline.FleetOptions(c, selected, fl))
}

// showFleet prints a fleet report in the command's --format and returns
// the exit of its most severe outcome.
func showFleet(c *cli.Context, e *env, rep *fleet.Report) error {
	switch c.String("format") {
	case "json":
		if err := render.FleetJSON(e.stdout, rep); err != nil {
			return err
		}
	case "markdown":
		dir := c.String("out-markdown-dir")
		n, err := render.WriteFleetMarkdown(e.stdout, rep, dir)
		if err != nil {
			return fail(cmdline.ExitError, "", "%v", cmdline.UnwrapPathError(err))
		}
		if dir != "" {
			fmt.Fprintf(e.stderr, "wxmenu: wrote %d comment parts to %s\n", n, dir)
		}
	default:
		if err := render.FleetText(e.stdout, rep, render.Options{Color: cmdline.UseColor(c, e.stdout)}); err != nil {
			return err
		}
	}
	return cmdline.ExitForFleet(rep, c.Bool("detailed-exitcode"))
}

func runFleetPlan(c *cli.Context, e *env, p *project.Project) error {
	return fleetRun(c, e, p, true, func(ctx context.Context, opts fleet.Options) error {
		rep := fleet.Plan(ctx, opts)
		if out := c.String("out"); out != "" {
			saved, err := rep.SavedPlan(p.Path, buildinfo.ToolVersion(), time.Now())
			if err == nil {
				err = cmdline.WriteOut(e.stdout, out, func(w io.Writer) error { return plans.WriteFleet(w, saved) })
			}
			if err != nil {
				showFleet(c, e, rep)
				return err
			}
			defer fmt.Fprintf(e.stderr, "wxmenu: plan of %d accounts saved to %s; apply it with: wxmenu apply %s\n", len(saved.Accounts), out, out)
		}
		return showFleet(c, e, rep)
	})
}

// runFleetApply applies a saved fleet plan (saved not nil) or plans and
// applies the project.
func runFleetApply(c *cli.Context, e *env, p *project.Project, saved *plans.FleetPlan) error {
	return fleetRun(c, e, p, false, func(ctx context.Context, opts fleet.Options) error {
		if saved != nil {
			var err error
			if opts.Accounts, err = fleet.PlannedAccounts(opts.Accounts, saved); err != nil {
				return err
			}
		}
		return showFleet(c, e, fleet.Apply(ctx, opts, saved))
	})
}

func runFleetValidate(e *env, p *project.Project, c *cli.Context) error {
	selected, err := p.Select(cmdline.StringSlice(c, "account"))
	if err != nil {
		return err
	}
	if problems := render.FleetValidate(e.stdout, e.stderr, fleet.Validate(selected)); problems > 0 {
		return cmdline.Reported(cmdline.ExitError)
	}
	return nil
}

func runFleetExport(c *cli.Context, e *env, p *project.Project) error {
	return fleetRun(c, e, p, true, func(ctx context.Context, opts fleet.Options) error {
		if !c.Bool("bootstrap-platform") {
			return exportReport(e, fleet.Export(ctx, opts))
		}
		list, err := opts.Authorizers(ctx)
		if err != nil {
			return err
		}
		exported, err := fleet.Bootstrap(ctx, p, list, opts)
		if err != nil {
			return cmdline.WriteError(p.Path, err)
		}
		defer fmt.Fprintf(e.stderr, "wxmenu: %s lists %d accounts; check them with: wxmenu plan --config %s\n", p.Path, len(p.Accounts), p.Path)
		return exportReport(e, exported)
	})
}

func exportReport(e *env, exported []fleet.Exported) error {
	if render.FleetExport(e.stdout, e.stderr, exported) > 0 {
		return cmdline.Reported(cmdline.ExitError)
	}
	return nil
}

func runFleetTryMatch(c *cli.Context, e *env, p *project.Project, user string) error {
	return fleetRun(c, e, p, true, func(ctx context.Context, opts fleet.Options) error {
		if render.FleetTryMatch(e.stdout, e.stderr, user, fleet.TryMatch(ctx, opts, user)) > 0 {
			return cmdline.Reported(cmdline.ExitError)
		}
		return nil
	})
}

package main

import (
	"context"
	"os"
	"time"

	"github.com/urfave/cli/v2"

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
	selected, run, err := cmdline.FleetAccounts(e.stderr, p, cmdline.StringSlice(c, "account"), cmdline.String(c, "changed-files"), wd)
	if err != nil || !run {
		return err
	}
	fl := account.Open(cmdline.FleetSpec(c, p, readOnly, e.stderr))
	defer fl.Close()
	return f(c.Context, cmdline.FleetOptions(c, selected, fl)) // within --timeout (timed)
}

func runFleetPlan(c *cli.Context, e *env, p *project.Project) error {
	return fleetRun(c, e, p, true, func(ctx context.Context, opts fleet.Options) error {
		return cmdline.FleetViewOf(c, e.stdout, e.stderr, e.globals, p).ShowPlan(fleet.Plan(ctx, opts), p.Path, c.String("out"), time.Now())
	})
}

// runFleetApply applies a saved fleet plan (saved not nil) or plans and
// applies the project.
func runFleetApply(c *cli.Context, e *env, p *project.Project, saved *plans.File) error {
	return fleetRun(c, e, p, false, func(ctx context.Context, opts fleet.Options) error {
		var err error
		if opts.Accounts, err = cmdline.FleetApplyAccounts(opts.Accounts, saved); err != nil {
			return err
		}
		return cmdline.FleetViewOf(c, e.stdout, e.stderr, e.globals, p).Show(fleet.Apply(ctx, opts, saved))
	})
}

func runFleetValidate(e *env, p *project.Project, c *cli.Context) error {
	selected, err := p.Select(cmdline.StringSlice(c, "account"))
	if err != nil {
		return err
	}
	return cmdline.ExitForProblems(render.FleetValidate(e.stdout, e.stderr, fleet.Validate(c.Context, selected, c.Int("max-conditional"))))
}

func runFleetExport(c *cli.Context, e *env, p *project.Project) error {
	return fleetRun(c, e, p, true, func(ctx context.Context, opts fleet.Options) error {
		opts.ReplaceFiles = c.Bool("force")
		return cmdline.FleetExport(ctx, e.stdout, e.stderr, p, opts, c.Bool("bootstrap-platform"), e.globals)
	})
}

func runFleetTryMatch(c *cli.Context, e *env, p *project.Project, user string) error {
	return fleetRun(c, e, p, true, func(ctx context.Context, opts fleet.Options) error {
		return cmdline.ExitForProblems(render.FleetTryMatch(e.stdout, e.stderr, user, fleet.TryMatch(ctx, opts, user)))
	})
}

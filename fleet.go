package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/wxmenu/wxmenu/internal/buildinfo"
	"github.com/wxmenu/wxmenu/internal/cmdline"
	"github.com/wxmenu/wxmenu/reconcile"
	"github.com/wxmenu/wxmenu/reconcile/account"
	"github.com/wxmenu/wxmenu/reconcile/fleet"
	"github.com/wxmenu/wxmenu/reconcile/plans"
	"github.com/wxmenu/wxmenu/reconcile/project"
	"github.com/wxmenu/wxmenu/reconcile/render"
)

// projectOf is the project a command without -f works on, or nil for the
// single-account mode (-f given, or no project file found).
func projectOf(c *cli.Context) (*project.Project, error) {
	if c.String("file") != "" {
		return nil, nil
	}
	path := cmdline.String(c, "config")
	if path == "" {
		if _, err := os.Stat(project.DefaultFile); err != nil {
			return nil, nil
		}
		path = project.DefaultFile
	}
	return project.Load(path)
}

// fleetRun opens the selected accounts of p and runs f with the options
// of a fleet run.
func fleetRun(c *cli.Context, e *env, p *project.Project, readOnly bool, f func(ctx context.Context, opts fleet.Options) error) error {
	selected, err := p.Select(cmdline.StringSlice(c, "account"))
	if err != nil {
		return err
	}
	if changed := cmdline.String(c, "changed-files"); changed != "" {
		b, err := os.ReadFile(changed)
		if err != nil {
			return err
		}
		wd, _ := os.Getwd()
		if selected = p.Changed(selected, strings.Split(string(b), "\n"), wd); len(selected) == 0 {
			fmt.Fprintf(e.stderr, "wxmenu: no account's menus file is listed in %s: nothing to do\n", changed)
			return nil
		}
	}
	fl, err := account.OpenFleet(account.FleetSpec{Project: p, APIBases: account.SplitBases(cmdline.String(c, "api-base")), LegacyToken: cmdline.Bool(c, "legacy-token"),
		ReadOnly: readOnly, Sandbox: cmdline.Bool(c, "sandbox"), SandboxState: sandboxStatePath(c), Notices: e.stderr})
	if err != nil {
		return err
	}
	defer fl.Close()
	ctx, cancel := context.WithTimeout(c.Context, cmdline.Duration(c, "timeout"))
	defer cancel()
	lockDir := c.String("lock-dir")
	if lockDir == "" {
		lockDir = filepath.Join(account.StateDir(), "locks")
	}
	return f(ctx, fleet.Options{Accounts: selected, Parallel: cmdline.Int(c, "parallel"),
		Open: func(ctx context.Context, a project.Account) (reconcile.MenuAPI, error) {
			acct, err := fl.Open(ctx, a)
			if err != nil {
				return nil, err
			}
			return acct.Client, nil
		},
		Plan: cmdline.PlanOptions(c, ""), MaxConditional: c.Int("max-conditional"), LockDir: lockDir, LockWait: c.Duration("lock-timeout"),
		AuditPath: c.String("audit-log"), ToolVersion: buildinfo.ToolVersion(), SkipStale: c.Bool("skip-stale"), Authorizers: fl.Authorizers})
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
			return fail(cmdline.ExitError, "", "%v", unwrapPathError(err))
		}
		if dir != "" {
			fmt.Fprintf(e.stderr, "wxmenu: wrote %d comment parts to %s\n", n, dir)
		}
	default:
		if err := render.FleetText(e.stdout, rep, render.Options{Color: cmdline.UseColor(c, e.stdout)}); err != nil {
			return err
		}
	}
	worst := rep.Worst()
	if worst == nil {
		return nil
	}
	if err := cmdline.ExitFor(worst.Result); err != nil {
		code := cmdline.ExitError
		if ce := (*cliError)(nil); errors.As(err, &ce) {
			code = ce.Code
		}
		return &cliError{Code: code, Err: cmdline.ErrReported}
	}
	if c.Bool("detailed-exitcode") && rep.HasChanges() {
		return &cliError{Code: cmdline.ExitChanges, Err: cmdline.ErrHasChanges}
	}
	return nil
}

func runFleetPlan(c *cli.Context, e *env, p *project.Project) error {
	return fleetRun(c, e, p, true, func(ctx context.Context, opts fleet.Options) error {
		rep := fleet.Plan(ctx, opts)
		if out := c.String("out"); out != "" {
			saved, err := rep.SavedPlan(p.Path, buildinfo.ToolVersion(), time.Now())
			if err == nil {
				err = e.writeOut(out, func(w io.Writer) error { return plans.WriteFleet(w, saved) })
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
	if saved == nil && !c.Bool("auto-approve") {
		return fail(cmdline.ExitError, "pass --auto-approve, or apply a saved plan (wxmenu plan --out plan.json, then wxmenu apply plan.json)", "apply of a project needs --auto-approve or a saved plan")
	}
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
		return &cliError{Code: cmdline.ExitError, Err: cmdline.ErrReported}
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
			return fail(cmdline.ExitError, "", "writing %s: %v", p.Path, unwrapPathError(err))
		}
		defer fmt.Fprintf(e.stderr, "wxmenu: %s lists %d accounts; check them with: wxmenu plan --config %s\n", p.Path, len(p.Accounts), p.Path)
		return exportReport(e, exported)
	})
}

func exportReport(e *env, exported []fleet.Exported) error {
	if render.FleetExport(e.stdout, e.stderr, exported) > 0 {
		return &cliError{Code: cmdline.ExitError, Err: cmdline.ErrReported}
	}
	return nil
}

// orNoFile runs f on a loaded project, or says what is missing.
func orNoFile(err error, p *project.Project, f func() error) error {
	switch {
	case err != nil:
		return err
	case p == nil:
		return fail(cmdline.ExitError, "pass -f menus.yaml for one account, or --config wxmenu.yaml for a project", "no menus file: -f is not given and there is no %s here", project.DefaultFile)
	}
	return f()
}

// fleetApplyInput decides whether apply works on a project: a saved fleet
// plan, or no -f and a project file.
func fleetApplyInput(c *cli.Context) (p *project.Project, saved *plans.FleetPlan, ok bool, err error) {
	if c.NArg() == 1 {
		single, fl, err := plans.ReadAnyFile(c.Args().First())
		if err != nil || single != nil {
			return nil, nil, false, nil // the single-account path reports it
		}
		saved = fl
		path := cmdline.String(c, "config")
		if path == "" {
			path = saved.Project
		}
		p, err = project.Load(path)
		return p, saved, true, err
	}
	if p, err = projectOf(c); p != nil || err != nil {
		return p, nil, true, err
	}
	return nil, nil, false, nil
}

func runFleetTryMatch(c *cli.Context, e *env, p *project.Project, user string) error {
	return fleetRun(c, e, p, true, func(ctx context.Context, opts fleet.Options) error {
		if render.FleetTryMatch(e.stdout, e.stderr, user, fleet.TryMatch(ctx, opts, user)) > 0 {
			return &cliError{Code: cmdline.ExitError, Err: cmdline.ErrReported}
		}
		return nil
	})
}

package main

import (
	"context"
	"fmt"

	"github.com/urfave/cli/v2"

	"github.com/wxmenu/wxmenu/internal/buildinfo"
	"github.com/wxmenu/wxmenu/internal/cmdline"
	"github.com/wxmenu/wxmenu/reconcile"
	"github.com/wxmenu/wxmenu/reconcile/account"
	"github.com/wxmenu/wxmenu/reconcile/desired"
	"github.com/wxmenu/wxmenu/reconcile/fleet"
	"github.com/wxmenu/wxmenu/reconcile/plans"
	"github.com/wxmenu/wxmenu/reconcile/project"
	"github.com/wxmenu/wxmenu/reconcile/render"
	"github.com/wxmenu/wxmenu/wechat"
)

func newApp(e *env) *cli.App {
	// The commands that read a menus file or an account run within
	// --timeout; sandbox serve runs until it is stopped.
	app := cmdline.App(cmdline.Actions{Validate: timed(e.validate), Plan: timed(e.plan), Apply: timed(e.apply), Show: e.show,
		Export: timed(e.export), Schema: e.schema, TryMatch: timed(e.trymatch), SandboxServe: e.sandboxServe, SandboxReset: e.sandboxReset})
	app.Reader, app.Writer, app.ErrWriter = e.stdin, e.stdout, e.stderr
	app.CommandNotFound = func(c *cli.Context, name string) { e.unknownCommand = name }
	return app
}

func (e *env) validate(c *cli.Context) error {
	p, file, err := cmdline.ValidateInput(c.Args().Slice(), c.String("file"), cmdline.String(c, "config"))
	if p != nil || err != nil {
		return ifLoaded(err, func() error { return runFleetValidate(e, p, c) })
	}
	ds, warnings, err := cmdline.Validate(c.Context, file, c.Int("max-conditional"))
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "%s is valid: %s\n", ds.Path, render.StateSummary(ds))
	for _, w := range warnings {
		fmt.Fprintln(e.stderr, "warning: "+w.String())
	}
	return nil
}

func (e *env) plan(c *cli.Context) error {
	if err := cmdline.CheckMarkdownDir(c.String("out-markdown-dir"), c.String("format"), c.String("file")); err != nil {
		return err
	}
	if p, err := projectOf(c); p != nil || err != nil {
		return ifLoaded(err, func() error { return runFleetPlan(c, e, p) })
	}
	in, err := cmdline.ReadPlanInput(c, cmdline.UseColor(c, e.stdout), e.globals)
	if err != nil {
		return err
	}
	ds, err := desired.LoadContext(c.Context, in.File)
	if err != nil {
		return err
	}
	// plan never writes to the account: its client refuses every mutating
	// call, so a drift check cannot change anything.
	return withSession(c, e, true, func(ctx context.Context, s *reconcile.Session) error {
		return in.Done(e.stdout, e.stderr, s.Plan(ctx, ds, in.Options), e.globals)
	})
}

func (e *env) show(c *cli.Context) error {
	file, format, err := cmdline.ShowArgs(c.Args().Slice(), c.String("format"))
	if err != nil {
		return err
	}
	opts := render.Options{Color: cmdline.UseColor(c, e.stdout), SavedAs: file, Globals: e.globals}
	show, err := cmdline.PlanRenderer(format, opts)
	if err != nil {
		return err
	}
	f, err := plans.ReadFile(file)
	if err != nil {
		return err
	}
	if p := f.Single(); p != nil {
		return show(e.stdout, p)
	}
	// A project's plan: the report of the run that saved it. Its exit is
	// a success whatever the plans hold, as for one menus file.
	v := cmdline.FleetView{Stdout: e.stdout, Stderr: e.stderr, Format: format, Color: opts.Color, Globals: e.globals, Project: f.Project, SavedAs: file}
	return v.Show(fleet.ReportOf(f))
}

func (e *env) apply(c *cli.Context) error {
	if p, saved, err := fleet.ApplyInput(c.Args().Slice(), c.String("file"), cmdline.String(c, "config"), c.Bool("auto-approve")); p != nil || err != nil {
		return ifLoaded(err, func() error { return runFleetApply(c, e, p, saved) })
	}
	jsonOut, err := cmdline.ApplyFormat(c.String("format"))
	if err != nil {
		return err
	}
	v := cmdline.ApplyView{Stdin: e.stdin, Stdout: e.stdout, JSON: jsonOut, Color: cmdline.UseColor(c, e.stdout), AutoApprove: c.Bool("auto-approve")}
	return v.Done(runApply(c, e, v))
}

// runApply applies a saved plan, or plans, asks and applies.
func runApply(c *cli.Context, e *env, v cmdline.ApplyView) *reconcile.Result {
	saved, file, err := cmdline.ApplyInput(c.Args().Slice(), c.String("file"), v.AutoApprove, cmdline.IsTerminal(e.stdin))
	if err == nil {
		err = cmdline.PlanOptions(c, file).Check()
	}
	if err != nil {
		return reconcile.Failed(nil, err)
	}
	ds, err := desired.LoadContext(c.Context, file)
	if err != nil {
		return reconcile.Failed(nil, err)
	}
	opts := cmdline.RunOptions(c, file)
	var r *reconcile.Result
	err = withSession(c, e, false, func(ctx context.Context, s *reconcile.Session) error {
		log, err := reconcile.OpenAudit(c.String("audit-log"), buildinfo.ToolVersion())
		if err != nil {
			return err
		}
		defer log.Close()
		s.Audit = log
		v.Hooks(ctx, &opts, s.AppID)
		r = s.Run(ctx, ds, saved, opts)
		v.Ran(r)
		return nil
	})
	if err != nil {
		return reconcile.Failed(saved, err)
	}
	return r
}

func (e *env) export(c *cli.Context) error {
	if p, err := project.ForExport(cmdline.String(c, "config"), c.String("out"), c.Bool("bootstrap-platform")); p != nil || err != nil {
		return ifLoaded(err, func() error { return runFleetExport(c, e, p) })
	}
	if out := c.String("out"); out != "" {
		if err := cmdline.CheckExportOut(out, c.Bool("force")); err != nil {
			return err
		}
	}
	return withSession(c, e, true, func(ctx context.Context, s *reconcile.Session) error {
		exp, err := s.Export(ctx)
		if err != nil {
			return cmdline.ExitFor(reconcile.Failed(nil, err))
		}
		return cmdline.WriteExport(e.stdout, e.stderr, exp, c.String("out"), c.Bool("force"))
	})
}

func (e *env) schema(c *cli.Context) error {
	_, err := e.stdout.Write(cmdline.Schema(c.Bool("project")))
	return err
}

func (e *env) trymatch(c *cli.Context) error {
	user, ds, err := cmdline.TryMatchInput(c.Context, c.Args().Slice(), c.String("file"))
	if err != nil {
		return err
	}
	if p, err := projectOf(c); p != nil || err != nil {
		return ifLoaded(err, func() error { return runFleetTryMatch(c, e, p, user) })
	}
	return withAccount(c, e, true, func(ctx context.Context, api reconcile.MenuAPI, _ project.Account) error {
		buttons, err := api.(*wechat.Client).TryMatch(ctx, user)
		if err != nil {
			return cmdline.Fail(cmdline.ExitError, reconcile.WeChatHint(err), "trymatch %s: %v", user, err)
		}
		fmt.Fprintf(e.stdout, "%s sees %s\n", user, render.SeenMenu(ds, buttons))
		for _, line := range render.ButtonLines(buttons) {
			fmt.Fprintln(e.stdout, "  "+line)
		}
		return nil
	})
}

func (e *env) sandboxServe(c *cli.Context) error {
	return account.Serve(c.Context, cmdline.ServeSpec(c), e.stdout)
}

func (e *env) sandboxReset(c *cli.Context) error {
	path := account.SandboxStatePath(cmdline.String(c, "sandbox-state"))
	if err := account.ResetSandbox(path); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "sandbox account reset to the demo account (%s)\n", path)
	return nil
}

// ifLoaded runs f on a project that loaded, or returns err, why it did not.
func ifLoaded(err error, f func() error) error {
	if err != nil {
		return err
	}
	return f()
}

package main

import (
	"context"
	"fmt"
	"io"
	"strings"

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
	"github.com/wxmenu/wxmenu/wechat/wechattest"
)

func newApp(e *env) *cli.App {
	app := &cli.App{
		Name:    "wxmenu",
		Usage:   "manage WeChat Official Account menus from git: plan, review, apply",
		Version: buildinfo.Current().String(),
		Description: "wxmenu reads menus.yaml (the default menu and the conditional menus in priority order),\n" +
			"compares it with the live account and prints the smallest set of WeChat API calls that makes\n" +
			"the account match. Try it with no credentials:\n\n" +
			"   wxmenu --sandbox apply -f examples/basic/menus.yaml --auto-approve",
		Reader: e.stdin, Writer: e.stdout, ErrWriter: e.stderr,
		Flags: cmdline.GlobalFlags(), HideHelpCommand: true, EnableBashCompletion: true,
		ExitErrHandler:  func(*cli.Context, error) {}, // run() reports errors itself
		Commands:        []*cli.Command{validateCommand(e), planCommand(e), applyCommand(e), showCommand(e), exportCommand(e), schemaCommand(e), trymatchCommand(e), sandboxCommand(e)},
		CommandNotFound: func(c *cli.Context, name string) { e.unknownCommand = name },
	}
	cmdline.Install(app, cmdline.ExitError) // the error first, a usage line, a did-you-mean; never the whole help
	return app
}

func validateCommand(e *env) *cli.Command {
	return &cli.Command{Name: "validate", Usage: "check a menus.yaml offline (no network)", UsageText: "wxmenu validate -f menus.yaml",
		// offline: no credential or network flags
		Flags: append([]cli.Flag{cmdline.FileFlag(), cmdline.MaxConditionalFlag()}, cmdline.Globals("config", "account")...),
		Action: func(c *cli.Context) error {
			if p, err := projectOf(c); (p != nil || err != nil) && c.NArg() == 0 {
				return ifLoaded(err, func() error { return runFleetValidate(e, p, c) })
			}
			file, err := cmdline.File(c)
			if err != nil {
				return err
			}
			if c.NArg() > 0 {
				return fail(cmdline.ExitError, "validate checks one file, given with -f", "unexpected argument %q", c.Args().First())
			}
			ds, err := desired.LoadContext(c.Context, file)
			if err == nil {
				err = desired.CheckCount(ds, c.Int("max-conditional"))
			}
			if err == nil {
				fmt.Fprintf(e.stdout, "%s is valid: %s\n", ds.Path, render.StateSummary(ds))
				for _, w := range desired.Warnings(ds) {
					fmt.Fprintln(e.stderr, "warning: "+w.String())
				}
			}
			return err
		},
	}
}

func planCommand(e *env) *cli.Command {
	return &cli.Command{
		Name:  "plan",
		Usage: "show the API calls that make the account match menus.yaml (read-only)",
		UsageText: "wxmenu plan -f menus.yaml [--out plan.json] [--format text|markdown|json|html] [--detailed-exitcode]\n\n" +
			"Examples:\n" +
			"   wxmenu --sandbox plan -f examples/basic/menus.yaml\n" +
			"   wxmenu plan -f menus.yaml --out plan.json --format markdown > plan.md\n" +
			"   wxmenu plan -f menus.yaml --format html > preview.html   # phones per audience, before and after\n" +
			"   wxmenu plan -f menus.yaml --detailed-exitcode   # drift check: exit 2 when the account differs\n\n" +
			"A blocked plan is still printed (with why and the override) and exits 1.",
		Flags: cmdline.With(append([]cli.Flag{
			cmdline.FileFlag(),
			&cli.StringFlag{Name: "out", Aliases: []string{"o"}, Usage: "save the plan to `PLAN.json` for apply (never over menus.yaml or another file that is not a plan)"},
			&cli.BoolFlag{Name: "force", Usage: "let --out replace an existing file that is not a wxmenu plan"},
			formatFlag(),
			&cli.StringFlag{Name: "out-markdown-dir", Usage: "with a project and --format markdown: write the comment parts to `DIR`/plan-part-N.md"},
			&cli.BoolFlag{Name: "detailed-exitcode", Usage: "exit 2 when the plan has changes, 0 when it has none"},
		}, cmdline.SafetyFlags()...)...),
		Action: cmdline.NoArgs(func(c *cli.Context) error { return runPlan(c, e) }),
	}
}

func runPlan(c *cli.Context, e *env) error {
	if p, err := projectOf(c); p != nil || err != nil { // noArgs: no argument
		return ifLoaded(err, func() error { return runFleetPlan(c, e, p) })
	}
	show, err := render.ForFormat(c.String("format"), cmdline.UseColor(c, e.stdout))
	if err != nil {
		return fail(cmdline.ExitError, "use --format text, markdown, json or html", "%v", err)
	}
	file, err := cmdline.File(c)
	if err != nil {
		return err
	}
	opts := cmdline.PlanOptions(c, file)
	if err := opts.Check(); err != nil {
		return err
	}
	out := c.String("out")
	if out != "" {
		if err := plans.CheckOut(out, file, c.Bool("force")); err != nil {
			return err
		}
	}
	ds, err := desired.LoadContext(c.Context, file)
	if err != nil {
		return err
	}
	// plan never writes to the account: its client refuses every mutating
	// call, so a drift check cannot change anything.
	return withSession(c, e, true, func(ctx context.Context, s *reconcile.Session) error {
		r := s.Plan(ctx, ds, opts)
		if r.Plan != nil {
			if err := show(e.stdout, r.Plan); err != nil {
				return err
			}
		}
		if r.Err != nil {
			return cmdline.ExitFor(r) // a blocked plan is shown, never saved
		}
		if out != "" {
			if err := e.writeOut(out, func(w io.Writer) error { return plans.Write(w, r.Plan) }); err != nil {
				return err
			}
			fmt.Fprintf(e.stderr, "wxmenu: plan saved to %s; apply it with: %s\n", out, e.hint("wxmenu apply "+out))
		}
		return cmdline.DetailedExit(c.Bool("detailed-exitcode"), r.Plan.HasChanges())
	})
}

func formatFlag() cli.Flag {
	return &cli.StringFlag{Name: "format", Usage: "output `FORMAT`: text, markdown, json or html (a self-contained page)", Value: "text"}
}

func showCommand(e *env) *cli.Command {
	return &cli.Command{Name: "show", Usage: "render a saved plan for review (offline)", UsageText: "wxmenu show [--format text|markdown|json|html] PLAN.json",
		Flags: append([]cli.Flag{formatFlag()}, cmdline.Globals("no-color")...),
		Action: func(c *cli.Context) error {
			file, format, err := cmdline.ShowArgs(c.Args().Slice(), c.String("format"))
			if err != nil {
				return err
			}
			show, err := render.ForFormatWith(format, render.Options{Color: cmdline.UseColor(c, e.stdout), SavedAs: file})
			if err != nil {
				return fail(cmdline.ExitError, "use --format text, markdown, json or html", "%v", err)
			}
			p, err := plans.ReadFile(file)
			if err != nil {
				return err
			}
			return show(e.stdout, p)
		},
	}
}

func applyCommand(e *env) *cli.Command {
	return &cli.Command{
		Name:  "apply",
		Usage: "make the calls of a reviewed plan, then prove the account matches",
		UsageText: "wxmenu apply [flags] PLAN.json\n   wxmenu apply -f menus.yaml [--auto-approve]\n\n" +
			"Examples:\n" +
			"   wxmenu apply --audit-log audit.jsonl plan.json   # the plan reviewed in the pull request\n" +
			"   wxmenu --sandbox apply -f examples/basic/menus.yaml --auto-approve\n\n" +
			"A saved plan needs no confirmation: it was reviewed. apply refuses it (exit 3) when the account\n" +
			"or menus.yaml changed since it was made. Flags go before PLAN.json.",
		Flags: cmdline.With(append([]cli.Flag{
			cmdline.FileFlag(),
			&cli.BoolFlag{Name: "auto-approve", Usage: "with -f: apply without asking"},
			&cli.StringFlag{Name: "audit-log", Usage: "append a JSON line per step to `FILE`", EnvVars: []string{"WXMENU_AUDIT_LOG"}},
			&cli.StringFlag{Name: "lock-dir", Usage: "`DIR` for the per-account lock files (default: $XDG_STATE_HOME/wxmenu/locks)", EnvVars: []string{"WXMENU_LOCK_DIR"}},
			&cli.DurationFlag{Name: "lock-timeout", Usage: "wait up to `DURATION` for another apply on this machine to finish", Value: 0},
			&cli.StringFlag{Name: "format", Usage: "output `FORMAT`: text (progress for people) or json (one result document for machines)", Value: "text"},
			&cli.BoolFlag{Name: "skip-stale", Usage: "with a saved project plan: apply the accounts whose plans are fresh even if others are stale or blocked"},
		}, cmdline.SafetyFlags()...)...),
		Action: func(c *cli.Context) error {
			if p, saved, err := fleet.ApplyInput(c.Args().Slice(), c.String("file"), cmdline.String(c, "config")); p != nil || err != nil {
				return ifLoaded(err, func() error { return runFleetApply(c, e, p, saved) })
			}
			jsonOut, err := cmdline.ApplyFormat(c.String("format"))
			if err != nil {
				return err
			}
			r := runApply(c, e, jsonOut)
			if jsonOut { // one document for every run, bad input included
				if err := render.ApplyJSON(e.stdout, r); err != nil {
					return err
				}
			}
			return cmdline.ExitFor(r)
		},
	}
}

// runApply applies a saved plan, or plans, asks and applies.
func runApply(c *cli.Context, e *env, jsonOut bool) *reconcile.Result {
	saved, file, err := cmdline.ApplyInput(c.Args().Slice(), c.String("file"), c.Bool("auto-approve"), cmdline.IsTerminal(e.stdin))
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
	color := cmdline.UseColor(c, e.stdout)
	opts := reconcile.RunOptions{Plan: cmdline.PlanOptions(c, file), Apply: reconcile.ApplyOptions{MaxConditional: c.Int("max-conditional"), Safety: cmdline.PlanOptions(c, file).Safety}}
	var r *reconcile.Result
	err = withSession(c, e, false, func(ctx context.Context, s *reconcile.Session) error {
		if !jsonOut {
			opts.Show = func(p *plans.Plan) error {
				return render.Text(e.stdout, p, render.Options{Color: color, Applying: true})
			}
			opts.Apply.Progress = func(ev reconcile.ProgressEvent) {
				if ev.Index == 0 && ev.Result == nil { // printed only once the plan passed its checks
					fmt.Fprintf(e.stdout, "\nApplying %d steps to %s\n", ev.Total, displayAccount(s.AppID))
				}
				render.Progress(e.stdout, ev, color)
			}
		}
		if !c.Bool("auto-approve") {
			opts.Confirm = func(*plans.Plan) bool {
				fmt.Fprint(e.stdout, "\nApply these changes to "+displayAccount(s.AppID)+"? Only 'yes' is accepted: ")
				answer, err := reconcile.ReadLine(ctx, e.stdin) // an interrupt cancels at once
				return err == nil && strings.TrimSpace(answer) == "yes"
			}
		}
		if r = s.Run(ctx, ds, saved, opts); !jsonOut {
			render.ApplySummary(e.stdout, r)
		}
		return nil
	})
	if err != nil {
		return reconcile.Failed(saved, err)
	}
	return r
}

func exportCommand(e *env) *cli.Command {
	return &cli.Command{
		Name: "export", Usage: "write the live account as menus.yaml",
		UsageText: "wxmenu export [--out menus.yaml]\n\nExample:\n   wxmenu --sandbox export --out menus.yaml && wxmenu --sandbox plan -f menus.yaml   # no changes",
		Flags: cmdline.With(&cli.StringFlag{Name: "out", Aliases: []string{"o"}, Usage: "write to `FILE` instead of standard output"},
			&cli.BoolFlag{Name: "bootstrap-platform", Usage: "with --config: add the platform's authorizers to the project, exporting each to accounts/APPID.yaml"}),
		Action: cmdline.NoArgs(func(c *cli.Context) error {
			if cfg := cmdline.String(c, "config"); cfg != "" && c.String("out") == "" {
				load := project.Load
				if c.Bool("bootstrap-platform") {
					load = project.LoadBootstrap
				}
				p, err := load(cfg)
				return ifLoaded(err, func() error { return runFleetExport(c, e, p) })
			}
			return withSession(c, e, true, func(ctx context.Context, s *reconcile.Session) error {
				exp, err := s.Export(ctx)
				if err != nil {
					return cmdline.ExitFor(reconcile.Failed(nil, err))
				}
				for _, w := range exp.Warnings {
					fmt.Fprintf(e.stderr, "wxmenu: warning: %s\n", w)
				}
				out := c.String("out")
				if err := e.writeOut(out, func(w io.Writer) error { _, err := w.Write(exp.Data); return err }); err != nil || out == "" {
					return err
				}
				fmt.Fprintf(e.stderr, "wxmenu: exported %s to %s\n", exp.What, out)
				return nil
			})
		}),
	}
}

func schemaCommand(e *env) *cli.Command {
	return &cli.Command{
		Name: "schema", Usage: "print the JSON Schema of menus.yaml (for yaml-language-server)",
		UsageText: "wxmenu schema > menus.schema.json\n\nThen start menus.yaml with:\n   # yaml-language-server: $schema=./menus.schema.json",
		Flags:     []cli.Flag{&cli.BoolFlag{Name: "project", Usage: "print the schema of the project file, wxmenu.yaml"}},
		Action: cmdline.NoArgs(func(c *cli.Context) error {
			if c.Bool("project") {
				_, err := e.stdout.Write(project.Schema())
				return err
			}
			_, err := e.stdout.Write(desired.Schema())
			return err
		}),
	}
}

func trymatchCommand(e *env) *cli.Command {
	return &cli.Command{
		Name: "trymatch", Usage: "show which menu a follower sees (menu/trymatch)",
		UsageText: "wxmenu trymatch [-f menus.yaml] USER\n\nUSER is an OpenID or a WeChat ID.\n\nExample:\n   wxmenu --sandbox trymatch -f examples/basic/menus.yaml o_demo_vip",
		Flags:     cmdline.With(cmdline.FileFlag()),
		Action: func(c *cli.Context) error {
			if c.NArg() != 1 {
				return fail(cmdline.ExitError, "wxmenu trymatch [-f menus.yaml] USER", "trymatch takes one user (an OpenID or WeChat ID)")
			}
			var ds *desired.State
			if f := c.String("file"); f != "" {
				var err error
				if ds, err = desired.LoadContext(c.Context, f); err != nil {
					return err
				}
			}
			user := c.Args().First()
			if p, err := projectOf(c); p != nil || err != nil {
				return ifLoaded(err, func() error { return runFleetTryMatch(c, e, p, user) })
			}
			return withAccount(c, e, true, func(ctx context.Context, acct *account.Account) error {
				buttons, err := acct.Client.TryMatch(ctx, user)
				if err != nil {
					return fail(cmdline.ExitError, reconcile.WeChatHint(err), "trymatch %s: %v", user, err)
				}
				fmt.Fprintf(e.stdout, "%s sees %s\n", user, render.SeenMenu(ds, buttons))
				for _, line := range render.ButtonLines(buttons) {
					fmt.Fprintln(e.stdout, "  "+line)
				}
				return nil
			})
		},
	}
}

func sandboxCommand(e *env) *cli.Command {
	serve := &cli.Command{
		Name: "serve", Usage: "serve the emulator over HTTP on a loopback address",
		UsageText: "wxmenu sandbox serve --addr 127.0.0.1:8808 [--appid ID --secret S] [--state FILE] [--demo]\n\n" +
			"It speaks WeChat's wire format under /cgi-bin/... and offers a control surface under /_emulator/...\n" +
			"Example:\n   wxmenu sandbox serve --addr 127.0.0.1:8808 --demo &\n" +
			"   WECHAT_API_BASE=http://127.0.0.1:8808 WECHAT_APPID=" + wechattest.DefaultAppID + " WECHAT_APPSECRET=... wxmenu plan -f menus.yaml",
		Flags:  cmdline.ServeFlags(),
		Action: cmdline.NoArgs(func(c *cli.Context) error { return account.Serve(c.Context, cmdline.ServeSpec(c), e.stdout) }),
	}
	reset := &cli.Command{
		Name: "reset", Usage: "reset the --sandbox account to the demo account", UsageText: "wxmenu sandbox reset [--sandbox-state FILE]",
		Flags: cmdline.Globals("sandbox-state"),
		Action: func(c *cli.Context) error {
			path := account.SandboxStatePath(cmdline.String(c, "sandbox-state"))
			if err := account.ResetSandbox(path); err != nil {
				return err
			}
			fmt.Fprintf(e.stdout, "sandbox account reset to the demo account (%s)\n", path)
			return nil
		},
	}
	return &cli.Command{Name: "sandbox", Usage: "the WeChat menu API emulator", Subcommands: []*cli.Command{serve, reset}}
}

// ifLoaded runs f on a project that loaded, or returns err, why it did not.
func ifLoaded(err error, f func() error) error {
	if err != nil {
		return err
	}
	return f()
}

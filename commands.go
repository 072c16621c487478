package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/wxmenu/wxmenu/internal/buildinfo"
	"github.com/wxmenu/wxmenu/internal/cmdline"
	"github.com/wxmenu/wxmenu/reconcile"
	"github.com/wxmenu/wxmenu/reconcile/account"
	"github.com/wxmenu/wxmenu/reconcile/desired"
	"github.com/wxmenu/wxmenu/reconcile/fleet"
	"github.com/wxmenu/wxmenu/reconcile/plans"
	"github.com/wxmenu/wxmenu/reconcile/project"
	"github.com/wxmenu/wxmenu/reconcile/render"
)

// run opens the accounts of a command and calls f with the options of the
// run: the accounts of p that --account and --changed-files select, or,
// when p is nil, the one account of the menus file (file: -f, or export's
// --out), whose credentials are the flags'. Every run gets the same plan
// and apply options (fl.plan), so a flag means the same for one account
// or ten thousand.
func (e *env) run(ctx context.Context, fl *flags, p *project.Project, file string, readOnly bool, f func(context.Context, fleet.Options) error) error {
	spec := fl.account
	spec.Project, spec.ReadOnly = p, readOnly
	accounts := []project.Account{spec.Single(file)}
	if p != nil {
		var ok bool
		var err error
		if accounts, ok, err = e.selected(fl, p); err != nil || !ok {
			return err
		}
	}
	opener := account.Open(spec)
	defer opener.Close()
	return f(ctx, fleet.Options{Accounts: accounts, Open: opener.Open, Parallel: fl.parallel, Plan: fl.plan,
		LockDir: fl.lockDir, LockWait: fl.lockWait, AuditPath: fl.auditLog, ToolVersion: buildinfo.ToolVersion(),
		SkipStale: fl.skipStale, ReplaceFiles: fl.force, Authorizers: opener.Authorizers})
}

// selected is the accounts of p a command runs on: those --account
// selects and, with --changed-files, of them those whose menus file it
// lists. ok is false when the list touches none: a notice says so and
// where the paths were read from, so that a list read against the wrong
// folder does not pass for a change to no account.
func (e *env) selected(fl *flags, p *project.Project) (accounts []project.Account, ok bool, err error) {
	wd, _ := os.Getwd()
	accounts, none, err := p.SelectChanged(fl.accounts, fl.changedFiles, wd)
	if err != nil || !none {
		return accounts, err == nil, err
	}
	which := "no account's"
	if len(fl.accounts) > 0 {
		which = "no selected account's"
	}
	base, inRepo := p.ChangedBase(wd)
	from := "the repository root " + base
	if !inRepo {
		from = "the working directory " + base + ", as no git repository holds " + p.Path
	}
	fmt.Fprintf(e.stderr, "wxmenu: %s menus file is listed in %s (its paths read relative to %s): nothing to do\n", which, fl.changedFiles, from)
	return nil, false, nil
}

// validate checks the project's files, found without arguments, or the
// one of -f; arguments are never a project's, and are hinted at.
func (e *env) validate(ctx context.Context, fl *flags) error {
	if len(fl.args) == 0 {
		if p, err := project.Find(fl.file, fl.config); p != nil || err != nil {
			return ifLoaded(err, func() error {
				accounts, err := p.Select(fl.accounts)
				if err != nil {
					return err
				}
				return cmdline.ExitForProblems(render.FleetValidate(e.stdout, e.stderr, fleet.Validate(ctx, accounts, fl.plan.MaxConditional)))
			})
		}
	}
	file, err := fileArg(fl)
	if err != nil {
		return err
	}
	if len(fl.args) > 0 {
		return cmdline.Fail(cmdline.ExitError, "validate checks one file, given with -f", "unexpected argument %q", fl.args[0])
	}
	c := fleet.Validate(ctx, []project.Account{fl.account.Single(file)}, fl.plan.MaxConditional)[0]
	if c.Err != nil {
		return c.Err
	}
	fmt.Fprintf(e.stdout, "%s is valid: %s\n", c.State.Path, render.StateSummary(c.State))
	for _, w := range c.Warnings {
		fmt.Fprintln(e.stderr, "warning: "+w.String())
	}
	return nil
}

// plan plans the project or the menus file, every flag checked before
// anything is read, so that a mistyped flag costs no call.
func (e *env) plan(ctx context.Context, fl *flags) error {
	if fl.markdownDir != "" && fl.format != "markdown" {
		return cmdline.Fail(cmdline.ExitError, "add --format markdown, or drop --out-markdown-dir",
			"--out-markdown-dir needs --format markdown: it writes the Markdown comment parts")
	}
	if fl.markdownDir != "" && fl.file != "" {
		return cmdline.Fail(cmdline.ExitError, "with -f the Markdown goes to standard output: redirect it to a file, or drop -f to plan the project",
			"--out-markdown-dir writes a project's comment parts, not the plan of one menus file (-f)")
	}
	p, err := project.Find(fl.file, fl.config)
	if err != nil {
		return err
	}
	v, err := e.view(fl, p, "")
	if err != nil {
		return err
	}
	var file string
	if p != nil {
		file = p.Path // never saved over
	} else if file, err = fileArg(fl); err != nil {
		return err
	}
	if err := fl.plan.Check(); err != nil {
		return err
	}
	if fl.out != "" {
		if err := plans.CheckOut(fl.out, file, fl.force); err != nil {
			return err
		}
	}
	return e.run(ctx, fl, p, file, true, func(ctx context.Context, opts fleet.Options) error {
		return v.plan(fleet.Plan(ctx, opts), p)
	})
}

// apply applies a saved plan, or plans and applies the project or the
// menus file in one go.
func (e *env) apply(ctx context.Context, fl *flags) error {
	if fl.format != "text" && fl.format != "json" {
		return cmdline.Fail(cmdline.ExitError, "use --format text or json", "unknown format %q", fl.format)
	}
	v, _ := e.view(fl, nil, "")
	p, saved, err := fleet.ApplyInput(fl.args, fl.file, fl.config, fl.autoApprove)
	if p != nil || err != nil {
		if err == nil {
			err = fl.plan.Check()
		}
		return ifLoaded(err, func() error {
			v.single, v.opts.Project = nil, p.Path
			return e.applyTo(ctx, fl, v, p, saved, "")
		})
	}
	saved, file, err := applyFile(fl, isTerminal(e.stdin))
	if err == nil {
		err = fl.plan.Check()
	}
	if err != nil { // a result like any other: one JSON document for every run
		return v.apply(&fleet.Report{Outcomes: []fleet.Outcome{{Result: reconcile.Failed(nil, err)}}})
	}
	return e.applyTo(ctx, fl, v, nil, saved, file)
}

func (e *env) applyTo(ctx context.Context, fl *flags, v *view, p *project.Project, saved *plans.File, file string) error {
	return e.run(ctx, fl, p, file, false, func(ctx context.Context, opts fleet.Options) error {
		var err error
		if saved != nil {
			if opts.Accounts, err = fleet.PlannedAccounts(opts.Accounts, saved); err != nil {
				return err
			}
		}
		if p == nil {
			e.hooks(ctx, fl, v, &opts, saved != nil)
		}
		return v.apply(fleet.Apply(ctx, opts, saved))
	})
}

// applyFile is what apply on a menus file works on, once fleet.ApplyInput
// found it is no project's: a saved plan (PLAN.json) with the file it was
// made from or -f; or -f alone, planned and applied in one go, which asks
// first, so it needs --auto-approve or an interactive standard input.
func applyFile(fl *flags, interactive bool) (saved *plans.File, file string, err error) {
	switch args := fl.args; {
	case len(args) > 1:
		return nil, "", cmdline.Fail(cmdline.ExitError, "flags go before PLAN.json", "apply takes one plan file, got %d arguments", len(args))
	case len(args) == 1 && strings.HasPrefix(args[0], "-"):
		return nil, "", cmdline.Fail(cmdline.ExitError, "flags go before PLAN.json", "unexpected flag %q", args[0])
	case len(args) == 1:
		if saved, err = plans.ReadFile(args[0]); err != nil {
			return nil, "", err
		}
		if file = fl.file; file == "" {
			file = saved.Single().DesiredFile
		}
		return saved, file, nil
	case fl.file == "":
		return nil, "", cmdline.Fail(cmdline.ExitError, "make a plan (wxmenu plan -f menus.yaml --out plan.json), review it and apply it (wxmenu apply plan.json), or plan and apply in one go (wxmenu apply -f menus.yaml)", "nothing to apply")
	case !fl.autoApprove && !interactive:
		return nil, "", cmdline.Fail(cmdline.ExitError, "pass --auto-approve to apply without a question, or apply a saved plan", "apply -f needs confirmation, and standard input is not a terminal")
	}
	return nil, fl.file, nil
}

// show renders a saved plan of a menus file or of a project, offline.
func (e *env) show(_ context.Context, fl *flags) error {
	args := fl.args
	if len(args) == 3 && args[1] == "--format" { // show PLAN.json --format F, as terraform show takes it
		args, fl.format = args[:1], args[2]
	}
	if len(args) != 1 || strings.HasPrefix(args[0], "-") {
		return cmdline.Fail(cmdline.ExitError, "wxmenu show [--format text|markdown|json|html] PLAN.json", "show takes one plan file, got %q", args)
	}
	v, err := e.view(fl, nil, args[0])
	if err != nil {
		return err
	}
	f, err := plans.ReadFile(args[0])
	if err != nil {
		return err
	}
	if f.Project != "" {
		v.single, v.opts.Project = nil, f.Project
	}
	// The report of the run that saved it: a success whatever it holds.
	v.fl.detailed = false
	return v.show(fleet.ReportOf(f))
}

// export writes each account of the project to its file, or the account
// of the flags to --out or standard output.
func (e *env) export(ctx context.Context, fl *flags) error {
	p, err := project.ForExport(fl.config, fl.out, fl.bootstrap)
	if err != nil {
		return err
	}
	if p == nil && fl.out != "" {
		if err := checkExportOut(fl.out, fl.force); err != nil {
			return err
		}
	}
	return e.run(ctx, fl, p, fl.out, true, func(ctx context.Context, opts fleet.Options) error {
		switch {
		case p != nil && fl.bootstrap:
			exported, err := fleet.Bootstrap(ctx, p, opts)
			if err != nil {
				return err
			}
			exit := cmdline.ExitForProblems(render.FleetExport(e.stdout, e.stderr, exported))
			fmt.Fprintf(e.stderr, "wxmenu: %s lists %d accounts; check them with: %s\n", p.Path, len(p.Accounts), cmdline.WithGlobals("wxmenu plan --config "+cmdline.Quote(p.Path), e.globals))
			return exit
		case p != nil:
			return cmdline.ExitForProblems(render.FleetExport(e.stdout, e.stderr, fleet.Export(ctx, opts)))
		}
		x := fleet.Export(ctx, opts)[0]
		if errors.As(x.Err, new(*fleet.ExistsError)) {
			return exportOutExists(fl.out) // it appeared since checkExportOut
		} else if x.Err != nil {
			return cmdline.ExitFor(reconcile.Failed(nil, x.Err))
		}
		for _, w := range x.Warnings {
			fmt.Fprintf(e.stderr, "wxmenu: warning: %s\n", w)
		}
		if fl.out == "" {
			_, err := e.stdout.Write(x.Data)
			return err
		}
		fmt.Fprintf(e.stderr, "wxmenu: exported %s to %s\n", x.What, fl.out)
		return nil
	})
}

// checkExportOut says whether `export --out out` may write out, before
// the account is read: not over a file that exists unless force
// (--force), and never over a directory. Export is how a repository
// starts, and what is there may be a hand-written menus.yaml (comments,
// protect: marks) or no menus at all.
func checkExportOut(out string, force bool) error {
	info, err := os.Stat(out)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil
	case err != nil:
		return cmdline.WriteError(out, err)
	case info.IsDir():
		return cmdline.Fail(cmdline.ExitError, "name a file, e.g. --out "+cmdline.Quote(filepath.Join(out, "menus.yaml")), "--out %s is a directory", out)
	case force:
		return nil
	}
	return exportOutExists(out)
}

func exportOutExists(out string) error {
	fresh := filepath.Join(filepath.Dir(out), "exported.yaml")
	for i := 2; ; i++ {
		if _, err := os.Lstat(fresh); errors.Is(err, fs.ErrNotExist) {
			break
		}
		fresh = filepath.Join(filepath.Dir(out), "exported-"+strconv.Itoa(i)+".yaml")
	}
	return cmdline.Fail(cmdline.ExitError, "export to a new file (wxmenu export --out "+cmdline.Quote(fresh)+"), or add --force to replace "+cmdline.Quote(out),
		"--out %s exists; export leaves it as it is", out)
}

func (e *env) schema(_ context.Context, fl *flags) error {
	schema := desired.Schema()
	if fl.projectSchema {
		schema = project.Schema()
	}
	_, err := e.stdout.Write(schema)
	return err
}

// trymatch asks each account of the project, or the account of the
// flags, which menu a follower sees, named from the account's file.
func (e *env) trymatch(ctx context.Context, fl *flags) error {
	if len(fl.args) != 1 {
		return cmdline.Fail(cmdline.ExitError, "wxmenu trymatch [-f menus.yaml] USER", "trymatch takes one user (an OpenID or WeChat ID)")
	}
	user := fl.args[0]
	p, err := project.Find(fl.file, fl.config)
	if err != nil {
		return err
	}
	return e.run(ctx, fl, p, fl.file, true, func(ctx context.Context, opts fleet.Options) error {
		matched := fleet.TryMatch(ctx, opts, user)
		if p != nil {
			return cmdline.ExitForProblems(render.FleetTryMatch(e.stdout, e.stderr, user, matched))
		}
		m := matched[0]
		if h := reconcile.WeChatHint(m.Err); h != "" {
			return &cmdline.Error{Code: cmdline.ExitError, Err: m.Err, Hint: h}
		} else if m.Err != nil {
			return m.Err
		}
		fmt.Fprintf(e.stdout, "%s sees %s\n", user, render.SeenMenu(m.State, m.Buttons))
		for _, line := range render.ButtonLines(m.Buttons) {
			fmt.Fprintln(e.stdout, "  "+line)
		}
		return nil
	})
}

func (e *env) sandboxServe(ctx context.Context, fl *flags) error {
	return account.Serve(ctx, fl.serve, e.stdout)
}

func (e *env) sandboxReset(_ context.Context, fl *flags) error {
	if err := account.ResetSandbox(fl.account.SandboxState); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "sandbox account reset to the demo account (%s)\n", fl.account.SandboxState)
	return nil
}

// fileArg is the -f of a command that needs one; without it, the error
// hints at the command with -f added (before the argument given instead,
// if any).
func fileArg(fl *flags) (string, error) {
	if fl.file != "" {
		return fl.file, nil
	}
	if len(fl.args) > 0 {
		return "", cmdline.Fail(cmdline.ExitError, "add -f before the file: wxmenu "+fl.command+" -f "+cmdline.Quote(fl.args[0]), "%s takes the desired-state file with -f", fl.command)
	}
	return "", cmdline.Fail(cmdline.ExitError, "wxmenu "+fl.command+" -f menus.yaml", "missing -f FILE: %s needs the desired-state file, or a wxmenu.yaml project here", fl.command)
}

// ifLoaded runs f on a project that loaded, or returns err, why it did not.
func ifLoaded(err error, f func() error) error {
	if err != nil {
		return err
	}
	return f()
}

package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/wxmenu/wxmenu/internal/cmdline"
	"github.com/wxmenu/wxmenu/internal/errtext"
	"github.com/wxmenu/wxmenu/reconcile"
	"github.com/wxmenu/wxmenu/reconcile/account"
	"github.com/wxmenu/wxmenu/reconcile/desired"
	"github.com/wxmenu/wxmenu/reconcile/fleet"
	"github.com/wxmenu/wxmenu/reconcile/plans"
	"github.com/wxmenu/wxmenu/reconcile/project"
	"github.com/wxmenu/wxmenu/reconcile/render"
	snap "github.com/wxmenu/wxmenu/reconcile/snapshot" // "snapshot" names a helper of the package's tests
)

// run opens a command's accounts and calls f with the run's options (the
// same for 1 account or 10,000): the accounts of p that --account and
// --changed-files select, or without p the one of file with the flags'.
func (e *env) run(ctx context.Context, fl *flags, p *project.Project, file string, readOnly bool, f func(context.Context, fleet.Options) error) error {
	return e.runSome(ctx, fl, p, file, readOnly, nil, f)
}

// runSome is run whose narrow narrows the selected accounts (and sets the
// options that go with them) before any is opened, for a command that
// never opens a paused account: the platform's authorizer_token_command
// is asked only for the accounts left that are not paused. None left ends
// the run.
func (e *env) runSome(ctx context.Context, fl *flags, p *project.Project, file string, readOnly bool, narrow func(*fleet.Options) error, f func(context.Context, fleet.Options) error) error {
	useProjectAuditLog(fl, p)
	if err := useLang(fl, p); err != nil {
		return err
	}
	spec, o := fl.account, fl.run
	spec.Project, spec.ReadOnly = p, readOnly
	o.Accounts = []project.Account{spec.Single(file)}
	if wd, _ := os.Getwd(); p != nil {
		o.Waves = p.Rollout.Names()
		var ok bool
		var err error
		if o.Accounts, ok, err = fleet.Select(p, fl.accounts, fl.changedFiles, wd, e.stderr); err != nil || !ok {
			return err
		}
	}
	spec.Accounts = o.Accounts
	if narrow != nil {
		if err := narrow(&o); err != nil || len(o.Accounts) == 0 {
			return err
		}
		spec.Accounts = slices.DeleteFunc(slices.Clone(o.Accounts), func(a project.Account) bool { return a.Mode == project.ModePaused })
	}
	opener := account.Open(spec)
	defer opener.Close()
	o.Open, o.Authorizers = opener.Open, opener.Authorizers
	return f(ctx, o)
}

// report prints rep in --format (render.Report) and returns its exit.
func (e *env) report(fl *flags, rep *fleet.Report, opts render.Options) error {
	if err := render.Report(e.stdout, e.stderr, rep, fl.format, opts, fl.markdownDir); err != nil {
		return cmdline.Fail(cmdline.ExitError, "", "%v", errtext.PathReason(err))
	}
	return cmdline.ExitForFleet(rep, fl.detailed, opts.Project == "")
}

// checkFormat says whether --format names a format of plans.
func checkFormat(fl *flags) error {
	if _, err := render.ForFormatWith(fl.format, fl.render); err != nil {
		return cmdline.Fail(cmdline.ExitError, "use --format text, markdown, json or html", "%v", err)
	}
	return nil
}

// validate checks the files of the project found without arguments, or
// of -f; arguments are never a project's, and are hinted at.
func (e *env) validate(ctx context.Context, fl *flags) (err error) {
	var p *project.Project
	if len(fl.args) == 0 {
		p, err = project.Find(fl.file, fl.config)
	}
	file, accounts := fl.file, []project.Account(nil)
	switch {
	case p != nil:
		accounts, err = p.Select(fl.accounts)
	case err == nil && file != "" && len(fl.args) > 0:
		err = cmdline.Fail(cmdline.ExitError, "validate checks one file, given with -f", "unexpected argument %q", fl.args[0])
	case err == nil:
		file, err = fileArg(fl)
		accounts = []project.Account{fl.account.Single(file)}
	}
	if err != nil {
		return err
	}
	return cmdline.ExitForProblems(render.FleetValidate(e.stdout, e.stderr, fleet.Validate(ctx, accounts, fl.run.Plan.MaxConditional)))
}

// plan plans the project or the menus file, every flag checked before
// anything is read; --out saves the plan when every account was planned.
func (e *env) plan(ctx context.Context, fl *flags) error {
	if err := render.CheckMarkdownDir(fl.markdownDir, fl.format, fl.file != ""); err != nil {
		return err
	}
	p, err := project.Find(fl.file, fl.config)
	if err == nil {
		err = checkFormat(fl)
	}
	file := fl.file
	switch {
	case p != nil:
		file, fl.render.Project = p.Path, p.Path // the project file is never saved over
	case err == nil && fl.restore != "":
		file = reconcile.RestorePrefix + fl.restore
	case err == nil:
		file, err = fileArg(fl)
	}
	if err == nil {
		err = fl.run.Plan.Check()
	}
	if err == nil && fl.out != "" {
		err = plans.CheckOut(fl.out, file, fl.force)
	}
	var live *snap.File
	if err == nil && fl.live != "" {
		live, err = snap.ReadFile(fl.live)
	}
	if err != nil {
		return err
	}
	return e.runSome(ctx, fl, p, file, true, func(o *fleet.Options) error { return restoreInto(fl, o) }, func(ctx context.Context, o fleet.Options) error {
		if live != nil { // every account read from the snapshot: no client, no call
			o.Live, o.LivePath, o.Open = live, fl.live, nil
		}
		rep := fleet.Plan(ctx, o)
		if fl.out == "" {
			return e.report(fl, rep, fl.render)
		}
		saved, err := rep.Save(fl.out, fl.render.Project, fl.run.ToolVersion, time.Now())
		exit := e.report(fl, rep, fl.render)
		switch what := "plan"; {
		case err == nil:
			if p != nil {
				what = fmt.Sprintf("plan of %d accounts", len(saved.Accounts))
			}
			if live != nil {
				fmt.Fprintf(e.stderr, "wxmenu: %s saved to %s, for review only: it was made from the snapshot %s, and apply refuses it\n", what, fl.out, fl.live)
				return exit
			}
			fmt.Fprintf(e.stderr, "wxmenu: %s saved to %s; apply it with: %s\n", what, fl.out, render.ApplyCommand(fl.render, fl.restore != "", fl.out))
		case p != nil || rep.Outcomes[0].Result.Err == nil:
			return err // a menus file's plan that failed says why itself
		}
		return exit
	})
}

// apply applies a saved plan, or plans and applies the project or the
// menus file in one go.
func (e *env) apply(ctx context.Context, fl *flags) error {
	if fl.format != "text" && fl.format != "json" {
		return cmdline.Fail(cmdline.ExitError, "use --format text or json", "unknown format %q", fl.format)
	}
	file := ""
	p, saved, err := fleet.ApplyInput(fl.args, fl.file, fl.config, fl.autoApprove, fl.run.SkipStale)
	if err == nil && p == nil {
		if saved, file, err = fleet.ApplyFile(fl.args, saved, fl.file, fl.autoApprove, isTerminal(e.stdin)); err == nil {
			err = fl.run.Plan.Check()
		}
		if err != nil { // a menus file's bad input is a result too: one JSON document for every run
			return e.report(fl, &fleet.Report{Outcomes: []fleet.Outcome{{Result: reconcile.Failed(nil, err)}}, Applying: true}, fl.render)
		}
	} else if err == nil {
		fl.render.Project, err = p.Path, fl.run.Plan.Check()
	}
	if err == nil && fl.run.LastWave != "" {
		if p == nil {
			err = cmdline.Fail(cmdline.ExitError, "drop --wave, or apply a plan of the project: wxmenu apply --wave "+render.ShellWord(fl.run.LastWave)+" plan.json",
				"--wave applies a project's rollout waves, and this apply is of one menus file")
		} else {
			err = p.CheckWave(fl.run.LastWave)
		}
	}
	if err != nil {
		return err
	}
	if saved != nil {
		// A plan back to an apply's state (plan --restore) is applied from
		// that state again, read from the audit log.
		for _, ap := range saved.Accounts {
			if ap.Plan == nil {
				continue
			}
			if id, ok := strings.CutPrefix(ap.Plan.DesiredFile, reconcile.RestorePrefix); ok {
				fl.restore = id
			}
		}
	}
	narrow := func(o *fleet.Options) (err error) {
		if saved != nil {
			if o.Accounts, err = fleet.PlannedAccounts(p, o.Accounts, saved); err != nil {
				return err
			}
		}
		return restoreInto(fl, o)
	}
	return e.runSome(ctx, fl, p, file, false, narrow, func(ctx context.Context, o fleet.Options) error {
		if p == nil && fl.format == "text" {
			render.Applying(&o, e.stdout, fl.render.Printer, fl.render.Color, saved != nil)
		}
		if p == nil && saved == nil && !fl.autoApprove {
			o.Confirm = func(*fleet.Report) bool {
				tr := fl.render.Printer
				return askYes(ctx, e.stdin, e.stdout, "\n"+tr.Msg("Apply these changes to account %s? Only 'yes' is accepted: ", o.Accounts[0].AppID))
			}
		}
		rep := fleet.Apply(ctx, o, saved)
		exit := e.report(fl, rep, fl.render)
		// Only a rollout that --wave stopped goes on; one a failure
		// stopped needs a new plan (the report says why).
		if o.LastWave != "" && saved != nil && rep.Stopped == "" && slices.ContainsFunc(rep.Outcomes, func(o fleet.Outcome) bool { return o.NotStarted }) {
			// The same accounts as this run (flags go before the plan).
			plan := render.ShellWord(fl.args[0])
			next := strings.TrimSuffix(render.ApplyCommand(fl.render, fl.restore != "", fl.args[0]), plan)
			for _, a := range fl.accounts {
				next += "--account " + render.ShellWord(a) + " "
			}
			if fl.changedFiles != "" {
				next += "--changed-files " + render.ShellWord(fl.changedFiles) + " "
			}
			if o.SkipStale {
				next += "--skip-stale "
			}
			next += plan
			fmt.Fprintf(e.stderr, "wxmenu: apply --wave %s stopped after wave %s; apply the later waves with: %s\n", o.LastWave, o.LastWave, next)
		}
		return exit
	})
}

// askYes asks question on out and reads the answer from in: only "yes"
// (spaces aside) agrees; an interrupt (ctx done) or the end of in declines.
func askYes(ctx context.Context, in io.Reader, out io.Writer, question string) bool {
	fmt.Fprint(out, question)
	answer, err := reconcile.ReadLine(ctx, in)
	return err == nil && strings.TrimSpace(answer) == "yes"
}

// show renders a saved plan of a menus file or of a project, offline, as
// the run that saved it reported it: a success whatever the plan holds.
func (e *env) show(_ context.Context, fl *flags) error {
	args := fl.args
	if len(args) == 3 && args[1] == "--format" { // show PLAN.json --format F, as terraform show takes it
		args, fl.format = args[:1], args[2]
	}
	if len(args) != 1 || strings.HasPrefix(args[0], "-") {
		return cmdline.Fail(cmdline.ExitError, "wxmenu show [--format text|markdown|json|html] PLAN.json", "show takes one plan file, got %q", args)
	}
	if err := checkFormat(fl); err != nil {
		return err
	}
	f, err := plans.ReadFile(args[0])
	if err != nil {
		return err
	}
	fl.render.Project, fl.render.SavedAs = f.Project, args[0]
	var p *project.Project
	if f.Project != "" {
		// The plan's project says the language of its review, when it is
		// still there to read; the plan shows without it.
		p, _ = project.Load(f.Project)
	}
	if err := useLang(fl, p); err != nil {
		return err
	}
	return e.report(fl, fleet.ReportOf(f), fl.render)
}

// export writes each account of the project to its file, or -f's to --out
// or standard output, replacing no file unless --force.
func (e *env) export(ctx context.Context, fl *flags) error {
	if fl.snapshot != "" {
		return e.exportSnapshot(ctx, fl)
	}
	if fl.restore != "" {
		return e.exportRestore(fl)
	}
	if fl.template != "" && !fl.bootstrap {
		return cmdline.Fail(cmdline.ExitError, "add --bootstrap-platform, which adds the platform's new authorizers", "--template works with --bootstrap-platform only")
	}
	p, err := project.ForExport(fl.config, fl.out, fl.bootstrap)
	if err != nil {
		return err
	}
	var narrow func(*fleet.Options) error
	if !fl.bootstrap {
		narrow = e.skipPausedUnlessNamed(fl)
	}
	return e.runSome(ctx, fl, p, fl.out, true, narrow, func(ctx context.Context, o fleet.Options) error {
		if p == nil || !fl.bootstrap {
			return cmdline.ExitForProblems(render.FleetExport(e.stdout, e.stderr, fleet.Export(ctx, o)))
		}
		exported, err := fleet.Bootstrap(ctx, p, o, fl.template)
		if err != nil {
			return err
		}
		exit := cmdline.ExitForProblems(render.FleetExport(e.stdout, e.stderr, exported))
		fmt.Fprintf(e.stderr, "wxmenu: %s lists %d accounts; check them with: %s\n", p.Path, len(p.Accounts), render.WithGlobals("wxmenu plan --config "+render.ShellWord(p.Path), fl.render.Globals))
		return exit
	})
}

// exportSnapshot saves what a plan reads from the project's accounts, or
// the account of the flags, to --snapshot: every account or, when one
// cannot be read, nothing.
func (e *env) exportSnapshot(ctx context.Context, fl *flags) error {
	for _, other := range []struct {
		set  bool
		flag string
	}{{fl.out != "", "--out"}, {fl.restore != "", "--restore"}, {fl.bootstrap, "--bootstrap-platform"}} {
		if other.set {
			return cmdline.Fail(cmdline.ExitError, "export the snapshot and the menus file in two runs", "--snapshot writes a snapshot, not menus.yaml: it does not take %s", other.flag)
		}
	}
	p, err := project.Find("", fl.config)
	if err == nil {
		err = snap.CheckOut(fl.snapshot, fl.force)
	}
	if err != nil {
		return err
	}
	return e.runSome(ctx, fl, p, "", true, e.skipPausedUnlessNamed(fl), func(ctx context.Context, o fleet.Options) error {
		taken := fleet.Snapshot(ctx, o)
		projectPath := ""
		if p != nil {
			projectPath = p.Path
		}
		if err := render.FleetSnapshot(e.stdout, e.stderr, taken, p != nil); err != nil {
			return err
		}
		f, err := fleet.SaveSnapshot(fl.snapshot, projectPath, fl.run.ToolVersion, taken)
		if err != nil {
			return cmdline.Fail(cmdline.ExitError, "", "%v", err)
		}
		plan := "wxmenu plan --live " + render.ShellWord(fl.snapshot)
		if p == nil {
			plan += " -f menus.yaml"
		} else {
			// Even ./wxmenu.yaml (WXMENU_CONFIG may name another), and only
			// the accounts the snapshot holds.
			plan += " --config " + render.ShellWord(p.Path)
			for _, a := range fl.accounts {
				plan += " --account " + render.ShellWord(a)
			}
		}
		plan = render.WithGlobals(plan, fl.render.Globals)
		fmt.Fprintf(e.stderr, "wxmenu: snapshot of %s taken at %s saved to %s; plan against it with no credentials: %s\n",
			render.Count(len(f.Accounts), "account"), f.TakenAt.Format(time.RFC3339), fl.snapshot, plan)
		return nil
	})
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
	p, err := project.Find(fl.file, fl.config)
	if err != nil {
		return err
	}
	return e.run(ctx, fl, p, fl.file, true, func(ctx context.Context, o fleet.Options) error {
		return cmdline.ExitForProblems(render.FleetTryMatch(e.stdout, e.stderr, fl.args[0], fleet.TryMatch(ctx, o, fl.args[0])))
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
// hints at the command with -f added (before the argument given instead).
func fileArg(fl *flags) (string, error) {
	switch {
	case fl.file != "":
		return fl.file, nil
	case len(fl.args) > 0:
		return "", cmdline.Fail(cmdline.ExitError, "add -f before the file: wxmenu "+fl.command+" -f "+render.ShellWord(fl.args[0]), "%s takes the desired-state file with -f", fl.command)
	}
	return "", cmdline.Fail(cmdline.ExitError, "wxmenu "+fl.command+" -f menus.yaml", "missing -f FILE: %s needs the desired-state file, or a wxmenu.yaml project here", fl.command)
}

// Command wxmenu keeps WeChat Official Account menus in git: plan shows the
// smallest set of API calls that makes an account match menus.yaml, apply
// makes them and proves the account converged.
//
// This file is the command line only: flags, environment, output streams and
// exit codes. The work is done by packages reconcile and wechat.
package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"runtime/debug"
	"strings"
	"syscall"
	"time"

	"github.com/urfave/cli/v2"
	"golang.org/x/term"

	"github.com/wxmenu/wxmenu/internal/atomicfile"
	"github.com/wxmenu/wxmenu/reconcile"
	"github.com/wxmenu/wxmenu/reconcile/account"
	"github.com/wxmenu/wxmenu/reconcile/desired"
	"github.com/wxmenu/wxmenu/reconcile/plans"
	"github.com/wxmenu/wxmenu/reconcile/render"
	"github.com/wxmenu/wxmenu/wechat"
	"github.com/wxmenu/wxmenu/wechat/wechattest"
)

// Exit codes. 0 and 1 are the usual; the others are documented in README.md.
const (
	exitOK       = 0
	exitError    = 1
	exitChanges  = 2 // plan --detailed-exitcode: the plan has changes
	exitStale    = 3 // apply refused a stale plan; nothing was changed
	exitPartial  = 4 // apply stopped part way, or the account did not converge
	exitDeclined = 5 // apply was not confirmed
)

func main() {
	os.Exit(run(os.Args, os.Stdin, os.Stdout, os.Stderr))
}

// cliError is an error with an exit code and an optional hint line.
type cliError struct {
	code int
	err  error
	hint string
}

func (e *cliError) Error() string { return e.err.Error() }
func (e *cliError) Unwrap() error { return e.err }

// errHasChanges carries exit code 2 of plan --detailed-exitcode; it is not
// an error for the user and is never printed.
var errHasChanges = errors.New("the plan has changes")

func fail(code int, hint string, format string, args ...any) error {
	return &cliError{code: code, err: fmt.Errorf(format, args...), hint: hint}
}

// env is what every command needs from the process.
type env struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	// unknownCommand is set by the app's CommandNotFound hook, which
	// cannot return an error itself.
	unknownCommand string
}

func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	e := &env{stdin: stdin, stdout: stdout, stderr: stderr}
	app := newApp(e)
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	err := app.RunContext(ctx, args)
	if err == nil && e.unknownCommand != "" {
		err = fail(exitError, "run 'wxmenu --help' to list the commands", "unknown command %q", e.unknownCommand)
	}
	return e.report(err)
}

// report prints err as `wxmenu: error: …` lines (never a stack trace) and
// returns the exit code.
func (e *env) report(err error) int {
	if err == nil {
		return exitOK
	}
	var ce *cliError
	var ae *account.Error
	code, hint := exitError, ""
	switch {
	case errors.As(err, &ce):
		code, hint = ce.code, ce.hint
		if errors.Is(ce.err, errHasChanges) {
			return code
		}
	case errors.As(err, &ae):
		hint = ae.Hint
	}
	var diags desired.Diagnostics
	if errors.As(err, &diags) {
		for _, d := range diags {
			fmt.Fprintf(e.stderr, "wxmenu: error: %s\n", d.String())
		}
		if len(diags) > 1 {
			fmt.Fprintf(e.stderr, "wxmenu: %d problems found\n", len(diags))
		}
		return code
	}
	fmt.Fprintf(e.stderr, "wxmenu: error: %s\n", err)
	if hint != "" {
		fmt.Fprintf(e.stderr, "hint: %s\n", hint)
	}
	return code
}

func toolVersion() string {
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return "0.1.0-dev"
}

// globalFlags are accepted before or after the command name. urfave/cli
// only looks at the app's flags before the command, so every command gets
// its own copy and globalString/globalBool look through the lineage.
func globalFlags() []cli.Flag {
	return []cli.Flag{
		&cli.StringFlag{Name: "appid", Usage: "account `APPID`", EnvVars: []string{"WECHAT_APPID"}},
		&cli.StringFlag{Name: "secret", Usage: "app `SECRET` (prefer the environment variable)", EnvVars: []string{"WECHAT_APPSECRET"}},
		&cli.StringFlag{Name: "access-token", Usage: "use this access `TOKEN` as is (e.g. a third-party authorizer_access_token)", EnvVars: []string{"WECHAT_ACCESS_TOKEN"}},
		&cli.StringFlag{Name: "api-base", Usage: "API base `URLS`, comma-separated, tried in order when one cannot be reached", EnvVars: []string{"WECHAT_API_BASE"}, Value: "https://api.weixin.qq.com,https://api2.weixin.qq.com"},
		&cli.BoolFlag{Name: "legacy-token", Usage: "fetch tokens with GET cgi-bin/token instead of cgi-bin/stable_token"},
		&cli.BoolFlag{Name: "sandbox", Usage: "run against the embedded emulator (no credentials needed)", EnvVars: []string{"WXMENU_SANDBOX"}},
		&cli.StringFlag{Name: "sandbox-state", Usage: "emulator state `FILE` for --sandbox (default: $XDG_STATE_HOME/wxmenu/sandbox.json)", EnvVars: []string{"WXMENU_SANDBOX_STATE"}},
		&cli.BoolFlag{Name: "no-color", Usage: "never colour output (NO_COLOR is honoured too)"},
		&cli.DurationFlag{Name: "timeout", Usage: "give up after `DURATION`", Value: 5 * time.Minute, EnvVars: []string{"WXMENU_TIMEOUT"}},
	}
}

func withGlobal(flags ...cli.Flag) []cli.Flag { return append(flags, globalFlags()...) }

// lookupSet returns the innermost context where flag name was set on the
// command line, or c itself (whose value then comes from env or default).
func lookupSet(c *cli.Context, name string) *cli.Context {
	for _, ctx := range c.Lineage() {
		for _, n := range ctx.LocalFlagNames() {
			if n == name {
				return ctx
			}
		}
	}
	return c
}

func globalString(c *cli.Context, name string) string { return lookupSet(c, name).String(name) }
func globalBool(c *cli.Context, name string) bool     { return lookupSet(c, name).Bool(name) }
func globalDuration(c *cli.Context, name string) time.Duration {
	return lookupSet(c, name).Duration(name)
}

func newApp(e *env) *cli.App {
	return &cli.App{
		Name:    "wxmenu",
		Usage:   "manage WeChat Official Account menus from git: plan, review, apply",
		Version: toolVersion(),
		Description: "wxmenu reads menus.yaml (the default menu and the conditional menus in priority order),\n" +
			"compares it with the live account and prints the smallest set of WeChat API calls that makes\n" +
			"the account match. Try it with no credentials:\n\n" +
			"   wxmenu --sandbox apply -f examples/basic/menus.yaml --auto-approve",
		Reader:                 e.stdin,
		Writer:                 e.stdout,
		ErrWriter:              e.stderr,
		Flags:                  globalFlags(),
		Suggest:                true,
		UseShortOptionHandling: false,
		HideHelpCommand:        true,
		ExitErrHandler:         func(*cli.Context, error) {}, // run() reports errors itself
		OnUsageError: func(c *cli.Context, err error, _ bool) error {
			return fail(exitError, "run 'wxmenu "+c.Command.Name+" --help' for usage", "%s", strings.ToLower(err.Error()))
		},
		Commands: []*cli.Command{
			validateCommand(e),
			planCommand(e),
			applyCommand(e),
			exportCommand(e),
			schemaCommand(e),
			trymatchCommand(e),
			sandboxCommand(e),
		},
		CommandNotFound: func(c *cli.Context, name string) { e.unknownCommand = name },
	}
}

func fileFlag(required bool) *cli.StringFlag {
	return &cli.StringFlag{Name: "file", Aliases: []string{"f"}, Usage: "desired-state `FILE` (menus.yaml)", Required: required, EnvVars: []string{"WXMENU_FILE"}}
}

func validateCommand(e *env) *cli.Command {
	return &cli.Command{
		Name:      "validate",
		Usage:     "check a menus.yaml offline (no network)",
		UsageText: "wxmenu validate -f menus.yaml",
		Flags:     withGlobal(fileFlag(true)),
		Action: func(c *cli.Context) error {
			if err := noArgs(c); err != nil {
				return err
			}
			ds, err := loadDesired(c.String("file"))
			if err != nil {
				return err
			}
			fmt.Fprintf(e.stdout, "%s is valid: %s\n", ds.Path, render.StateSummary(ds))
			return nil
		},
	}
}

func loadDesired(path string) (*desired.State, error) {
	ds, err := desired.LoadFile(path)
	if err != nil {
		var diags desired.Diagnostics
		if errors.As(err, &diags) {
			return nil, err
		}
		if errors.Is(err, os.ErrNotExist) {
			return nil, fail(exitError, "pass the desired-state file with -f, e.g. -f menus.yaml", "cannot read %s: no such file", path)
		}
		return nil, fail(exitError, "", "cannot read %s: %v", path, unwrapPathError(err))
	}
	return ds, nil
}

func unwrapPathError(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

func noArgs(c *cli.Context) error {
	if c.NArg() > 0 {
		return fail(exitError, "flags go before arguments; run 'wxmenu "+c.Command.Name+" --help'", "unexpected argument %q", c.Args().First())
	}
	return nil
}

// safetyFlags are the overrides of the plan's safety rails.
func safetyFlags() []cli.Flag {
	return []cli.Flag{
		&cli.BoolFlag{Name: "allow-empty", Usage: "allow a desired state with no menus at all"},
		&cli.BoolFlag{Name: "allow-delete-all", Usage: "allow menu/delete (removes the default and every conditional menu)"},
		&cli.BoolFlag{Name: "allow-protected", Usage: "allow deleting or recreating menus marked protect"},
		&cli.BoolFlag{Name: "allow-many-deletes", Usage: "allow more deletes than --max-deletes / --max-delete-share"},
		&cli.IntFlag{Name: "max-deletes", Usage: "delete rail: most deletes allowed without --allow-many-deletes", Value: 10},
		&cli.Float64Flag{Name: "max-delete-share", Usage: "delete rail: largest share of live conditional menus deleted without --allow-many-deletes", Value: 0.5},
		&cli.IntFlag{Name: "max-conditional", Usage: "the account's conditional-menu cap (65305); WeChat does not document it", Value: wechat.DefaultMaxConditional},
	}
}

// checkRailFlags refuses rail settings that would silently mean something
// else (the plan engine reads 0 as "use the default").
func checkRailFlags(c *cli.Context) error {
	if n := c.Int("max-deletes"); n < 1 {
		return fail(exitError, "the rail never applies below 3 deletes; to allow more, pass --allow-many-deletes", "--max-deletes must be at least 1, got %d", n)
	}
	if f := c.Float64("max-delete-share"); f <= 0 || f > 1 {
		return fail(exitError, "use a share between 0 and 1, e.g. --max-delete-share 0.25", "--max-delete-share must be above 0 and at most 1, got %g", f)
	}
	if n := c.Int("max-conditional"); n < 1 {
		return fail(exitError, "", "--max-conditional must be at least 1, got %d", n)
	}
	return nil
}

func planOptions(c *cli.Context, file string) reconcile.PlanOptions {
	return reconcile.PlanOptions{
		DesiredFile:    file,
		MaxConditional: c.Int("max-conditional"),
		Safety: reconcile.SafetyOptions{
			AllowEmpty:       c.Bool("allow-empty"),
			AllowDeleteAll:   c.Bool("allow-delete-all"),
			AllowProtected:   c.Bool("allow-protected"),
			AllowManyDeletes: c.Bool("allow-many-deletes"),
			MaxDeletes:       c.Int("max-deletes"),
			MaxDeleteShare:   c.Float64("max-delete-share"),
		},
	}
}

func planCommand(e *env) *cli.Command {
	return &cli.Command{
		Name:  "plan",
		Usage: "show the API calls that make the account match menus.yaml (read-only)",
		UsageText: "wxmenu plan -f menus.yaml [--out plan.json] [--format text|markdown|json] [--detailed-exitcode]\n\n" +
			"Examples:\n" +
			"   wxmenu --sandbox plan -f examples/basic/menus.yaml\n" +
			"   wxmenu plan -f menus.yaml --out plan.json --format markdown > plan.md\n" +
			"   wxmenu plan -f menus.yaml --detailed-exitcode   # drift check: exit 2 when the account differs",
		Flags: withGlobal(append([]cli.Flag{
			fileFlag(true),
			&cli.StringFlag{Name: "out", Aliases: []string{"o"}, Usage: "save the plan to `PLAN.json` for apply"},
			&cli.StringFlag{Name: "format", Usage: "output `FORMAT`: text, markdown or json", Value: "text"},
			&cli.BoolFlag{Name: "detailed-exitcode", Usage: "exit 2 when the plan has changes, 0 when it has none"},
		}, safetyFlags()...)...),
		Action: func(c *cli.Context) error {
			if err := noArgs(c); err != nil {
				return err
			}
			render, err := renderer(c.String("format"), e, c)
			if err != nil {
				return err
			}
			if err := checkRailFlags(c); err != nil {
				return err
			}
			ds, err := loadDesired(c.String("file"))
			if err != nil {
				return err
			}
			// plan never writes to the account: its client refuses every
			// mutating call, so a drift check cannot change anything.
			return withSession(c, e, true, func(ctx context.Context, s *reconcile.Session) error {
				r := s.Plan(ctx, ds, planOptions(c, c.String("file")))
				if r.Plan != nil {
					if err := render(r.Plan); err != nil {
						return err
					}
				}
				if r.Status == reconcile.StatusBlocked || r.Status == reconcile.StatusError {
					return exitFor(r)
				}
				if out := c.String("out"); out != "" {
					if err := atomicfile.Write(out, func(w io.Writer) error { return plans.Write(w, r.Plan) }); err != nil {
						return fail(exitError, "", "writing %s: %v", out, unwrapPathError(err))
					}
					fmt.Fprintf(e.stderr, "wxmenu: plan saved to %s; apply it with: wxmenu apply %s\n", out, out)
				}
				if c.Bool("detailed-exitcode") && r.Plan.HasChanges() {
					return &cliError{code: exitChanges, err: errHasChanges}
				}
				return nil
			})
		},
	}
}

func safetyFailure(err error) error {
	var se *reconcile.SafetyError
	if errors.As(err, &se) {
		var flags []string
		for _, v := range se.Violations {
			flags = append(flags, "--"+v.Override)
		}
		return fail(exitError, "if this is intended, plan again with "+strings.Join(dedupe(flags), " ")+" (the override is recorded in the plan and the audit log)", "%w", err)
	}
	return fail(exitError, "", "planning: %v", err)
}

func dedupe(s []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, v := range s {
		if !seen[v] {
			seen[v] = true
			out = append(out, v)
		}
	}
	return out
}

func useColor(c *cli.Context, w io.Writer) bool {
	if globalBool(c, "no-color") || os.Getenv("NO_COLOR") != "" || os.Getenv("TERM") == "dumb" {
		return false
	}
	return isTerminal(w)
}

// isTerminal reports whether v is a terminal (not merely a character
// device: /dev/null is one, and must not count).
func isTerminal(v any) bool {
	f, ok := v.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

func renderer(format string, e *env, c *cli.Context) (func(*plans.Plan) error, error) {
	switch format {
	case "text":
		return func(p *plans.Plan) error {
			return render.Text(e.stdout, p, render.Options{Color: useColor(c, e.stdout)})
		}, nil
	case "markdown", "md":
		return func(p *plans.Plan) error { return render.Markdown(e.stdout, p) }, nil
	case "json":
		return func(p *plans.Plan) error { return render.JSON(e.stdout, p) }, nil
	}
	return nil, fail(exitError, "use --format text, markdown or json", "unknown format %q", format)
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
		Flags: withGlobal(append([]cli.Flag{
			fileFlag(false),
			&cli.BoolFlag{Name: "auto-approve", Usage: "with -f: apply without asking"},
			&cli.StringFlag{Name: "audit-log", Usage: "append a JSON line per step to `FILE`", EnvVars: []string{"WXMENU_AUDIT_LOG"}},
			&cli.StringFlag{Name: "lock-dir", Usage: "`DIR` for the per-account lock files (default: $XDG_STATE_HOME/wxmenu/locks)", EnvVars: []string{"WXMENU_LOCK_DIR"}},
			&cli.DurationFlag{Name: "lock-timeout", Usage: "wait up to `DURATION` for another apply on this machine to finish", Value: 0},
			&cli.StringFlag{Name: "format", Usage: "output `FORMAT`: text (progress for people) or json (one result document for machines)", Value: "text"},
		}, safetyFlags()...)...),
		Action: func(c *cli.Context) error { return runApply(c, e) },
	}
}

func runApply(c *cli.Context, e *env) error {
	jsonOut := c.String("format") == "json"
	if f := c.String("format"); f != "text" && !jsonOut {
		return fail(exitError, "use --format text or json", "unknown format %q", f)
	}
	r := applyCommandLine(c, e, jsonOut)
	if jsonOut {
		// One document for every run, bad input included.
		if err := render.ApplyJSON(e.stdout, r); err != nil {
			return err
		}
	}
	return exitFor(r)
}

// applyCommandLine reads apply's arguments and files, then applies.
func applyCommandLine(c *cli.Context, e *env, jsonOut bool) *reconcile.Result {
	if err := checkRailFlags(c); err != nil {
		return reconcile.Failed(nil, err)
	}
	file := c.String("file")
	var saved *plans.Plan
	switch {
	case c.NArg() > 1:
		return reconcile.Failed(nil, fail(exitError, "flags go before PLAN.json", "apply takes one plan file, got %d arguments", c.NArg()))
	case c.NArg() == 1:
		path := c.Args().First()
		if strings.HasPrefix(path, "-") {
			return reconcile.Failed(nil, fail(exitError, "flags go before PLAN.json", "unexpected flag %q", path))
		}
		p, err := readPlanFile(path)
		if err != nil {
			return reconcile.Failed(nil, err)
		}
		saved = p
		if file == "" {
			file = p.DesiredFile
		}
	case file == "":
		return reconcile.Failed(nil, fail(exitError, "apply a reviewed plan (wxmenu apply plan.json) or plan and apply in one go (wxmenu apply -f menus.yaml)", "nothing to apply"))
	}
	if saved == nil && !c.Bool("auto-approve") && !isTerminal(e.stdin) {
		return reconcile.Failed(nil, fail(exitError, "pass --auto-approve to apply without a question, or apply a saved plan", "apply -f needs confirmation, and standard input is not a terminal"))
	}
	ds, err := loadDesired(file)
	if err != nil {
		return reconcile.Failed(nil, err)
	}
	var r *reconcile.Result
	err = withSession(c, e, false, func(ctx context.Context, s *reconcile.Session) error {
		r = applyWithSession(ctx, c, e, s, ds, saved, file, jsonOut)
		return nil
	})
	if err != nil {
		return reconcile.Failed(saved, err)
	}
	return r
}

// applyWithSession plans and asks when no saved plan was given, and
// applies.
func applyWithSession(ctx context.Context, c *cli.Context, e *env, s *reconcile.Session, ds *desired.State, plan *plans.Plan, file string, jsonOut bool) *reconcile.Result {
	color := useColor(c, e.stdout)
	opts := reconcile.RunOptions{Plan: planOptions(c, file), Apply: reconcile.ApplyOptions{MaxConditional: c.Int("max-conditional")}}
	if !jsonOut {
		opts.Show = func(p *plans.Plan) error { return render.Text(e.stdout, p, render.Options{Color: color}) }
		opts.Apply.Progress = func(ev reconcile.ProgressEvent) {
			if ev.Index == 0 && ev.Result == nil {
				// Printed only once the plan passed its checks.
				fmt.Fprintf(e.stdout, "\nApplying %d steps to %s\n", ev.Total, displayAccount(s.AppID))
			}
			render.Progress(e.stdout, ev, color)
		}
	}
	if !c.Bool("auto-approve") {
		opts.Confirm = func(*plans.Plan) bool {
			fmt.Fprint(e.stdout, "\nApply these changes to "+displayAccount(s.AppID)+"? Only 'yes' is accepted: ")
			answer, _ := bufio.NewReader(e.stdin).ReadString('\n')
			return strings.TrimSpace(answer) == "yes"
		}
	}
	s.AuditPath = c.String("audit-log")
	r := s.Run(ctx, ds, plan, opts)
	switch {
	case jsonOut:
	case r.Status == reconcile.StatusApplied:
		fmt.Fprintf(e.stdout, "Apply complete: %d steps applied; the account matches %s (verified by reading it back).\n", len(r.Plan.Steps), r.Plan.DesiredFile)
	case r.Status == reconcile.StatusPartial:
		render.ApplySteps(e.stdout, r.Applied)
	}
	return r
}

// exitFor is the error (exit code, message, hint) of a run's result.
func exitFor(r *reconcile.Result) error {
	file := "menus.yaml"
	if r.Plan != nil && r.Plan.DesiredFile != "" {
		file = r.Plan.DesiredFile
	}
	var ce *cliError
	var read *reconcile.ReadError
	switch r.Status {
	case reconcile.StatusNoChanges, reconcile.StatusChanges, reconcile.StatusApplied:
		return nil
	case reconcile.StatusBlocked:
		return safetyFailure(r.Err)
	case reconcile.StatusStale:
		return fail(exitStale, "make a new plan (wxmenu plan -f "+file+" --out plan.json), review it and apply that", "%v; nothing was changed", r.Err)
	case reconcile.StatusPartial:
		if r.Unchanged() {
			// WeChat refused the first call: the account is as it was.
			return fail(exitError, "", "%v; nothing was changed", r.Err)
		}
		return fail(exitPartial, "the account is between the old and the new state; run plan and apply again to converge", "%v", r.Err)
	case reconcile.StatusNotConverged:
		return fail(exitPartial, "run 'wxmenu plan' to see what differs; someone may have changed the account during apply", "%v", r.Err)
	case reconcile.StatusDeclined:
		return fail(exitDeclined, "", "%v", r.Err)
	}
	switch {
	case errors.As(r.Err, &ce):
		return r.Err
	case errors.As(r.Err, &read):
		return fail(exitError, "the account was not read, so nothing can be compared; check credentials and network (wxmenu never treats a failed read as an empty account)", "%v", r.Err)
	case errors.Is(r.Err, reconcile.ErrLocked):
		return fail(exitError, "wait for it to finish, or pass --lock-timeout 5m to wait", "%v", r.Err)
	case errors.As(r.Err, new(*account.Error)):
		return r.Err
	}
	return fail(exitError, "", "%v", r.Err)
}

func displayAccount(appID string) string {
	if appID == "" {
		return "the account"
	}
	return "account " + appID
}

func readPlanFile(path string) (*plans.Plan, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fail(exitError, "make one with: wxmenu plan -f menus.yaml --out "+path, "cannot read plan %s: %v", path, unwrapPathError(err))
	}
	defer f.Close()
	p, err := plans.Read(f)
	if err != nil {
		return nil, fail(exitError, "make a new plan with: wxmenu plan -f menus.yaml --out "+path, "%s: %v", path, err)
	}
	return p, nil
}

func exportCommand(e *env) *cli.Command {
	return &cli.Command{
		Name:      "export",
		Usage:     "write the live account as menus.yaml",
		UsageText: "wxmenu export [--out menus.yaml]\n\nExample:\n   wxmenu --sandbox export --out menus.yaml && wxmenu --sandbox plan -f menus.yaml   # no changes",
		Flags:     withGlobal(&cli.StringFlag{Name: "out", Aliases: []string{"o"}, Usage: "write to `FILE` instead of standard output"}),
		Action: func(c *cli.Context) error {
			if err := noArgs(c); err != nil {
				return err
			}
			return withSession(c, e, true, func(ctx context.Context, s *reconcile.Session) error {
				live, err := s.Client.GetMenu(ctx)
				if err != nil {
					return exitFor(reconcile.Failed(nil, &reconcile.ReadError{Err: err}))
				}
				return writeExport(c, e, live)
			})
		},
	}
}

// writeExport writes the live account as YAML to --out (atomically) or
// standard output.
func writeExport(c *cli.Context, e *env, live *wechat.MenuSet) error {
	data, err := desired.Export(live)
	if err != nil {
		return fail(exitError, "", "exporting: %v", err)
	}
	if out := c.String("out"); out != "" {
		if err := atomicfile.Write(out, func(w io.Writer) error { _, err := w.Write(data); return err }); err != nil {
			return fail(exitError, "", "writing %s: %v", out, unwrapPathError(err))
		}
		fmt.Fprintf(e.stderr, "wxmenu: exported %s to %s\n", render.Count(len(live.Conditional), "conditional menu"), out)
		return nil
	}
	_, err = e.stdout.Write(data)
	return err
}

func schemaCommand(e *env) *cli.Command {
	return &cli.Command{
		Name:      "schema",
		Usage:     "print the JSON Schema of menus.yaml (for yaml-language-server)",
		UsageText: "wxmenu schema > menus.schema.json\n\nThen start menus.yaml with:\n   # yaml-language-server: $schema=./menus.schema.json",
		Flags:     withGlobal(),
		Action: func(c *cli.Context) error {
			if err := noArgs(c); err != nil {
				return err
			}
			_, err := e.stdout.Write(desired.Schema())
			return err
		},
	}
}

func trymatchCommand(e *env) *cli.Command {
	return &cli.Command{
		Name:      "trymatch",
		Usage:     "show which menu a follower sees (menu/trymatch)",
		UsageText: "wxmenu trymatch [-f menus.yaml] USER\n\nUSER is an OpenID or a WeChat ID.\n\nExample:\n   wxmenu --sandbox trymatch -f examples/basic/menus.yaml o_demo_vip",
		Flags:     withGlobal(fileFlag(false)),
		Action: func(c *cli.Context) error {
			if c.NArg() != 1 {
				return fail(exitError, "wxmenu trymatch [-f menus.yaml] USER", "trymatch takes one user (an OpenID or WeChat ID)")
			}
			user := c.Args().First()
			var ds *desired.State
			if f := c.String("file"); f != "" {
				var err error
				if ds, err = loadDesired(f); err != nil {
					return err
				}
			}
			return withAccount(c, e, true, func(ctx context.Context, acct *account.Account) error {
				buttons, err := acct.Client.TryMatch(ctx, user)
				if err != nil {
					return fail(exitError, "", "trymatch %s: %v", user, err)
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
	return &cli.Command{
		Name:  "sandbox",
		Usage: "the WeChat menu API emulator",
		Subcommands: []*cli.Command{
			{
				Name:  "serve",
				Usage: "serve the emulator over HTTP on a loopback address",
				UsageText: "wxmenu sandbox serve --addr 127.0.0.1:8808 [--appid ID --secret S] [--state FILE] [--demo]\n\n" +
					"It speaks WeChat's wire format under /cgi-bin/... and offers a control surface under /_emulator/...\n" +
					"Example:\n   wxmenu sandbox serve --addr 127.0.0.1:8808 --demo &\n" +
					"   WECHAT_API_BASE=http://127.0.0.1:8808 WECHAT_APPID=" + wechattest.DefaultAppID + " WECHAT_APPSECRET=... wxmenu plan -f menus.yaml",
				// No global flags: serve is the emulator, not a client of an
				// account, and its credentials never come from WECHAT_*
				// variables (which may hold a real account's secret).
				Flags: []cli.Flag{
					&cli.StringFlag{Name: "addr", Usage: "listen on `HOST:PORT` (loopback only)", Value: "127.0.0.1:8808"},
					&cli.StringFlag{Name: "appid", Usage: "the `APPID` the emulator accepts", Value: wechattest.DefaultAppID},
					&cli.StringFlag{Name: "secret", Usage: "the app `SECRET` the emulator accepts (default: the documented sandbox secret)"},
					&cli.StringFlag{Name: "state", Usage: "load and save the emulator state in `FILE`"},
					&cli.BoolFlag{Name: "demo", Usage: "seed the demo account when the state is empty"},
					&cli.StringFlag{Name: "addr-file", Usage: "write the address actually listened on to `FILE` (useful with port 0)"},
					&cli.StringSliceFlag{Name: "quota", Usage: "set a daily quota, `ENDPOINT=N` (e.g. menu/delconditional=0); repeatable"},
					&cli.IntFlag{Name: "max-conditional", Usage: "the conditional-menu cap (65305 past it)", Value: wechat.DefaultMaxConditional},
				},
				Action: func(c *cli.Context) error { return serveSandbox(c, e) },
			},
			{
				Name:      "reset",
				Usage:     "reset the --sandbox account to the demo account",
				UsageText: "wxmenu sandbox reset [--sandbox-state FILE]",
				Flags:     withGlobal(),
				Action: func(c *cli.Context) error {
					path := sandboxStatePath(c)
					if err := account.ResetSandbox(path); err != nil {
						return err
					}
					fmt.Fprintf(e.stdout, "sandbox account reset to the demo account (%s)\n", path)
					return nil
				},
			},
		},
	}
}

func serveSandbox(c *cli.Context, e *env) error {
	if err := noArgs(c); err != nil {
		return err
	}
	return account.Serve(c.Context, account.ServeSpec{
		Addr: c.String("addr"), AppID: c.String("appid"), Secret: c.String("secret"),
		StatePath: c.String("state"), Demo: c.Bool("demo"), AddrFile: c.String("addr-file"),
		Quotas: c.StringSlice("quota"), MaxConditional: c.Int("max-conditional"),
	}, e.stdout)
}

// stateDir is where wxmenu keeps local state: the sandbox account and the
// apply locks.
func stateDir() string {
	if d := os.Getenv("XDG_STATE_HOME"); d != "" {
		return filepath.Join(d, "wxmenu")
	}
	if home, err := os.UserHomeDir(); err == nil {
		return filepath.Join(home, ".local", "state", "wxmenu")
	}
	return filepath.Join(os.TempDir(), "wxmenu")
}

func sandboxStatePath(c *cli.Context) string {
	if p := globalString(c, "sandbox-state"); p != "" {
		return p
	}
	return filepath.Join(stateDir(), "sandbox.json")
}

// withAccount opens the account (embedded sandbox or WeChat) and runs f
// within the command's --timeout.
func withAccount(c *cli.Context, e *env, readOnly bool, f func(ctx context.Context, acct *account.Account) error) error {
	ctx, cancel := context.WithTimeout(c.Context, globalDuration(c, "timeout"))
	defer cancel()
	var bases []string
	for _, b := range strings.Split(globalString(c, "api-base"), ",") {
		if b = strings.TrimSpace(b); b != "" {
			bases = append(bases, strings.TrimRight(b, "/"))
		}
	}
	acct, err := account.Open(account.Spec{
		AppID: globalString(c, "appid"), Secret: globalString(c, "secret"), AccessToken: globalString(c, "access-token"),
		APIBases: bases, LegacyToken: globalBool(c, "legacy-token"),
		Sandbox: globalBool(c, "sandbox"), SandboxState: sandboxStatePath(c),
		ReadOnly: readOnly, Notices: e.stderr,
	})
	if err != nil {
		return err
	}
	defer acct.Close()
	return f(ctx, acct)
}

// withSession is withAccount with a session for the account.
func withSession(c *cli.Context, e *env, readOnly bool, f func(ctx context.Context, s *reconcile.Session) error) error {
	return withAccount(c, e, readOnly, func(ctx context.Context, acct *account.Account) error {
		lockDir := c.String("lock-dir")
		if lockDir == "" {
			lockDir = filepath.Join(stateDir(), "locks")
		}
		return f(ctx, &reconcile.Session{
			Client: acct.Client, AppID: acct.AppID, Account: acct.LockName(),
			LockDir: lockDir, LockWait: c.Duration("lock-timeout"), ToolVersion: toolVersion(),
		})
	})
}

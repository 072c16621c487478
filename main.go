// Command wxmenu keeps WeChat Official Account menus in git: plan shows the
// smallest set of API calls that makes an account match menus.yaml, apply
// makes them and proves the account converged.
//
// Package main is the command line only, on one path: the app, its flags
// and usage errors (app.go), the flags parsed once into one value
// (main.go); each command (commands.go, render_cmd.go) runs on the
// accounts of a run (env.run): a project's, or -f's one account, a
// project of one.
// reconcile/fleet does the work on accounts opened by reconcile/account;
// render.Report shows the report (the single-account output for -f);
// internal/cmdline decides exits and prints errors.
package main

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/urfave/cli/v2"
	"golang.org/x/term"

	"github.com/wxmenu/wxmenu/internal/buildinfo"
	"github.com/wxmenu/wxmenu/internal/cmdline"
	"github.com/wxmenu/wxmenu/internal/interrupt"
	"github.com/wxmenu/wxmenu/internal/termstatus"
	"github.com/wxmenu/wxmenu/reconcile"
	"github.com/wxmenu/wxmenu/reconcile/account"
	"github.com/wxmenu/wxmenu/reconcile/fleet"
	"github.com/wxmenu/wxmenu/reconcile/plans"
	"github.com/wxmenu/wxmenu/reconcile/render"
)

func main() {
	os.Exit(run(os.Args, os.Stdin, os.Stdout, os.Stderr))
}

// env is what every command needs from the process: its streams, the
// flags every printed command repeats (--sandbox), and a command name
// that is no command's (the app's CommandNotFound hook returns no error).
type env struct {
	args           []string // after "wxmenu", as given to run (complete reads them)
	stdin          io.Reader
	stdout, stderr io.Writer
	globals        []string
	unknownCommand string
}

func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	e := &env{args: args[1:], stdin: stdin, stdout: stdout, stderr: stderr, globals: render.HintGlobals(args[1:])}
	ctx, stop := interrupt.Context(context.Background(), stderr)
	defer stop()
	app := newApp(e)
	err := app.RunContext(ctx, args)
	if err == nil && e.unknownCommand != "" {
		err = unknownCommand(e.unknownCommand, app)
	}
	return cmdline.Report(e.stderr, err, e.globals, func(s string) string { return account.RedactCredentials(s, args) })
}

// action is a command's action: f with the flags parsed, refusing
// arguments unless takesArgs; when timed, within --timeout from the start:
// reading -f (a named pipe may never be written), the lock, the calls and
// the prompt share the one budget.
func (e *env) action(f func(ctx context.Context, fl *flags) error, takesArgs, timed bool) cli.ActionFunc {
	return func(c *cli.Context) error {
		fl := parse(c, e.stdout, e.stderr)
		e.globals = fl.render.Globals // what the run read, environment included
		if !takesArgs && len(fl.args) > 0 {
			return cmdline.Fail(cmdline.ExitError, "flags go before arguments; run 'wxmenu "+fl.command+" --help'", "unexpected argument %q", fl.args[0])
		}
		ctx := c.Context
		if timed {
			var cancel context.CancelFunc
			ctx, cancel = context.WithTimeoutCause(ctx, fl.timeout, timedOut(fl.timeout))
			defer cancel()
		}
		return f(ctx, fl)
	}
}

// timedOut is the cause of a command's context ending at --timeout: the
// wait it ends then says "timed out after 5s waiting for HOST" instead of
// "context deadline exceeded" (wechat words a call's error by the cause).
type timedOut time.Duration

func (d timedOut) Error() string { return "timed out after " + time.Duration(d).String() }

// flags are a command line as one value, parsed once (parse); nothing
// below package main sees urfave/cli.
type flags struct {
	command                     string // the words after "wxmenu", e.g. "sandbox reset"
	args                        []string
	file, config, changedFiles  string
	accounts                    []string // --account: a project's accounts to run on
	out, format, markdownDir    string
	outDir                      string // render --out-dir
	template                    string // export --bootstrap-platform --template
	force, detailed             bool
	autoApprove, bootstrap      bool
	projectSchema               bool
	restore                     string   // plan and export: --restore ID
	live, snapshot              string   // plan --live FILE, export --snapshot FILE
	statePath                   string   // drift and watch: --state
	notify                      []string // drift and watch: --notify
	interval                    time.Duration
	listen                      string
	once, selfHeal, allowRemote bool
	check                       bool // fmt --check
	timeout                     time.Duration
	lang                        string         // --lang, "" when not given (useLang)
	account                     account.Spec   // -f's credentials, API bases, sandbox
	run                         fleet.Options  // of every run: the rails and cap of plan and apply, locks, audit log
	render                      render.Options // colour, the flags printed commands repeat
	serve                       account.ServeSpec
}

// parse reads every flag of c's command, the global ones wherever they
// were set (lookupSet). stdout decides colour; stderr receives notices,
// the debug log of --verbose (or WXMENU_LOG=debug) and otherwise, on a
// terminal, the status line of a call that takes long: the two never mix.
func parse(c *cli.Context, stdout, stderr io.Writer) *flags {
	str := func(name string) string { return lookupSet(c, name).String(name) }
	flag := func(name string) bool { return lookupSet(c, name).Bool(name) }
	var logger *slog.Logger
	if flag("verbose") || strings.EqualFold(os.Getenv("WXMENU_LOG"), "debug") {
		logger = slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	line := termstatus.New(stderr, logger == nil && isTerminal(stderr))
	return &flags{
		command: commandPath(c), args: c.Args().Slice(),
		file: c.String("file"), config: str("config"), changedFiles: str("changed-files"),
		accounts: lookupSet(c, "account").StringSlice("account"),
		out:      c.String("out"), outDir: c.String("out-dir"), template: c.String("template"), format: c.String("format"), markdownDir: c.String("out-markdown-dir"),
		force: c.Bool("force"), detailed: c.Bool("detailed-exitcode"), autoApprove: c.Bool("auto-approve"),
		bootstrap: c.Bool("bootstrap-platform"), projectSchema: c.Bool("project"), restore: c.String("restore"), live: c.String("live"), snapshot: c.String("snapshot"), statePath: c.String("state"), notify: c.StringSlice("notify"),
		interval: c.Duration("interval"), listen: c.String("listen"), once: c.Bool("once"), check: c.Bool("check"), selfHeal: c.Bool("self-heal"), allowRemote: c.Bool("listen-non-loopback"), timeout: lookupSet(c, "timeout").Duration("timeout"), lang: str("lang"),
		render: render.Options{AuditLog: c.String("audit-log"), Globals: render.CommandGlobals(flag("sandbox"), str("sandbox-state"), str("api-base"), defaultAPIBase, str("appid"), c.String("file")), Color: !flag("no-color") && os.Getenv("NO_COLOR") == "" && os.Getenv("TERM") != "dumb" && isTerminal(stdout)},
		account: account.Spec{AppID: str("appid"), Secret: str("secret"), AccessToken: str("access-token"),
			APIBases: account.SplitBases(str("api-base")), LegacyToken: flag("legacy-token"),
			Sandbox: flag("sandbox"), SandboxState: account.StatePath(str("sandbox-state"), "sandbox.json"), Notices: stderr, Logger: logger,
			Transport: func(rt http.RoundTripper) http.RoundTripper { return termstatus.Transport(rt, line) }},
		run: fleet.Options{Plan: reconcile.PlanOptions{MaxConditional: c.Int("max-conditional"), Safety: reconcile.SafetyOptions{
			AllowEmpty: c.Bool("allow-empty"), AllowDeleteAll: c.Bool("allow-delete-all"),
			AllowProtected: c.Bool("allow-protected"), AllowManyDeletes: c.Bool("allow-many-deletes"),
			MaxDeletes: c.Int("max-deletes"), MaxDeleteShare: c.Float64("max-delete-share"),
		}, Provenance: plans.ProvenanceFromEnv(os.Getenv)}, Parallel: lookupSet(c, "parallel").Int("parallel"),
			LockDir: account.StatePath(c.String("lock-dir"), "locks"), LockWait: c.Duration("lock-timeout"), AuditPath: c.String("audit-log"),
			ToolVersion: buildinfo.ToolVersion(), SkipStale: c.Bool("skip-stale"), ReplaceFiles: c.Bool("force"), LastWave: c.String("wave")},
		// sandbox serve's own flags, never the global ones of the same name
		serve: account.ServeSpec{Addr: c.String("addr"), AppID: c.String("appid"), Secret: c.String("secret"),
			StatePath: c.String("state"), Demo: c.Bool("demo"), AddrFile: c.String("addr-file"), Quotas: c.StringSlice("quota"),
			MaxConditional: c.Int("max-conditional"), Accounts: c.StringSlice("account"), Platform: c.String("platform")},
	}
}

// lookupSet is the innermost context where flag name was set on the
// command line, or the app's (whose value then comes from the environment
// or the default): urfave/cli reads the app's flags only before the
// command, so a command has its own copy of each global flag it takes.
func lookupSet(c *cli.Context, name string) *cli.Context {
	root := c
	for _, ctx := range c.Lineage() {
		if ctx.Command == nil {
			continue // the empty context urfave/cli puts above the app's
		}
		if root = ctx; slices.Contains(ctx.LocalFlagNames(), name) {
			return ctx
		}
	}
	return root
}

// commandPath is the command's words after "wxmenu", e.g. "sandbox reset",
// or "" for the app itself.
func commandPath(c *cli.Context) string {
	var words []string
	for _, ctx := range c.Lineage() {
		if ctx.Command != nil && ctx.Command.Name != "" && (ctx.App == nil || ctx.Command.Name != ctx.App.Name) {
			words = append([]string{ctx.Command.Name}, words...)
		}
	}
	return strings.Join(words, " ")
}

// isTerminal reports whether v is a terminal (not merely a character
// device: /dev/null is one, and must not count).
func isTerminal(v any) bool {
	f, ok := v.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

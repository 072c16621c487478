// Command wxmenu keeps WeChat Official Account menus in git: plan shows the
// smallest set of API calls that makes an account match menus.yaml, apply
// makes them and proves the account converged.
//
// Package main is the command line only: flags, environment, output streams
// and exit codes (this file), and the commands (commands.go). The work is
// done by reconcile.Session, opened on an account by reconcile/account.
package main

import (
	"context"
	"errors"
	"fmt"
	"github.com/wxmenu/wxmenu/internal/buildinfo"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"github.com/urfave/cli/v2"
	"golang.org/x/term"

	"github.com/wxmenu/wxmenu/internal/atomicfile"
	"github.com/wxmenu/wxmenu/reconcile"
	"github.com/wxmenu/wxmenu/reconcile/account"
	"github.com/wxmenu/wxmenu/reconcile/desired"
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

func (e *cliError) Error() string     { return e.err.Error() }
func (e *cliError) Unwrap() error     { return e.err }
func (e *cliError) ErrorHint() string { return e.hint }

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
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	err := newApp(e).RunContext(ctx, args)
	if err == nil && e.unknownCommand != "" {
		err = fail(exitError, "run 'wxmenu --help' to list the commands", "unknown command %q", e.unknownCommand)
	}
	return e.report(err)
}

// report prints err as `wxmenu: error: …` lines (never a stack trace), with
// the hint of the first error in the chain that has one, and returns the
// exit code.
func (e *env) report(err error) int {
	if err == nil {
		return exitOK
	}
	code := exitError
	if ce := (*cliError)(nil); errors.As(err, &ce) {
		code = ce.code
		if errors.Is(ce.err, errHasChanges) {
			return code
		}
	}
	if diags := (desired.Diagnostics)(nil); errors.As(err, &diags) {
		for _, d := range diags {
			fmt.Fprintf(e.stderr, "wxmenu: error: %s\n", d.String())
		}
		if len(diags) > 1 {
			fmt.Fprintf(e.stderr, "wxmenu: %d problems found\n", len(diags))
		}
		return code
	}
	fmt.Fprintf(e.stderr, "wxmenu: error: %s\n", err)
	if h := (interface{ ErrorHint() string })(nil); errors.As(err, &h) && h.ErrorHint() != "" {
		fmt.Fprintf(e.stderr, "hint: %s\n", h.ErrorHint())
	}
	return code
}

// exitFor is the error (exit code, message, hint) of a run's result.
func exitFor(r *reconcile.Result) error {
	code := exitError
	switch r.Status {
	case reconcile.StatusNoChanges, reconcile.StatusChanges, reconcile.StatusApplied:
		return nil
	case reconcile.StatusStale:
		code = exitStale
	case reconcile.StatusPartial, reconcile.StatusNotConverged:
		if !r.Unchanged() {
			code = exitPartial
		}
	case reconcile.StatusDeclined:
		code = exitDeclined
	}
	if diags := (desired.Diagnostics)(nil); errors.As(r.Err, &diags) {
		return r.Err // printed one per line by report
	}
	message, hint := r.Problem()
	return fail(code, hint, "%s", message)
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

func sandboxStatePath(c *cli.Context) string {
	if p := globalString(c, "sandbox-state"); p != "" {
		return p
	}
	return filepath.Join(account.StateDir(), "sandbox.json")
}

// withAccount opens the account (embedded sandbox or WeChat) and runs f
// within the command's --timeout.
func withAccount(c *cli.Context, e *env, readOnly bool, f func(ctx context.Context, acct *account.Account) error) error {
	ctx, cancel := context.WithTimeout(c.Context, lookupSet(c, "timeout").Duration("timeout"))
	defer cancel()
	acct, err := account.Open(account.Spec{
		AppID: globalString(c, "appid"), Secret: globalString(c, "secret"), AccessToken: globalString(c, "access-token"),
		APIBases: account.SplitBases(globalString(c, "api-base")), LegacyToken: globalBool(c, "legacy-token"),
		Sandbox: globalBool(c, "sandbox"), SandboxState: sandboxStatePath(c), ReadOnly: readOnly, Notices: e.stderr,
	})
	if err != nil {
		return err
	}
	defer acct.Close()
	return f(ctx, acct)
}

// withSession is withAccount with a session for the account.
func withSession(c *cli.Context, e *env, readOnly bool, f func(ctx context.Context, s *reconcile.Session) error) error {
	lockDir := c.String("lock-dir")
	if lockDir == "" {
		lockDir = filepath.Join(account.StateDir(), "locks")
	}
	return withAccount(c, e, readOnly, func(ctx context.Context, acct *account.Account) error {
		return f(ctx, &reconcile.Session{Client: acct.Client, AppID: acct.AppID, Account: acct.LockName(),
			LockDir: lockDir, LockWait: c.Duration("lock-timeout"), ToolVersion: buildinfo.ToolVersion(), AuditPath: c.String("audit-log")})
	})
}

// writeOut writes to path atomically, or to standard output when path is "".
func (e *env) writeOut(path string, write func(io.Writer) error) error {
	if path == "" {
		return write(e.stdout)
	}
	if err := atomicfile.Write(path, write); err != nil {
		return fail(exitError, "", "writing %s: %v", path, unwrapPathError(err))
	}
	return nil
}

func unwrapPathError(err error) error {
	if pe := (*os.PathError)(nil); errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// noArgs is an action that takes no arguments, only flags.
func noArgs(action cli.ActionFunc) cli.ActionFunc {
	return func(c *cli.Context) error {
		if c.NArg() > 0 {
			return fail(exitError, "flags go before arguments; run 'wxmenu "+c.Command.Name+" --help'", "unexpected argument %q", c.Args().First())
		}
		return action(c)
	}
}

func displayAccount(appID string) string {
	if appID == "" {
		return "the account"
	}
	return "account " + appID
}

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
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/wxmenu/wxmenu/internal/atomicfile"
	"github.com/wxmenu/wxmenu/internal/buildinfo"
	"github.com/wxmenu/wxmenu/internal/cmdline"
	"github.com/wxmenu/wxmenu/internal/interrupt"
	"github.com/wxmenu/wxmenu/internal/termstatus"
	"github.com/wxmenu/wxmenu/reconcile"
	"github.com/wxmenu/wxmenu/reconcile/account"
	"github.com/wxmenu/wxmenu/wechat"
)

func main() {
	os.Exit(run(os.Args, os.Stdin, os.Stdout, os.Stderr))
}

// cliError is an error with an exit code, a usage line and a hint.
type cliError = cmdline.Error

var fail = cmdline.Fail

// env is what every command needs from the process.
type env struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	// unknownCommand is set by the app's CommandNotFound hook, which
	// cannot return an error itself.
	unknownCommand string
	// globals are the flags every printed hint repeats (--sandbox).
	globals []string
	// args is the command line, whose credentials report redacts.
	args []string
}

func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	e := &env{stdin: stdin, stdout: stdout, stderr: stderr, globals: cmdline.HintGlobals(args[1:]), args: args}
	ctx, stop := interrupt.Context(context.Background(), stderr)
	defer stop()
	app := newApp(e)
	err := app.RunContext(ctx, args)
	if err == nil && e.unknownCommand != "" {
		hint := "run 'wxmenu --help' to list the commands"
		if s := cmdline.Closest(e.unknownCommand, cmdline.CommandNames(app)); s != "" {
			hint = "did you mean " + s + "? (wxmenu " + s + " --help shows how to use it)"
		}
		err = fail(cmdline.ExitError, hint, "unknown command %q", e.unknownCommand)
	}
	return cmdline.Report(e.stderr, err, e.globals, func(s string) string { return account.RedactCredentials(s, e.args) })
}

// hint is a hint made safe to run as written: it repeats --sandbox.
func (e *env) hint(h string) string { return cmdline.WithGlobals(h, e.globals) }

func sandboxStatePath(c *cli.Context) string {
	if p := cmdline.String(c, "sandbox-state"); p != "" {
		return p
	}
	return filepath.Join(account.StateDir(), "sandbox.json")
}

// withAccount opens the account (embedded sandbox or WeChat) and runs f
// within the command's --timeout.
func withAccount(c *cli.Context, e *env, readOnly bool, f func(ctx context.Context, acct *account.Account) error) error {
	ctx, cancel := context.WithTimeout(c.Context, cmdline.Duration(c, "timeout"))
	defer cancel()
	var logger *slog.Logger
	if cmdline.Bool(c, "verbose") || strings.EqualFold(os.Getenv("WXMENU_LOG"), "debug") {
		logger = slog.New(slog.NewTextHandler(e.stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	hc := wechat.DefaultHTTPClient()
	hc.Transport = termstatus.Transport(hc.Transport, termstatus.New(e.stderr, logger == nil && cmdline.IsTerminal(e.stderr)))
	acct, err := account.Open(account.Spec{Logger: logger, HTTPClient: hc,
		AppID: cmdline.String(c, "appid"), Secret: cmdline.String(c, "secret"), AccessToken: cmdline.String(c, "access-token"),
		APIBases: account.SplitBases(cmdline.String(c, "api-base")), LegacyToken: cmdline.Bool(c, "legacy-token"),
		Sandbox: cmdline.Bool(c, "sandbox"), SandboxState: sandboxStatePath(c), ReadOnly: readOnly, Notices: e.stderr,
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
		return fail(cmdline.ExitError, "", "writing %s: %v", path, unwrapPathError(err))
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
			return fail(cmdline.ExitError, "flags go before arguments; run 'wxmenu "+cmdline.CommandPath(c)+" --help'", "unexpected argument %q", c.Args().First())
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

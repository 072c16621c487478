// Command wxmenu keeps WeChat Official Account menus in git: plan shows the
// smallest set of API calls that makes an account match menus.yaml, apply
// makes them and proves the account converged.
//
// Package main is the command line only: the process, its output streams
// and exit code (this file), and the commands on one account
// (commands.go) and on the accounts of a project (fleet.go), each reading
// its flags, opening the account or accounts and handing them on. What
// the flags are and mean as plain values (an account to open, a command's
// input, what it shows of its result, its exit code) is internal/cmdline;
// which project a command works on, and whether apply works on a project,
// is reconcile/project and reconcile/fleet; the work is done by
// reconcile.Session, opened on an account by reconcile/account.
package main

import (
	"context"
	"io"
	"os"

	"github.com/urfave/cli/v2"

	"github.com/wxmenu/wxmenu/internal/cmdline"
	"github.com/wxmenu/wxmenu/internal/interrupt"
	"github.com/wxmenu/wxmenu/reconcile"
	"github.com/wxmenu/wxmenu/reconcile/account"
	"github.com/wxmenu/wxmenu/reconcile/project"
)

func main() {
	os.Exit(run(os.Args, os.Stdin, os.Stdout, os.Stderr))
}

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
	err := cmdline.RunError(app, app.RunContext(ctx, args), e.unknownCommand)
	return cmdline.Report(e.stderr, err, e.globals, func(s string) string { return account.RedactCredentials(s, e.args) })
}

// timed runs action within the command's --timeout, counted from its
// start: reading -f (a named pipe may never be written), waiting for the
// lock, the calls and the prompt share the one budget, so that no part of
// a command outlives it. c.Context is that context from then on.
func timed(action cli.ActionFunc) cli.ActionFunc {
	return func(c *cli.Context) error {
		ctx, cancel := context.WithTimeout(c.Context, cmdline.Duration(c, "timeout"))
		defer cancel()
		c.Context = ctx
		return action(c)
	}
}

// withAccount opens the account of -f (embedded sandbox or WeChat) and
// runs f within the command's --timeout (c.Context, see timed).
func withAccount(c *cli.Context, e *env, readOnly bool, f func(ctx context.Context, api reconcile.MenuAPI, a project.Account) error) error {
	spec := cmdline.AccountSpec(c, readOnly, e.stderr)
	accounts := account.Open(spec)
	defer accounts.Close()
	a := spec.Single(c.String("file"))
	api, err := accounts.Open(c.Context, a)
	if err != nil {
		return err
	}
	return f(c.Context, api, a)
}

// withSession is withAccount with a session for the account.
func withSession(c *cli.Context, e *env, readOnly bool, f func(ctx context.Context, s *reconcile.Session) error) error {
	return withAccount(c, e, readOnly, func(ctx context.Context, api reconcile.MenuAPI, a project.Account) error {
		return f(ctx, cmdline.Session(c, api, a))
	})
}

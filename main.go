// Command wxmenu keeps WeChat Official Account menus in git: plan shows the
// smallest set of API calls that makes an account match menus.yaml, apply
// makes them and proves the account converged.
//
// Package main is the command line only, on one path: the app and its
// flags (app.go), parsed once into one value (flags.go); each command
// (commands.go) runs on the accounts of a run (env.run): a project's, or
// -f's one account, a project of one. reconcile/fleet does the work on
// accounts opened by reconcile/account; render.Report shows the report
// (the single-account output for -f); internal/cmdline decides exits and
// prints errors; usage.go words usage errors.
package main

import (
	"context"
	"io"
	"os"

	"github.com/urfave/cli/v2"

	"github.com/wxmenu/wxmenu/internal/cmdline"
	"github.com/wxmenu/wxmenu/internal/interrupt"
	"github.com/wxmenu/wxmenu/reconcile/account"
	"github.com/wxmenu/wxmenu/reconcile/render"
)

func main() {
	os.Exit(run(os.Args, os.Stdin, os.Stdout, os.Stderr))
}

// env is what every command needs from the process: its streams, the
// flags every printed command repeats (--sandbox), and a command name
// that is no command's (the app's CommandNotFound hook returns no error).
type env struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	globals        []string
	unknownCommand string
}

func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	e := &env{stdin: stdin, stdout: stdout, stderr: stderr, globals: render.HintGlobals(args[1:])}
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
		fl := parse(c, e.stdout, e.stderr, e.globals)
		if !takesArgs && len(fl.args) > 0 {
			return cmdline.Fail(cmdline.ExitError, "flags go before arguments; run 'wxmenu "+fl.command+" --help'", "unexpected argument %q", fl.args[0])
		}
		ctx := c.Context
		if timed {
			var cancel context.CancelFunc
			ctx, cancel = context.WithTimeout(ctx, fl.timeout)
			defer cancel()
		}
		return f(ctx, fl)
	}
}

package cmdline

import (
	"errors"
	"fmt"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/wxmenu/wxmenu/internal/suggest"
)

// Error is an error with the process exit code, an optional usage line
// (printed after the error) and an optional hint (printed last).
type Error struct {
	Code  int
	Err   error
	Usage string
	Hint  string
}

func (e *Error) Error() string     { return e.Err.Error() }
func (e *Error) Unwrap() error     { return e.Err }
func (e *Error) ErrorHint() string { return e.Hint }

// Fail is an *Error with a formatted message.
func Fail(code int, hint string, format string, args ...any) error {
	return &Error{Code: code, Err: fmt.Errorf(format, args...), Hint: hint}
}

// CommandPath is the command's words after "wxmenu", e.g. "sandbox reset",
// or "" for the app itself.
func CommandPath(c *cli.Context) string {
	var words []string
	for _, ctx := range c.Lineage() {
		if ctx.Command != nil && ctx.Command.Name != "" && (ctx.App == nil || ctx.Command.Name != ctx.App.Name) {
			words = append([]string{ctx.Command.Name}, words...)
		}
	}
	return strings.Join(words, " ")
}

// helpCommand is the command that prints the help of path.
func helpCommand(path string) string {
	if path == "" {
		return "wxmenu --help"
	}
	return "wxmenu " + path + " --help"
}

// UsageLine is the first line of a command's usage text, or a generic one.
func UsageLine(cmd *cli.Command, path string) string {
	if cmd != nil && cmd.UsageText != "" {
		line, _, _ := strings.Cut(cmd.UsageText, "\n")
		return line
	}
	if path == "" {
		return "wxmenu [global flags] COMMAND [flags]"
	}
	return "wxmenu " + path + " [flags]"
}

// UsageError turns urfave/cli's flag parsing error into one lowercase line,
// the command's usage line and a did-you-mean that names only flags of the
// same command (or says which command has the flag). root is the app, used
// to find flags of other commands.
func UsageError(c *cli.Context, err error, code int) error {
	path := CommandPath(c)
	var flags []cli.Flag
	var cmd *cli.Command
	if path == "" {
		flags = c.App.Flags
	} else {
		cmd = c.Command
		flags = cmd.Flags
	}
	e := &Error{Code: code, Usage: "usage: " + UsageLine(cmd, path)}
	name, unknown := unknownFlag(err)
	switch {
	case unknown:
		e.Err = fmt.Errorf("unknown flag %s", dashed(name))
		if s := suggest.Closest(name, flagNames(flags)); s != "" {
			e.Hint = "did you mean " + dashed(s) + "? (" + helpCommand(path) + " lists every flag)"
		} else if other := commandWithFlag(c.App.Commands, "", name); other != "" && other != path {
			e.Hint = dashed(name) + " is a flag of the " + other + " command; " + helpCommand(path) + " lists the flags of this one"
		} else {
			e.Hint = helpCommand(path) + " lists every flag"
		}
	default:
		msg := strings.TrimPrefix(err.Error(), "flag provided but not defined: ")
		e.Err = errors.New(strings.ToLower(msg[:1]) + msg[1:])
		e.Hint = helpCommand(path) + " lists every flag"
	}
	return e
}

// unknownFlag returns the name in Go's flag error "flag provided but not
// defined: -name".
func unknownFlag(err error) (string, bool) {
	const prefix = "flag provided but not defined: "
	msg := err.Error()
	if !strings.HasPrefix(msg, prefix) {
		return "", false
	}
	return strings.TrimLeft(strings.TrimPrefix(msg, prefix), "-"), true
}

// dashed writes a flag name as it is documented: --file, -f.
func dashed(name string) string {
	if len(name) == 1 {
		return "-" + name
	}
	return "--" + name
}

func flagNames(flags []cli.Flag) []string {
	var names []string
	for _, f := range flags {
		names = append(names, f.Names()...)
	}
	return names
}

// commandWithFlag is the path of the first command under cmds that has the
// flag, "" when none has.
func commandWithFlag(cmds []*cli.Command, prefix, name string) string {
	for _, cmd := range cmds {
		path := strings.TrimSpace(prefix + " " + cmd.Name)
		for _, n := range flagNames(cmd.Flags) {
			if n == name {
				return path
			}
		}
		if p := commandWithFlag(cmd.Subcommands, path, name); p != "" {
			return p
		}
	}
	return ""
}

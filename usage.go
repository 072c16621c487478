package main

import (
	"errors"
	"fmt"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/wxmenu/wxmenu/internal/cmdline"
)

// usageError turns urfave/cli's flag parsing error into one lowercase
// line, the command's usage line and a did-you-mean that names only flags
// of the same command (or says which command has the flag).
func usageError(c *cli.Context, err error, _ bool) error {
	path := commandPath(c)
	flags, help := c.App.Flags, "wxmenu --help"
	var cmd *cli.Command
	if path != "" {
		cmd, flags, help = c.Command, c.Command.Flags, "wxmenu "+path+" --help"
	}
	e := &cmdline.Error{Code: cmdline.ExitError, Usage: "usage: " + usageLine(cmd, path), Hint: help + " lists every flag"}
	msg := err.Error()
	name, unknown := strings.CutPrefix(msg, "flag provided but not defined: ")
	name = strings.TrimLeft(name, "-")
	if !unknown {
		e.Err = errors.New(strings.ToLower(msg[:1]) + msg[1:])
		return e
	}
	e.Err = fmt.Errorf("unknown flag %s", dashed(name))
	if s := cmdline.Closest(name, flagNames(flags)); s != "" {
		e.Hint = "did you mean " + dashed(s) + "? (" + help + " lists every flag)"
	} else if other := commandWithFlag(c.App.Commands, "", name); other != "" && other != path {
		e.Hint = dashed(name) + " is a flag of the " + other + " command; " + help + " lists the flags of this one"
	}
	return e
}

// unknownCommand is the error for a command name that is not one of app's,
// with a did-you-mean when one is close.
func unknownCommand(name string, app *cli.App) error {
	var names []string
	for _, cmd := range app.Commands {
		if !cmd.Hidden {
			names = append(names, cmd.Names()...)
		}
	}
	hint := "run 'wxmenu --help' to list the commands"
	if s := cmdline.Closest(name, names); s != "" {
		hint = "did you mean " + s + "? (wxmenu " + s + " --help shows how to use it)"
	}
	return cmdline.Fail(cmdline.ExitError, hint, "unknown command %q", name)
}

// usageLine is the first line of a command's usage text, or a generic one.
func usageLine(cmd *cli.Command, path string) string {
	if cmd != nil && cmd.UsageText != "" {
		line, _, _ := strings.Cut(cmd.UsageText, "\n")
		return line
	}
	if path == "" {
		return "wxmenu [global flags] COMMAND [flags]"
	}
	return "wxmenu " + path + " [flags]"
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
		if commandHas(cmd, name) {
			return path
		}
		if p := commandWithFlag(cmd.Subcommands, path, name); p != "" {
			return p
		}
	}
	return ""
}

func commandHas(cmd *cli.Command, name string) bool {
	for _, n := range flagNames(cmd.Flags) {
		if n == name {
			return true
		}
	}
	return false
}

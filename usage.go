package main

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/wxmenu/wxmenu/internal/cmdline"
)

// usageError turns urfave/cli's flag parsing error into one lowercase
// line, the command's usage line and a did-you-mean that names only flags
// of the same command (or says which command has the flag), never the
// whole help.
func usageError(c *cli.Context, err error, _ bool) error {
	path, cmd, flags := commandPath(c), c.Command, c.App.Flags
	usage, help := "wxmenu [global flags] COMMAND [flags]", "wxmenu --help"
	if path != "" {
		flags, help = cmd.Flags, "wxmenu "+path+" --help"
		if usage, _, _ = strings.Cut(cmd.UsageText, "\n"); usage == "" {
			usage = "wxmenu " + path + " [flags]"
		}
	}
	e := &cmdline.Error{Code: cmdline.ExitError, Usage: "usage: " + usage, Hint: help + " lists every flag"}
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
		if slices.Contains(flagNames(cmd.Flags), name) {
			return path
		}
		if p := commandWithFlag(cmd.Subcommands, path, name); p != "" {
			return p
		}
	}
	return ""
}

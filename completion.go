package main

import (
	"fmt"
	"slices"
	"strings"

	"github.com/urfave/cli/v2"
)

// completionFlag is the flag urfave/cli's completion scripts
// (autocomplete/bash_autocomplete, zsh_autocomplete; docs/installation.md)
// append to the words typed before the cursor, and the word being typed
// when it starts with "-".
const completionFlag = "--generate-bash-completion"

// complete prints what the shell offers next, one word a line, for the
// app and every command (their BashComplete).
//
// It replaces urfave/cli's DefaultCompleteWithFlags, which reads os.Args
// instead of the words given to Run, takes a global flag typed before the
// command (wxmenu --sandbox <TAB>) for a flag being typed and so offers no
// command, offers the help command that HideHelpCommand hides, and after
// -f offers the flags that start with -f instead of files. Printing nothing
// is how a value is completed: the bash script's `complete -o default` and
// zsh's `_files` then complete file names, which is what -f, --config,
// --out and the commands' arguments (apply PLAN.json) take.
func (e *env) complete(c *cli.Context) {
	words := e.args
	if len(words) > 0 && words[len(words)-1] == completionFlag {
		words = words[:len(words)-1]
	}
	cmds, flags := c.App.Commands, c.App.Flags
	if cmd := c.Command; cmd != nil && cmd.Name != "" && cmd.Name != c.App.Name {
		cmds, flags = cmd.Subcommands, cmd.Flags
	}
	if len(words) > 0 {
		if last := words[len(words)-1]; strings.HasPrefix(last, "-") {
			switch f := flagNamed(flags, strings.TrimLeft(last, "-")); {
			case f == nil:
				// A flag being typed: the flags it may become.
				for _, f := range flags {
					for _, n := range f.Names() {
						if d := dashed(n); len(n) > 1 && strings.HasPrefix(d, last) {
							fmt.Fprintln(c.App.Writer, d)
						}
					}
				}
				return
			case takesValue(f):
				return // its value: a file, or nothing the shell can guess
			}
			// A boolean flag: what follows it is what follows the command.
		}
	}
	for _, cmd := range cmds {
		if !cmd.Hidden && cmd.Name != "help" {
			fmt.Fprintln(c.App.Writer, cmd.Name)
		}
	}
}

// flagNamed is the flag of flags with the name or alias name, or nil.
func flagNamed(flags []cli.Flag, name string) cli.Flag {
	for _, f := range flags {
		if slices.Contains(f.Names(), name) {
			return f
		}
	}
	return nil
}

// takesValue reports whether f is followed by a value (-f FILE), not a
// boolean switch (--sandbox).
func takesValue(f cli.Flag) bool {
	d, ok := f.(cli.DocGenerationFlag)
	return !ok || d.TakesValue()
}

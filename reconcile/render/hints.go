package render

import (
	"regexp"
	"strings"

	"github.com/wxmenu/wxmenu/internal/literal"
)

// A printed command repeats the global flags that choose the account:
// without --sandbox, a hint printed by a sandbox run would run against the
// real account of the environment's credentials.

// HintGlobals are the global flags of args that a printed command must
// repeat: --sandbox and --sandbox-state. Credentials are never repeated:
// hints are printed, and secrets are not.
func HintGlobals(args []string) []string {
	var globals []string
	for i := 0; i < len(args) && args[i] != "--"; i++ {
		a := args[i]
		name, value, hasValue := strings.Cut(strings.TrimLeft(a, "-"), "=")
		switch {
		case !strings.HasPrefix(a, "-"):
		case name == "sandbox" && (!hasValue || value == "true" || value == "1"):
			globals = append(globals, "--sandbox")
		case name == "sandbox-state":
			if !hasValue && i+1 < len(args) {
				i++
				value = args[i]
			}
			globals = append(globals, "--sandbox-state", value)
		}
	}
	return globals
}

// CommandGlobals are the global flags every command a run prints repeats,
// from what the run read (flags or environment), so that it runs against
// the account the run did, whatever the shell that runs it holds:
// --sandbox and its state file; otherwise the API base unless it is the
// default (WeChat's), and with a menus file (-f) its appid (a printed command is
// then refused without that account's secret, never run against another
// account). Credentials are never printed.
func CommandGlobals(sandbox bool, sandboxState, apiBase, defaultAPIBase, appid, file string) []string {
	var globals []string
	switch {
	case sandbox && sandboxState != "":
		return []string{"--sandbox", "--sandbox-state", sandboxState}
	case sandbox:
		return []string{"--sandbox"}
	case apiBase != "" && apiBase != defaultAPIBase:
		globals = append(globals, "--api-base", apiBase)
	}
	if appid != "" && file != "" {
		globals = append(globals, "--appid", appid)
	}
	return globals
}

// wxmenu is the command that prints, with the run's global flags.
func wxmenu(opts Options) string {
	words := []string{"wxmenu"}
	for _, g := range opts.Globals {
		words = append(words, ShellWord(g))
	}
	return strings.Join(words, " ")
}

// hintCommand finds "wxmenu COMMAND" in a hint.
var hintCommand = regexp.MustCompile(`\bwxmenu (plan|apply|export|trymatch|validate|show|drift|history|watch|audit|sandbox reset)\b`)

// WithGlobals inserts globals after "wxmenu" in each command of hint that
// talks to an account and does not already say --sandbox.
func WithGlobals(hint string, globals []string) string {
	if len(globals) == 0 || strings.Contains(hint, "--sandbox") {
		return hint
	}
	prefix := wxmenu(Options{Globals: globals}) + " "
	return hintCommand.ReplaceAllStringFunc(hint, func(m string) string {
		return prefix + strings.TrimPrefix(m, "wxmenu ")
	})
}

// ShellWord quotes s for a POSIX shell (literal.ShellWord), so a printed
// command is safe to paste.
func ShellWord(s string) string { return literal.ShellWord(s) }

package cmdline

import (
	"regexp"
	"strings"
)

// HintGlobals are the global flags of args that a hint must repeat to be
// safe to run as written: --sandbox (without it the hint would run against
// the real account of the environment's credentials) and --sandbox-state.
// Credentials are never repeated: hints are printed, and secrets are not.
func HintGlobals(args []string) []string {
	var globals []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			break
		}
		name, value, hasValue := strings.Cut(strings.TrimLeft(a, "-"), "=")
		if !strings.HasPrefix(a, "-") {
			continue
		}
		switch name {
		case "sandbox":
			if !hasValue || value == "true" || value == "1" {
				globals = append(globals, "--sandbox")
			}
		case "sandbox-state":
			if !hasValue && i+1 < len(args) {
				i++
				value = args[i]
			}
			globals = append(globals, "--sandbox-state", Quote(value))
		}
	}
	return globals
}

// hintCommand finds "wxmenu COMMAND" in a hint.
var hintCommand = regexp.MustCompile(`\bwxmenu (plan|apply|export|trymatch|validate|show|audit|sandbox reset)\b`)

// WithGlobals inserts globals after "wxmenu" in each command of hint that
// talks to an account and does not already say --sandbox.
func WithGlobals(hint string, globals []string) string {
	if len(globals) == 0 || strings.Contains(hint, "--sandbox") {
		return hint
	}
	prefix := "wxmenu " + strings.Join(globals, " ") + " "
	return hintCommand.ReplaceAllStringFunc(hint, func(m string) string {
		return prefix + strings.TrimPrefix(m, "wxmenu ")
	})
}

// Quote quotes s for a POSIX shell when it needs quoting.
func Quote(s string) string {
	if s != "" && strings.Trim(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./:=@%+,") == "" {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

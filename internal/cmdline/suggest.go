package cmdline

import "github.com/wxmenu/wxmenu/reconcile/desired"

// closest is the candidate nearest to name, or "" when none is near enough
// to be a likely typo: at most one edit (a transposition counts as one) for
// short names, two for names of seven letters or more. Single-letter names
// are never suggested, nor suggested for: one letter says too little.
func closest(name string, candidates []string) string {
	if len(name) < 2 {
		return ""
	}
	limit := 1
	if len(name) >= 7 {
		limit = 2
	}
	best, bestDist := "", limit+1
	for _, c := range candidates {
		if len(c) < 2 {
			continue
		}
		if d := desired.EditDistance(name, c); d < bestDist {
			best, bestDist = c, d
		}
	}
	return best
}

// Closest is closest for commands: the command name nearest to a mistyped
// one, or "".
func Closest(name string, candidates []string) string { return closest(name, candidates) }

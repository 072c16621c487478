package desired

import (
	"fmt"
	"sort"
	"strings"
)

// Diagnostic is one problem found in a desired-state file, located on the
// node that causes it.
type Diagnostic struct {
	Path string
	// Pos is 0,0 when the problem concerns the whole file.
	Pos Pos
	// Message says what is wrong: lowercase, no trailing period.
	Message string
	// Hint is an optional fix.
	Hint string
}

// String formats the diagnostic as "file:line:col: message", with the hint
// on a second line as "hint: ...".
func (d Diagnostic) String() string {
	var b strings.Builder
	switch {
	case d.Path != "" && d.Pos.Line > 0:
		fmt.Fprintf(&b, "%s:%d:%d: ", d.Path, d.Pos.Line, d.Pos.Column)
	case d.Path != "":
		b.WriteString(d.Path + ": ")
	case d.Pos.Line > 0:
		fmt.Fprintf(&b, "%d:%d: ", d.Pos.Line, d.Pos.Column)
	}
	b.WriteString(d.Message)
	if d.Hint != "" {
		b.WriteString("\nhint: " + d.Hint)
	}
	return b.String()
}

// Diagnostics is every problem found in a file. It implements error so that
// callers can return it as is.
type Diagnostics []Diagnostic

// Error joins the diagnostics, one String per line group.
func (ds Diagnostics) Error() string {
	parts := make([]string, len(ds))
	for i, d := range ds {
		parts[i] = d.String()
	}
	return strings.Join(parts, "\n")
}

// inFileOrder sorts diagnostics by position, keeping the order of those at
// the same place; whole-file diagnostics (line 0) go last.
func (ds Diagnostics) inFileOrder() {
	sort.SliceStable(ds, func(i, j int) bool {
		a, b := ds[i].Pos, ds[j].Pos
		if (a.Line == 0) != (b.Line == 0) {
			return b.Line == 0
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		return a.Column < b.Column
	})
}

// deduplicated drops repeated diagnostics: a node reached through several
// aliases is reported once.
func (ds Diagnostics) deduplicated() Diagnostics {
	seen := map[Diagnostic]bool{}
	out := ds[:0:0]
	for _, d := range ds {
		if !seen[d] {
			seen[d] = true
			out = append(out, d)
		}
	}
	return out
}

// closest returns the candidate nearest to s by edit distance, or "" when
// none is near enough to be a plausible typo.
func closest(s string, candidates []string) string {
	best, bestDist := "", -1
	for _, c := range candidates {
		d := EditDistance(strings.ToLower(s), c)
		if bestDist < 0 || d < bestDist {
			best, bestDist = c, d
		}
	}
	limit := 2
	if len(s) <= 4 {
		limit = 1
	}
	if bestDist < 0 || bestDist > limit {
		return ""
	}
	return best
}

// EditDistance is the optimal string alignment distance between a and b,
// in runes: Levenshtein plus transposition of adjacent runes ("kye"). Every
// did-you-mean of the tool (keys, flags, commands) measures with it.
func EditDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	d := make([][]int, len(ra)+1)
	for i := range d {
		d[i] = make([]int, len(rb)+1)
		d[i][0] = i
	}
	for j := range d[0] {
		d[0][j] = j
	}
	for i := 1; i <= len(ra); i++ {
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[len(ra)][len(rb)]
}

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

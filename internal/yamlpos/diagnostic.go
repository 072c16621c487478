package yamlpos

import (
	"fmt"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"
)

// Pos is a position in a file, 1-based; the zero Pos is the whole file.
type Pos struct {
	Line   int `json:"line"`
	Column int `json:"column"`
}

// PosOf is the position of n; the zero Pos for nil.
func PosOf(n *yaml.Node) Pos {
	if n == nil {
		return Pos{}
	}
	return Pos{Line: n.Line, Column: n.Column}
}

// Diagnostic is one problem found in a file, located on the node that
// causes it.
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

// Sorted is ds without repeats (a node reached through several aliases is
// reported once), in file order: by position, those at one place in the
// order they were found, whole-file ones last. It is nil when ds is empty.
func (ds Diagnostics) Sorted() Diagnostics {
	var out Diagnostics
	seen := map[Diagnostic]bool{}
	for _, d := range ds {
		if !seen[d] {
			seen[d] = true
			out = append(out, d)
		}
	}
	slices.SortStableFunc(out, func(a, b Diagnostic) int {
		if (a.Pos.Line == 0) != (b.Pos.Line == 0) {
			return b.Pos.Line - a.Pos.Line // whole-file (line 0) last
		}
		if a.Pos.Line != b.Pos.Line {
			return a.Pos.Line - b.Pos.Line
		}
		return a.Pos.Column - b.Pos.Column
	})
	return out
}

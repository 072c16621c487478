package format

import (
	"fmt"
	"strings"
)

// MaxDiffLines is how many changed lines Diff shows; it says how many more
// there are.
const MaxDiffLines = 40

// maxDiffCells bounds the table of the line diff (lines removed × lines
// added between the first and the last change); beyond it, Diff shows all
// those lines as removed, then added.
const maxDiffCells = 1 << 20

// Diff is a short unified diff of the lines of a and b, without context:
// a hunk header "@@ -LINE,COUNT +LINE,COUNT @@" and the lines it removes
// (-) and adds (+), at most MaxDiffLines of them.
func Diff(a, b []byte) []string {
	x, y := splitLines(a), splitLines(b)
	pre := 0
	for pre < len(x) && pre < len(y) && x[pre] == y[pre] {
		pre++
	}
	suf := 0
	for suf < len(x)-pre && suf < len(y)-pre && x[len(x)-1-suf] == y[len(y)-1-suf] {
		suf++
	}
	ops := edits(x[pre:len(x)-suf], y[pre:len(y)-suf])

	var out []string
	shown, more := 0, 0
	i, j := pre, pre // lines of a and b before the next op
	for k := 0; k < len(ops); {
		if ops[k] == '=' {
			i, j, k = i+1, j+1, k+1
			continue
		}
		start := k
		for k < len(ops) && ops[k] != '=' {
			k++
		}
		var lines []string
		del, add := 0, 0
		for _, op := range ops[start:k] {
			if op == '-' {
				lines = append(lines, "-"+x[i+del])
				del++
			}
		}
		for _, op := range ops[start:k] {
			if op == '+' {
				lines = append(lines, "+"+y[j+add])
				add++
			}
		}
		if room := MaxDiffLines - shown; room <= 0 {
			more += len(lines)
		} else {
			if len(lines) > room {
				more += len(lines) - room
				lines = lines[:room]
			}
			out = append(out, fmt.Sprintf("@@ -%s +%s @@", hunkRange(i, del), hunkRange(j, add)))
			out = append(out, lines...)
			shown += len(lines)
		}
		i, j = i+del, j+add
	}
	if more > 0 {
		out = append(out, fmt.Sprintf("… %d more changed lines", more))
	}
	return out
}

// hunkRange is a hunk's side as diff -U0 writes it: the first line and
// the count; after line `at` when it is empty.
func hunkRange(at, n int) string {
	if n == 0 {
		return fmt.Sprintf("%d,0", at)
	}
	return fmt.Sprintf("%d,%d", at+1, n)
}

func splitLines(data []byte) []string {
	s := strings.TrimSuffix(string(data), "\n")
	if s == "" {
		return nil
	}
	return strings.Split(s, "\n")
}

// edits is a shortest edit script from x to y: '=' keeps a line, '-'
// removes one of x, '+' adds one of y. It is a longest common subsequence
// table, which maxDiffCells bounds.
func edits(x, y []string) []byte {
	var ops []byte
	if len(x)*len(y) > maxDiffCells {
		for range x {
			ops = append(ops, '-')
		}
		for range y {
			ops = append(ops, '+')
		}
		return ops
	}
	// lcs[i][j] is the longest common subsequence of x[i:] and y[j:].
	lcs := make([][]int32, len(x)+1)
	for i := range lcs {
		lcs[i] = make([]int32, len(y)+1)
	}
	for i := len(x) - 1; i >= 0; i-- {
		for j := len(y) - 1; j >= 0; j-- {
			if x[i] == y[j] {
				lcs[i][j] = lcs[i+1][j+1] + 1
			} else {
				lcs[i][j] = max(lcs[i+1][j], lcs[i][j+1])
			}
		}
	}
	i, j := 0, 0
	for i < len(x) || j < len(y) {
		switch {
		case i < len(x) && j < len(y) && x[i] == y[j]:
			ops, i, j = append(ops, '='), i+1, j+1
		case j < len(y) && (i == len(x) || lcs[i][j+1] >= lcs[i+1][j]):
			ops, j = append(ops, '+'), j+1
		default:
			ops, i = append(ops, '-'), i+1
		}
	}
	return ops
}

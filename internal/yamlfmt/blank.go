package yamlfmt

import (
	"bytes"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"
)

// yaml.v3 writes no blank lines between entries, and people use them to
// set menus and sections apart. So the entries of block lists and mappings
// that a blank line preceded in the input are marked (blankBefore), and
// after encoding a blank line is put before each again, above its
// comments. The encoded text is parsed again to find where they start:
// its tree has the shape of the one encoded, node for node.

// entries calls f with the nodes that start the entries of a block
// collection n (a mapping's keys, a list's items), in order.
func entries(n *yaml.Node, f func(i int, start *yaml.Node)) {
	step := 1
	if n.Kind == yaml.MappingNode {
		step = 2
	}
	for i := 0; i < len(n.Content); i += step {
		f(i/step, n.Content[i])
	}
}

// isBlock reports a list or mapping written as a block.
func isBlock(n *yaml.Node) bool {
	return (n.Kind == yaml.MappingNode || n.Kind == yaml.SequenceNode) && n.Style&yaml.FlowStyle == 0
}

// startLine is the first line of an entry: its head comment's first.
func startLine(start *yaml.Node) int {
	if start.HeadComment == "" {
		return start.Line
	}
	return start.Line - strings.Count(start.HeadComment, "\n") - 1
}

// blankBefore marks the entries of block collections under n that follow a
// blank line in src. An entry that was first in its collection, and moves
// when keys are ordered, gets a blank line when any other entry of it has
// one.
func blankBefore(n *yaml.Node, lines [][]byte) map[*yaml.Node]bool {
	marked := map[*yaml.Node]bool{}
	var walk func(n *yaml.Node)
	walk = func(n *yaml.Node) {
		if n.Kind == yaml.DocumentNode {
			for _, c := range n.Content {
				walk(c)
			}
			return
		}
		if !isBlock(n) {
			return
		}
		var first *yaml.Node
		some := false
		entries(n, func(i int, start *yaml.Node) {
			if i == 0 {
				first = start
				return
			}
			if l := startLine(start) - 1; l >= 1 && l <= len(lines) && len(bytes.TrimSpace(lines[l-1])) == 0 {
				marked[start], some = true, true
			}
		})
		if first != nil && some {
			marked[first] = true
		}
		for _, c := range n.Content {
			walk(c)
		}
	}
	walk(n)
	return marked
}

// addBlankLines puts a blank line in out, the encoding of formatted,
// before each entry marked that is not the first of its collection (and
// has none before it already).
func addBlankLines(out []byte, formatted *yaml.Node, marked map[*yaml.Node]bool) ([]byte, error) {
	if len(marked) == 0 {
		return out, nil
	}
	var reread yaml.Node
	if err := yaml.Unmarshal(out, &reread); err != nil {
		return nil, err
	}
	var before []int // 1-based lines of out to put a blank line before
	var walk func(f, r *yaml.Node)
	walk = func(f, r *yaml.Node) {
		if f.Kind != r.Kind || len(f.Content) != len(r.Content) {
			return // not the tree encoded; nothing is added rather than misplaced
		}
		if isBlock(f) {
			entries(f, func(i int, start *yaml.Node) {
				if i > 0 && marked[start] {
					step := 1
					if f.Kind == yaml.MappingNode {
						step = 2
					}
					before = append(before, startLine(r.Content[i*step]))
				}
			})
		}
		if f.Kind == yaml.DocumentNode || isBlock(f) {
			for i := range f.Content {
				walk(f.Content[i], r.Content[i])
			}
		}
	}
	walk(formatted, &reread)
	lines := bytes.SplitAfter(out, []byte("\n"))
	var b bytes.Buffer
	for i, line := range lines {
		if i > 0 && slices.Contains(before, i+1) && len(bytes.TrimSpace(lines[i-1])) > 0 {
			b.WriteByte('\n')
		}
		b.Write(line)
	}
	return b.Bytes(), nil
}

package yamlfmt

import (
	"bytes"
	"errors"
	"fmt"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"
)

// Indent is the indentation of every level.
const Indent = 2

// CommentError is a comment Format cannot keep: yaml.v3 drops some
// comments written inside a list or mapping on one line ([...], {...}).
type CommentError struct {
	Line    int // the line of the node nearest to it in the input
	Comment string
}

func (e *CommentError) Error() string {
	return fmt.Sprintf("formatting would lose the comment %q", e.Comment)
}

// errAliasMoved: ordering keys put an alias before its anchor.
var errAliasMoved = errors.New("an alias would come before its anchor")

// Format returns data, one YAML document its caller has parsed, in the
// canonical layout (see the package documentation) with shape's key order
// and text. When ordering keys would put an alias (*name) before the
// anchor (&name) it names, keys keep their order: the file would not parse
// otherwise. It fails, rather than return a file without it, when a
// comment would be lost (*CommentError).
func Format(data []byte, shape *Shape) (out []byte, err error) {
	defer func() {
		// yaml.v3 has panicked on hostile input before; a file must never
		// crash the tool.
		if r := recover(); r != nil {
			out, err = nil, fmt.Errorf("cannot format the file: %v", r)
		}
	}()
	out, err = format(data, shape, true)
	if errors.Is(err, errAliasMoved) {
		out, err = format(data, shape, false)
	}
	if err != nil {
		return nil, err
	}
	if err := keepsComments(data, out); err != nil {
		return nil, err
	}
	return out, nil
}

func format(data []byte, shape *Shape, reorder bool) ([]byte, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, err
	}
	if doc.Kind == 0 {
		return nil, errors.New("the file holds no YAML document")
	}
	marked := blankBefore(&doc, bytes.Split(data, []byte("\n")))
	(&shaper{reorder: reorder}).apply(&doc, shape)
	if aliasBeforeAnchor(&doc) {
		return nil, errAliasMoved
	}
	(&quoting{}).apply(&doc, false, false)
	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(Indent)
	if err := errors.Join(enc.Encode(&doc), enc.Close()); err != nil {
		return nil, err
	}
	return addBlankLines(buf.Bytes(), &doc, marked)
}

// keepsComments checks that out holds every comment of in, as often.
func keepsComments(in, out []byte) error {
	var before, after yaml.Node
	if err := yaml.Unmarshal(in, &before); err != nil {
		return err
	}
	if err := yaml.Unmarshal(out, &after); err != nil {
		return fmt.Errorf("the formatted file does not parse: %w", err)
	}
	kept := map[string]int{}
	for _, c := range comments(&after) {
		kept[c.Comment]++
	}
	for _, c := range comments(&before) {
		if kept[c.Comment] == 0 {
			return c
		}
		kept[c.Comment]--
	}
	return nil
}

// comments lists the comment lines of the tree under n, trimmed, in
// document order.
func comments(n *yaml.Node) []*CommentError {
	var out []*CommentError
	for _, text := range []string{n.HeadComment, n.LineComment, n.FootComment} {
		for _, line := range strings.Split(text, "\n") {
			if line = strings.TrimSpace(line); line != "" {
				out = append(out, &CommentError{Line: n.Line, Comment: line})
			}
		}
	}
	for _, c := range n.Content {
		out = append(out, comments(c)...)
	}
	return slices.Clip(out)
}

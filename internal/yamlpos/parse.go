package yamlpos

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"gopkg.in/yaml.v3"
)

// File is what a kind of file allows, and how its problems are explained.
type File struct {
	// MaxBytes refuses larger files, with SizeHint; 0 is no limit.
	MaxBytes int
	SizeHint string
	// MaxNodes is how many nodes the file may expand to through aliases.
	MaxNodes int
	// Example is a minimal file, indented, shown when the file is empty.
	Example string
}

// ReadFile reads the file at path, at most maxBytes+1 bytes of it: enough
// to tell a file over the cap without reading all of a wrong path (a log,
// a device, an endless pipe).
func ReadFile(path string, maxBytes int) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return io.ReadAll(io.LimitReader(f, int64(maxBytes)+1))
}

// Parse checks data and parses it as exactly one YAML document. It returns
// the document's root node and a Decoder for it, or Diagnostics (one) when
// the file is not YAML, is empty or holds several documents.
func (f File) Parse(path string, data []byte) (d *Decoder, root *yaml.Node, err error) {
	defer func() {
		// yaml.v3 has panicked on hostile input before; a file must never
		// crash the tool.
		if r := recover(); r != nil {
			d, root, err = nil, nil, Diagnostics{{Path: path, Message: fmt.Sprintf("cannot parse the file as YAML: %v", r)}}
		}
	}()
	diag := f.checkBytes(data)
	if diag == nil {
		root, diag = f.document(data)
	}
	if diag != nil {
		diag.Path = path
		return nil, nil, Diagnostics{*diag}
	}
	return &Decoder{Path: path, maxNodes: f.MaxNodes}, root, nil
}

// Decoder is a Decoder for nodes made in code rather than parsed from a
// file (a CSV row, a line of JSON), reporting at their positions in path.
func (f File) Decoder(path string) *Decoder { return &Decoder{Path: path, maxNodes: f.MaxNodes} }

// checkBytes refuses what YAML should never see: an oversized file,
// invalid UTF-8 and control characters, each located precisely since
// yaml.v3 would report them without a line.
func (f File) checkBytes(data []byte) *Diagnostic {
	if f.MaxBytes > 0 && len(data) > f.MaxBytes {
		return &Diagnostic{Message: fmt.Sprintf("file is larger than %d bytes (%d MiB)", f.MaxBytes, f.MaxBytes>>20), Hint: f.SizeHint}
	}
	line, col := 1, 1
	for i := 0; i < len(data); {
		r, size := utf8.DecodeRune(data[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			return &Diagnostic{Pos: Pos{line, col}, Message: fmt.Sprintf("invalid UTF-8 (byte 0x%02x)", data[i]),
				Hint: "save the file as UTF-8; WeChat accepts only UTF-8 text"}
		case isForbiddenControl(r):
			return &Diagnostic{Pos: Pos{line, col}, Message: fmt.Sprintf("control character %U is not allowed in YAML", r),
				Hint: "remove it; write special characters with escapes inside double quotes"}
		}
		if r == '\n' {
			line, col = line+1, 1
		} else {
			col++
		}
		i += size
	}
	return nil
}

// isForbiddenControl reports characters outside YAML's printable set.
func isForbiddenControl(r rune) bool {
	switch r {
	case '\t', '\n', '\r', 0x85:
		return false
	}
	return r < 0x20 || r == 0x7f || r >= 0x80 && r <= 0x9f || r == 0xfffe || r == 0xffff
}

// document parses exactly one YAML document and returns its root node.
func (f File) document(data []byte) (*yaml.Node, *Diagnostic) {
	empty := &Diagnostic{Message: "file is empty", Hint: "a minimal file is:" + f.Example}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	if err := dec.Decode(&doc); errors.Is(err, io.EOF) {
		if len(bytes.TrimSpace(data)) > 0 {
			empty.Message = "file has only comments"
		}
		return nil, empty
	} else if err != nil {
		return nil, syntaxDiagnostic(data, err)
	}
	var next yaml.Node
	switch err := dec.Decode(&next); {
	case errors.Is(err, io.EOF):
	case err != nil:
		return nil, syntaxDiagnostic(data, err)
	default:
		return nil, &Diagnostic{Pos: Pos{next.Line, 1}, Message: "file holds more than one YAML document",
			Hint: "wxmenu reads one document per file: remove the \"---\" separator, or split the file"}
	}
	if len(doc.Content) == 0 {
		return nil, empty
	}
	root := doc.Content[0]
	if root.Kind == yaml.ScalarNode && root.Tag == "!!null" && root.Value == "" {
		return nil, empty
	}
	return root, nil
}

var yamlLinePrefix = regexp.MustCompile(`^yaml: line (\d+): `)

// syntaxDiagnostic turns a yaml.v3 syntax error ("yaml: line N: problem")
// into a located diagnostic. yaml.v3 gives no column, and for some errors
// no line either; those lines are found by re-parsing prefixes of the file.
func syntaxDiagnostic(data []byte, err error) *Diagnostic {
	msg := err.Error()
	line := 0
	if m := yamlLinePrefix.FindStringSubmatch(msg); m != nil {
		line, _ = strconv.Atoi(m[1])
		msg = msg[len(m[0]):]
	} else {
		msg = strings.TrimPrefix(msg, "yaml: ")
	}
	// yaml.v3 often reports the line where the enclosing construct began
	// (a list, a flow mapping) rather than the offending line, and
	// sometimes no line at all. The first prefix of the file that already
	// fails the same way ends on the offending line.
	if l := firstFailingLine(data, msg); l > 0 {
		line = l
	}
	if tl, tc, ok := firstIndentTab(data); ok && (line == 0 || tl <= line+1) {
		return &Diagnostic{Pos: Pos{tl, tc}, Message: "tab character in indentation",
			Hint: "YAML indents with spaces only; replace the tab with spaces"}
	}
	d := &Diagnostic{Message: "invalid YAML: " + msg, Hint: syntaxHint(msg)}
	if line > 0 {
		d.Pos = Pos{line, 1}
	}
	return d
}

// firstFailingLine returns the first line n such that the file cut after
// line n already fails with msg, or 0. Once a prefix fails with a message,
// longer prefixes fail with it too, so a binary search finds the line.
func firstFailingLine(data []byte, msg string) int {
	lines := bytes.SplitAfter(data, []byte("\n"))
	fails := func(n int) bool {
		dec := yaml.NewDecoder(bytes.NewReader(bytes.Join(lines[:n], nil)))
		for {
			var node yaml.Node
			if err := dec.Decode(&node); err != nil {
				return !errors.Is(err, io.EOF) && strings.HasSuffix(err.Error(), msg)
			}
		}
	}
	lo, hi := 1, len(lines)
	if !fails(hi) {
		return 0
	}
	for lo < hi {
		if mid := (lo + hi) / 2; fails(mid) {
			hi = mid
		} else {
			lo = mid + 1
		}
	}
	return lo
}

// firstIndentTab finds the first tab in a line's leading whitespace.
func firstIndentTab(data []byte) (line, col int, ok bool) {
	for i, l := range bytes.Split(data, []byte("\n")) {
		if j := len(l) - len(bytes.TrimLeft(l, " ")); j < len(l) && l[j] == '\t' {
			return i + 1, j + 1, true
		}
	}
	return 0, 0, false
}

// syntaxHint suggests a fix for the yaml.v3 errors people meet most.
func syntaxHint(msg string) string {
	switch {
	case strings.Contains(msg, "mapping values are not allowed"):
		return "a value containing \": \" must be quoted, e.g. name: \"a: b\""
	case strings.Contains(msg, "did not find expected key"),
		strings.Contains(msg, "did not find expected '-' indicator"):
		return "check the indentation: keys of one mapping must line up"
	case strings.Contains(msg, "did not find expected ',' or ']'"):
		return "close the list with ] and separate items with commas"
	case strings.Contains(msg, "did not find expected ',' or '}'"):
		return "close the mapping with } and separate entries with commas"
	case strings.Contains(msg, "found unexpected end of stream"):
		return "a quote or bracket is not closed"
	case strings.Contains(msg, "found character that cannot start any token"):
		return "quote values that start with a special character such as @ or `"
	}
	return ""
}

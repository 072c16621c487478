package desired

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

	"github.com/wxmenu/wxmenu/internal/errtext"
)

// MaxFileBytes is the largest desired-state file accepted. Real files are a
// few kilobytes; the cap keeps a wrong path (a log, a binary) from being
// parsed at length.
const MaxFileBytes = 1 << 20

// minimalExample is shown when a file declares nothing, or something else
// than a mapping.
const minimalExample = `
  default:
    button:
      - {type: view, name: Home, url: "https://www.example.com/"}`

// LoadFile reads, parses and validates a desired-state file. Problems in the
// file are returned as Diagnostics; failing to read it is a plain error.
func LoadFile(path string) (*State, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	// Read one byte past the cap so an oversized file is detected without
	// reading all of it.
	data, err := io.ReadAll(io.LimitReader(f, MaxFileBytes+1))
	if err != nil {
		return nil, err // an *fs.PathError, which names the file
	}
	ds, err := Parse(path, data)
	if err != nil {
		return nil, err
	}
	if diags := Validate(ds); len(diags) > 0 {
		return nil, diags
	}
	return ds, nil
}

// Parse decodes a desired-state file strictly: unknown fields, wrong types,
// duplicate keys and malformed YAML are all reported, located, as
// Diagnostics. It checks structure only; Validate checks the menus against
// WeChat's rules.
func Parse(path string, data []byte) (ds *State, err error) {
	defer func() {
		// yaml.v3 has panicked on hostile input before; a desired-state
		// file must never crash the tool.
		if r := recover(); r != nil {
			ds, err = nil, Diagnostics{{Path: path, Message: fmt.Sprintf("cannot parse the file as YAML: %v", r)}}
		}
	}()
	if d, ok := checkBytes(path, data); !ok {
		return nil, Diagnostics{d}
	}
	root, diag := parseDocument(path, data)
	if diag != nil {
		return nil, Diagnostics{*diag}
	}
	dec := newDecoder(path)
	ds = dec.decodeFile(root)
	if len(dec.diags) > 0 {
		diags := dec.diags.deduplicated()
		diags.inFileOrder()
		return nil, diags
	}
	return ds, nil
}

// checkBytes rejects what YAML should never see: oversized files, invalid
// UTF-8 and control characters, each located precisely since yaml.v3 would
// report them without a line.
func checkBytes(path string, data []byte) (Diagnostic, bool) {
	if len(data) > MaxFileBytes {
		return Diagnostic{
			Path:    path,
			Message: fmt.Sprintf("file is larger than %d bytes (1 MiB)", MaxFileBytes),
			Hint:    "a menus file is a few kilobytes; check that the path names the right file",
		}, false
	}
	line, col := 1, 1
	for i := 0; i < len(data); {
		r, size := utf8.DecodeRune(data[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			return Diagnostic{
				Path:    path,
				Pos:     Pos{line, col},
				Message: fmt.Sprintf("invalid UTF-8 (byte 0x%02x)", data[i]),
				Hint:    "save the file as UTF-8; WeChat accepts only UTF-8 text",
			}, false
		case isForbiddenControl(r):
			return Diagnostic{
				Path:    path,
				Pos:     Pos{line, col},
				Message: fmt.Sprintf("control character %U is not allowed in YAML", r),
				Hint:    "remove it; write special characters with escapes inside double quotes",
			}, false
		}
		if r == '\n' {
			line, col = line+1, 1
		} else {
			col++
		}
		i += size
	}
	return Diagnostic{}, true
}

// isForbiddenControl reports characters outside YAML's printable set.
func isForbiddenControl(r rune) bool {
	switch {
	case r == '\t' || r == '\n' || r == '\r' || r == 0x85:
		return false
	case r < 0x20 || r == 0x7f:
		return true
	case r >= 0x80 && r <= 0x9f:
		return true
	case r == 0xfffe || r == 0xffff:
		return true
	}
	return false
}

// parseDocument parses exactly one YAML document and returns its root node.
func parseDocument(path string, data []byte) (*yaml.Node, *Diagnostic) {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			msg := "file is empty"
			if len(bytes.TrimSpace(data)) > 0 {
				msg = "file has only comments"
			}
			return nil, &Diagnostic{Path: path, Message: msg, Hint: "a minimal file is:" + minimalExample}
		}
		d := syntaxDiagnostic(path, data, err)
		return nil, &d
	}
	var next yaml.Node
	switch err := dec.Decode(&next); {
	case errors.Is(err, io.EOF):
	case err != nil:
		d := syntaxDiagnostic(path, data, err)
		return nil, &d
	default:
		return nil, &Diagnostic{
			Path:    path,
			Pos:     Pos{next.Line, 1},
			Message: "file holds more than one YAML document",
			Hint:    "keep one account's menus in one document: remove the \"---\" separator, or split the file",
		}
	}
	if len(doc.Content) == 0 {
		return nil, &Diagnostic{Path: path, Message: "file is empty", Hint: "a minimal file is:" + minimalExample}
	}
	root := doc.Content[0]
	if root.Kind == yaml.ScalarNode && root.Tag == "!!null" && root.Value == "" {
		return nil, &Diagnostic{Path: path, Message: "file is empty", Hint: "a minimal file is:" + minimalExample}
	}
	return root, nil
}

var yamlLinePrefix = regexp.MustCompile(`^yaml: line (\d+): `)

// syntaxDiagnostic turns a yaml.v3 syntax error ("yaml: line N: problem")
// into a located diagnostic. yaml.v3 gives no column, and for some errors
// no line either; those lines are found by re-parsing prefixes of the file.
func syntaxDiagnostic(path string, data []byte, err error) Diagnostic {
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
		return Diagnostic{
			Path:    path,
			Pos:     Pos{tl, tc},
			Message: "tab character in indentation",
			Hint:    "YAML indents with spaces only; replace the tab with spaces",
		}
	}
	d := Diagnostic{Path: path, Message: "invalid YAML: " + msg, Hint: syntaxHint(msg)}
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
		prefix := bytes.Join(lines[:n], nil)
		dec := yaml.NewDecoder(bytes.NewReader(prefix))
		for {
			var node yaml.Node
			err := dec.Decode(&node)
			if err == nil {
				continue
			}
			return !errors.Is(err, io.EOF) && strings.HasSuffix(err.Error(), msg)
		}
	}
	lo, hi := 1, len(lines)
	if !fails(hi) {
		return 0
	}
	for lo < hi {
		mid := (lo + hi) / 2
		if fails(mid) {
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
		for j, c := range l {
			if c == '\t' {
				return i + 1, j + 1, true
			}
			if c != ' ' {
				break
			}
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

// FileError is a desired-state file that could not be read, worded for
// people, with a hint when one helps.
type FileError struct {
	Message string
	Err     error // the error reading the file
	Hint    string
}

func (e *FileError) Error() string     { return e.Message }
func (e *FileError) Unwrap() error     { return e.Err }
func (e *FileError) ErrorHint() string { return e.Hint }

// Load is LoadFile with a failure to read the file worded for people as a
// *FileError ("cannot read menus.yaml: no such file"); problems in the file
// are still Diagnostics.
func Load(path string) (*State, error) {
	ds, err := LoadFile(path)
	var diags Diagnostics
	switch {
	case err == nil || errors.As(err, &diags):
		return ds, err
	case errors.Is(err, os.ErrNotExist):
		return nil, &FileError{Message: "cannot read " + path + ": no such file", Err: err, Hint: "pass the desired-state file with -f, e.g. -f menus.yaml"}
	}
	return nil, &FileError{Message: fmt.Sprintf("cannot read %s: %v", path, errtext.PathReason(err)), Err: err}
}

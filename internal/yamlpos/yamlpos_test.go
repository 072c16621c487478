package yamlpos

import (
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"gopkg.in/yaml.v3"
)

var testFile = File{MaxBytes: 1 << 20, SizeHint: "check the path", MaxNodes: 1000, Example: "\n  a: 1"}

var testMapping = Mapping{
	Name: "thing", In: "a thing", Hint: "write a thing as a mapping",
	Keys:     []string{"name", "enabled", "items"},
	KeyHints: map[string]string{"title": "a thing has a name, not a title"},
}

// decode reads src as a thing and returns what it decoded, one line a
// field, or the diagnostics.
func decode(src string) string {
	d, root, err := testFile.Parse("t.yaml", []byte(src))
	if err != nil {
		return err.Error()
	}
	var got []string
	fields := d.Fields(root, &testMapping)
	for key, f := range fields {
		switch key {
		case "name":
			if s, ok := d.String(f, key); ok {
				got = append(got, "name="+s)
			}
		case "enabled":
			if b, ok := d.Bool(f, key); ok {
				got = append(got, fmt.Sprintf("enabled=%v", b))
			}
		case "items":
			got = append(got, fmt.Sprintf("items=%d", len(d.List(f, key, "a list", "start each item with \"- \""))))
		}
	}
	if err := d.Err(); err != nil {
		return err.Error()
	}
	sort.Strings(got)
	return strings.Join(got, " ")
}

func TestDecode(t *testing.T) {
	tests := []struct{ name, src, want string }{
		{"fields", "name: a\nenabled: true\nitems: [1, 2]\n", "enabled=true items=2 name=a"},
		{"numbers are text", "name: 2024\n", "name=2024"},
		{"null is no list", "items:\n", "items=0"},
		{"unknown, listing the fields", "x: 1\n", "t.yaml:1:1: unknown field \"x\" in a thing\nhint: fields of a thing: name, enabled, items"},
		{"merges", "name: own\n<<: [{name: first, enabled: true}, {enabled: false, items: []}]\n", "enabled=true items=0 name=own"},
		{"unknown, with did-you-mean", "nmae: a\n", "t.yaml:1:1: unknown field \"nmae\" in a thing\nhint: did you mean \"name\"?"},
		{"unknown, with a hint of its own", "title: a\n", "t.yaml:1:1: unknown field \"title\" in a thing\nhint: a thing has a name, not a title"},
		{"repeated", "name: a\nname: b\n", "t.yaml:2:1: duplicate key \"name\" in a thing (first at line 1)\nhint: remove one of them"},
		{"not a mapping", "- a\n", "t.yaml:1:1: thing must be a mapping, got a list\nhint: write a thing as a mapping"},
		{"a key that is no name", "? [a]\n: 1\n", "t.yaml:1:3: keys of a thing must be plain names, got a list"},
		{"a merge of a string", "<<: &s str\n", "t.yaml:1:5: a merge (<<) in a thing must name a mapping, got a string\nhint: merge an anchored mapping: <<: *name"},
		{"wrong kinds", "name: [a]\nenabled: yes\nitems: {}\n", strings.Join([]string{
			"t.yaml:1:7: name must be a string, got a list\nhint: brackets and \"- \" make a list; write a single value, e.g. name: Help",
			"t.yaml:2:10: enabled must be true or false, got a string\nhint: write enabled: true or enabled: false",
			"t.yaml:3:8: items must be a list, got a mapping\nhint: start each item with \"- \"",
		}, "\n")},
		{"a boolean name", "name: true\n", "t.yaml:1:7: name must be a string, got a boolean\nhint: quote it if it is meant as text: name: \"true\""},
		{"empty", "", "t.yaml: file is empty\nhint: a minimal file is:\n  a: 1"},
		{"comments", "# nothing\n", "t.yaml: file has only comments\nhint: a minimal file is:\n  a: 1"},
		{"two documents", "name: a\n---\nname: b\n", "t.yaml:2:1: file holds more than one YAML document\nhint: wxmenu reads one document per file: remove the \"---\" separator, or split the file"},
		{"syntax, on its line", "name: a\nitems:\n  - 1\n - 2\n", "t.yaml:4:1: invalid YAML: did not find expected key\nhint: check the indentation: keys of one mapping must line up"},
		{"tab", "name: a\n\titems: []\n", "t.yaml:2:1: tab character in indentation\nhint: YAML indents with spaces only; replace the tab with spaces"},
		{"control character", "name: a\x01\n", "t.yaml:1:8: control character U+0001 is not allowed in YAML\nhint: remove it; write special characters with escapes inside double quotes"},
		{"invalid UTF-8", "name: \xff\n", "t.yaml:1:7: invalid UTF-8 (byte 0xff)\nhint: save the file as UTF-8; WeChat accepts only UTF-8 text"},
		{"too large", strings.Repeat("#\n", 1<<19+1), "t.yaml: file is larger than 1048576 bytes (1 MiB)\nhint: check the path"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, decode(tt.src)); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

// TestBudget: a file that aliases multiply past MaxNodes is reported once,
// at the node where the budget ran out.
func TestBudget(t *testing.T) {
	src := "l0: &l0 {name: a}\n"
	for i := 1; i <= 6; i++ {
		src += fmt.Sprintf("l%d: &l%d [%s]\n", i, i, strings.TrimSuffix(strings.Repeat(fmt.Sprintf("*l%d, ", i-1), 10), ", "))
	}
	d, root, err := testFile.Parse("t.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	var walk func(n *yaml.Node)
	walk = func(n *yaml.Node) {
		if n = d.Resolve(n); n != nil {
			for _, c := range n.Content {
				walk(c)
			}
		}
	}
	walk(root)
	want := "t.yaml:1:10: file expands to more than 1000 nodes through aliases\n" +
		"hint: an alias (*name) repeats all its anchor (&name) holds, so aliases of aliases multiply; check anchors and aliases"
	if diff := cmp.Diff(want, fmt.Sprint(d.Err())); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func TestSorted(t *testing.T) {
	at := func(line, col int, msg string) Diagnostic {
		return Diagnostic{Path: "f", Pos: Pos{Line: line, Column: col}, Message: msg}
	}
	ds := Diagnostics{at(0, 0, "whole"), at(3, 1, "c"), at(1, 5, "b"), at(1, 2, "a"), at(3, 1, "c"), at(3, 1, "d")}
	want := Diagnostics{at(1, 2, "a"), at(1, 5, "b"), at(3, 1, "c"), at(3, 1, "d"), at(0, 0, "whole")}
	if diff := cmp.Diff(want, ds.Sorted()); diff != "" {
		t.Errorf("Sorted (-want +got):\n%s", diff)
	}
	if Diagnostics(nil).Sorted() != nil {
		t.Error("Sorted of nothing is not nil")
	}
}

func TestDiagnosticString(t *testing.T) {
	tests := []struct {
		d    Diagnostic
		want string
	}{
		{Diagnostic{Path: "menus.yaml", Pos: Pos{Line: 12, Column: 7}, Message: "bad", Hint: "fix it"}, "menus.yaml:12:7: bad\nhint: fix it"},
		{Diagnostic{Path: "menus.yaml", Message: "file is empty"}, "menus.yaml: file is empty"},
		{Diagnostic{Pos: Pos{Line: 3, Column: 1}, Message: "bad"}, "3:1: bad"},
		{Diagnostic{Message: "bad"}, "bad"},
	}
	for _, tt := range tests {
		if got := tt.d.String(); got != tt.want {
			t.Errorf("String() = %q, want %q", got, tt.want)
		}
	}
}

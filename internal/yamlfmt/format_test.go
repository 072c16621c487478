package yamlfmt

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// testShape orders a and b, then c; under list, items order name before
// value, and value is text; tags: keys are text, sorted.
var testShape = &Shape{
	Keys: []string{"a", "b", "c"},
	Fields: map[string]*Shape{
		"list": {Items: &Shape{Keys: []string{"name", "value"}, Fields: map[string]*Shape{"value": {Text: true}}}},
		"tags": {TextKeys: true, KeyOrder: strings.Compare, Values: &Shape{Text: true}},
	},
}

// TestFormat: each input, formatted, is the canonical text, and formatting
// that again changes nothing.
func TestFormat(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{{
		name: "keys in the shape's order, with their comments",
		in:   "c: 3 # lc\n# head of b\nb: 2\na: 1\n",
		want: "a: 1\n# head of b\nb: 2\nc: 3 # lc\n",
	}, {
		name: "keys the shape does not order keep their order after the others",
		in:   "z: 1\nb: 2\nx: 3\na: 4\n",
		want: "a: 4\nb: 2\nz: 1\nx: 3\n",
	}, {
		name: "a comment after the last entry stays last when keys move",
		in:   "b: 1\na: 2\n# the end\n",
		want: "a: 2\nb: 1\n# the end\n",
	}, {
		name: "indentation of two, lists indented under their key",
		in:   "a:\n    k:\n        - x\n        - w\nb:\n- z\n",
		want: "a:\n  k:\n    - x\n    - w\nb:\n  - z\n",
	}, {
		name: "one-line collections stay on one line, blocks stay blocks",
		in:   "a: {k: 1, l: [x, w]}\nb:\n  k: 1\n",
		want: "a: {k: 1, l: [x, w]}\nb:\n  k: 1\n",
	}, {
		name: "blank lines between entries kept, one for several; none at the start",
		in:   "a:\n\n  k: 1\n\n\n  l: 2\nb:\n  - x\n\n  # about w\n  - w\n",
		want: "a:\n  k: 1\n\n  l: 2\nb:\n  - x\n\n  # about w\n  - w\n",
	}, {
		name: "an entry that was first gets a blank line when it moves among separated ones",
		in:   "b: 1\n\na: 2\n\nc: 3\n",
		want: "a: 2\n\nb: 1\n\nc: 3\n",
	}, {
		name: "strings plain unless they need quotes, then double quotes",
		in:   "a: 'it''s'\nb: \"plain\"\nc: \"101\"\nd: ''\ne: \"a: b\"\nf: '#x'\ng: \"true\"\nh: {u: 'https://x.example/?a=1'}\ni: 'yes'\n",
		want: "a: it's\nb: plain\nc: \"101\"\nd: \"\"\ne: \"a: b\"\nf: \"#x\"\ng: \"true\"\nh: {u: \"https://x.example/?a=1\"}\ni: \"yes\"\n",
	}, {
		name: "booleans are true and false; other scalars as written",
		in:   "a: True\nb: FALSE\nc: 0x1F\nd: ~\n",
		want: "a: true\nb: false\nc: 0x1F\nd: ~\n",
	}, {
		name: "text written as numbers becomes strings; other numbers stay",
		in:   "list:\n  - {value: 101, name: 2024}\ntags: {102: 7, 101: vip}\n",
		want: "list:\n  - {name: 2024, value: \"101\"}\ntags: {\"101\": vip, \"102\": \"7\"}\n",
	}, {
		name: "merge keys first, merged mappings ordered like the mapping",
		in:   "base: &b {value: 1, name: x}\nlist:\n  - value: 2\n    <<: *b\n  - <<: [{value: 3, name: w}]\n",
		want: "base: &b {value: 1, name: x}\nlist:\n  - <<: *b\n    value: \"2\"\n  - <<: [{name: w, value: \"3\"}]\n",
	}, {
		name: "keys keep their order when ordering would put an alias before its anchor",
		in:   "b: &x {k: 1}\na: *x\n",
		want: "b: &x {k: 1}\na: *x\n",
	}, {
		name: "the document's head and foot comments",
		in:   "# about the file\n\nb: 1\na: 2\n\n# the end\n",
		want: "# about the file\n\na: 2\nb: 1\n\n# the end\n",
	}, {
		name: "several lines of text as a literal block",
		in:   "a: \"one\\ntwo\"\n",
		want: "a: |-\n  one\n  two\n",
	}, {
		name: "document markers go",
		in:   "---\na: 1\n...\n",
		want: "a: 1\n",
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Format([]byte(tt.in), testShape)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, string(got)); diff != "" {
				t.Errorf("Format (-want +got):\n%s", diff)
			}
			again, err := Format(got, testShape)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(string(got), string(again)); diff != "" {
				t.Errorf("Format of the formatted file changed it (-once +twice):\n%s", diff)
			}
		})
	}
}

// TestFormatKeepsEveryComment: the comments of a file with one in every
// place yaml.v3 keeps them are all in the result, each with its entry: a
// comment on its own line belongs to the entry below it (yaml.v3's rule),
// except after the last entry.
func TestFormatKeepsEveryComment(t *testing.T) {
	in := `# file
# more

# before c
c: 1 # on c
# before b
b:
  # before x
  - x # on x
  # after x
  - [y, # in a flow list
     z]
a: {k: v} # on a
# end
`
	got, err := Format([]byte(in), testShape)
	if err != nil {
		t.Fatal(err)
	}
	texts := func(data []byte) []string {
		var out []string
		for _, line := range strings.Split(string(data), "\n") {
			if _, c, ok := strings.Cut(line, "#"); ok {
				out = append(out, "#"+c)
			}
		}
		return out
	}
	// a moves first with its line comment, b then c with the comments
	// above them; the others stay where they were.
	want := []string{"# file", "# more", "# on a", "# before b", "# before x", "# on x", "# after x", "# in a flow list", "# before c", "# on c", "# end"}
	if diff := cmp.Diff(want, texts(got)); diff != "" {
		t.Errorf("comments (-want +got):\n%s\nformatted:\n%s", diff, got)
	}
}

// TestKeepsCommentsRefusesLoss: the check Format makes finds a comment the
// encoding dropped, and names it.
func TestKeepsCommentsRefusesLoss(t *testing.T) {
	err := keepsComments([]byte("a: 1 # kept\nb: 2 # dropped\n"), []byte("a: 1 # kept\nb: 2\n"))
	var ce *CommentError
	if !errors.As(err, &ce) || ce.Comment != "# dropped" || ce.Line != 2 {
		t.Fatalf("keepsComments = %v, want the comment \"# dropped\" of line 2", err)
	}
	if err := keepsComments([]byte("a: 1 # kept\n"), []byte("# kept\na: 1\n")); err != nil {
		t.Errorf("a comment that moved is kept: %v", err)
	}
}

package desired

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestFormat: menus.yaml in the canonical layout: WeChat's field order,
// text as strings, comments with their entries; formatting it again
// changes nothing, and it declares what the input declared.
func TestFormat(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{{
		name: "top-level keys: default, conditional, unmanaged, tags",
		in: `tags: {"101": vip}
unmanaged: [{tag_id: "900"}]
# the menus
conditional:
  - {name: vip, matchrule: {tag_id: "101"}, button: [{type: click, name: A, key: A}]}
default: {button: [{type: click, name: B, key: B}]}
`,
		want: `default: {button: [{type: click, name: B, key: B}]}
# the menus
conditional:
  - {name: vip, matchrule: {tag_id: "101"}, button: [{type: click, name: A, key: A}]}
unmanaged: [{tag_id: "900"}]
tags: {"101": vip}
`,
	}, {
		name: "a button: type, name, the fields of its type in wire order, sub_button",
		in: `default:
  button:
    - pagepath: pages/index
      appid: wx1234567890abcdef
      url: https://example.com/
      name: 小程序 # the shop
      type: miniprogram
    - sub_button:
        - {key: K, name: 子菜单, type: click}
      name: 服务
`,
		want: `default:
  button:
    - type: miniprogram
      name: 小程序 # the shop
      url: https://example.com/
      appid: wx1234567890abcdef
      pagepath: pages/index
    - name: 服务
      sub_button:
        - {type: click, name: 子菜单, key: K}
`,
	}, {
		name: "a conditional menu: name, matchrule (tag_id, client_platform_type), button, protect",
		in: `default: {button: [{type: click, name: B, key: B}]}
conditional:
  - protect: true # keep it
    button: [{type: click, name: A, key: A}]
    matchrule: {client_platform_type: 1, tag_id: 101}
    name: vip-ios
`,
		want: `default: {button: [{type: click, name: B, key: B}]}
conditional:
  - name: vip-ios
    matchrule: {tag_id: "101", client_platform_type: "1"}
    button: [{type: click, name: A, key: A}]
    protect: true # keep it
`,
	}, {
		name: "tags by number, ids and names as strings",
		in:   "tags:\n  1000: big\n  '102': staff\n  101: 2024\n",
		want: "tags:\n  \"101\": \"2024\"\n  \"102\": staff\n  \"1000\": big\n",
	}, {
		name: "quotes only where YAML needs them",
		in: `default:
  button:
    - {type: 'view', name: "官网", url: 'https://www.example.com/'}
    - {type: click, name: "yes", key: "on"}
    - {type: click, name: '2024', key: 'a: b'}
`,
		want: `default:
  button:
    - {type: view, name: 官网, url: "https://www.example.com/"}
    - {type: click, name: "yes", key: "on"}
    - {type: click, name: "2024", key: "a: b"}
`,
	}, {
		name: "blank lines between menus and sections kept",
		in: `# header

default:
    button:
    - {type: click, name: B, key: B}


conditional:
  - name: a
    matchrule: {tag_id: "1"}
    button: [{type: click, name: A, key: A}]

  # the second
  - name: b
    matchrule: {tag_id: "2"}
    button: [{type: click, name: A, key: A}]
`,
		want: `# header

default:
  button:
    - {type: click, name: B, key: B}

conditional:
  - name: a
    matchrule: {tag_id: "1"}
    button: [{type: click, name: A, key: A}]

  # the second
  - name: b
    matchrule: {tag_id: "2"}
    button: [{type: click, name: A, key: A}]
`,
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := checkFormat(t, "menus.yaml", []byte(tt.in))
			if diff := cmp.Diff(tt.want, string(got)); diff != "" {
				t.Errorf("Format (-want +got):\n%s", diff)
			}
		})
	}
}

// checkFormat formats data and checks what Format promises: the result
// declares the same State (and digest), and formatting it again changes
// nothing.
func checkFormat(t testing.TB, path string, data []byte) []byte {
	t.Helper()
	got, err := Format(path, data)
	if err != nil {
		t.Fatalf("Format: %v", err)
	}
	before, err := Parse(path, data)
	if err != nil {
		t.Fatalf("Parse of the input: %v", err)
	}
	after, err := Parse(path, got)
	if err != nil {
		t.Fatalf("the formatted file does not parse: %v\n%s", err, got)
	}
	if before.Digest() != after.Digest() || !sameState(before, after) {
		t.Fatalf("the formatted file declares something else:\n%s", got)
	}
	again, err := Format(path, got)
	if err != nil {
		t.Fatalf("Format of the formatted file: %v", err)
	}
	if diff := cmp.Diff(string(got), string(again)); diff != "" {
		t.Fatalf("Format is not idempotent (-once +twice):\n%s", diff)
	}
	return got
}

// TestFormatGoodFiles: every valid file of the corpus and the examples
// formats to a file that means the same, and formats idempotently.
func TestFormatGoodFiles(t *testing.T) {
	files, _ := filepath.Glob("../../testdata/good/*.yaml")
	examples, _ := filepath.Glob("../../examples/*/menus.yaml")
	accounts, _ := filepath.Glob("../../examples/fleet/accounts/*.yaml")
	files = append(append(files, examples...), accounts...)
	if len(files) < 5 {
		t.Fatalf("found %d files to format, want the corpus and the examples", len(files))
	}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		t.Run(filepath.Base(f), func(t *testing.T) { checkFormat(t, f, data) })
	}
}

// TestFormatRefusesWhatParseRefuses: a file that does not parse is the
// parser's located diagnostics, and no output.
func TestFormatRefusesWhatParseRefuses(t *testing.T) {
	for _, in := range []string{
		"default:\n  button:\n    - {type: click, nme: A, key: A}\n",
		"default: [\n",
		"conditional:\n  - name: a\n    matchrule: {tag_id: 0101}\n",
		"",
	} {
		out, err := Format("bad.yaml", []byte(in))
		var diags Diagnostics
		if !errors.As(err, &diags) || out != nil {
			t.Errorf("Format(%q) = %q, %v; want no output and diagnostics", in, out, err)
			continue
		}
		if d := diags[0]; d.Path != "bad.yaml" || (in != "" && d.Pos.Line == 0) {
			t.Errorf("Format(%q): diagnostic %+v is not located", in, d)
		}
	}
}

// FuzzFormat: whatever Parse accepts, Format either formats to a file that
// declares the same State, with the same digest, and that formats to
// itself, or refuses with located diagnostics; it never panics, and never
// returns a file that means something else.
func FuzzFormat(f *testing.F) {
	for _, glob := range []string{"../../testdata/good/*.yaml", "../../examples/*/menus.yaml", "../../examples/fleet/accounts/*.yaml"} {
		files, _ := filepath.Glob(glob)
		for _, file := range files {
			data, err := os.ReadFile(file)
			if err != nil {
				f.Fatal(err)
			}
			f.Add(data)
		}
	}
	f.Add([]byte("tags: {102: b, 101: a}\nunmanaged: [{tag_id: 900}]\n"))
	f.Add([]byte("default: &d\n  button: &b [{type: click, name: A, key: A}]\nconditional:\n  - {button: *b, name: x, matchrule: {tag_id: '1'}}\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		before, err := Parse("fuzz.yaml", data)
		if err != nil {
			return
		}
		got, err := Format("fuzz.yaml", data)
		if err != nil {
			var diags Diagnostics
			if !errors.As(err, &diags) || len(diags) == 0 || diags[0].Path != "fuzz.yaml" {
				t.Fatalf("Format error is not located diagnostics: %v", err)
			}
			if strings.Contains(err.Error(), "bug of wxmenu fmt") {
				t.Fatalf("Format found its own result wrong: %v", err)
			}
			return
		}
		after, err := Parse("fuzz.yaml", got)
		if err != nil {
			t.Fatalf("the formatted file does not parse: %v\n%s", err, got)
		}
		if before.Digest() != after.Digest() || !sameState(before, after) {
			t.Fatalf("the formatted file declares something else:\n%s", got)
		}
		again, err := Format("fuzz.yaml", got)
		if err != nil || string(again) != string(got) {
			t.Fatalf("Format is not idempotent (%v):\n%s\nthen:\n%s", err, got, again)
		}
	})
}

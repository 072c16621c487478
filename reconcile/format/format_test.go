package format

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/wxmenu/wxmenu/reconcile/project"
)

func TestKindOf(t *testing.T) {
	tests := []struct {
		path, data string
		want       Kind
	}{
		{"wxmenu.yaml", "default: {}\n", Project}, // by name, whatever it holds
		{"dir/wxmenu.yml", "", Project},
		{"shops.yaml", "# the shops\naccounts:\n  - name: a\n", Project},
		{"menus.yaml", "default:\n  button: []\n", Menus},
		{"menus.yaml", "accounts: [\n", Menus}, // not YAML: the menus parser says where
		{"nested.yaml", "default:\n  accounts: 1\n", Menus},
	}
	for _, tt := range tests {
		if got := KindOf(tt.path, []byte(tt.data)); got != tt.want {
			t.Errorf("KindOf(%q, %q) = %v, want %v", tt.path, tt.data, got, tt.want)
		}
	}
}

func TestDiff(t *testing.T) {
	tests := []struct {
		name, a, b string
		want       []string
	}{
		{"same", "a\nb\n", "a\nb\n", nil},
		{"a line changed", "a\nb\nc\n", "a\nB\nc\n", []string{"@@ -2,1 +2,1 @@", "-b", "+B"}},
		{"a line moved", "x\nb\nc\na\n", "x\na\nb\nc\n", []string{"@@ -1,0 +2,1 @@", "+a", "@@ -4,1 +4,0 @@", "-a"}},
		{"a line added at the end", "a\n", "a\nb\n", []string{"@@ -1,0 +2,1 @@", "+b"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, Diff([]byte(tt.a), []byte(tt.b))); diff != "" {
				t.Errorf("Diff (-want +got):\n%s", diff)
			}
		})
	}
}

// TestDiffIsShort: a diff of many changed lines shows MaxDiffLines of them
// and counts the rest.
func TestDiffIsShort(t *testing.T) {
	var a, b strings.Builder
	for i := range 100 {
		a.WriteString("old " + string(rune('a'+i%26)) + "\n")
		b.WriteString("new " + string(rune('a'+i%26)) + "\n")
	}
	got := Diff([]byte(a.String()), []byte(b.String()))
	changed := 0
	for _, l := range got {
		if strings.HasPrefix(l, "-") || strings.HasPrefix(l, "+") {
			changed++
		}
	}
	if changed != MaxDiffLines || got[len(got)-1] != "… 160 more changed lines" {
		t.Errorf("Diff shows %d changed lines and ends %q; want %d and the 160 others counted", changed, got[len(got)-1], MaxDiffLines)
	}
}

// TestReadAndWrite: a file is written only when formatting changes it,
// then with its mode; a broken file is never written.
func TestReadAndWrite(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "menus.yaml")
	messy := "default:\n    button:\n    - {name: A, type: click, key: 'A'}\n"
	if err := os.WriteFile(path, []byte(messy), 0o644); err != nil {
		t.Fatal(err)
	}
	f, err := Read(path)
	if err != nil {
		t.Fatal(err)
	}
	if !f.Changed() || f.Kind != Menus {
		t.Fatalf("Read: changed %v, kind %v; want a menus file that changes", f.Changed(), f.Kind)
	}
	if err := f.Write(); err != nil {
		t.Fatal(err)
	}
	want := "default:\n  button:\n    - {type: click, name: A, key: A}\n"
	if data, _ := os.ReadFile(path); string(data) != want {
		t.Errorf("the file holds %q, want %q", data, want)
	}
	if f, err := Read(path); err != nil || f.Changed() {
		t.Errorf("formatting the formatted file: changed, or %v", err)
	}

	broken := filepath.Join(dir, "broken.yaml")
	if err := os.WriteFile(broken, []byte("default: [\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Read(broken); err == nil || !strings.Contains(err.Error(), "broken.yaml:") {
		t.Errorf("Read of a broken file: %v, want a located error", err)
	}
}

func TestFiles(t *testing.T) {
	p := &project.Project{Path: "p/wxmenu.yaml", Accounts: []project.Account{{Path: "p/a.yaml"}, {Path: "p/b.yaml"}, {Path: "p/a.yaml"}}}
	if diff := cmp.Diff([]string{"p/wxmenu.yaml", "p/a.yaml", "p/b.yaml"}, Files(p)); diff != "" {
		t.Errorf("Files (-want +got):\n%s", diff)
	}
}

package cmdline

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/wxmenu/wxmenu/reconcile"
	"github.com/wxmenu/wxmenu/reconcile/desired"
	"github.com/wxmenu/wxmenu/reconcile/project"
)

// TestWriteExport covers where export's file goes: stdout, or --out and
// a line saying so; warnings go to stderr either way. A file that exists
// (one that appeared after CheckExportOut) is replaced only with force.
func TestWriteExport(t *testing.T) {
	exp := &reconcile.Export{Data: []byte("menus: []\n"), What: "the default menu", Warnings: []string{"a console-only button was left out"}}
	dir := t.TempDir()
	notes := filepath.Join(dir, "notes.txt")
	if err := os.WriteFile(notes, []byte("my notes\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	warning := "wxmenu: warning: a console-only button was left out\n"
	type result struct{ Stdout, Stderr, File, Exit string }
	tests := []struct {
		name, out string
		force     bool
		want      result
	}{
		{"stdout", "", false, result{Stdout: "menus: []\n", Stderr: warning, Exit: "exit 0"}},
		{"--out", filepath.Join(dir, "menus.yaml"), false, result{File: "menus: []\n", Exit: "exit 0",
			Stderr: warning + "wxmenu: exported the default menu to " + filepath.Join(dir, "menus.yaml") + "\n"}},
		{"--out that cannot be written", filepath.Join(dir, "missing", "menus.yaml"), false, result{Stderr: warning,
			Exit: "exit 1: writing " + filepath.Join(dir, "missing", "menus.yaml") + ": no such file or directory"}},
		{"--out that exists", notes, false, result{Stderr: warning, File: "my notes\n",
			Exit: "exit 1: --out " + notes + " exists; export leaves it as it is"}},
		{"--out that exists, --force", notes, true, result{File: "menus: []\n", Exit: "exit 0",
			Stderr: warning + "wxmenu: exported the default menu to " + notes + "\n"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			got := result{Exit: exitOf(WriteExport(&stdout, &stderr, exp, tt.out, tt.force))}
			got.Stdout, got.Stderr = stdout.String(), stderr.String()
			if tt.out != "" {
				b, _ := os.ReadFile(tt.out) // none when it could not be written
				got.File = string(b)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
	if left, _ := filepath.Glob(filepath.Join(dir, ".*.tmp-*")); len(left) > 0 {
		t.Errorf("temporary files left behind: %v", left)
	}
}

func TestSchema(t *testing.T) {
	if bytes.Equal(project.Schema(), desired.Schema()) {
		t.Fatal("the two schemas are alike: nothing tells them apart")
	}
	if diff := cmp.Diff(string(project.Schema()), string(Schema(true))); diff != "" {
		t.Errorf("schema --project (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(string(desired.Schema()), string(Schema(false))); diff != "" {
		t.Errorf("schema (-want +got):\n%s", diff)
	}
}

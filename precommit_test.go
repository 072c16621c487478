package main

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"gopkg.in/yaml.v3"
)

// preCommitHook is a hook of .pre-commit-hooks.yaml, the fields pre-commit
// reads that these tests check.
type preCommitHook struct {
	ID            string `yaml:"id"`
	Entry         string `yaml:"entry"`
	Language      string `yaml:"language"`
	Files         string `yaml:"files"`
	PassFilenames *bool  `yaml:"pass_filenames"`
}

// TestPreCommitHooks runs the hooks of .pre-commit-hooks.yaml as
// pre-commit would, on a copy of the example project: each hook's files
// pattern picks the project file (and not others), and its entry, with the
// files when it takes them, succeeds on the formatted, valid examples;
// wxmenu-fmt then fails --check's way on a file that is not formatted, and
// rewrites it.
func TestPreCommitHooks(t *testing.T) {
	data, err := os.ReadFile(".pre-commit-hooks.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var hooks []preCommitHook
	if err := yaml.Unmarshal(data, &hooks); err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, h := range hooks {
		ids = append(ids, h.ID)
	}
	if diff := cmp.Diff([]string{"wxmenu-fmt", "wxmenu-validate"}, ids); diff != "" {
		t.Fatalf("hooks (-want +got):\n%s", diff)
	}

	dir := t.TempDir()
	if err := os.CopyFS(dir, os.DirFS("examples/fleet")); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "menus.yaml"), []byte("default:\n    button:\n    - {name: A, type: click, key: A}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Chdir(dir)
	for _, h := range hooks {
		t.Run(h.ID, func(t *testing.T) {
			if h.Language != "golang" {
				t.Errorf("language %q, want golang (pre-commit builds wxmenu with go install)", h.Language)
			}
			entry, ok := strings.CutPrefix(h.Entry, "wxmenu ")
			if !ok {
				t.Fatalf("entry %q does not run wxmenu", h.Entry)
			}
			files := regexp.MustCompile(h.Files)
			for name, want := range map[string]bool{"wxmenu.yaml": true, "accounts/menus.yaml": true, "accounts/shop-sh.yaml": false, ".github/workflows/ci.yml": false} {
				if files.MatchString(name) != want {
					t.Errorf("files %q matches %s: %v, want %v", h.Files, name, !want, want)
				}
			}
			args := strings.Fields(entry)
			if h.PassFilenames == nil || *h.PassFilenames {
				args = append(args, "wxmenu.yaml")
			}
			if code, stdout, stderr := runCLI(t, args...); code != 0 || (h.ID == "wxmenu-fmt" && stdout != "") {
				t.Fatalf("wxmenu %s: exit %d, want 0 and nothing rewritten\n%s%s", strings.Join(args, " "), code, stdout, stderr)
			}
			if h.ID != "wxmenu-fmt" {
				return
			}
			// pre-commit fails a hook that changes files: the messy one is
			// rewritten, listed, and formatted the next time.
			code, stdout, stderr := runCLI(t, append(args, "menus.yaml")...)
			if code != 0 || !slices.Contains(strings.Split(stdout, "\n"), "menus.yaml") {
				t.Fatalf("wxmenu-fmt on a messy file: exit %d, output %q %q; want it listed as rewritten", code, stdout, stderr)
			}
			if code, stdout, _ := runCLI(t, "fmt", "--check", "menus.yaml"); code != 0 || stdout != "" {
				t.Errorf("after wxmenu-fmt, fmt --check: exit %d, %q", code, stdout)
			}
		})
	}
}

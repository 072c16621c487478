package main

import (
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wxmenu/wxmenu/reconcile/desired"
)

// TestExampleMenusValidate loads every desired-state example: each must be
// valid as shipped.
func TestExampleMenusValidate(t *testing.T) {
	files, _ := filepath.Glob("examples/*/menus.yaml")
	if len(files) < 2 {
		t.Fatalf("want at least 2 example menus.yaml files, got %v", files)
	}
	for _, f := range files {
		if _, err := desired.Load(f); err != nil {
			t.Errorf("%s: %v", f, err)
		}
	}
}

// TestDocsGitignoreCoversWalkthrough checks that the files the README quick
// start and the docs write at the repository's root are ignored by git.
func TestDocsGitignoreCoversWalkthrough(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("no git")
	}
	for _, name := range []string{"plan.json", "audit.jsonl", "snapshot.json", "exported.yaml", "restored.yaml", "restore.json", "preview.html"} {
		out, err := exec.Command("git", "check-ignore", "--no-index", name).CombinedOutput()
		if err != nil || strings.TrimSpace(string(out)) != name {
			t.Errorf("%s is not ignored by .gitignore: %v %s", name, err, out)
		}
	}
	// Tracked example files stay tracked.
	if out, err := exec.Command("git", "check-ignore", "--no-index", "examples/basic/menus.yaml").CombinedOutput(); err == nil {
		t.Errorf("examples/basic/menus.yaml is ignored: %s", out)
	}
}

package main

import (
	"path/filepath"
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

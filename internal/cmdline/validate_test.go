package cmdline

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/wxmenu/wxmenu/reconcile/desired"
)

// TestValidate covers what validate decides, not desired's wording: a file
// is valid when it loads and is within the conditional-menu cap, and only
// a valid file has warnings (here: a name the phone cuts off).
func TestValidate(t *testing.T) {
	dir := t.TempDir()
	file := func(name, src string) string {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
		return path
	}
	long := file("long.yaml", "default:\n  button:\n    - {type: click, name: 会员专享服, key: A}\n")
	two := file("two.yaml", "default:\n  button:\n    - {type: click, name: 会员专享服, key: A}\n"+
		"conditional:\n"+
		"  - {name: a, matchrule: {tag_id: \"1\"}, button: [{type: click, name: A, key: A}]}\n"+
		"  - {name: b, matchrule: {tag_id: \"2\"}, button: [{type: click, name: 会员专享服, key: B}]}\n")
	typo := file("typo.yaml", "defualt:\n  button: []\n")

	type result struct {
		Valid       bool
		Warnings    int
		Diagnostics int // located problems of an invalid file
		Err         bool
	}
	tests := []struct {
		name           string
		file           string
		maxConditional int
		want           result
	}{
		{"a valid file with a name the phone cuts off", long, 0, result{Valid: true, Warnings: 1}},
		{"within the cap", two, 2, result{Valid: true, Warnings: 2}},
		{"the default cap", two, 0, result{Valid: true, Warnings: 2}},
		{"over the cap: invalid, no warnings", two, 1, result{Diagnostics: 1, Err: true}},
		{"a typo", typo, 0, result{Diagnostics: 1, Err: true}},
		{"a missing file", filepath.Join(dir, "missing.yaml"), 0, result{Err: true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ds, warnings, err := Validate(context.Background(), tt.file, tt.maxConditional)
			got := result{Valid: ds != nil, Warnings: len(warnings), Err: err != nil}
			if diags := (desired.Diagnostics)(nil); errors.As(err, &diags) {
				got.Diagnostics = len(diags)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

package desired_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wxmenu/wxmenu/reconcile/desired"
)

// manyMenus is a menus.yaml with n conditional menus, each with its own
// tag, every fourth one also matching a platform (so shadowing is checked
// for real).
func manyMenus(n int) []byte {
	var b strings.Builder
	b.WriteString("default:\n  button:\n    - {type: click, name: 首页, key: HOME}\nconditional:\n")
	for i := range n {
		platform := ""
		if i%4 == 0 {
			platform = `, client_platform_type: "2"`
		}
		// One line a menu keeps 10,000 menus under the 1 MiB file cap.
		fmt.Fprintf(&b, "  - {name: m%d, matchrule: {tag_id: \"%d\"%s}, button: [{type: click, name: a, key: k%d}]}\n", i, 1000+i, platform, i)
	}
	return []byte(b.String())
}

// BenchmarkValidateManyMenus measures validate's whole work (decode,
// locate, check) on a file of 10,000 conditional menus:
//
//	go test ./reconcile/desired -run '^$' -bench ValidateManyMenus -benchtime 3x
func BenchmarkValidateManyMenus(b *testing.B) {
	for _, n := range []int{1000, 10000} {
		path := filepath.Join(b.TempDir(), "menus.yaml")
		if err := os.WriteFile(path, manyMenus(n), 0o600); err != nil {
			b.Fatal(err)
		}
		b.Run(fmt.Sprintf("menus=%d", n), func(b *testing.B) {
			for b.Loop() {
				ds, err := desired.Load(path) // decodes and validates, as validate -f does
				if err != nil {
					b.Fatal(err)
				}
				if len(ds.Conditional) != n {
					b.Fatalf("%d menus read, want %d", len(ds.Conditional), n)
				}
			}
		})
	}
}

// BenchmarkValidateAnalyses measures Validate alone (the analyses, on a
// state already decoded) on 10,000 conditional menus:
//
//	go test ./reconcile/desired -run '^$' -bench ValidateAnalyses
func BenchmarkValidateAnalyses(b *testing.B) {
	ds, err := desired.Parse("menus.yaml", manyMenus(10000))
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if d := desired.Validate(ds); d != nil {
			b.Fatal(d)
		}
	}
}

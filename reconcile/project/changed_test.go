package project_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/wxmenu/wxmenu/reconcile/project"
)

func TestChanged(t *testing.T) {
	root := t.TempDir()
	if err := os.MkdirAll(filepath.Join(root, "menus"), 0o755); err != nil {
		t.Fatal(err)
	}
	src := "accounts:\n" +
		"  - {name: a, appid: wx0000000000000001, file: accounts/a.yaml, secret_env: A}\n" +
		"  - {name: b, appid: wx0000000000000002, file: accounts/b.yaml, secret_env: B}\n" +
		"  - {name: c, appid: wx0000000000000003, file: ../shared/c.yaml, secret_env: C}\n"
	if err := os.WriteFile(filepath.Join(root, "menus", "wxmenu.yaml"), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	p, err := project.Load(filepath.Join(root, "menus", "wxmenu.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	names := func(as []project.Account) []string {
		out := []string{}
		for _, a := range as {
			out = append(out, a.Name)
		}
		return out
	}
	for _, tc := range []struct {
		name    string
		changed []string
		want    []string
	}{
		{"one file", []string{"menus/accounts/b.yaml"}, []string{"b"}},
		{"outside the project dir", []string{"shared/c.yaml", "README.md"}, []string{"c"}},
		{"order kept", []string{"shared/c.yaml", "menus/accounts/a.yaml"}, []string{"a", "c"}},
		{"project file touches all", []string{"README.md", "menus/wxmenu.yaml"}, []string{"a", "b", "c"}},
		{"blank lines and unrelated files", []string{"", "  ", "menus/accounts/z.yaml", "menus/accounts/a.yaml.bak"}, []string{}},
		{"nothing", nil, []string{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if diff := cmp.Diff(tc.want, names(p.Changed(p.Accounts, tc.changed, root))); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
	// Changed narrows an --account selection, never widens it.
	sel, err := p.Select([]string{"a"})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"a"}, names(p.Changed(sel, []string{"menus/wxmenu.yaml"}, root))); diff != "" {
		t.Errorf("selection widened (-want +got):\n%s", diff)
	}
}

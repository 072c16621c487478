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

// TestChangedBase: the paths of a changed-files list are read from the
// root of the repository holding the project file, wherever the command
// runs; a worktree's .git is a file. Outside a repository they are read
// from the working directory.
func TestChangedBase(t *testing.T) {
	write := func(path, text string) {
		t.Helper()
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	src := "accounts:\n  - {name: a, appid: wx0000000000000001, file: accounts/a.yaml, secret_env: A}\n"
	repo, worktree, loose := t.TempDir(), t.TempDir(), t.TempDir()
	if err := os.Mkdir(filepath.Join(repo, ".git"), 0o755); err != nil {
		t.Fatal(err)
	}
	write(filepath.Join(worktree, ".git"), "gitdir: /elsewhere/.git/worktrees/w\n")
	for _, root := range []string{repo, worktree, loose} {
		write(filepath.Join(root, "menus", "wxmenu.yaml"), src)
	}
	wd := filepath.Join(t.TempDir(), "elsewhere")
	for _, tc := range []struct {
		name       string
		project    string
		wantDir    string
		wantInRepo bool
	}{
		{"a repository", filepath.Join(repo, "menus", "wxmenu.yaml"), repo, true},
		{"a worktree", filepath.Join(worktree, "menus", "wxmenu.yaml"), worktree, true},
		{"no repository", filepath.Join(loose, "menus", "wxmenu.yaml"), wd, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p, err := project.Load(tc.project)
			if err != nil {
				t.Fatal(err)
			}
			dir, inRepo := p.ChangedBase(wd)
			if dir != tc.wantDir || inRepo != tc.wantInRepo {
				t.Errorf("ChangedBase = %q, %v; want %q, %v", dir, inRepo, tc.wantDir, tc.wantInRepo)
			}
		})
	}
	// A project given relative to the working directory is found from it.
	t.Chdir(filepath.Join(repo, "menus"))
	p, err := project.Load("wxmenu.yaml")
	if err != nil {
		t.Fatal(err)
	}
	wdNow, _ := os.Getwd()
	if dir, _ := p.ChangedBase(wdNow); dir != repo {
		t.Errorf("ChangedBase of a relative project = %q, want %q", dir, repo)
	}
	if got := p.Changed(p.Accounts, []string{"menus/accounts/a.yaml"}, repo); len(got) != 1 {
		t.Errorf("a path from the repository root touched %d accounts, want 1", len(got))
	}
}

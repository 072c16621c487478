package project

import (
	"os"
	"path/filepath"
	"strings"
)

// Changed narrows accounts to those a change touched, given the changed
// paths relative to dir (see ChangedBase). The project's own paths are as
// given on the command line, relative to the working directory, and are
// made absolute on their own. A change to the project file itself touches
// every account: it may add one, move a file or switch credentials. Blank
// lines are ignored. The order of accounts is kept.
//
// This is what a CI pipeline plans on a pull request: the accounts whose
// menus files it changed, not the whole fleet.
func (p *Project) Changed(accounts []Account, changed []string, dir string) []Account {
	listed := func(path string) string {
		if !filepath.IsAbs(path) {
			path = filepath.Join(dir, path)
		}
		return filepath.Clean(path)
	}
	own := func(path string) string {
		if abs, err := filepath.Abs(path); err == nil {
			return abs
		}
		return filepath.Clean(path)
	}
	touched := map[string]bool{}
	for _, c := range changed {
		if c = strings.TrimSpace(c); c != "" {
			touched[listed(filepath.FromSlash(c))] = true
		}
	}
	if touched[own(p.Path)] {
		return accounts
	}
	var out []Account
	for _, a := range accounts {
		if touched[own(a.Path)] {
			out = append(out, a)
		}
	}
	return out
}

// ChangedBase is the directory the relative paths of a changed-files list
// are read against: the root of the git repository that holds the project
// file (the nearest directory above it with a .git, a directory or, in a
// worktree or submodule, a file), because `git diff --name-only` and the
// forges' APIs print paths from there wherever the command runs. Outside
// any repository it is wd, the working directory, as a list written by
// hand for the folder the command runs in would be. inRepo says which.
func (p *Project) ChangedBase(wd string) (dir string, inRepo bool) {
	start := p.Dir
	if !filepath.IsAbs(start) {
		start = filepath.Join(wd, start)
	}
	for d := filepath.Clean(start); ; d = filepath.Dir(d) {
		if _, err := os.Lstat(filepath.Join(d, ".git")); err == nil {
			return d, true
		}
		if filepath.Dir(d) == d {
			return wd, false
		}
	}
}

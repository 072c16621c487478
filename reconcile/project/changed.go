package project

import (
	"path/filepath"
	"strings"
)

// Changed narrows accounts to those a change touched, given the changed
// paths (as `git diff --name-only` prints them, relative to dir, the
// directory the command runs in). A change to the project file itself
// touches every account: it may add one, move a file or switch
// credentials. Blank lines are ignored. The order of accounts is kept.
//
// This is what a CI pipeline plans on a pull request: the accounts whose
// menus files it changed, not the whole fleet.
func (p *Project) Changed(accounts []Account, changed []string, dir string) []Account {
	abs := func(path string) string {
		if !filepath.IsAbs(path) {
			path = filepath.Join(dir, path)
		}
		return filepath.Clean(path)
	}
	touched := map[string]bool{}
	for _, c := range changed {
		if c = strings.TrimSpace(c); c != "" {
			touched[abs(filepath.FromSlash(c))] = true
		}
	}
	if touched[abs(p.Path)] {
		return accounts
	}
	var out []Account
	for _, a := range accounts {
		if touched[abs(a.Path)] {
			out = append(out, a)
		}
	}
	return out
}

package project

import (
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"

	"github.com/wxmenu/wxmenu/internal/errtext"
)

// Select returns the accounts whose names match any of patterns (exact
// names or path.Match globs such as "shop-*"), in file order; no patterns
// select every account. A pattern matching nothing, or malformed, is an
// error listing the names.
func (p *Project) Select(patterns []string) ([]Account, error) {
	if len(patterns) == 0 {
		return p.Accounts, nil
	}
	picked := map[string]bool{} // by name, unique in a project
	for _, pat := range patterns {
		matched := false
		for _, a := range p.Accounts {
			ok, err := path.Match(pat, a.Name)
			if err != nil {
				return nil, noMatch(pat, p.Names())
			}
			if ok {
				picked[a.Name], matched = true, true
			}
		}
		if !matched {
			return nil, noMatch(pat, p.Names())
		}
	}
	return slices.DeleteFunc(slices.Clone(p.Accounts), func(a Account) bool { return !picked[a.Name] }), nil
}

// noMatch is the error of an --account pattern that names no account.
func noMatch(pattern string, names []string) error {
	return errtext.Errorf("the accounts are: "+strings.Join(names, ", "), "--account %q matches no account of the project", pattern)
}

// Changed narrows accounts to those a change touched, given the changed
// paths relative to dir (see ChangedBase). The project's own paths are as
// given on the command line, relative to the working directory, and are
// made absolute on their own. A change to the project file itself touches
// every account: it may add one, move a file or switch credentials. A
// templated account's file is its template, so a change to a template
// touches every account of it; a change to a CSV file of accounts_from:
// touches the accounts it lists. Blank lines are ignored. The order of
// accounts is kept.
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
	// A generator command's program may print any account (which ones,
	// their vars); its output does not say which it changed.
	for _, g := range p.AccountsFrom {
		if len(g.Command) > 0 && strings.ContainsRune(g.Command[0], '/') {
			program := filepath.FromSlash(g.Command[0])
			if !filepath.IsAbs(program) {
				program = filepath.Join(p.Dir, program)
			}
			if touched[own(program)] {
				return accounts
			}
		}
	}
	var out []Account
	for _, a := range accounts {
		// A generated account is touched by a change to its CSV file too.
		if touched[own(a.Path)] || a.Generated(p) && touched[own(a.Origin.Path)] {
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

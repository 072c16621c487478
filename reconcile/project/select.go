package project

import (
	"path"
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
	picked := make([]bool, len(p.Accounts))
	for _, pat := range patterns {
		matched := false
		for i, a := range p.Accounts {
			ok, err := path.Match(pat, a.Name)
			if err != nil {
				return nil, noMatch(pat, p.Names())
			}
			if ok {
				picked[i], matched = true, true
			}
		}
		if !matched {
			return nil, noMatch(pat, p.Names())
		}
	}
	var out []Account
	for i, a := range p.Accounts {
		if picked[i] {
			out = append(out, a)
		}
	}
	return out, nil
}

// noMatch is the error of an --account pattern that names no account.
func noMatch(pattern string, names []string) error {
	return errtext.Errorf("the accounts are: "+strings.Join(names, ", "), "--account %q matches no account of the project", pattern)
}

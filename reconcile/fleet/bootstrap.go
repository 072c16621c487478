package fleet

import (
	"context"
	"fmt"
	"github.com/wxmenu/wxmenu/internal/errtext"
	"io"
	"path/filepath"
	"slices"
	"strings"

	"github.com/wxmenu/wxmenu/internal/atomicfile"
	"github.com/wxmenu/wxmenu/reconcile/project"
)

// Bootstrap adds the platform's authorizers (opts.Authorizers) that p
// does not list yet: each one's live menus are exported to
// accounts/NAME.yaml (NAME is its appid in lowercase, a valid account
// name) and, once exported, the account is added to p with platform: true
// and the project file is rewritten, so that the first plan shows no
// changes. Accounts that could not be exported are reported and left out.
// opts.Open must open platform accounts (account.Opener.Open);
// opts.Accounts is ignored.
func Bootstrap(ctx context.Context, p *project.Project, opts Options) ([]Exported, error) {
	authorizers, err := opts.Authorizers(ctx)
	if err != nil {
		return nil, err
	}
	opts.Accounts = nil
	for _, au := range authorizers {
		if slices.ContainsFunc(p.Accounts, func(a project.Account) bool { return a.AppID == au.AppID }) {
			continue
		}
		name := strings.ToLower(au.AppID)
		file := "accounts/" + name + ".yaml"
		opts.Accounts = append(opts.Accounts, project.Account{Name: name, AppID: au.AppID, File: file, Path: filepath.Join(p.Dir, filepath.FromSlash(file)), Platform: true})
	}
	exported := Export(ctx, opts)
	for i, x := range exported {
		if x.Err == nil {
			p.Accounts = append(p.Accounts, opts.Accounts[i])
		}
	}
	if len(p.Accounts) == 0 {
		return exported, nil
	}
	if err := atomicfile.Write(p.Path, func(w io.Writer) error { _, err := w.Write(p.Marshal()); return err }); err != nil {
		return exported, fmt.Errorf("writing %s: %w", p.Path, errtext.PathReason(err))
	}
	return exported, nil
}

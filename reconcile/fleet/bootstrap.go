package fleet

import (
	"context"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strings"

	"github.com/wxmenu/wxmenu/internal/atomicfile"
	"github.com/wxmenu/wxmenu/internal/errtext"
	"github.com/wxmenu/wxmenu/reconcile"
	"github.com/wxmenu/wxmenu/reconcile/desired"
	"github.com/wxmenu/wxmenu/reconcile/project"
)

// Bootstrap adds the platform's authorizers (opts.Authorizers) that p
// does not list yet, each as a platform account (platform: true) named by
// its appid in lowercase (a valid account name), and rewrites the project
// file, so that the first plan shows no changes.
//
// With template (the name of one of p's templates), an authorizer whose
// live menus are the template rendered for it (with the built-in values
// only: it has no vars yet) is added bound to the template, and nothing is
// written for it (Exported.Template says so). Every other authorizer's
// live menus are exported to accounts/NAME.yaml, and it is added with that
// file. Accounts that could not be read or exported are reported and left
// out. opts.Open must open platform accounts (account.Opener.Open);
// opts.Accounts is ignored.
func Bootstrap(ctx context.Context, p *project.Project, opts Options, template string) ([]Exported, error) {
	var parsed *project.Template
	if template != "" {
		if i := slices.IndexFunc(p.Templates, func(t project.Template) bool { return t.Name == template }); i >= 0 {
			parsed = &p.Templates[i]
		} else {
			names := make([]string, len(p.Templates))
			for i, t := range p.Templates {
				names[i] = t.Name
			}
			return nil, errtext.Errorf("the project's templates are: "+strings.Join(names, ", "), "--template %q is not one of the project's templates", template)
		}
	}
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
		a := project.Account{Name: name, AppID: au.AppID, Platform: true, Origin: desired.Origin{Path: p.Path}}
		if parsed != nil {
			a.Template, a.Path, a.Parsed, a.ComponentAppID = parsed.Name, parsed.Path, parsed.Parsed, p.Platform.ComponentAppID
		}
		opts.Accounts = append(opts.Accounts, a)
	}
	out := make([]Exported, len(opts.Accounts))
	opts.each(func(i int) {
		a := &opts.Accounts[i]
		if a.Template != "" {
			if matched, err := matchesTemplate(ctx, &opts, *a); err != nil {
				out[i] = Exported{Name: a.Name, Err: err}
				return
			} else if matched {
				out[i] = Exported{Name: a.Name, File: a.Path, Template: a.Template}
				return
			}
			// Its own file, as without a template.
			a.Template, a.Parsed, a.ComponentAppID = "", nil, ""
		}
		a.File = "accounts/" + a.Name + ".yaml"
		a.Path = filepath.Join(p.Dir, filepath.FromSlash(a.File))
		out[i] = Exported{Name: a.Name, File: a.Path}
		out[i].Export, out[i].Err = exportOne(ctx, &opts, *a)
	})
	for i, x := range out {
		if x.Err == nil {
			p.Accounts = append(p.Accounts, opts.Accounts[i])
		}
	}
	if len(p.Accounts) == 0 {
		return out, nil
	}
	if err := atomicfile.Write(p.Path, func(w io.Writer) error { _, err := w.Write(p.Marshal()); return err }); err != nil {
		return out, fmt.Errorf("writing %s: %w", p.Path, errtext.PathReason(err))
	}
	return out, nil
}

// matchesTemplate reports whether account a's live menus are its
// template rendered for it: a plan of it would have no step.
func matchesTemplate(ctx context.Context, opts *Options, a project.Account) (bool, error) {
	ds, err := a.Desired(ctx)
	if err != nil {
		// The template does not render for it (it needs vars): the
		// account keeps its own file.
		return false, nil
	}
	api, err := opts.Open(ctx, a)
	if err != nil {
		return false, err
	}
	read, err := (&reconcile.Session{Client: api, AppID: a.AppID}).Read(ctx, false)
	if err != nil {
		return false, err
	}
	c, err := reconcile.Diff(*read, ds, reconcile.PlanOptions{AppID: a.AppID, DesiredFile: a.Path})
	if err != nil {
		return false, err
	}
	return len(c.Steps) == 0, nil
}

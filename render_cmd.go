package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/wxmenu/wxmenu/internal/atomicfile"
	"github.com/wxmenu/wxmenu/internal/cmdline"
	"github.com/wxmenu/wxmenu/internal/errtext"
	"github.com/wxmenu/wxmenu/internal/literal"
	"github.com/wxmenu/wxmenu/reconcile/desired"
	"github.com/wxmenu/wxmenu/reconcile/fleet"
	"github.com/wxmenu/wxmenu/reconcile/project"
	"github.com/wxmenu/wxmenu/reconcile/render"
)

// render prints (or, with --out-dir, writes) the desired state of each
// selected account of the project as menus.yaml: what plan compares with
// the live account. The accounts are checked as validate checks them, and
// an account with problems is reported and not written.
func (e *env) render(ctx context.Context, fl *flags) error {
	p, err := project.Find("", fl.config)
	if err != nil {
		return err
	}
	if p == nil {
		return cmdline.Fail(cmdline.ExitError, "run it in a folder with a wxmenu.yaml, or give --config FILE", "render works on a project, and there is no wxmenu.yaml here")
	}
	accounts, err := p.Select(fl.accounts)
	if err != nil {
		return err
	}
	if fl.outDir != "" {
		if err := os.MkdirAll(fl.outDir, 0o755); err != nil {
			return fmt.Errorf("creating %s: %w", fl.outDir, errtext.PathReason(err))
		}
	}
	checks := fleet.Validate(ctx, accounts, fl.run.Plan.MaxConditional)
	problems := render.Problems(e.stderr, checks)
	for i, c := range checks {
		if c.Err != nil {
			continue
		}
		data, err := desired.Marshal(c.State, renderHeader(accounts[i], c.State))
		if err != nil {
			return err
		}
		if fl.outDir == "" {
			if len(checks) > 1 {
				fmt.Fprintln(e.stdout, "---")
			}
			e.stdout.Write(data)
			continue
		}
		path := filepath.Join(fl.outDir, c.Name+".yaml")
		if !renderedBefore(path, c.Name) {
			return cmdline.Fail(cmdline.ExitError, "write the rendered files to a directory of their own, e.g. --out-dir rendered",
				"%s exists and render did not write it; render leaves it as it is", literal.Line(path))
		}
		if err := atomicfile.Write(path, func(w io.Writer) error { _, err := w.Write(data); return err }); err != nil {
			return fmt.Errorf("writing %s: %w", path, errtext.PathReason(err))
		}
		fmt.Fprintf(e.stdout, "%s: %s\n", c.Name, literal.Line(path))
	}
	return cmdline.ExitForProblems(problems, nil)
}

// renderedBefore reports whether path is free for the rendering of account
// name: missing, or a file render wrote for it (its first line is the
// header renderHeader starts with). Anything else (a template, the project
// file, a hand-written menus file) is never replaced.
func renderedBefore(path, name string) bool {
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return true
	}
	if err != nil {
		return false
	}
	defer f.Close()
	first, _ := bufio.NewReader(f).ReadString('\n')
	return strings.HasPrefix(first, "# Account "+name+" ") || strings.HasPrefix(first, "# Account "+name+",")
}

// renderHeader is the comment a rendered account's file starts with.
func renderHeader(a project.Account, ds *desired.State) string {
	if r := ds.Rendered; r != nil {
		return fmt.Sprintf("Account %s (%s), rendered by wxmenu from template %s (%s).\nEdit the template or the account's vars, not this file.",
			a.Name, literal.Line(r.Origin.String()), r.Template, literal.Line(ds.Path))
	}
	return fmt.Sprintf("Account %s, from its menus file %s as wxmenu reads it.", a.Name, literal.Line(ds.Path))
}

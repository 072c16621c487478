package main

import (
	"context"
	"fmt"

	"github.com/wxmenu/wxmenu/internal/cmdline"
	"github.com/wxmenu/wxmenu/internal/literal"
	"github.com/wxmenu/wxmenu/reconcile/format"
	"github.com/wxmenu/wxmenu/reconcile/project"
	"github.com/wxmenu/wxmenu/reconcile/render"
)

// format is wxmenu fmt: it formats the files named, else the project's,
// each on its own (a file that does not parse is reported and left as it
// is, the others are formatted), and lists those it rewrote; with --check
// it rewrites none, lists those that are not formatted with a short diff,
// and fails when there are any.
func (e *env) format(_ context.Context, fl *flags) error {
	files, again := fl.args, "wxmenu fmt"
	for _, f := range files {
		again += " " + render.ShellWord(f)
	}
	if len(files) == 0 {
		p, err := project.ForFormat(fl.config)
		if err != nil {
			return err
		}
		if p == nil {
			return cmdline.Fail(cmdline.ExitError, "name the files, e.g. wxmenu fmt menus.yaml, or run it where wxmenu.yaml is (or with --config FILE)",
				"no file to format: no %s here", project.DefaultFile)
		}
		if fl.config != "" {
			again += " --config " + render.ShellWord(fl.config)
		}
		files = format.Files(p)
	}
	problems, unformatted := 0, 0
	for _, path := range files {
		f, err := format.Read(path)
		if err == nil && !fl.check {
			err = f.Write()
		}
		if err != nil {
			problems++
			cmdline.Report(e.stderr, err, e.globals, func(s string) string { return s }) // fmt reads no credentials
			continue
		}
		if !f.Changed() {
			continue
		}
		unformatted++
		fmt.Fprintln(e.stdout, literal.Line(path))
		if fl.check {
			for _, line := range format.Diff(f.Data, f.Formatted) {
				fmt.Fprintln(e.stdout, "  "+literal.Line(line))
			}
		}
	}
	if fl.check && unformatted > 0 {
		what, them := "1 file is", "it"
		if unformatted > 1 {
			what, them = fmt.Sprintf("%d files are", unformatted), "them"
		}
		hint := "format " + them + " with: " + again
		if problems > 0 {
			hint = "fix the problems above, then format the files with: " + again
		}
		return cmdline.Fail(cmdline.ExitError, hint, "%s not formatted", what)
	}
	return cmdline.ExitForProblems(problems, nil)
}

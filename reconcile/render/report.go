package render

import (
	"fmt"
	"io"

	"github.com/wxmenu/wxmenu/internal/i18n"
	"github.com/wxmenu/wxmenu/internal/literal"
	"github.com/wxmenu/wxmenu/reconcile"
	"github.com/wxmenu/wxmenu/reconcile/fleet"
	"github.com/wxmenu/wxmenu/reconcile/project"
)

// Report writes the report of a plan or apply run (or of a saved plan,
// show) in format. For a menus file (opts.Project "") that is its plan in
// format (a blocked one too), or after apply what a stopped apply did
// (text; its plan and steps were shown as they came, see Applying) or
// apply's one JSON document; its problem is the caller's to print. For a
// project it is the report in text, json, html or markdown: as comment
// parts on w, or each to markdownDir/plan-part-N.md when markdownDir is
// not "" (saying so on errw).
func Report(w, errw io.Writer, rep *fleet.Report, format string, opts Options, markdownDir string) error {
	if opts.Project == "" {
		r := rep.Outcomes[0].Result
		switch {
		case rep.Applying && format == "json":
			return ApplyJSON(w, r)
		case rep.Applying:
			ApplySummary(w, opts.Printer, r)
			return nil
		case r.Plan == nil:
			return nil
		}
		show, err := ForFormatWith(format, opts)
		if err != nil {
			return err
		}
		return show(w, r.Plan)
	}
	switch format {
	case "json":
		return FleetJSON(w, rep, opts)
	case "html":
		return FleetHTML(w, rep, opts)
	case "markdown", "md":
		n, err := WriteFleetMarkdown(w, rep, opts, markdownDir)
		if err == nil && markdownDir != "" {
			fmt.Fprintf(errw, "wxmenu: wrote %d comment parts to %s\n", n, markdownDir)
		}
		return err
	}
	return FleetText(w, rep, opts)
}

// Applying sets what apply on a menus file shows as it runs, as text: the
// plan it made (none for a saved plan, which was reviewed), then a line
// once the plan passed its checks and one per step.
func Applying(opts *fleet.Options, w io.Writer, tr *i18n.Printer, color, saved bool) {
	if !saved {
		opts.Show = func(rep *fleet.Report) {
			if p := rep.Outcomes[0].Result.Plan; p != nil {
				Text(w, p, Options{Color: color, Applying: true, Printer: tr})
			}
		}
	}
	opts.Progress = func(a project.Account, ev reconcile.ProgressEvent) {
		if ev.Index == 0 && ev.Result == nil {
			fmt.Fprintf(w, "\n%s\n", tr.Msg("Applying %d steps to account %s", ev.Total, literal.Line(a.AppID)))
		}
		Progress(w, tr, ev, color)
	}
}

// named prefixes a line about an account of a project with its name; the
// account of a menus file has none.
func named(name string) string {
	if name == "" {
		return ""
	}
	return name + ": "
}

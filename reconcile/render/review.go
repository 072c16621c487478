package render

import (
	"bufio"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/wxmenu/wxmenu/reconcile/plans"
	"github.com/wxmenu/wxmenu/reconcile/preview"
)

// Plans saved before the review fields existed have no audience table and
// are shown without one.

// blockedLines words a blocked plan's banner: what blocks it and how to
// allow it, one line each.
func blockedLines(p *plans.Plan) []string {
	var out, flags []string
	for _, v := range p.Blocked {
		out = append(out, fmt.Sprintf("%s (rail %s, override --%s)", oneLine(v.Message), v.Rail, v.Override))
		if f := "--" + v.Override; !slices.Contains(flags, f) {
			flags = append(flags, f)
		}
	}
	out = append(out, fmt.Sprintf("if this is intended, plan again with %s (the override is recorded in the plan and the audit log)", strings.Join(flags, " ")))
	return out
}

// audienceTable is the "who sees what" table, its header first, each
// cell made safe by cell.
func audienceTable(p *plans.Plan, cell func(string) string) [][]string {
	rows := [][]string{{"audience", "now", "after apply", "changed"}}
	for _, r := range p.Audiences {
		rows = append(rows, []string{cell(r.Label), cell(seenLabel(r.Before)), cell(seenLabel(r.After)), cell(changeWord(r))})
	}
	return rows
}

// changeWord is the "changed" cell of an audience row.
func changeWord(r plans.AudienceRow) string {
	switch {
	case r.Lost:
		return "yes, loses its personalized menu"
	case r.Changed && r.Before.Name != r.After.Name:
		return "yes, another menu"
	case r.Changed:
		return "yes, new buttons"
	}
	return "no"
}

// seenLabel names the menu a row sees, marked new when the plan creates it.
func seenLabel(s plans.Seen) string {
	name := oneLine(s.Name)
	switch {
	case s.Kind == plans.KindConditional && s.MenuID == "":
		name += " (new)"
	case s.Unmanaged:
		name += " (unmanaged)"
	}
	return name
}

// transientLines say which audiences see a menu during apply that they see
// neither before nor after (a delete ordered first under a WeChat cap).
func transientLines(p *plans.Plan) []string {
	var out []string
	for _, r := range p.Audiences {
		for _, t := range r.Transient {
			what := seenLabel(t.Seen)
			if t.Seen.Kind == plans.KindDefault {
				what = "the default menu"
			}
			out = append(out, fmt.Sprintf("%s sees %s %s", oneLine(r.Label), what, stepsWhile(t.Steps, len(p.Steps))))
		}
	}
	return out
}

// stepsWhile says when a transient menu is seen: "after step 2 until step 3".
func stepsWhile(steps []int, total int) string {
	first, last := steps[0], steps[len(steps)-1]
	if last >= total {
		return fmt.Sprintf("from step %d on", first)
	}
	return fmt.Sprintf("after step %d until step %d", first, last+1)
}

// priorityLines list the conditional menus after apply, in the order WeChat
// tries them.
func priorityLines(p *plans.Plan) []string {
	var out []string
	for i, m := range p.Priority {
		mark := "created by this plan"
		switch {
		case m.Unmanaged:
			mark = "unmanaged"
		case m.Kept:
			mark = "kept"
		}
		out = append(out, fmt.Sprintf("%d. %s (%s, %s)", i+1, oneLine(m.Name), m.MatchRule.Describe(p.TagNames), mark))
	}
	return out
}

// provenanceLine says when and where the plan was made; "" without CI
// variables.
func provenanceLine(p *plans.Plan) string {
	pv := p.Provenance
	if pv == nil {
		return ""
	}
	s := "made " + p.CreatedAt.UTC().Format(time.RFC3339)
	if pv.Commit != "" {
		s += " from commit " + oneLine(pv.Commit)
	}
	if pv.Repository != "" {
		s += " of " + oneLine(pv.Repository)
	}
	if pv.RunURL != "" {
		s += " in " + oneLine(pv.RunURL)
	}
	return s
}

// planCommand is the command that plans the project (account "") or one
// account of it again, saving the plan to out, as opts say the run was
// made; --config is left out for the default ./wxmenu.yaml.
func planCommand(opts Options, account, out string) string {
	cmd := wxmenu(opts) + " plan"
	if opts.Project != "" {
		// Even ./wxmenu.yaml: a shell with WXMENU_CONFIG set would plan
		// another project.
		cmd += " --config " + ShellWord(opts.Project)
	}
	if account != "" {
		cmd += " --account " + ShellWord(account)
	}
	return cmd + " --out " + ShellWord(out)
}

// applyHint says how to apply the plan, without a leading capital: run
// opts.SavedAs, the plan's file when it was read from one, or save the
// plan of its menus file, or of its account of a project, and apply that.
func applyHint(p *plans.Plan, opts Options, code func(string) string) string {
	if p.IsBlocked() {
		return "nothing, while it is blocked; plan again with the override once the change is intended"
	}
	refuses := "; apply refuses it if the account or " + planFileLabel(p) + " changed since"
	if opts.SavedAs != "" {
		apply := wxmenu(opts) + " apply "
		if opts.Account != "" { // one account of a project's plan, not all of them
			apply += "--account " + ShellWord(opts.Account) + " "
		}
		return "run " + code(apply+ShellWord(opts.SavedAs)) + refuses
	}
	save := wxmenu(opts) + " plan -f " + ShellWord(planFileLabel(p)) + " --out plan.json"
	if opts.Account != "" {
		save = planCommand(opts, opts.Account, "plan.json")
	}
	return "save this plan with " + code(save) + ", then run " + code(wxmenu(opts)+" apply plan.json") + refuses
}

// textReview writes the review sections of a plan with changes for a
// terminal.
func textReview(w *bufio.Writer, p *plans.Plan, paint func(code, s string) string) {
	if len(p.Audiences) > 0 {
		fmt.Fprintf(w, "\n%s\n", paint(ansiBold, "Who sees what:"))
		for k, line := range columns(audienceTable(p, oneLine)) {
			line = strings.TrimRight("  "+line, " ")
			switch {
			case k == 0:
				line = paint(ansiBold, line)
			case p.Audiences[k-1].Lost:
				line = paint(ansiRed, line)
			case p.Audiences[k-1].Changed:
				line = paint(ansiYellow, line)
			}
			fmt.Fprintln(w, line)
		}
	}
	textSection(w, paint, "During apply:", transientLines(p))
	textSection(w, paint, "Conditional menus after apply, in the order WeChat tries them:", priorityLines(p))
}

// textSection writes a titled section of lines for a terminal; nothing
// without lines.
func textSection(w io.Writer, paint func(code, s string) string, title string, lines []string) {
	if len(lines) == 0 {
		return
	}
	fmt.Fprintf(w, "\n%s\n", paint(ansiBold, title))
	for _, l := range lines {
		fmt.Fprintln(w, "  "+l)
	}
}

// mdBanner writes a blocked plan's banner, a GitHub alert that renders as
// a red "Caution" box (and as a plain quote elsewhere), and a blank line.
func mdBanner(w *bufio.Writer, p *plans.Plan) {
	if !p.IsBlocked() {
		return
	}
	fmt.Fprint(w, "\n> [!CAUTION]\n> **This plan is blocked**: a safety rail stops it, so it cannot be saved or applied.\n")
	for _, l := range blockedLines(p) {
		fmt.Fprintf(w, ">\n> %s\n", mdText(l))
	}
	fmt.Fprintln(w)
}

// mdReview writes the review sections of a plan with changes: the
// audience table, the phone pictures of the changed menus, what followers
// see during apply and the final priority order.
func mdReview(w *bufio.Writer, p *plans.Plan) {
	if len(p.Audiences) > 0 {
		fmt.Fprint(w, "\n**Who sees what**\n")
		mdTable(w, "| --- | --- | --- | --- |", audienceTable(p, mdCell))
		if slices.ContainsFunc(p.Audiences, func(r plans.AudienceRow) bool { return r.Changed }) {
			fmt.Fprintf(w, "\n**On the phone**, before and after\n\n%s", preview.Markdown(preview.FromRows(p.Audiences)))
		}
	}
	mdSection(w, "**During apply**", "- ", transientLines(p))
	mdSection(w, "**Conditional menus after apply**, in the order WeChat tries them (the first that matches wins)", "", priorityLines(p))
}

// mdSection writes a headed Markdown section of lines, each after bullet;
// nothing without lines.
func mdSection(w io.Writer, heading, bullet string, lines []string) {
	if len(lines) == 0 {
		return
	}
	fmt.Fprintf(w, "\n%s\n\n", heading)
	for _, l := range lines {
		fmt.Fprintf(w, "%s%s\n", bullet, mdText(l))
	}
}

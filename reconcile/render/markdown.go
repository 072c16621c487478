package render

import (
	"bufio"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/wxmenu/wxmenu/internal/i18n"
	"github.com/wxmenu/wxmenu/internal/literal"
	"github.com/wxmenu/wxmenu/reconcile/canon"
	"github.com/wxmenu/wxmenu/reconcile/plans"
)

// Markdown writes the plan as a pull-request comment. The first line
// is a hidden marker, `<!-- wxmenu-plan: appid=… file=… -->`, by which CI
// finds and updates its earlier comment (not for an account of a project,
// opts.Account: the project's comment parts have their own); then one
// summary line, a table of steps, the button changes in <details> blocks,
// the kept menus, the warnings and the calls spent.
func Markdown(w io.Writer, p *plans.Plan, opts Options) error {
	bw := bufio.NewWriter(w)
	tr := opts.Printer
	// The marker is for machines: the file as the plan names it.
	if opts.Account == "" && opts.Group == 0 {
		fmt.Fprintf(bw, "<!-- wxmenu-plan: appid=%s file=%s -->\n", mdComment(p.AppID), mdComment(planFileLabel(nil, p)))
	}
	file := planFileLabel(tr, p)
	mdBanner(bw, tr, p)
	if line := snapshotLine(tr, p); line != "" {
		fmt.Fprintf(bw, "> [!WARNING]\n> %s%s\n\n", literal.Markdown(line), tr.Msg("."))
	}
	if !p.HasChanges() {
		fmt.Fprintln(bw, tr.Msg("**wxmenu plan** for %s from %s: no changes. The account matches %s.",
			mdCode(p.AppID), mdCode(file), mdCode(file)))
	} else {
		if opts.Group > 0 {
			fmt.Fprintln(bw, tr.Msg("**wxmenu plan** for %d accounts from %s: %s.", i18n.Grouped(opts.Group), mdCode(file), planSummary(tr, p)))
		} else {
			fmt.Fprintln(bw, tr.Msg("**wxmenu plan** for %s from %s: %s.", mdCode(p.AppID), mdCode(file), planSummary(tr, p)))
		}
		if line := provenanceLine(tr, p); line != "" {
			fmt.Fprintf(bw, "\n%s\n", literal.Markdown(capitalize(line)))
		}
		rows := [][]string{{"#", tr.Msg("action"), tr.Msg("menu"), tr.Msg("matchrule"), tr.Msg("reason")}}
		for i, s := range p.Steps {
			rows = append(rows, []string{fmt.Sprint(i + 1), mdActionLabel(tr, s), literal.Markdown(stepName(tr, s)), literal.Markdown(stepRule(tr, p, s)), literal.Markdown(stepReason(tr, p, s))})
		}
		mdTable(bw, "| ---: | --- | --- | --- | --- |", rows)
		for i, s := range p.Steps {
			if !mdShowButtons(p, s) {
				continue
			}
			body := strings.Join(buttonDiff(s.Before, s.After), "\n")
			fence := backticks(body, 3)
			fmt.Fprintf(bw, "\n<details><summary>%d. %s: %s</summary>\n\n%sdiff\n%s\n%s\n\n</details>\n",
				i+1, literal.Markdown(stepName(tr, s)), mdButtonsTitle(tr, s), fence, body, fence)
		}
		mdReview(bw, tr, p)
	}
	if len(p.Kept) > 0 {
		fmt.Fprint(bw, "\n"+tr.Msg("**Kept as they are** (newest first)")+"\n")
		rows := [][]string{{tr.Msg("menu"), tr.Msg("matchrule"), tr.Msg("menuid")}}
		for _, k := range p.Kept {
			name := literal.Markdown(k.Name)
			if k.Unmanaged {
				name = tr.Msg("%s (unmanaged)", name)
			}
			rows = append(rows, []string{name, literal.Markdown(k.MatchRule.DescribeIn(tr, p.TagNames)), literal.Markdown(k.MenuID)})
		}
		mdTable(bw, "| --- | --- | --- |", rows)
	}
	section(bw, tr.Msg("**Warnings**")+"\n", "- ", warnings(tr, p), literal.Markdown)
	if p.HasChanges() {
		fmt.Fprintf(bw, "\n%s\n", tr.Msg("**Quota**: %s", strings.ReplaceAll(callsSummary(tr, p), "\u00a0", " ")))
		if !opts.Applying {
			fmt.Fprintf(bw, "\n%s\n", tr.Msg("**To apply**: %s.", applyHint(p, opts, mdCode)))
		}
	}
	if len(p.Overrides) > 0 {
		fmt.Fprintf(bw, "\n%s\n", tr.Msg("**Overrides used**: %s", mdCode(strings.Join(p.Overrides, ", "))))
	}
	return bw.Flush()
}

// mdActionLabel is actionLabel in Markdown, a delete of every menu in
// bold.
func mdActionLabel(tr *i18n.Printer, s plans.Step) string {
	if s.Action == plans.ActionDeleteAll {
		return "**" + actionLabel(tr, s) + "**"
	}
	return literal.Markdown(actionLabel(tr, s))
}

// mdShowButtons reports whether a step's buttons are worth a block: not
// for a menu recreated unchanged, nor for the delete of a menu whose
// replacement already shows the change.
func mdShowButtons(p *plans.Plan, s plans.Step) bool {
	switch {
	case len(s.Before) == 0 && len(s.After) == 0, s.Before != nil && canon.SameButtons(s.Before, s.After):
		return false
	case s.Action == plans.ActionDelConditional:
		return !slices.ContainsFunc(p.Steps, func(c plans.Step) bool {
			return c.Action == plans.ActionAddConditional && c.Name == s.Name && c.Before != nil && canon.SameButtons(c.Before, s.Before)
		})
	}
	return true
}

func mdButtonsTitle(tr *i18n.Printer, s plans.Step) string {
	switch {
	case len(s.Before) == 0:
		return tr.Msg("new buttons")
	case len(s.After) == 0:
		return tr.Msg("buttons deleted")
	}
	return tr.Msg("buttons changed")
}

// mdTable writes a table after a blank line: its header row (rows[0]),
// the delimiter row and the other rows, every cell Markdown already.
func mdTable(w io.Writer, delimiter string, rows [][]string) {
	fmt.Fprintf(w, "\n| %s |\n%s\n", strings.Join(rows[0], " | "), delimiter)
	for _, row := range rows[1:] {
		fmt.Fprintf(w, "| %s |\n", strings.Join(row, " | "))
	}
}

// mdCode wraps s in a code span long enough for the backticks inside it,
// which shows it as it is (one literal.Line).
func mdCode(s string) string {
	s = literal.Line(s)
	ticks := backticks(s, 1)
	if strings.HasPrefix(s, "`") || strings.HasSuffix(s, "`") {
		return ticks + " " + s + " " + ticks
	}
	return ticks + s + ticks
}

// mdComment keeps a value from closing the HTML comment it is put in.
func mdComment(s string) string {
	return strings.NewReplacer("--", "- -", ">", "&gt;").Replace(literal.Line(s))
}

// backticks is the shortest run of at least n backticks that s does not
// hold: a code span or fence that s cannot close.
func backticks(s string, n int) string {
	ticks := strings.Repeat("`", n)
	for strings.Contains(s, ticks) {
		ticks += "`"
	}
	return ticks
}

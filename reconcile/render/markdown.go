package render

import (
	"bufio"
	"fmt"
	"io"
	"slices"
	"strings"

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
	file := planFileLabel(p)
	if opts.Account == "" && opts.Group == 0 {
		fmt.Fprintf(bw, "<!-- wxmenu-plan: appid=%s file=%s -->\n", mdComment(p.AppID), mdComment(file))
	}
	mdBanner(bw, p)
	if line := snapshotLine(p); line != "" {
		fmt.Fprintf(bw, "> [!WARNING]\n> %s.\n\n", literal.Markdown(line))
	}
	if !p.HasChanges() {
		fmt.Fprintf(bw, "**wxmenu plan** for %s from %s: no changes. The account matches %s.\n",
			mdCode(p.AppID), mdCode(file), mdCode(file))
	} else {
		if opts.Group > 0 {
			fmt.Fprintf(bw, "**wxmenu plan** for %s from %s: %s.\n", Count(opts.Group, "account"), mdCode(file), planSummary(p))
		} else {
			fmt.Fprintf(bw, "**wxmenu plan** for %s from %s: %s.\n", mdCode(p.AppID), mdCode(file), planSummary(p))
		}
		if line := provenanceLine(p); line != "" {
			fmt.Fprintf(bw, "\n%s\n", literal.Markdown(strings.ToUpper(line[:1])+line[1:]))
		}
		rows := [][]string{{"#", "action", "menu", "matchrule", "reason"}}
		for i, s := range p.Steps {
			rows = append(rows, []string{fmt.Sprint(i + 1), mdActionLabel(s), literal.Markdown(s.Name), literal.Markdown(stepRule(p, s)), literal.Markdown(s.Reason)})
		}
		mdTable(bw, "| ---: | --- | --- | --- | --- |", rows)
		for i, s := range p.Steps {
			if !mdShowButtons(p, s) {
				continue
			}
			body := strings.Join(buttonDiff(s.Before, s.After), "\n")
			fence := backticks(body, 3)
			fmt.Fprintf(bw, "\n<details><summary>%d. %s: %s</summary>\n\n%sdiff\n%s\n%s\n\n</details>\n",
				i+1, literal.Markdown(s.Name), mdButtonsTitle(s), fence, body, fence)
		}
		mdReview(bw, p)
	}
	if len(p.Kept) > 0 {
		fmt.Fprint(bw, "\n**Kept as they are** (newest first)\n")
		rows := [][]string{{"menu", "matchrule", "menuid"}}
		for _, k := range p.Kept {
			name := literal.Markdown(k.Name)
			if k.Unmanaged {
				name += " (unmanaged)"
			}
			rows = append(rows, []string{name, literal.Markdown(k.MatchRule.Describe(p.TagNames)), literal.Markdown(k.MenuID)})
		}
		mdTable(bw, "| --- | --- | --- |", rows)
	}
	section(bw, "**Warnings**\n", "- ", p.Warnings, literal.Markdown)
	if p.HasChanges() {
		fmt.Fprintf(bw, "\n**Quota**: %s\n", strings.ReplaceAll(callsSummary(p), "\u00a0", " "))
		fmt.Fprintf(bw, "\n**To apply**: %s.\n", applyHint(p, opts, mdCode))
	}
	if len(p.Overrides) > 0 {
		fmt.Fprintf(bw, "\n**Overrides used**: %s\n", mdCode(strings.Join(p.Overrides, ", ")))
	}
	return bw.Flush()
}

// mdActionLabel is actionLabel in Markdown, a delete of every menu in
// bold.
func mdActionLabel(s plans.Step) string {
	if s.Action == plans.ActionDeleteAll {
		return "**" + actionLabel(s) + "**"
	}
	return literal.Markdown(actionLabel(s))
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

func mdButtonsTitle(s plans.Step) string {
	switch {
	case len(s.Before) == 0:
		return "new buttons"
	case len(s.After) == 0:
		return "buttons deleted"
	}
	return "buttons changed"
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

package render

import (
	"bufio"
	"fmt"
	"html"
	"io"
	"strings"

	"github.com/wxmenu/wxmenu/reconcile/canon"
	"github.com/wxmenu/wxmenu/reconcile/plans"
)

// Markdown writes the plan as a pull-request comment. The first line
// is a hidden marker, `<!-- wxmenu-plan: appid=… file=… -->`, by which CI
// finds and updates its earlier comment; then one summary line, a table of
// steps, the button changes in <details> blocks, the kept menus, the
// warnings and the calls spent.
func Markdown(w io.Writer, p *plans.Plan) error { return markdown(w, p, Options{}) }

func markdown(w io.Writer, p *plans.Plan, opts Options) error {
	bw := bufio.NewWriter(w)
	file := planFileLabel(p)
	fmt.Fprintf(bw, "<!-- wxmenu-plan: appid=%s file=%s -->\n", mdComment(p.AppID), mdComment(file))
	mdBanner(bw, p)
	if p.IsBlocked() {
		fmt.Fprintln(bw)
	}
	if !p.HasChanges() {
		fmt.Fprintf(bw, "**wxmenu plan** for %s from %s: no changes. The account matches %s.\n",
			mdCode(p.AppID), mdCode(file), mdCode(file))
	} else {
		fmt.Fprintf(bw, "**wxmenu plan** for %s from %s: %s.\n", mdCode(p.AppID), mdCode(file), planSummary(p))
		if line := provenanceLine(p); line != "" {
			fmt.Fprintf(bw, "\n%s\n", mdText(strings.ToUpper(line[:1])+line[1:]))
		}
		fmt.Fprint(bw, "\n| # | action | menu | matchrule | reason |\n| ---: | --- | --- | --- | --- |\n")
		for i, s := range p.Steps {
			rule := ""
			if s.MatchRule != nil {
				rule = s.MatchRule.Describe(p.TagNames)
			}
			fmt.Fprintf(bw, "| %d | %s | %s | %s | %s |\n", i+1, mdActionLabel(s), mdCell(s.Name), mdCell(rule), mdCell(s.Reason))
		}
		for i, s := range p.Steps {
			if !mdShowButtons(p, s) {
				continue
			}
			var lines []string
			for _, d := range buttonDiff(s.Before, s.After) {
				lines = append(lines, string(d.op)+" "+d.text)
			}
			body := strings.Join(lines, "\n")
			fence := mdFence(body)
			fmt.Fprintf(bw, "\n<details><summary>%d. %s: %s</summary>\n\n%sdiff\n%s\n%s\n\n</details>\n",
				i+1, html.EscapeString(oneLine(s.Name)), mdButtonsTitle(s), fence, body, fence)
		}
	}
	if p.HasChanges() {
		mdReview(bw, p)
	}
	if len(p.Kept) > 0 {
		fmt.Fprint(bw, "\n**Kept as they are** (newest first)\n\n| menu | matchrule | menuid |\n| --- | --- | --- |\n")
		for _, k := range p.Kept {
			name := mdCell(k.Name)
			if k.Unmanaged {
				name += " (unmanaged)"
			}
			fmt.Fprintf(bw, "| %s | %s | %s |\n", name, mdCell(k.MatchRule.Describe(p.TagNames)), mdCell(k.MenuID))
		}
	}
	mdSection(bw, "**Warnings**", "- ", p.Warnings)
	if p.HasChanges() {
		fmt.Fprintf(bw, "\n**Quota**: %s\n", strings.ReplaceAll(callsSummary(p), "\u00a0", " "))
		fmt.Fprintf(bw, "\n**To apply**: %s.\n", applyHint(p, opts, mdCode))
	}
	if len(p.Overrides) > 0 {
		fmt.Fprintf(bw, "\n**Overrides used**: %s\n", mdCode(strings.Join(p.Overrides, ", ")))
	}
	return bw.Flush()
}

func mdActionLabel(s plans.Step) string {
	switch s.Action {
	case plans.ActionCreateDefault:
		if s.Before == nil {
			return "create default"
		}
		return "replace default"
	case plans.ActionAddConditional:
		return "create"
	case plans.ActionDelConditional:
		if s.DeleteFirst {
			return "delete (first)"
		}
		return "delete"
	case plans.ActionDeleteAll:
		return "**delete all**"
	}
	return mdCell(string(s.Action))
}

// mdShowButtons reports whether a step's buttons are worth a block: not
// for a menu recreated unchanged, nor for the delete of a menu whose
// replacement already shows the change.
func mdShowButtons(p *plans.Plan, s plans.Step) bool {
	switch {
	case len(s.Before) == 0 && len(s.After) == 0, buttonsUnchanged(s):
		return false
	case s.Action == plans.ActionDelConditional:
		for _, c := range p.Steps {
			if c.Action == plans.ActionAddConditional && c.Name == s.Name &&
				c.Before != nil && canon.CanonicalButtons(c.Before) == canon.CanonicalButtons(s.Before) {
				return false
			}
		}
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

// mdCell makes text safe inside a table cell: one line, `|` escaped, and
// `<` escaped so no HTML tag is opened.
func mdCell(s string) string {
	s = strings.ReplaceAll(oneLine(s), "\\", "\\\\")
	s = strings.ReplaceAll(s, "|", "\\|")
	return strings.ReplaceAll(s, "<", "&lt;")
}

// mdText makes text safe in a list item: one line, no HTML tag opened.
func mdText(s string) string {
	return strings.ReplaceAll(oneLine(s), "<", "&lt;")
}

// mdCode wraps s in a code span long enough for the backticks inside it.
func mdCode(s string) string {
	s = oneLine(s)
	ticks := strings.Repeat("`", longestRun(s, '`')+1)
	if strings.HasPrefix(s, "`") || strings.HasSuffix(s, "`") {
		return ticks + " " + s + " " + ticks
	}
	return ticks + s + ticks
}

// mdFence returns a code fence longer than any backtick run in body.
func mdFence(body string) string {
	return strings.Repeat("`", max(3, longestRun(body, '`')+1))
}

// mdComment keeps a value from closing the HTML comment it is put in.
func mdComment(s string) string {
	s = strings.ReplaceAll(oneLine(s), "--", "- -")
	return strings.ReplaceAll(s, ">", "&gt;")
}

func longestRun(s string, c rune) int {
	best, n := 0, 0
	for _, r := range s {
		if r == c {
			n++
			best = max(best, n)
		} else {
			n = 0
		}
	}
	return best
}

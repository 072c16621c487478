package render

import (
	"bufio"
	"cmp"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode"

	"github.com/wxmenu/wxmenu/internal/literal"
	"github.com/wxmenu/wxmenu/internal/textwidth"
	"github.com/wxmenu/wxmenu/reconcile/desired"
	"github.com/wxmenu/wxmenu/reconcile/plans"
	"github.com/wxmenu/wxmenu/wechat"
)

// Options configure Text.
type Options struct {
	// Color adds ANSI colours, for terminals.
	Color bool
	// Applying leaves out how to apply the plan: apply -f shows it and
	// applies it next.
	Applying bool
	// SavedAs is the file the plan was read from (show), so "how to apply"
	// names it instead of saving the plan first.
	SavedAs string
	// Globals are the global flags every printed command repeats
	// (--sandbox), so that it runs against the account the plan is for.
	Globals []string
	// Project and Account name the project file and the account of a
	// project's plan: the commands printed plan that account of that
	// project, never a menus file with whatever credentials the shell
	// holds. Both "" for a plan of one menus file (-f).
	Project, Account string
	// AuditLog is the audit log of the run (--audit-log), which a command
	// that plans back to an apply's state (--restore) must name.
	AuditLog string
	// Group, when above 0, is the number of accounts of a project that
	// share the plan shown (plans.Shared, see group.go): it is shown once
	// for all of them, with no appid, and applied with the project's plan.
	Group int
}

const (
	ansiReset  = "\x1b[0m"
	ansiBold   = "\x1b[1m"
	ansiRed    = "\x1b[31m"
	ansiGreen  = "\x1b[32m"
	ansiYellow = "\x1b[33m"
	ansiCyan   = "\x1b[36m"
)

// Text writes the plan for a terminal: a header, one line per step
// with its sign (+ create, - delete, ~ default replaced, ! delete all) and
// reason, button changes under creates, the kept menus, the warnings and a
// summary of the calls.
func Text(w io.Writer, p *plans.Plan, opts Options) error {
	bw := bufio.NewWriter(w)
	paint := func(code, s string) string { return paintIf(opts.Color, code, s) }
	file := literal.Line(planFileLabel(p))
	if opts.Group > 0 {
		fmt.Fprintf(bw, "%s %s, from %s\n", paint(ansiBold, "wxmenu plan for"), Count(opts.Group, "account"), file)
	} else {
		fmt.Fprintf(bw, "%s %s, from %s\n", paint(ansiBold, "wxmenu plan for account"), literal.Line(p.AppID), file)
	}
	if line := literal.Line(provenanceLine(p)); line != "" {
		fmt.Fprintln(bw, strings.ToUpper(line[:1])+line[1:])
	}
	if line := snapshotLine(p); line != "" {
		fmt.Fprintln(bw, paint(ansiYellow, literal.Line(line)+"."))
	}
	if p.IsBlocked() {
		red := func(l string) string { return paint(ansiRed, literal.Line(l)) }
		section(bw, paint(ansiRed+ansiBold, blockedHeading), "  ", blockedLines(p), red)
	}

	if !p.HasChanges() {
		fmt.Fprintf(bw, "\n%s\n", paint(ansiGreen, "No changes. The account matches "+file+"."))
		textKeptAndWarnings(bw, p, paint)
		return bw.Flush()
	}

	var rows [][]string
	for _, s := range p.Steps {
		rows = append(rows, []string{literal.Line(s.Name), literal.Line(stepRule(p, s)), literal.Line(s.Reason)})
	}
	fmt.Fprintln(bw)
	for i, line := range columns(rows) {
		s := p.Steps[i]
		sign := s.Sign()
		fmt.Fprintln(bw, strings.TrimRight("  "+paint(signColour[sign], sign)+" "+line, " "))
		// The buttons of a deleted menu are listed too (as Markdown does),
		// so a reviewer sees what followers lose.
		if mdShowButtons(p, s) {
			for _, d := range buttonDiff(s.Before, s.After) {
				fmt.Fprintln(bw, "      "+paint(signColour[d[:1]], d))
			}
		}
	}
	textReview(bw, p, paint)
	textKeptAndWarnings(bw, p, paint)
	fmt.Fprintf(bw, "\n%s\n", paint(ansiBold, "Plan: "+planSummary(p)+"."))
	fmt.Fprintln(bw, strings.Join(wrapWords("Calls: "+callsSummary(p), textWidth), "\n"))
	if !opts.Applying {
		fmt.Fprintf(bw, "To apply: %s.\n", applyHint(p, opts, literal.Line))
	}
	return bw.Flush()
}

func textKeptAndWarnings(w io.Writer, p *plans.Plan, paint func(code, s string) string) {
	var rows [][]string
	for _, k := range p.Kept {
		note := "menuid " + literal.Line(k.MenuID)
		if k.Unmanaged {
			note += ", unmanaged"
		}
		rows = append(rows, []string{literal.Line(k.Name), literal.Line(k.MatchRule.Describe(p.TagNames)), note})
	}
	section(w, paint(ansiBold, "Kept as they are (newest first):"), "  "+paint(ansiCyan, "=")+" ", columns(rows), literal.Line)
	section(w, paint(ansiBold, "Warnings:"), "  "+paint(ansiYellow, "!")+" ", p.Warnings, literal.Line)
}

// columns lines up rows of cells for a terminal: every cell but the last
// of a row padded to the widest of its column (textwidth), two spaces
// between cells.
func columns(rows [][]string) []string {
	var widths []int
	for _, row := range rows {
		for i, c := range row {
			if i == len(widths) {
				widths = append(widths, 0)
			}
			widths[i] = max(widths[i], textwidth.String(c))
		}
	}
	lines := make([]string, len(rows))
	for k, row := range rows {
		for i, c := range row[:len(row)-1] {
			lines[k] += c + strings.Repeat(" ", widths[i]-textwidth.String(c)+2)
		}
		lines[k] += row[len(row)-1]
	}
	return lines
}

// signColour is the colour of a step's sign or a button diff line's.
var signColour = map[string]string{"+": ansiGreen, "-": ansiRed, "~": ansiYellow, "!": ansiBold + ansiRed}

// stepRule describes the matchrule of a step; "" for the default menu.
func stepRule(p *plans.Plan, s plans.Step) string {
	if s.MatchRule == nil {
		return ""
	}
	return s.MatchRule.Describe(p.TagNames)
}

func planFileLabel(p *plans.Plan) string {
	return cmp.Or(p.DesiredFile, "the desired state")
}

// planSummary counts what the plan changes, e.g. "2 to create, 2 to delete,
// default menu replaced", or "no changes".
func planSummary(p *plans.Plan) string {
	if !p.HasChanges() {
		return "no changes"
	}
	if len(p.Steps) == 1 && p.Steps[0].Action == plans.ActionDeleteAll {
		return "every menu deleted (menu/delete)"
	}
	creates, deletes := 0, 0
	var extra []string
	for _, s := range p.Steps {
		switch s.Action {
		case plans.ActionAddConditional:
			creates++
		case plans.ActionDelConditional:
			deletes++
		case plans.ActionCreateDefault:
			if s.Before == nil {
				extra = append(extra, "default menu created")
			} else {
				extra = append(extra, "default menu replaced")
			}
		case plans.ActionDeleteAll:
			extra = append(extra, "every menu deleted")
		}
	}
	parts := []string{fmt.Sprintf("%d to create", creates), fmt.Sprintf("%d to delete", deletes)}
	return strings.Join(append(parts, extra...), ", ")
}

// endpointOrder is the order calls are listed in summaries.
var endpointOrder = []string{"menu/create", "menu/delete", "menu/addconditional", "menu/delconditional"}

// callsSummary lists the calls the plan spends against the daily quotas.
func callsSummary(p *plans.Plan) string {
	var calls, quotas []string
	for _, e := range endpointOrder {
		if n := p.Quota[e]; n > 0 {
			// A non-breaking space keeps an endpoint and its count together
			// when wrapWords folds the line.
			calls = append(calls, fmt.Sprintf("%s\u00a0%d", e, n))
			quotas = append(quotas, fmt.Sprint(wechat.DailyQuotas()[e]))
		}
	}
	read := ""
	if p.Reads["get_current_selfmenu_info"] > 0 {
		// ReadLive's console check: menu/get reported no menu.
		read = fmt.Sprintf(" Planning read the account %d times (menu/get, get_current_selfmenu_info).", p.Reads["menu/get"]+p.Reads["get_current_selfmenu_info"])
	}
	if len(calls) == 0 {
		return "none." + read
	}
	of := "of\u00a0daily\u00a0quotas"
	if len(quotas) == 1 {
		of = "of\u00a0daily\u00a0quota"
	}
	s := fmt.Sprintf("%s (%s\u00a0%s); apply also reads menu/get twice.%s", strings.Join(calls, ", "), of, strings.Join(quotas, "/"), read)
	if p.Reads["tags/get"] > 0 {
		s += " Planning read menu/get and tags/get (for the tags: map) once each."
	}
	return s
}

// ButtonLines renders buttons as indented readable lines for people:
// parents by name, their sub-buttons indented two spaces, leaves as
// `name [type] field=value ...`. Control characters are made harmless.
func ButtonLines(bs []wechat.Button) []string {
	var out []string
	for _, b := range bs {
		if len(b.SubButtons) > 0 {
			out = append(out, lineValue(b.Name))
			for _, line := range ButtonLines(b.SubButtons) {
				out = append(out, "  "+line)
			}
			continue
		}
		line := lineValue(b.Name) + " [" + lineValue(b.Type) + "]"
		for _, f := range wechat.ButtonFields() {
			if v := f.Value(&b); v != "" {
				line += " " + f.Name + "=" + lineValue(v)
			}
		}
		out = append(out, line)
	}
	return out
}

// buttonDiff is a line diff of two button lists (longest common
// subsequence), unchanged lines included: each ButtonLines line after
// "  ", "- " or "+ ".
func buttonDiff(before, after []wechat.Button) []string {
	a, b := ButtonLines(before), ButtonLines(after)
	// lcs[i][j] is the LCS length of a[i:] and b[j:].
	lcs := make([][]int, len(a)+1)
	for i := range lcs {
		lcs[i] = make([]int, len(b)+1)
	}
	for i := len(a) - 1; i >= 0; i-- {
		for j := len(b) - 1; j >= 0; j-- {
			if a[i] == b[j] {
				lcs[i][j] = lcs[i+1][j+1] + 1
			} else {
				lcs[i][j] = max(lcs[i+1][j], lcs[i][j+1])
			}
		}
	}
	var out []string
	i, j := 0, 0
	for i < len(a) || j < len(b) {
		switch {
		case i < len(a) && j < len(b) && a[i] == b[j]:
			out = append(out, "  "+a[i])
			i, j = i+1, j+1
		case i < len(a) && (j == len(b) || lcs[i+1][j] >= lcs[i][j+1]):
			out = append(out, "- "+a[i])
			i++
		default:
			out = append(out, "+ "+b[j])
			j++
		}
	}
	return out
}

// lineValue shows one name or value of a button line: as it is when that
// cannot be misread, quoted Go-style when it holds spaces, control
// characters or quotes, so a value can never pass for another button or
// field.
func lineValue(v string) string {
	if v != "" && !strings.ContainsFunc(v, func(r rune) bool {
		return unicode.IsSpace(r) || unicode.IsControl(r) || r == '"' || !unicode.IsPrint(r)
	}) {
		return v
	}
	return strconv.Quote(v)
}

// printLine writes one line for a terminal, formatted and made safe
// (literal.Line).
func printLine(w io.Writer, format string, args ...any) {
	fmt.Fprintln(w, literal.Line(fmt.Sprintf(format, args...)))
}

// SeenMenu words which declared menu of ds a follower shown buttons sees,
// ending in a colon for the button lines that follow; ds nil means no file
// was given.
func SeenMenu(ds *desired.State, buttons []wechat.Button) string {
	if ds == nil {
		return "this menu (pass -f menus.yaml to name it):"
	}
	var names []string
	for _, m := range ds.MenusShowing(buttons) {
		if m.Default {
			names = append(names, "the default menu")
			continue
		}
		names = append(names, fmt.Sprintf("conditional menu %q (%s)", m.Name, m.MatchRule.Describe(ds.Tags)))
	}
	switch len(names) {
	case 0:
		return "a menu that " + ds.Path + " does not declare (run plan to see the drift):"
	case 1:
		return names[0] + ":"
	}
	return strings.Join(names, " or ") + " (they have the same buttons):"
}

// StateSummary describes a desired state in one phrase, e.g. "default menu
// with 3 buttons, 2 conditional menus".
func StateSummary(ds *desired.State) string {
	if ds.Default == nil && len(ds.Conditional) == 0 {
		return "no menus (the account would be emptied)"
	}
	s := "default menu with " + Count(len(ds.Default.Buttons), "button") + ", " + Count(len(ds.Conditional), "conditional menu")
	if len(ds.Unmanaged) > 0 {
		s += ", " + Count(len(ds.Unmanaged), "unmanaged rule")
	}
	return s
}

// Count is "1 button", "2 buttons", "1,998 accounts": n with a comma
// between groups of three digits.
func Count(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return thousands(n) + " " + noun + "s"
}

// thousands writes a count with a comma between groups of three digits:
// "1,998".
func thousands(n int) string {
	s := strconv.Itoa(n)
	for i := len(s) - 3; i > 0 && s[i-1] != '-'; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

// ForFormatWith returns the plan renderer for format: "text" (with opts,
// coloured when opts.Color is set), "markdown" (or "md"), "json" or "html".
func ForFormatWith(format string, o Options) (func(io.Writer, *plans.Plan) error, error) {
	switch format {
	case "text":
		return func(w io.Writer, p *plans.Plan) error { return Text(w, p, o) }, nil
	case "markdown", "md":
		return func(w io.Writer, p *plans.Plan) error { return Markdown(w, p, o) }, nil
	case "json":
		return plans.Show, nil
	case "html":
		return func(w io.Writer, p *plans.Plan) error { return HTML(w, p, o) }, nil
	}
	return nil, fmt.Errorf("unknown format %q", format)
}

// textWidth is the width the text plan's prose lines are folded to, so a
// terminal never wraps them in the middle of a number.
const textWidth = 80

// wrapWords folds s at spaces into lines of at most width columns (a word
// longer than width gets a line of its own). Non-breaking spaces hold words
// together and are printed as spaces.
func wrapWords(s string, width int) []string {
	var lines []string
	line := ""
	for _, word := range strings.Split(s, " ") { // not Fields: it splits at U+00A0 too
		if word == "" {
			continue
		}
		word = strings.ReplaceAll(word, "\u00a0", " ")
		switch {
		case line == "":
			line = word
		case textwidth.String(line)+1+textwidth.String(word) <= width:
			line += " " + word
		default:
			lines = append(lines, line)
			line = "  " + word
		}
	}
	if line != "" {
		lines = append(lines, line)
	}
	return lines
}

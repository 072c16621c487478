package render

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"unicode/utf8"

	"github.com/wxmenu/wxmenu/internal/atomicfile"
	"github.com/wxmenu/wxmenu/internal/errtext"
	"github.com/wxmenu/wxmenu/internal/i18n"
	"github.com/wxmenu/wxmenu/internal/literal"
	"github.com/wxmenu/wxmenu/reconcile"
	"github.com/wxmenu/wxmenu/reconcile/desired"
	"github.com/wxmenu/wxmenu/reconcile/fleet"
	"github.com/wxmenu/wxmenu/reconcile/plans"
	"github.com/wxmenu/wxmenu/reconcile/project"
)

// A fleet report is shown the way Atlantis shows many projects: what needs
// a reader's attention in full (accounts with changes, failures), every
// unchanged account on one line, and the summary line last (text) or
// first (Markdown).

// FleetText writes a project's plan or apply for a terminal: one section per
// account with changes or a problem, the unchanged accounts on one line,
// then the summary line.
func FleetText(w io.Writer, rep *fleet.Report, projectOpts Options) error {
	tr := projectOpts.Printer
	var unchanged []string
	_, grouped := groups(rep)
	for i, o := range rep.Outcomes {
		r := o.Result
		if g := grouped[i]; g != nil {
			if g.outcomes[0].Name == o.Name {
				if err := textGroup(w, g, projectOpts, rep.Applying); err != nil {
					return err
				}
			}
			continue
		}
		opts := accountOptions(projectOpts, rep, o)
		if r.Status == reconcile.StatusPaused {
			continue // listed on one line below
		}
		if r.Status == reconcile.StatusNoChanges {
			if o.AlreadyApplied {
				unchanged = append(unchanged, tr.Msg("%s (already applied)", o.Name))
			} else {
				unchanged = append(unchanged, o.Name)
			}
			continue
		}
		fmt.Fprintf(w, "=== %s\n", literal.Line(accountHeading(tr, o)))
		planned := r.Status == reconcile.StatusChanges && !rep.Applying || o.Held != "" && r.Plan != nil
		applied := !planned && r.Status == reconcile.StatusApplied
		failed := !planned && !applied
		if planned || applied || failed && r.Plan != nil && r.Status == reconcile.StatusBlocked {
			if err := Text(w, r.Plan, opts); err != nil {
				return err
			}
		}
		if applied {
			fmt.Fprintln(w, tr.Msg("Applied %d steps; the account matches %s (verified by reading it back).", len(r.Plan.Steps), literal.Line(o.File)))
		}
		if failed {
			message, hint := fleetProblem(r, opts)
			fmt.Fprintln(w, tr.Msg("error: %s", literal.Line(message)))
			if hint != "" {
				fmt.Fprintln(w, tr.Msg("hint: %s", literal.Line(hint)))
			}
			ApplySteps(w, tr, r.Applied)
		}
		if o.Held != "" {
			fmt.Fprintln(w, literal.Line(heldWords(tr, o.Held)))
		}
		fmt.Fprintln(w)
	}
	if len(unchanged) > 0 {
		fmt.Fprintln(w, tr.Msg("No changes: %s", namesLine(tr, unchanged, literal.Line)))
	}
	if line := pausedLine(tr, rep); line != "" {
		fmt.Fprintln(w, literal.Line(line))
	}
	for _, line := range waveLines(tr, rep) {
		fmt.Fprintln(w, literal.Line(line))
	}
	if line := fleetSnapshotLine(tr, rep); line != "" {
		fmt.Fprintln(w, literal.Line(line)+tr.Msg("."))
	}
	_, err := fmt.Fprintln(w, literal.Line(rep.SummaryIn(tr)))
	return err
}

// heldWords is why an account was held back (fleet.Outcome.Held, which
// the report holds in English) in the reader's language: its clauses
// reworded one by one (i18n.Printer.Reword).
func heldWords(tr *i18n.Printer, held string) string {
	clauses, ok := strings.CutPrefix(held, "not applied: ")
	if !tr.Chinese() || !ok {
		return tr.Reword(held)
	}
	var parts []string
	for _, c := range strings.Split(clauses, fleet.HeldSeparator) {
		parts = append(parts, tr.Reword(c))
	}
	return tr.Msg("not applied: %s", strings.Join(parts, "；"))
}

// statusWord is a result's status for people: "no changes", "not
// converged".
func statusWord(tr *i18n.Printer, s reconcile.Status) string {
	switch s {
	case reconcile.StatusNoChanges:
		return tr.Msg("no changes")
	case reconcile.StatusChanges:
		return tr.Msg("changes")
	case reconcile.StatusApplied:
		return tr.Msg("applied")
	case reconcile.StatusBlocked:
		return tr.Msg("blocked")
	case reconcile.StatusStale:
		return tr.Msg("stale")
	case reconcile.StatusPartial:
		return tr.Msg("partial")
	case reconcile.StatusNotConverged:
		return tr.Msg("not converged")
	case reconcile.StatusDeclined:
		return tr.Msg("declined")
	case reconcile.StatusError:
		return tr.Msg("error")
	case reconcile.StatusPaused:
		return tr.Msg("paused")
	}
	return strings.ReplaceAll(string(s), "_", " ")
}

// MarkdownCommentLimit is GitHub's limit on a comment's body, in
// characters; FleetMarkdown keeps every part below it.
const MarkdownCommentLimit = 65536

// accountOptions are the options account o of rep is shown with: an
// apply's report says what apply did, not how to apply, and an observed
// account is never applied, so neither offers an apply command.
func accountOptions(projectOpts Options, rep *fleet.Report, o fleet.Outcome) Options {
	opts := projectOpts
	opts.Account = o.Name
	opts.Applying = opts.Applying || rep.Applying || o.Observed()
	return opts
}

// fleetPartMarker begins part i of n; CI finds and updates its earlier
// comments by it.
func fleetPartMarker(i, n int) string {
	return fmt.Sprintf("<!-- wxmenu-plan part %d/%d -->\n", i, n)
}

// FleetMarkdown renders a fleet report as one or more pull-request
// comments, each below MarkdownCommentLimit characters and starting with
// `<!-- wxmenu-plan part I/N -->`. Part 1 holds the summary and a table of
// the accounts with changes or problems; then one collapsible <details>
// section per such account, the unchanged accounts listed compactly. A
// section too long for any comment is cut, saying so.
func FleetMarkdown(rep *fleet.Report, projectOpts Options) []string {
	budget := MarkdownCommentLimit - len(fleetPartMarker(999999, 999999)) - 16
	tr := projectOpts.Printer
	heading := tr.Msg("**wxmenu plan**: %s", literal.Markdown(rep.SummaryIn(tr)))
	if rep.Applying {
		heading = tr.Msg("**wxmenu apply**: %s", literal.Markdown(rep.SummaryIn(tr)))
	}
	pieces := []string{heading + "\n"}
	if line := fleetSnapshotLine(tr, rep); line != "" {
		pieces = append(pieces, fmt.Sprintf("\n> [!WARNING]\n> %s%s\n", literal.Markdown(line), tr.Msg(".")))
	}
	if lines := waveLines(tr, rep); len(lines) > 0 {
		var b strings.Builder
		for _, l := range lines {
			fmt.Fprintf(&b, "\n- %s", literal.Markdown(l))
		}
		pieces = append(pieces, b.String()+"\n")
	}
	if line := pausedLine(tr, rep); line != "" {
		pieces = append(pieces, "\n"+literal.Markdown(line)+"\n")
	}
	var rows, sections, unchanged []string
	_, grouped := groups(rep)
	for i, o := range rep.Outcomes {
		r := o.Result
		opts := accountOptions(projectOpts, rep, o)
		if r.Status == reconcile.StatusPaused {
			continue // listed above
		}
		if r.Status == reconcile.StatusNoChanges {
			unchanged = append(unchanged, o.Name)
			continue
		}
		if g := grouped[i]; g != nil {
			if g.outcomes[0].Name == o.Name {
				row, pieces := markdownGroup(g, projectOpts, rep.Applying, budget)
				rows, sections = append(rows, row), append(sections, pieces...)
			}
			continue
		}
		result := statusWord(tr, r.Status)
		if o.Observed() {
			result = tr.Msg("%s (observed)", result)
		}
		steps := ""
		if r.Plan != nil {
			steps = fmt.Sprint(len(r.Plan.Steps))
		}
		switch {
		case o.NotStarted:
			result = tr.Msg("%s (not started)", result)
		case o.Held != "" && !o.Observed():
			result = tr.Msg("%s (held back)", result)
		}
		message, hint, open := "", "", ""
		if r.Err != nil {
			message, hint = fleetProblem(r, opts)
			open = " open"
		}
		rows = append(rows, fmt.Sprintf("| %s | %s | %s | %s | %s |\n", mdCode(o.Name), mdCode(o.AppID), result, steps, literal.Markdown(message)))
		var sec strings.Builder
		fmt.Fprintf(&sec, "\n<details%s><summary>%s: %s</summary>\n\n", open, literal.Markdown(accountHeading(tr, o)), literal.Markdown(result))
		if r.Err != nil {
			fmt.Fprintf(&sec, "> %s\n", tr.Msg("**error:** %s", literal.Markdown(message)))
			if hint != "" {
				fmt.Fprintf(&sec, ">\n> %s\n", tr.Msg("**hint:** %s", literal.Markdown(hint)))
			}
			sec.WriteString("\n")
		}
		if r.Plan != nil && r.Status != reconcile.StatusApplied {
			Markdown(&sec, r.Plan, opts) // a strings.Builder takes every write
		}
		if o.Held != "" {
			fmt.Fprintf(&sec, "\n%s\n", literal.Markdown(heldWords(tr, o.Held)))
		}
		sec.WriteString("\n</details>\n")
		sections = append(sections, fitPiece(tr, sec.String(), budget))
	}
	if len(rows) > 0 {
		header := []string{tr.Msg("account"), "appid", tr.Msg("result"), tr.Msg("steps"), tr.Msg("problem")}
		pieces = append(append(pieces, "\n| "+strings.Join(header, " | ")+" |\n| --- | --- | --- | ---: | --- |\n"), rows...)
	}
	pieces = append(pieces, sections...)
	if n := len(unchanged); n > 0 {
		// One piece per account or run of accounts, so that a long list
		// goes on in the next part.
		pieces = append(pieces, "\n"+tr.Msg("**No changes** (%s): ", thousands(n)))
		runs := nameRuns(unchanged)
		for i, r := range runs {
			sep := tr.List([]string{"", ""})
			if i == len(runs)-1 {
				sep = "\n"
			}
			pieces = append(pieces, r.show(mdCode)+sep)
		}
	}
	var parts []string
	var cur strings.Builder
	for _, p := range pieces {
		if cur.Len() > 0 && cur.Len()+len(p) > budget {
			parts = append(parts, cur.String())
			cur.Reset()
		}
		cur.WriteString(p)
	}
	parts = append(parts, cur.String())
	for i := range parts {
		parts[i] = fleetPartMarker(i+1, len(parts)) + parts[i]
	}
	return parts
}

// fitPiece cuts a section longer than budget, closing it properly.
func fitPiece(tr *i18n.Printer, s string, budget int) string {
	if len(s) <= budget {
		return s
	}
	note := "\n\n" + tr.Msg("*(cut: this account's plan is too long for a comment; see the saved plan or the job log)*") + "\n\n</details>\n"
	cut := budget - len(note)
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	// Never leave a code fence open.
	body := s[:cut]
	if strings.Count(body, "```")%2 == 1 {
		body += "\n```"
	}
	return body + note
}

// FleetJSON writes one document with every account: its name, appid,
// status, the problem if any, and its plan document.
func FleetJSON(w io.Writer, rep *fleet.Report, opts Options) error {
	type account struct {
		Name   string           `json:"name"`
		AppID  string           `json:"appid"`
		Wave   string           `json:"wave,omitempty"`
		Mode   project.Mode     `json:"mode,omitempty"`
		Status reconcile.Status `json:"status"`
		// AlreadyApplied: no changes, because an earlier run of the saved
		// plan applied them.
		AlreadyApplied bool               `json:"already_applied,omitempty"`
		Held           string             `json:"held,omitempty"`
		Error          string             `json:"error,omitempty"`
		Hint           string             `json:"hint,omitempty"`
		Steps          []applyDocumentRow `json:"applied_steps,omitempty"`
		Plan           *plans.Plan        `json:"plan,omitempty"`
		// Group is the key of the account's group (group.go), if any.
		Group string `json:"group,omitempty"`
	}
	list, grouped := groups(rep)
	doc := struct {
		Summary  string           `json:"summary"`
		Worst    reconcile.Status `json:"worst"`
		Waves    []waveJSON       `json:"waves,omitempty"`
		Stopped  string           `json:"stopped_at_wave,omitempty"`
		Accounts []account        `json:"accounts"`
		Groups   []jsonGroup      `json:"groups"`
	}{Summary: rep.Summary(), Waves: wavesJSON(rep), Stopped: rep.Stopped, Accounts: []account{}, Groups: jsonGroups(list)}
	if wo := rep.Worst(); wo != nil {
		doc.Worst = wo.Result.Status
	}
	for i, o := range rep.Outcomes {
		a := account{Name: o.Name, AppID: o.AppID, Wave: o.Wave, Mode: modeJSON(o.Mode), Status: o.Result.Status, AlreadyApplied: o.AlreadyApplied, Held: o.Held, Plan: o.Result.Plan, Steps: applyRows(o.Result.Applied)}
		if o.Result.Err != nil {
			a.Error, a.Hint = fleetProblem(o.Result, opts)
		}
		if g := grouped[i]; g != nil {
			a.Group = g.key
		}
		doc.Accounts = append(doc.Accounts, a)
	}
	return writeJSON(w, doc)
}

// fleetProblem is Result.Problem for an account of a project: a file's
// problems in one line (the first, and how many more there are; validate
// lists them all), WeChat's own hint for its code wins over the generic
// one of a failed read, and a stale account is re-planned with the
// project (opts), not with -f.
func fleetProblem(r *reconcile.Result, opts Options) (message, hint string) {
	message, hint = r.Problem()
	var diags desired.Diagnostics
	if errors.As(r.Err, &diags) && len(diags) > 0 {
		d := diags[0]
		d.Hint = "" // the hint is the result's
		message = d.String()
		if len(diags) > 1 {
			message += fmt.Sprintf(" (and %d more problems; run wxmenu validate -f %s)", len(diags)-1, ShellWord(d.Path))
		}
	}
	switch apiHint := reconcile.WeChatHint(r.Err); {
	case r.Status == reconcile.StatusStale && r.Plan != nil && r.Plan.Snapshot != nil:
		hint = "plan against the live accounts (" + planCommand(opts, "", "plan.json") + ", with their credentials), review it and apply that"
	case r.Status == reconcile.StatusStale:
		hint = "make a new plan (" + planCommand(opts, "", "plan.json") + "), review it and apply that; or apply the fresh accounts with --skip-stale"
	case apiHint != "":
		hint = apiHint
	}
	return message, hint
}

// CheckMarkdownDir refuses plan's --out-markdown-dir (dir) where it would
// write nothing: it writes the Markdown comment parts of a project's plan,
// so it needs format markdown and no menus file (-f, whose plan goes to
// standard output). A flag silently ignored leaves a CI job posting
// comment parts that were never written.
func CheckMarkdownDir(dir, format string, menusFile bool) error {
	switch {
	case dir != "" && format != "markdown":
		return errtext.Errorf("add --format markdown, or drop --out-markdown-dir",
			"--out-markdown-dir needs --format markdown: it writes the Markdown comment parts")
	case dir != "" && menusFile:
		return errtext.Errorf("with -f the Markdown goes to standard output: redirect it to a file, or drop -f to plan the project",
			"--out-markdown-dir writes a project's comment parts, not the plan of one menus file (-f)")
	}
	return nil
}

// WriteFleetMarkdown writes the comment parts of FleetMarkdown one after
// the other to w, or, when dir is not "", each to dir/plan-part-I.md
// (creating dir). It returns the number of parts.
func WriteFleetMarkdown(w io.Writer, rep *fleet.Report, opts Options, dir string) (int, error) {
	parts := FleetMarkdown(rep, opts)
	if dir == "" {
		_, err := io.WriteString(w, strings.Join(parts, ""))
		return len(parts), err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return 0, fmt.Errorf("creating %s: %w", dir, err)
	}
	for i, part := range parts {
		path := filepath.Join(dir, fmt.Sprintf("plan-part-%d.md", i+1))
		if err := atomicfile.Write(path, func(w io.Writer) error { _, err := io.WriteString(w, part); return err }); err != nil {
			return 0, fmt.Errorf("writing %s: %w", path, err)
		}
	}
	return len(parts), nil
}

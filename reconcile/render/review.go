package render

import (
	"bufio"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/wxmenu/wxmenu/internal/literal"
	"github.com/wxmenu/wxmenu/reconcile"
	"github.com/wxmenu/wxmenu/reconcile/fleet"
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
		out = append(out, fmt.Sprintf("%s (rail %s, override --%s)", v.Message, v.Rail, v.Override))
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
		rows = append(rows, []string{cell(r.Label), cell(preview.SeenName(r.Before)), cell(preview.SeenName(r.After)), changeWord(r)})
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

// transientLines say which audiences see a menu during apply that they see
// neither before nor after.
func transientLines(p *plans.Plan) []string {
	var out []string
	for _, r := range p.Audiences {
		for _, note := range preview.DuringApply(r, len(p.Steps)) {
			out = append(out, r.Label+" "+note)
		}
	}
	return out
}

// priorityLines list the conditional menus after apply, in the order WeChat
// tries them.
func priorityLines(p *plans.Plan) []string {
	var out []string
	for _, m := range p.Priority {
		mark := "created by this plan"
		switch {
		case m.Unmanaged:
			mark = "unmanaged"
		case m.Kept:
			mark = "kept"
		}
		out = append(out, fmt.Sprintf("%s (%s, %s)", m.Name, m.MatchRule.Describe(p.TagNames), mark))
	}
	return out
}

// provenanceLine says when and where the plan was made, as the plan says
// (not yet made safe to show); "" without CI variables.
func provenanceLine(p *plans.Plan) string {
	pv := p.Provenance
	if pv == nil {
		return ""
	}
	s := "made " + p.CreatedAt.UTC().Format(time.RFC3339)
	for _, part := range [][2]string{{" from commit ", pv.Commit}, {" of ", pv.Repository}, {" in ", pv.RunURL}} {
		if part[1] != "" {
			s += part[0] + part[1]
		}
	}
	return s
}

// snapshotLine says that the plan was made from a snapshot, not the live
// account, and cannot be applied (not yet made safe to show); "" for a
// plan of the live account.
func snapshotLine(p *plans.Plan) string {
	s := p.Snapshot
	if s == nil {
		return ""
	}
	return fmt.Sprintf("Made from the snapshot %s taken at %s, not from the live account: the account may have changed since, and this plan cannot be applied",
		s.File, s.TakenAt.UTC().Format(time.RFC3339))
}

// fleetSnapshotLine is snapshotLine for a project's run: its accounts were
// planned from one snapshot, each read at its own time, the earliest named.
func fleetSnapshotLine(rep *fleet.Report) string {
	var first *plans.SnapshotSource
	for _, o := range rep.Outcomes {
		if p := o.Result.Plan; p != nil && p.Snapshot != nil && (first == nil || p.Snapshot.TakenAt.Before(first.TakenAt)) {
			first = p.Snapshot
		}
	}
	if first == nil {
		return ""
	}
	return fmt.Sprintf("Made from the snapshot %s (taken at %s), not from the live accounts: they may have changed since, and this plan cannot be applied",
		first.File, first.TakenAt.UTC().Format(time.RFC3339))
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

// savePlanCommand plans account of opts.Project again, or without one the
// menus file, saving the plan to plan.json.
func savePlanCommand(opts Options, account, file string) string {
	restore := ""
	if id, ok := strings.CutPrefix(file, reconcile.RestorePrefix); ok {
		restore = " --restore " + ShellWord(id)
		if opts.AuditLog != "" {
			restore += " --audit-log " + ShellWord(opts.AuditLog)
		}
	}
	switch {
	case account != "":
		cmd := planCommand(opts, account, "plan.json")
		return strings.TrimSuffix(cmd, " --out plan.json") + restore + " --out plan.json"
	case restore != "":
		return wxmenu(opts) + " plan" + restore + " --out plan.json"
	}
	return wxmenu(opts) + " plan -f " + ShellWord(file) + " --out plan.json"
}

// applyHint says how to apply the plan, without a leading capital: run
// opts.SavedAs, the plan's file when it was read from one, or save the
// plan of its menus file, or of its account of a project, and apply that.
func applyHint(p *plans.Plan, opts Options, code func(string) string) string {
	if p.IsBlocked() {
		return "nothing, while it is blocked; plan again with the override once the change is intended"
	}
	if opts.Group > 0 {
		return groupApplyHint(p, opts, code)
	}
	if p.Snapshot != nil {
		save := savePlanCommand(opts, opts.Account, planFileLabel(p))
		return "not this plan, made from a snapshot; with the account's credentials, " + code(save) + " plans against the live account, and apply applies that plan once reviewed"
	}
	refuses := "; apply refuses it if the account or " + code(planFileLabel(p)) + " changed since"
	restore := strings.HasPrefix(p.DesiredFile, reconcile.RestorePrefix)
	if opts.SavedAs != "" {
		return "run " + code(ApplyCommand(opts, restore, opts.SavedAs)) + refuses
	}
	save := savePlanCommand(opts, opts.Account, planFileLabel(p))
	whole := opts
	whole.Account = "" // the plan saved holds that account only
	return "save this plan with " + code(save) + ", then run " + code(ApplyCommand(whole, restore, "plan.json")) + refuses
}

// ApplyCommand applies the saved plan planFile as opts say the run was
// made: with its globals, only opts.Account of a project's plan, and for a
// plan back to an apply's state (restore) the audit log it reads that
// state from, when the run named one (else the environment's or the
// project's log applies, as it did for the plan).
func ApplyCommand(opts Options, restore bool, planFile string) string {
	apply := wxmenu(opts) + " apply "
	if restore && opts.AuditLog != "" {
		apply += "--audit-log " + ShellWord(opts.AuditLog) + " "
	}
	if opts.Account != "" { // one account of a project's plan, not all of them
		apply += "--account " + ShellWord(opts.Account) + " "
	}
	return apply + ShellWord(planFile)
}

// textReview writes the review sections of a plan with changes for a
// terminal.
func textReview(w *bufio.Writer, p *plans.Plan, paint func(code, s string) string) {
	if len(p.Audiences) > 0 {
		fmt.Fprintf(w, "\n%s\n", paint(ansiBold, "Who sees what:"))
		for k, line := range columns(audienceTable(p, literal.Line)) {
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
	section(w, paint(ansiBold, "During apply:"), "  ", transientLines(p), literal.Line)
	section(w, paint(ansiBold, "Conditional menus after apply, in the order WeChat tries them:"), "  # ", priorityLines(p), literal.Line)
}

// mdBanner writes a blocked plan's banner, a GitHub alert that renders as
// a red "Caution" box (and as a plain quote elsewhere), and a blank line.
func mdBanner(w *bufio.Writer, p *plans.Plan) {
	if p.IsBlocked() {
		section(w, "> [!CAUTION]\n> **This plan is blocked**: a safety rail stops it, so it cannot be saved or applied.", ">\n> ", blockedLines(p), literal.Markdown)
		fmt.Fprintln(w)
	}
}

// mdReview writes the review sections of a plan with changes: the
// audience table, the phone pictures of the changed menus, what followers
// see during apply and the final priority order.
func mdReview(w *bufio.Writer, p *plans.Plan) {
	if len(p.Audiences) > 0 {
		fmt.Fprint(w, "\n**Who sees what**\n")
		mdTable(w, "| --- | --- | --- | --- |", audienceTable(p, literal.Markdown))
		if slices.ContainsFunc(p.Audiences, func(r plans.AudienceRow) bool { return r.Changed }) {
			fmt.Fprintf(w, "\n**On the phone**, before and after\n\n%s", preview.Markdown(preview.FromRows(p.Audiences, len(p.Steps))))
		}
	}
	section(w, "**During apply**\n", "- ", transientLines(p), literal.Markdown)
	section(w, "**Conditional menus after apply**, in the order WeChat tries them (the first that matches wins)\n", "# ", priorityLines(p), literal.Markdown)
}

// section writes a headed section of lines for a terminal or in Markdown,
// each made safe by esc (literal.Line, literal.Markdown) after bullet, whose
// "#" numbers them ("1.", "2."); nothing without lines.
func section(w io.Writer, heading, bullet string, lines []string, esc func(string) string) {
	if len(lines) == 0 {
		return
	}
	fmt.Fprintf(w, "\n%s\n", heading)
	for i, l := range lines {
		fmt.Fprintln(w, strings.Replace(bullet, "#", strconv.Itoa(i+1)+".", 1)+esc(l))
	}
}

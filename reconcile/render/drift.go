package render

import (
	"bufio"
	"cmp"
	"fmt"
	"io"

	"github.com/wxmenu/wxmenu/internal/i18n"
	"github.com/wxmenu/wxmenu/internal/literal"
	"github.com/wxmenu/wxmenu/reconcile"
	"github.com/wxmenu/wxmenu/reconcile/fleet"
	"github.com/wxmenu/wxmenu/reconcile/preview"
)

// driftAccount is one account of drift's JSON document.
type driftAccount struct {
	Name  string `json:"name,omitempty"`
	AppID string `json:"appid,omitempty"`
	File  string `json:"file,omitempty"`
	*reconcile.Drift
	// Steps is how many calls make the account match its file again.
	Steps int `json:"steps"`
}

// Drift shows drift's report (one Drift per account of rep) in format:
// text, markdown or json. knowsApplies is false without an audit log:
// the report then says why it cannot tell pending from changed_outside.
func Drift(w io.Writer, rep *fleet.Report, drifts []*reconcile.Drift, format string, opts Options, knowsApplies bool) error {
	accounts := make([]driftAccount, len(drifts))
	counts := map[reconcile.DriftStatus]int{}
	for i, d := range drifts {
		o := rep.Outcomes[i]
		accounts[i] = driftAccount{Name: o.Name, AppID: o.AppID, File: o.File, Drift: d}
		if p := o.Result.Plan; p != nil {
			accounts[i].AppID, accounts[i].Steps = p.AppID, len(p.Steps)
		}
		counts[d.Status]++
	}
	switch format {
	case "json":
		return writeJSON(w, struct {
			Accounts []driftAccount                `json:"accounts"`
			Counts   map[reconcile.DriftStatus]int `json:"counts"`
		}{accounts, counts})
	case "text", "markdown":
	default:
		return fmt.Errorf("unknown format %q (drift shows text, markdown or json)", format)
	}
	bw := bufio.NewWriter(w)
	tr := opts.Printer
	md := format == "markdown"
	if md {
		fmt.Fprintf(bw, "### %s\n\n| %s | %s | %s |\n|---|---|---|\n", tr.Msg("wxmenu drift: %s", driftSummary(tr, counts, len(drifts))), tr.Msg("account"), tr.Msg("status"), tr.Msg("why"))
	}
	for _, a := range accounts {
		name := cmp.Or(a.Name, a.File)
		cause := a.Drift.CauseIn(tr)
		if md {
			fmt.Fprintf(bw, "| %s | %s | %s |\n", literal.Markdown(name), driftStatusWord(tr, a.Status), literal.Markdown(cause))
			continue
		}
		fmt.Fprintf(bw, "%s: %s\n  %s\n", literal.Line(name), driftStatusWord(tr, a.Status), literal.Line(cause))
		driftDetails(bw, a, opts, "  ", "    ", literal.Line, literal.Line)
	}
	if md {
		for _, a := range accounts {
			if len(a.Audiences) > 0 || a.Steps > 0 {
				fmt.Fprintf(bw, "\n#### %s\n\n", literal.Markdown(cmp.Or(a.Name, a.File)))
				driftDetails(bw, a, opts, "- ", "  - ", literal.Markdown, mdCode)
			}
		}
	}
	if !knowsApplies && counts[reconcile.DriftDrifted] > 0 {
		fmt.Fprintf(bw, "\n%s\n", tr.Msg("Without an audit log (--audit-log, WXMENU_AUDIT_LOG) drift cannot tell a file changed since the last apply (pending) from menus changed outside wxmenu (changed_outside)."))
	}
	if !md {
		fmt.Fprintf(bw, "\n%s\n", driftSummary(tr, counts, len(drifts)))
	}
	return bw.Flush()
}

// driftDetails words who the drift affects and how to bring the account
// back, each line after item (its audiences after sub), text made safe by
// safe and the command by code.
func driftDetails(w io.Writer, a driftAccount, opts Options, item, sub string, safe, code func(string) string) {
	tr := opts.Printer
	if len(a.Audiences) > 0 {
		fmt.Fprintf(w, "%s%s\n", item, tr.Msg("Who sees another menu now than the last apply left them:"))
		for _, r := range a.Audiences {
			if r.Changed {
				fmt.Fprintf(w, "%s%s\n", sub, tr.Msg("%s: saw %s, now %s", safe(r.Audience.LabelIn(tr, nil)), safe(preview.SeenName(tr, r.Before)), safe(preview.SeenName(tr, r.After))))
			}
		}
	}
	if a.Steps > 0 {
		fmt.Fprintf(w, "%s%s\n", item, tr.Msg("To make it match its file again (%d calls), review and apply: %s", a.Steps, code(savePlanCommand(opts, a.Name, a.File))))
	}
}

// driftStatusWord shows a drift status: the code people and alerts match
// on, with its meaning in Chinese ("changed_outside（在 wxmenu 之外被修改）").
func driftStatusWord(tr *i18n.Printer, s reconcile.DriftStatus) string {
	switch s {
	case reconcile.DriftInSync:
		return tr.Msg("in_sync")
	case reconcile.DriftPending:
		return tr.Msg("pending")
	case reconcile.DriftConsole:
		return tr.Msg("console")
	case reconcile.DriftChangedOutside:
		return tr.Msg("changed_outside")
	case reconcile.DriftDrifted:
		return tr.Msg("drifted")
	}
	if s == reconcile.DriftError && tr.Chinese() {
		return "error（" + tr.Msg("error") + "）" // the code beside the word, as for the others
	}
	return string(s)
}

// driftSummary is the one-line count of statuses.
func driftSummary(tr *i18n.Printer, counts map[reconcile.DriftStatus]int, total int) string {
	var parts []string
	for _, s := range reconcile.DriftStatuses {
		if counts[s] > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", counts[s], driftStatusWord(tr, s)))
		}
	}
	return tr.Msg("%d accounts: %s", total, tr.List(parts))
}

package render

import (
	"bufio"
	"cmp"
	"fmt"
	"io"
	"strings"

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
	md := format == "markdown"
	if md {
		fmt.Fprintf(bw, "### wxmenu drift: %s\n\n| account | status | why |\n|---|---|---|\n", driftSummary(counts, len(drifts)))
	}
	for _, a := range accounts {
		name := cmp.Or(a.Name, a.File)
		if md {
			fmt.Fprintf(bw, "| %s | %s | %s |\n", literal.Markdown(name), a.Status, literal.Markdown(a.Cause))
			continue
		}
		fmt.Fprintf(bw, "%s: %s\n  %s\n", literal.Line(name), a.Status, literal.Line(a.Cause))
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
		fmt.Fprintf(bw, "\nWithout an audit log (--audit-log, WXMENU_AUDIT_LOG) drift cannot tell a file changed since the last apply (pending) from menus changed outside wxmenu (changed_outside).\n")
	}
	if !md {
		fmt.Fprintf(bw, "\n%s\n", driftSummary(counts, len(drifts)))
	}
	return bw.Flush()
}

// driftDetails words who the drift affects and how to bring the account
// back, each line after item (its audiences after sub), text made safe by
// safe and the command by code.
func driftDetails(w io.Writer, a driftAccount, opts Options, item, sub string, safe, code func(string) string) {
	if len(a.Audiences) > 0 {
		fmt.Fprintf(w, "%sWho sees another menu now than the last apply left them:\n", item)
		for _, r := range a.Audiences {
			if r.Changed {
				fmt.Fprintf(w, "%s%s: saw %s, now %s\n", sub, safe(r.Label), safe(preview.SeenName(r.Before)), safe(preview.SeenName(r.After)))
			}
		}
	}
	if a.Steps > 0 {
		fmt.Fprintf(w, "%sTo make it match its file again (%s), review and apply: %s\n", item, Count(a.Steps, "call"), code(savePlanCommand(opts, a.Name, a.File)))
	}
}

// driftSummary is the one-line count of statuses.
func driftSummary(counts map[reconcile.DriftStatus]int, total int) string {
	var parts []string
	for _, s := range reconcile.DriftStatuses {
		if counts[s] > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", counts[s], s))
		}
	}
	return fmt.Sprintf("%s: %s", Count(total, "account"), strings.Join(parts, ", "))
}

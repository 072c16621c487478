package render

import (
	"encoding/json"
	"fmt"
	"io"

	"github.com/wxmenu/wxmenu/internal/i18n"
	"github.com/wxmenu/wxmenu/internal/literal"
	"github.com/wxmenu/wxmenu/reconcile"
	"github.com/wxmenu/wxmenu/reconcile/plans"
)

// applyDocument is apply's --format json document: one for every run,
// whatever its status.
type applyDocument struct {
	AppID      string             `json:"appid"`
	PlanDigest string             `json:"plan_digest"`
	Result     reconcile.Status   `json:"result"`
	Reads      int                `json:"reads"`
	Steps      []applyDocumentRow `json:"steps"`
	Error      string             `json:"error,omitempty"`
}

type applyDocumentRow struct {
	Action      plans.Action  `json:"action"`
	Endpoint    string        `json:"endpoint"`
	Name        string        `json:"name,omitempty"`
	MenuID      string        `json:"menuid,omitempty"`
	MenuIDAfter string        `json:"menuid_after,omitempty"`
	Outcome     plans.Outcome `json:"outcome"`
	Reread      bool          `json:"reread,omitempty"`
	Error       string        `json:"error,omitempty"`
}

// ApplyJSON writes r as apply's JSON result document; its "result" is
// r.Status.
func ApplyJSON(w io.Writer, r *reconcile.Result) error {
	doc := applyDocument{Result: r.Status, Reads: r.Applied.Reads, Steps: applyRows(r.Applied)}
	if r.Plan != nil {
		doc.AppID, doc.PlanDigest = r.Plan.AppID, r.Plan.PlanDigest
	}
	if r.Err != nil {
		doc.Error = r.Err.Error()
	}
	return writeJSON(w, doc)
}

// applyRows are the rows of what an apply did, for a JSON document: [],
// not null, when it did nothing.
func applyRows(res reconcile.ApplyResult) []applyDocumentRow {
	rows := []applyDocumentRow{}
	for _, s := range res.Steps {
		row := applyDocumentRow{Action: s.Step.Action, Endpoint: s.Step.Action.Endpoint(), Name: s.Step.Name,
			MenuID: s.Step.MenuID, MenuIDAfter: s.MenuID, Outcome: s.Outcome, Reread: s.Reread}
		if s.Err != nil {
			row.Error = s.Err.Error()
		}
		rows = append(rows, row)
	}
	return rows
}

// writeJSON writes v as an indented JSON document, HTML left unescaped.
func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// Progress writes the line of a finished step, e.g.
// `  [2/4] menu/addconditional  staff: done (menuid 1004)`; a step starting
// prints nothing.
func Progress(w io.Writer, tr *i18n.Printer, ev reconcile.ProgressEvent, color bool) {
	if ev.Result == nil {
		return
	}
	r := ev.Result
	status := paintIf(color, outcomeColour[r.Outcome], outcomeWord(tr, r.Outcome))
	extra := ""
	if r.MenuID != "" {
		extra = tr.Msg(" (menuid %s)", literal.Line(r.MenuID))
	}
	if r.Reread {
		extra += tr.Msg(" [response lost; account re-read]")
	}
	fmt.Fprintf(w, "  [%d/%d] %-20s %s: %s%s\n", ev.Index+1, ev.Total, ev.Step.Action.Endpoint(), stepLabel(tr, ev.Step), status, extra)
}

// outcomeWord is a step's outcome for people: "done", "already done".
func outcomeWord(tr *i18n.Printer, o plans.Outcome) string {
	switch o {
	case plans.OutcomeDone:
		return tr.Msg("done")
	case plans.OutcomeAlreadyDone:
		return tr.Msg("already done")
	case plans.OutcomeFailed:
		return tr.Msg("failed")
	}
	return string(o)
}

// outcomeColour is the colour of a step's outcome in its progress line.
var outcomeColour = map[plans.Outcome]string{plans.OutcomeDone: ansiGreen, plans.OutcomeAlreadyDone: ansiYellow, plans.OutcomeFailed: ansiRed}

// ApplySteps writes what an apply that stopped did, one line per step.
func ApplySteps(w io.Writer, tr *i18n.Printer, res reconcile.ApplyResult) {
	var lines []string
	for _, s := range res.Steps {
		line := fmt.Sprintf("%s %s: %s", s.Step.Action.Endpoint(), stepLabel(tr, s.Step), outcomeWord(tr, s.Outcome))
		if s.Err != nil {
			line += " (" + s.Err.Error() + ")"
		}
		lines = append(lines, line)
	}
	section(w, tr.Msg("What apply did:"), "  # ", lines, literal.Line)
}

// stepLabel names a step's menu for a terminal.
func stepLabel(tr *i18n.Printer, s plans.Step) string {
	return literal.Line(stepName(tr, s))
}

// paintIf colours s with code when on (and both are not "").
func paintIf(on bool, code, s string) string {
	if !on || code == "" || s == "" {
		return s
	}
	return code + s + ansiReset
}

// ApplySummary writes what people read after apply's progress lines: that
// the account matches, or what a stopped apply did.
func ApplySummary(w io.Writer, tr *i18n.Printer, r *reconcile.Result) {
	switch r.Status {
	case reconcile.StatusApplied:
		fmt.Fprintln(w, tr.Msg("Apply complete: %d steps applied; the account matches %s (verified by reading it back).", len(r.Plan.Steps), literal.Line(r.Plan.DesiredFile)))
	case reconcile.StatusPartial:
		ApplySteps(w, tr, r.Applied)
	}
}

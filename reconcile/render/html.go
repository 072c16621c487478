package render

import (
	"cmp"
	"io"
	"strings"
	"time"

	"github.com/wxmenu/wxmenu/internal/literal"
	"github.com/wxmenu/wxmenu/reconcile/fleet"
	"github.com/wxmenu/wxmenu/reconcile/plans"
	"github.com/wxmenu/wxmenu/reconcile/preview"
)

// HTML writes the plan as one self-contained page (package preview): a
// phone mock per audience, before and after apply, the differences
// highlighted. The subtitle says when and from what the plan was made and,
// for a blocked plan, why it is blocked. A plan saved before the audience
// table existed has no phones to draw; the page says so.
func HTML(w io.Writer, p *plans.Plan) error {
	sub := []string{cmp.Or(provenanceLine(p), "planned "+p.CreatedAt.UTC().Format(time.RFC3339)), planSummary(p)}
	if line := snapshotLine(p); line != "" {
		sub = append([]string{line}, sub...)
	}
	if p.IsBlocked() {
		sub = append(sub, "BLOCKED: "+strings.Join(blockedLines(p), "; "))
	}
	if len(p.Audiences) == 0 && p.HasChanges() {
		sub = append(sub, "this plan was saved without an audience table; plan again to see the phones")
	}
	return preview.WriteHTML(w, preview.Page{
		Title:       literal.Line(planFileLabel(p) + " → " + p.AppID),
		Subtitle:    literal.Line(strings.Join(sub, " · ")),
		Comparisons: preview.FromRows(p.Audiences, len(p.Steps)),
	})
}

// FleetHTML writes a project's plans as one page: the audiences of every
// account with changes, each titled with the account's name and appid,
// under the run's summary; the subtitle names the accounts that are
// blocked or failed.
func FleetHTML(w io.Writer, rep *fleet.Report) error {
	page := preview.Page{Title: "wxmenu plan: " + literal.Line(rep.Summary())}
	var sub []string
	if line := fleetSnapshotLine(rep); line != "" {
		sub = append(sub, line)
	}
	for _, o := range rep.Outcomes {
		r := o.Result
		label := literal.Line(o.Name + " (" + o.AppID + ")")
		switch {
		case r.Plan == nil:
			sub = append(sub, label+": "+strings.ReplaceAll(string(r.Status), "_", " "))
			continue
		case r.Plan.IsBlocked():
			sub = append(sub, label+": BLOCKED: "+strings.Join(blockedLines(r.Plan), "; "))
		case r.Plan.HasChanges():
			sub = append(sub, label+": "+planSummary(r.Plan))
		}
		for _, c := range preview.FromRows(r.Plan.Audiences, len(r.Plan.Steps)) {
			c.Audience = label + ": " + c.Audience
			page.Comparisons = append(page.Comparisons, c)
		}
	}
	page.Subtitle = literal.Line(strings.Join(sub, " · "))
	return preview.WriteHTML(w, page)
}

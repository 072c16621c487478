package render

import (
	"io"
	"strings"
	"time"

	"github.com/wxmenu/wxmenu/reconcile/plans"
	"github.com/wxmenu/wxmenu/reconcile/preview"
)

// HTML writes the plan as one self-contained page (package preview): a
// phone mock per audience, before and after apply, the differences
// highlighted. The subtitle says when and from what the plan was made and,
// for a blocked plan, why it is blocked. A plan saved before the audience
// table existed has no phones to draw; the page says so.
func HTML(w io.Writer, p *plans.Plan) error {
	sub := []string{"planned " + p.CreatedAt.UTC().Format(time.RFC3339)}
	if line := provenanceLine(p); line != "" {
		sub = []string{line}
	}
	sub = append(sub, planSummary(p))
	if p.IsBlocked() {
		sub = append(sub, "BLOCKED: "+strings.Join(blockedLines(p), "; "))
	}
	if len(p.Audiences) == 0 && p.HasChanges() {
		sub = append(sub, "this plan was saved without an audience table; plan again to see the phones")
	}
	page := preview.Page{
		Title:       oneLine(planFileLabel(p)) + " → " + oneLine(p.AppID),
		Subtitle:    strings.Join(sub, " · "),
		Comparisons: preview.FromRows(p.Audiences),
	}
	return preview.WriteHTML(w, page)
}

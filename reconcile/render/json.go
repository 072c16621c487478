package render

import (
	"io"

	"github.com/wxmenu/wxmenu/reconcile/plans"
)

// JSON writes the plan document, exactly as plans.Write does, without
// changing p: for tools that read plans (`wxmenu plan --format json`).
func JSON(w io.Writer, p *plans.Plan) error {
	if p == nil {
		return plans.Write(w, nil)
	}
	doc := *p
	return plans.Write(w, &doc)
}

package render

import (
	"io"

	"github.com/wxmenu/wxmenu/reconcile/plans"
)

// JSON writes one account's plan document (plans.Show), without
// changing p: for tools that read plans (`wxmenu plan --format json`). A
// blocked plan is written too, with its "blocked" violations, so CI can
// show why; apply refuses that document.
func JSON(w io.Writer, p *plans.Plan) error {
	if p == nil {
		return plans.Show(w, nil)
	}
	doc := *p
	return plans.Show(w, &doc)
}

package reconcile

import "io"

// RenderJSON writes the plan document, exactly as WritePlan does, without
// changing p: for tools that read plans (`wxmenu plan --format json`).
func RenderJSON(w io.Writer, p *Plan) error {
	if p == nil {
		return WritePlan(w, nil)
	}
	doc := *p
	return WritePlan(w, &doc)
}

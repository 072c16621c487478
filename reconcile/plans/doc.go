// Package plans is the plan vocabulary: a Plan of Steps (one API call
// each, an Action), the menus it keeps (KeptMenu), the rails it tripped
// (Violation), the outcome of a step when applied (Outcome), and the plan
// file: Write and Read, which refuses anything edited, truncated or
// unknown (Show writes a blocked plan for display; Read refuses it).
//
// review.go holds what a reviewer reads beside the steps, optional fields
// of format 2: the "who sees what" table (audience rows), the menus
// removed for good, the final priority order (PriorityMenu), counts per
// action, tag names, the reads planning made and where the plan was made
// (Provenance, from CI variables).
//
// A plan is data only: it never holds credentials, and apply interprets
// it. plans imports wechat, canon and audience; the engine in package
// reconcile makes plans, package render shows them.
package plans

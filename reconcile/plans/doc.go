// Package plans is the plan vocabulary: a Plan of Steps (one API call
// each, an Action), the menus it keeps (KeptMenu), the rails it tripped
// (Violation), the outcome of a step when applied (Outcome), and the plan
// file: Write and Read, which refuses anything edited, truncated or
// unknown.
//
// A plan is data only: it never holds credentials, and apply interprets
// it. plans imports wechat only; the engine in package reconcile makes
// plans, package render shows them.
package plans

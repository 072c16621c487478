// Package plans is the plan vocabulary: a Plan of Steps (one API call
// each, an Action), the menus it keeps (KeptMenu), the rails it tripped
// (Violation), the outcome of a step when applied (Outcome), and the plan
// file, whose reader refuses anything edited, truncated or unknown.
//
// A saved plan is a File (savedfile.go, format 3): the plans of 1..N
// accounts under a digest of the whole, written by WriteFile and read by
// ReadFile, the one reader apply and show use; a plan of one menus file
// is a File of one unnamed account (File.Single). Each account's Plan is
// sealed by its own PlanDigest: the sha256 of its JSON written compact,
// HTML characters left alone, with plan_digest empty (Seal,
// canon.Marshal); the file's FileDigest is the same over the file. Plans
// of an earlier format (1: before reason codes; 2: digests written field
// by field, and projects' "wxmenu-fleet-plan" documents) are refused with
// a FormatError, and the reader hints at planning again: a plan lives only
// as long as the account and the file it was made from, so nothing is
// lost. Show writes one account's plan document for reading (plan
// --format json prints it, blocked or not); no reader takes it back.
//
// review.go holds what a reviewer reads beside the steps: the "who sees
// what" table (AudienceRow, Seen: package audience computes it by replaying
// the steps), the menus removed for good, the final priority order
// (PriorityMenu), counts per action, tag names, the reads planning made and
// where the plan was made (Provenance, from CI variables).
//
// group.go says which plans a review may show once for many accounts:
// Shared is a plan as every account of a group shares it (its menuids,
// which differ per account, written as MenuIDMark), and GroupKey the digest
// of what must be equal (steps, rails, warnings, the audience table…);
// plans with the same key have the same steps for every follower.
//
// A plan of an account rendered from a template names the template and
// holds its digest and that of the account's values (Plan.Template), so
// that editing either makes the plan stale.
//
// A plan is data only: it never holds credentials, and apply interprets
// it. plans imports wechat and canon; the engine in package reconcile makes
// plans, package render shows them.
package plans

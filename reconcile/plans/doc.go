// Package plans is the plan vocabulary: a Plan of Steps (one API call
// each, an Action), the menus it keeps (KeptMenu), the rails it tripped
// (Violation), the outcome of a step when applied (Outcome), and the plan
// file: Write and Read, which refuses anything edited, truncated or
// unknown (Show writes a blocked plan for display; Read refuses it).
//
// The plan file is format 3 (FormatVersion): the plan as JSON, indented,
// with HTML characters left alone, sealed by PlanDigest, the sha256 of the
// same JSON written compact with plan_digest empty (Seal, canon.Marshal).
// Nothing but the document is hashed: the digest covers every field
// because the document holds every field. Plans of an earlier format (1: before reason codes; 2: digests
// written field by field) are refused with a FormatError, and the file
// readers hint at planning again: a plan lives only as long as the account
// and the file it was made from, so nothing is lost. A fleet plan
// (fleet.go) lists several accounts' plans under a digest of its own.
//
// review.go holds what a reviewer reads beside the steps: the "who sees
// what" table (AudienceRow, Seen: package audience computes it by replaying
// the steps), the menus removed for good, the final priority order
// (PriorityMenu), counts per action, tag names, the reads planning made and
// where the plan was made (Provenance, from CI variables).
//
// A plan is data only: it never holds credentials, and apply interprets
// it. plans imports wechat and canon; the engine in package reconcile makes
// plans, package render shows them.
package plans

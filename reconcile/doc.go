// Package reconcile is the engine: it turns a desired state into the API
// calls that make a WeChat Official Account's menus match it (NewPlan, in
// diff.go, with its safety rails in safety.go), and makes them safely
// (Apply in apply.go, under a per-account lock from lock.go). Session
// (session.go) is the plan-and-apply flow for one account that any caller
// drives with plain values.
//
// Session reads the account with ReadLive (console.go): menu/get, and
// get_current_selfmenu_info only when menu/get reports no menu, so that a
// menu published in the mp.weixin.qq.com console shows in plans (as the
// "before" of the default menu, with a warning) and in exports. Result.Problem
// words a failed run for people; hints.go adds what WeChat's errcodes ask
// the operator to do (wechat.APIError.Hint) and explains a read-back that
// lost conditional menus after menu/create.
//
// Its packages, each importing only packages listed below it:
//
//	reconcile/render   shows plans (text, markdown, JSON, HTML) and apply's results; imports the engine
//	reconcile/fleet    plan and apply over many accounts of a project, in parallel
//	reconcile/account  opens an account (credentials, static token, sandbox) for a Session
//	reconcile          this package: the engine
//	reconcile/audit    the audit log apply writes
//	reconcile/project  the project file wxmenu.yaml: accounts, credentials, platform
//	reconcile/desired  menus.yaml: load, validate, schema, export, digest
//	reconcile/plans    Plan, Step, Action, reason codes, violations, the plan file
//	reconcile/preview  menus as the phone shows them (Markdown, HTML)
//	reconcile/audience who sees what, before, during and after apply (imports canon, wechat)
//	reconcile/canon    canonical forms, menu identity, live digest (imports only wechat)
//
// # Plan
//
// A Plan (package plans, format 3) is a versioned JSON document, data
// only: the ordered API calls (create the default menu, add or delete
// conditional menus, delete all) each with a reason code, the menus kept,
// the quota spent, the rails it trips (Blocked), digests of the desired file
// and of the live account it was made from, and its own digest, set when
// NewPlan makes it. Menus that can be kept are the longest
// run at the low-priority end of the desired list found unchanged and in
// order among the live menus; everything above it is recreated, lowest
// priority first, before stale menus are deleted.
//
// # Apply
//
// Apply executes a reviewed plan only if the account and the file still
// digest as they did when planning, then reads the account back to prove it
// converged.
package reconcile

// Package reconcile is the engine: it turns a desired state into the API
// calls that make a WeChat Official Account's menus match it, and makes
// them safely. Session (session.go) is the plan-and-apply flow for one
// account that any caller drives with plain values.
//
// # Plan
//
// Planning is three steps with plain values between them, each pure:
//
//   - Diff (diff.go): what was read (LiveRead: menu/get's menus, the menu
//     published in the console when menu/get reports none, the account's
//     tags) and the desired state in; the steps, the kept menus and the
//     warnings out (Changes). Which menus are kept and in what order the
//     calls run is the design note at the top of diff.go.
//   - Review (diff.go, safety.go): the steps replayed on the account for
//     the "who sees what" table (package audience), and the safety rails,
//     which judge that table.
//   - Seal: the plan document (package plans, format 3, data only: the
//     ordered calls each with a reason code, the menus kept, the quota
//     spent, the rails tripped, digests of the desired file and of the live
//     account, for a state rendered from a template the template's and its
//     values' digests, the review fields) gets its own digest (plans.Seal).
//
// NewPlan runs the three. Session reads the account with ReadLive (read.go:
// menu/get, get_current_selfmenu_info for a menu published in the console
// when menu/get reports none) and tags/get when the file names tags.
//
// # Apply
//
// Apply (apply.go, under a per-account lock from lock.go) executes a
// reviewed plan only if CheckOffline and Check (check.go) pass: the file
// (or the template and the account's values) and the account still digest
// as they did when planning, and Diff, run
// again on the account as read now, gives exactly the plan's steps, whose
// Review needs exactly the plan's overrides. It then makes each call once,
// writing the audit log ahead of it, resolves a lost response by reading
// (never by re-sending a create), and reads the account back: it converged
// when Diff finds nothing left to do. Result.Problem words a failed run for
// people, with what WeChat's errcodes ask the operator to do (WeChatHint)
// and why a read-back lost conditional menus after menu/create.
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
//	reconcile/preview  menus as the phone shows them (Markdown, HTML)
//	reconcile/audience who sees what: a plan's steps replayed on the account
//	reconcile/plans    Plan, Step, Action, reason codes, violations, the audience table's rows, the plan file
//	reconcile/canon    canonical buttons, live digest (imports only wechat)
//
// What a matchrule means (does a follower match it, does it cover another,
// how people read it) is wechat.MatchRule's, used by every package here.
package reconcile

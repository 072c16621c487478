// Package watch keeps accounts under observation: what `wxmenu drift
// --state` remembers between runs and `wxmenu watch` between sweeps.
//
// State (state.go) is each account's last drift status, kept in a JSON file
// written atomically and readable by its owner only; a damaged file is an
// error (StateError), never silently reset, since that would notify every
// account again or hide a change. Update records a status and says whether
// it is a change worth notifying (a new status; an account seen for the
// first time only when it is not in sync); Undo takes a change back when
// no notification could be delivered, so the next run tries again. Track
// does both for a run's accounts and posts the changes: `wxmenu drift
// --state` calls it once, watch after every sweep. The chat messages are
// in the run's language (Options.Printer; a drift's cause by
// reconcile.Drift.CauseIn), the JSON body in English.
//
// Run (watch.go) sweeps at an interval with a random tenth of jitter. A
// sweep checks every account (Options.Sweep: a plan run with read-only
// clients, judged by fleet.Report.Drift), heals the accounts that may
// (--self-heal and the account's self_heal: true: the state its last apply
// left is applied again through the rails, never the working tree), records
// the statuses, posts the changes (package notify) and saves the state. An
// account reverted MaxReverts sweeps in a row is paused: watch stops healing
// it and says so, until it is restarted. When the context ends during a
// sweep, the calls in flight finish and nothing new starts (no account, no
// revert); what was checked is recorded and notified, and no sweep
// follows.
//
// Metrics (metrics.go) are the Prometheus metrics served on /metrics, on a
// registry of their own: each account's status, when it was last checked,
// changes into drift by kind, WeChat API errors by endpoint and errcode, and
// how long the last sweep took.
//
// watch imports the engine (reconcile, for the statuses), notify and the
// helpers of internal/; the CLI wires it to the runner (fleet).
package watch

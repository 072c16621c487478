// Package fleet runs validate, plan, apply, export and trymatch over the
// accounts of a run in one process, with plain values (no CLI types): the
// selected accounts of a project, or the one unnamed account of a menus
// file (-f), which is a project of one account. Every account of every
// run gets the same plan and apply options (Options.Plan: rails and cap).
//
// # Model
//
// Each account gets its own reconcile.Session (its own client, lock and
// audit label) and its steps stay strictly serial; accounts run side by
// side, at most Options.Parallel at a time. The bound protects the runner
// and the token services (a token_command's service, the platform's
// component endpoints), not WeChat's limits, which are per account.
//
// Apply is two phases. First every account is locked, one by one in the
// order of the locks' names (so two runs over the same accounts never hold
// each other's locks), then opened and planned, or for a saved plan
// (plans.File) checked exactly as apply will check it (reconcile.Check:
// its file, a fresh read, its steps and review made again and judged by
// the rails with this run's thresholds). Only when every account checked
// out does the second phase apply the accounts with changes, in parallel.
// A blocked or stale account, or one that cannot be judged because of its
// own input (its menus file does not load, its lock is held), holds the
// whole run back (nothing is applied) unless SkipStale asks to apply the
// fresh accounts of a saved plan anyway; an account that fails (cannot be
// opened or read) is reported and never stops or touches another.
//
// The second phase runs in the project's rollout waves (Options.Waves,
// rollout.go; one wave without rollout:): the accounts of a wave apply in
// parallel, and the next wave starts only when every account of this one
// applied and verified or had nothing to do. Otherwise, and after
// Options.LastWave (apply --wave), the accounts with changes of the later
// waves are not started (Outcome.NotStarted, Held says why) and
// Report.Stopped names the wave that failed. A saved project plan is
// applied in waves by several runs: an account whose live menus already
// are what its plan leaves (reconcile.AlreadyApplied) is done
// (Outcome.AlreadyApplied), not stale.
//
// An account's mode (project.Mode) is honoured here: a paused account is
// neither locked nor read (status paused); an observed one (mode: observe,
// or recorded so by the saved plan) is planned or checked like any other
// and never applied, and its plan holds nothing back. Every
// account records through the run's one audit log (reconcile.OpenAudit):
// once a record cannot be written, no account makes another call.
// Show, Confirm and Progress let the caller print the plans, ask once and
// follow the steps (apply -f does all three). With one account nothing
// runs between its read and its apply, so apply starts from that read;
// with many, each account is read again just before its apply.
//
// Every account's desired state comes from project.Account.Desired (its
// menus file, or its template rendered with its vars), or, for plan
// --restore, from the audit log: plan, apply, validate, drift, export and
// trymatch read it nowhere else. Export leaves an account rendered from a
// template alone (TemplatedError): its file is the template others share.
// Bootstrap adds a platform's new authorizers, bound to a template when
// their live menus are the template rendered for them (a Diff of no
// step), else with their own exported file.
//
// A Report holds one Outcome per account in project order; Summary words
// it in one line and Worst is the outcome that decides the exit code.
//
// Select is the accounts of a project a command runs on (--account,
// --changed-files). ApplyInput decides, from apply's arguments, whether it
// works on a project (a saved project plan, or a project found without
// -f) and ApplyFile what apply on one menus file works on. Report.Save
// writes a plan run's plan file (one format for 1..N accounts).
package fleet

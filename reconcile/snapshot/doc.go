// Package snapshot is the snapshot file: what planning reads from
// accounts (reconcile.LiveRead), saved so that a plan can be made later
// without the accounts' credentials and without the network.
//
// # Why
//
// A pull request from a fork runs in CI without the repository's secrets,
// and WeChat has no read-only credential to give it. A trusted job (on the
// default branch, or on a schedule) takes a snapshot with the secrets
// (export --snapshot); the fork's job plans against it (plan --live). The
// plan is real (the same Diff, Review and Seal as a live plan, on the same
// answers) but it shows the accounts as they were when the snapshot was
// taken, so it says so in every format and apply refuses it
// (reconcile.CheckOffline): only a plan made with the credentials from a
// fresh read is ever applied.
//
// # Model
//
// A File holds one Account per account of the run (one unnamed entry for
// a menus file, -f; a project's accounts by name), each with the answers
// of the reads a plan makes, as read: menu/get's, get_current_selfmenu_info's
// when menu/get reported no menu, and tags/get's, taken always (a later
// file may name tags; reconcile.Session.PlanRead leaves them out for a
// file that names none, as a live plan does not read them). Account.Read
// turns the answers back into a reconcile.LiveRead with reconcile.Recorded,
// the one derivation of the console menu. No credential and no token is
// ever part of a snapshot: only the answers' bodies are kept.
//
// The file is versioned (FormatVersion) and sealed by Digest (the sha256
// of its compact JSON with digest empty, as plans are sealed), and Read is
// strict: a file that is not JSON, has unknown fields, is of another
// format, was cut short or edited is an error that names the file (and
// the line and column of a JSON error) and says to take the snapshot
// again. The digest proves the file whole, not who wrote it: anyone can
// recompute it, which is why a plan from a snapshot is never applied.
package snapshot

// Package audit is the write-ahead audit log apply writes: one JSON line
// (Record) per event, each written and fsynced on its own. A run opens one
// Log per file and every account it applies writes through it (For names
// the account on its records). A record whose write or fsync fails is
// rolled back (its own bytes cut from the end of the file, never another
// record's), so the log holds only whole lines, on a full disk too; the
// failure is kept, and every later record is refused with it, so apply
// makes no further call for any account sharing the log.
//
// Events:
//   - apply_start: apply passed its checks and is about to make its first
//     call (steps: how many).
//   - intent: written before every mutating call (step, action, endpoint,
//     name, menuid_before). An intent with no step record after it is a
//     call in flight when apply was killed: its outcome is unknown, so run
//     plan again.
//   - step: the outcome of the step the preceding intent named (outcome,
//     menuid_after, errcode, request_id, error, reread, duration_ms). A
//     re-sent delete has a second intent before this record.
//   - apply_done: every step done and the account verified.
//   - apply_failed: apply stopped (error says why).
//   - log_repaired: Open found the last line without its newline and ended
//     it (note says so).
//
// Records name the plan by its digest and never hold a credential.
//
// audit imports plans only; the engine in package reconcile builds the
// records.
package audit

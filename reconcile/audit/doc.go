// Package audit is the write-ahead audit log apply writes: one JSON line
// (Record) per event, each written and fsynced on its own, and rolled back
// (the file truncated to its previous size) when the write or the fsync
// fails, so the log holds only whole lines, on a full disk too.
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

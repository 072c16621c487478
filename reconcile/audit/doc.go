// Package audit is the audit log apply writes: one JSON line (Record) per
// event (apply_start, step, apply_done, apply_failed), each written and
// fsynced on its own so a killed process leaves only whole lines. Records
// name the plan by its digest and never hold a credential.
//
// audit imports plans only; the engine in package reconcile builds the
// records.
package audit

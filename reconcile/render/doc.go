// Package render shows plans to people and machines: Text (a terminal,
// optionally coloured), Markdown (a pull-request comment), JSON (the plan
// document itself) and HTML (a self-contained page of phone mocks, package
// preview). Each shows the review sections of review.go: a blocked plan's
// banner, the "who sees what" table, what followers see during apply, the
// final priority order, where the plan was made and how to apply it.
// ButtonLines renders a button list as indented lines.
//
// apply.go renders apply's results: its progress lines (Progress), what a
// stopped apply did (ApplySummary) and its JSON result document (ApplyJSON),
// whose "result" is the run's reconcile.Status. SeenMenu words which
// declared menu a follower sees.
//
// render reads plans and results and never changes them; it sits above
// the engine and imports reconcile, desired, plans and canon.
package render

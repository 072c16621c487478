// Package render shows plans to people and machines: Text (a terminal,
// optionally coloured), Markdown (a pull-request comment) and JSON (the plan
// document itself). ButtonLines renders a button list as indented lines.
// An HTML renderer would be one more file here.
//
// apply.go renders apply's results: its progress lines (Progress), what a
// stopped apply did (ApplySummary) and its JSON result document (ApplyJSON),
// whose "result" is the run's reconcile.Status. SeenMenu words which
// declared menu a follower sees.
//
// render reads plans and results and never changes them; it sits above
// the engine and imports reconcile, desired, plans and canon.
package render

// Package render shows plans to people and machines: Text (a terminal,
// optionally coloured), Markdown (a pull-request comment), JSON (the plan
// document itself) and HTML (a self-contained page of phone mocks, package
// preview). Each shows the review sections of review.go: a blocked plan's
// banner, the "who sees what" table, what followers see during apply, the
// final priority order, where the plan was made and how to apply it.
// Text from a plan, a file or an account is shown through internal/literal
// (Line, Markdown) or html/template; ButtonLines renders buttons as lines.
//
// Everything a reviewer reads is worded by Options.Printer, in the run's
// language (internal/i18n: every message is declared once in its
// catalogue; nil is English): a message's arguments are escaped as the
// English line's are. What the plan holds in English prose is worded again
// from its codes (a step's reason, plans.Step.ExplainIn; an audience's
// label, plans.Audience.LabelIn; a rule, wechat.MatchRule.DescribeIn);
// warnings and rail messages are shown as the plan holds them. JSON
// documents and the HTML comment marker never change with the language.
//
// apply.go renders apply's results: its progress lines (Progress), what a
// stopped apply did (ApplySummary) and its JSON result document (ApplyJSON),
// whose "result" is the run's reconcile.Status. SeenMenu words which
// declared menu a follower sees.
//
// A project's report reviews accounts with the same steps once (group.go):
// plans.GroupKey is the one definition of "the same", Text, Markdown, JSON
// (groups) and HTML all group by it, and a group is shown as its heading
// ("1,000 accounts: the same 2 steps", Count writes 1,000), the accounts'
// names compactly (runs that count up as store-0001…store-1000) and the
// plan once as plans.Shared gives it (Options.Group: no appid, menuids as
// plans.MenuIDMark, applied with the project's plan). Accounts that are
// blocked, failed, stale or held back are never grouped: each is shown on
// its own.
//
// waves.go shows a project's rollout and modes in the fleet reports: each
// account's wave and observed mode in its heading, the paused accounts on
// one line, a line per wave.
//
// report.go shows a run's report, one function for every run (Report): a
// run on one menus file (-f) with the single-account output above, a
// project's with the fleet reports (fleet.go, fleet_offline.go, whose
// Problems prints the problems of validate and render); Applying
// shows apply -f as it runs. hints.go makes every command printed for
// people safe to run as written: quoted (ShellWord), repeating --sandbox
// (HintGlobals, WithGlobals).
//
// render reads plans, results and reports and never changes them; it
// sits above the runner (fleet) and the engine.
package render

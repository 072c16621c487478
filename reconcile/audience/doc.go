// Package audience answers a reviewer's question about a plan: which
// followers see a different menu, now, during apply and after it. It is
// pure: an account and a plan's steps in, a table out, no I/O.
//
// # Model
//
// WeChat shows a follower the newest conditional menu whose matchrule
// matches them, else the default menu, else no menu (wechat-menu-api.md
// §3-4); whether a rule matches a follower is wechat.MatchRule.Matches: the
// rule's tag against the follower's most recently applied tag only, its
// platform against theirs, and a rule using a privacy field matches nobody.
//
// So what decides a follower's menu is the pair (last tag, platform). The
// audiences are every tag some rule before or after apply matches on, plus
// "no listed tag" (untagged followers and those whose last tag is none of
// them), each on each of the three platforms. Platforms of one tag that see
// the same menus are merged into one row, so a table is at most three rows
// per listed tag and usually one.
//
// A State is an account as matching sees it: the default menu and the
// conditional menus newest first, each labelled as the plan names it.
// Replay runs a plan's steps (plans.Step) on the state the plan was made
// from, one call at a time, as WeChat would (state.go), so the table
// describes the calls the plan makes and nothing else: which menus stay is
// the planner's decision, never this package's. Replaying also gives the
// menus followers see between two calls (a delete ordered first under a
// WeChat cap leaves them on a broader menu or the default menu until their
// new menu exists). Buttons are compared in their canonical form
// (canon.CanonicalButtons).
//
// # Losses
//
// A follower loses their personalized menu when they saw a conditional
// menu before and, after apply, see different buttons from the default
// menu, no menu, or a broader conditional menu (its rule covers the rule
// they matched, wechat.MatchRule.Covers, e.g. "tag 101" after "tag 101,
// iOS"). A menu for another group that now outranks theirs (a reorder) is a
// change, not a loss. A menu is removed for good when no menu with its
// matchrule exists after apply; recreating it, for priority or with new
// buttons, is not a removal. These are what a delete rail should count,
// not the number of calls.
//
// The table's types (plans.AudienceRow, plans.Seen) are the plan
// document's; audience imports plans, canon and wechat.
package audience

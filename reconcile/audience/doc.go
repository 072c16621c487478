// Package audience answers a reviewer's question about a menu change: which
// followers see a different menu, now, during apply and after it. It is pure:
// plain wechat values in, tables out, no I/O.
//
// # Model
//
// WeChat shows a follower the newest conditional menu whose matchrule
// matches them, else the default menu, else no menu (wechat-menu-api.md
// §3-4). A rule matches when every set field matches: tag_id is compared
// with the follower's most recently applied tag only (the last of their
// tags, as the emulator does; reference §3 [community:w3cschool-personalized]),
// client_platform_type with their platform ("1" iOS, "2" Android, "3"
// others), and a rule using a privacy field (sex, country, province, city,
// language) never matches ("dead").
//
// So what decides a follower's menu is the pair (last tag, platform). The
// audiences are every tag some live rule matches on or some desired rule
// names, plus "no listed tag" (untagged followers and those whose last tag
// is none of them), each on each of the three platforms. Platforms of one
// tag that see the same menus are merged into one row, so a table is at
// most four rows per listed tag and usually one.
//
// A State is an account as matching sees it: the default menu and the
// conditional menus newest first, each with a label (the desired name, or
// the rule and menuid of a live menu not in the file). Compute builds the
// state before apply from menu/get and the state after apply from the
// desired menus, by the rule the planner follows (design.md "Plan
// semantics"): the longest run at the low-priority end of the desired list
// found unchanged and in order among the managed live menus is kept, the
// rest is created above everything that stays, unmanaged menus stay where
// they are, every other managed or dead menu is deleted. Simulate instead
// replays a plan's steps, which also gives the transient menus followers
// see between two calls (a delete ordered first under a WeChat cap leaves
// them on a broader menu or the default menu until their new menu exists).
//
// Buttons are compared in a canonical form that ignores what menu/get adds
// ("sub_button": [] on leaves, no type on parents) and fields a button's
// type does not use.
//
// # Losses
//
// A follower loses their personalized menu when they saw a conditional
// menu before and, after apply, see different buttons from the default
// menu, no menu, or a broader conditional menu (its rule sets only some of
// the fields of the rule they matched, e.g. "tag 101" after "tag 101, iOS").
// A menu for another group that now outranks theirs (a reorder) is a change,
// not a loss. A menu
// is removed for good when no menu with its matchrule exists after apply;
// recreating it, for priority or with new buttons, is not a removal. These
// are what a delete rail should count, not the number of calls.
package audience

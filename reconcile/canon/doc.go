// Package canon holds the canonical forms the planner compares and digests:
// a matchrule as sorted key=value text (CanonicalRule), a button list as
// JSON in wire order without the fields WeChat echoes but ignores
// (CanonicalButtons), a conditional menu's identity (MenuIdentity: rule
// and buttons, since WeChat gives menus no name and cannot edit them), and
// the digest of a live account (LiveDigest) that pins a plan to what it
// was made from.
//
// WeChat's menu/get output differs from what was sent (tag_id comes back
// as group_id, values as strings or numbers, leaves with "sub_button": []);
// two menus are the same exactly when their canonical strings are equal.
// It also words rules for people (DescribeRule) and knows which rules are
// dead (RuleIsDead: privacy fields WeChat no longer matches).
//
// canon is the leaf of the reconcile tree: it imports only package wechat.
package canon

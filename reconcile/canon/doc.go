// Package canon holds the canonical forms the planner compares and the
// digests that pin a plan to what it was made from.
//
// A canonical form is the JSON of a canonical Go value, written by
// encoding/json with HTML characters left alone (JSON): a button list
// normalised by Buttons, without the fields WeChat echoes but ignores
// (CanonicalButtons, SameButtons). Two button lists are the same exactly
// when their forms are equal strings; nothing is memoised. A matchrule
// needs no form: decoded, it is canonical, and two rules are the same rule
// when they are == (what a rule means is wechat.MatchRule's). A
// conditional menu is a desired one when its rule is == and its buttons'
// forms are equal: WeChat gives menus no name and cannot edit them. A
// digest is "sha256:<hex>" of a document's JSON (Digest); LiveDigest is
// that of the live account, menuids and listed order included.
//
// WeChat's menu/get output differs from what was sent (tag_id comes back
// as group_id, values as strings or numbers, leaves with "sub_button": []);
// the decoders in package wechat fold the first two and the forms drop the
// rest.
//
// canon is the leaf of the reconcile tree: it imports only package wechat.
package canon

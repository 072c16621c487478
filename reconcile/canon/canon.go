package canon

import (
	"strings"

	"github.com/wxmenu/wxmenu/wechat"
)

// The canonical forms below are what the plan compares. menu/get echoes
// tag_id as group_id, returns rule values as strings or numbers and adds
// "sub_button": [] to leaves; the decoders in package wechat already fold the
// first two, and the forms here make the rest irrelevant: two menus are the
// same exactly when their canonical forms are equal. A form is the JSON of a
// canonical Go value (JSON, below): a wechat.MatchRule as it is, a button
// list normalised by Buttons.

// CanonicalRule returns the canonical form of a matchrule: its JSON, the
// set fields in wechat.MatchRule's order, e.g.
// `{"tag_id":"101","client_platform_type":"1"}`. The empty rule is `{}`.
func CanonicalRule(r wechat.MatchRule) string {
	return string(JSON(r))
}

// CanonicalButtons returns the canonical form of a button list: the JSON of
// Buttons(b), fields in wire order, leaves without sub_button or
// fields their type does not use, parents with only their name and
// sub-buttons, no HTML escaping. nil and empty lists both give "[]".
func CanonicalButtons(b []wechat.Button) string {
	return string(JSON(Buttons(b)))
}

// Buttons returns a button list normalised to its canonical value, whose
// JSON is its canonical form (CanonicalButtons), for documents that hold
// canonical buttons (the digests). The list is never nil, so it encodes as
// [] rather than null.
func Buttons(bs []wechat.Button) []wechat.Button {
	out := make([]wechat.Button, 0, len(bs))
	for _, b := range bs {
		if len(b.SubButtons) > 0 {
			// A parent button is its name and its sub-buttons: WeChat
			// ignores and never echoes anything else on it.
			out = append(out, wechat.Button{Name: b.Name, SubButtons: Buttons(b.SubButtons)})
			continue
		}
		// A leaf: menu/get's "sub_button": [] is dropped (omitempty), and
		// so are fields its type does not use, which WeChat echoes but
		// ignores.
		b = b.WithoutUnusedFields()
		b.SubButtons = nil
		out = append(out, b)
	}
	return out
}

// canonicalMenu is a conditional menu as its identity holds it.
type canonicalMenu struct {
	MatchRule wechat.MatchRule `json:"matchrule"`
	Buttons   []wechat.Button  `json:"button"`
}

// MenuIdentity returns a conditional menu's identity: the canonical form of
// its matchrule and buttons together, so two menus are the same menu
// exactly when their identities are equal. WeChat gives menus no name, so
// this is how a live menu is recognised as a desired one.
func MenuIdentity(rule wechat.MatchRule, buttons []wechat.Button) string {
	return string(JSON(canonicalMenu{rule, Buttons(buttons)}))
}

// RuleIsDead reports whether a matchrule uses a privacy field (sex, region,
// language). WeChat rejects such rules for new menus (65320) and existing
// menus with them never match any user.
func RuleIsDead(r wechat.MatchRule) bool {
	return len(r.PrivacyFields()) > 0
}

// DescribeRule returns a matchrule in words for people, e.g. `tag 101, iOS`,
// `Android`, `sex 1 (dead)`.
func DescribeRule(r wechat.MatchRule) string {
	var parts []string
	if r.TagID != "" {
		parts = append(parts, "tag "+r.TagID)
	}
	if r.ClientPlatformType != "" {
		if name, ok := wechat.ClientPlatformName(r.ClientPlatformType); ok {
			parts = append(parts, name)
		} else {
			parts = append(parts, "platform "+r.ClientPlatformType)
		}
	}
	for _, f := range []struct{ key, value string }{
		{"sex", r.Sex}, {"country", r.Country}, {"province", r.Province},
		{"city", r.City}, {"language", r.Language},
	} {
		if f.value != "" {
			parts = append(parts, f.key+" "+f.value)
		}
	}
	if len(parts) == 0 {
		return "empty matchrule"
	}
	s := strings.Join(parts, ", ")
	if RuleIsDead(r) {
		s += " (dead)"
	}
	return s
}

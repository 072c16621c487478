package canon

import (
	"strconv"
	"strings"

	"github.com/wxmenu/wxmenu/wechat"
)

// The canonical forms below are what the plan compares. menu/get echoes
// tag_id as group_id, returns rule values as strings or numbers and adds
// "sub_button": [] to leaves; the decoders in package wechat already fold the
// first two, and the forms here make the rest irrelevant: two menus are the
// same exactly when their canonical strings are equal.

// CanonicalRule returns a stable text form of a matchrule: the set fields in
// alphabetical order as key=value, comma-separated, e.g.
// `client_platform_type=1,tag_id=101`. Values holding separators or spaces
// are quoted so different rules never print alike. The empty rule is "".
func CanonicalRule(r wechat.MatchRule) string {
	fields := [...]struct{ key, value string }{
		{"city", r.City},
		{"client_platform_type", r.ClientPlatformType},
		{"country", r.Country},
		{"language", r.Language},
		{"province", r.Province},
		{"sex", r.Sex},
		{"tag_id", r.TagID},
	}
	n := 0
	for i, f := range fields {
		if f.value != "" {
			fields[i].value = quoteRuleValue(f.value)
			n += len(f.key) + 1 + len(fields[i].value) + 1
		}
	}
	if n == 0 {
		return ""
	}
	var b strings.Builder
	b.Grow(n - 1) // one allocation: the planner writes a rule per menu
	for _, f := range fields {
		if f.value == "" {
			continue
		}
		if b.Len() > 0 {
			b.WriteByte(',')
		}
		b.WriteString(f.key)
		b.WriteByte('=')
		b.WriteString(f.value)
	}
	return b.String()
}

func quoteRuleValue(v string) string {
	plain := true // printable ASCII but for the separators: the common case
	for i := 0; i < len(v) && plain; i++ {
		plain = plainRuleByte[v[i]]
	}
	if !plain && (strings.ContainsAny(v, ",=\"\\ \t\r\n") || !strconv.CanBackquote(v)) {
		return strconv.Quote(v)
	}
	return v
}

// plainRuleByte marks the bytes a rule value keeps unquoted on sight:
// printable ASCII other than space , = " \ and `.
var plainRuleByte = func() (t [256]bool) {
	for c := byte('!'); c < 0x7f; c++ {
		t[c] = !strings.ContainsRune(",=\"\\`", rune(c))
	}
	return t
}()

// CanonicalButtons returns a stable JSON form of a button list: fields in
// wire order, leaves without sub_button or fields their type does not use,
// parents with only their name and sub-buttons, no HTML escaping. nil and
// empty lists both give "[]".
func CanonicalButtons(b []wechat.Button) string {
	return string(appendCanonicalButtons(make([]byte, 0, 128*len(b)+2), b))
}

// menuIdentity returns a conditional menu's identity: two menus are the
// same menu exactly when their identities are equal (same canonical
// matchrule and same canonical buttons). WeChat gives menus no name, so this
// is how a live menu is recognised as a desired one.
func MenuIdentity(rule wechat.MatchRule, buttons []wechat.Button) string {
	return CanonicalRule(rule) + "\x00" + CanonicalButtons(buttons)
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

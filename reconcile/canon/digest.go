package canon

import (
	"crypto/sha256"
	"encoding/hex"

	"github.com/wxmenu/wxmenu/wechat"
)

// Digests pin a plan to what it was made from: apply recomputes both and
// refuses the plan when either differs. They hash canonical forms, so a
// re-read that differs only in WeChat's encoding quirks digests the same.
// The hashed document is JSON as json.Marshal writes it (HTML escaped),
// built by hand from forms computed once per menu.

// LiveForm is a live menu's canonical form: its menuid, CanonicalRule and
// CanonicalButtons (Rule is empty for the default menu).
type LiveForm struct{ MenuID, Rule, Buttons string }

// LiveDigest returns "sha256:<hex>" of the canonical live state including
// menuids and the order menu/get listed the conditional menus in: any
// change on the account, even one that recreates an identical menu, changes
// it. A nil set (nothing read) digests differently from an empty account.
func LiveDigest(live *wechat.MenuSet) string {
	if live == nil {
		return Sum([]byte("null"))
	}
	var def *LiveForm
	if live.Default != nil {
		def = &LiveForm{MenuID: live.Default.MenuID, Buttons: CanonicalButtons(live.Default.Buttons)}
	}
	menus := make([]LiveForm, len(live.Conditional))
	for i, c := range live.Conditional {
		menus[i] = LiveForm{MenuID: c.MenuID, Rule: CanonicalRule(c.MatchRule), Buttons: CanonicalButtons(c.Buttons)}
	}
	return LiveDigestOf(def, menus)
}

// LiveDigestOf is LiveDigest of forms already computed: the default menu's
// (nil when there is none) and the conditional menus' in listed order.
func LiveDigestOf(def *LiveForm, menus []LiveForm) string {
	size := 64
	for _, m := range menus {
		size += len(m.MenuID) + len(m.Rule) + len(m.Buttons) + 48
	}
	b := make([]byte, 0, size)
	b = append(b, `{"default":`...)
	if def == nil {
		b = append(b, "null"...)
	} else {
		b = def.appendJSON(b)
	}
	b = append(b, `,"conditional":[`...)
	for i, m := range menus {
		if i > 0 {
			b = append(b, ',')
		}
		b = m.appendJSON(b)
	}
	return Sum(append(b, "]}"...))
}

func (m LiveForm) appendJSON(b []byte) []byte {
	b = append(b, `{"menuid":`...)
	b = AppendJSONString(b, m.MenuID)
	b = append(b, `,"rule":`...)
	b = AppendJSONString(b, m.Rule)
	b = append(b, `,"buttons":`...)
	b = AppendJSONString(b, m.Buttons)
	return append(b, '}')
}

// AppendJSONString appends s as json.Marshal writes a string (HTML
// characters escaped), for digest documents.
func AppendJSONString(dst []byte, s string) []byte { return appendJSONString(dst, s, true) }

// Sum returns "sha256:<hex>" of data.
func Sum(data []byte) string {
	sum := sha256.Sum256(data)
	return "sha256:" + hex.EncodeToString(sum[:])
}

package canon

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"

	"github.com/wxmenu/wxmenu/wechat"
)

// Digests pin a plan to what it was made from: apply recomputes both and
// refuses the plan when either differs. They hash canonical forms, so a
// re-read that differs only in WeChat's encoding quirks digests the same.

// LiveDigest returns "sha256:<hex>" of the canonical live state including
// menuids and the order menu/get listed the conditional menus in: any
// change on the account, even one that recreates an identical menu, changes
// it. A nil set (nothing read) digests differently from an empty account.
func LiveDigest(live *wechat.MenuSet) string {
	if live == nil {
		return JSONDigest(nil)
	}
	type menu struct {
		MenuID  string `json:"menuid"`
		Rule    string `json:"rule"`
		Buttons string `json:"buttons"`
	}
	doc := struct {
		Default     *menu  `json:"default"`
		Conditional []menu `json:"conditional"`
	}{Conditional: []menu{}}
	if live.Default != nil {
		doc.Default = &menu{MenuID: live.Default.MenuID, Buttons: CanonicalButtons(live.Default.Buttons)}
	}
	for _, c := range live.Conditional {
		doc.Conditional = append(doc.Conditional, menu{
			MenuID: c.MenuID, Rule: CanonicalRule(c.MatchRule), Buttons: CanonicalButtons(c.Buttons),
		})
	}
	return JSONDigest(doc)
}

func JSONDigest(v any) string {
	data, err := json.Marshal(v)
	if err != nil {
		// Only strings, bools and slices of them are hashed: unreachable.
		data = []byte(err.Error())
	}
	sum := sha256.Sum256(data)
	return "sha256:" + hex.EncodeToString(sum[:])
}

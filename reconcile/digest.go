package reconcile

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"

	"github.com/wxmenu/wxmenu/wechat"
)

// Digests pin a plan to what it was made from: apply recomputes both and
// refuses the plan when either differs. They hash canonical forms, so a
// re-read that differs only in WeChat's encoding quirks digests the same.

// Digest returns "sha256:<hex>" of the canonical desired state: the default
// menu, each conditional menu's name, rule, buttons and protect flag in
// order, and the unmanaged rules in order. Path and positions are left out,
// so moving or reformatting the file does not change it.
func (ds *DesiredState) Digest() string {
	type menu struct {
		Name    string `json:"name"`
		Rule    string `json:"rule"`
		Buttons string `json:"buttons"`
		Protect bool   `json:"protect"`
	}
	doc := struct {
		Default     *string  `json:"default"`
		Conditional []menu   `json:"conditional"`
		Unmanaged   []string `json:"unmanaged"`
	}{Conditional: []menu{}, Unmanaged: []string{}}
	if ds != nil {
		if ds.Default != nil {
			b := CanonicalButtons(ds.Default.Buttons)
			doc.Default = &b
		}
		for _, c := range ds.Conditional {
			doc.Conditional = append(doc.Conditional, menu{
				Name: c.Name, Rule: CanonicalRule(c.MatchRule),
				Buttons: CanonicalButtons(c.Buttons), Protect: c.Protect,
			})
		}
		for _, u := range ds.Unmanaged {
			doc.Unmanaged = append(doc.Unmanaged, CanonicalRule(u.MatchRule))
		}
	}
	return sha256Digest(doc)
}

// LiveDigest returns "sha256:<hex>" of the canonical live state including
// menuids and the order menu/get listed the conditional menus in: any
// change on the account, even one that recreates an identical menu, changes
// it. A nil set (nothing read) digests differently from an empty account.
func LiveDigest(live *wechat.MenuSet) string {
	if live == nil {
		return sha256Digest(nil)
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
	return sha256Digest(doc)
}

func sha256Digest(v any) string {
	data, err := json.Marshal(v)
	if err != nil {
		// Only strings, bools and slices of them are hashed: unreachable.
		data = []byte(err.Error())
	}
	sum := sha256.Sum256(data)
	return "sha256:" + hex.EncodeToString(sum[:])
}

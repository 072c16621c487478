package desired

import "github.com/wxmenu/wxmenu/reconcile/canon"

// Digests pin a plan to what it was made from: apply recomputes both and
// refuses the plan when either differs. They hash canonical forms, so a
// re-read that differs only in WeChat's encoding quirks digests the same.

// Digest returns "sha256:<hex>" of the canonical desired state: the default
// menu, each conditional menu's name, rule, buttons and protect flag in
// order, and the unmanaged rules in order. Path and positions are left out,
// so moving or reformatting the file does not change it.
func (ds *State) Digest() string {
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
			b := canon.CanonicalButtons(ds.Default.Buttons)
			doc.Default = &b
		}
		for _, c := range ds.Conditional {
			doc.Conditional = append(doc.Conditional, menu{
				Name: c.Name, Rule: canon.CanonicalRule(c.MatchRule),
				Buttons: canon.CanonicalButtons(c.Buttons), Protect: c.Protect,
			})
		}
		for _, u := range ds.Unmanaged {
			doc.Unmanaged = append(doc.Unmanaged, canon.CanonicalRule(u.MatchRule))
		}
	}
	return canon.JSONDigest(doc)
}

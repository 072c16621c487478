package desired

import "github.com/wxmenu/wxmenu/reconcile/canon"

// MenuForm is a declared conditional menu's canonical form, as Digest
// hashes it.
type MenuForm struct {
	Name, Rule, Buttons string
	Protect             bool
}

// Digest returns "sha256:<hex>" of the canonical desired state: the default
// menu, each conditional menu's name, rule, buttons and protect flag in
// order, and the unmanaged rules in order. Path and positions are left out,
// so moving or reformatting the file does not change it.
func (ds *State) Digest() string {
	if ds == nil {
		return DigestOf(nil, nil, nil)
	}
	var def *string
	if ds.Default != nil {
		b := canon.CanonicalButtons(ds.Default.Buttons)
		def = &b
	}
	menus := make([]MenuForm, len(ds.Conditional))
	for i, c := range ds.Conditional {
		menus[i] = MenuForm{Name: c.Name, Rule: canon.CanonicalRule(c.MatchRule), Buttons: canon.CanonicalButtons(c.Buttons), Protect: c.Protect}
	}
	return DigestOf(def, menus, ds.UnmanagedForms())
}

// UnmanagedForms returns the canonical rules of the unmanaged rules, in
// order.
func (ds *State) UnmanagedForms() []string {
	out := make([]string, len(ds.Unmanaged))
	for i, u := range ds.Unmanaged {
		out[i] = canon.CanonicalRule(u.MatchRule)
	}
	return out
}

// DigestOf is Digest of forms already computed: the default menu's
// canonical buttons (nil when there is none), the conditional menus' forms
// in priority order and the unmanaged rules' canonical rules.
func DigestOf(defaultButtons *string, menus []MenuForm, unmanaged []string) string {
	var h canon.Hasher
	h.Append(`{"default":`)
	if defaultButtons == nil {
		h.Append("null")
	} else {
		h.String(*defaultButtons)
	}
	h.Append(`,"conditional":[`)
	for i, m := range menus {
		if i > 0 {
			h.Append(",")
		}
		h.Append(`{"name":`)
		h.String(m.Name)
		h.Append(`,"rule":`)
		h.String(m.Rule)
		h.Append(`,"buttons":`)
		h.String(m.Buttons)
		if m.Protect {
			h.Append(`,"protect":true}`)
		} else {
			h.Append(`,"protect":false}`)
		}
	}
	h.Append(`],"unmanaged":[`)
	for i, u := range unmanaged {
		if i > 0 {
			h.Append(",")
		}
		h.String(u)
	}
	h.Append("]}")
	return h.Sum()
}

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
	size := 64
	for _, m := range menus {
		size += len(m.Name) + len(m.Rule) + len(m.Buttons) + 64
	}
	b := make([]byte, 0, size)
	b = append(b, `{"default":`...)
	if defaultButtons == nil {
		b = append(b, "null"...)
	} else {
		b = canon.AppendJSONString(b, *defaultButtons)
	}
	b = append(b, `,"conditional":[`...)
	for i, m := range menus {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, `{"name":`...)
		b = canon.AppendJSONString(b, m.Name)
		b = append(b, `,"rule":`...)
		b = canon.AppendJSONString(b, m.Rule)
		b = append(b, `,"buttons":`...)
		b = canon.AppendJSONString(b, m.Buttons)
		if m.Protect {
			b = append(b, `,"protect":true}`...)
		} else {
			b = append(b, `,"protect":false}`...)
		}
	}
	b = append(b, `],"unmanaged":[`...)
	for i, u := range unmanaged {
		if i > 0 {
			b = append(b, ',')
		}
		b = canon.AppendJSONString(b, u)
	}
	return canon.Sum(append(b, "]}"...))
}

package desired

import "github.com/wxmenu/wxmenu/reconcile/canon"

// Digest returns "sha256:<hex>" of the canonical desired state: the default
// menu, each conditional menu's name, rule, buttons and protect flag in
// order, the unmanaged rules in order, and the tags: map (WithTags). Path and positions are left out,
// so moving or reformatting the file does not change it.
func (ds *State) Digest() string {
	var w DigestWriter
	if ds == nil {
		w.NoDefault()
		return w.Sum(nil, nil)
	}
	if ds.Default != nil {
		w.Default(canon.AppendQuotedButtons(nil, ds.Default.Buttons))
	} else {
		w.NoDefault()
	}
	for _, c := range ds.Conditional {
		w.Menu(c.Name, canon.CanonicalRule(c.MatchRule), canon.AppendQuotedButtons(nil, c.Buttons), c.Protect)
	}
	return w.Sum(ds.UnmanagedForms(), ds.Tags)
}

// DigestWriter writes Digest's document as the planner computes the forms,
// so no form outlives its menu's turn: first Default or NoDefault, then
// Menu for each conditional menu in priority order, then Sum. Its zero
// value is ready to use.
type DigestWriter struct {
	h canon.Hasher
	n int // conditional menus written
}

// Default writes the default menu's buttons: their canonical form as a
// JSON string (canon.AppendQuotedButtons).
func (w *DigestWriter) Default(buttons []byte) {
	w.h.Append(`{"default":`)
	w.h.Bytes(buttons)
	w.h.Append(`,"conditional":[`)
}

// NoDefault writes that the file declares no default menu.
func (w *DigestWriter) NoDefault() { w.h.Append(`{"default":null,"conditional":[`) }

// Menu writes the next conditional menu: its name, canonical rule,
// buttons (as for Default) and protect flag.
func (w *DigestWriter) Menu(name, rule string, buttons []byte, protect bool) {
	if w.n > 0 {
		w.h.Append(",")
	}
	w.n++
	w.h.Append(`{"name":`)
	w.h.String(name)
	w.h.Append(`,"rule":`)
	w.h.String(rule)
	w.h.Append(`,"buttons":`)
	w.h.Bytes(buttons)
	if protect {
		w.h.Append(`,"protect":true}`)
	} else {
		w.h.Append(`,"protect":false}`)
	}
}

// Sum ends the document with the unmanaged rules' canonical forms, in
// order, and returns its digest with the tags: map (WithTags).
func (w *DigestWriter) Sum(unmanaged []string, tags map[string]string) string {
	w.h.Append(`],"unmanaged":[`)
	for i, u := range unmanaged {
		if i > 0 {
			w.h.Append(",")
		}
		w.h.String(u)
	}
	w.h.Append("]}")
	return WithTags(w.h.Sum(), tags)
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

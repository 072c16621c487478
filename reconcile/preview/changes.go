package preview

import (
	"github.com/wxmenu/wxmenu/internal/i18n"
	"github.com/wxmenu/wxmenu/internal/literal"
	"github.com/wxmenu/wxmenu/reconcile/canon"
	"github.com/wxmenu/wxmenu/wechat"
)

// A target (a key, a url) is invisible on the phone but is what a button
// does, so the page lists, under the phones, every button that is changed,
// new or removed with its fields before and after: a reviewer can read the
// url a changed button now opens.

// buttonChange is one button that differs between before and after.
type buttonChange struct {
	Mark mark
	Word string // Mark in the reader's words
	// Path names the button: its name, after its parent's for a
	// sub-button ("服务 › 订单查询").
	Path          string
	Before, After []field // nil on the side without the button
}

// field is one field of a button as the page lists it.
type field struct {
	Name, Value string
	// Differs is true when the other side has another value (or none).
	Differs bool
}

// buttonChanges lists the buttons that differ between before and after,
// matched as the phones mark them (counterparts), in the order of the
// phone after apply, then the removed ones; a sub-menu whose name stays
// is listed only through its sub-buttons.
func buttonChanges(tr *i18n.Printer, before, after []wechat.Button) []buttonChange {
	out := changesAt(tr, "", before, after)
	for i := range out {
		out[i].Word = markWord(tr, out[i].Mark)
	}
	return out
}

// markWord is a mark in the reader's words.
func markWord(tr *i18n.Printer, m mark) string {
	switch m {
	case markAdded:
		return tr.Msg("added")
	case markChanged:
		return tr.Msg("changed")
	case markRemoved:
		return tr.Msg("removed")
	}
	return string(m)
}

func changesAt(tr *i18n.Printer, parent string, before, after []wechat.Button) []buttonChange {
	var out []buttonChange
	pair := counterparts(before, after)
	from := make([]int, len(after)) // the counterpart before of each button after
	for j := range from {
		from[j] = -1
	}
	for i, j := range pair {
		if j >= 0 {
			from[j] = i
		}
	}
	path := func(b wechat.Button) string {
		if parent == "" {
			return literal.Line(b.Name)
		}
		return parent + " › " + literal.Line(b.Name)
	}
	for j, a := range after {
		i := from[j]
		if i < 0 {
			out = append(out, buttonChange{Mark: markAdded, Path: path(a), After: fields(tr, a, nil)})
			out = append(out, changesAt(tr, path(a), nil, a.SubButtons)...)
			continue
		}
		b := before[i]
		if canon.SameButtons(before[i:i+1], after[j:j+1]) {
			continue
		}
		if !(isParent(a) && isParent(b) && a.Name == b.Name) {
			out = append(out, buttonChange{Mark: markChanged, Path: path(a), Before: fields(tr, b, &a), After: fields(tr, a, &b)})
		}
		out = append(out, changesAt(tr, path(a), b.SubButtons, a.SubButtons)...)
	}
	for i, b := range before {
		if pair[i] < 0 {
			out = append(out, buttonChange{Mark: markRemoved, Path: path(b), Before: fields(tr, b, nil)})
			out = append(out, changesAt(tr, path(b), b.SubButtons, nil)...)
		}
	}
	return out
}

// fields lists b's name, type and the fields it sets (a sub-menu's count
// of sub-buttons), each marked when other (nil: none) differs.
func fields(tr *i18n.Printer, b wechat.Button, other *wechat.Button) []field {
	values := func(b *wechat.Button) [][2]string {
		if b == nil {
			return nil
		}
		out := [][2]string{{"name", b.Name}, {"type", b.Type}}
		for _, f := range wechat.ButtonFields() {
			out = append(out, [2]string{f.Name, f.Value(b)})
		}
		if isParent(*b) {
			out = append(out, [2]string{"sub_button", tr.Msg("%d buttons", len(b.SubButtons))})
		}
		return out
	}
	theirs := map[string]string{}
	for _, v := range values(other) {
		theirs[v[0]] = v[1]
	}
	var out []field
	for _, v := range values(&b) {
		if v[1] == "" {
			continue
		}
		shown := v[1]
		if v[0] == "type" {
			shown = wechat.ButtonTypeName(tr, shown)
		}
		out = append(out, field{Name: v[0], Value: literal.Line(shown), Differs: other != nil && theirs[v[0]] != v[1]})
	}
	return out
}

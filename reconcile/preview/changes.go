package preview

import (
	"fmt"

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
func buttonChanges(before, after []wechat.Button) []buttonChange {
	return changesAt("", before, after)
}

func changesAt(parent string, before, after []wechat.Button) []buttonChange {
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
			out = append(out, buttonChange{Mark: markAdded, Path: path(a), After: fields(a, nil)})
			out = append(out, changesAt(path(a), nil, a.SubButtons)...)
			continue
		}
		b := before[i]
		if canon.SameButtons(before[i:i+1], after[j:j+1]) {
			continue
		}
		if !(isParent(a) && isParent(b) && a.Name == b.Name) {
			out = append(out, buttonChange{Mark: markChanged, Path: path(a), Before: fields(b, &a), After: fields(a, &b)})
		}
		out = append(out, changesAt(path(a), b.SubButtons, a.SubButtons)...)
	}
	for i, b := range before {
		if pair[i] < 0 {
			out = append(out, buttonChange{Mark: markRemoved, Path: path(b), Before: fields(b, nil)})
			out = append(out, changesAt(path(b), b.SubButtons, nil)...)
		}
	}
	return out
}

// fields lists b's name, type and the fields it sets (a sub-menu's count
// of sub-buttons), each marked when other (nil: none) differs.
func fields(b wechat.Button, other *wechat.Button) []field {
	values := func(b *wechat.Button) [][2]string {
		if b == nil {
			return nil
		}
		out := [][2]string{{"name", b.Name}, {"type", b.Type}}
		for _, f := range wechat.ButtonFields() {
			out = append(out, [2]string{f.Name, f.Value(b)})
		}
		if isParent(*b) {
			out = append(out, [2]string{"sub_button", fmt.Sprintf("%d buttons", len(b.SubButtons))})
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
		out = append(out, field{Name: v[0], Value: literal.Line(v[1]), Differs: other != nil && theirs[v[0]] != v[1]})
	}
	return out
}

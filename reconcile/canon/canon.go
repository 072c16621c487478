package canon

import "github.com/wxmenu/wxmenu/wechat"

// CanonicalButtons returns the canonical form of a button list: the JSON of
// Buttons(b), fields in wire order, leaves without sub_button or
// fields their type does not use, parents with only their name and
// sub-buttons, no HTML escaping. nil and empty lists both give "[]".
func CanonicalButtons(b []wechat.Button) string {
	return string(JSON(Buttons(b)))
}

// Buttons returns a button list normalised to its canonical value, whose
// JSON is its canonical form (CanonicalButtons), for documents that hold
// canonical buttons (the digests). The list is never nil, so it encodes as
// [] rather than null.
func Buttons(bs []wechat.Button) []wechat.Button {
	out := make([]wechat.Button, 0, len(bs))
	for _, b := range bs {
		if len(b.SubButtons) > 0 {
			// A parent button is its name and its sub-buttons: WeChat
			// ignores and never echoes anything else on it.
			out = append(out, wechat.Button{Name: b.Name, SubButtons: Buttons(b.SubButtons)})
			continue
		}
		// A leaf: menu/get's "sub_button": [] is dropped (omitempty), and
		// so are fields its type does not use, which WeChat echoes but
		// ignores.
		b = b.WithoutUnusedFields()
		b.SubButtons = nil
		out = append(out, b)
	}
	return out
}

// SameButtons reports whether a and b show the same menu: their canonical
// forms are equal.
func SameButtons(a, b []wechat.Button) bool { return CanonicalButtons(a) == CanonicalButtons(b) }

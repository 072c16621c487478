package canon

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"

	"github.com/wxmenu/wxmenu/wechat"
)

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

// Digests pin a plan to what it was made from: apply recomputes them and
// refuses the plan when one differs. A digest is the sha256 of a document's
// JSON (JSON, below); the documents hold canonical forms, so a re-read that
// differs only in WeChat's encoding quirks digests the same.

// Marshal returns v as encoding/json writes it with HTML characters left
// alone (an Encoder with SetEscapeHTML(false), so a URL keeps its "&"),
// compact and without the Encoder's final newline.
func Marshal(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}

// JSON is Marshal for the canonical values of this package and the digest
// documents: strings, bools, slices, maps with string keys and structs of
// them, which always encode. Anything else is a programming error and
// panics.
func JSON(v any) []byte {
	data, err := Marshal(v)
	if err != nil {
		panic(fmt.Sprintf("canon: encoding a %T: %v", v, err))
	}
	return data
}

// Digest returns "sha256:<hex>" of JSON(v).
func Digest(v any) string { return Sum(JSON(v)) }

// Sum returns "sha256:<hex>" of data.
func Sum(data []byte) string {
	sum := sha256.Sum256(data)
	return "sha256:" + hex.EncodeToString(sum[:])
}

// liveMenu is one menu of LiveDigest's document: the default menu has no
// matchrule.
type liveMenu struct {
	MenuID    string            `json:"menuid"`
	MatchRule *wechat.MatchRule `json:"matchrule,omitempty"`
	Buttons   []wechat.Button   `json:"button"`
}

// LiveDigest returns the digest of the canonical live state, menuids and
// the order menu/get listed the conditional menus in included: any change
// on the account, even one that recreates an identical menu, changes it.
// The document is {"default": menu or null, "conditional": [menu, ...]},
// each menu its menuid, matchrule and canonical buttons. A nil set
// (nothing read) digests differently from an empty account.
func LiveDigest(live *wechat.MenuSet) string {
	if live == nil {
		return Digest(nil)
	}
	doc := struct {
		Default     *liveMenu  `json:"default"`
		Conditional []liveMenu `json:"conditional"`
	}{Conditional: make([]liveMenu, 0, len(live.Conditional))}
	if def := live.Default; def != nil {
		doc.Default = &liveMenu{MenuID: def.MenuID, Buttons: Buttons(def.Buttons)}
	}
	for i := range live.Conditional {
		c := &live.Conditional[i]
		doc.Conditional = append(doc.Conditional, liveMenu{MenuID: c.MenuID, MatchRule: &c.MatchRule, Buttons: Buttons(c.Buttons)})
	}
	return Digest(doc)
}

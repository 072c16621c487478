package canon

import (
	"crypto/sha256"
	"encoding/hex"
	"hash"
	"strconv"

	"github.com/wxmenu/wxmenu/wechat"
)

// Digests pin a plan to what it was made from: apply recomputes both and
// refuses the plan when either differs. They hash canonical forms, so a
// re-read that differs only in WeChat's encoding quirks digests the same.
// The hashed document is JSON as json.Marshal writes it (HTML escaped),
// built by hand from forms computed once per menu.

// LiveForm is a live menu's canonical form: its menuid, CanonicalRule and
// CanonicalButtons (Rule is empty for the default menu).
type LiveForm struct{ MenuID, Rule, Buttons string }

// LiveDigest returns "sha256:<hex>" of the canonical live state including
// menuids and the order menu/get listed the conditional menus in: any
// change on the account, even one that recreates an identical menu, changes
// it. A nil set (nothing read) digests differently from an empty account.
func LiveDigest(live *wechat.MenuSet) string {
	if live == nil {
		return Sum([]byte("null"))
	}
	var def *LiveForm
	if live.Default != nil {
		def = &LiveForm{MenuID: live.Default.MenuID, Buttons: CanonicalButtons(live.Default.Buttons)}
	}
	menus := make([]LiveForm, len(live.Conditional))
	for i, c := range live.Conditional {
		menus[i] = LiveForm{MenuID: c.MenuID, Rule: CanonicalRule(c.MatchRule), Buttons: CanonicalButtons(c.Buttons)}
	}
	return LiveDigestOf(def, menus)
}

// LiveDigestOf is LiveDigest of forms already computed: the default menu's
// (nil when there is none) and the conditional menus' in listed order.
func LiveDigestOf(def *LiveForm, menus []LiveForm) string {
	var h Hasher
	h.Append(`{"default":`)
	if def == nil {
		h.Append("null")
	} else {
		h.grow()
		h.buf = def.appendJSON(h.buf)
	}
	h.Append(`,"conditional":[`)
	for i, m := range menus {
		if i > 0 {
			h.Append(",")
		}
		h.buf = m.appendJSON(h.buf)
		h.flush(false)
	}
	h.Append("]}")
	return h.Sum()
}

// Hasher hashes a document as it is written, through a small buffer, so a
// digest of a large account never holds the whole document. Its zero value
// is ready to use; keep it in a local variable (it then lives on the
// stack, and the hot loop pays no write barriers).
type Hasher struct {
	h   hash.Hash
	buf []byte
}

func (h *Hasher) grow() {
	if h.h == nil {
		h.h = sha256.New()
		h.buf = make([]byte, 0, 8192)
	}
}

func (h *Hasher) flush(all bool) {
	if all || len(h.buf) >= 4096 {
		h.h.Write(h.buf)
		h.buf = h.buf[:0]
	}
}

// Append writes raw text.
func (h *Hasher) Append(s string) {
	h.grow()
	h.buf = append(h.buf, s...)
	h.flush(false)
}

// String writes s as a JSON string, as json.Marshal does.
func (h *Hasher) String(s string) {
	h.grow()
	h.buf = AppendJSONString(h.buf, s)
	h.flush(false)
}

// Int writes n in decimal.
func (h *Hasher) Int(n int) {
	h.grow()
	h.buf = strconv.AppendInt(h.buf, int64(n), 10)
}

// Field writes s length-prefixed, "<bytes>:<s>", so that no two sequences
// of fields write alike.
func (h *Hasher) Field(s string) {
	h.grow()
	h.buf = strconv.AppendInt(h.buf, int64(len(s)), 10)
	h.buf = append(h.buf, ':')
	h.buf = append(h.buf, s...)
	h.flush(false)
}

// Sum returns "sha256:<hex>" of everything written.
func (h *Hasher) Sum() string {
	h.grow()
	h.flush(true)
	var sum [sha256.Size]byte
	return "sha256:" + hex.EncodeToString(h.h.Sum(sum[:0]))
}

// AppendJSONString appends s as json.Marshal writes a string (HTML
// characters escaped), for digest documents.
func AppendJSONString(dst []byte, s string) []byte { return appendJSONString(dst, s, true) }

// Sum returns "sha256:<hex>" of data.
func Sum(data []byte) string {
	sum := sha256.Sum256(data)
	return "sha256:" + hex.EncodeToString(sum[:])
}

func (m LiveForm) appendJSON(b []byte) []byte {
	b = append(b, `{"menuid":`...)
	b = AppendJSONString(b, m.MenuID)
	b = append(b, `,"rule":`...)
	b = AppendJSONString(b, m.Rule)
	b = append(b, `,"buttons":`...)
	b = AppendJSONString(b, m.Buttons)
	return append(b, '}')
}

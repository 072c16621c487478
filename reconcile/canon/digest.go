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

// LiveDigest returns "sha256:<hex>" of the canonical live state including
// menuids and the order menu/get listed the conditional menus in: any
// change on the account, even one that recreates an identical menu, changes
// it. A nil set (nothing read) digests differently from an empty account.
func LiveDigest(live *wechat.MenuSet) string {
	if live == nil {
		return Sum([]byte("null"))
	}
	var w LiveDigestWriter
	if live.Default != nil {
		w.Default(live.Default.MenuID, AppendQuotedButtons(nil, live.Default.Buttons))
	} else {
		w.NoDefault()
	}
	for _, c := range live.Conditional {
		w.Conditional(c.MenuID, CanonicalRule(c.MatchRule), AppendQuotedButtons(nil, c.Buttons))
	}
	return w.Sum()
}

// LiveDigestWriter writes LiveDigest's document as the planner computes
// the forms, so no form outlives its menu's turn: first Default or
// NoDefault, then Conditional for each menu in listed order, then Sum.
// Its zero value is ready to use.
type LiveDigestWriter struct {
	h Hasher
	n int // conditional menus written
}

// Default writes the default menu: its menuid and its buttons'
// canonical form as a JSON string (AppendQuotedButtons).
func (w *LiveDigestWriter) Default(menuID string, buttons []byte) {
	w.h.Append(`{"default":`)
	w.h.grow()
	w.h.buf = appendLiveForm(w.h.buf, menuID, "", buttons)
	w.h.Append(`,"conditional":[`)
}

// NoDefault writes that the account has no default menu.
func (w *LiveDigestWriter) NoDefault() { w.h.Append(`{"default":null,"conditional":[`) }

// Conditional writes the next conditional menu in listed order; buttons
// as for Default.
func (w *LiveDigestWriter) Conditional(menuID, rule string, buttons []byte) {
	w.h.grow()
	if w.n > 0 {
		w.h.buf = append(w.h.buf, ',')
	}
	w.n++
	w.h.buf = appendLiveForm(w.h.buf, menuID, rule, buttons)
	w.h.flush(false)
}

// Sum ends the document and returns its digest.
func (w *LiveDigestWriter) Sum() string {
	w.h.Append("]}")
	return w.h.Sum()
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

// Bytes writes raw text.
func (h *Hasher) Bytes(text []byte) {
	h.grow()
	h.buf = append(h.buf, text...)
	h.flush(false)
}

// Sum returns "sha256:<hex>" of data.
func Sum(data []byte) string {
	sum := sha256.Sum256(data)
	return "sha256:" + hex.EncodeToString(sum[:])
}

// appendLiveForm appends one menu of LiveDigest's document:
// {"menuid":…,"rule":…,"buttons":…}, the forms as JSON strings.
func appendLiveForm(b []byte, menuID, rule string, buttons []byte) []byte {
	b = append(b, `{"menuid":`...)
	b = AppendJSONString(b, menuID)
	b = append(b, `,"rule":`...)
	b = AppendJSONString(b, rule)
	b = append(b, `,"buttons":`...)
	b = append(b, buttons...)
	return append(b, '}')
}

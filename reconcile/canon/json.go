package canon

import (
	"unicode/utf8"

	"github.com/wxmenu/wxmenu/wechat"
)

// The canonical forms are JSON, written here by hand rather than through
// encoding/json: the planner canonicalises every menu, and reflection was
// most of its time. The bytes are exactly what encoding/json writes for the
// same values (TestCanonicalFormsMatchEncodingJSON), so digests made before
// and after agree.

const hexDigits = "0123456789abcdef"

// jsonSafe[b] is set for the ASCII bytes a JSON string keeps as they are;
// htmlSafe also leaves out <, > and &.
var jsonSafe, htmlSafe = func() (plain, html [utf8.RuneSelf]bool) {
	for b := 0x20; b < utf8.RuneSelf; b++ {
		plain[b] = b != '"' && b != '\\'
		html[b] = plain[b] && b != '<' && b != '>' && b != '&'
	}
	return plain, html
}()

// appendJSONString appends s as a JSON string the way encoding/json does:
// `"` and `\` escaped, \b \f \n \r \t by name, other control characters as
// \u00XX, invalid UTF-8 as \ufffd, U+2028 and U+2029 escaped, and <, >, &
// escaped when escapeHTML is set (json.Marshal) or kept (an Encoder with
// SetEscapeHTML(false)).
func appendJSONString(dst []byte, s string, escapeHTML bool) []byte {
	dst = append(dst, '"')
	dst = appendJSONStringBody(dst, s, escapeHTML, false)
	return append(dst, '"')
}

// appendJSONStringBody appends appendJSONString's text between its quotes.
// twice writes it as it reads inside a JSON string itself, in one pass:
// what appendJSONString(…, escapeHTML) writes, escaped once more as
// json.Marshal does (so each escape's backslash is doubled and <, >, & are
// escaped by the outer string).
func appendJSONStringBody(dst []byte, s string, escapeHTML, twice bool) []byte {
	safe := &jsonSafe
	if escapeHTML || twice {
		safe = &htmlSafe
	}
	// esc starts an escape sequence: one backslash, or two when twice.
	esc := func(dst []byte) []byte {
		if twice {
			return append(dst, '\\', '\\')
		}
		return append(dst, '\\')
	}
	start := 0
	for i := 0; i < len(s); {
		if b := s[i]; b < utf8.RuneSelf {
			if safe[b] {
				i++
				continue
			}
			dst = append(dst, s[start:i]...)
			switch b {
			case '\\', '"':
				if twice { // \\ and \" escaped again: \\\\ and \\\"
					dst = append(dst, '\\', '\\', '\\', b)
				} else {
					dst = append(dst, '\\', b)
				}
			case '<', '>', '&':
				if twice && escapeHTML { // \u003c escaped again
					dst = append(dst, '\\', '\\', 'u', '0', '0', hexDigits[b>>4], hexDigits[b&0xF])
				} else { // escaped by the one string that escapes HTML
					dst = append(dst, '\\', 'u', '0', '0', hexDigits[b>>4], hexDigits[b&0xF])
				}
			case '\b':
				dst = append(esc(dst), 'b')
			case '\f':
				dst = append(esc(dst), 'f')
			case '\n':
				dst = append(esc(dst), 'n')
			case '\r':
				dst = append(esc(dst), 'r')
			case '\t':
				dst = append(esc(dst), 't')
			default:
				dst = append(esc(dst), 'u', '0', '0', hexDigits[b>>4], hexDigits[b&0xF])
			}
			i++
			start = i
			continue
		}
		c, size := utf8.DecodeRuneInString(s[i:])
		if c == utf8.RuneError && size == 1 {
			dst = append(dst, s[start:i]...)
			dst = append(esc(dst), 'u', 'f', 'f', 'f', 'd')
			i += size
			start = i
			continue
		}
		if c == '\u2028' || c == '\u2029' {
			dst = append(dst, s[start:i]...)
			dst = append(esc(dst), 'u', '2', '0', '2', hexDigits[c&0xF])
			i += size
			start = i
			continue
		}
		i += size
	}
	return append(dst, s[start:]...)
}

// appendCanonicalButtons appends the canonical form of bs: what
// encoding/json (HTML left alone) writes for toCanonicalButtons(bs).
func appendCanonicalButtons(dst []byte, bs []wechat.Button) []byte {
	return formWriter{}.buttons(dst, bs)
}

// AppendQuotedButtons appends the canonical form of bs as a JSON string,
// AppendJSONString(dst, CanonicalButtons(bs)), written in one pass: the
// digests hold each form as a string.
func AppendQuotedButtons(dst []byte, bs []wechat.Button) []byte {
	dst = append(dst, '"')
	dst = formWriter{quoted: true}.buttons(dst, bs)
	return append(dst, '"')
}

// formWriter writes canonical forms, or (quoted) the text of a form as a
// JSON string holds it: every quote of the form escaped, every string in
// it escaped twice (appendJSONStringBody).
type formWriter struct{ quoted bool }

func (w formWriter) quote(dst []byte) []byte {
	if w.quoted {
		return append(dst, '\\', '"')
	}
	return append(dst, '"')
}

// key appends "key": for a field name, which needs no escaping.
func (w formWriter) key(dst []byte, key string) []byte {
	dst = w.quote(dst)
	dst = append(dst, key...)
	dst = w.quote(dst)
	return append(dst, ':')
}

// field appends `,"key":"value"` (no comma when first), leaving it out
// when value is empty and omitEmpty is set.
func (w formWriter) field(dst []byte, first bool, key, value string, omitEmpty bool) ([]byte, bool) {
	if omitEmpty && value == "" {
		return dst, first
	}
	if !first {
		dst = append(dst, ',')
	}
	dst = w.key(dst, key)
	dst = w.quote(dst)
	dst = appendJSONStringBody(dst, value, false, w.quoted)
	return w.quote(dst), false
}

func (w formWriter) buttons(dst []byte, bs []wechat.Button) []byte {
	dst = append(dst, '[')
	for i := range bs {
		b := &bs[i]
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = append(dst, '{')
		if len(b.SubButtons) > 0 {
			// A parent button is its name and its sub-buttons: WeChat
			// ignores and never echoes anything else on it.
			dst, _ = w.field(dst, true, "name", b.Name, false)
			dst = w.key(append(dst, ','), "sub_button")
			dst = w.buttons(dst, b.SubButtons)
			dst = append(dst, '}')
			continue
		}
		// A leaf: menu/get's "sub_button": [] is dropped, and so are fields
		// its type does not use (WithoutUnusedFields), which WeChat echoes
		// but ignores.
		used := wechat.UsedFieldsOf(b.Type)
		first := true
		dst, first = w.field(dst, first, "type", b.Type, true)
		dst, first = w.field(dst, first, "name", b.Name, false)
		for _, f := range wechat.ButtonFields() {
			if used.Has(f) {
				dst, first = w.field(dst, first, f.Name, f.Value(b), true)
			}
		}
		dst = append(dst, '}')
	}
	return append(dst, ']')
}

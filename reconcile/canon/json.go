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
	safe := &jsonSafe
	if escapeHTML {
		safe = &htmlSafe
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
				dst = append(dst, '\\', b)
			case '\b':
				dst = append(dst, '\\', 'b')
			case '\f':
				dst = append(dst, '\\', 'f')
			case '\n':
				dst = append(dst, '\\', 'n')
			case '\r':
				dst = append(dst, '\\', 'r')
			case '\t':
				dst = append(dst, '\\', 't')
			default:
				dst = append(dst, '\\', 'u', '0', '0', hexDigits[b>>4], hexDigits[b&0xF])
			}
			i++
			start = i
			continue
		}
		c, size := utf8.DecodeRuneInString(s[i:])
		if c == utf8.RuneError && size == 1 {
			dst = append(dst, s[start:i]...)
			dst = append(dst, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if c == '\u2028' || c == '\u2029' {
			dst = append(dst, s[start:i]...)
			dst = append(dst, '\\', 'u', '2', '0', '2', hexDigits[c&0xF])
			i += size
			start = i
			continue
		}
		i += size
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
}

// appendField appends `,"key":"value"` (no comma when first), leaving it
// out when value is empty and omitEmpty is set.
func appendField(dst []byte, first bool, key, value string, omitEmpty bool) ([]byte, bool) {
	if omitEmpty && value == "" {
		return dst, first
	}
	if !first {
		dst = append(dst, ',')
	}
	dst = append(dst, '"')
	dst = append(dst, key...)
	dst = append(dst, '"', ':')
	return appendJSONString(dst, value, false), false
}

// appendCanonicalButtons appends the canonical form of bs: what
// encoding/json (HTML left alone) writes for toCanonicalButtons(bs).
func appendCanonicalButtons(dst []byte, bs []wechat.Button) []byte {
	dst = append(dst, '[')
	for i, b := range bs {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = append(dst, '{')
		if len(b.SubButtons) > 0 {
			// A parent button is its name and its sub-buttons: WeChat
			// ignores and never echoes anything else on it.
			dst, _ = appendField(dst, true, "name", b.Name, false)
			dst = append(dst, `,"sub_button":`...)
			dst = appendCanonicalButtons(dst, b.SubButtons)
			dst = append(dst, '}')
			continue
		}
		// A leaf: menu/get's "sub_button": [] is dropped, and so are fields
		// its type does not use, which WeChat echoes but ignores.
		b = b.WithoutUnusedFields()
		first := true
		dst, first = appendField(dst, first, "type", b.Type, true)
		dst, first = appendField(dst, first, "name", b.Name, false)
		for _, f := range wechat.ButtonFields() {
			dst, first = appendField(dst, first, f.Name, f.Value(&b), true)
		}
		dst = append(dst, '}')
	}
	return append(dst, ']')
}

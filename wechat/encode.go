package wechat

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"unicode/utf8"
)

// endpointAddConditional is the one mutation whose repeat is never safe.
const endpointAddConditional = "menu/addconditional"

// encodeJSON writes v as UTF-8 JSON with no \uXXXX escape at all, and
// without the encoder's trailing newline. WeChat answers 40033 ("invalid
// charset ... if include \uxxxx will create fail") to a body holding such
// escapes (reference §5). encoding/json escapes <, > and & unless told not
// to, and even then writes U+2028 and U+2029 as \u2028 and \u2029 (raw here:
// both are valid in JSON strings), control characters as \u00XX and invalid
// UTF-8 as \ufffd; a string with either of the last two is refused, since
// JSON cannot carry it unescaped and WeChat would reject or mangle it.
func encodeJSON(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return unescapeUnicode(bytes.TrimSuffix(buf.Bytes(), []byte("\n")))
}

// unescapeUnicode rewrites the \u2028 and \u2029 escapes of encoding/json's
// output as raw UTF-8 and refuses the others it can produce.
func unescapeUnicode(b []byte) ([]byte, error) {
	if !bytes.Contains(b, []byte(`\u`)) {
		return b, nil
	}
	out := make([]byte, 0, len(b))
	for i := 0; i < len(b); i++ {
		if b[i] != '\\' {
			out = append(out, b[i])
			continue
		}
		// encoding/json output: a backslash always starts an escape of two
		// bytes, or six for \uXXXX.
		if i+1 < len(b) && b[i+1] == 'u' && i+5 < len(b) {
			switch esc := string(b[i+2 : i+6]); esc {
			case "2028", "2029":
				r := rune(0x2020 + int(esc[3]-'0'))
				out = utf8.AppendRune(out, r)
			case "fffd":
				return nil, errors.New("a string is not valid UTF-8")
			default:
				return nil, fmt.Errorf("a string contains the control character U+%s, which JSON cannot carry unescaped", esc)
			}
			i += 5
			continue
		}
		out = append(out, b[i], b[i+1])
		i++
	}
	return out, nil
}

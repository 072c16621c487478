package wechat_test

import (
	"bytes"
	"encoding/json"
	"testing"
	"unicode/utf8"

	"github.com/wxmenu/wxmenu/wechat"
)

// FuzzEncodeJSONHasNoEscapes: any string either encodes to JSON with no \u
// escape that decodes back to it, or is refused because it is not valid
// UTF-8 or holds a control character JSON cannot carry raw.
func FuzzEncodeJSONHasNoEscapes(f *testing.F) {
	for _, s := range []string{"", "菜单", "a&b<c>", "\u2028\u2029", "😀", `\u0041`, "\\", "bad\xff", "\x01", "\ufffd", "tab\tnl\n"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		b, err := wechat.EncodeJSON(struct {
			S string `json:"s"`
		}{s})
		refusable := !utf8.ValidString(s) || bytes.ContainsFunc([]byte(s), func(r rune) bool {
			return r < 0x20 && r != '\n' && r != '\r' && r != '\t' && r != '\b' && r != '\f'
		})
		if err != nil {
			if !refusable {
				t.Fatalf("EncodeJSON(%q) refused a string JSON can carry raw: %v", s, err)
			}
			return
		}
		if refusable {
			t.Fatalf("EncodeJSON(%q) = %s, want it refused", s, b)
		}
		var back struct {
			S string `json:"s"`
		}
		if err := json.Unmarshal(b, &back); err != nil || back.S != s {
			t.Fatalf("EncodeJSON(%q) = %s, decodes to %q, %v", s, b, back.S, err)
		}
		for i := 0; i+1 < len(b); i++ {
			if b[i] == '\\' {
				if b[i+1] == 'u' {
					t.Fatalf("EncodeJSON(%q) = %s has a \\u escape", s, b)
				}
				i++
			}
		}
	})
}

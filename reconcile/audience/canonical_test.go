package audience

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/wxmenu/wxmenu/reconcile/canon"
	"github.com/wxmenu/wxmenu/wechat"
)

// encodingJSONButtons is the canonical form as this package first wrote it,
// through encoding/json; canon.CanonicalButtons must write the same bytes,
// so SameButtons keeps its meaning.
func encodingJSONButtons(t *testing.T, bs []wechat.Button) string {
	var norm func([]wechat.Button) []wechat.Button
	norm = func(bs []wechat.Button) []wechat.Button {
		out := make([]wechat.Button, 0, len(bs))
		for _, b := range bs {
			if len(b.SubButtons) > 0 {
				out = append(out, wechat.Button{Name: b.Name, SubButtons: norm(b.SubButtons)})
				continue
			}
			b = b.WithoutUnusedFields()
			b.SubButtons = nil
			out = append(out, b)
		}
		return out
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(norm(bs)); err != nil {
		t.Fatal(err)
	}
	return strings.TrimSpace(buf.String())
}

func TestCanonicalButtonsMatchEncodingJSON(t *testing.T) {
	lists := [][]wechat.Button{
		nil,
		{},
		buttons("home"),
		append(buttons("a"), buttons("b")...),
		{{Type: "view", Name: "官网 <&>", URL: "https://a.example/?x=1&y=<2>", Key: "unused"}},
		{{Type: "click", Name: "k", Key: "K", SubButtons: []wechat.Button{}}},
		{{Name: "more", Type: "click", Key: "ignored", SubButtons: []wechat.Button{
			{Type: "miniprogram", Name: "mp", URL: "https://m.example", AppID: "wx1", PagePath: "p/i"},
			{Type: "media_id", Name: "m\"\\\n\t\x01\xff\u2028", MediaID: "MID"},
		}}},
	}
	for _, bs := range lists {
		if got, want := canon.CanonicalButtons(bs), encodingJSONButtons(t, bs); got != want {
			t.Errorf("canon.CanonicalButtons(%+v)\n got %s\nwant %s", bs, got, want)
		}
	}
	for _, a := range lists {
		for _, b := range lists {
			want := encodingJSONButtons(t, a) == encodingJSONButtons(t, b)
			if SameButtons(a, b) != want {
				t.Errorf("SameButtons(%+v, %+v) = %v, want %v", a, b, SameButtons(a, b), want)
			}
		}
	}
}

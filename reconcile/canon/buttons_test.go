package canon

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/wxmenu/wxmenu/wechat"
)

// encodingJSONButtons is the canonical form as this package first wrote it,
// through encoding/json; CanonicalButtons must write the same bytes,
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
		{{Type: "click", Name: "home", Key: "HOME"}},
		{{Type: "click", Name: "a", Key: "A"}, {Type: "click", Name: "b", Key: "B"}},
		{{Type: "view", Name: "官网 <&>", URL: "https://a.example/?x=1&y=<2>", Key: "unused"}},
		{{Type: "click", Name: "k", Key: "K", SubButtons: []wechat.Button{}}},
		{{Name: "more", Type: "click", Key: "ignored", SubButtons: []wechat.Button{
			{Type: "miniprogram", Name: "mp", URL: "https://m.example", AppID: "wx1", PagePath: "p/i"},
			{Type: "media_id", Name: "m\"\\\n\t\x01\xff\u2028", MediaID: "MID"},
		}}},
	}
	for _, bs := range lists {
		if got, want := CanonicalButtons(bs), encodingJSONButtons(t, bs); got != want {
			t.Errorf("CanonicalButtons(%+v)\n got %s\nwant %s", bs, got, want)
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

func TestSameButtonsIgnoresMenuGetQuirks(t *testing.T) {
	sent := []wechat.Button{
		{Type: "click", Name: "a", Key: "A", URL: "https://unused.example.com/"},
		{Name: "more", SubButtons: []wechat.Button{{Type: "view", Name: "b", URL: "https://b.example.com/"}}},
	}
	got := []wechat.Button{
		{Type: "click", Name: "a", Key: "A", SubButtons: []wechat.Button{}},
		{Name: "more", SubButtons: []wechat.Button{{Type: "view", Name: "b", URL: "https://b.example.com/", SubButtons: []wechat.Button{}}}},
	}
	if !SameButtons(sent, got) {
		t.Error("menu/get's echo of a menu compares unequal to what was sent")
	}
	edited := []wechat.Button{got[0], {Name: "more", SubButtons: []wechat.Button{got[1].SubButtons[0]}}}
	edited[1].SubButtons[0].URL = "https://c.example.com/"
	if SameButtons(got, edited) {
		t.Error("an edited URL compares equal")
	}
}

package canon

import (
	"bytes"
	"encoding/json"
	"math/rand/v2"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/wxmenu/wxmenu/wechat"
)

// jsonCanonicalButtons is the canonical form as it was first defined:
// encoding/json (HTML left alone) of the normalised button list. The hand
// written form must produce the same bytes, so that digests of plans made
// before it still match.
func jsonCanonicalButtons(t testing.TB, bs []wechat.Button) string {
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
	return strings.TrimSuffix(buf.String(), "\n")
}

var trickyStrings = []string{
	"", "a", "会员中心", "emoji 🎉", `quote " and \ backslash`, "<b>&amp;</b>", "tab\there", "line\nbreak\r",
	"\b\f\x00\x01\x1f\x7f", "bad utf8 \xff\xfe", "truncated \xe4\xbc", "\u2028 and \u2029", "https://a.example/?x=1&y=<2>",
}

func randomString(r *rand.Rand) string {
	switch r.IntN(4) {
	case 0:
		return trickyStrings[r.IntN(len(trickyStrings))]
	case 1:
		// Valid UTF-8 from runes that take each path of the encoder.
		runes := []rune{'a', '"', '\\', '<', '&', '\x01', '\n', 'é', '菜', '单', '\u2027', '\u2028', '\u2029', '\u202a', '😀', utf8.RuneError}
		var b strings.Builder
		for range r.IntN(12) {
			b.WriteRune(runes[r.IntN(len(runes))])
		}
		return b.String()
	}
	b := make([]byte, r.IntN(12))
	for i := range b {
		b[i] = byte(r.IntN(256))
	}
	return string(b)
}

func randomButtons(r *rand.Rand, depth int) []wechat.Button {
	types := append(wechat.ButtonTypeNames(), "", "unknown")
	var out []wechat.Button
	for range r.IntN(4) {
		b := wechat.Button{Type: types[r.IntN(len(types))], Name: randomString(r)}
		for _, f := range wechat.ButtonFields() {
			if r.IntN(2) == 0 {
				f.Set(&b, randomString(r))
			}
		}
		switch {
		case depth < 2 && r.IntN(3) == 0:
			b.SubButtons = randomButtons(r, depth+1)
		case r.IntN(4) == 0:
			b.SubButtons = []wechat.Button{} // menu/get's "sub_button": []
		}
		out = append(out, b)
	}
	return out
}

func TestCanonicalFormsMatchEncodingJSON(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for i := range 5000 {
		bs := randomButtons(r, 0)
		if i == 0 {
			bs = nil
		}
		if got, want := CanonicalButtons(bs), jsonCanonicalButtons(t, bs); got != want {
			t.Fatalf("buttons %#v:\n got %s\nwant %s", bs, got, want)
		}
	}
	for _, s := range trickyStrings {
		for _, html := range []bool{false, true} {
			var buf bytes.Buffer
			enc := json.NewEncoder(&buf)
			enc.SetEscapeHTML(html)
			if err := enc.Encode(s); err != nil {
				t.Fatal(err)
			}
			if got, want := string(appendJSONString(nil, s, html)), strings.TrimSuffix(buf.String(), "\n"); got != want {
				t.Errorf("appendJSONString(%q, html=%v) = %s, want %s", s, html, got, want)
			}
		}
	}
}

// jsonLiveDigest is LiveDigest as it was first defined, through
// json.Marshal and encoding/json's canonical buttons.
func jsonLiveDigest(t testing.TB, live *wechat.MenuSet) string {
	if live == nil {
		return Sum([]byte("null"))
	}
	type menu struct {
		MenuID  string `json:"menuid"`
		Rule    string `json:"rule"`
		Buttons string `json:"buttons"`
	}
	doc := struct {
		Default     *menu  `json:"default"`
		Conditional []menu `json:"conditional"`
	}{Conditional: []menu{}}
	if live.Default != nil {
		doc.Default = &menu{MenuID: live.Default.MenuID, Buttons: jsonCanonicalButtons(t, live.Default.Buttons)}
	}
	for _, c := range live.Conditional {
		doc.Conditional = append(doc.Conditional, menu{MenuID: c.MenuID, Rule: CanonicalRule(c.MatchRule), Buttons: jsonCanonicalButtons(t, c.Buttons)})
	}
	data, err := json.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	return Sum(data)
}

func TestLiveDigestMatchesEncodingJSON(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for i := range 500 {
		live := &wechat.MenuSet{}
		if i%3 != 0 {
			live.Default = &wechat.Menu{MenuID: randomString(r), Buttons: randomButtons(r, 0)}
		}
		for range r.IntN(4) {
			live.Conditional = append(live.Conditional, wechat.ConditionalMenu{
				MenuID: randomString(r), MatchRule: wechat.MatchRule{TagID: randomString(r), City: randomString(r)}, Buttons: randomButtons(r, 0),
			})
		}
		if got, want := LiveDigest(live), jsonLiveDigest(t, live); got != want {
			t.Fatalf("LiveDigest(%#v) = %s, want %s", live, got, want)
		}
	}
	if LiveDigest(nil) != jsonLiveDigest(t, nil) {
		t.Error("LiveDigest(nil) changed")
	}
}

func TestRandomStringsEncodeAsEncodingJSON(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	for range 20000 {
		s := randomString(r)
		for _, html := range []bool{false, true} {
			var buf bytes.Buffer
			enc := json.NewEncoder(&buf)
			enc.SetEscapeHTML(html)
			if err := enc.Encode(s); err != nil {
				t.Fatal(err)
			}
			if got, want := string(appendJSONString(nil, s, html)), strings.TrimSuffix(buf.String(), "\n"); got != want {
				t.Fatalf("appendJSONString(%q, html=%v) = %s, want %s", s, html, got, want)
			}
		}
	}
}

// BenchmarkAppendJSONString measures the encoder on a canonical form of
// the kind a plan digests: JSON with Chinese names and URLs.
func BenchmarkAppendJSONString(b *testing.B) {
	form := CanonicalButtons([]wechat.Button{
		{Type: "click", Name: "菜单12", Key: "K12a"},
		{Name: "更多", SubButtons: []wechat.Button{
			{Type: "view", Name: "官网", URL: "https://www.example.com/p?id=12&v=a"},
			{Type: "click", Name: "联系", Key: "CONTACT"},
		}},
	})
	var dst []byte
	b.SetBytes(int64(len(form)))
	for b.Loop() {
		dst = AppendJSONString(dst[:0], form)
	}
}

// TestQuotedFormsMatchTwoPasses checks the one-pass writer of a form as a
// JSON string against its definition: the form, then AppendJSONString.
func TestQuotedFormsMatchTwoPasses(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	for i := range 5000 {
		bs := randomButtons(r, 0)
		if i == 0 {
			bs = nil
		}
		if got, want := string(AppendQuotedButtons(nil, bs)), string(AppendJSONString(nil, CanonicalButtons(bs))); got != want {
			t.Fatalf("buttons %#v:\n got %s\nwant %s", bs, got, want)
		}
	}
	for range 20000 {
		s := randomString(r)
		for _, html := range []bool{false, true} {
			once := string(appendJSONString(nil, s, html))
			want := string(AppendJSONString(nil, once))
			// The body written twice is the twice-escaped string without
			// the outer quotes and the inner string's escaped ones.
			if got := `"\"` + string(appendJSONStringBody(nil, s, html, true)) + `\""`; got != want {
				t.Fatalf("appendJSONStringBody(%q, html=%v, twice) gives %s, want %s", s, html, got, want)
			}
		}
	}
}

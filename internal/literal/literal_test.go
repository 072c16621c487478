package literal

import "testing"

func TestLine(t *testing.T) {
	tests := map[string]string{
		"会员|vip":                      "会员|vip",
		"a\nb\r\tc":                   "a b  c",
		"v\vf\fn\u0085l\u2028p\u2029": "v f n l p ",
		"x\x1b]0;title\x07y":          "x\uFFFD]0;title\uFFFDy",
		"\u202Eevil\u2066x\u2069":     "\uFFFDevil\uFFFDx\uFFFD",
		"\u200Fmark\u061C":            "\uFFFDmark\uFFFD",
		"bad\xffutf8":                 "bad\uFFFDutf8",
	}
	for in, want := range tests {
		if got := Line(in); got != want {
			t.Errorf("Line(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestMarkdown(t *testing.T) {
	tests := map[string]string{
		"会员中心 (new)": "会员中心 (new)",
		"@org/team [x](https://evil.example) *b* <img src=x>": "@&#8203;org/team &#91;x&#93;(https&#58;//evil&#46;example) &#42;b&#42; &#60;img src=x&#62;",
		"#12 a|b ```\n$5 _i_ ~s~ \\ & !":                      "#&#8203;12 a&#124;b &#96;&#96;&#96; &#36;5 &#95;i&#95; &#126;s&#126; &#92; &#38; &#33;",
		"\u202Eevil":                                          "\uFFFDevil",
	}
	for in, want := range tests {
		if got := Markdown(in); got != want {
			t.Errorf("Markdown(%q) = %q, want %q", in, got, want)
		}
	}
}

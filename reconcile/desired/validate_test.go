package desired

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/wxmenu/wxmenu/wechat"
)

func click(name, key string) wechat.Button { return wechat.Button{Type: "click", Name: name, Key: key} }

func view(name, url string) wechat.Button { return wechat.Button{Type: "view", Name: name, URL: url} }

// validDefault is a default menu that passes Validate.
var validDefault = &Default{Buttons: []wechat.Button{click("Help", "HELP")}}

// messages returns the messages of Validate's diagnostics, in order.
func messages(ds *State) []string {
	var out []string
	for _, d := range Validate(ds) {
		out = append(out, d.Message)
	}
	return out
}

func TestValidateStatesBuiltInCode(t *testing.T) {
	tests := []struct {
		name string
		ds   *State
		want []string
	}{
		{name: "nil", ds: nil, want: []string{"no desired state to validate"}},
		{name: "no menu at all is valid", ds: &State{}},
		{name: "valid default", ds: &State{Default: validDefault}},
		{
			name: "exact byte limits pass",
			ds: &State{Default: &Default{Buttons: []wechat.Button{
				click(strings.Repeat("会", 5)+"a", strings.Repeat("k", wechat.MaxKeyBytes)),
				{Name: "P", SubButtons: []wechat.Button{
					click(strings.Repeat("联", 20), "K"),
					view("V", "https://example.com/"+strings.Repeat("p", wechat.MaxURLBytes-len("https://example.com/"))),
				}},
			}}},
		},
		{
			name: "leaf with menu/get's empty sub_button is a leaf",
			ds: &State{Default: &Default{Buttons: []wechat.Button{
				{Type: "click", Name: "Help", Key: "HELP", SubButtons: []wechat.Button{}},
			}}},
		},
		{
			name: "conditional without default",
			ds: &State{Conditional: []Conditional{
				{Name: "vip", MatchRule: wechat.MatchRule{TagID: "1"}, Buttons: []wechat.Button{click("V", "V")}},
			}},
			want: []string{"conditional menus need a default menu; WeChat rejects addconditional without one (65303)"},
		},
		{
			name: "empty rule without positions",
			ds: &State{Default: validDefault, Conditional: []Conditional{
				{Name: "all", Buttons: []wechat.Button{click("V", "V")}},
			}},
			want: []string{`conditional menu "all" has an empty matchrule; WeChat rejects it (65304)`},
		},
		{
			name: "miniprogram needs all three fields and a valid url",
			ds: &State{Default: &Default{Buttons: []wechat.Button{
				{Type: "miniprogram", Name: "Shop", URL: "shop"},
			}}},
			want: []string{
				`miniprogram button "Shop" needs appid and pagepath`,
				`url "shop" is not an absolute http or https URL`,
			},
		},
		{
			name: "view with key and media_id",
			ds: &State{Default: &Default{Buttons: []wechat.Button{
				{Type: "view", Name: "Home", URL: "https://example.com/", Key: "K", MediaID: "M"},
			}}},
			want: []string{
				`view button "Home" has key, which view buttons do not take`,
				`view button "Home" has media_id, which view buttons do not take`,
			},
		},
		{
			name: "sub-buttons checked against sub limits",
			ds: &State{Default: &Default{Buttons: []wechat.Button{
				{Name: "P", SubButtons: []wechat.Button{click(strings.Repeat("x", 61), "K"), {Name: "Q"}}},
			}}},
			want: []string{
				`sub-button name "` + strings.Repeat("x", 61) + `" is 61 bytes; WeChat allows 60`,
				`sub-button "Q" has neither type nor sub_button`,
			},
		},
		{
			name: "privacy fields are allowed in unmanaged rules",
			ds: &State{Default: validDefault, Unmanaged: []UnmanagedRule{
				{MatchRule: wechat.MatchRule{Sex: "1", Language: "zh_CN"}},
			}},
		},
		{
			name: "urls of the default menu do not count towards the domain cap",
			ds: &State{
				Default: &Default{Buttons: []wechat.Button{view("A", "https://a.example/"), view("B", "https://b.example/")}},
				Conditional: []Conditional{{
					Name: "m", MatchRule: wechat.MatchRule{TagID: "1"},
					Buttons: []wechat.Button{view("C", "https://c.example/"), {Name: "P", SubButtons: []wechat.Button{
						view("D", "https://D.example:8443/x"), view("E", "https://e.example/"), view("C2", "http://c.example/y"),
					}}},
				}},
			},
		},
		{
			name: "four domains across conditional menus",
			ds: &State{
				Default: validDefault,
				Conditional: []Conditional{
					{Name: "m1", MatchRule: wechat.MatchRule{TagID: "1"}, Buttons: []wechat.Button{view("A", "https://a.example/"), view("B", "https://b.example/")}},
					{Name: "m2", MatchRule: wechat.MatchRule{TagID: "2"}, Buttons: []wechat.Button{view("A", "https://A.example/"), view("C", "https://c.example/")}},
					{Name: "m3", MatchRule: wechat.MatchRule{TagID: "3"}, Buttons: []wechat.Button{view("D", "https://d.example/")}},
				},
			},
			want: []string{"conditional menus link to 4 URL domains (a.example, b.example, c.example, d.example); WeChat allows at most 3 across all conditional menus (65316)"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, messages(tt.ds)); diff != "" {
				t.Errorf("Validate messages (-want +got):\n%s", diff)
			}
		})
	}
}

func TestValidateUnreachableMenus(t *testing.T) {
	rule := func(tag, platform string) wechat.MatchRule {
		return wechat.MatchRule{TagID: tag, ClientPlatformType: platform}
	}
	tests := []struct {
		name  string
		rules []wechat.MatchRule
		want  []string
	}{
		{name: "distinct tags never shadow", rules: []wechat.MatchRule{rule("1", ""), rule("2", ""), rule("2", "1")},
			want: []string{`conditional menu "m3" is never shown: "m2" comes first and matches every user it would match`}},
		{name: "narrow rule above broad rule is fine", rules: []wechat.MatchRule{rule("1", "1"), rule("1", ""), rule("", "1")}},
		{name: "platform shadows tag and platform", rules: []wechat.MatchRule{rule("", "2"), rule("7", "2")},
			want: []string{`conditional menu "m2" is never shown: "m1" comes first and matches every user it would match`}},
		{name: "different platforms do not shadow", rules: []wechat.MatchRule{rule("", "1"), rule("", "2"), rule("5", "3")}},
		{name: "duplicate", rules: []wechat.MatchRule{rule("1", "2"), rule("1", "2")},
			want: []string{`conditional menu "m2" has the same matchrule as "m1", which comes first and always wins`}},
		{name: "reported once per menu", rules: []wechat.MatchRule{rule("1", ""), rule("1", ""), rule("1", "3")},
			want: []string{
				`conditional menu "m2" has the same matchrule as "m1", which comes first and always wins`,
				`conditional menu "m3" is never shown: "m1" comes first and matches every user it would match`,
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ds := &State{Default: validDefault}
			for i, r := range tt.rules {
				ds.Conditional = append(ds.Conditional, Conditional{
					Name: "m" + string(rune('1'+i)), MatchRule: r, Buttons: []wechat.Button{click("B", "K")},
				})
			}
			if diff := cmp.Diff(tt.want, messages(ds)); diff != "" {
				t.Errorf("Validate messages (-want +got):\n%s", diff)
			}
		})
	}
}

func TestDeadRulesShadowNothing(t *testing.T) {
	ds := &State{Default: validDefault, Conditional: []Conditional{
		{Name: "dead", MatchRule: wechat.MatchRule{TagID: "1", Sex: "1"}, Buttons: []wechat.Button{click("B", "K")}},
		{Name: "live", MatchRule: wechat.MatchRule{TagID: "1", Sex: "1"}, Buttons: []wechat.Button{click("B", "K")}},
	}}
	for _, m := range messages(ds) {
		if strings.Contains(m, "never shown") || strings.Contains(m, "same matchrule") {
			t.Errorf("a rule that matches nobody was reported as hiding another: %s", m)
		}
	}
}

func TestValidateLocatesAtNearestAncestor(t *testing.T) {
	ds := &State{Path: "m.yaml", Default: validDefault, Conditional: []Conditional{
		{Name: "vip", MatchRule: wechat.MatchRule{TagID: "1"}, Buttons: []wechat.Button{click("", "K")}},
	}, Positions: map[string]Pos{"conditional[0]": {Line: 7, Column: 5}}}
	got := Validate(ds)
	want := Diagnostics{{
		Path: "m.yaml", Pos: Pos{Line: 7, Column: 5}, Message: "top-level button #1 has no name",
		Hint: "every button needs a name; it is the text users see",
	}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func TestValidateFileOrder(t *testing.T) {
	data := []byte(`conditional:
  - name: b
    matchrule: {tag_id: "1"}
    button: [{type: click, name: X}]
default:
  button: [{type: view, name: Home}]
`)
	ds, err := Parse("m.yaml", data)
	if err != nil {
		t.Fatal(err)
	}
	var got []Pos
	for _, d := range Validate(ds) {
		got = append(got, d.Pos)
	}
	want := []Pos{{Line: 4, Column: 14}, {Line: 6, Column: 12}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("positions (-want +got):\n%s", diff)
	}
}

func TestSlug(t *testing.T) {
	tests := map[string]string{
		"VIP iOS":     "vip-ios",
		"vip_2024.a":  "vip_2024.a",
		"--会员--":      "",
		"Tag 101 / A": "tag-101-a",
	}
	for in, want := range tests {
		if got := slug(in); got != want {
			t.Errorf("slug(%q) = %q, want %q", in, got, want)
		}
	}
}

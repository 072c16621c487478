package reconcile

import (
	"context"
	"errors"
	"fmt"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/wxmenu/wxmenu/wechat"
	"github.com/wxmenu/wxmenu/wechat/wechattest"
)

func click(name, key string) wechat.Button { return wechat.Button{Type: "click", Name: name, Key: key} }

func view(name, url string) wechat.Button { return wechat.Button{Type: "view", Name: name, URL: url} }

// validDefault is a default menu that passes Validate.
var validDefault = &DesiredDefault{Pos: Pos{1, 1}, Buttons: []wechat.Button{click("Help", "HELP")}}

// messages returns the messages of Validate's diagnostics, in order.
func messages(ds *DesiredState) []string {
	var out []string
	for _, d := range Validate(ds) {
		out = append(out, d.Message)
	}
	return out
}

func TestValidateStatesBuiltInCode(t *testing.T) {
	tests := []struct {
		name string
		ds   *DesiredState
		want []string
	}{
		{name: "nil", ds: nil, want: []string{"no desired state to validate"}},
		{name: "no menu at all is valid", ds: &DesiredState{}},
		{name: "valid default", ds: &DesiredState{Default: validDefault}},
		{
			name: "exact byte limits pass",
			ds: &DesiredState{Default: &DesiredDefault{Buttons: []wechat.Button{
				click(strings.Repeat("会", 5)+"a", strings.Repeat("k", wechat.MaxKeyBytes)),
				{Name: "P", SubButtons: []wechat.Button{
					click(strings.Repeat("联", 20), "K"),
					view("V", "https://example.com/"+strings.Repeat("p", wechat.MaxURLBytes-len("https://example.com/"))),
				}},
			}}},
		},
		{
			name: "leaf with menu/get's empty sub_button is a leaf",
			ds: &DesiredState{Default: &DesiredDefault{Buttons: []wechat.Button{
				{Type: "click", Name: "Help", Key: "HELP", SubButtons: []wechat.Button{}},
			}}},
		},
		{
			name: "conditional without default",
			ds: &DesiredState{Conditional: []DesiredConditional{
				{Name: "vip", MatchRule: wechat.MatchRule{TagID: "1"}, Buttons: []wechat.Button{click("V", "V")}},
			}},
			want: []string{"conditional menus need a default menu; WeChat rejects addconditional without one (65303)"},
		},
		{
			name: "empty rule without positions",
			ds: &DesiredState{Default: validDefault, Conditional: []DesiredConditional{
				{Name: "all", Buttons: []wechat.Button{click("V", "V")}},
			}},
			want: []string{`conditional menu "all" has an empty matchrule; WeChat rejects it (65304)`},
		},
		{
			name: "miniprogram needs all three fields and a valid url",
			ds: &DesiredState{Default: &DesiredDefault{Buttons: []wechat.Button{
				{Type: "miniprogram", Name: "Shop", URL: "shop"},
			}}},
			want: []string{
				`miniprogram button "Shop" needs appid and pagepath`,
				`url "shop" is not an absolute http or https URL`,
			},
		},
		{
			name: "view with key and media_id",
			ds: &DesiredState{Default: &DesiredDefault{Buttons: []wechat.Button{
				{Type: "view", Name: "Home", URL: "https://example.com/", Key: "K", MediaID: "M"},
			}}},
			want: []string{
				`view button "Home" has key, which view buttons do not take`,
				`view button "Home" has media_id, which view buttons do not take`,
			},
		},
		{
			name: "sub-buttons checked against sub limits",
			ds: &DesiredState{Default: &DesiredDefault{Buttons: []wechat.Button{
				{Name: "P", SubButtons: []wechat.Button{click(strings.Repeat("x", 61), "K"), {Name: "Q"}}},
			}}},
			want: []string{
				`sub-button name "` + strings.Repeat("x", 61) + `" is 61 bytes; WeChat allows 60`,
				`sub-button "Q" has neither type nor sub_button`,
			},
		},
		{
			name: "privacy fields are allowed in unmanaged rules",
			ds: &DesiredState{Default: validDefault, Unmanaged: []UnmanagedRule{
				{MatchRule: wechat.MatchRule{Sex: "1", Language: "zh_CN"}},
			}},
		},
		{
			name: "urls of the default menu do not count towards the domain cap",
			ds: &DesiredState{
				Default: &DesiredDefault{Buttons: []wechat.Button{view("A", "https://a.example/"), view("B", "https://b.example/")}},
				Conditional: []DesiredConditional{{
					Name: "m", MatchRule: wechat.MatchRule{TagID: "1"},
					Buttons: []wechat.Button{view("C", "https://c.example/"), {Name: "P", SubButtons: []wechat.Button{
						view("D", "https://D.example:8443/x"), view("E", "https://e.example/"), view("C2", "http://c.example/y"),
					}}},
				}},
			},
		},
		{
			name: "four domains across conditional menus",
			ds: &DesiredState{
				Default: validDefault,
				Conditional: []DesiredConditional{
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
			ds := &DesiredState{Default: validDefault}
			for i, r := range tt.rules {
				ds.Conditional = append(ds.Conditional, DesiredConditional{
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
	ds := &DesiredState{Default: validDefault, Conditional: []DesiredConditional{
		{Name: "dead", MatchRule: wechat.MatchRule{TagID: "1", Sex: "1"}, Buttons: []wechat.Button{click("B", "K")}},
		{Name: "live", MatchRule: wechat.MatchRule{TagID: "1", Sex: "1"}, Buttons: []wechat.Button{click("B", "K")}},
	}}
	for _, m := range messages(ds) {
		if strings.Contains(m, "never shown") || strings.Contains(m, "same matchrule") {
			t.Errorf("a rule that matches nobody was reported as hiding another: %s", m)
		}
	}
}

func TestValidateFallsBackToMenuPosition(t *testing.T) {
	ds := &DesiredState{Path: "m.yaml", Default: validDefault, Conditional: []DesiredConditional{
		{Name: "vip", Pos: Pos{7, 5}, MatchRule: wechat.MatchRule{TagID: "1"}, Buttons: []wechat.Button{click("", "K")}},
	}}
	got := Validate(ds)
	want := Diagnostics{{
		Path: "m.yaml", Pos: Pos{7, 5}, Message: "top-level button #1 has no name",
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
	want := []Pos{{4, 14}, {6, 12}}
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

// TestURLDomainCountsAgree checks that the validator, the plan engine and
// the emulator count the same URL domains: a button set B is published next
// to a filler menu holding k fresh domains, and all three must find the cap
// exceeded exactly when B's own domains plus k exceed 3.
func TestURLDomainCountsAgree(t *testing.T) {
	sets := []struct {
		name    string
		buttons []wechat.Button
		domains int // distinct domains of the set, counted by hand
	}{
		{"no url", []wechat.Button{click("A", "A")}, 0},
		{"one view", []wechat.Button{view("A", "https://a.example/?x=1&y=2")}, 1},
		{"case and port fold", []wechat.Button{view("A", "https://A.Example:8443/x"), view("B", "http://a.example/y")}, 1},
		{"subdomains count apart", []wechat.Button{view("A", "https://www.a.example/"), view("B", "https://a.example/")}, 2},
		{"ipv6 and idn hosts", []wechat.Button{view("A", "https://[2001:db8::1]/"), view("B", "https://例子.测试/")}, 2},
		{"sub-buttons and miniprogram", []wechat.Button{
			{Name: "P", SubButtons: []wechat.Button{
				view("A", "https://a.example/"),
				{Type: "miniprogram", Name: "M", URL: "https://b.example/", AppID: "wx1", PagePath: "pages/i"},
			}},
			view("C", "https://c.example/"),
		}, 3},
		// The validator rejects a url on a click button, but WeChat may keep
		// it (the emulator does), so all three count it.
		{"click with a stray url", []wechat.Button{{Type: "click", Name: "A", Key: "A", URL: "https://stray.example/"}}, 1},
	}

	emu := wechattest.New(wechattest.Config{Seed: 1})
	srv := httptest.NewServer(emu)
	t.Cleanup(srv.Close)
	client, err := wechat.New(wechat.WithBaseURLs(srv.URL),
		wechat.WithCredentials(wechattest.DefaultAppID, wechattest.DefaultSecret), wechat.WithRetry(1, 0, 0))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	defaultButtons := []wechat.Button{click("Help", "HELP")}

	for _, set := range sets {
		t.Run(set.name, func(t *testing.T) {
			var want, validator, differ, emulator []bool
			for k := 0; k <= 4; k++ {
				filler := fillerButtons(k)
				want = append(want, set.domains+k > wechat.MaxURLDomains)

				ds := &DesiredState{Path: "menus.yaml", Default: &DesiredDefault{Buttons: defaultButtons}, Conditional: []DesiredConditional{
					{Name: "set", MatchRule: tagRule("1"), Buttons: set.buttons},
					{Name: "filler", MatchRule: tagRule("2"), Buttons: filler},
				}}
				validator = append(validator, slices.ContainsFunc(messages(ds), func(m string) bool { return strings.Contains(m, "(65316)") }))

				_, err := NewPlan(&wechat.MenuSet{Default: &wechat.Menu{Buttons: defaultButtons}}, ds, PlanOptions{})
				if err != nil && !strings.Contains(err.Error(), "URL domains") {
					t.Fatalf("k=%d: NewPlan: %v", k, err)
				}
				differ = append(differ, err != nil)

				over, err := publish(ctx, client, defaultButtons, filler, set.buttons)
				if err != nil {
					t.Fatalf("k=%d: %v", k, err)
				}
				emulator = append(emulator, over)
			}
			for name, got := range map[string][]bool{"validator": validator, "plan engine": differ, "emulator": emulator} {
				if diff := cmp.Diff(want, got); diff != "" {
					t.Errorf("%s: cap exceeded with 0..4 filler domains mismatch (-want +got):\n%s", name, diff)
				}
			}
		})
	}
}

// fillerButtons returns a button list with k distinct URL domains, none
// used by the sets of TestURLDomainCountsAgree.
func fillerButtons(k int) []wechat.Button {
	if k == 0 {
		return []wechat.Button{click("F", "F")}
	}
	parent := wechat.Button{Name: "F"}
	for i := range k {
		parent.SubButtons = append(parent.SubButtons, view(fmt.Sprint("F", i), fmt.Sprintf("https://filler%d.example/", i)))
	}
	return []wechat.Button{parent}
}

// publish replaces the account's menus with a default menu and two
// conditional menus, filler then top, and reports whether WeChat refused one
// of them for the URL-domain cap (65316). Any other refusal is an error.
func publish(ctx context.Context, c *wechat.Client, def, filler, top []wechat.Button) (over bool, err error) {
	if err := c.DeleteMenu(ctx); err != nil {
		return false, err
	}
	if err := c.CreateMenu(ctx, def); err != nil {
		return false, err
	}
	for i, b := range [][]wechat.Button{filler, top} {
		_, err := c.AddConditional(ctx, b, tagRule(fmt.Sprint(i+1)))
		var apiErr *wechat.APIError
		if errors.As(err, &apiErr) && apiErr.Code == 65316 {
			return true, nil
		}
		if err != nil {
			return false, err
		}
	}
	return false, nil
}

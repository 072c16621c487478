package wechattest

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/wxmenu/wxmenu/wechat"
)

const oneButton = `[{"type":"click","name":"n","key":"k"}]`

// withDefault returns an env whose account has a default menu, and a token.
func withDefault(t *testing.T) (*env, string) {
	e := newEnv(t, Config{})
	tok := e.emu.IssueToken()
	e.mustOK("menu/create", tok, `{"button":`+oneButton+`}`)
	return e, tok
}

func TestAddConditionalValidation(t *testing.T) {
	tests := []struct {
		name, body string
		want       errcode
	}{
		{"tag_id", `{"button":` + oneButton + `,"matchrule":{"tag_id":"2"}}`, errcode{}},
		{"tag_id as number", `{"button":` + oneButton + `,"matchrule":{"tag_id":2}}`, errcode{}},
		{"platform", `{"button":` + oneButton + `,"matchrule":{"client_platform_type":"1"}}`, errcode{}},
		{"platform as number", `{"button":` + oneButton + `,"matchrule":{"client_platform_type":3}}`, errcode{}},
		{"legacy group_id", `{"button":` + oneButton + `,"matchrule":{"group_id":"104"}}`, errcode{}},
		{"empty privacy strings", `{"button":` + oneButton + `,"matchrule":{"tag_id":"2","sex":"","country":"","province":"","city":"","language":""}}`, errcode{}},
		{"null privacy values", `{"button":` + oneButton + `,"matchrule":{"tag_id":"2","sex":null}}`, errcode{}},
		{"no matchrule", `{"button":` + oneButton + `}`, errcode{65304, "match rule empty"}},
		{"empty matchrule", `{"button":` + oneButton + `,"matchrule":{}}`, errcode{65304, "match rule empty"}},
		{"all empty strings", `{"button":` + oneButton + `,"matchrule":{"tag_id":"","sex":"","client_platform_type":""}}`, errcode{65304, "match rule empty"}},
		{"sex", `{"button":` + oneButton + `,"matchrule":{"sex":"1"}}`, errcode{65320, "matchrule contains privacy fields"}},
		{"sex as number with tag", `{"button":` + oneButton + `,"matchrule":{"tag_id":"2","sex":1}}`, errcode{65320, "matchrule contains privacy fields"}},
		{"country", `{"button":` + oneButton + `,"matchrule":{"country":"中国"}}`, errcode{65320, "matchrule contains privacy fields"}},
		{"province", `{"button":` + oneButton + `,"matchrule":{"province":"广东"}}`, errcode{65320, "matchrule contains privacy fields"}},
		{"city", `{"button":` + oneButton + `,"matchrule":{"city":"广州"}}`, errcode{65320, "matchrule contains privacy fields"}},
		{"language", `{"button":` + oneButton + `,"matchrule":{"language":"zh_CN"}}`, errcode{65320, "matchrule contains privacy fields"}},
		{"platform 4", `{"button":` + oneButton + `,"matchrule":{"client_platform_type":"4"}}`, errcode{40035, "invalid parameter"}},
		{"no buttons", `{"button":[],"matchrule":{"tag_id":"2"}}`, errcode{40016, "invalid button size"}},
		{"bad sub button", `{"button":[{"name":"p","sub_button":[{"type":"nope","name":"n"}]}],"matchrule":{"tag_id":"2"}}`, errcode{40024, "invalid sub button type"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e, tok := withDefault(t)
			r := e.api("menu/addconditional", tok, tt.body)
			if diff := cmp.Diff(tt.want, r.errcode(t)); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
			if n := len(e.emu.Menus().Conditional); n != map[bool]int{true: 1, false: 0}[tt.want.Code == 0] {
				t.Errorf("%d conditional menus after the call", n)
			}
		})
	}
}

func TestAddConditionalNeedsDefaultMenu(t *testing.T) {
	e := newEnv(t, Config{})
	tok := e.emu.IssueToken()
	got := e.api("menu/addconditional", tok, `{"button":`+oneButton+`,"matchrule":{"tag_id":"2"}}`).errcode(t)
	if diff := cmp.Diff(errcode{65303, "there is no selfmenu, please create selfmenu first"}, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

// addConditional adds a menu and returns the menuid from the answer, which
// must be a JSON string.
func (e *env) addConditional(tok, buttons, rule string) string {
	e.t.Helper()
	r := e.api("menu/addconditional", tok, `{"button":`+buttons+`,"matchrule":`+rule+`}`)
	var ans map[string]any
	if err := json.Unmarshal([]byte(r.body), &ans); err != nil {
		e.t.Fatal(err)
	}
	id, ok := ans["menuid"].(string)
	if !ok || len(ans) != 1 {
		e.t.Fatalf("addconditional answer %s, want only a string menuid", r.body)
	}
	return id
}

func TestAddConditionalMenuIDs(t *testing.T) {
	e, tok := withDefault(t)
	var prev int64
	for i := range 5 {
		id, err := strconv.ParseInt(e.addConditional(tok, oneButton, `{"tag_id":"1"}`), 10, 64)
		if err != nil {
			t.Fatal(err)
		}
		if id <= prev || id < 400_000_000 || id >= 1_000_000_000 {
			t.Errorf("menu %d: id %d after %d, want increasing nine-digit ids", i, id, prev)
		}
		prev = id
	}
}

func TestMenuGetWithConditionalMenus(t *testing.T) {
	e := newEnv(t, Config{Seed: 1})
	e.emu.SeedDemo()
	tok := e.emu.IssueToken()
	got := e.api("menu/get", tok, "").body
	golden(t, "menu_get_demo.json", indent(t, got))

	// The raw answer carries numeric menuids and string rule values.
	var raw struct {
		Menu struct {
			MenuID json.Number `json:"menuid"`
		} `json:"menu"`
		Conditional []struct {
			MenuID    any            `json:"menuid"`
			MatchRule map[string]any `json:"matchrule"`
		} `json:"conditionalmenu"`
	}
	if err := json.Unmarshal([]byte(got), &raw); err != nil {
		t.Fatal(err)
	}
	if raw.Menu.MenuID == "" {
		t.Errorf("menu.menuid missing although conditional menus exist")
	}
	var rules []map[string]any
	for _, c := range raw.Conditional {
		if _, isNumber := c.MenuID.(float64); !isNumber {
			t.Errorf("conditional menuid %v is not a JSON number", c.MenuID)
		}
		rules = append(rules, c.MatchRule)
	}
	want := []map[string]any{{"group_id": "101"}, {"client_platform_type": "2"}, {"sex": "1"}}
	if diff := cmp.Diff(want, rules); diff != "" {
		t.Errorf("rules newest first (-want +got):\n%s", diff)
	}
}

func TestMenusEqualsDecodedMenuGet(t *testing.T) {
	e := newEnv(t, Config{})
	e.emu.SeedDemo()
	tok := e.emu.IssueToken()
	for _, step := range []string{"demo", "after add", "without conditional"} {
		switch step {
		case "after add":
			e.addConditional(tok, `[{"name":"p","sub_button":[{"type":"view","name":"v","url":"https://vip.example.com/x"}]}]`, `{"tag_id":"7","client_platform_type":"1"}`)
		case "without conditional":
			e.mustOK("menu/delete", tok, "")
			e.mustOK("menu/create", tok, `{"button":`+oneButton+`}`)
		}
		var decoded wechat.MenuSet
		if err := json.Unmarshal([]byte(e.api("menu/get", tok, "").body), &decoded); err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(decoded, e.emu.Menus()); diff != "" {
			t.Errorf("%s: Menus() differs from menu/get (-menu/get +Menus):\n%s", step, diff)
		}
	}
}

func TestURLDomainCap(t *testing.T) {
	view := func(u string) string { return fmt.Sprintf(`[{"type":"view","name":"v","url":%q}]`, u) }
	e, tok := withDefault(t)
	// The default menu's domains do not count.
	e.mustOK("menu/create", tok, `{"button":[{"type":"view","name":"a","url":"https://x1.example/"},{"type":"view","name":"b","url":"https://x2.example/"},{"type":"view","name":"c","url":"https://x3.example/"}]}`)
	e.addConditional(tok, view("https://a.example/1"), `{"tag_id":"1"}`)
	e.addConditional(tok, `[{"name":"p","sub_button":[{"type":"view","name":"v","url":"https://B.example/"},{"type":"miniprogram","name":"m","url":"http://c.example/","appid":"wx1","pagepath":"p"}]}]`, `{"tag_id":"2"}`)
	// Same domains in another case: still three.
	e.addConditional(tok, view("HTTPS://A.EXAMPLE/2"), `{"tag_id":"3"}`)
	// Click buttons carry no url domain.
	e.addConditional(tok, oneButton, `{"tag_id":"4"}`)

	got := e.api("menu/addconditional", tok, `{"button":`+view("https://d.example/")+`,"matchrule":{"tag_id":"5"}}`).errcode(t)
	if diff := cmp.Diff(errcode{65316, "too many url domains in menu"}, got); diff != "" {
		t.Errorf("fourth domain (-want +got):\n%s", diff)
	}
	// Deleting the only menu using c.example frees a slot.
	set := e.emu.Menus()
	var cMenu string
	for _, m := range set.Conditional {
		if m.MatchRule.TagID == "2" {
			cMenu = m.MenuID
		}
	}
	e.mustOK("menu/delconditional", tok, `{"menuid":"`+cMenu+`"}`)
	if got := e.code("menu/addconditional", tok, `{"button":`+view("https://d.example/")+`,"matchrule":{"tag_id":"5"}}`); got != 0 {
		t.Errorf("after freeing a domain: errcode %d", got)
	}
}

func TestConditionalCountCap(t *testing.T) {
	e := newEnv(t, Config{MaxConditional: 2})
	tok := e.emu.IssueToken()
	e.mustOK("menu/create", tok, `{"button":`+oneButton+`}`)
	body := `{"button":` + oneButton + `,"matchrule":{"tag_id":"1"}}`
	got := []int{e.code("menu/addconditional", tok, body), e.code("menu/addconditional", tok, body), e.code("menu/addconditional", tok, body)}
	if diff := cmp.Diff([]int{0, 0, 65305}, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	e.emu.SetMaxConditional(3)
	if got := e.code("menu/addconditional", tok, body); got != 0 {
		t.Errorf("after raising the cap: errcode %d", got)
	}
}

func TestDefaultConditionalCap(t *testing.T) {
	e, tok := withDefault(t)
	body := `{"button":` + oneButton + `,"matchrule":{"tag_id":"1"}}`
	for i := range wechat.DefaultMaxConditional {
		if got := e.code("menu/addconditional", tok, body); got != 0 {
			t.Fatalf("menu %d: errcode %d", i, got)
		}
	}
	if got := e.code("menu/addconditional", tok, body); got != 65305 {
		t.Errorf("past the default cap: errcode %d, want 65305", got)
	}
}

func TestDelConditional(t *testing.T) {
	e, tok := withDefault(t)
	a := e.addConditional(tok, oneButton, `{"tag_id":"1"}`)
	b := e.addConditional(tok, oneButton, `{"tag_id":"2"}`)
	c := e.addConditional(tok, oneButton, `{"tag_id":"3"}`)
	notConditional := errcode{65301, "this menu is not conditionalmenu"}
	tests := []struct {
		name, body string
		want       errcode
		left       []string // menuids newest first
	}{
		{"unknown id", `{"menuid":"1"}`, notConditional, []string{c, b, a}},
		{"default menu id", `{"menuid":"` + e.emu.Menus().Default.MenuID + `"}`, notConditional, []string{c, b, a}},
		{"missing menuid", `{}`, notConditional, []string{c, b, a}},
		{"wrong key", `{"menuId":"` + a + `"}`, notConditional, []string{c, b, a}},
		{"form-encoded body", `menuid=` + a, notConditional, []string{c, b, a}},
		{"not a number", `{"menuid":"abc"}`, notConditional, []string{c, b, a}},
		{"string id", `{"menuid":"` + b + `"}`, errcode{0, "ok"}, []string{c, a}},
		{"deleted twice", `{"menuid":"` + b + `"}`, notConditional, []string{c, a}},
		{"numeric id", `{"menuid":` + a + `}`, errcode{0, "ok"}, []string{c}},
		{"empty body", ``, errcode{44002, "empty post data"}, []string{c}},
	}
	for _, tt := range tests {
		var got errcode
		if tt.body == "" {
			got = e.do("POST", "/cgi-bin/menu/delconditional", map[string][]string{"access_token": {tok}}, "").errcode(t)
		} else {
			got = e.api("menu/delconditional", tok, tt.body).errcode(t)
		}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tt.name, diff)
		}
		var left []string
		for _, m := range e.emu.Menus().Conditional {
			left = append(left, m.MenuID)
		}
		if diff := cmp.Diff(tt.left, left); diff != "" {
			t.Errorf("%s: menus left (-want +got):\n%s", tt.name, diff)
		}
	}
}

func TestMenuIDOnlyWithConditionalMenus(t *testing.T) {
	e, tok := withDefault(t)
	if strings.Contains(e.api("menu/get", tok, "").body, "menuid") {
		t.Errorf("menuid reported without conditional menus")
	}
	id := e.addConditional(tok, oneButton, `{"tag_id":"1"}`)
	if !strings.Contains(e.api("menu/get", tok, "").body, `"menuid":`) {
		t.Errorf("no menu.menuid with a conditional menu")
	}
	e.mustOK("menu/delconditional", tok, `{"menuid":"`+id+`"}`)
	body := e.api("menu/get", tok, "").body
	if strings.Contains(body, "menuid") || strings.Contains(body, "conditionalmenu") {
		t.Errorf("after deleting the last conditional menu: %s", body)
	}
}

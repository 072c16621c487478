package wechattest

import (
	"encoding/json"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/wxmenu/wxmenu/wechat"
)

// tryMatch returns the top-level button names user sees, or the errcode.
func (e *env) tryMatch(tok, user string) ([]string, int) {
	e.t.Helper()
	r := e.api("menu/trymatch", tok, `{"user_id":"`+user+`"}`)
	if ec := r.errcode(e.t); ec.Code != 0 {
		return nil, ec.Code
	}
	var ans struct {
		Buttons []wechat.Button `json:"button"`
	}
	if err := json.Unmarshal([]byte(r.body), &ans); err != nil {
		e.t.Fatal(err)
	}
	var names []string
	for _, b := range ans.Buttons {
		names = append(names, b.Name)
	}
	return names, 0
}

func TestTryMatchDemo(t *testing.T) {
	e := newEnv(t, Config{})
	e.emu.SeedDemo()
	e.emu.AddUser(User{OpenID: "o_wechat_id_user", WeChatID: "demo-wxid", TagIDs: []string{"101"}})
	tok := e.emu.IssueToken()
	defaultMenu := []string{"官网", "服务", "签到"}
	tests := []struct {
		user string
		want []string
		code int
	}{
		{"o_demo_vip", []string{"会员中心", "专属客服"}, 0},
		{"o_demo_staff", defaultMenu, 0},           // tag 102 matches nothing; the sex rule never matches
		{"o_demo_android", []string{"安卓下载"}, 0},    // platform rule
		{"o_demo_plain", defaultMenu, 0},           // nothing matches
		{"o_demo_vip_staff", []string{"安卓下载"}, 0},  // last tag is 102, so the tag-101 menu does not match
		{"demo-wxid", []string{"会员中心", "专属客服"}, 0}, // by WeChat ID
		{"o_nobody", nil, 65302},
		{"", nil, 65302},
	}
	for _, tt := range tests {
		got, code := e.tryMatch(tok, tt.user)
		if diff := cmp.Diff(tt.want, got); diff != "" || code != tt.code {
			t.Errorf("%q: errcode %d (want %d), buttons (-want +got):\n%s", tt.user, code, tt.code, diff)
		}
	}
}

func TestTryMatchNewestFirst(t *testing.T) {
	e, tok := withDefault(t)
	e.emu.AddUser(User{OpenID: "u", TagIDs: []string{"5"}, Platform: "1"})
	older := e.addConditional(tok, `[{"type":"click","name":"older","key":"k"}]`, `{"tag_id":"5"}`)
	newer := e.addConditional(tok, `[{"type":"click","name":"newer","key":"k"}]`, `{"client_platform_type":"1"}`)
	steps := []struct {
		del  string
		want string
	}{
		{"", "newer"},
		{newer, "older"},
		{older, "n"}, // the default menu
	}
	for _, s := range steps {
		if s.del != "" {
			e.mustOK("menu/delconditional", tok, `{"menuid":"`+s.del+`"}`)
		}
		got, code := e.tryMatch(tok, "u")
		if code != 0 || len(got) != 1 || got[0] != s.want {
			t.Errorf("after deleting %q: %v (errcode %d), want %s", s.del, got, code, s.want)
		}
	}
}

func TestTryMatchLeavesCarryEmptySubButton(t *testing.T) {
	e, tok := withDefault(t)
	e.emu.AddUser(User{OpenID: "u"})
	want := `{"button":[{"type":"click","name":"n","key":"k","sub_button":[]}]}` + "\n"
	if diff := cmp.Diff(want, e.api("menu/trymatch", tok, `{"user_id":"u"}`).body); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func TestTryMatchWithoutMenu(t *testing.T) {
	e := newEnv(t, Config{})
	e.emu.AddUser(User{OpenID: "u"})
	tok := e.emu.IssueToken()
	if _, code := e.tryMatch(tok, "u"); code != 46003 {
		t.Errorf("errcode %d, want 46003", code)
	}
}

func TestSelfMenuInfo(t *testing.T) {
	e := newEnv(t, Config{})
	tok := e.emu.IssueToken()
	r := e.api("get_current_selfmenu_info", tok, "")
	if diff := cmp.Diff(`{"is_menu_open":0,"selfmenu_info":{"button":[]}}`+"\n", r.body); diff != "" {
		t.Errorf("no menu (-want +got):\n%s", diff)
	}
	e.emu.SeedDemo()
	r = e.api("get_current_selfmenu_info", tok, "")
	golden(t, "selfmenu_info_demo.json", indent(t, r.body))
	var info wechat.SelfMenuInfo
	if err := json.Unmarshal([]byte(r.body), &info); err != nil {
		t.Fatal(err)
	}
	if info.IsMenuOpen != 1 || len(info.SelfMenu.Buttons) != 3 || info.SelfMenu.Buttons[1].SubButton == nil ||
		len(info.SelfMenu.Buttons[1].SubButton.List) != 2 {
		t.Errorf("decoded selfmenu info: %+v", info)
	}
}

func TestSeedDemoReplacesMenusAndUsers(t *testing.T) {
	e, tok := withDefault(t)
	e.emu.AddUser(User{OpenID: "someone"})
	e.addConditional(tok, oneButton, `{"tag_id":"1"}`)
	e.emu.SeedDemo()
	set := e.emu.Menus()
	var ids []string
	for _, m := range set.Conditional {
		ids = append(ids, m.MenuID)
	}
	if len(ids) != 3 || set.Default.Buttons[0].Name != "官网" {
		t.Fatalf("demo menus: %+v", set)
	}
	// Published in order default, sex, platform, tag: newest first is tag, platform, sex.
	rules := []string{set.Conditional[0].MatchRule.TagID, set.Conditional[1].MatchRule.ClientPlatformType, set.Conditional[2].MatchRule.Sex}
	if diff := cmp.Diff([]string{"101", "2", "1"}, rules); diff != "" {
		t.Errorf("demo order (-want +got):\n%s", diff)
	}
	if !(set.Default.MenuID < ids[2] && ids[2] < ids[1] && ids[1] < ids[0]) {
		t.Errorf("demo menuids not increasing in publish order: default %s, newest first %v", set.Default.MenuID, ids)
	}
	if _, code := e.tryMatch(tok, "someone"); code != 65302 {
		t.Errorf("old user survived SeedDemo: errcode %d", code)
	}
	if tokenState(e, tok) != 0 {
		t.Errorf("SeedDemo invalidated tokens")
	}
}

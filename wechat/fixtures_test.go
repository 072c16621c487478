package wechat_test

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/wxmenu/wxmenu/wechat"
)

// Sources of testdata/api (the project's WeChat API reference, wechat-menu-api.md, has the full
// citations):
//
//	menu_get_two_conditional.json   §8.1 verbatim: real menu/get posted on the WeChat developer community
//	menu_get_numeric_rule.json      the old official menu/get example ("with conditional menus"), rebuilt
//	                                from its description: numeric group_id 2, sex 1,
//	                                client_platform_type 2, menuid 208396993
//	menu_get_wxjava.json            WxJava WxMpMenuTest fixture (real account), client_platform_type "1",
//	                                menuid 449778326; Java's \uD83D\uDC95 escapes written as the character
//	addconditional_menuid_string    old doc response {"menuid":"208379533"}
//	addconditional_menuid_number    node wechat-api SDK comment {menuid: 401550287}
//	delconditional_ok.json          new official delconditional doc example
//	error_65301.json                easywechat#280, errmsg with WeChat's hint suffix
//	error_65303.json                developer community report of 65303
//	error_65304.json                developer community report of 65304
//	error_46003.json                "menu no exist" (WxJava WxMpErrorMsgEnum)
//	trymatch_button.json            trymatch per the official doc: top-level "button"
//	trymatch_menu_wrapper.json      trymatch as WxJava parses it: {"menu":{"button":…}}
//	selfmenu_info_api.json          §8.5 verbatim: WxJava WxMpGetSelfMenuInfoResultTest
//	selfmenu_info_console.json      §8.5: a console-published menu, wechatpy tests/fixtures/
//	                                get_current_selfmenu_info.json (the old doc's example), minified
//	token.json                      wechatpy tests/fixtures/token.json
//	menu_get_duplicate_menuid.json  menu_get_two_conditional.json with the second menu's menuid made the
//	                                first's (written as a string): no real answer is known to do this; it is
//	                                what TestDuplicateMenuID refuses

func leaf(typ, name, key, u string) wechat.Button {
	return wechat.Button{Type: typ, Name: name, Key: key, URL: u}
}

func parent(name string, subs ...wechat.Button) wechat.Button {
	return wechat.Button{Name: name, SubButtons: subs}
}

// wxjavaButtons is the menu of menu_get_wxjava.json; the fixture's view
// buttons carry no url (anonymised upstream).
func wxjavaButtons(second string) []wechat.Button {
	view := func(name string) wechat.Button { return leaf("view", name, "", "") }
	return []wechat.Button{
		view("阅读记录"), view("💕秦枫💕"),
		parent("签到送礼", view("书城首页"), view(second), view("个人中心"), view("签到送礼")),
	}
}

// oldDocMenu is the conditional menu of the old official example.
var oldDocMenu = []wechat.Button{
	leaf("click", "今日歌曲", "V1001_TODAY_MUSIC", ""),
	parent("菜单",
		leaf("view", "搜索", "", "http://www.soso.com/"),
		leaf("view", "视频", "", "http://v.qq.com/"),
		leaf("click", "赞一下我们", "V1001_GOOD", "")),
}

var tryMatchButtons = []wechat.Button{
	leaf("click", "今日歌曲", "V1001_TODAY_MUSIC", ""),
	parent("菜单", leaf("view", "搜索", "", "http://www.soso.com/")),
}

func selfMenuInfoFixture() *wechat.SelfMenuInfo {
	mini := func(name, u, appid, page string) wechat.SelfMenuButton {
		return wechat.SelfMenuButton{Type: "miniprogram", Name: name, URL: u, AppID: appid, PagePath: page}
	}
	info := &wechat.SelfMenuInfo{IsMenuOpen: 1}
	info.SelfMenu.Buttons = []wechat.SelfMenuButton{
		{Name: "学院", SubButton: &struct {
			List []wechat.SelfMenuButton `json:"list"`
		}{List: []wechat.SelfMenuButton{
			mini("成语答题王", "http://host", "wxf4dc5b4e7b35dcd1", "pages/index/index"),
			mini("大师课程", "https://host/course/tutorial", "wxfd6acd566482c6cb", "pages/tutorialDetail/tutorialDetail"),
		}}},
		mini("学科商城", "https://host/-dAEuY", "wx720f9f1301595564", "pages/home/dashboard/index"),
	}
	return info
}

// TestFixtures serves each real response through HTTP and checks what the
// client method makes of it. Empty and nil slices are equated: menu/get's
// "sub_button": [] on leaves carries no information.
func TestFixtures(t *testing.T) {
	var (
		getMenu = func(ctx context.Context, c *wechat.Client) (any, error) { return c.GetMenu(ctx) }
		addCond = func(ctx context.Context, c *wechat.Client) (any, error) {
			return c.AddConditional(ctx, tryMatchButtons, wechat.MatchRule{TagID: "2"})
		}
		delCond = func(ctx context.Context, c *wechat.Client) (any, error) {
			return nil, c.DelConditional(ctx, "208379533")
		}
		tryMatch = func(ctx context.Context, c *wechat.Client) (any, error) { return c.TryMatch(ctx, "weixin") }
		selfMenu = func(ctx context.Context, c *wechat.Client) (any, error) { return c.GetCurrentSelfMenuInfo(ctx) }
	)
	tests := []struct {
		fixture string
		call    func(context.Context, *wechat.Client) (any, error)
		want    any
		wantErr *wechat.APIError
	}{
		{
			fixture: "menu_get_two_conditional.json", call: getMenu,
			want: &wechat.MenuSet{
				Default: &wechat.Menu{MenuID: "422684901", Buttons: []wechat.Button{
					parent("HJLKJ", leaf("click", "JIKJ", "a0001", "")),
					parent("knkjk", leaf("click", "knkjkj", "A0001", "")),
					parent("JKKJL", leaf("view", "UIIUI874IR", "", "http://baidu.com")),
				}},
				Conditional: []wechat.ConditionalMenu{
					{MenuID: "422685155", MatchRule: wechat.MatchRule{TagID: "104"},
						Buttons: []wechat.Button{parent("富", leaf("click", "这边", "B0005", ""))}},
					{MenuID: "422685141", MatchRule: wechat.MatchRule{TagID: "104"},
						Buttons: []wechat.Button{parent("富", leaf("click", "那边", "B0005", ""))}},
				},
			},
		},
		{
			fixture: "menu_get_numeric_rule.json", call: getMenu,
			want: &wechat.MenuSet{
				Default: &wechat.Menu{MenuID: "208396938", Buttons: []wechat.Button{
					leaf("click", "今日歌曲", "V1001_TODAY_MUSIC", ""),
					leaf("click", "歌手简介", "V1001_TODAY_SINGER", ""),
					oldDocMenu[1],
				}},
				Conditional: []wechat.ConditionalMenu{{
					MenuID: "208396993", Buttons: oldDocMenu,
					MatchRule: wechat.MatchRule{TagID: "2", Sex: "1", Country: "中国", Province: "广东", City: "广州", ClientPlatformType: "2"},
				}},
			},
		},
		{
			fixture: "menu_get_wxjava.json", call: getMenu,
			want: &wechat.MenuSet{
				Default: &wechat.Menu{MenuID: "449778320", Buttons: wxjavaButtons("我要充值")},
				Conditional: []wechat.ConditionalMenu{
					{MenuID: "449778326", MatchRule: wechat.MatchRule{ClientPlatformType: "1"}, Buttons: wxjavaButtons("我要看书")},
					{MenuID: "449778324", MatchRule: wechat.MatchRule{ClientPlatformType: "2"}, Buttons: wxjavaButtons("我要充值")},
				},
			},
		},
		{fixture: "error_46003.json", call: getMenu, want: &wechat.MenuSet{}},
		{fixture: "addconditional_menuid_string.json", call: addCond, want: "208379533"},
		{fixture: "addconditional_menuid_number.json", call: addCond, want: "401550287"},
		{fixture: "delconditional_ok.json", call: delCond},
		{
			fixture: "error_65301.json", call: delCond,
			wantErr: &wechat.APIError{Endpoint: "menu/delconditional", Code: 65301, Message: "this menu is not conditionalmenu", RequestID: "qUrkpA0157vr23"},
		},
		{
			fixture: "error_65303.json", call: addCond,
			wantErr: &wechat.APIError{Endpoint: "menu/addconditional", Code: 65303, Message: "there is no selfmenu, please create selfmenu first"},
		},
		{
			fixture: "error_65304.json", call: addCond,
			wantErr: &wechat.APIError{Endpoint: "menu/addconditional", Code: 65304, Message: "match rule empty"},
		},
		// 46003 means "no menu" only for menu/get.
		{
			fixture: "error_46003.json", call: tryMatch,
			wantErr: &wechat.APIError{Endpoint: "menu/trymatch", Code: 46003, Message: "menu no exist"},
		},
		{fixture: "trymatch_button.json", call: tryMatch, want: tryMatchButtons},
		{fixture: "trymatch_menu_wrapper.json", call: tryMatch, want: tryMatchButtons},
		{fixture: "selfmenu_info_api.json", call: selfMenu, want: selfMenuInfoFixture()},
	}
	for _, tt := range tests {
		t.Run(tt.fixture, func(t *testing.T) {
			srv := newFakeServer(t, canned(http.StatusOK, wechatJSON, fixture(t, tt.fixture)))
			got, err := tt.call(t.Context(), staticClient(t, srv.URL))
			if tt.wantErr != nil {
				var apiErr *wechat.APIError
				if !errors.As(err, &apiErr) {
					t.Fatalf("err = %v, want an *APIError", err)
				}
				if diff := cmp.Diff(tt.wantErr, apiErr); diff != "" {
					t.Errorf("APIError mismatch (-want +got):\n%s", diff)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("decoded mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// TestTokenFixture fetches a token from the wechatpy fixture and checks the
// next call carries it.
func TestTokenFixture(t *testing.T) {
	srv := newFakeServer(t, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/cgi-bin/stable_token" {
			canned(http.StatusOK, wechatJSON, fixture(t, "token.json"))(w, r)
			return
		}
		canned(http.StatusOK, wechatJSON, fixture(t, "menu_get_two_conditional.json"))(w, r)
	})
	c, err := wechat.New(wechat.WithBaseURLs(srv.URL), wechat.WithCredentials("wxappid", "app-secret"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.GetMenu(t.Context()); err != nil {
		t.Fatal(err)
	}
	reqs := srv.requests()
	if len(reqs) != 2 {
		t.Fatalf("got %d requests, want token + menu/get: %+v", len(reqs), reqs)
	}
	q, _ := url.ParseQuery(reqs[1].RawQuery)
	if reqs[1].Path != "/cgi-bin/menu/get" || q.Get("access_token") != "ACCESS_TOKEN" {
		t.Errorf("menu/get request = %+v, want access_token=ACCESS_TOKEN", reqs[1])
	}
}

// TestDuplicateMenuID: a menu/get answer in which two conditional menus
// have one menuid (here once as a number and once as a string, which are
// the same id) is an error naming the id and both menus, never a MenuSet:
// a plan would delete or keep "the" menu of that id, and delconditional
// cannot tell two apart.
func TestDuplicateMenuID(t *testing.T) {
	srv := newFakeServer(t, canned(http.StatusOK, wechatJSON, fixture(t, "menu_get_duplicate_menuid.json")))
	set, err := staticClient(t, srv.URL).GetMenu(t.Context())
	if set != nil {
		t.Errorf("got a MenuSet %+v with the error", set)
	}
	var unexpected *wechat.UnexpectedResponseError
	if !errors.As(err, &unexpected) {
		t.Fatalf("err = %v, want an *UnexpectedResponseError", err)
	}
	const want = `wechat: menu/get: unexpected response (HTTP 200, application/json; encoding=utf-8): conditionalmenu[1] has menuid 422685155, the same as conditionalmenu[0]: `
	if !strings.HasPrefix(err.Error(), want) {
		t.Errorf("error:\n%s\nwant it to start with:\n%s", err, want)
	}
	if _, err := wechat.DecodeMenuGet(fixture(t, "menu_get_duplicate_menuid.json")); err == nil {
		t.Error("DecodeMenuGet accepted the duplicate menuid")
	}
}

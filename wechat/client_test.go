package wechat_test

import (
	"errors"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/wxmenu/wxmenu/wechat"
	"github.com/wxmenu/wxmenu/wechat/wechattest"
)

// setup starts an emulator over real HTTP and a client with its default
// credentials and fast retries; opts are applied last.
func setup(t *testing.T, opts ...wechat.Option) (*wechat.Client, *wechattest.Emulator) {
	t.Helper()
	emu, base := startEmulator(t)
	all := append([]wechat.Option{
		wechat.WithBaseURLs(base),
		wechat.WithCredentials(wechattest.DefaultAppID, wechattest.DefaultSecret),
		fastRetry,
	}, opts...)
	c, err := wechat.New(all...)
	if err != nil {
		t.Fatal(err)
	}
	return c, emu
}

// startEmulator serves a fresh emulator over HTTP and returns its base URL.
func startEmulator(t *testing.T) (*wechattest.Emulator, string) {
	t.Helper()
	emu := wechattest.New(wechattest.Config{Seed: 1})
	srv := httptest.NewServer(emu)
	t.Cleanup(srv.Close)
	return emu, srv.URL
}

// apiErrorCode is the errcode of err's *APIError, or 0.
func apiErrorCode(err error) int {
	var apiErr *wechat.APIError
	if errors.As(err, &apiErr) {
		return apiErr.Code
	}
	return 0
}

var (
	defaultButtons = []wechat.Button{
		{Type: "click", Name: "今日歌曲", Key: "V1001_TODAY_MUSIC"},
		{Name: "菜单", SubButtons: []wechat.Button{
			{Type: "view", Name: "搜索", URL: "https://example.com/search?q=menu&lang=zh"},
			{Type: "click", Name: "赞一下我们", Key: "V1001_GOOD"},
		}},
	}
	vipButtons = []wechat.Button{{Type: "view", Name: "VIP", URL: "https://example.com/vip?a=1&b=2"}}
	iosButtons = []wechat.Button{{Type: "click", Name: "iOS", Key: "IOS"}}
	vipRule    = wechat.MatchRule{TagID: "101"}
	iosRule    = wechat.MatchRule{ClientPlatformType: "1"}
)

// TestMenuLifecycle drives every endpoint against the emulator.
func TestMenuLifecycle(t *testing.T) {
	c, emu := setup(t)
	ctx := t.Context()
	emu.AddUser(wechattest.User{OpenID: "o_vip", TagIDs: []string{"101"}, Platform: "2"})
	emu.AddUser(wechattest.User{OpenID: "o_ios", Platform: "1"})
	emu.AddUser(wechattest.User{OpenID: "o_plain", Platform: "3"})

	got, err := c.GetMenu(ctx)
	if err != nil {
		t.Fatalf("GetMenu on an empty account: %v", err)
	}
	if diff := cmp.Diff(&wechat.MenuSet{}, got); diff != "" {
		t.Errorf("empty account (-want +got):\n%s", diff)
	}

	if _, err := c.AddConditional(ctx, vipButtons, vipRule); apiErrorCode(err) != 65303 {
		t.Errorf("AddConditional without a default menu: err = %v, want errcode 65303", err)
	}
	if err := c.CreateMenu(ctx, defaultButtons); err != nil {
		t.Fatalf("CreateMenu: %v", err)
	}
	iosID, err := c.AddConditional(ctx, iosButtons, iosRule)
	if err != nil {
		t.Fatalf("AddConditional ios: %v", err)
	}
	vipID, err := c.AddConditional(ctx, vipButtons, vipRule)
	if err != nil {
		t.Fatalf("AddConditional vip: %v", err)
	}
	if iosID == "" || vipID == "" || iosID == vipID {
		t.Fatalf("menuids %q, %q: want two distinct ids", iosID, vipID)
	}

	got, err = c.GetMenu(ctx)
	if err != nil {
		t.Fatalf("GetMenu: %v", err)
	}
	if diff := cmp.Diff(emu.Menus(), *got); diff != "" {
		t.Errorf("GetMenu differs from the emulator state (-emulator +client):\n%s", diff)
	}
	var ids []string
	for _, m := range got.NewestFirst() {
		ids = append(ids, m.MenuID)
	}
	if diff := cmp.Diff([]string{vipID, iosID}, ids); diff != "" {
		t.Errorf("conditional menus newest first (-want +got):\n%s", diff)
	}
	if got.Conditional[0].Buttons[0].URL != vipButtons[0].URL {
		t.Errorf("view url came back as %q, want %q", got.Conditional[0].Buttons[0].URL, vipButtons[0].URL)
	}

	for user, want := range map[string]string{"o_vip": "VIP", "o_ios": "iOS", "o_plain": "今日歌曲"} {
		buttons, err := c.TryMatch(ctx, user)
		if err != nil {
			t.Fatalf("TryMatch(%s): %v", user, err)
		}
		if len(buttons) == 0 || buttons[0].Name != want {
			t.Errorf("TryMatch(%s) first button = %+v, want %q", user, buttons, want)
		}
	}
	if _, err := c.TryMatch(ctx, "o_nobody"); apiErrorCode(err) != 65302 {
		t.Errorf("TryMatch unknown user: err = %v, want errcode 65302", err)
	}

	info, err := c.GetCurrentSelfMenuInfo(ctx)
	if err != nil {
		t.Fatalf("GetCurrentSelfMenuInfo: %v", err)
	}
	if info.IsMenuOpen != 1 || len(info.SelfMenu.Buttons) != len(defaultButtons) || info.SelfMenu.Buttons[0].Name != "今日歌曲" {
		t.Errorf("self menu info = %+v, want the open default menu", info)
	}

	if err := c.DelConditional(ctx, iosID); err != nil {
		t.Fatalf("DelConditional: %v", err)
	}
	err = c.DelConditional(ctx, iosID)
	var apiErr *wechat.APIError
	if !errors.As(err, &apiErr) || apiErr.Code != 65301 {
		t.Errorf("DelConditional twice: err = %v, want errcode 65301 (not found)", err)
	}
	if n := len(emu.Menus().Conditional); n != 1 {
		t.Errorf("%d conditional menus left, want 1", n)
	}

	if err := c.DeleteMenu(ctx); err != nil {
		t.Fatalf("DeleteMenu: %v", err)
	}
	got, err = c.GetMenu(ctx)
	if err != nil || got.Default != nil || len(got.Conditional) != 0 {
		t.Errorf("GetMenu after DeleteMenu = %+v, %v; want an empty set", got, err)
	}
}

func TestAPIErrorsFromEmulator(t *testing.T) {
	c, _ := setup(t)
	ctx := t.Context()
	if err := c.CreateMenu(ctx, defaultButtons); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		call func() error
		code int
	}{
		{"too many buttons", func() error {
			return c.CreateMenu(ctx, []wechat.Button{iosButtons[0], iosButtons[0], iosButtons[0], iosButtons[0]})
		}, 40016},
		{"empty rule", func() error { _, err := c.AddConditional(ctx, iosButtons, wechat.MatchRule{}); return err }, 65304},
		{"privacy rule", func() error { _, err := c.AddConditional(ctx, iosButtons, wechat.MatchRule{Sex: "1"}); return err }, 65320},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.call()
			var apiErr *wechat.APIError
			if !errors.As(err, &apiErr) {
				t.Fatalf("err = %v, want an *APIError", err)
			}
			if apiErr.Code != tt.code {
				t.Errorf("err = %v, want errcode %d", err, tt.code)
			}
			if errors.Is(err, wechat.ErrOutcomeUnknown) {
				t.Errorf("an API error is a known outcome: %v", err)
			}
		})
	}
}

func TestNewRejectsBadOptions(t *testing.T) {
	creds := wechat.WithCredentials("wxappid", "app-secret")
	tests := []struct {
		name string
		opts []wechat.Option
		want string
	}{
		{"no credentials", nil, "no credentials"},
		{"both kinds", []wechat.Option{creds, wechat.WithStaticToken("t")}, "either credentials or a static token"},
		{"legacy with static", []wechat.Option{wechat.WithStaticToken("t"), wechat.WithLegacyToken()}, "legacy token endpoint needs credentials"},
		{"half credentials", []wechat.Option{wechat.WithCredentials("wxappid", "")}, "both an appid and a secret"},
		{"no base url", []wechat.Option{creds, wechat.WithBaseURLs()}, "no base url"},
		{"relative base url", []wechat.Option{creds, wechat.WithBaseURLs("api.weixin.qq.com")}, "invalid base url"},
		{"base url with a token", []wechat.Option{creds, wechat.WithBaseURLs("https://h/?access_token=SHOULD-NOT-LEAK")}, "invalid base url (not shown, it may hold a credential): no query allowed"},
		{"secret pasted as a base url", []wechat.Option{creds, wechat.WithBaseURLs("https://api.weixin.qq.com", "SHOULD-NOT-LEAK:x")}, "invalid base url 2 of 2 (not shown, it may hold a credential): the scheme is not http or https"},
		{"secret pasted as user info", []wechat.Option{creds, wechat.WithBaseURLs("https://SHOULD-NOT-LEAK@h")}, "no user info allowed"},
		{"nil token source", []wechat.Option{wechat.WithTokenSource(nil)}, "nil token source"},
		{"token source and credentials", []wechat.Option{creds, wechat.WithTokenSource(wechat.StaticTokenSource("t"))}, "not both"},
		{"zero attempts", []wechat.Option{creds, wechat.WithRetry(0, 0, 0)}, "invalid retry policy"},
		{"nil http client", []wechat.Option{creds, wechat.WithHTTPClient(nil)}, "nil http client"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := wechat.New(tt.opts...)
			if err == nil || c != nil {
				t.Fatalf("New = %v, %v; want an error", c, err)
			}
			if !strings.Contains(err.Error(), tt.want) || strings.Contains(strings.ToLower(err.Error()), "should-not-leak") {
				t.Errorf("error %q, want it to mention %q and no secret", err, tt.want)
			}
		})
	}
}

func TestReadOnlyClientNeverMutates(t *testing.T) {
	c, emu := setup(t, wechat.WithReadOnly())
	ctx := t.Context()
	if _, err := c.GetMenu(ctx); err != nil {
		t.Fatalf("GetMenu on a read-only client: %v", err)
	}
	calls := map[string]error{
		"menu/create":         c.CreateMenu(ctx, defaultButtons),
		"menu/delete":         c.DeleteMenu(ctx),
		"menu/delconditional": c.DelConditional(ctx, "1"),
	}
	_, calls["menu/addconditional"] = c.AddConditional(ctx, vipButtons, vipRule)
	for endpoint, err := range calls {
		if !errors.Is(err, wechat.ErrReadOnly) || !strings.Contains(err.Error(), endpoint) {
			t.Errorf("%s: err = %v, want ErrReadOnly naming the endpoint", endpoint, err)
		}
	}
	want := map[string]int{"cgi-bin/stable_token": 1, "menu/get": 1}
	if diff := cmp.Diff(want, emu.Calls()); diff != "" {
		t.Errorf("calls (-want +got):\n%s", diff)
	}
}

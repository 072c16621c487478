package main

import (
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/wxmenu/wxmenu/internal/cmdline"

	"github.com/wxmenu/wxmenu/wechat/wechattest"
)

// defaultOnlyMenus is a file with a default menu and one conditional menu.
const defaultOnlyMenus = `default:
  button:
    - {type: view, name: 官网, url: "https://www.example.com/?a=1&b=2"}
conditional:
  - name: vip
    matchrule: {tag_id: "101"}
    button:
      - {type: click, name: 会员, key: VIP}
`

// errorsEnv points the CLI at an API base for the rest of the test, with a
// fresh state directory and a menus file; it returns the file's path.
func errorsEnv(t *testing.T, apiBase string) string {
	t.Helper()
	dir := t.TempDir()
	t.Setenv("XDG_STATE_HOME", filepath.Join(dir, "state"))
	t.Setenv("WECHAT_API_BASE", apiBase)
	t.Setenv("WXMENU_SANDBOX", "")
	menus := filepath.Join(dir, "menus.yaml")
	if err := os.WriteFile(menus, []byte(defaultOnlyMenus), 0o644); err != nil {
		t.Fatal(err)
	}
	return menus
}

// TestAccountKindMessages: each account-kind and access errcode the
// emulator gives reaches the operator as one error line with WeChat's
// request id and a hint line that says what to do.
func TestAccountKindMessages(t *testing.T) {
	tests := []struct {
		name  string
		setup func(*wechattest.Account) error
		args  []string // "FILE" stands for the menus file
		code  int
		error string // regexp the error line must match
		hint  string // the hint line, exactly
	}{
		{
			name: "48001 unverified subscription account",
			setup: func(a *wechattest.Account) error {
				return a.SetSettings(wechattest.AccountSettings{Unverified: true, Kind: wechattest.KindSubscription})
			},
			args:  []string{"plan", "-f", "FILE"},
			code:  1,
			error: `^wxmenu: error: reading the account: wechat: menu/get: errcode 48001: api unauthorized \(WeChat request id [0-9a-f]{8}-[0-9a-f]{8}-[0-9a-f]{8}, quote it to WeChat support\)$`,
			hint:  "hint: the account may not call this api: verify the account (unverified accounts cannot use the menu api), or check that its type (subscription or service) has the permission",
		},
		{
			name: "48001 on trymatch",
			setup: func(a *wechattest.Account) error {
				return a.SetSettings(wechattest.AccountSettings{Unverified: true, Kind: wechattest.KindSubscription})
			},
			args:  []string{"trymatch", "o_demo_vip"},
			code:  1,
			error: `^wxmenu: error: trymatch o_demo_vip: wechat: menu/trymatch: errcode 48001: api unauthorized \(WeChat request id [-0-9a-f]{26}, quote it to WeChat support\)$`,
			hint:  "hint: the account may not call this api: verify the account (unverified accounts cannot use the menu api), or check that its type (subscription or service) has the permission",
		},
		{
			name:  "65306 conditional menus on an unverified service account",
			setup: func(a *wechattest.Account) error { return a.SetSettings(wechattest.AccountSettings{Unverified: true}) },
			args:  []string{"apply", "--auto-approve", "-f", "FILE"},
			code:  cmdline.ExitPartial, // the default menu was created first
			error: `^wxmenu: error: apply stopped after 1 of 2 steps: wechat: menu/addconditional: errcode 65306: .* \(WeChat request id [-0-9a-f]{26}, quote it to WeChat support\)$`,
			hint:  "hint: the account may not use conditional menus (they need a verified account): verify it in the console, or remove the conditional menus from menus.yaml; then run plan and apply again (the account is between the old and the new state)",
		},
		{
			name: "40164 caller outside the ip whitelist",
			setup: func(a *wechattest.Account) error {
				return a.SetSettings(wechattest.AccountSettings{IPWhitelist: []string{"192.0.2.1"}})
			},
			args:  []string{"plan", "-f", "FILE"},
			code:  1,
			error: `^wxmenu: error: reading the account: wechat: cgi-bin/stable_token: errcode 40164: invalid ip 127\.0\.0\.1 ipv6 ::ffff:127\.0\.0\.1, not in whitelist \(WeChat request id [-0-9a-f]{26}, quote it to WeChat support\)$`,
			hint:  "hint: add 127.0.0.1 (this runner's public ip) to the account's ip whitelist (mp.weixin.qq.com, settings and development, basic configuration)",
		},
		{
			name:  "45009 daily quota used up",
			setup: func(a *wechattest.Account) error { a.SetQuota("menu/get", 0); return nil },
			args:  []string{"plan", "-f", "FILE"},
			code:  1,
			error: `^wxmenu: error: reading the account: wechat: menu/get: errcode 45009: reach max api daily quota limit \(WeChat request id [-0-9a-f]{26}, quote it to WeChat support\)$`,
			hint:  "hint: the daily quota is used up: wait for the reset at midnight beijing time, or clear it in the console (a limited number of resets a month)",
		},
		{
			name:  "45009 on the first step: nothing was changed",
			setup: func(a *wechattest.Account) error { a.SetQuota("menu/create", 0); return nil },
			args:  []string{"apply", "--auto-approve", "-f", "FILE"},
			code:  cmdline.ExitError,
			error: `^wxmenu: error: apply stopped after 0 of 2 steps: wechat: menu/create: errcode 45009: .*quote it to WeChat support\); nothing was changed$`,
			hint:  "hint: the daily quota is used up: wait for the reset at midnight beijing time, or clear it in the console (a limited number of resets a month)",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			emu := wechattest.New(wechattest.Config{Seed: 12})
			srv := httptest.NewServer(emu)
			defer srv.Close()
			menus := errorsEnv(t, srv.URL)
			t.Setenv("WECHAT_APPID", wechattest.DefaultAppID)
			t.Setenv("WECHAT_APPSECRET", wechattest.DefaultSecret)
			t.Setenv("WECHAT_ACCESS_TOKEN", "")
			if err := tt.setup(emu.Default()); err != nil {
				t.Fatal(err)
			}
			args := slices.Clone(tt.args)
			if i := slices.Index(args, "FILE"); i >= 0 {
				args[i] = menus
			}
			code, stdout, stderr := runCLI(t, args...)
			checkErrorLines(t, code, stdout, stderr, tt.code, tt.error, tt.hint)
		})
	}
}

// TestRealErrorBodiesThroughCLI serves the real error bodies of
// testdata/api (each with WeChat's rid) and checks that the CLI's message
// quotes the request id and gives the errcode's hint.
func TestRealErrorBodiesThroughCLI(t *testing.T) {
	tests := []struct {
		fixture  string
		endpoint string // where the fixture is the answer; every other call succeeds
		args     []string
		code     int
		error    string
		hint     string
	}{
		{"error_40001_rid.json", "/cgi-bin/menu/get", []string{"plan"}, 1,
			`^wxmenu: error: reading the account: wechat: menu/get: errcode 40001: invalid credential, .* \(WeChat request id 66570c39-a261ef84-53d072b6, quote it to WeChat support\)$`,
			"hint: check the appid and app secret (or the token source); a token fetched with cgi-bin/token elsewhere invalidates older ones, so prefer stable_token everywhere"},
		{"error_42001_rid.json", "/cgi-bin/menu/get", []string{"plan"}, 1,
			`errcode 42001: access_token expired \(WeChat request id 66681d4a-b372f095-64e183c7, quote it to WeChat support\)$`,
			"hint: the access token expired and no fresh one could be used: check the token source"},
		{"error_40164_rid.json", "/cgi-bin/menu/get", []string{"plan"}, 1,
			`errcode 40164: invalid ip 203\.0\.113\.7 ipv6 ::ffff:203\.0\.113\.7, not in whitelist \(WeChat request id 65a0f3b2-3c5d7e91-4b2a6c08, quote it to WeChat support\)$`,
			"hint: add 203.0.113.7 (this runner's public ip) to the account's ip whitelist (mp.weixin.qq.com, settings and development, basic configuration)"},
		{"error_45009_rid.json", "/cgi-bin/menu/get", []string{"plan"}, 1,
			`errcode 45009: reach max api daily quota limit \(WeChat request id 6602b7e4-5d1c9a3f-0e8b2d61, quote it to WeChat support\)$`,
			"hint: the daily quota is used up: wait for the reset at midnight beijing time, or clear it in the console (a limited number of resets a month)"},
		{"error_61004_rid.json", "/cgi-bin/menu/get", []string{"plan"}, 1,
			`errcode 61004: access clientip is not registered requestIP: 203\.0\.113\.7 \(WeChat request id 6624d906-7f3ebc51-20ad4f83, quote it to WeChat support\)$`,
			"hint: add 203.0.113.7 (this runner's public ip) to the third-party platform's ip whitelist (open.weixin.qq.com, platform details, development settings)"},
		{"error_48001_rid.json", "/cgi-bin/menu/create", []string{"apply", "--auto-approve"}, 1,
			`^wxmenu: error: apply stopped after 0 of 2 steps: wechat: menu/create: errcode 48001: api unauthorized \(WeChat request id 6613c8f5-6e2dab40-1f9c3e72, quote it to WeChat support\); nothing was changed$`,
			"hint: the account may not call this api: verify the account (unverified accounts cannot use the menu api), or check that its type (subscription or service) has the permission"},
		{"error_40033_rid.json", "/cgi-bin/menu/create", []string{"apply", "--auto-approve"}, 1,
			`errcode 40033: invalid charset\. please check your request, if include \\uxxxx will create fail! \(WeChat request id 6571c0de-0b3e6f21-2a9d4c17, quote it to WeChat support\); nothing was changed$`,
			""},
		{"error_40018_rid.json", "/cgi-bin/menu/create", []string{"apply", "--auto-approve"}, 1,
			`errcode 40018: invalid button name size \(WeChat request id 64a1b2c3-1a2b3c4d-5e6f7a8b, quote it to WeChat support\); nothing was changed$`,
			""},
	}
	for _, tt := range tests {
		t.Run(tt.fixture, func(t *testing.T) {
			body, err := os.ReadFile(filepath.Join("testdata", "api", tt.fixture))
			if err != nil {
				t.Fatal(err)
			}
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "application/json; encoding=utf-8")
				switch r.URL.Path {
				case tt.endpoint:
					w.Write(body)
				case "/cgi-bin/menu/get":
					w.Write([]byte(`{"errcode":46003,"errmsg":"menu no exist rid: 6657aa00-00000000-00000000"}`))
				case "/cgi-bin/get_current_selfmenu_info":
					w.Write([]byte(`{"is_menu_open":0,"selfmenu_info":{"button":[]}}`))
				default:
					w.Write([]byte(`{"errcode":0,"errmsg":"ok"}`))
				}
			}))
			defer srv.Close()
			menus := errorsEnv(t, srv.URL)
			t.Setenv("WECHAT_APPID", "wx0123456789abcdef")
			t.Setenv("WECHAT_APPSECRET", "")
			t.Setenv("WECHAT_ACCESS_TOKEN", "static-token-for-fixtures")
			code, stdout, stderr := runCLI(t, append(tt.args, "-f", menus)...)
			checkErrorLines(t, code, stdout, stderr, tt.code, tt.error, tt.hint)
			if strings.Contains(stdout+stderr, "static-token-for-fixtures") {
				t.Errorf("the access token is in the output:\n%s%s", stdout, stderr)
			}
		})
	}
}

// checkErrorLines checks the exit code, that the `wxmenu: error:` line
// matches errorRE and that the hint line is hint ("" for none).
func checkErrorLines(t *testing.T, code int, stdout, stderr string, wantCode int, errorRE, hint string) {
	t.Helper()
	if code != wantCode {
		t.Errorf("exit %d, want %d\n%s%s", code, wantCode, stdout, stderr)
	}
	var errLine, hintLine string
	for _, line := range strings.Split(stderr, "\n") {
		switch {
		case strings.HasPrefix(line, "wxmenu: error: "):
			errLine = line
		case strings.HasPrefix(line, "hint: "):
			hintLine = line
		}
	}
	if !regexp.MustCompile(errorRE).MatchString(errLine) {
		t.Errorf("error line %q\ndoes not match %s\nstderr:\n%s", errLine, errorRE, stderr)
	}
	if hintLine != hint {
		t.Errorf("hint line %q\nwant       %q", hintLine, hint)
	}
}

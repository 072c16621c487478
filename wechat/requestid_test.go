package wechat_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/wxmenu/wxmenu/wechat"
	"github.com/wxmenu/wxmenu/wechat/wechattest"
)

// TestErrorsWithRequestID decodes error bodies in WeChat's real shape (errmsg
// ending in " rid: …" or " hint: [...]") from testdata/api: the message is
// kept clean for matching, the id is parsed, the error text asks the user to
// quote it, and account and access errors carry an operator hint.
func TestErrorsWithRequestID(t *testing.T) {
	getMenu := func(ctx context.Context, c *wechat.Client) error { _, err := c.GetMenu(ctx); return err }
	createMenu := func(ctx context.Context, c *wechat.Client) error { return c.CreateMenu(ctx, defaultButtons) }
	tests := []struct {
		fixture  string
		call     func(context.Context, *wechat.Client) error
		want     *wechat.APIError
		wantText string
		wantHint string // a word the hint must contain; "" for no hint
	}{
		{
			fixture: "error_40018_rid.json", call: createMenu,
			want:     &wechat.APIError{Endpoint: "menu/create", Code: wechat.CodeInvalidButtonName, Message: "invalid button name size", RequestID: "64a1b2c3-1a2b3c4d-5e6f7a8b"},
			wantText: "wechat: menu/create: errcode 40018: invalid button name size (WeChat request id 64a1b2c3-1a2b3c4d-5e6f7a8b, quote it to WeChat support)",
		},
		{
			fixture: "error_40033_rid.json", call: createMenu,
			want: &wechat.APIError{Endpoint: "menu/create", Code: wechat.CodeInvalidCharset,
				Message: `invalid charset. please check your request, if include \uxxxx will create fail!`, RequestID: "6571c0de-0b3e6f21-2a9d4c17"},
			wantText: `wechat: menu/create: errcode 40033: invalid charset. please check your request, if include \uxxxx will create fail! (WeChat request id 6571c0de-0b3e6f21-2a9d4c17, quote it to WeChat support)`,
		},
		{
			fixture: "error_40164_rid.json", call: getMenu,
			want: &wechat.APIError{Endpoint: "menu/get", Code: wechat.CodeIPNotWhitelisted,
				Message: "invalid ip 203.0.113.7 ipv6 ::ffff:203.0.113.7, not in whitelist", RequestID: "65a0f3b2-3c5d7e91-4b2a6c08"},
			wantText: "wechat: menu/get: errcode 40164: invalid ip 203.0.113.7 ipv6 ::ffff:203.0.113.7, not in whitelist (WeChat request id 65a0f3b2-3c5d7e91-4b2a6c08, quote it to WeChat support)",
			wantHint: "add 203.0.113.7 (this runner's public ip) to the account's ip whitelist",
		},
		{
			fixture: "error_45009_rid.json", call: getMenu,
			want:     &wechat.APIError{Endpoint: "menu/get", Code: wechat.CodeDailyQuota, Message: "reach max api daily quota limit", RequestID: "6602b7e4-5d1c9a3f-0e8b2d61"},
			wantText: "wechat: menu/get: errcode 45009: reach max api daily quota limit (WeChat request id 6602b7e4-5d1c9a3f-0e8b2d61, quote it to WeChat support)",
			wantHint: "quota",
		},
		{
			fixture: "error_48001_rid.json", call: createMenu,
			want:     &wechat.APIError{Endpoint: "menu/create", Code: wechat.CodeAPIUnauthorized, Message: "api unauthorized", RequestID: "6613c8f5-6e2dab40-1f9c3e72"},
			wantText: "wechat: menu/create: errcode 48001: api unauthorized (WeChat request id 6613c8f5-6e2dab40-1f9c3e72, quote it to WeChat support)",
			wantHint: "verify the account",
		},
		{
			fixture: "error_65301.json", call: func(ctx context.Context, c *wechat.Client) error { return c.DelConditional(ctx, "1") },
			want:     &wechat.APIError{Endpoint: "menu/delconditional", Code: wechat.CodeNoConditionalMenu, Message: "this menu is not conditionalmenu", RequestID: "qUrkpA0157vr23"},
			wantText: "wechat: menu/delconditional: errcode 65301: this menu is not conditionalmenu (WeChat request id qUrkpA0157vr23, quote it to WeChat support)",
		},
		{
			fixture: "error_46003.json", call: func(ctx context.Context, c *wechat.Client) error { _, err := c.TryMatch(ctx, "o1"); return err },
			want:     &wechat.APIError{Endpoint: "menu/trymatch", Code: wechat.CodeMenuNotExist, Message: "menu no exist"},
			wantText: "wechat: menu/trymatch: errcode 46003: menu no exist",
		},
	}
	for _, tt := range tests {
		t.Run(tt.fixture, func(t *testing.T) {
			srv := newFakeServer(t, canned(http.StatusOK, wechatJSON, fixture(t, tt.fixture)))
			err := tt.call(t.Context(), staticClient(t, srv.URL))
			var apiErr *wechat.APIError
			if !errors.As(err, &apiErr) {
				t.Fatalf("err = %v, want an *APIError", err)
			}
			if diff := cmp.Diff(tt.want, apiErr); diff != "" {
				t.Errorf("APIError (-want +got):\n%s", diff)
			}
			if got := apiErr.Error(); got != tt.wantText {
				t.Errorf("Error() = %q\nwant      %q", got, tt.wantText)
			}
			hint := apiErr.Hint()
			switch {
			case tt.wantHint == "" && hint != "":
				t.Errorf("Hint() = %q, want none", hint)
			case !strings.Contains(hint, tt.wantHint):
				t.Errorf("Hint() = %q, want it to mention %q", hint, tt.wantHint)
			}
		})
	}
}

func TestAPIErrorHints(t *testing.T) {
	tests := []struct {
		code int
		want string // a phrase the hint must contain
	}{
		{wechat.CodeAPIUnauthorized, "verify the account"},
		{wechat.CodeIPNotWhitelisted, "add this runner's public ip to the account's ip whitelist"},
		{wechat.CodePlatformNotAuthorized, "authorize it again"},
		{wechat.CodePlatformIPNotRegistered, "third-party platform's ip whitelist"},
		{wechat.CodeVerifyTicketExpired, "latest ticket"},
		{wechat.CodeVerifyTicketInvalid, "latest ticket"},
		{wechat.CodePermissionSetNotGranted, "15, menu management"},
		{wechat.CodeRefreshTokenInvalid, "authorize the platform again"},
		{wechat.CodeDailyQuota, "daily quota"},
		{wechat.CodeInvalidCredential, "app secret"},
		{wechat.CodeConditionalNotSupported, "verify it in the console"},
	}
	for _, tt := range tests {
		e := &wechat.APIError{Endpoint: "menu/get", Code: tt.code}
		if got := e.Hint(); !strings.Contains(got, tt.want) {
			t.Errorf("errcode %d: Hint() = %q, want it to contain %q", tt.code, got, tt.want)
		}
		if got := e.Hint(); got != strings.ToLower(got[:1])+got[1:] || strings.HasSuffix(got, ".") {
			t.Errorf("errcode %d: hint %q is not lowercase without a trailing period", tt.code, got)
		}
	}
	for _, code := range []int{wechat.CodeInvalidButtonName, wechat.CodeMenuNotExist, 0, 99999} {
		if got := (&wechat.APIError{Code: code}).Hint(); got != "" {
			t.Errorf("errcode %d: Hint() = %q, want none (a menus file change fixes it, or unknown)", code, got)
		}
	}
}

// TestWhitelistHintNamesTheIP: the ip whitelist hints name the caller ip
// WeChat reports, and only a well-formed ip.
func TestWhitelistHintNamesTheIP(t *testing.T) {
	tests := []struct {
		code     int
		message  string
		want     string
		wantNoIP bool
	}{
		{wechat.CodeIPNotWhitelisted, "invalid ip 203.0.113.7 ipv6 ::ffff:203.0.113.7, not in whitelist", "add 203.0.113.7 (this runner's public ip) to the account's ip whitelist", false},
		{wechat.CodeIPNotWhitelisted, "invalid ip 2001:db8::1, not in whitelist", "add 2001:db8::1 (this runner's public ip)", false},
		{wechat.CodePlatformIPNotRegistered, "access clientip is not registered requestIP: 203.0.113.7", "add 203.0.113.7 (this runner's public ip) to the third-party platform's ip whitelist", false},
		{wechat.CodeIPNotWhitelisted, "invalid ip <script>, not in whitelist", "add this runner's public ip", true},
		{wechat.CodeIPNotWhitelisted, "", "add this runner's public ip", true},
	}
	for _, tt := range tests {
		got := (&wechat.APIError{Code: tt.code, Message: tt.message}).Hint()
		if !strings.Contains(got, tt.want) {
			t.Errorf("%q: Hint() = %q, want it to contain %q", tt.message, got, tt.want)
		}
		if tt.wantNoIP && strings.Contains(got, "(this runner") {
			t.Errorf("%q: Hint() = %q names an ip that is not one", tt.message, got)
		}
	}
}

func TestIsCode(t *testing.T) {
	err := error(&wechat.APIError{Endpoint: "menu/get", Code: wechat.CodeMenuNotExist})
	wrapped := errors.Join(errors.New("reading"), err)
	if !wechat.IsCode(err, 46003) || !wechat.IsCode(wrapped, wechat.CodeMenuNotExist) {
		t.Error("IsCode misses a (wrapped) 46003")
	}
	if wechat.IsCode(err, wechat.CodeNoConditionalMenu) || wechat.IsCode(errors.New("x"), 46003) || wechat.IsCode(nil, 0) {
		t.Error("IsCode matches what it should not")
	}
}

// TestAccountKindErrorsOnEmulator: the account-kind and access errors the
// emulator gives carry WeChat's request id and a hint that says what to do.
func TestAccountKindErrorsOnEmulator(t *testing.T) {
	tests := []struct {
		name     string
		settings wechattest.AccountSettings
		call     func(context.Context, *wechat.Client) error
		code     int
		hint     string
	}{
		{"unverified subscription account", wechattest.AccountSettings{Unverified: true, Kind: wechattest.KindSubscription},
			func(ctx context.Context, c *wechat.Client) error { return c.CreateMenu(ctx, defaultButtons) },
			wechat.CodeAPIUnauthorized, "verify the account"},
		{"caller outside the ip whitelist", wechattest.AccountSettings{IPWhitelist: []string{"192.0.2.1"}},
			func(ctx context.Context, c *wechat.Client) error { _, err := c.GetMenu(ctx); return err },
			wechat.CodeIPNotWhitelisted, "add 127.0.0.1 (this runner's public ip) to the account's ip whitelist"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, emu := setup(t)
			if err := emu.Default().SetSettings(tt.settings); err != nil {
				t.Fatal(err)
			}
			err := tt.call(t.Context(), c)
			var apiErr *wechat.APIError
			if !errors.As(err, &apiErr) || apiErr.Code != tt.code {
				t.Fatalf("err = %v, want errcode %d", err, tt.code)
			}
			if apiErr.RequestID == "" || strings.Contains(apiErr.Message, "rid:") {
				t.Errorf("APIError %+v: want the request id parsed out of the message", apiErr)
			}
			if !strings.Contains(err.Error(), "(WeChat request id "+apiErr.RequestID+", quote it to WeChat support)") {
				t.Errorf("err = %v, want it to end with the request id", err)
			}
			if !strings.Contains(apiErr.Hint(), tt.hint) {
				t.Errorf("Hint() = %q, want it to contain %q", apiErr.Hint(), tt.hint)
			}
		})
	}
}

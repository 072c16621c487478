package wechat_test

import (
	"fmt"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/wxmenu/wxmenu/wechat"
	"github.com/wxmenu/wxmenu/wechat/wechattest"
)

// Platform tests against the emulator over HTTP: a platform whose
// authorizers are the emulator's accounts.
const (
	emuComponentAppID  = "wxcomponent0000001"
	emuComponentSecret = "component-secret-0123456789"
	emuOtherAppID      = "wx00000000000other"
)

func startPlatformEmulator(t *testing.T) (*wechattest.Emulator, string) {
	t.Helper()
	emu := wechattest.New(wechattest.Config{
		Seed:     1,
		Accounts: []wechattest.AccountConfig{{AppID: emuOtherAppID, Secret: "other-secret-0123456789abcdef"}},
		Platform: &wechattest.PlatformConfig{ComponentAppID: emuComponentAppID, ComponentSecret: emuComponentSecret},
	})
	srv := httptest.NewServer(emu)
	t.Cleanup(srv.Close)
	return emu, srv.URL
}

func emuPlatform(t *testing.T, emu *wechattest.Emulator, base string) *wechat.Platform {
	t.Helper()
	p, err := wechat.NewPlatform(wechat.PlatformConfig{
		ComponentAppID: emuComponentAppID, ComponentSecret: emuComponentSecret, VerifyTicket: emu.Ticket(),
	}, wechat.WithBaseURLs(base), fastRetry)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// TestPlatformFleetOnEmulator: tokens from the verify ticket, refresh
// tokens read in bulk from the authorizer list, each authorizer's token
// working on its own account only, one component token for all.
func TestPlatformFleetOnEmulator(t *testing.T) {
	emu, base := startPlatformEmulator(t)
	p := emuPlatform(t, emu, base)
	ctx := t.Context()
	list, err := p.AuthorizerList(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, a := range list {
		ids = append(ids, a.AppID)
		if a.RefreshToken != emu.Account(a.AppID).RefreshToken() {
			t.Errorf("%s: listed refresh token differs from the account's", a.AppID)
		}
	}
	if diff := cmp.Diff([]string{wechattest.DefaultAppID, emuOtherAppID}, ids); diff != "" {
		t.Errorf("authorizers (-want +got):\n%s", diff)
	}
	clients := map[string]*wechat.Client{}
	for _, id := range ids {
		info, err := p.AuthorizerInfo(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if !info.HasPermissionSet(wechat.PermissionSetMenu) {
			t.Errorf("%s: permission set 15 not granted: %v", id, info.PermissionSets)
		}
		clients[id] = authorizerClient(t, base, p.AuthorizerTokenSource(id, ""))
	}
	if err := clients[emuOtherAppID].CreateMenu(ctx, defaultButtons); err != nil {
		t.Fatal(err)
	}
	if got := emu.Account(emuOtherAppID).Menus(); got.Default == nil {
		t.Error("the other account has no menu after CreateMenu with its authorizer token")
	}
	if got := emu.Menus(); got.Default != nil {
		t.Error("CreateMenu with one authorizer's token changed another account")
	}
	if set, err := clients[wechattest.DefaultAppID].GetMenu(ctx); err != nil || set.Default != nil {
		t.Errorf("default account: %v, %+v; want no menu", err, set)
	}
	calls := emu.Calls()
	if calls["component/api_component_token"] != 1 || calls["component/api_authorizer_token"] != 2 {
		t.Errorf("calls %v, want 1 component token and 2 authorizer tokens", calls)
	}
}

// TestPlatformTokensExpireOnEmulator: when the emulator's clock passes both
// token lifetimes, WeChat rejects the cached authorizer token and then the
// cached component token; each is renewed once and the call succeeds.
func TestPlatformTokensExpireOnEmulator(t *testing.T) {
	emu, base := startPlatformEmulator(t)
	p := emuPlatform(t, emu, base)
	c := authorizerClient(t, base, p.AuthorizerTokenSource(emuOtherAppID, emu.Account(emuOtherAppID).RefreshToken()))
	if _, err := c.GetMenu(t.Context()); err != nil {
		t.Fatal(err)
	}
	emu.Advance(3 * time.Hour)
	// The ticket given at start is 3 hours old, still within its 12 hours.
	if _, err := c.GetMenu(t.Context()); err != nil {
		t.Fatalf("GetMenu after the tokens expired: %v", err)
	}
	calls := emu.Calls()
	if calls["component/api_component_token"] != 2 || calls["component/api_authorizer_token"] != 3 || calls["menu/get"] != 3 {
		t.Errorf("calls %v, want 2 component tokens, 3 authorizer token calls (one refused), 3 menu/get (one refused)", calls)
	}
}

// TestPlatformRefreshTokenOnEmulator: after the merchant authorizes again
// the old refresh token answers 61023; it is re-read from the authorizer
// list once. When every refresh token is refused, 61023 is reported with its
// request id and hint.
func TestPlatformRefreshTokenOnEmulator(t *testing.T) {
	emu, base := startPlatformEmulator(t)
	p := emuPlatform(t, emu, base)
	acct := emu.Account(emuOtherAppID)
	old := acct.RefreshToken()
	acct.Reauthorize()
	c := authorizerClient(t, base, p.AuthorizerTokenSource(emuOtherAppID, old))
	if _, err := c.GetMenu(t.Context()); err != nil {
		t.Fatalf("GetMenu with a replaced refresh token: %v", err)
	}
	if n := emu.Calls()["component/api_get_authorizer_list"]; n != 1 {
		t.Errorf("authorizer list read %d times, want 1", n)
	}

	if err := acct.SetPlatformFault(wechat.CodeRefreshTokenInvalid); err != nil {
		t.Fatal(err)
	}
	fresh := authorizerClient(t, base, p.AuthorizerTokenSource(emuOtherAppID, acct.RefreshToken()))
	_, err := fresh.GetMenu(t.Context())
	var apiErr *wechat.APIError
	if !errorsAs(err, &apiErr) || apiErr.Code != wechat.CodeRefreshTokenInvalid {
		t.Fatalf("err = %v, want errcode 61023", err)
	}
	if apiErr.RequestID == "" || !strings.Contains(err.Error(), "quote it to WeChat support") || apiErr.Hint() == "" {
		t.Errorf("err = %v (hint %q), want a request id and a hint", err, apiErr.Hint())
	}
	if strings.Contains(err.Error(), acct.RefreshToken()) {
		t.Errorf("error leaks the refresh token: %v", err)
	}
}

// TestPlatformErrorsOnEmulator: the platform and permission errors the
// emulator can be told to give come back named, with a request id and an
// operator hint.
func TestPlatformErrorsOnEmulator(t *testing.T) {
	tests := []struct {
		name  string
		fault func(*wechattest.Emulator) error
		code  int
	}{
		{"caller ip not whitelisted", func(e *wechattest.Emulator) error { return e.SetPlatformFault(61004) }, wechat.CodePlatformIPNotRegistered},
		{"ticket expired", func(e *wechattest.Emulator) error { return e.SetPlatformFault(61005) }, wechat.CodeVerifyTicketExpired},
		{"ticket invalid", func(e *wechattest.Emulator) error { return e.SetPlatformFault(61006) }, wechat.CodeVerifyTicketInvalid},
		{"authorization revoked", func(e *wechattest.Emulator) error { return e.Account(emuOtherAppID).SetPlatformFault(61003) }, wechat.CodePlatformNotAuthorized},
		{"permission set withdrawn", func(e *wechattest.Emulator) error { return e.Account(emuOtherAppID).SetPlatformFault(61007) }, wechat.CodePermissionSetNotGranted},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			emu, base := startPlatformEmulator(t)
			p := emuPlatform(t, emu, base)
			if err := tt.fault(emu); err != nil {
				t.Fatal(err)
			}
			c := authorizerClient(t, base, p.AuthorizerTokenSource(emuOtherAppID, emu.Account(emuOtherAppID).RefreshToken()))
			_, err := c.GetMenu(t.Context())
			var apiErr *wechat.APIError
			if !errorsAs(err, &apiErr) || apiErr.Code != tt.code {
				t.Fatalf("err = %v, want errcode %d", err, tt.code)
			}
			if apiErr.RequestID == "" || apiErr.Hint() == "" {
				t.Errorf("err = %v (hint %q), want a request id and a hint", err, apiErr.Hint())
			}
		})
	}
	t.Run("permission set visible before planning", func(t *testing.T) {
		emu, base := startPlatformEmulator(t)
		if err := emu.Account(emuOtherAppID).SetPlatformFault(61007); err != nil {
			t.Fatal(err)
		}
		info, err := emuPlatform(t, emu, base).AuthorizerInfo(t.Context(), emuOtherAppID)
		if err != nil {
			t.Fatal(err)
		}
		if info.HasPermissionSet(wechat.PermissionSetMenu) {
			t.Errorf("permission sets %v include 15 after it was withdrawn", info.PermissionSets)
		}
	})
}

// TestAuthorizerListPagesOnEmulator: a platform of more authorizers than
// one page holds is read page by page, 500 at most each (the emulator
// refuses more, as WeChat does), every authorizer once.
func TestAuthorizerListPagesOnEmulator(t *testing.T) {
	cfg := wechattest.Config{Platform: &wechattest.PlatformConfig{ComponentAppID: emuComponentAppID, ComponentSecret: emuComponentSecret}}
	for i := range 1200 {
		cfg.Accounts = append(cfg.Accounts, wechattest.AccountConfig{AppID: fmt.Sprintf("wx%016d", i+1), Secret: "secret-0123456789abcdef"})
	}
	emu := wechattest.New(cfg)
	srv := httptest.NewServer(emu)
	t.Cleanup(srv.Close)
	list, err := emuPlatform(t, emu, srv.URL).AuthorizerList(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, a := range list {
		seen[a.AppID] = true
	}
	if len(list) != 1201 || len(seen) != 1201 {
		t.Errorf("%d authorizers listed (%d distinct), want the 1201 of the platform", len(list), len(seen))
	}
	if n := emu.Calls()["component/api_get_authorizer_list"]; n != 3 {
		t.Errorf("api_get_authorizer_list called %d times, want 3 pages of at most 500", n)
	}
}

package wechat_test

import (
	"errors"
	"net/http"
	"net/url"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/wxmenu/wxmenu/wechat"
)

func TestTokenFetchedOnceAndCached(t *testing.T) {
	c, emu := setup(t)
	for range 3 {
		if _, err := c.GetMenu(t.Context()); err != nil {
			t.Fatal(err)
		}
	}
	want := map[string]int{"cgi-bin/stable_token": 1, "menu/get": 3}
	if diff := cmp.Diff(want, emu.Calls()); diff != "" {
		t.Errorf("calls (-want +got):\n%s", diff)
	}
}

func TestConcurrentCallersShareOneTokenFetch(t *testing.T) {
	c, emu := setup(t)
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for range 8 {
		wg.Go(func() {
			_, err := c.GetMenu(t.Context())
			errs <- err
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	if n := emu.Calls()["cgi-bin/stable_token"]; n != 1 {
		t.Errorf("%d stable_token calls for 8 concurrent callers, want 1", n)
	}
}

// TestExpiredTokenRefreshedOnce: after WeChat expires the token (42001) the
// call is retried once with a new token; a mutation is not lost or doubled.
func TestExpiredTokenRefreshedOnce(t *testing.T) {
	c, emu := setup(t)
	ctx := t.Context()
	if err := c.CreateMenu(ctx, defaultButtons); err != nil {
		t.Fatal(err)
	}
	emu.ExpireTokens()
	if _, err := c.AddConditional(ctx, vipButtons, vipRule); err != nil {
		t.Fatalf("AddConditional with an expired token: %v", err)
	}
	want := map[string]int{"cgi-bin/stable_token": 2, "menu/create": 1, "menu/addconditional": 2}
	if diff := cmp.Diff(want, emu.Calls()); diff != "" {
		t.Errorf("calls (-want +got):\n%s", diff)
	}
	if n := len(emu.Menus().Conditional); n != 1 {
		t.Errorf("%d conditional menus, want 1", n)
	}
}

func TestLegacyToken(t *testing.T) {
	c, emu := setup(t, wechat.WithLegacyToken())
	for range 2 {
		if _, err := c.GetMenu(t.Context()); err != nil {
			t.Fatal(err)
		}
	}
	want := map[string]int{"cgi-bin/token": 1, "menu/get": 2}
	if diff := cmp.Diff(want, emu.Calls()); diff != "" {
		t.Errorf("calls (-want +got):\n%s", diff)
	}
}

func TestStaticTokenIsNeverRefreshed(t *testing.T) {
	emu, base := startEmulator(t)
	static, err := wechat.New(wechat.WithBaseURLs(base), wechat.WithStaticToken(emu.IssueToken()), fastRetry)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := static.GetMenu(t.Context()); err != nil {
		t.Fatal(err)
	}
	emu.ExpireTokens()
	_, err = static.GetMenu(t.Context())
	var apiErr *wechat.APIError
	if !errors.As(err, &apiErr) || apiErr.Code != 42001 {
		t.Fatalf("err = %v, want errcode 42001", err)
	}
	want := map[string]int{"menu/get": 2}
	if diff := cmp.Diff(want, emu.Calls()); diff != "" {
		t.Errorf("calls (-want +got):\n%s", diff)
	}
}

func TestTokenEndpointError(t *testing.T) {
	c, emu := setup(t, wechat.WithCredentials("wx5a9db0e1sandbox", "wrong-secret"))
	_, err := c.GetMenu(t.Context())
	var apiErr *wechat.APIError
	if !errors.As(err, &apiErr) || apiErr.Endpoint != "cgi-bin/stable_token" {
		t.Fatalf("err = %v, want an APIError from cgi-bin/stable_token", err)
	}
	if n := emu.Calls()["menu/get"]; n != 0 {
		t.Errorf("menu/get called %d times without a token", n)
	}
}

// TestRejectedTokenReturnedAgain: normal-mode stable_token may hand back the
// token WeChat just rejected; the client then reports the rejection instead
// of looping or using force_refresh.
func TestRejectedTokenReturnedAgain(t *testing.T) {
	srv := newFakeServer(t, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/cgi-bin/stable_token" {
			canned(http.StatusOK, wechatJSON, []byte(`{"access_token":"same-token","expires_in":7200}`))(w, r)
			return
		}
		canned(http.StatusOK, wechatJSON, []byte(`{"errcode":40001,"errmsg":"invalid credential, access_token is invalid or not latest"}`))(w, r)
	})
	c, err := wechat.New(wechat.WithBaseURLs(srv.URL), wechat.WithCredentials("wxappid", "app-secret"), fastRetry)
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.GetMenu(t.Context())
	var apiErr *wechat.APIError
	if !errors.As(err, &apiErr) || apiErr.Endpoint != "menu/get" || apiErr.Code != 40001 {
		t.Fatalf("err = %v, want errcode 40001 from menu/get", err)
	}
	var got []string
	for _, r := range srv.requests() {
		got = append(got, r.Path)
		if r.Path == "/cgi-bin/stable_token" && r.Body != `{"grant_type":"client_credential","appid":"wxappid","secret":"app-secret","force_refresh":false}` {
			t.Errorf("stable_token body = %s", r.Body)
		}
	}
	want := []string{"/cgi-bin/stable_token", "/cgi-bin/menu/get", "/cgi-bin/stable_token"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("requests (-want +got):\n%s", diff)
	}
}

func TestLegacyTokenRequest(t *testing.T) {
	srv := newFakeServer(t, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/cgi-bin/token" {
			canned(http.StatusOK, wechatJSON, []byte(`{"access_token":"legacy-token","expires_in":7200}`))(w, r)
			return
		}
		canned(http.StatusOK, wechatJSON, fixture(t, "error_46003.json"))(w, r)
	})
	c, err := wechat.New(wechat.WithBaseURLs(srv.URL), wechat.WithCredentials("wxappid", "app-secret"), wechat.WithLegacyToken())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.GetMenu(t.Context()); err != nil {
		t.Fatal(err)
	}
	reqs := srv.requests()
	if len(reqs) != 2 {
		t.Fatalf("requests = %+v, want token + menu/get", reqs)
	}
	q, _ := url.ParseQuery(reqs[0].RawQuery)
	wantQ := url.Values{"grant_type": {"client_credential"}, "appid": {"wxappid"}, "secret": {"app-secret"}}
	if reqs[0].Method != http.MethodGet || reqs[0].Path != "/cgi-bin/token" {
		t.Errorf("token request %s %s, want GET /cgi-bin/token", reqs[0].Method, reqs[0].Path)
	}
	if diff := cmp.Diff(wantQ, q); diff != "" {
		t.Errorf("token query (-want +got):\n%s", diff)
	}
	if q, _ := url.ParseQuery(reqs[1].RawQuery); q.Get("access_token") != "legacy-token" {
		t.Errorf("menu/get query %q, want access_token=legacy-token", reqs[1].RawQuery)
	}
}

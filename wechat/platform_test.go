package wechat_test

import (
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/wxmenu/wxmenu/wechat"
)

// These platform tests replay fixture files of real response shapes
// (testdata/api) to pin the exact requests the client sends and to give
// answers the emulator does not (a rotated refresh token, short list pages,
// fixed tokens to compare); platform_emulator_test.go runs the chain against
// the emulator. fixtureReplay answers each path with its fixtures in order,
// repeating the last; api_get_authorizer_list pages are chosen by the
// offset asked for.
type fixtureReplay struct {
	t       *testing.T
	mu      sync.Mutex
	answers map[string][]string // path → fixture names
}

func newFixtureReplay(t *testing.T, answers map[string][]string) *fakeServer {
	r := &fixtureReplay{t: t, answers: answers}
	return newFakeServer(t, r.serve)
}

func (f *fixtureReplay) serve(w http.ResponseWriter, r *http.Request) {
	name := ""
	if r.URL.Path == "/cgi-bin/component/api_get_authorizer_list" {
		var page struct{ Offset int }
		if err := json.NewDecoder(r.Body).Decode(&page); err != nil {
			http.Error(w, "bad body", http.StatusBadRequest)
			return
		}
		name = "authorizer_list_offset" + strconv.Itoa(page.Offset) + ".json"
	} else {
		f.mu.Lock()
		seq := f.answers[r.URL.Path]
		if len(seq) > 0 {
			name = seq[0]
			if len(seq) > 1 {
				f.answers[r.URL.Path] = seq[1:]
			}
		}
		f.mu.Unlock()
	}
	if name == "" {
		http.NotFound(w, r)
		return
	}
	canned(http.StatusOK, wechatJSON, fixture(f.t, name))(w, r)
}

const (
	componentAppID  = "wx_component_0001"
	componentSecret = "component-secret-value"
	verifyTicket    = "ticket@@@verify-ticket-value"
	authorizerAppID = "wxf8b4f85f3a794e77"
	// from the fixtures
	componentToken      = "61W3mEpU66027wgNZ_MhGHNQDHnFATkDa9-2llqrMBjUwxRSNPbVsMmyD-yq8wZETSoE5NQgecigDrSHkPtIYA"
	authorizerToken     = "some-authorizer-access-token-value"
	rotatedRefreshToken = "refreshtoken@@@rotated-value"
	listedRefreshToken  = "refreshtoken@@@listed-value-1"
)

func newPlatform(t *testing.T, base string, opts ...wechat.Option) *wechat.Platform {
	t.Helper()
	p, err := wechat.NewPlatform(wechat.PlatformConfig{
		ComponentAppID: componentAppID, ComponentSecret: componentSecret, VerifyTicket: verifyTicket,
	}, append([]wechat.Option{wechat.WithBaseURLs(base), fastRetry}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func authorizerClient(t *testing.T, base string, src wechat.TokenSource) *wechat.Client {
	t.Helper()
	c, err := wechat.New(wechat.WithBaseURLs(base), wechat.WithTokenSource(src), fastRetry)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// request is what a platform test expects the server to have seen.
type wantRequest struct {
	Path  string
	Query url.Values
	Body  map[string]any
}

func received(t *testing.T, srv *fakeServer) []wantRequest {
	t.Helper()
	var got []wantRequest
	for _, r := range srv.requests() {
		q, err := url.ParseQuery(r.RawQuery)
		if err != nil {
			t.Fatal(err)
		}
		if len(q) == 0 {
			q = nil
		}
		var body map[string]any
		if r.Body != "" {
			if err := json.Unmarshal([]byte(r.Body), &body); err != nil {
				t.Fatalf("%s: body is not JSON: %s", r.Path, r.Body)
			}
		}
		got = append(got, wantRequest{r.Path, q, body})
	}
	return got
}

// TestPlatformTokenChain: verify ticket → component token → authorizer
// token → menu call, with the real request shapes; the component token is
// fetched once for every authorizer of the platform.
func TestPlatformTokenChain(t *testing.T) {
	srv := newFixtureReplay(t, map[string][]string{
		"/cgi-bin/component/api_component_token":  {"component_token.json"},
		"/cgi-bin/component/api_authorizer_token": {"authorizer_token.json"},
		"/cgi-bin/menu/get":                       {"error_46003.json"},
	})
	p := newPlatform(t, srv.URL)
	a := authorizerClient(t, srv.URL, p.AuthorizerTokenSource(authorizerAppID, "refreshtoken@@@given-value"))
	b := authorizerClient(t, srv.URL, p.AuthorizerTokenSource("wx0123456789abcdef", "refreshtoken@@@other-value"))
	for _, c := range []*wechat.Client{a, b, a} {
		if _, err := c.GetMenu(t.Context()); err != nil {
			t.Fatal(err)
		}
	}
	ct := url.Values{"component_access_token": {componentToken}}
	at := url.Values{"access_token": {authorizerToken}}
	want := []wantRequest{
		{"/cgi-bin/component/api_component_token", nil, map[string]any{
			"component_appid": componentAppID, "component_appsecret": componentSecret, "component_verify_ticket": verifyTicket}},
		{"/cgi-bin/component/api_authorizer_token", ct, map[string]any{
			"component_appid": componentAppID, "authorizer_appid": authorizerAppID, "authorizer_refresh_token": "refreshtoken@@@given-value"}},
		{"/cgi-bin/menu/get", at, nil},
		{"/cgi-bin/component/api_authorizer_token", ct, map[string]any{
			"component_appid": componentAppID, "authorizer_appid": "wx0123456789abcdef", "authorizer_refresh_token": "refreshtoken@@@other-value"}},
		{"/cgi-bin/menu/get", at, nil},
		{"/cgi-bin/menu/get", at, nil},
	}
	if diff := cmp.Diff(want, received(t, srv)); diff != "" {
		t.Errorf("requests (-want +got):\n%s", diff)
	}
}

// TestAuthorizerKeepsNewestRefreshToken: after WeChat rejects the
// authorizer token, the next exchange uses the refresh token WeChat last
// returned.
func TestAuthorizerKeepsNewestRefreshToken(t *testing.T) {
	srv := newFixtureReplay(t, map[string][]string{
		"/cgi-bin/component/api_component_token":  {"component_token.json"},
		"/cgi-bin/component/api_authorizer_token": {"authorizer_token.json", "authorizer_token_renewed.json"},
		"/cgi-bin/menu/get":                       {"error_42001_rid.json", "error_46003.json"},
	})
	p := newPlatform(t, srv.URL)
	c := authorizerClient(t, srv.URL, p.AuthorizerTokenSource(authorizerAppID, "refreshtoken@@@given-value"))
	if _, err := c.GetMenu(t.Context()); err != nil {
		t.Fatal(err)
	}
	var refreshTokens []any
	for _, r := range received(t, srv) {
		if r.Path == "/cgi-bin/component/api_authorizer_token" {
			refreshTokens = append(refreshTokens, r.Body["authorizer_refresh_token"])
		}
	}
	want := []any{"refreshtoken@@@given-value", rotatedRefreshToken}
	if diff := cmp.Diff(want, refreshTokens); diff != "" {
		t.Errorf("refresh tokens sent (-want +got):\n%s", diff)
	}
}

// TestAuthorizerRefreshTokenInvalid: on 61023 the refresh token is re-read
// from the authorizer list once; when the list has a different one it is
// used, when it has the same the error is reported with its hint.
func TestAuthorizerRefreshTokenInvalid(t *testing.T) {
	t.Run("list has a newer token", func(t *testing.T) {
		srv := newFixtureReplay(t, map[string][]string{
			"/cgi-bin/component/api_component_token":  {"component_token.json"},
			"/cgi-bin/component/api_authorizer_token": {"error_61023_rid.json", "authorizer_token.json"},
			"/cgi-bin/menu/get":                       {"error_46003.json"},
		})
		p := newPlatform(t, srv.URL)
		c := authorizerClient(t, srv.URL, p.AuthorizerTokenSource(authorizerAppID, "refreshtoken@@@stale-value"))
		if _, err := c.GetMenu(t.Context()); err != nil {
			t.Fatal(err)
		}
		var paths []string
		var sent []any
		for _, r := range received(t, srv) {
			paths = append(paths, r.Path)
			if r.Path == "/cgi-bin/component/api_authorizer_token" {
				sent = append(sent, r.Body["authorizer_refresh_token"])
			}
		}
		wantPaths := []string{
			"/cgi-bin/component/api_component_token",
			"/cgi-bin/component/api_authorizer_token",
			"/cgi-bin/component/api_get_authorizer_list",
			"/cgi-bin/component/api_get_authorizer_list",
			"/cgi-bin/component/api_authorizer_token",
			"/cgi-bin/menu/get",
		}
		if diff := cmp.Diff(wantPaths, paths); diff != "" {
			t.Errorf("requests (-want +got):\n%s", diff)
		}
		if diff := cmp.Diff([]any{"refreshtoken@@@stale-value", listedRefreshToken}, sent); diff != "" {
			t.Errorf("refresh tokens sent (-want +got):\n%s", diff)
		}
	})
	t.Run("list has the same token", func(t *testing.T) {
		srv := newFixtureReplay(t, map[string][]string{
			"/cgi-bin/component/api_component_token":  {"component_token.json"},
			"/cgi-bin/component/api_authorizer_token": {"error_61023_rid.json"},
		})
		p := newPlatform(t, srv.URL)
		c := authorizerClient(t, srv.URL, p.AuthorizerTokenSource(authorizerAppID, listedRefreshToken))
		_, err := c.GetMenu(t.Context())
		if !wechat.IsCode(err, wechat.CodeRefreshTokenInvalid) {
			t.Fatalf("err = %v, want errcode 61023", err)
		}
		if !strings.Contains(err.Error(), "WeChat request id 6646fb28-9150de73-42cf61a5") {
			t.Errorf("err = %v, want the request id", err)
		}
		if n := strings.Count(strings.Join(pathsOf(srv), " "), "api_authorizer_token"); n != 1 {
			t.Errorf("api_authorizer_token called %d times, want 1 (the list gave no other token)", n)
		}
		if strings.Contains(err.Error(), listedRefreshToken) {
			t.Errorf("error leaks the refresh token: %v", err)
		}
	})
	t.Run("no token given, read from the list", func(t *testing.T) {
		srv := newFixtureReplay(t, map[string][]string{
			"/cgi-bin/component/api_component_token":  {"component_token.json"},
			"/cgi-bin/component/api_authorizer_token": {"authorizer_token.json"},
			"/cgi-bin/menu/get":                       {"error_46003.json"},
		})
		p := newPlatform(t, srv.URL)
		if _, err := authorizerClient(t, srv.URL, p.AuthorizerTokenSource(authorizerAppID, "")).GetMenu(t.Context()); err != nil {
			t.Fatal(err)
		}
		_, err := authorizerClient(t, srv.URL, p.AuthorizerTokenSource("wx1111111111111111", "")).GetMenu(t.Context())
		if err == nil || !strings.Contains(err.Error(), "no refresh token") {
			t.Errorf("authorizer listed without a refresh token: err = %v", err)
		}
	})
}

func pathsOf(srv *fakeServer) []string {
	var paths []string
	for _, r := range srv.requests() {
		paths = append(paths, r.Path)
	}
	return paths
}

func TestAuthorizerList(t *testing.T) {
	srv := newFixtureReplay(t, map[string][]string{
		"/cgi-bin/component/api_component_token": {"component_token.json"},
	})
	got, err := newPlatform(t, srv.URL).AuthorizerList(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	var ids, tokens []string
	for _, a := range got {
		ids = append(ids, a.AppID)
		tokens = append(tokens, a.RefreshToken)
	}
	if diff := cmp.Diff([]string{authorizerAppID, "wx0123456789abcdef", "wx1111111111111111"}, ids); diff != "" {
		t.Errorf("appids (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{listedRefreshToken, "refreshtoken@@@listed-value-2", ""}, tokens); diff != "" {
		t.Errorf("refresh tokens (-want +got):\n%s", diff)
	}
	if got[0].AuthTime.Unix() != 1558000607 {
		t.Errorf("auth time %v, want unix 1558000607", got[0].AuthTime)
	}
	var offsets, counts []any
	for _, r := range received(t, srv) {
		if r.Path == "/cgi-bin/component/api_get_authorizer_list" {
			offsets = append(offsets, r.Body["offset"])
			counts = append(counts, r.Body["count"])
			if r.Query.Get("component_access_token") != componentToken || r.Body["component_appid"] != componentAppID {
				t.Errorf("list request %+v lacks the component token or appid", r)
			}
		}
	}
	if diff := cmp.Diff([]any{0.0, 2.0}, offsets); diff != "" {
		t.Errorf("offsets (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]any{500.0, 500.0}, counts); diff != "" {
		t.Errorf("page sizes (-want +got):\n%s", diff)
	}
}

func TestAuthorizerInfo(t *testing.T) {
	srv := newFixtureReplay(t, map[string][]string{
		"/cgi-bin/component/api_component_token":     {"component_token.json"},
		"/cgi-bin/component/api_get_authorizer_info": {"authorizer_info.json"},
	})
	info, err := newPlatform(t, srv.URL).AuthorizerInfo(t.Context(), authorizerAppID)
	if err != nil {
		t.Fatal(err)
	}
	want := &wechat.AuthorizerInfo{AppID: authorizerAppID, PermissionSets: []int{1, 15, 4}}
	if diff := cmp.Diff(want, info); diff != "" {
		t.Errorf("info (-want +got):\n%s", diff)
	}
	if !info.HasPermissionSet(wechat.PermissionSetMenu) || info.HasPermissionSet(7) {
		t.Error("HasPermissionSet is wrong")
	}
	reqs := received(t, srv)
	wantBody := map[string]any{"component_appid": componentAppID, "authorizer_appid": authorizerAppID}
	if diff := cmp.Diff(wantBody, reqs[len(reqs)-1].Body); diff != "" {
		t.Errorf("info request body (-want +got):\n%s", diff)
	}
}

// TestPlatformErrors: the 61xxx errors of the component token come back as
// APIErrors with their request id and an operator hint.
func TestPlatformErrors(t *testing.T) {
	for _, tt := range []struct {
		fixture string
		code    int
		hint    string
	}{
		{"error_61004_rid.json", wechat.CodePlatformIPNotRegistered, "third-party platform's ip whitelist"},
		{"error_61005_rid.json", wechat.CodeVerifyTicketExpired, "latest ticket"},
	} {
		t.Run(tt.fixture, func(t *testing.T) {
			srv := newFixtureReplay(t, map[string][]string{"/cgi-bin/component/api_component_token": {tt.fixture}})
			p := newPlatform(t, srv.URL)
			_, err := authorizerClient(t, srv.URL, p.AuthorizerTokenSource(authorizerAppID, "refreshtoken@@@given-value")).GetMenu(t.Context())
			var apiErr *wechat.APIError
			if !wechat.IsCode(err, tt.code) || !errorsAs(err, &apiErr) {
				t.Fatalf("err = %v, want errcode %d", err, tt.code)
			}
			if apiErr.Endpoint != "component/api_component_token" || apiErr.RequestID == "" || !strings.Contains(apiErr.Hint(), tt.hint) {
				t.Errorf("APIError %+v (hint %q), want the component endpoint, a request id and a hint about %q", apiErr, apiErr.Hint(), tt.hint)
			}
		})
	}
}

func TestNewPlatformRejectsBadConfig(t *testing.T) {
	full := wechat.PlatformConfig{ComponentAppID: "wxc", ComponentSecret: "component-secret-value", VerifyTicket: "ticket-value-long"}
	for _, tt := range []struct {
		name string
		cfg  wechat.PlatformConfig
		opts []wechat.Option
		want string
	}{
		{"no appid", wechat.PlatformConfig{ComponentSecret: "s", VerifyTicket: "t"}, nil, "no component appid"},
		{"no secret", wechat.PlatformConfig{ComponentAppID: "wxc", VerifyTicket: "t"}, nil, "no component secret"},
		{"no ticket", wechat.PlatformConfig{ComponentAppID: "wxc", ComponentSecret: "s"}, nil, "no component verify ticket"},
		{"token option", full, []wechat.Option{wechat.WithStaticToken("tok")}, "token options do not apply"},
		{"bad base url", full, []wechat.Option{wechat.WithBaseURLs("ftp://component-secret-value")}, "invalid base url"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := wechat.NewPlatform(tt.cfg, tt.opts...)
			if err == nil || !strings.Contains(err.Error(), tt.want) || strings.Contains(err.Error(), "component-secret-value") {
				t.Errorf("err = %v, want it to mention %q and no secret", err, tt.want)
			}
		})
	}
}

func errorsAs(err error, target **wechat.APIError) bool { return errors.As(err, target) }

package wechattest

import (
	"encoding/json"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestTokenCredentials(t *testing.T) {
	e := newEnv(t, Config{})
	tests := []struct {
		name  string
		query url.Values
		want  errcode
	}{
		{"no grant_type", url.Values{"appid": {DefaultAppID}, "secret": {DefaultSecret}}, errcode{40002, "invalid grant_type"}},
		{"wrong grant_type", url.Values{"grant_type": {"password"}, "appid": {DefaultAppID}, "secret": {DefaultSecret}}, errcode{40002, "invalid grant_type"}},
		{"no appid", url.Values{"grant_type": {"client_credential"}, "secret": {DefaultSecret}}, errcode{41002, "appid missing"}},
		{"wrong appid", url.Values{"grant_type": {"client_credential"}, "appid": {"wx0000"}, "secret": {DefaultSecret}}, errcode{40013, "invalid appid"}},
		{"no secret", url.Values{"grant_type": {"client_credential"}, "appid": {DefaultAppID}}, errcode{41004, "appsecret missing"}},
		{"wrong secret", url.Values{"grant_type": {"client_credential"}, "appid": {DefaultAppID}, "secret": {"nope"}}, errcode{40125, "invalid appsecret"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := e.do(http.MethodGet, "/cgi-bin/token", tt.query, "")
			if diff := cmp.Diff(tt.want, r.errcode(t)); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
			if strings.Contains(r.body, DefaultSecret) {
				t.Errorf("answer leaks the secret: %s", r.body)
			}
		})
	}
}

func TestTokenCustomCredentials(t *testing.T) {
	e := newEnv(t, Config{AppID: "wxcustom", Secret: "s3cret"})
	r := e.do(http.MethodGet, "/cgi-bin/token", url.Values{"grant_type": {"client_credential"}, "appid": {"wxcustom"}, "secret": {"s3cret"}}, "")
	if !strings.Contains(r.body, `"access_token"`) {
		t.Fatalf("custom credentials refused: %s", r.body)
	}
	r = e.do(http.MethodGet, "/cgi-bin/token", url.Values{"grant_type": {"client_credential"}, "appid": {DefaultAppID}, "secret": {DefaultSecret}}, "")
	if got := r.errcode(t).Code; got != 40013 {
		t.Errorf("default appid with custom config: errcode %d, want 40013", got)
	}
}

var tokenShape = regexp.MustCompile(`^[0-9]{2}_[A-Za-z0-9_-]{100,}$`)

func TestTokenAnswer(t *testing.T) {
	e := newEnv(t, Config{})
	r := e.do(http.MethodGet, "/cgi-bin/token", url.Values{"grant_type": {"client_credential"}, "appid": {DefaultAppID}, "secret": {DefaultSecret}}, "")
	var got struct {
		AccessToken string `json:"access_token"`
		ExpiresIn   int    `json:"expires_in"`
	}
	if err := json.Unmarshal([]byte(r.body), &got); err != nil {
		t.Fatal(err)
	}
	if !tokenShape.MatchString(got.AccessToken) {
		t.Errorf("token %q does not look like a WeChat token", got.AccessToken)
	}
	if got.ExpiresIn != 7200 {
		t.Errorf("expires_in = %d, want 7200", got.ExpiresIn)
	}
	if ct := r.header.Get("Content-Type"); ct != "application/json; encoding=utf-8" {
		t.Errorf("Content-Type = %q", ct)
	}
}

// TestTokensAreUnpredictable: tokens are credentials, so neither the seed
// nor the state file determines them: emulators with the same seed, or with
// different secrets, or loaded from the same state file, hand out different
// tokens, and no token is written to the state file.
func TestTokensAreUnpredictable(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state.json")
	saver := New(Config{Seed: 7, StatePath: path})
	saved := saver.IssueToken()
	loadAndIssue := func() string {
		t.Helper()
		emu, err := Load(path, Config{Seed: 7})
		if err != nil {
			t.Fatal(err)
		}
		return emu.IssueToken()
	}
	tokens := map[string]string{
		"saved":                        saved,
		"same seed":                    New(Config{Seed: 7}).IssueToken(),
		"same seed, other secret":      New(Config{Seed: 7, Secret: "another-secret"}).IssueToken(),
		"loaded from the state file":   loadAndIssue(),
		"loaded again from the file":   loadAndIssue(),
		"same emulator, second token":  saver.IssueToken(),
		"zero config (seed 0)":         New(Config{}).IssueToken(),
		"zero config again (seed 0)":   New(Config{}).IssueToken(),
		"same seed, stable_token call": newEnv(t, Config{Seed: 7}).stable(false).AccessToken,
	}
	seen := map[string]string{}
	for name, tok := range tokens {
		if !realisticToken.MatchString(tok) {
			t.Errorf("%s: token %q does not look like a WeChat token", name, tok)
		}
		if other, dup := seen[tok]; dup {
			t.Errorf("%s and %s got the same token", name, other)
		}
		seen[tok] = name
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, tok := range []string{saved, tokens["same emulator, second token"]} {
		if strings.Contains(string(data), tok) {
			t.Errorf("state file contains an issued token")
		}
	}
}

// realisticToken is the exact shape of the emulator's tokens: a two-digit
// generation prefix, an underscore and 150 characters of the token alphabet.
var realisticToken = regexp.MustCompile(`^8[0-9]_[A-Za-z0-9_-]{150}$`)

// TestMenuIDsStaySeeded: menuids follow the seed whatever tokens were
// issued before, since tokens do not draw from the seeded generator.
func TestMenuIDsStaySeeded(t *testing.T) {
	a, b := New(Config{Seed: 7}), New(Config{Seed: 7})
	a.IssueToken()
	for range 3 {
		b.IssueToken()
	}
	a.SeedDemo()
	b.SeedDemo()
	if diff := cmp.Diff(a.Menus(), b.Menus()); diff != "" {
		t.Errorf("same seed, different menus (-a +b):\n%s", diff)
	}
	other := New(Config{Seed: 8})
	other.SeedDemo()
	if cmp.Equal(a.Menus(), other.Menus()) {
		t.Errorf("different seeds gave the same menuids")
	}
}

// tokenState calls menu/get and reports the token's fate: 46003 means the
// token was accepted (the account has no menu).
func tokenState(e *env, token string) int { return e.code("menu/get", token, "") }

func TestTokenRotationOverlap(t *testing.T) {
	e := newEnv(t, Config{})
	first := e.fetchToken()
	second := e.fetchToken()
	if first == second {
		t.Fatal("cgi-bin/token returned the same token twice")
	}
	steps := []struct {
		advance       time.Duration
		first, second int
	}{
		{0, 46003, 46003}, // both valid during the overlap
		{5*time.Minute - time.Second, 46003, 46003}, // still inside it
		{time.Second, 40001, 46003},                 // overlap over: first is not latest
		{7200*time.Second - 5*time.Minute, 40001, 42001},
	}
	for i, s := range steps {
		e.emu.Advance(s.advance)
		got := []int{tokenState(e, first), tokenState(e, second)}
		if diff := cmp.Diff([]int{s.first, s.second}, got); diff != "" {
			t.Errorf("step %d (-want +got):\n%s", i, diff)
		}
	}
}

func TestTokenOverlapOnlyForPrevious(t *testing.T) {
	e := newEnv(t, Config{TokenOverlap: time.Minute})
	a := e.fetchToken()
	e.emu.Advance(30 * time.Second)
	b := e.fetchToken() // a now valid until +60s
	e.emu.Advance(30 * time.Second)
	e.fetchToken() // must not extend a's deadline; b valid until +60s
	e.emu.Advance(31 * time.Second)
	if diff := cmp.Diff([]int{40001, 46003}, []int{tokenState(e, a), tokenState(e, b)}); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

type stableAnswer struct {
	AccessToken string `json:"access_token"`
	ExpiresIn   int    `json:"expires_in"`
}

func (e *env) stable(force bool) stableAnswer {
	e.t.Helper()
	body, _ := json.Marshal(map[string]any{
		"grant_type": "client_credential", "appid": DefaultAppID, "secret": DefaultSecret, "force_refresh": force,
	})
	r := e.do(http.MethodPost, "/cgi-bin/stable_token", nil, string(body))
	var a stableAnswer
	if err := json.Unmarshal([]byte(r.body), &a); err != nil || a.AccessToken == "" {
		e.t.Fatalf("stable_token: %s", r.body)
	}
	return a
}

func TestStableToken(t *testing.T) {
	e := newEnv(t, Config{})
	first := e.stable(false)
	if first.ExpiresIn != 7200 || !tokenShape.MatchString(first.AccessToken) {
		t.Fatalf("first stable token: %+v", first)
	}

	e.emu.Advance(1000 * time.Second)
	again := e.stable(false)
	if diff := cmp.Diff(stableAnswer{first.AccessToken, 6200}, again); diff != "" {
		t.Errorf("normal mode within validity (-want +got):\n%s", diff)
	}

	// cgi-bin/token tokens are isolated: fetching one leaves the stable token alone.
	cgi := e.fetchToken()
	if got := tokenState(e, first.AccessToken); got != 46003 {
		t.Errorf("stable token after cgi-bin/token: errcode %d, want it valid", got)
	}

	// 5 minutes before expiry normal mode rotates; the old token runs out on its own.
	e.emu.Advance(6200*time.Second - 5*time.Minute)
	rotated := e.stable(false)
	if rotated.AccessToken == first.AccessToken || rotated.ExpiresIn != 7200 {
		t.Errorf("normal mode at 300 s left: %+v, want a new 7200 s token", rotated)
	}
	if got := tokenState(e, first.AccessToken); got != 46003 {
		t.Errorf("old stable token before its expiry: errcode %d, want it valid", got)
	}

	forced := e.stable(true)
	if forced.AccessToken == rotated.AccessToken {
		t.Errorf("force_refresh returned the same token")
	}
	got := []int{tokenState(e, rotated.AccessToken), tokenState(e, forced.AccessToken), tokenState(e, cgi)}
	if diff := cmp.Diff([]int{40001, 46003, 46003}, got); diff != "" {
		t.Errorf("after force_refresh: rotated, forced, cgi (-want +got):\n%s", diff)
	}
}

func TestStableTokenExpiresInNeverBelow300(t *testing.T) {
	e := newEnv(t, Config{})
	first := e.stable(false)
	for i := range 30 {
		e.emu.Advance(4 * time.Minute)
		a := e.stable(false)
		if a.ExpiresIn < 300 {
			t.Fatalf("call %d: expires_in %d < 300", i, a.ExpiresIn)
		}
	}
	if e.stable(false).AccessToken == first.AccessToken {
		t.Errorf("two hours later the stable token never rotated")
	}
}

func TestStableTokenRequestErrors(t *testing.T) {
	e := newEnv(t, Config{})
	tests := []struct {
		name, method, body string
		want               int
	}{
		{"GET", http.MethodGet, "", 43002},
		{"empty body", http.MethodPost, "", 44002},
		{"not JSON", http.MethodPost, "grant_type=client_credential", 47001},
		{"wrong secret", http.MethodPost, `{"grant_type":"client_credential","appid":"` + DefaultAppID + `","secret":"x"}`, 40125},
		{"wrong appid", http.MethodPost, `{"grant_type":"client_credential","appid":"wx1","secret":"x"}`, 40013},
		{"no grant_type", http.MethodPost, `{"appid":"` + DefaultAppID + `","secret":"` + DefaultSecret + `"}`, 40002},
		{"force_refresh not bool", http.MethodPost, `{"grant_type":"client_credential","appid":"` + DefaultAppID + `","secret":"` + DefaultSecret + `","force_refresh":"yes"}`, 47001},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := e.do(tt.method, "/cgi-bin/stable_token", nil, tt.body).errcode(t).Code; got != tt.want {
				t.Errorf("errcode %d, want %d", got, tt.want)
			}
		})
	}
}

func TestAccessTokenChecks(t *testing.T) {
	e := newEnv(t, Config{TokenLifetime: time.Hour})
	valid := e.emu.IssueToken()
	tests := []struct {
		name, token string
		want        errcode
	}{
		{"missing", "", errcode{41001, "access_token missing"}},
		{"unknown", "80_notatoken", errcode{40001, "invalid credential, access_token is invalid or not latest"}},
		{"valid", valid, errcode{46003, "menu no exist"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, ep := range []string{"menu/get", "menu/delete", "get_current_selfmenu_info", "menu/create"} {
				got := e.api(ep, tt.token, "").errcode(t)
				want := tt.want
				if tt.token == valid {
					want = map[string]errcode{"menu/get": {46003, "menu no exist"}, "menu/delete": {0, "ok"},
						"get_current_selfmenu_info": {}, "menu/create": {43002, "require POST method"}}[ep]
				}
				if diff := cmp.Diff(want, got); diff != "" {
					t.Errorf("%s (-want +got):\n%s", ep, diff)
				}
			}
		})
	}
}

func TestTokenExpiry(t *testing.T) {
	e := newEnv(t, Config{TokenLifetime: time.Hour})
	a, b := e.emu.IssueToken(), e.fetchToken()
	e.emu.Advance(time.Hour - time.Second)
	if diff := cmp.Diff([]int{46003, 46003}, []int{tokenState(e, a), tokenState(e, b)}); diff != "" {
		t.Errorf("just before expiry (-want +got):\n%s", diff)
	}
	e.emu.Advance(time.Second)
	if diff := cmp.Diff([]int{42001, 42001}, []int{tokenState(e, a), tokenState(e, b)}); diff != "" {
		t.Errorf("at expiry (-want +got):\n%s", diff)
	}
	// Long-expired tokens are forgotten and read as unknown.
	e.emu.Advance(25 * time.Hour)
	if got := tokenState(e, a); got != 40001 {
		t.Errorf("a day after expiry: errcode %d, want 40001", got)
	}
}

func TestExpireTokens(t *testing.T) {
	e := newEnv(t, Config{})
	issued, cgi, stable := e.emu.IssueToken(), e.fetchToken(), e.stable(false).AccessToken
	e.emu.ExpireTokens()
	got := []int{tokenState(e, issued), tokenState(e, cgi), tokenState(e, stable)}
	if diff := cmp.Diff([]int{42001, 42001, 42001}, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if fresh := e.stable(false); fresh.AccessToken == stable {
		t.Errorf("stable_token handed out an expired token again")
	}
	if got := tokenState(e, e.fetchToken()); got != 46003 {
		t.Errorf("new token after ExpireTokens: errcode %d", got)
	}
}

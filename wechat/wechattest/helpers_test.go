package wechattest

import (
	"bytes"
	"encoding/json"
	"flag"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

var update = flag.Bool("update", false, "rewrite golden files")

// testStart is 10:00 in Shanghai, a fixed clock so tests never depend on
// the wall clock.
var testStart = time.Date(2024, 3, 1, 10, 0, 0, 0, shanghai)

// env is an emulator behind a real HTTP server.
type env struct {
	t   *testing.T
	emu *Emulator
	srv *httptest.Server
}

func newEnv(t *testing.T, cfg Config) *env {
	t.Helper()
	if cfg.Now == nil {
		cfg.Now = func() time.Time { return testStart }
	}
	emu := New(cfg)
	srv := httptest.NewServer(emu)
	t.Cleanup(srv.Close)
	return &env{t: t, emu: emu, srv: srv}
}

// response is a raw HTTP answer.
type response struct {
	status int
	header http.Header
	body   string
}

// errcode decodes the errcode/errmsg pair of a WeChat answer.
type errcode struct {
	Code int    `json:"errcode"`
	Msg  string `json:"errmsg"`
}

// Every error answer must end in WeChat's request id; errcode checks that
// and returns the errmsg without it, so tests compare the stable part.
func (r response) errcode(t *testing.T) errcode {
	t.Helper()
	var ec errcode
	if err := json.Unmarshal([]byte(r.body), &ec); err != nil {
		t.Fatalf("answer is not JSON: %v: %s", err, r.body)
	}
	if ec.Code != 0 {
		loc := ridSuffix.FindStringIndex(ec.Msg)
		if loc == nil {
			t.Errorf("errcode %d: errmsg %q has no request id", ec.Code, ec.Msg)
		} else {
			ec.Msg = ec.Msg[:loc[0]]
		}
	}
	return ec
}

// ridSuffix is the request id WeChat ends every errmsg with.
var ridSuffix = regexp.MustCompile(` rid: [0-9a-f]{8}-[0-9a-f]{8}-[0-9a-f]{8}$`)

// do sends a request; body "" sends none.
func (e *env) do(method, path string, query url.Values, body string) response {
	e.t.Helper()
	u := e.srv.URL + path
	if len(query) > 0 {
		u += "?" + query.Encode()
	}
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, u, rd)
	if err != nil {
		e.t.Fatal(err)
	}
	resp, err := e.srv.Client().Do(req)
	if err != nil {
		e.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		e.t.Fatal(err)
	}
	return response{status: resp.StatusCode, header: resp.Header, body: string(b)}
}

// api calls a /cgi-bin menu endpoint with an access token. POST when body
// is not empty.
func (e *env) api(endpoint, token, body string) response {
	e.t.Helper()
	method := http.MethodGet
	if body != "" {
		method = http.MethodPost
	}
	return e.do(method, "/cgi-bin/"+endpoint, url.Values{"access_token": {token}}, body)
}

// code is the errcode of an api call (0 when the answer has none).
func (e *env) code(endpoint, token, body string) int {
	e.t.Helper()
	return e.api(endpoint, token, body).errcode(e.t).Code
}

// mustOK fails the test unless the call answered errcode 0.
func (e *env) mustOK(endpoint, token, body string) response {
	e.t.Helper()
	r := e.api(endpoint, token, body)
	if ec := r.errcode(e.t); ec.Code != 0 || r.status != http.StatusOK {
		e.t.Fatalf("%s: HTTP %d %s", endpoint, r.status, r.body)
	}
	return r
}

// fetchToken calls GET cgi-bin/token with the default credentials.
func (e *env) fetchToken() string {
	e.t.Helper()
	r := e.do(http.MethodGet, "/cgi-bin/token", url.Values{
		"grant_type": {"client_credential"}, "appid": {DefaultAppID}, "secret": {DefaultSecret},
	}, "")
	var tok struct {
		AccessToken string `json:"access_token"`
		ExpiresIn   int    `json:"expires_in"`
	}
	if err := json.Unmarshal([]byte(r.body), &tok); err != nil || tok.AccessToken == "" {
		e.t.Fatalf("cgi-bin/token: %s", r.body)
	}
	return tok.AccessToken
}

// control calls the control surface and fails on anything but HTTP 200.
func (e *env) control(method, path, body string) string {
	e.t.Helper()
	r := e.do(method, "/_emulator/"+path, nil, body)
	if r.status != http.StatusOK {
		e.t.Fatalf("%s /_emulator/%s: HTTP %d %s", method, path, r.status, r.body)
	}
	return r.body
}

// golden compares got with testdata/name, rewriting it with -update.
func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to create)", err)
	}
	if diff := cmp.Diff(string(want), got); diff != "" {
		t.Errorf("%s mismatch (-want +got):\n%s", name, diff)
	}
}

// indent pretty-prints a JSON answer for golden files, keeping its key
// order and its unescaped characters.
func indent(t *testing.T, raw string) string {
	t.Helper()
	var buf bytes.Buffer
	if err := json.Indent(&buf, []byte(strings.TrimSpace(raw)), "", "  "); err != nil {
		t.Fatalf("not JSON: %v: %s", err, raw)
	}
	buf.WriteByte('\n')
	return buf.String()
}

// Users returns the account's followers with the tags set on them.
func (ac *Account) Users() []User {
	return read(ac, func(a *acct) []User {
		out := append([]User{}, a.Users...)
		for i := range out {
			out[i].TagIDs = slices.Clone(out[i].TagIDs)
		}
		return out
	})
}

// AuthorizationCode returns a one-time authorization_code for
// api_query_auth, as the authorization push delivers it. Only the tests
// issue codes: neither the API nor the control surface does.
func (ac *Account) AuthorizationCode() string {
	ac.e.mu.Lock()
	defer ac.e.mu.Unlock()
	code := "queryauthcode@@@" + newToken()[3:]
	ac.a.AuthCodes[tokenHash(code)] = ac.e.now().Add(authCodeLifetime)
	return code
}

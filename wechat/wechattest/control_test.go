package wechattest

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestControlSurface(t *testing.T) {
	e := newEnv(t, Config{})
	tok := e.emu.IssueToken()
	ok := `{"ok":true}` + "\n"

	if got := e.control("POST", "seed-demo", ""); got != ok {
		t.Errorf("seed-demo: %s", got)
	}
	if names, _ := e.tryMatch(tok, "o_demo_vip"); len(names) != 2 {
		t.Errorf("seed-demo did not seed: %v", names)
	}

	e.control("POST", "users", `{"openid":"one","tag_ids":["101"]}`)
	e.control("POST", "users", `[{"openid":"two","platform":"2"},{"openid":"three","wechat_id":"wx3"}]`)
	for _, u := range []string{"one", "two", "wx3"} {
		if _, code := e.tryMatch(tok, u); code != 0 {
			t.Errorf("user %s added over HTTP: trymatch errcode %d", u, code)
		}
	}

	e.control("POST", "quota", `{"endpoint":"menu/get","limit":1}`)
	if got := []int{e.code("menu/get", tok, ""), e.code("menu/get", tok, "")}; !cmp.Equal([]int{0, 45009}, got) {
		t.Errorf("quota over HTTP: %v", got)
	}
	e.control("POST", "clock/advance", `{"seconds":86400}`)
	if got := e.code("menu/get", tok, ""); got != 42001 {
		t.Errorf("a day later the token should have expired: errcode %d", got)
	}
	tok = e.emu.IssueToken()
	if got := e.code("menu/get", tok, ""); got != 0 {
		t.Errorf("a day later the quota should have reset: errcode %d", got)
	}

	e.control("POST", "tokens/expire", "")
	if got := e.code("menu/get", tok, ""); got != 42001 {
		t.Errorf("tokens/expire: errcode %d", got)
	}
	tok = e.emu.IssueToken()

	e.control("POST", "max-conditional", `{"limit":3}`)
	if got := e.code("menu/addconditional", tok, `{"button":`+oneButton+`,"matchrule":{"tag_id":"1"}}`); got != 65305 {
		t.Errorf("max-conditional 3 with 3 demo menus: errcode %d", got)
	}

	e.control("POST", "faults", `{"busy_rate":1,"endpoints":["menu/trymatch"]}`)
	if got := e.code("menu/trymatch", tok, `{"user_id":"one"}`); got != -1 {
		t.Errorf("faults over HTTP: errcode %d", got)
	}

	var calls map[string]int
	if err := json.Unmarshal([]byte(e.control("GET", "calls", "")), &calls); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(e.emu.Calls(), calls); diff != "" {
		t.Errorf("calls over HTTP (-Calls() +HTTP):\n%s", diff)
	}

	var state controlStateView
	raw := e.control("GET", "state", "")
	if err := json.Unmarshal([]byte(raw), &state); err != nil {
		t.Fatal(err)
	}
	if len(state.Menus.Conditional) != 3 || len(state.Users) != 8 || state.MaxConditional != 3 ||
		state.QuotaLimits["menu/get"] != 1 || state.Faults.BusyRate != 1 || state.ValidTokens != 1 ||
		!state.Now.Equal(testStart.Add(24*time.Hour)) {
		t.Errorf("state view: %s", raw)
	}
	if strings.Contains(raw, tok) || strings.Contains(raw, DefaultSecret) {
		t.Errorf("state view leaks a credential")
	}

	e.control("POST", "reset", "")
	if e.emu.Menus().Default != nil || len(e.emu.Calls()) != 0 {
		t.Errorf("reset left menus or calls")
	}
	if got := e.code("menu/get", tok, ""); got != 40001 {
		t.Errorf("token after reset: errcode %d, want 40001", got)
	}
}

func TestControlErrors(t *testing.T) {
	e := newEnv(t, Config{})
	tests := []struct {
		method, path, body string
		status             int
		msg                string
	}{
		{"GET", "reset", "", http.StatusMethodNotAllowed, "use POST"},
		{"POST", "calls", "", http.StatusMethodNotAllowed, "use GET"},
		{"POST", "users", `{"openid":""}`, http.StatusBadRequest, "user without openid"},
		{"POST", "users", `{"openid":"u","platform":"9"}`, http.StatusBadRequest, `platform "9" is not 1, 2 or 3`},
		{"POST", "users", `{"open_id":"u"}`, http.StatusBadRequest, "unknown field"},
		{"POST", "quota", `{"endpoint":"menu/nope","limit":1}`, http.StatusBadRequest, `unknown endpoint "menu/nope"`},
		{"POST", "quota", `{"endpoint":"menu/get"}`, http.StatusBadRequest, "want"},
		{"POST", "max-conditional", `{"limit":-1}`, http.StatusBadRequest, "want"},
		{"POST", "clock/advance", `{"seconds":-5}`, http.StatusBadRequest, "want"},
		{"POST", "clock/advance", `{"seconds":1e300}`, http.StatusBadRequest, "want"},
		{"POST", "faults", `{"busy_rate":1.5}`, http.StatusBadRequest, "busy_rate must be between 0 and 1"},
		{"POST", "faults", `{"latency":-1}`, http.StatusBadRequest, "latency must not be negative"},
		{"POST", "faults", `{"endpoints":["nope"]}`, http.StatusBadRequest, `unknown endpoint "nope"`},
		{"POST", "faults", `{} {}`, http.StatusBadRequest, "more than one JSON value"},
		{"POST", "faults", ``, http.StatusBadRequest, "bad request body"},
	}
	for _, tt := range tests {
		r := e.do(tt.method, "/_emulator/"+tt.path, nil, tt.body)
		var ce controlError
		_ = json.Unmarshal([]byte(r.body), &ce)
		if r.status != tt.status || !strings.Contains(ce.Error, tt.msg) {
			t.Errorf("%s %s %s: HTTP %d %s, want %d mentioning %q", tt.method, tt.path, tt.body, r.status, r.body, tt.status, tt.msg)
		}
	}
	if len(e.emu.a.Users) != 0 || e.emu.faults.BusyRate != 0 {
		t.Errorf("a refused control call changed the state")
	}
}

func TestControlIsNotFaulted(t *testing.T) {
	e := newEnv(t, Config{})
	e.emu.SetFaults(Faults{BusyRate: 1, HTTP502Rate: 1})
	if got := e.control("GET", "calls", ""); got != "{}\n" {
		t.Errorf("calls: %s", got)
	}
}

func TestControlAddressesAccounts(t *testing.T) {
	e := newEnv(t, Config{Accounts: []AccountConfig{{AppID: otherAppID, Secret: otherSecret}}})
	q := "?appid=" + otherAppID
	e.control(http.MethodPost, "seed-demo"+q, "")
	e.control(http.MethodPost, "users"+q, `{"openid":"o_new"}`)
	e.control(http.MethodPost, "quota"+q, `{"endpoint":"menu/get","limit":0}`)
	e.control(http.MethodPost, "max-conditional"+q, `{"limit":3}`)
	e.control(http.MethodPost, "account"+q, `{"kind":"subscription","create_drops_conditional":true}`)
	e.control(http.MethodPost, "console-menu", `{"button":[{"type":"click","name":"控制台","key":"C"}]}`)

	other := e.emu.Account(otherAppID)
	if len(other.Users()) != 6 || other.Menus().Default == nil {
		t.Errorf("seed-demo/users did not reach the other account")
	}
	if s := other.Settings(); s.Kind != KindSubscription || !s.CreateDropsConditional {
		t.Errorf("settings: %+v", s)
	}
	if got := e.code("menu/get", other.IssueToken(), ""); got != 45009 {
		t.Errorf("other account's quota 0: menu/get %d", got)
	}
	def := e.fetchToken()
	if got := e.code("menu/get", def, ""); got != 46003 {
		t.Errorf("default account (console menu only): menu/get %d", got)
	}
	if len(e.emu.Default().Users()) != 0 {
		t.Errorf("users reached the default account")
	}
	var list struct {
		AppIDs []string `json:"appids"`
	}
	if err := json.Unmarshal([]byte(e.control(http.MethodGet, "accounts", "")), &list); err != nil || len(list.AppIDs) != 2 {
		t.Errorf("accounts: %v %+v", err, list)
	}
	for _, bad := range []struct{ path, body string }{
		{"account" + q, `{"kind":"x"}`},
		{"account" + q, `{"ip_whitelist":["not an ip"]}`},
		{"account", `{"nope":1}`},
		{"console-menu", `{}`},
		{"console-menu", `{"button":[{"type":"click"}]}`},
		{"users?appid=wxnope", `{"openid":"o"}`},
	} {
		if r := e.do(http.MethodPost, "/_emulator/"+bad.path, nil, bad.body); r.status != http.StatusBadRequest {
			t.Errorf("%s %s: HTTP %d %s", bad.path, bad.body, r.status, r.body)
		}
	}
}

// TestControlIssueToken: tokens/issue hands out an access token of the
// account ?appid= names, as a token service would, and it reads that
// account only.
func TestControlIssueToken(t *testing.T) {
	const other = "wx00000000000000b2"
	e := newEnv(t, Config{Accounts: []AccountConfig{{AppID: other, Secret: DefaultSecret}}})
	e.emu.Account(other).SeedDemo()
	var issued struct {
		AccessToken string `json:"access_token"`
		ExpiresIn   int    `json:"expires_in"`
	}
	if err := json.Unmarshal([]byte(e.control("POST", "tokens/issue?appid="+other, "")), &issued); err != nil {
		t.Fatal(err)
	}
	if issued.ExpiresIn != 7200 {
		t.Errorf("expires_in %d, want 7200", issued.ExpiresIn)
	}
	if got := e.mustOK("menu/get", issued.AccessToken, "").body; !strings.Contains(got, "conditionalmenu") {
		t.Errorf("the token of %s does not read its demo menus: %s", other, got)
	}
	if got := e.code("menu/get", e.emu.IssueToken(), ""); got != 46003 {
		t.Errorf("the default account has no menu: errcode %d, want 46003", got)
	}
}

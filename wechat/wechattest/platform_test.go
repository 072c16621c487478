package wechattest

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

const (
	testComponentAppID  = "wxcomponent0000001"
	testComponentSecret = "component-secret-0123456789"
	otherAppID          = "wx00000000000other"
	otherSecret         = "other-secret-0123456789abcdef"
)

// newFleetEnv is an emulator with the default account, one more account
// and a platform.
func newFleetEnv(t *testing.T) *env {
	t.Helper()
	return newEnv(t, Config{
		Accounts: []AccountConfig{{AppID: otherAppID, Secret: otherSecret}},
		Platform: &PlatformConfig{ComponentAppID: testComponentAppID, ComponentSecret: testComponentSecret},
	})
}

// post sends a JSON body to a /cgi-bin path with a query.
func (e *env) post(path string, query url.Values, body string) response {
	e.t.Helper()
	return e.do(http.MethodPost, "/cgi-bin/"+path, query, body)
}

func (e *env) ticket() string {
	e.t.Helper()
	var got struct {
		Ticket string `json:"component_verify_ticket"`
	}
	if err := json.Unmarshal([]byte(e.control(http.MethodGet, "platform/ticket", "")), &got); err != nil || got.Ticket == "" {
		e.t.Fatalf("platform/ticket: %v %+v", err, got)
	}
	return got.Ticket
}

func (e *env) componentToken() string {
	e.t.Helper()
	r := e.post("component/api_component_token", nil, `{"component_appid":"`+testComponentAppID+
		`","component_appsecret":"`+testComponentSecret+`","component_verify_ticket":"`+e.ticket()+`"}`)
	var got struct {
		Token     string `json:"component_access_token"`
		ExpiresIn int    `json:"expires_in"`
	}
	if err := json.Unmarshal([]byte(r.body), &got); err != nil || got.Token == "" || got.ExpiresIn != 7200 {
		e.t.Fatalf("api_component_token: %s", r.body)
	}
	return got.Token
}

type authorizerToken struct {
	AccessToken  string `json:"authorizer_access_token"`
	ExpiresIn    int    `json:"expires_in"`
	RefreshToken string `json:"authorizer_refresh_token"`
}

func (e *env) authorizerToken(ctoken, appID, refresh string) (authorizerToken, response) {
	e.t.Helper()
	r := e.post("component/api_authorizer_token", url.Values{"component_access_token": {ctoken}},
		`{"component_appid":"`+testComponentAppID+`","authorizer_appid":"`+appID+`","authorizer_refresh_token":"`+refresh+`"}`)
	var tok authorizerToken
	_ = json.Unmarshal([]byte(r.body), &tok)
	return tok, r
}

func TestPlatformTokenChain(t *testing.T) {
	e := newFleetEnv(t)
	ctoken := e.componentToken()

	// The authorizer list gives every account with its refresh token.
	r := e.post("component/api_get_authorizer_list", url.Values{"component_access_token": {ctoken}},
		`{"component_appid":"`+testComponentAppID+`","offset":0,"count":500}`)
	var list struct {
		Total int `json:"total_count"`
		List  []struct {
			AppID    string `json:"authorizer_appid"`
			Refresh  string `json:"refresh_token"`
			AuthTime int64  `json:"auth_time"`
		} `json:"list"`
	}
	if err := json.Unmarshal([]byte(r.body), &list); err != nil {
		t.Fatal(err)
	}
	if list.Total != 2 || len(list.List) != 2 || list.List[0].AppID != DefaultAppID || list.List[1].AppID != otherAppID {
		t.Fatalf("authorizer list: %s", r.body)
	}
	if list.List[1].Refresh != e.emu.Account(otherAppID).RefreshToken() || list.List[1].AuthTime != testStart.Unix() {
		t.Errorf("list entry %+v does not match the account", list.List[1])
	}

	// Paging: offset 1, count 1.
	r = e.post("component/api_get_authorizer_list", url.Values{"access_token": {ctoken}},
		`{"component_appid":"`+testComponentAppID+`","offset":1,"count":1}`)
	if !strings.Contains(r.body, `"total_count":2`) || !strings.Contains(r.body, otherAppID) || strings.Contains(r.body, DefaultAppID) {
		t.Errorf("page 2: %s", r.body)
	}

	// Permission set 15 shows in the authorizer info.
	r = e.post("component/api_get_authorizer_info", url.Values{"component_access_token": {ctoken}},
		`{"component_appid":"`+testComponentAppID+`","authorizer_appid":"`+otherAppID+`"}`)
	if !strings.Contains(r.body, `"func_info":[{"funcscope_category":{"id":15}}]`) || !strings.Contains(r.body, `"authorizer_appid":"`+otherAppID+`"`) {
		t.Errorf("authorizer info: %s", r.body)
	}

	// The authorizer token works on its own account's menus only.
	tok, tr := e.authorizerToken(ctoken, otherAppID, list.List[1].Refresh)
	if ec := tr.errcode(t); ec.Code != 0 || tok.AccessToken == "" || tok.ExpiresIn != 7200 || tok.RefreshToken != list.List[1].Refresh {
		t.Fatalf("api_authorizer_token: %+v %s", tok, tr.body)
	}
	e.mustOK("menu/create", tok.AccessToken, `{"button":[{"type":"click","name":"其他","key":"K"}]}`)
	if got := e.emu.Account(otherAppID).Menus(); got.Default == nil || got.Default.Buttons[0].Name != "其他" {
		t.Errorf("other account's menus: %+v", got)
	}
	if got := e.emu.Menus(); got.Default != nil {
		t.Errorf("the default account changed: %+v", got)
	}
	// The account's own token sees the same menu; the default account's
	// token does not.
	own := e.emu.Account(otherAppID).IssueToken()
	if !strings.Contains(e.api("menu/get", own, "").body, "其他") {
		t.Errorf("own token does not see the authorizer's change")
	}
	if got := e.code("menu/get", e.fetchToken(), ""); got != 46003 {
		t.Errorf("default account menu/get = %d, want 46003", got)
	}
}

func TestPlatformErrors(t *testing.T) {
	body := func(secret, ticket string) string {
		return `{"component_appid":"` + testComponentAppID + `","component_appsecret":"` + secret + `","component_verify_ticket":"` + ticket + `"}`
	}
	tests := []struct {
		name  string
		setup func(e *env)
		call  func(e *env) response
		want  int
	}{
		{"GET", nil, func(e *env) response {
			return e.do(http.MethodGet, "/cgi-bin/component/api_component_token", nil, "")
		}, 43002},
		{"wrong component appid", nil, func(e *env) response {
			return e.post("component/api_component_token", nil, strings.Replace(body(testComponentSecret, e.ticket()), testComponentAppID, "wxnotacomponent", 1))
		}, 61011},
		{"wrong secret", nil, func(e *env) response {
			return e.post("component/api_component_token", nil, body("wrong", e.ticket()))
		}, 40125},
		{"no secret", nil, func(e *env) response {
			return e.post("component/api_component_token", nil, body("", e.ticket()))
		}, 41004},
		{"unknown ticket", nil, func(e *env) response {
			return e.post("component/api_component_token", nil, body(testComponentSecret, "ticket@@@forged"))
		}, 61006},
		{"expired ticket", nil, func(e *env) response {
			old := e.ticket()
			e.emu.Advance(13 * time.Hour)
			return e.post("component/api_component_token", nil, body(testComponentSecret, old))
		}, 61005},
		{"fault 61004", func(e *env) { e.control(http.MethodPost, "platform/fault", `{"errcode":61004}`) }, func(e *env) response {
			return e.post("component/api_component_token", nil, body(testComponentSecret, e.ticket()))
		}, 61004},
		{"fault 61005", func(e *env) { e.control(http.MethodPost, "platform/fault", `{"errcode":61005}`) }, func(e *env) response {
			return e.post("component/api_component_token", nil, body(testComponentSecret, e.ticket()))
		}, 61005},
		{"fault 61006", func(e *env) { e.control(http.MethodPost, "platform/fault", `{"errcode":61006}`) }, func(e *env) response {
			return e.post("component/api_component_token", nil, body(testComponentSecret, e.ticket()))
		}, 61006},
		{"no component token", nil, func(e *env) response {
			return e.post("component/api_authorizer_token", nil, `{"component_appid":"`+testComponentAppID+`"}`)
		}, 41001},
		{"bad component token", nil, func(e *env) response {
			return e.post("component/api_get_authorizer_list", url.Values{"component_access_token": {"nope"}}, `{"component_appid":"`+testComponentAppID+`","offset":0,"count":10}`)
		}, 40001},
		{"list count over 500", nil, func(e *env) response {
			return e.post("component/api_get_authorizer_list", url.Values{"component_access_token": {e.componentToken()}}, `{"component_appid":"`+testComponentAppID+`","offset":0,"count":501}`)
		}, 40035},
		{"wrong refresh token", nil, func(e *env) response {
			_, r := e.authorizerToken(e.componentToken(), otherAppID, "refreshtoken@@@forged")
			return r
		}, 61023},
		{"fault 61023", func(e *env) { e.control(http.MethodPost, "platform/fault?appid="+otherAppID, `{"errcode":61023}`) }, func(e *env) response {
			_, r := e.authorizerToken(e.componentToken(), otherAppID, e.emu.Account(otherAppID).RefreshToken())
			return r
		}, 61023},
		{"reauthorized: old refresh token", nil, func(e *env) response {
			old := e.emu.Account(otherAppID).RefreshToken()
			e.control(http.MethodPost, "platform/reauthorize?appid="+otherAppID, "")
			_, r := e.authorizerToken(e.componentToken(), otherAppID, old)
			return r
		}, 61023},
		{"fault 61003 on token", func(e *env) { e.control(http.MethodPost, "platform/fault?appid="+otherAppID, `{"errcode":61003}`) }, func(e *env) response {
			_, r := e.authorizerToken(e.componentToken(), otherAppID, e.emu.Account(otherAppID).RefreshToken())
			return r
		}, 61003},
		{"fault 61003 on info", func(e *env) { e.control(http.MethodPost, "platform/fault?appid="+otherAppID, `{"errcode":61003}`) }, func(e *env) response {
			return e.post("component/api_get_authorizer_info", url.Values{"component_access_token": {e.componentToken()}}, `{"component_appid":"`+testComponentAppID+`","authorizer_appid":"`+otherAppID+`"}`)
		}, 61003},
		{"unknown authorizer", nil, func(e *env) response {
			_, r := e.authorizerToken(e.componentToken(), "wxnotanauthorizer", "x")
			return r
		}, 61003},
		{"fault 61003 on menus", nil, func(e *env) response {
			tok := fleetAuthorizerToken(e, otherAppID)
			e.control(http.MethodPost, "platform/fault?appid="+otherAppID, `{"errcode":61003}`)
			return e.api("menu/get", tok, "")
		}, 61003},
		{"fault 61007 on menus", nil, func(e *env) response {
			tok := fleetAuthorizerToken(e, otherAppID)
			e.control(http.MethodPost, "platform/fault?appid="+otherAppID, `{"errcode":61007}`)
			return e.api("menu/create", tok, `{"button":[{"type":"click","name":"a","key":"k"}]}`)
		}, 61007},
		{"platform whitelist on menus", nil, func(e *env) response {
			tok := fleetAuthorizerToken(e, otherAppID)
			e.control(http.MethodPost, "platform/ip-whitelist", `{"ip_whitelist":["10.0.0.0/8"]}`)
			r := e.api("menu/get", tok, "")
			if !strings.Contains(r.body, "requestIP: 127.0.0.1 rid: ") {
				t.Errorf("61004 does not name the caller: %s", r.body)
			}
			return r
		}, 61004},
		{"expired authorizer token", nil, func(e *env) response {
			tok := fleetAuthorizerToken(e, otherAppID)
			e.emu.Advance(7201 * time.Second)
			return e.api("menu/get", tok, "")
		}, 42001},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newFleetEnv(t)
			if tt.setup != nil {
				tt.setup(e)
			}
			ec := tt.call(e).errcode(t)
			if ec.Code != tt.want {
				t.Errorf("errcode %d (%s), want %d", ec.Code, ec.Msg, tt.want)
			}
		})
	}
}

// fleetAuthorizerToken runs the whole chain for one account.
func fleetAuthorizerToken(e *env, appID string) string {
	e.t.Helper()
	tok, r := e.authorizerToken(e.componentToken(), appID, e.emu.Account(appID).RefreshToken())
	if r.errcode(e.t).Code != 0 {
		e.t.Fatalf("authorizer token: %s", r.body)
	}
	return tok.AccessToken
}

func TestVerifyTicketRotates(t *testing.T) {
	e := newFleetEnv(t)
	first := e.ticket()
	if again := e.ticket(); again != first {
		t.Errorf("ticket changed within the push interval")
	}
	e.emu.Advance(10 * time.Minute)
	second := e.ticket()
	if second == first || !strings.HasPrefix(second, "ticket@@@") {
		t.Fatalf("no new ticket after 10 minutes: %q", second)
	}
	// The old ticket still works (valid 12 h).
	r := e.post("component/api_component_token", nil, `{"component_appid":"`+testComponentAppID+
		`","component_appsecret":"`+testComponentSecret+`","component_verify_ticket":"`+first+`"}`)
	if !strings.Contains(r.body, "component_access_token") {
		t.Errorf("previous ticket refused: %s", r.body)
	}
	if e.emu.Ticket() != second {
		t.Errorf("Ticket() disagrees with the control surface")
	}
}

func TestAccountsAreIsolated(t *testing.T) {
	e := newFleetEnv(t)
	// Each account's own credentials give tokens for it alone.
	r := e.do(http.MethodGet, "/cgi-bin/token", url.Values{"grant_type": {"client_credential"}, "appid": {otherAppID}, "secret": {DefaultSecret}}, "")
	if ec := r.errcode(t); ec.Code != 40125 {
		t.Errorf("other appid with the default secret: %+v", ec)
	}
	other := e.emu.Account(otherAppID)
	other.SeedDemo()
	other.SetQuota("menu/get", 1)
	tok := other.IssueToken()
	e.mustOK("menu/get", tok, "")
	if got := e.code("menu/get", tok, ""); got != 45009 {
		t.Errorf("other account's quota: %d, want 45009", got)
	}
	// The default account's quota is its own.
	def := e.fetchToken()
	if got := e.code("menu/get", def, ""); got != 46003 {
		t.Errorf("default account: %d, want 46003", got)
	}
	if diff := cmp.Diff([]string{DefaultAppID, otherAppID}, e.emu.AppIDs()); diff != "" {
		t.Errorf("AppIDs (-want +got):\n%s", diff)
	}
	if e.emu.Account("wxnope") != nil {
		t.Errorf("Account of an unknown appid is not nil")
	}
	if r := e.do(http.MethodGet, "/_emulator/state", url.Values{"appid": {"wxnope"}}, ""); r.status != http.StatusBadRequest {
		t.Errorf("state of an unknown appid: HTTP %d", r.status)
	}
	if st := e.do(http.MethodGet, "/_emulator/state", url.Values{"appid": {otherAppID}}, ""); !strings.Contains(st.body, `"appid":"`+otherAppID+`"`) || !strings.Contains(st.body, "会员") {
		t.Errorf("state of the other account: %s", st.body)
	}
}

func TestQueryAuth(t *testing.T) {
	e := newFleetEnv(t)
	ctoken := e.componentToken()
	code := e.emu.Account(otherAppID).AuthorizationCode()
	body := `{"component_appid":"` + testComponentAppID + `","authorization_code":"` + code + `"}`
	r := e.post("component/api_query_auth", url.Values{"component_access_token": {ctoken}}, body)
	var got struct {
		Info struct {
			AppID     string `json:"authorizer_appid"`
			Token     string `json:"authorizer_access_token"`
			ExpiresIn int    `json:"expires_in"`
			Refresh   string `json:"authorizer_refresh_token"`
			FuncInfo  []struct {
				Category struct {
					ID int `json:"id"`
				} `json:"funcscope_category"`
			} `json:"func_info"`
		} `json:"authorization_info"`
	}
	if err := json.Unmarshal([]byte(r.body), &got); err != nil || got.Info.AppID != otherAppID || got.Info.ExpiresIn != 7200 ||
		got.Info.Refresh != e.emu.Account(otherAppID).RefreshToken() || len(got.Info.FuncInfo) != 1 || got.Info.FuncInfo[0].Category.ID != 15 {
		t.Fatalf("api_query_auth: %s", r.body)
	}
	e.mustOK("menu/create", got.Info.Token, `{"button":[{"type":"click","name":"a","key":"k"}]}`)
	// A code works once.
	if ec := e.post("component/api_query_auth", url.Values{"component_access_token": {ctoken}}, body).errcode(t); ec.Code != 40029 {
		t.Errorf("second use of a code: %+v", ec)
	}
}

func TestPlatformControlWithoutPlatform(t *testing.T) {
	e := newEnv(t, Config{})
	for _, c := range []struct{ method, path, body string }{
		{http.MethodGet, "platform/ticket", ""},
		{http.MethodPost, "platform/ticket/push", ""},
		{http.MethodPost, "platform/fault", `{"errcode":61004}`},
		{http.MethodPost, "platform/reauthorize", ""},
		{http.MethodPost, "platform/ip-whitelist", `{"ip_whitelist":[]}`},
	} {
		if r := e.do(c.method, "/_emulator/"+c.path, nil, c.body); r.status != http.StatusBadRequest || !strings.Contains(r.body, "no platform") {
			t.Errorf("%s %s: HTTP %d %s", c.method, c.path, r.status, r.body)
		}
	}
	if r := e.post("component/api_component_token", nil, `{"component_appid":"x"}`); r.errcode(t).Code != 61011 {
		t.Errorf("component call without a platform: %s", r.body)
	}
}

// TestFleetStateFollowsAPIChanges checks that changes made through the API
// to any account reach the state file (fleet files reuse the JSON of
// unchanged accounts).
func TestFleetStateFollowsAPIChanges(t *testing.T) {
	path := t.TempDir() + "/state.json"
	cfg := Config{
		Now:      func() time.Time { return testStart },
		Accounts: []AccountConfig{{AppID: otherAppID, Secret: otherSecret}},
		Platform: &PlatformConfig{ComponentAppID: testComponentAppID, ComponentSecret: testComponentSecret},
	}
	emu, err := Load(path, cfg)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(emu)
	e := &env{t: t, emu: emu, srv: srv}
	other := fleetAuthorizerToken(e, otherAppID)
	e.mustOK("menu/create", other, `{"button":[{"type":"click","name":"B","key":"k"}]}`)
	def := e.fetchToken()
	e.mustOK("menu/create", def, `{"button":[{"type":"click","name":"A","key":"k"}]}`)
	e.mustOK("tags/create", def, `{"tag":{"name":"t"}}`)
	e.mustOK("menu/create", other, `{"button":[{"type":"click","name":"B2","key":"k"}]}`)
	srv.Close()

	restarted, err := Load(path, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if got := restarted.Account(otherAppID).Menus(); got.Default == nil || got.Default.Buttons[0].Name != "B2" {
		t.Errorf("other account after restart: %+v", got.Default)
	}
	if got := restarted.Menus(); got.Default == nil || got.Default.Buttons[0].Name != "A" {
		t.Errorf("default account after restart: %+v", got.Default)
	}
	srv2 := httptest.NewServer(restarted)
	defer srv2.Close()
	e2 := &env{t: t, emu: restarted, srv: srv2}
	if r := e2.api("tags/get", def, ""); !strings.Contains(r.body, `"name":"t"`) {
		t.Errorf("tag lost: %s", r.body)
	}
	if got := e2.code("menu/get", other, ""); got != 0 {
		t.Errorf("authorizer token lost: %d", got)
	}
}

func TestTagAPINeedsPermissionSet2(t *testing.T) {
	for _, sets := range [][]int{nil, {15, 2}} {
		e := newEnv(t, Config{Platform: &PlatformConfig{ComponentAppID: testComponentAppID, ComponentSecret: testComponentSecret, PermissionSets: sets}})
		tok := fleetAuthorizerToken(e, DefaultAppID)
		want := 61007
		if sets != nil {
			want = 0
		}
		if got := e.code("tags/get", tok, ""); got != want {
			t.Errorf("sets %v: tags/get %d, want %d", sets, got, want)
		}
		if got := e.code("get_current_selfmenu_info", tok, ""); got != 0 {
			t.Errorf("sets %v: get_current_selfmenu_info %d", sets, got)
		}
	}
}

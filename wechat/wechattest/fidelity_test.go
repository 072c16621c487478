package wechattest

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/wxmenu/wxmenu/wechat"
)

func TestUnicodeEscapesAnswer40033(t *testing.T) {
	tests := []struct {
		name, endpoint, body string
		want                 int
	}{
		{"escaped CJK name", "menu/create", `{"button":[{"type":"click","name":"\u7b7e\u5230","key":"K"}]}`, 40033},
		{"escaped & in url", "menu/create", `{"button":[{"type":"view","name":"a","url":"https://x.example/?a=1\u0026b=2"}]}`, 40033},
		{"escaped in addconditional", "menu/addconditional", `{"button":[{"type":"click","name":"\u4f1a","key":"K"}],"matchrule":{"tag_id":"2"}}`, 40033},
		{"escaped backslash then u is no escape", "menu/create", `{"button":[{"type":"click","name":"a\\u","key":"K"}]}`, 0},
		{"raw CJK and & pass", "menu/create", `{"button":[{"type":"view","name":"签到<&>","url":"https://x.example/?a=1&b=<2>"}]}`, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t, Config{})
			tok := e.fetchToken()
			if tt.endpoint == "menu/addconditional" {
				e.mustOK("menu/create", tok, `{"button":[{"type":"click","name":"d","key":"D"}]}`)
			}
			ec := e.api(tt.endpoint, tok, tt.body).errcode(t)
			if ec.Code != tt.want {
				t.Fatalf("errcode %d %q, want %d", ec.Code, ec.Msg, tt.want)
			}
			if tt.want == 40033 && ec.Msg != `invalid charset. please check your request, if include \uxxxx will create fail!` {
				t.Errorf("errmsg %q", ec.Msg)
			}
		})
	}
}

func TestTagsRoundTrip(t *testing.T) {
	e := newEnv(t, Config{})
	tok := e.fetchToken()
	e.emu.AddUser(User{OpenID: "o_a"})
	e.emu.AddUser(User{OpenID: "o_b"})

	r := e.mustOKTag("tags/create", tok, `{"tag":{"name":"广东"}}`)
	var created struct {
		Tag struct {
			ID   int    `json:"id"`
			Name string `json:"name"`
		} `json:"tag"`
	}
	if err := json.Unmarshal([]byte(r.body), &created); err != nil || created.Tag.ID != 100 || created.Tag.Name != "广东" {
		t.Fatalf("tags/create: %s", r.body)
	}
	e.mustOKTag("tags/create", tok, `{"tag":{"name":"上海"}}`)
	e.mustOKTag("tags/update", tok, `{"tag":{"id":100,"name":"广东人"}}`)
	e.mustOKTag("tags/members/batchtagging", tok, `{"openid_list":["o_a","o_b"],"tagid":100}`)
	e.mustOKTag("tags/members/batchtagging", tok, `{"openid_list":["o_a"],"tagid":101}`)
	e.mustOKTag("tags/members/batchuntagging", tok, `{"openid_list":["o_b"],"tagid":100}`)

	got := indent(t, e.api("tags/get", tok, "").body)
	want := indent(t, `{"tags":[{"id":2,"name":"星标组","count":0},{"id":100,"name":"广东人","count":1},{"id":101,"name":"上海","count":1}]}`)
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("tags/get (-want +got):\n%s", diff)
	}
	if got := e.api("tags/getidlist", tok, `{"openid":"o_a"}`).body; strings.TrimSpace(got) != `{"tagid_list":[100,101]}` {
		t.Errorf("tags/getidlist: %s", got)
	}
	if got := e.api("user/tag/get", tok, `{"tagid":100,"next_openid":""}`).body; strings.TrimSpace(got) != `{"count":1,"data":{"openid":["o_a"]},"next_openid":"o_a"}` {
		t.Errorf("user/tag/get: %s", got)
	}
	e.mustOKTag("tags/delete", tok, `{"tag":{"id":100}}`)
	if got := e.api("tags/getidlist", tok, `{"openid":"o_a"}`).body; strings.TrimSpace(got) != `{"tagid_list":[101]}` {
		t.Errorf("after delete, tags/getidlist: %s", got)
	}
}

func (e *env) mustOKTag(endpoint, token, body string) response {
	e.t.Helper()
	return e.mustOK(endpoint, token, body)
}

func TestTagErrors(t *testing.T) {
	long := strings.Repeat("长", 11) // 33 bytes
	var many []string
	for range 51 {
		many = append(many, `"o_a"`)
	}
	tests := []struct {
		name     string
		setup    func(e *env, tok string)
		endpoint string
		body     string
		want     int
	}{
		{"name taken", func(e *env, tok string) { e.mustOK("tags/create", tok, `{"tag":{"name":"a"}}`) }, "tags/create", `{"tag":{"name":"a"}}`, 45157},
		{"empty name", nil, "tags/create", `{"tag":{"name":""}}`, 45157},
		{"name too long", nil, "tags/create", `{"tag":{"name":"` + long + `"}}`, 45158},
		{"30 bytes fit", nil, "tags/create", `{"tag":{"name":"` + strings.Repeat("长", 10) + `"}}`, 0},
		{"too many tags", func(e *env, tok string) {
			for i := range 100 {
				e.mustOK("tags/create", tok, `{"tag":{"name":"t`+string(rune('a'+i%26))+strings.Repeat("x", i/26)+`"}}`)
			}
		}, "tags/create", `{"tag":{"name":"one more"}}`, 45056},
		{"update reserved", nil, "tags/update", `{"tag":{"id":2,"name":"x"}}`, 45058},
		{"delete reserved", nil, "tags/delete", `{"tag":{"id":1}}`, 45058},
		{"update unknown", nil, "tags/update", `{"tag":{"id":999,"name":"x"}}`, 45159},
		{"tag unknown tag", nil, "tags/members/batchtagging", `{"openid_list":["o_a"],"tagid":999}`, 45159},
		{"tag unknown openid", nil, "tags/members/batchtagging", `{"openid_list":["o_nobody"],"tagid":2}`, 40003},
		{"tag another account's follower", nil, "tags/members/batchtagging", `{"openid_list":["o_other"],"tagid":2}`, 49003},
		{"51 openids", nil, "tags/members/batchtagging", `{"openid_list":[` + strings.Join(many, ",") + `],"tagid":2}`, 40032},
		{"no openids", nil, "tags/members/batchuntagging", `{"openid_list":[],"tagid":2}`, 40032},
		{"21st tag on a user", func(e *env, tok string) {
			for i := range 20 {
				e.mustOK("tags/create", tok, `{"tag":{"name":"n`+string(rune('a'+i))+`"}}`)
				e.mustOK("tags/members/batchtagging", tok, `{"openid_list":["o_a"],"tagid":`+itoa(100+i)+`}`)
			}
			e.mustOK("tags/create", tok, `{"tag":{"name":"last"}}`)
		}, "tags/members/batchtagging", `{"openid_list":["o_a"],"tagid":120}`, 45059},
		{"getidlist unknown", nil, "tags/getidlist", `{"openid":"o_nobody"}`, 40003},
		{"user/tag/get unknown tag", nil, "user/tag/get", `{"tagid":999}`, 45159},
		{"create by GET", nil, "tags/create", "", 43002},
		{"bad JSON", nil, "tags/create", `{"tag":`, 47001},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t, Config{Accounts: []AccountConfig{{AppID: otherAppID, Secret: otherSecret}}})
			e.emu.AddUser(User{OpenID: "o_a"})
			e.emu.Account(otherAppID).AddUser(User{OpenID: "o_other"})
			tok := e.fetchToken()
			if tt.setup != nil {
				tt.setup(e, tok)
			}
			if got := e.code(tt.endpoint, tok, tt.body); got != tt.want {
				t.Errorf("errcode %d, want %d: %s", got, tt.want, e.api(tt.endpoint, tok, tt.body).body)
			}
		})
	}
}

func itoa(n int) string { return formatMenuID(int64(n)) }

func TestTryMatchFollowsAPISetTags(t *testing.T) {
	e := newEnv(t, Config{})
	tok := e.fetchToken()
	e.control(http.MethodPost, "users", `{"openid":"o_x"}`)
	e.mustOK("menu/create", tok, `{"button":[{"type":"click","name":"默认","key":"D"}]}`)
	e.mustOK("tags/create", tok, `{"tag":{"name":"vip"}}`)   // 100
	e.mustOK("tags/create", tok, `{"tag":{"name":"staff"}}`) // 101
	e.addConditional(tok, `[{"type":"click","name":"会员","key":"V"}]`, `{"tag_id":"100"}`)
	e.addConditional(tok, `[{"type":"click","name":"员工","key":"S"}]`, `{"tag_id":"101"}`)

	seen := func() string {
		t.Helper()
		var got struct {
			Buttons []struct {
				Name string `json:"name"`
			} `json:"button"`
		}
		if err := json.Unmarshal([]byte(e.api("menu/trymatch", tok, `{"user_id":"o_x"}`).body), &got); err != nil || len(got.Buttons) == 0 {
			t.Fatalf("trymatch: %v", err)
		}
		return got.Buttons[0].Name
	}
	steps := []struct{ body, endpoint, want string }{
		{"", "", "默认"},
		{`{"openid_list":["o_x"],"tagid":100}`, "tags/members/batchtagging", "会员"},
		{`{"openid_list":["o_x"],"tagid":101}`, "tags/members/batchtagging", "员工"}, // last-applied tag wins
		{`{"openid_list":["o_x"],"tagid":101}`, "tags/members/batchuntagging", "会员"},
		{`{"openid_list":["o_x"],"tagid":100}`, "tags/members/batchuntagging", "默认"},
	}
	for _, s := range steps {
		if s.endpoint != "" {
			e.mustOK(s.endpoint, tok, s.body)
		}
		if got := seen(); got != s.want {
			t.Errorf("after %s %s: sees %q, want %q", s.endpoint, s.body, got, s.want)
		}
	}
}

func TestRequireKnownTags(t *testing.T) {
	e := newEnv(t, Config{AccountSettings: AccountSettings{RequireKnownTags: true}})
	tok := e.fetchToken()
	e.mustOK("menu/create", tok, `{"button":[{"type":"click","name":"d","key":"D"}]}`)
	body := `{"button":[{"type":"click","name":"c","key":"C"}],"matchrule":{"tag_id":"100"}}`
	if got := e.code("menu/addconditional", tok, body); got != 45159 {
		t.Errorf("unknown tag: %d, want 45159", got)
	}
	e.mustOK("tags/create", tok, `{"tag":{"name":"vip"}}`)
	if got := e.code("menu/addconditional", tok, body); got != 0 {
		t.Errorf("known tag: %d, want 0", got)
	}
	e.control(http.MethodPost, "account", `{"require_known_tags":false}`)
	if got := e.code("menu/addconditional", tok, strings.Replace(body, "100", "555", 1)); got != 0 {
		t.Errorf("switch off: %d, want 0", got)
	}
}

func TestConsoleMenu(t *testing.T) {
	e := newEnv(t, Config{})
	tok := e.fetchToken()
	e.control(http.MethodPost, "console-menu", `{"button":[{"type":"view","name":"官网","url":"https://www.example.com/"},{"name":"更多","sub_button":[{"type":"click","name":"联系","key":"C"}]}]}`)
	if got := e.code("menu/get", tok, ""); got != 46003 {
		t.Errorf("menu/get with a console menu: %d, want 46003", got)
	}
	got := indent(t, e.api("get_current_selfmenu_info", tok, "").body)
	want := indent(t, `{"is_menu_open":1,"selfmenu_info":{"button":[{"type":"view","name":"官网","url":"https://www.example.com/"},{"name":"更多","sub_button":{"list":[{"type":"click","name":"联系","key":"C"}]}}]}}`)
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("get_current_selfmenu_info (-want +got):\n%s", diff)
	}
	// menu/create replaces it.
	e.mustOK("menu/create", tok, `{"button":[{"type":"click","name":"新","key":"N"}]}`)
	if r := e.api("get_current_selfmenu_info", tok, ""); strings.Contains(r.body, "官网") || !strings.Contains(r.body, "新") {
		t.Errorf("after menu/create: %s", r.body)
	}
	e.mustOK("menu/get", tok, "")
}

func TestAccountKindsAndWhitelist(t *testing.T) {
	create := `{"button":[{"type":"click","name":"d","key":"D"}]}`
	tests := []struct {
		name     string
		settings string
		endpoint string
		body     string
		want     int
	}{
		{"unverified subscription: menu/create", `{"unverified":true,"kind":"subscription"}`, "menu/create", create, 48001},
		{"unverified subscription: menu/get", `{"unverified":true,"kind":"subscription"}`, "menu/get", "", 48001},
		{"unverified subscription: selfmenu info open", `{"unverified":true,"kind":"subscription"}`, "get_current_selfmenu_info", "", 0},
		{"unverified service: menu/create open", `{"unverified":true}`, "menu/create", create, 0},
		{"unverified service: addconditional", `{"unverified":true}`, "menu/addconditional", `{"button":[{"type":"click","name":"c","key":"C"}],"matchrule":{"tag_id":"2"}}`, 65306},
		{"unverified: tags", `{"unverified":true}`, "tags/get", "", 48001},
		{"verified subscription: menu/create", `{"kind":"subscription"}`, "menu/create", create, 0},
		{"whitelist excludes loopback", `{"ip_whitelist":["10.0.0.0/8"]}`, "menu/get", "", 40164},
		{"whitelist includes loopback", `{"ip_whitelist":["127.0.0.1"]}`, "menu/create", create, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t, Config{})
			tok := e.fetchToken()
			e.control(http.MethodPost, "account", tt.settings)
			r := e.api(tt.endpoint, tok, tt.body)
			ec := r.errcode(t)
			if ec.Code != tt.want {
				t.Fatalf("errcode %d %q, want %d", ec.Code, ec.Msg, tt.want)
			}
			if tt.want == 40164 && ec.Msg != "invalid ip 127.0.0.1 ipv6 ::ffff:127.0.0.1, not in whitelist" {
				t.Errorf("40164 errmsg %q", ec.Msg)
			}
		})
	}
	// The whitelist also guards the token endpoints.
	e := newEnv(t, Config{AccountSettings: AccountSettings{IPWhitelist: []string{"192.0.2.1"}}})
	r := e.do(http.MethodGet, "/cgi-bin/token", url.Values{"grant_type": {"client_credential"}, "appid": {DefaultAppID}, "secret": {DefaultSecret}}, "")
	if ec := r.errcode(t); ec.Code != 40164 {
		t.Errorf("cgi-bin/token from outside the whitelist: %+v", ec)
	}
	if r := e.do(http.MethodPost, "/_emulator/account", nil, `{"kind":"enterprise"}`); r.status != http.StatusBadRequest {
		t.Errorf("bad kind accepted: HTTP %d", r.status)
	}
}

func TestCreateDropsConditionalMode(t *testing.T) {
	for _, drops := range []bool{false, true} {
		e := newEnv(t, Config{})
		if drops {
			e.control(http.MethodPost, "account", `{"create_drops_conditional":true}`)
		}
		tok := e.fetchToken()
		e.mustOK("menu/create", tok, `{"button":[{"type":"click","name":"d","key":"D"}]}`)
		e.addConditional(tok, `[{"type":"click","name":"c","key":"C"}]`, `{"tag_id":"2"}`)
		e.mustOK("menu/create", tok, `{"button":[{"type":"click","name":"d2","key":"D"}]}`)
		if got := len(e.emu.Menus().Conditional); (got == 0) != drops {
			t.Errorf("create_drops_conditional=%v: %d conditional menus left", drops, got)
		}
	}
}

// TestEveryErrorHasARequestID walks the error answers the emulator can give
// and checks each ends in WeChat's request id, and that success answers
// carry none.
func TestEveryErrorHasARequestID(t *testing.T) {
	e := newFleetEnv(t)
	tok := e.fetchToken()
	calls := []struct{ method, path, query, body string }{
		{"GET", "/cgi-bin/token", "grant_type=x", ""},
		{"GET", "/cgi-bin/token", "grant_type=client_credential", ""},
		{"GET", "/cgi-bin/token", "grant_type=client_credential&appid=wxnope", ""},
		{"GET", "/cgi-bin/token", "grant_type=client_credential&appid=" + DefaultAppID, ""},
		{"GET", "/cgi-bin/token", "grant_type=client_credential&appid=" + DefaultAppID + "&secret=x", ""},
		{"GET", "/cgi-bin/stable_token", "", ""},
		{"POST", "/cgi-bin/stable_token", "", "{"},
		{"GET", "/cgi-bin/menu/get", "", ""},
		{"GET", "/cgi-bin/menu/get", "access_token=nope", ""},
		{"GET", "/cgi-bin/menu/get", "access_token=" + tok, ""},
		{"GET", "/cgi-bin/menu/create", "access_token=" + tok, ""},
		{"POST", "/cgi-bin/menu/create", "access_token=" + tok, " "},
		{"POST", "/cgi-bin/menu/create", "access_token=" + tok, "\xff"},
		{"POST", "/cgi-bin/menu/create", "access_token=" + tok, "[]"},
		{"POST", "/cgi-bin/menu/create", "access_token=" + tok, `{"button":[]}`},
		{"POST", "/cgi-bin/menu/create", "access_token=" + tok, `{"button":[{"type":"nope","name":"a"}]}`},
		{"POST", "/cgi-bin/menu/create", "access_token=" + tok, `{"button":[{"type":"click","name":"\u0041","key":"k"}]}`},
		{"POST", "/cgi-bin/menu/addconditional", "access_token=" + tok, `{"button":[{"type":"click","name":"a","key":"k"}],"matchrule":{}}`},
		{"POST", "/cgi-bin/menu/delconditional", "access_token=" + tok, `{"menuid":"1"}`},
		{"GET", "/cgi-bin/menu/trymatch", "access_token=" + tok, ""},
		{"POST", "/cgi-bin/menu/trymatch", "access_token=" + tok, `{"user_id":"nobody"}`},
		{"POST", "/cgi-bin/tags/create", "access_token=" + tok, `{"tag":{"name":""}}`},
		{"POST", "/cgi-bin/tags/delete", "access_token=" + tok, `{"tag":{"id":2}}`},
		{"POST", "/cgi-bin/tags/members/batchtagging", "access_token=" + tok, `{"openid_list":[],"tagid":2}`},
		{"POST", "/cgi-bin/component/api_component_token", "", `{"component_appid":"x"}`},
		{"POST", "/cgi-bin/component/api_component_token", "", `{"component_appid":"` + testComponentAppID + `","component_appsecret":"` + testComponentSecret + `","component_verify_ticket":"x"}`},
		{"POST", "/cgi-bin/component/api_authorizer_token", "", `{"component_appid":"` + testComponentAppID + `"}`},
		{"POST", "/cgi-bin/component/api_get_authorizer_list", "component_access_token=x", `{"component_appid":"` + testComponentAppID + `"}`},
		{"POST", "/cgi-bin/component/api_query_auth", "component_access_token=" + e.componentToken(), `{"component_appid":"` + testComponentAppID + `","authorization_code":"x"}`},
	}
	for _, c := range calls {
		q, _ := url.ParseQuery(c.query)
		r := e.do(c.method, c.path, q, c.body)
		var ec errcode
		if err := json.Unmarshal([]byte(r.body), &ec); err != nil || ec.Code == 0 {
			t.Errorf("%s %s?%s %q: not an error answer: %s", c.method, c.path, c.query, c.body, r.body)
			continue
		}
		if !ridSuffix.MatchString(ec.Msg) {
			t.Errorf("%s %s %q: errcode %d errmsg %q has no rid", c.method, c.path, c.body, ec.Code, ec.Msg)
		}
	}
	// Busy faults too.
	e.emu.SetFaults(Faults{BusyRate: 1})
	if r := e.api("menu/get", tok, ""); !ridSuffix.MatchString(r.errcodeRaw(t).Msg) {
		t.Errorf("busy answer has no rid: %s", r.body)
	}
	e.emu.SetFaults(Faults{})
	// Success answers carry no rid.
	if r := e.mustOK("menu/create", tok, `{"button":[{"type":"click","name":"a","key":"k"}]}`); strings.Contains(r.body, "rid") {
		t.Errorf("success with a rid: %s", r.body)
	}
}

func (r response) errcodeRaw(t *testing.T) errcode {
	t.Helper()
	var ec errcode
	if err := json.Unmarshal([]byte(r.body), &ec); err != nil {
		t.Fatalf("not JSON: %s", r.body)
	}
	return ec
}

func TestManyAccountStateRoundTrip(t *testing.T) {
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
	other := emu.Account(otherAppID)
	other.SeedDemo()
	other.SetConsoleMenu(nil)
	emu.SeedMenus(wechat.MenuSet{Default: &wechat.Menu{Buttons: []wechat.Button{{Type: "click", Name: "x", Key: "k"}}}})
	tok := other.IssueToken()
	ticket := emu.Ticket()
	oldRefresh := other.RefreshToken()
	if err := other.SetPlatformFault(61007); err != nil {
		t.Fatal(err)
	}

	data, _ := os.ReadFile(path)
	for _, secret := range []string{tok, ticket, oldRefresh, otherSecret, testComponentSecret} {
		if strings.Contains(string(data), secret) {
			t.Errorf("state file holds a credential")
		}
	}
	restarted, err := Load(path, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(other.Menus(), restarted.Account(otherAppID).Menus()); diff != "" {
		t.Errorf("other account's menus (-saved +loaded):\n%s", diff)
	}
	if diff := cmp.Diff(emu.Menus(), restarted.Menus()); diff != "" {
		t.Errorf("default account's menus (-saved +loaded):\n%s", diff)
	}
	if restarted.Account(otherAppID).RefreshToken() == oldRefresh {
		t.Errorf("refresh token survived a restart (it is never saved)")
	}
	srv := httptest.NewServer(restarted)
	defer srv.Close()
	e := &env{t: t, emu: restarted, srv: srv}
	if got := e.code("menu/get", tok, ""); got != 0 {
		t.Errorf("token handed out before the restart: %d", got)
	}
	// The old ticket is still valid, and the 61007 grant survived.
	r := e.post("component/api_component_token", nil, `{"component_appid":"`+testComponentAppID+
		`","component_appsecret":"`+testComponentSecret+`","component_verify_ticket":"`+ticket+`"}`)
	if !strings.Contains(r.body, "component_access_token") {
		t.Errorf("ticket from before the restart: %s", r.body)
	}
	if !strings.Contains(e.do(http.MethodGet, "/_emulator/state", url.Values{"appid": {otherAppID}}, "").body, `"func_info":[]`) {
		t.Errorf("withdrawn permission set not restored")
	}
}

func TestSeedDemoAll(t *testing.T) {
	e := newEnv(t, Config{Accounts: []AccountConfig{{AppID: otherAppID, Secret: otherSecret}}})
	e.emu.SeedDemoAll()
	for _, id := range e.emu.AppIDs() {
		ac := e.emu.Account(id)
		if got := ac.Menus(); got.Default == nil || len(got.Conditional) != 3 || len(ac.Users()) != 5 {
			t.Errorf("%s: not the demo account: %+v", id, got)
		}
	}
}

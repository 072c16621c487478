package wechattest

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestDailyQuota(t *testing.T) {
	e := newEnv(t, Config{})
	e.emu.SetQuota("menu/get", 2)
	tok := e.emu.IssueToken()

	// Calls that fail authentication do not count.
	e.api("menu/get", "", "")
	e.api("menu/get", "80_bogus", "")
	got := []int{tokenState(e, tok), tokenState(e, tok), tokenState(e, tok)}
	if diff := cmp.Diff([]int{46003, 46003, 45009}, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if ec := e.api("menu/get", tok, "").errcode(t); ec != (errcode{45009, "reach max api daily quota limit"}) {
		t.Errorf("over quota: %+v", ec)
	}
	// Other endpoints have their own counters.
	if got := e.code("menu/delete", tok, ""); got != 0 {
		t.Errorf("menu/delete: errcode %d", got)
	}
	// 10:00 + 13h59m is 23:59 in Shanghai: still the same day.
	e.emu.Advance(13*time.Hour + 59*time.Minute)
	if got := tokenState(e, e.emu.IssueToken()); got != 45009 {
		t.Errorf("23:59: errcode %d, want 45009", got)
	}
	e.emu.Advance(time.Minute)
	if got := tokenState(e, e.emu.IssueToken()); got != 46003 {
		t.Errorf("midnight: errcode %d, want the quota reset", got)
	}
}

func TestDefaultQuotas(t *testing.T) {
	e := newEnv(t, Config{})
	tok := e.emu.IssueToken()
	e.emu.SetQuota("menu/create", 1000)
	body := `{"button":` + oneButton + `}`
	for i := range 1000 {
		if got := e.code("menu/create", tok, body); got != 0 {
			t.Fatalf("create %d: errcode %d", i, got)
		}
	}
	if got := e.code("menu/create", tok, body); got != 45009 {
		t.Errorf("create 1001: errcode %d, want 45009", got)
	}
	fresh := New(Config{})
	if diff := cmp.Diff(map[string]int{
		"menu/create": 1000, "menu/get": 10000, "menu/delete": 1000, "menu/addconditional": 2000,
		"menu/delconditional": 2000, "menu/trymatch": 20000, "get_current_selfmenu_info": 10000,
		"cgi-bin/token": 2000, "cgi-bin/stable_token": 500000,
	}, fresh.a.quotas); diff != "" {
		t.Errorf("default quotas (-want +got):\n%s", diff)
	}
}

func TestQuotaConfigAndRemoval(t *testing.T) {
	e := newEnv(t, Config{Quotas: map[string]int{"menu/get": 1}})
	tok := e.emu.IssueToken()
	if got := []int{tokenState(e, tok), tokenState(e, tok)}; !cmp.Equal([]int{46003, 45009}, got) {
		t.Errorf("configured quota: %v", got)
	}
	e.emu.SetQuota("menu/get", -1)
	if got := tokenState(e, tok); got != 46003 {
		t.Errorf("after removing the limit: errcode %d", got)
	}
	if got := e.code("menu/delete", tok, ""); got != 0 {
		t.Errorf("endpoint without a configured quota: errcode %d", got)
	}
}

func TestTokenQuota(t *testing.T) {
	e := newEnv(t, Config{})
	e.emu.SetQuota("cgi-bin/token", 1)
	e.fetchToken()
	r := e.do("GET", "/cgi-bin/token", map[string][]string{"grant_type": {"client_credential"}, "appid": {DefaultAppID}, "secret": {DefaultSecret}}, "")
	if got := r.errcode(t).Code; got != 45009 {
		t.Errorf("second token call: errcode %d, want 45009", got)
	}
}

func TestCalls(t *testing.T) {
	e := newEnv(t, Config{})
	e.emu.SetQuota("menu/get", 0)
	tok := e.fetchToken()
	e.api("menu/get", tok, "")      // over quota
	e.api("menu/get", "", "")       // no token
	e.api("menu/create", tok, "{")  // bad body
	e.api("menu/trymatch", tok, "") // GET
	e.emu.SetFaults(Faults{BusyRate: 1})
	e.api("menu/delete", tok, "")                                    // busy
	e.do("POST", "/cgi-bin/stable_token", nil, `{"grant_type":"x"}`) // busy
	want := map[string]int{"cgi-bin/token": 1, "menu/get": 2, "menu/create": 1, "menu/trymatch": 1, "menu/delete": 1, "cgi-bin/stable_token": 1}
	if diff := cmp.Diff(want, e.emu.Calls()); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	e.emu.Reset()
	if got := e.emu.Calls(); len(got) != 0 {
		t.Errorf("after Reset: %v", got)
	}
}

package wechattest

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestBusyFault(t *testing.T) {
	e := newEnv(t, Config{})
	tok := e.emu.IssueToken()
	e.emu.SetFaults(Faults{BusyRate: 1})
	for _, ep := range []string{"menu/create", "menu/get"} {
		r := e.api(ep, tok, map[string]string{"menu/create": `{"button":` + oneButton + `}`}[ep])
		if diff := cmp.Diff(errcode{-1, "system error"}, r.errcode(t)); diff != "" || r.status != http.StatusOK {
			t.Errorf("%s: HTTP %d (-want +got):\n%s", ep, r.status, diff)
		}
	}
	if e.emu.Menus().Default != nil {
		t.Errorf("a busy answer took effect")
	}
	r := e.do(http.MethodGet, "/cgi-bin/token", url.Values{"grant_type": {"client_credential"}, "appid": {DefaultAppID}, "secret": {DefaultSecret}}, "")
	if got := r.errcode(t).Code; got != -1 {
		t.Errorf("token call under busy fault: errcode %d", got)
	}
}

func TestBadGatewayFault(t *testing.T) {
	e := newEnv(t, Config{})
	tok := e.emu.IssueToken()
	e.emu.SetFaults(Faults{HTTP502Rate: 1})
	r := e.api("menu/create", tok, `{"button":`+oneButton+`}`)
	if r.status != http.StatusBadGateway || !strings.Contains(r.body, "<html>") || !strings.HasPrefix(r.header.Get("Content-Type"), "text/html") {
		t.Errorf("HTTP %d %q %s", r.status, r.header.Get("Content-Type"), r.body)
	}
	if e.emu.Menus().Default != nil {
		t.Errorf("a 502 answer took effect")
	}
}

func TestDropFault(t *testing.T) {
	e := newEnv(t, Config{})
	tok := e.emu.IssueToken()
	e.emu.SetFaults(Faults{DropRate: 1})

	// Reads are never dropped.
	if got := e.code("menu/get", tok, ""); got != 46003 {
		t.Fatalf("menu/get under drop fault: errcode %d", got)
	}
	for _, c := range []struct{ endpoint, body string }{
		{"menu/create", `{"button":` + oneButton + `}`},
		{"menu/addconditional", `{"button":` + oneButton + `,"matchrule":{"tag_id":"1"}}`},
	} {
		u := e.srv.URL + "/cgi-bin/" + c.endpoint + "?" + url.Values{"access_token": {tok}}.Encode()
		resp, err := e.srv.Client().Post(u, "application/json", strings.NewReader(c.body))
		if err == nil {
			resp.Body.Close()
			t.Errorf("%s: got HTTP %d, want the connection closed", c.endpoint, resp.StatusCode)
		}
	}
	set := e.emu.Menus()
	if set.Default == nil || len(set.Conditional) != 1 {
		t.Errorf("dropped calls did not take effect: %+v", set)
	}
}

func TestDropFaultWithoutHijacker(t *testing.T) {
	emu := New(Config{})
	tok := emu.IssueToken()
	emu.SetFaults(Faults{DropRate: 1})
	rec := httptest.NewRecorder()
	req := httptest.NewRequest(http.MethodPost, "/cgi-bin/menu/create?access_token="+url.QueryEscape(tok), strings.NewReader(`{"button":`+oneButton+`}`))
	emu.ServeHTTP(rec, req)
	if rec.Code != http.StatusGatewayTimeout || rec.Body.Len() != 0 {
		t.Errorf("HTTP %d %q, want an empty 504", rec.Code, rec.Body.String())
	}
	if emu.Menus().Default == nil {
		t.Errorf("the dropped call did not take effect")
	}
}

func TestFaultEndpointFilter(t *testing.T) {
	e := newEnv(t, Config{})
	tok := e.emu.IssueToken()
	e.emu.SetFaults(Faults{BusyRate: 1, Endpoints: []string{"menu/get"}})
	if got := e.code("menu/create", tok, `{"button":`+oneButton+`}`); got != 0 {
		t.Errorf("menu/create outside the filter: errcode %d", got)
	}
	if got := e.code("menu/get", tok, ""); got != -1 {
		t.Errorf("menu/get inside the filter: errcode %d", got)
	}
	e.emu.SetFaults(Faults{})
	if got := e.code("menu/get", tok, ""); got != 0 {
		t.Errorf("after clearing faults: errcode %d", got)
	}
}

func TestFaultsAreSeeded(t *testing.T) {
	pattern := func(seed int64) string {
		emu := New(Config{Seed: seed})
		tok := emu.IssueToken()
		emu.SetFaults(Faults{BusyRate: 0.5})
		var b strings.Builder
		for range 40 {
			rec := httptest.NewRecorder()
			emu.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/cgi-bin/menu/get?access_token="+url.QueryEscape(tok), nil))
			if strings.Contains(rec.Body.String(), `"errcode":-1`) {
				b.WriteByte('x')
			} else {
				b.WriteByte('.')
			}
		}
		return b.String()
	}
	a, again, other := pattern(3), pattern(3), pattern(4)
	if a != again {
		t.Errorf("same seed, different faults:\n%s\n%s", a, again)
	}
	if a == other {
		t.Errorf("different seeds, same faults: %s", a)
	}
	if !strings.Contains(a, "x") || !strings.Contains(a, ".") {
		t.Errorf("rate 0.5 gave %s", a)
	}
}

func TestSetFaultsClamps(t *testing.T) {
	emu := New(Config{})
	emu.SetFaults(Faults{Latency: -time.Second, BusyRate: 2, DropRate: -1, HTTP502Rate: 0.25})
	want := Faults{BusyRate: 1, HTTP502Rate: 0.25}
	if diff := cmp.Diff(want, emu.faults); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func TestLatencyHonoursCancellation(t *testing.T) {
	emu := New(Config{})
	tok := emu.IssueToken()
	emu.SetFaults(Faults{Latency: time.Hour})
	req := httptest.NewRequest(http.MethodGet, "/cgi-bin/menu/get?access_token="+url.QueryEscape(tok), nil)
	ctx, cancel := context.WithCancel(req.Context())
	cancel()
	rec := httptest.NewRecorder()
	emu.ServeHTTP(rec, req.WithContext(ctx)) // returns at once: the caller is gone
	if rec.Body.Len() != 0 {
		t.Errorf("answered a cancelled call: %s", rec.Body.String())
	}
}

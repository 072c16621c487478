package wechattest

import (
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/wxmenu/wxmenu/wechat"
)

func TestSeedMenusKeepsWhatTheAPIRefuses(t *testing.T) {
	emu := New(Config{Seed: 3})
	leaf := func(key string) []wechat.Button {
		return []wechat.Button{{Type: "click", Name: key, Key: key, SubButtons: []wechat.Button{}}}
	}
	emu.SeedMenus(wechat.MenuSet{
		Default: &wechat.Menu{Buttons: leaf("home")},
		// Listed newest first; the given menuids only order them.
		Conditional: []wechat.ConditionalMenu{
			{MenuID: "30", MatchRule: wechat.MatchRule{TagID: "1"}, Buttons: leaf("a")},
			{MenuID: "20", MatchRule: wechat.MatchRule{Sex: "1"}, Buttons: leaf("dead")},
			{MenuID: "10", MatchRule: wechat.MatchRule{TagID: "1"}, Buttons: leaf("a")},
		},
	})
	got := emu.Menus()
	type menu struct {
		Rule wechat.MatchRule
		Key  string
	}
	var order []menu
	for _, m := range got.Conditional {
		order = append(order, menu{m.MatchRule, m.Buttons[0].Key})
	}
	want := []menu{{wechat.MatchRule{TagID: "1"}, "a"}, {wechat.MatchRule{Sex: "1"}, "dead"}, {wechat.MatchRule{TagID: "1"}, "a"}}
	if diff := cmp.Diff(want, order); diff != "" {
		t.Errorf("conditional menus newest first (-want +got):\n%s", diff)
	}
	if got.Default == nil || got.Default.Buttons[0].Key != "home" {
		t.Fatalf("default menu: %+v", got.Default)
	}
	// Fresh ids, growing with publish order, never the ones given.
	for i, m := range got.Conditional {
		if m.MenuID == "10" || m.MenuID == "20" || m.MenuID == "30" {
			t.Errorf("menu %d kept the given menuid %s", i, m.MenuID)
		}
		id, err := strconv.ParseInt(m.MenuID, 10, 64)
		if err != nil {
			t.Fatalf("menuid %q: %v", m.MenuID, err)
		}
		if prev, _ := strconv.ParseInt(got.Conditional[max(i-1, 0)].MenuID, 10, 64); i > 0 && id >= prev {
			t.Errorf("menuid %s listed after %s is not older", m.MenuID, got.Conditional[i-1].MenuID)
		}
	}

	emu.SeedMenus(wechat.MenuSet{Conditional: got.Conditional})
	if after := emu.Menus(); after.Default != nil || len(after.Conditional) != 0 {
		t.Errorf("seeding no default menu left %+v", after)
	}
}

func TestEffectRecorder(t *testing.T) {
	emu := New(Config{Seed: 5})
	rec := NewEffectRecorder(emu)
	srv := httptest.NewServer(rec)
	defer srv.Close()
	tok := emu.IssueToken()
	post := func(endpoint, body string) (string, error) {
		u := srv.URL + "/cgi-bin/" + endpoint + "?" + url.Values{"access_token": {tok}}.Encode()
		resp, err := http.Post(u, "application/json", strings.NewReader(body))
		if err != nil {
			return "", err
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		return string(b), err
	}
	mustPost := func(endpoint, body string) string {
		t.Helper()
		out, err := post(endpoint, body)
		if err != nil {
			t.Fatalf("%s: %v", endpoint, err)
		}
		return out
	}

	mustPost("menu/create", `{"button":`+oneButton+`}`)
	// Refused calls are no effect: busy, and a WeChat rule (65301).
	emu.SetFaults(Faults{BusyRate: 1})
	mustPost("menu/addconditional", `{"button":`+oneButton+`,"matchrule":{"tag_id":"1"}}`)
	emu.SetFaults(Faults{})
	if out := mustPost("menu/delconditional", `{"menuid":"1"}`); !strings.Contains(out, "65301") {
		t.Fatalf("delconditional of an unknown menuid: %s", out)
	}
	// A dropped response still took effect.
	emu.SetFaults(Faults{DropRate: 1})
	if _, err := post("menu/addconditional", `{"button":`+oneButton+`,"matchrule":{"tag_id":"2"}}`); err == nil {
		t.Fatalf("dropped addconditional answered")
	}
	emu.SetFaults(Faults{})
	live := emu.Menus()
	if len(live.Conditional) != 1 {
		t.Fatalf("after the dropped addconditional: %d conditional menus", len(live.Conditional))
	}
	created := live.Conditional[0].MenuID
	mustPost("menu/addconditional", `{"button":`+oneButton+`,"matchrule":{"tag_id":"3"}}`)
	second := emu.Menus().Conditional[0].MenuID
	mustPost("menu/delconditional", `{"menuid":"`+created+`"}`)
	// Reads pass through unrecorded.
	resp, err := http.Get(srv.URL + "/cgi-bin/menu/get?" + url.Values{"access_token": {tok}}.Encode())
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	resp, err = http.Get(srv.URL + "/cgi-bin/menu/delete?" + url.Values{"access_token": {tok}}.Encode())
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	// Deleting an empty account changes nothing.
	resp, err = http.Get(srv.URL + "/cgi-bin/menu/delete?" + url.Values{"access_token": {tok}}.Encode())
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()

	effects := rec.Effects()
	if len(effects) != 5 {
		t.Fatalf("got %d effects, want 5: %+v", len(effects), effects)
	}
	effects[0].Created = "" // the default menu's id is not reported by menu/get
	want := []Effect{
		{Endpoint: "menu/create"},
		{Endpoint: "menu/addconditional", Created: created},
		{Endpoint: "menu/addconditional", Created: second},
		{Endpoint: "menu/delconditional", Removed: []string{created}},
		{Endpoint: "menu/delete", Removed: []string{second}},
	}
	if diff := cmp.Diff(want, effects); diff != "" {
		t.Errorf("effects (-want +got):\n%s", diff)
	}
	wantCounts := map[string]int{"menu/create": 1, "menu/addconditional": 2, "menu/delconditional": 1, "menu/delete": 1}
	counts := map[string]int{}
	for _, eff := range rec.Effects() {
		counts[eff.Endpoint]++
	}
	if diff := cmp.Diff(wantCounts, counts); diff != "" {
		t.Errorf("effect counts (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{created, second}, rec.Removed()); diff != "" {
		t.Errorf("removed menuids (-want +got):\n%s", diff)
	}
	if got := emu.Calls()["menu/addconditional"]; got != 3 {
		t.Errorf("menu/addconditional received %d calls, want 3", got)
	}
}

package wechattest

import (
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/wxmenu/wxmenu/wechat"
)

func TestStateRoundTrip(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sandbox.json")
	clock := func() time.Time { return testStart }
	emu, err := Load(path, Config{Now: clock, Seed: 9})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(emu)
	e := &env{t: t, emu: emu, srv: srv}
	emu.SeedDemo()
	emu.SetQuota("menu/get", 3)
	tok := e.fetchToken()
	stable := e.stable(false).AccessToken
	e.addConditional(tok, `[{"type":"view","name":"v","url":"https://x.example/?a=1&b=2"}]`, `{"tag_id":"7"}`)
	e.api("menu/get", tok, "")
	emu.Advance(time.Hour)
	srv.Close()

	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("state was not saved automatically: %v", err)
	}
	for _, secret := range []string{tok, stable, DefaultSecret} {
		if strings.Contains(string(data), secret) {
			t.Errorf("state file contains a credential")
		}
	}

	// A restarted sandbox: same menus, users, tokens, quota use and clock.
	restarted, err := Load(path, Config{Now: clock, Seed: 9, Quotas: map[string]int{"menu/get": 3}})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(emu.Menus(), restarted.Menus()); diff != "" {
		t.Errorf("menus (-saved +loaded):\n%s", diff)
	}
	if diff := cmp.Diff(emu.a.Users, restarted.a.Users); diff != "" {
		t.Errorf("users (-saved +loaded):\n%s", diff)
	}
	srv2 := httptest.NewServer(restarted)
	defer srv2.Close()
	e2 := &env{t: t, emu: restarted, srv: srv2}
	got := []int{tokenState(e2, tok), tokenState(e2, stable), tokenState(e2, tok)}
	// menu/get was called once before: two more fit in the quota of 3.
	if diff := cmp.Diff([]int{0, 0, 45009}, got); diff != "" {
		t.Errorf("tokens and quota after restart (-want +got):\n%s", diff)
	}
	if d := restarted.now().Sub(testStart); d != time.Hour {
		t.Errorf("clock offset after restart: %v", d)
	}
	// Ids keep increasing across restarts.
	last := restarted.lastMenuID
	id, err := strconv.ParseInt(e2.addConditional(tok, oneButton, `{"tag_id":"8"}`), 10, 64)
	if err != nil || id <= last {
		t.Errorf("new menuid %d after restart, last was %d", id, last)
	}
	if names, code := e2.tryMatch(tok, "o_demo_vip"); code != 0 || len(names) != 2 {
		t.Errorf("trymatch after restart: %v %d", names, code)
	}
}

func TestLoadMissingFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "none.json")
	emu, err := Load(path, Config{})
	if err != nil {
		t.Fatal(err)
	}
	if emu.Menus().Default != nil {
		t.Errorf("empty load has menus")
	}
	if _, err := os.Stat(path); err == nil {
		t.Errorf("Load created the file before any change")
	}
	emu.AddUser(User{OpenID: "u"})
	if _, err := os.Stat(path); err != nil {
		t.Errorf("AddUser did not save: %v", err)
	}
}

func TestLoadErrors(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		name, content, want string
	}{
		{"garbage", "not json", "1:2: not a state file: invalid character"},
		{"unknown version", `{"version":3}`, "unsupported version 3 (want 1 or 2)"},
		{"no version", `{"users":[]}`, "unsupported version 0 (want 1 or 2)"},
		{"bad id source", `{"version":1,"id_source":"AAAA"}`, "bad id_source"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(dir, tt.name+".json")
			if err := os.WriteFile(path, []byte(tt.content), 0o600); err != nil {
				t.Fatal(err)
			}
			_, err := Load(path, Config{})
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %v, want it to mention %q", err, tt.want)
			}
		})
	}
	if _, err := Load(dir, Config{}); err == nil {
		t.Errorf("loading a directory succeeded")
	}
}

func TestSaveIsAtomic(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "state.json")
	emu := New(Config{})
	emu.SeedDemo()
	for range 3 {
		if err := emu.Save(path); err != nil {
			t.Fatal(err)
		}
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 1 || entries[0].Name() != "state.json" {
		t.Errorf("directory holds %v, want only state.json", entries)
	}
	if err := emu.Save(filepath.Join(dir, "missing", "state.json")); err == nil {
		t.Errorf("Save into a missing directory succeeded")
	}
}

// saveFailureView is what a call made while the state could not be saved
// left behind.
type saveFailureView struct {
	Errcodes       []int // menu/create, menu/addconditional, stable_token
	HasMenu        bool
	Tokens         int // tokens the emulator knows
	CreateQuotaUse int
}

// TestSaveFailureUndoesTheCall: a call whose change cannot be saved is
// undone before it is answered -1 "system busy", so that -1 keeps meaning
// "no effect" and a client that retries once the disk recovers applies the
// change exactly once.
func TestSaveFailureUndoesTheCall(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "gone")
	path := filepath.Join(dir, "state.json")
	e := newEnv(t, Config{StatePath: path})
	tok := e.emu.IssueToken() // kept in memory although its save fails
	create := `{"button":` + oneButton + `}`
	addConditional := `{"button":` + oneButton + `,"matchrule":{"tag_id":"2"}}`
	stableBody := `{"grant_type":"client_credential","appid":"` + DefaultAppID + `","secret":"` + DefaultSecret + `"}`
	view := func() saveFailureView {
		v := saveFailureView{Errcodes: []int{
			e.code("menu/create", tok, create),
			e.code("menu/addconditional", tok, addConditional),
			e.do(http.MethodPost, "/cgi-bin/stable_token", nil, stableBody).errcode(t).Code,
		}}
		e.emu.mu.Lock()
		defer e.emu.mu.Unlock()
		v.HasMenu = e.emu.a.DefaultMenu != nil
		v.Tokens = len(e.emu.a.Tokens)
		v.CreateQuotaUse = e.emu.a.QuotaUsed["menu/create"]
		return v
	}

	// stable_token changes only tokens, which are saved with the next
	// change: it is answered, its token kept in memory.
	failing := saveFailureView{Errcodes: []int{-1, -1, 0}, HasMenu: false, Tokens: 2, CreateQuotaUse: 0}
	if diff := cmp.Diff(failing, view()); diff != "" {
		t.Errorf("while the state cannot be saved (-want +got):\n%s", diff)
	}
	if body := e.control("GET", "state", ""); !strings.Contains(body, `"save_error"`) {
		t.Errorf("state view does not report the save error: %s", body)
	}

	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	recovered := saveFailureView{Errcodes: []int{0, 0, 0}, HasMenu: true, Tokens: 2, CreateQuotaUse: 1}
	if diff := cmp.Diff(recovered, view()); diff != "" {
		t.Errorf("once the state can be saved (-want +got):\n%s", diff)
	}
	saved, err := Load(path, Config{})
	if err != nil {
		t.Fatal(err)
	}
	if got := saved.Menus(); got.Default == nil || len(got.Conditional) != 1 {
		t.Errorf("saved state holds %+v, want the default menu and one conditional menu", got)
	}
}

func TestLoadRefusesBrokenStates(t *testing.T) {
	menu := func(id int) string {
		return `{"menuid":` + strconv.Itoa(id) + `,"button":[{"type":"click","name":"a","key":"k"}]}`
	}
	v1 := func(fields string) string { return `{"version":1,"last_menu_id":500,` + fields + `}` }
	tests := []struct {
		name, content, want string
	}{
		{"duplicate menuid", v1(`"default_menu":` + menu(7) + `,"conditional_menus":[` + menu(8) + `,` + menu(8) + `]`),
			"top level: conditional_menus[1]: menuid 8 is already used by top level conditional_menus[0]"},
		{"negative menuid", v1(`"default_menu":` + menu(-3)), "top level: default_menu: menuid -3 is not positive"},
		{"counter below ids", `{"version":1,"last_menu_id":5,"default_menu":` + menu(7) + `}`, "last_menu_id 5 is below menuid 7"},
		{"menu without buttons", v1(`"default_menu":{"menuid":7,"button":[]}`), "default_menu has no buttons"},
		{"conditional without buttons", v1(`"default_menu":` + menu(7) + `,"conditional_menus":[{"menuid":9,"button":[],"matchrule":{"tag_id":"2"}}]`), "conditional_menus[0] has no buttons"},
		{"conditional without default", v1(`"conditional_menus":[` + menu(9) + `]`), "conditional_menus without a default_menu"},
		{"user without openid", v1(`"users":[{"tag_ids":["2"]}]`), "users[0] has no openid"},
		{"duplicate tag", v1(`"last_tag_id":101,"tags":[{"id":101,"name":"a"},{"id":101,"name":"b"}]`), "tags[1]: id 101 appears twice"},
		{"tag counter below ids", v1(`"last_tag_id":100,"tags":[{"id":101,"name":"a"}]`), "last_tag_id 100 is below tag id 101"},
		{"menuid shared across accounts", `{"version":2,"last_menu_id":500,"accounts":[{"appid":"wxa","default_menu":` + menu(7) + `},{"appid":"wxb","default_menu":` + menu(7) + `}]}`,
			"accounts[1] (wxb): default_menu: menuid 7 is already used by accounts[0] (wxa) default_menu"},
		{"duplicate account", `{"version":2,"accounts":[{"appid":"wxa"},{"appid":"wxa"}]}`, "accounts[1]: appid wxa appears twice"},
		{"account without appid", `{"version":2,"accounts":[{}]}`, "accounts[0]: appid is missing"},
		{"v2 with top-level menus", `{"version":2,"last_menu_id":9,"default_menu":` + menu(7) + `}`, `version 2 keeps accounts under "accounts"`},
		{"unknown field", `{"version":1,"menus":[]}`, `1:14: not a state file: unknown field "menus"`},
		{"bad JSON located", "{\"version\":1,\n  \"users\": [}\n", "2:13: not a state file: invalid character '}'"},
		{"wrong type located", "{\"version\":1,\n\"last_menu_id\":\"x\"}", "2:18: not a state file: last_menu_id must be a JSON int64, not string"},
		{"truncated", `{"version":1,"users":[`, "1:23: not a state file: unexpected end of JSON input"},
		{"empty", ``, "not a state file: empty"},
	}
	dir := t.TempDir()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(dir, strings.ReplaceAll(tt.name, " ", "_")+".json")
			if err := os.WriteFile(path, []byte(tt.content), 0o600); err != nil {
				t.Fatal(err)
			}
			_, err := Load(path, Config{})
			if err == nil {
				t.Fatalf("loaded a broken state")
			}
			if !strings.Contains(err.Error(), tt.want) || !strings.HasPrefix(err.Error(), "read emulator state "+path) {
				t.Errorf("error %q, want it to start with the path and mention %q", err, tt.want)
			}
		})
	}
}

// TestLoadsVersion1Files loads a state file written by the single-account
// emulator before the state file knew more accounts (testdata/state_v1.json:
// SeedDemo plus one addconditional).
func TestLoadsVersion1Files(t *testing.T) {
	dir := t.TempDir()
	data, err := os.ReadFile(filepath.Join("testdata", "state_v1.json"))
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "state.json")
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	emu, err := Load(path, Config{Accounts: []AccountConfig{{AppID: "wxsecond", Secret: "s"}}})
	if err != nil {
		t.Fatal(err)
	}
	got := emu.Menus()
	if got.Default == nil || len(got.Conditional) != 4 || got.Conditional[0].MatchRule.TagID != "7" || len(emu.Default().Users()) != 5 {
		t.Fatalf("version 1 state not restored: %+v", got)
	}
	// New menuids keep growing past the saved ones.
	last, _ := strconv.ParseInt(got.Conditional[0].MenuID, 10, 64)
	emu.Account("wxsecond").SeedMenus(got)
	next, _ := strconv.ParseInt(emu.Account("wxsecond").Menus().Default.MenuID, 10, 64)
	if next <= last {
		t.Errorf("menuid %d after a restart is not above %d", next, last)
	}
	// With a second account the file is saved as version 2 and loads again.
	if _, err := Load(path, Config{Accounts: []AccountConfig{{AppID: "wxsecond", Secret: "s"}}}); err != nil {
		t.Fatal(err)
	}
	saved, _ := os.ReadFile(path)
	if !strings.Contains(string(saved), `"version":2`) {
		t.Errorf("fleet state not saved as version 2")
	}
}

// TestSaveFailureUndoesOnlyTheCall: in a fleet, the undo of a call whose
// change cannot be saved restores the account the call changed and leaves
// the others as they are.
func TestSaveFailureUndoesOnlyTheCall(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "gone")
	cfg := fleetConfig(3)
	cfg.StatePath = filepath.Join(dir, "state.json")
	e := newEnv(t, cfg)
	ids := e.emu.AppIDs()
	tok := e.emu.Account(ids[1]).IssueToken() // kept in memory although its save fails
	other := e.emu.Account(ids[2])
	other.SeedMenus(wechat.MenuSet{Default: &wechat.Menu{Buttons: []wechat.Button{{Type: "click", Name: "x", Key: "x"}}}})
	create := `{"button":` + oneButton + `}`
	if got := e.code("menu/create", tok, create); got != wechat.CodeSystemBusy {
		t.Fatalf("menu/create without a state directory answered %d, want -1", got)
	}
	if m := e.emu.Account(ids[1]).Menus(); m.Default != nil {
		t.Errorf("the refused menu/create took effect: %+v", m.Default)
	}
	if m := other.Menus(); m.Default == nil || m.Default.Buttons[0].Name != "x" {
		t.Errorf("the undo changed another account: %+v", m.Default)
	}
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	e.mustOK("menu/create", tok, create)
}

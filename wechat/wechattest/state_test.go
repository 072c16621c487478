package wechattest

import (
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
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
	if diff := cmp.Diff(emu.users, restarted.users); diff != "" {
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
		{"garbage", "not json", "not a state file"},
		{"unknown version", `{"version":2}`, "unsupported version 2 (want 1)"},
		{"no version", `{"users":[]}`, "unsupported version 0 (want 1)"},
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

func TestSaveFailureAnswersSystemError(t *testing.T) {
	path := filepath.Join(t.TempDir(), "gone", "state.json")
	e := newEnv(t, Config{StatePath: path})
	tok := e.emu.IssueToken()
	if got := e.code("menu/get", tok, ""); got != -1 {
		t.Errorf("errcode %d, want -1 when the state cannot be saved", got)
	}
	if body := e.control("GET", "state", ""); !strings.Contains(body, `"save_error"`) {
		t.Errorf("state view does not report the save error: %s", body)
	}
}

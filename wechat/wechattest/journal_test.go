package wechattest

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/wxmenu/wxmenu/wechat"
)

// journalEnv is a fleet of n accounts saved at path, seeded with the demo
// menus (one whole save), with a token per account.
func journalEnv(t *testing.T, path string, n int) (*env, []string) {
	t.Helper()
	cfg := fleetConfig(n)
	cfg.StatePath = path
	e := newEnv(t, cfg)
	e.emu.SeedDemoAll()
	var tokens []string
	for _, id := range e.emu.AppIDs() {
		tokens = append(tokens, e.emu.Account(id).IssueToken())
	}
	return e, tokens
}

// allMenus is every account's menus, as menu/get reports them.
func allMenus(emu *Emulator) map[string]wechat.MenuSet {
	out := map[string]wechat.MenuSet{}
	for _, id := range emu.AppIDs() {
		out[id] = emu.Account(id).Menus()
	}
	return out
}

func loadFleet(t *testing.T, path string, n int) *Emulator {
	t.Helper()
	cfg := fleetConfig(n)
	cfg.Now = func() time.Time { return testStart } // as newEnv's, so tokens stay valid
	emu, err := Load(path, cfg)
	if err != nil {
		t.Fatal(err)
	}
	return emu
}

// TestJournalRoundTrip: changes go to the journal, not the state file;
// Load replays them; Close folds them into the state file alone.
func TestJournalRoundTrip(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sandbox.json")
	e, tokens := journalEnv(t, path, 3)
	before, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	e.mustOK("menu/create", tokens[1], `{"button":`+oneButton+`}`)
	e.mustOK("menu/addconditional", tokens[1], `{"button":`+oneButton+`,"matchrule":{"tag_id":"2"}}`)
	e.mustOK("menu/delete", tokens[2], "")
	want := allMenus(e.emu)

	if after, _ := os.ReadFile(path); !bytes.Equal(before, after) {
		t.Errorf("a change rewrote the state file; it belongs in the journal")
	}
	if diff := cmp.Diff(want, allMenus(loadFleet(t, path, 3))); diff != "" {
		t.Errorf("state file and journal loaded (-want +got):\n%s", diff)
	}
	// A token handed out before the restart still works: token changes are
	// saved with the next change.
	reloaded := loadFleet(t, path, 3)
	srv := httptest.NewServer(reloaded)
	defer srv.Close()
	r := (&env{t: t, emu: reloaded, srv: srv}).api("menu/get", tokens[1], "")
	if ec := r.errcode(t); ec.Code != 0 {
		t.Errorf("menu/get with a token from before the restart: %s", r.body)
	}

	if err := e.emu.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(JournalPath(path)); !os.IsNotExist(err) {
		t.Errorf("Close left the journal: %v", err)
	}
	if diff := cmp.Diff(want, allMenus(loadFleet(t, path, 3))); diff != "" {
		t.Errorf("state file after Close (-want +got):\n%s", diff)
	}
}

// TestJournalTornLastLine: a kill in the middle of an append leaves the
// last line without its newline. That call was never answered; Load gives
// the state of the last answered change, and the next change replaces the
// torn line.
func TestJournalTornLastLine(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sandbox.json")
	e, tokens := journalEnv(t, path, 3)
	e.mustOK("menu/create", tokens[0], `{"button":`+oneButton+`}`)
	e.mustOK("menu/delete", tokens[2], "")
	answered := allMenus(e.emu)
	journal, err := os.ReadFile(JournalPath(path))
	if err != nil {
		t.Fatal(err)
	}
	// The change the kill interrupted: its entry, cut in the middle.
	e.mustOK("menu/create", tokens[1], `{"button":[{"type":"click","name":"lost","key":"L"}]}`)
	grown, err := os.ReadFile(JournalPath(path))
	if err != nil {
		t.Fatal(err)
	}
	entry := grown[len(journal):]
	torn := append(bytes.Clone(journal), entry[:len(entry)/2]...)
	if err := os.WriteFile(JournalPath(path), torn, 0o600); err != nil {
		t.Fatal(err)
	}

	loaded := loadFleet(t, path, 3)
	if diff := cmp.Diff(answered, allMenus(loaded)); diff != "" {
		t.Fatalf("loaded after a torn append (-want the last answered state +got):\n%s", diff)
	}
	// The loaded emulator appends after the last whole line.
	srv := httptest.NewServer(loaded)
	defer srv.Close()
	le := &env{t: t, emu: loaded, srv: srv}
	le.mustOK("menu/create", tokens[2], `{"button":`+oneButton+`}`)
	want := allMenus(loaded)
	if diff := cmp.Diff(want, allMenus(loadFleet(t, path, 3))); diff != "" {
		t.Errorf("loaded after an append over the torn line (-want +got):\n%s", diff)
	}
}

// TestJournalErrors: a whole line that is not an entry is refused with the
// journal's line and column; a journal of another state file (left by a
// crash between compaction and its removal) is ignored.
func TestJournalErrors(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "sandbox.json")
	e, tokens := journalEnv(t, path, 2)
	e.mustOK("menu/create", tokens[0], `{"button":`+oneButton+`}`)
	good, err := os.ReadFile(JournalPath(path))
	if err != nil {
		t.Fatal(err)
	}
	for name, tc := range map[string]struct{ journal, want string }{
		"bad JSON":      {string(good) + `{"version":2,` + "\n", "sandbox.json.journal:3:14: not a state file: unexpected end of JSON input"},
		"unknown field": {string(good) + `{"version":2,"colour":1}` + "\n", `sandbox.json.journal:3:14: not a state file: unknown field "colour"`},
		"bad content":   {string(good) + `{"version":2,"accounts":[{"appid":""}]}` + "\n", "sandbox.json.journal:3: accounts[0]: appid is missing"},
		"version 1":     {string(good) + `{"version":1}` + "\n", "sandbox.json.journal:3: an entry must be version 2, not 1"},
		"bad header":    {`{"journal":2}` + "\n", "sandbox.json.journal:1: unsupported journal version 2"},
	} {
		if err := os.WriteFile(JournalPath(path), []byte(tc.journal), 0o600); err != nil {
			t.Fatal(err)
		}
		_, err := Load(path, fleetConfig(2))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: Load: %v, want an error containing %q", name, err, tc.want)
		}
	}

	// A stale journal: the state file was compacted after it.
	if err := os.WriteFile(JournalPath(path), good, 0o600); err != nil {
		t.Fatal(err)
	}
	e.mustOK("menu/delete", tokens[0], "")
	if err := e.emu.Close(); err != nil {
		t.Fatal(err)
	}
	want := allMenus(e.emu)
	if err := os.WriteFile(JournalPath(path), good, 0o600); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, allMenus(loadFleet(t, path, 2))); diff != "" {
		t.Errorf("a stale journal was replayed (-want +got):\n%s", diff)
	}
}

// TestJournalFailureUndoesTheCall: a change whose journal entry cannot be
// written is undone and answered -1; the next change writes the whole
// state, so -1 keeps meaning "no effect".
func TestJournalFailureUndoesTheCall(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sandbox.json")
	e, tokens := journalEnv(t, path, 2)
	// A directory where the journal goes: no entry can be written.
	if err := os.MkdirAll(filepath.Join(JournalPath(path), "blocker"), 0o700); err != nil {
		t.Fatal(err)
	}
	if got := e.code("menu/create", tokens[0], `{"button":`+oneButton+`}`); got != wechat.CodeSystemBusy {
		t.Fatalf("menu/create with an unwritable journal answered %d, want -1", got)
	}
	if m := e.emu.Account(e.emu.AppIDs()[0]).Menus(); m.Default == nil || m.Default.Buttons[0].Name == "n" {
		t.Errorf("the refused menu/create took effect: %+v", m.Default)
	}
	// The next change is saved whole, in the state file.
	e.mustOK("menu/delete", tokens[1], "")
	if got := e.code("menu/create", tokens[0], `{"button":`+oneButton+`}`); got != wechat.CodeSystemBusy {
		t.Fatalf("menu/create with an unwritable journal answered %d, want -1", got)
	}
	want := allMenus(e.emu)
	if err := os.RemoveAll(JournalPath(path)); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, allMenus(loadFleet(t, path, 2))); diff != "" {
		t.Errorf("saved state (-want +got):\n%s", diff)
	}
}

// TestApplyCostIsFlat applies a menu to every account of fleets of 2,500
// and 10,000 accounts kept in a state file, over real HTTP, as a --sandbox
// apply does (a token per account, then its changes). What a change costs,
// in bytes written and memory allocated, must not grow with the number of
// accounts, as a whole-state copy and save per change made it grow. Nothing
// is timed; the figures are logged.
func TestApplyCostIsFlat(t *testing.T) {
	if testing.Short() || raceDetector {
		t.Skip("applies 12,500 accounts; run it without -short and -race (.ci/run does)")
	}
	type cost struct{ bytes, alloc float64 }
	costs := map[int]cost{}
	for _, n := range []int{2500, 10000} {
		cfg := fleetConfig(n)
		cfg.StatePath = filepath.Join(t.TempDir(), "sandbox.json")
		emu := New(cfg)
		emu.SeedDemoAll()
		srv := httptest.NewServer(emu)
		client := srv.Client()
		call := func(method, path string, q url.Values, body string) string {
			req, err := http.NewRequest(method, srv.URL+path+"?"+q.Encode(), strings.NewReader(body))
			if err != nil {
				t.Fatal(err)
			}
			resp, err := client.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			var b bytes.Buffer
			b.ReadFrom(resp.Body)
			return b.String()
		}
		var tokens []string
		for _, id := range emu.AppIDs() {
			secret := "s"
			if id == DefaultAppID {
				secret = DefaultSecret
			}
			body := call(http.MethodGet, "/cgi-bin/token", url.Values{"grant_type": {"client_credential"}, "appid": {id}, "secret": {secret}}, "")
			tok, _, _ := strings.Cut(strings.TrimPrefix(body, `{"access_token":"`), `"`)
			tokens = append(tokens, tok)
		}
		emu.mu.Lock()
		wroteBefore := emu.journal.wrote
		emu.mu.Unlock()
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		mutations := 0
		for _, tok := range tokens {
			q := url.Values{"access_token": {tok}}
			for _, c := range []struct{ path, body string }{
				{"/cgi-bin/menu/create", `{"button":` + oneButton + `}`},
				{"/cgi-bin/menu/addconditional", `{"button":` + oneButton + `,"matchrule":{"tag_id":"2"}}`},
			} {
				if body := call(http.MethodPost, c.path, q, c.body); !strings.Contains(body, `"errcode":0`) && !strings.Contains(body, `"menuid"`) {
					t.Fatalf("%d accounts: %s: %s", n, c.path, body)
				}
				mutations++
			}
		}
		runtime.ReadMemStats(&after)
		srv.Close()
		emu.mu.Lock()
		wrote := emu.journal.wrote - wroteBefore
		emu.mu.Unlock()
		costs[n] = cost{float64(wrote) / float64(mutations), float64(after.TotalAlloc-before.TotalAlloc) / float64(mutations)}
		t.Logf("%d accounts: %d changes, %.0f bytes written and %.1f KiB allocated per change", n, mutations, costs[n].bytes, costs[n].alloc/1024)
	}
	if r := costs[10000].bytes / costs[2500].bytes; r > 2 {
		t.Errorf("bytes written per change grew %.1f× from 2,500 to 10,000 accounts (a whole-state save per change grows 4×), want at most 2×", r)
	}
	if r := costs[10000].alloc / costs[2500].alloc; r > 2 {
		t.Errorf("memory allocated per change grew %.1f× from 2,500 to 10,000 accounts (a whole-state copy per change grows 4×), want at most 2×", r)
	}
}

package main

import (
	"bytes"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/wxmenu/wxmenu/wechat/wechattest"
)

// runCLI runs wxmenu in-process and returns its exit code and output.
func runCLI(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errw bytes.Buffer
	code = run(append([]string{"wxmenu"}, args...), strings.NewReader(""), &out, &errw)
	return code, out.String(), errw.String()
}

// TestBadInputCorpusThroughCLI runs validate on every file of the bad-input
// corpus: each exits 1 with located `wxmenu: error:` lines naming the file,
// and none panics. The messages themselves are golden-tested in reconcile.
func TestBadInputCorpusThroughCLI(t *testing.T) {
	files, _ := filepath.Glob("testdata/bad/*.yaml")
	if len(files) < 40 {
		t.Fatalf("the bad-input corpus has %d files, want at least 40", len(files))
	}
	for _, f := range files {
		code, stdout, stderr := runCLI(t, "validate", "-f", f)
		if code != 1 {
			t.Errorf("%s: exit %d, want 1", f, code)
		}
		if stdout != "" {
			t.Errorf("%s: unexpected stdout %q", f, stdout)
		}
		first, _, _ := strings.Cut(stderr, "\n")
		if !strings.HasPrefix(first, "wxmenu: error: "+f+":") {
			t.Errorf("%s: first line %q does not locate the problem in the file", f, first)
		}
		if strings.Contains(stderr, "panic") || strings.Contains(stderr, "goroutine") {
			t.Errorf("%s: %s", f, stderr)
		}
	}
}

// TestCallsSpent checks the API calls each command makes, counted by the
// emulator: plan reads menu/get once (plus one token fetch); apply of a
// saved plan reads once before and once after and makes exactly the calls
// the plan lists; a drift check makes no mutating call.
func TestCallsSpent(t *testing.T) {
	emu := wechattest.New(wechattest.Config{Seed: 3})
	emu.SeedDemo()
	srv := httptest.NewServer(emu)
	defer srv.Close()
	dir := t.TempDir()
	t.Setenv("XDG_STATE_HOME", filepath.Join(dir, "state"))
	t.Setenv("WECHAT_APPID", wechattest.DefaultAppID)
	t.Setenv("WECHAT_APPSECRET", wechattest.DefaultSecret)
	t.Setenv("WECHAT_API_BASE", srv.URL)
	t.Setenv("WECHAT_ACCESS_TOKEN", "")
	menus := filepath.Join("examples", "basic", "menus.yaml")
	plan := filepath.Join(dir, "plan.json")

	calls := func(f func()) map[string]int {
		before := emu.Calls()
		f()
		delta := map[string]int{}
		for k, v := range emu.Calls() {
			if d := v - before[k]; d != 0 {
				delta[k] = d
			}
		}
		return delta
	}
	expect := func(want int, args ...string) {
		t.Helper()
		if code, out, errOut := runCLI(t, args...); code != want {
			t.Fatalf("wxmenu %s: exit %d, want %d\n%s%s", strings.Join(args, " "), code, want, out, errOut)
		}
	}

	got := calls(func() { expect(2, "plan", "-f", menus, "--out", plan, "--detailed-exitcode") })
	if diff := cmp.Diff(map[string]int{"cgi-bin/stable_token": 1, "menu/get": 1}, got); diff != "" {
		t.Errorf("plan calls (-want +got):\n%s", diff)
	}
	got = calls(func() { expect(0, "apply", plan) })
	want := map[string]int{
		"cgi-bin/stable_token": 1, "menu/get": 2,
		"menu/create": 1, "menu/addconditional": 1, "menu/delconditional": 2,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("apply calls (-want +got):\n%s", diff)
	}
	// Drift check on a converged account, and a stale apply: reads only.
	got = calls(func() {
		expect(0, "plan", "-f", menus, "--detailed-exitcode")
		expect(3, "apply", plan)
	})
	if diff := cmp.Diff(map[string]int{"cgi-bin/stable_token": 2, "menu/get": 2}, got); diff != "" {
		t.Errorf("drift check and stale apply calls (-want +got):\n%s", diff)
	}
	if _, err := os.Stat(plan); err != nil {
		t.Fatal(err)
	}

	got = calls(func() { expect(0, "plan", "--legacy-token", "-f", menus) })
	if diff := cmp.Diff(map[string]int{"cgi-bin/token": 1, "menu/get": 1}, got); diff != "" {
		t.Errorf("plan --legacy-token calls (-want +got):\n%s", diff)
	}

	// apply -f --auto-approve plans and applies on one read before the
	// steps, and one after.
	emu.SeedDemo()
	got = calls(func() { expect(0, "apply", "-f", menus, "--auto-approve") })
	want["cgi-bin/stable_token"] = 1
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("apply -f calls (-want +got):\n%s", diff)
	}
}

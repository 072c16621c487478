package main

import (
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestPlanRefusesDuplicateMenuID: when WeChat's menu/get answer (served
// over HTTP from testdata/api) gives two conditional menus one menuid,
// plan fails on the read, naming the menuid, and prints no plan: it never
// plans against an answer it cannot trust.
func TestPlanRefusesDuplicateMenuID(t *testing.T) {
	answer, err := os.ReadFile(filepath.Join("testdata", "api", "menu_get_duplicate_menuid.json"))
	if err != nil {
		t.Fatal(err)
	}
	var paths []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		paths = append(paths, r.URL.Path)
		if r.URL.Path != "/cgi-bin/menu/get" {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "application/json; encoding=utf-8")
		w.Write(answer)
	}))
	t.Cleanup(srv.Close)
	t.Setenv("XDG_STATE_HOME", t.TempDir())
	t.Setenv("WECHAT_APPID", "wx1234567890abcdef")
	t.Setenv("WECHAT_ACCESS_TOKEN", "token-0123456789")
	code, stdout, stderr := runCLI(t, "plan", "-f", "examples/basic/menus.yaml", "--api-base", srv.URL)
	if code != 1 {
		t.Errorf("exit %d, want 1\n%s%s", code, stdout, stderr)
	}
	if stdout != "" {
		t.Errorf("a plan was printed:\n%s", stdout)
	}
	first, _, _ := strings.Cut(stderr, "\n")
	if !strings.HasPrefix(first, "wxmenu: error: reading the account: ") || !strings.Contains(first, "conditionalmenu[1] has menuid 422685155, the same as conditionalmenu[0]") {
		t.Errorf("the error does not name the duplicate menuid:\n%s", stderr)
	}
	if strings.Contains(stderr, "credentials") || !strings.Contains(stderr, "hint: the read reached WeChat") {
		t.Errorf("the hint blames credentials or the network, or is missing:\n%s", stderr)
	}
	if strings.Contains(stderr, "token-0123456789") {
		t.Errorf("the error shows the access token:\n%s", stderr)
	}
	for _, p := range paths {
		if p != "/cgi-bin/menu/get" {
			t.Errorf("plan called %s", p)
		}
	}
}

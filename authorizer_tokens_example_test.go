package main

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/wxmenu/wxmenu/wechat/wechattest"
)

// TestAuthorizerTokensExample runs examples/fleet/authorizers.yaml, whose
// bin/authorizer-tokens asks the team's token service for the platform
// accounts' tokens, against the emulator and a token service on loopback
// that hands out the emulator's tokens: one request for the run, the
// appids as its body, the key in its header; no token in wxmenu's output.
func TestAuthorizerTokensExample(t *testing.T) {
	const (
		clientA = "wx0123456789abcdef"
		key     = "tsk-authorizer-test-key-0123456789"
	)
	emu := wechattest.New(wechattest.Config{Seed: 3,
		Accounts: []wechattest.AccountConfig{{AppID: clientA, Secret: "client-a-secret-never-used-0123"}},
		Platform: &wechattest.PlatformConfig{ComponentAppID: "wxfedcba9876543210", ComponentSecret: "component-secret-never-used-01"},
	})
	emu.SeedDemoAll()
	api := httptest.NewServer(emu)
	t.Cleanup(api.Close)

	var (
		mu       sync.Mutex
		requests []string
		issued   []string
	)
	service := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		mu.Lock()
		defer mu.Unlock()
		requests = append(requests, fmt.Sprintf("%s %s %s %q", r.Method, r.URL.Path, r.Header.Get("Authorization"), body))
		if r.Header.Get("Authorization") != "Bearer "+key {
			http.Error(w, "no", http.StatusUnauthorized)
			return
		}
		for _, appID := range strings.Fields(string(body)) {
			tok := emu.Account(appID).IssueToken()
			issued = append(issued, tok)
			fmt.Fprintf(w, "{\"appid\": %q, \"access_token\": %q, \"expires_in\": 7200}\n", appID, tok)
		}
	}))
	t.Cleanup(service.Close)

	plan := exec.Command(wxmenuBinary(t), "plan", "--config", filepath.Join("examples", "fleet", "authorizers.yaml"), "--allow-many-deletes")
	plan.Env = append(cliEnv(t.TempDir(), api.URL), "WECHAT_TOKEN_SERVICE="+service.URL, "WECHAT_TOKEN_SERVICE_KEY="+key)
	var stdout, stderr bytes.Buffer
	plan.Stdout, plan.Stderr = &stdout, &stderr
	err := plan.Run()
	if code := plan.ProcessState.ExitCode(); code != 0 && code != 2 {
		t.Fatalf("wxmenu plan: %v\n%s%s", err, stdout.Bytes(), stderr.Bytes())
	}
	want := []string{fmt.Sprintf("POST /authorizer-tokens Bearer %s %q", key, clientA+"\n")}
	if fmt.Sprint(requests) != fmt.Sprint(want) {
		t.Errorf("token service requests %q, want %q", requests, want)
	}
	if len(issued) != 1 {
		t.Fatalf("%d tokens issued, want 1", len(issued))
	}
	calls := emu.Calls()
	if calls["menu/get"] == 0 {
		t.Errorf("client-a was not read with the service's token: calls %v", calls)
	}
	for endpoint := range calls {
		if strings.HasPrefix(endpoint, "component/") {
			t.Errorf("the platform's component endpoints were called: %v", calls)
		}
	}
	for _, secret := range []string{issued[0], key} {
		if strings.Contains(stdout.String()+stderr.String(), secret) {
			t.Errorf("wxmenu's output shows a credential:\n%s%s", stdout.Bytes(), stderr.Bytes())
		}
	}
}

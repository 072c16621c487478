package main

import (
	"bytes"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wxmenu/wxmenu/wechat/wechattest"
)

// TestNoSecretInAnyOutput runs the CLI scenarios with distinctive
// credentials, including every failure path we can provoke, and checks that
// neither the app secret nor an access token appears in any stdout, stderr,
// plan, audit log or exported file.
func TestNoSecretInAnyOutput(t *testing.T) {
	const (
		appID  = "wxf00dfacecafe0001"
		secret = "S3CRET-app-secret-must-never-leak-7f3a9c"
	)
	emu := wechattest.New(wechattest.Config{AppID: appID, Secret: secret, Seed: 7})
	emu.SeedDemo()
	srv := httptest.NewServer(emu)
	defer srv.Close()
	dir := t.TempDir()
	t.Chdir(dir)
	t.Setenv("XDG_STATE_HOME", filepath.Join(dir, "state"))
	t.Setenv("NO_COLOR", "1")
	t.Setenv("WECHAT_APPID", appID)
	t.Setenv("WECHAT_APPSECRET", secret)
	t.Setenv("WECHAT_API_BASE", srv.URL)
	t.Setenv("WECHAT_ACCESS_TOKEN", "")
	examples := filepath.Join(packageDir, "examples", "basic", "menus.yaml")

	var outputs []string
	cli := func(args ...string) int {
		var out, errw bytes.Buffer
		code := run(append([]string{"wxmenu"}, args...), strings.NewReader(""), &out, &errw)
		outputs = append(outputs, strings.Join(args, " ")+"\n"+out.String()+errw.String())
		return code
	}
	expect := func(want int, args ...string) {
		t.Helper()
		if got := cli(args...); got != want {
			t.Errorf("wxmenu %s: exit %d, want %d\n%s", strings.Join(args, " "), got, want, outputs[len(outputs)-1])
		}
	}

	expect(2, "plan", "-f", examples, "--out", "plan.json", "--detailed-exitcode", "--format", "json")
	expect(2, "plan", "-f", examples, "--format", "markdown", "--detailed-exitcode")
	expect(0, "apply", "--audit-log", "audit.jsonl", "plan.json")
	expect(3, "apply", "--audit-log", "audit.jsonl", "plan.json")
	expect(0, "export", "--out", "exported.yaml")
	expect(0, "trymatch", "-f", examples, "o_demo_vip")

	// Tokens expire mid-run: the client refreshes without printing them.
	emu.ExpireTokens()
	expect(0, "plan", "-f", examples, "--detailed-exitcode")

	// A static token that WeChat no longer accepts.
	token := emu.IssueToken()
	t.Setenv("WECHAT_ACCESS_TOKEN", token)
	expect(0, "plan", "-f", examples)
	emu.ExpireTokens()
	expect(1, "plan", "-f", examples)
	expect(1, "apply", "-f", examples, "--auto-approve", "--allow-protected")
	t.Setenv("WECHAT_ACCESS_TOKEN", "")

	// Wrong secret, server errors, unreachable hosts.
	t.Setenv("WECHAT_APPSECRET", secret+"-wrong")
	expect(1, "plan", "-f", examples)
	t.Setenv("WECHAT_APPSECRET", secret)
	emu.SetFaults(wechattest.Faults{HTTP502Rate: 1})
	expect(1, "plan", "-f", examples, "--timeout", "20s")
	emu.SetFaults(wechattest.Faults{})
	t.Setenv("WECHAT_API_BASE", "http://127.0.0.1:1")
	expect(1, "plan", "-f", examples, "--timeout", "20s")
	t.Setenv("WECHAT_ACCESS_TOKEN", token)
	expect(1, "export", "--timeout", "20s")

	files, _ := filepath.Glob(filepath.Join(dir, "*"))
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err == nil {
			outputs = append(outputs, f+"\n"+string(b))
		}
	}
	if len(outputs) < 15 {
		t.Fatalf("only %d outputs collected", len(outputs))
	}
	for _, o := range outputs {
		for _, s := range []string{secret, token} {
			if strings.Contains(o, s) {
				t.Errorf("a credential leaked into:\n%s", o)
			}
		}
	}
}

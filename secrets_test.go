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

// TestNoFleetSecretInAnyOutput is the sweep for a project's credential
// kinds: an AppSecret from a variable, a token command (whose standard
// error repeats the token), and platform authorizers (component secret,
// verify ticket, refresh tokens), through success and failure paths.
func TestNoFleetSecretInAnyOutput(t *testing.T) {
	const (
		secretApp, secret       = "wxf00dfacecafe0002", "S3CRET-fleet-app-secret-7f3a9c01"
		commandApp, commandSec  = "wxf00dfacecafe0003", "S3CRET-fleet-command-secret-99aa"
		platformApp             = "wxf00dfacecafe0004"
		componentApp, component = "wxf00dfacecafe0c0c", "S3CRET-component-secret-5b6c7d8e"
	)
	emu := wechattest.New(wechattest.Config{Seed: 9,
		Accounts: []wechattest.AccountConfig{{AppID: secretApp, Secret: secret}, {AppID: commandApp, Secret: commandSec}, {AppID: platformApp, Secret: "S3CRET-never-used-platform-acct"}},
		Platform: &wechattest.PlatformConfig{ComponentAppID: componentApp, ComponentSecret: component}})
	emu.SeedDemoAll()
	srv := httptest.NewServer(emu)
	defer srv.Close()
	dir := t.TempDir()
	t.Chdir(dir)
	t.Setenv("XDG_STATE_HOME", filepath.Join(dir, "state"))
	t.Setenv("NO_COLOR", "1")
	t.Setenv("WECHAT_API_BASE", srv.URL)
	token := emu.Account(commandApp).IssueToken()
	ticket := emu.Ticket()
	t.Setenv("FLEET_TOKEN", token)
	t.Setenv("APP_SECRET", secret)
	t.Setenv("COMPONENT_SECRET", component)
	t.Setenv("VERIFY_TICKET", ticket)
	menus, err := os.ReadFile(filepath.Join(packageDir, "examples", "basic", "menus.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"a.yaml", "b.yaml", "c.yaml"} {
		if err := os.WriteFile(f, menus, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	script := "#!/bin/sh\necho \"token-command diagnostics: $FLEET_TOKEN\" >&2\n[ -n \"$TOKEN_FAIL\" ] && exit 3\nprintf '%s\\n' \"$FLEET_TOKEN\"\n"
	if err := os.WriteFile("tok.sh", []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	project := "accounts:\n" +
		"  - {name: a, appid: " + secretApp + ", file: a.yaml, secret_env: APP_SECRET}\n" +
		"  - {name: b, appid: " + commandApp + ", file: b.yaml, token_command: [./tok.sh]}\n" +
		"  - {name: c, appid: " + platformApp + ", file: c.yaml, platform: true}\n" +
		"platform: {component_appid: " + componentApp + ", component_secret_env: COMPONENT_SECRET, verify_ticket_env: VERIFY_TICKET}\n"
	if err := os.WriteFile("wxmenu.yaml", []byte(project), 0o644); err != nil {
		t.Fatal(err)
	}

	var outputs []string
	expect := func(want int, args ...string) {
		t.Helper()
		var out, errw bytes.Buffer
		got := run(append([]string{"wxmenu"}, args...), strings.NewReader(""), &out, &errw)
		outputs = append(outputs, strings.Join(args, " ")+"\n"+out.String()+errw.String())
		if got != want {
			t.Errorf("wxmenu %s: exit %d, want %d\n%s", strings.Join(args, " "), got, want, outputs[len(outputs)-1])
		}
	}
	expect(2, "plan", "--out", "plan.json", "--detailed-exitcode", "--allow-many-deletes")
	expect(2, "plan", "--format", "markdown", "--detailed-exitcode", "--allow-many-deletes")
	expect(2, "plan", "--format", "json", "--detailed-exitcode", "--allow-many-deletes")
	expect(0, "apply", "--audit-log", "audit.jsonl", "plan.json")
	expect(0, "plan", "--detailed-exitcode")

	// Failures of every kind of credentials.
	t.Setenv("APP_SECRET", secret+"-wrong")
	t.Setenv("TOKEN_FAIL", "1")
	t.Setenv("COMPONENT_SECRET", component+"-wrong")
	expect(1, "plan")
	expect(1, "plan", "--format", "json")
	expect(1, "export", "--config", "wxmenu.yaml")
	t.Setenv("COMPONENT_SECRET", component)
	for _, code := range []int{61004, 61005, 61006} {
		if err := emu.SetPlatformFault(code); err != nil {
			t.Fatal(err)
		}
		expect(1, "plan", "--account", "c", "--format", "markdown")
	}
	emu.SetPlatformFault(0)
	for _, code := range []int{61003, 61007, 61023} {
		if err := emu.Account(platformApp).SetPlatformFault(code); err != nil {
			t.Fatal(err)
		}
		expect(1, "plan", "--account", "c")
	}

	files, _ := filepath.Glob(filepath.Join(dir, "*"))
	for _, f := range files {
		if b, err := os.ReadFile(f); err == nil && filepath.Base(f) != "tok.sh" && filepath.Base(f) != "wxmenu.yaml" {
			outputs = append(outputs, f+"\n"+string(b))
		}
	}
	if len(outputs) < 15 {
		t.Fatalf("only %d outputs collected", len(outputs))
	}
	credentials := []string{secret, commandSec, component, ticket, token, emu.Account(platformApp).RefreshToken()}
	for _, o := range outputs {
		for _, s := range credentials {
			if s != "" && strings.Contains(o, s) {
				t.Errorf("a credential leaked into:\n%s", o)
			}
		}
	}
}

package account_test

import (
	"context"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/wxmenu/wxmenu/reconcile/account"
	"github.com/wxmenu/wxmenu/reconcile/project"
	"github.com/wxmenu/wxmenu/wechat/wechattest"
)

const (
	fleetApp       = "wx00000000000000a1"
	fleetSecret    = "fleet-app-secret-0123456789"
	fleetComponent = "wx00000000000000c1"
	fleetCompSec   = "fleet-component-secret-0123"
)

// TestFleetOpenEachKind opens an account of each kind of credentials
// against the emulator over loopback HTTP, and the failures of each with
// the message people see (naming variables, never values).
func TestFleetOpenEachKind(t *testing.T) {
	emu := wechattest.New(wechattest.Config{Accounts: []wechattest.AccountConfig{{AppID: fleetApp, Secret: fleetSecret}},
		Platform: &wechattest.PlatformConfig{ComponentAppID: fleetComponent, ComponentSecret: fleetCompSec}})
	emu.SeedDemoAll()
	srv := httptest.NewServer(emu)
	defer srv.Close()
	dir := t.TempDir()
	token := emu.Account(fleetApp).IssueToken()
	os.MkdirAll(filepath.Join(dir, "bin"), 0o755)
	os.WriteFile(filepath.Join(dir, "bin", "tok"), []byte("#!/bin/sh\nprintf '%s\\n' \"$TOK\"\n"), 0o755)
	t.Setenv("TOK", token)
	src := "accounts:\n" +
		"  - {name: secret, appid: " + fleetApp + ", file: a.yaml, secret_env: APP_SECRET}\n" +
		"  - {name: command, appid: " + fleetApp + "x, file: a.yaml, token_command: [./bin/tok]}\n" +
		"  - {name: authorizer, appid: " + fleetApp + "y, file: a.yaml, platform: true}\n" +
		"  - {name: pinned, appid: " + fleetApp + "z, file: a.yaml, platform: true, refresh_token_env: PINNED_REFRESH}\n" +
		"platform: {component_appid: " + fleetComponent + ", component_secret_env: CS, verify_ticket_env: VT}\n"
	p, err := project.Parse(filepath.Join(dir, "wxmenu.yaml"), []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	// The command account and the platform accounts all act on fleetApp.
	p.Accounts[1].AppID, p.Accounts[2].AppID, p.Accounts[3].AppID = fleetApp, fleetApp, fleetApp
	open := func(env map[string]string, a project.Account) string {
		accounts := account.Open(account.Spec{Project: p, APIBases: []string{srv.URL}, ReadOnly: true, Getenv: func(k string) string { return env[k] }})
		api, err := accounts.Open(context.Background(), a)
		if err != nil {
			return err.Error()
		}
		if _, err := api.GetMenu(context.Background()); err != nil {
			return err.Error()
		}
		return "ok"
	}
	good := map[string]string{"APP_SECRET": fleetSecret, "CS": fleetCompSec, "VT": emu.Ticket(), "PINNED_REFRESH": emu.Account(fleetApp).RefreshToken()}
	got := []string{}
	for _, a := range p.Accounts {
		got = append(got, a.Name+": "+open(good, a))
	}
	got = append(got,
		"no secret: "+open(map[string]string{}, p.Accounts[0]),
		"no component secret: "+open(map[string]string{"VT": "x"}, p.Accounts[2]),
		"no ticket: "+open(map[string]string{"CS": fleetCompSec}, p.Accounts[2]),
		"no pinned refresh token: "+open(map[string]string{"CS": fleetCompSec, "VT": emu.Ticket()}, p.Accounts[3]),
	)
	emu.Account(fleetApp).SetPlatformFault(61007)
	got = append(got, "61007: "+open(good, p.Accounts[2]))
	want := []string{
		"secret: ok", "command: ok", "authorizer: ok", "pinned: ok",
		"no secret: account secret: APP_SECRET is not set",
		"no component secret: platform: CS is not set",
		"no ticket: platform: VT is not set",
		"no pinned refresh token: account pinned: PINNED_REFRESH is not set",
		"61007: account authorizer has not granted the platform permission set 15 (menu management), like WeChat's 61007",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

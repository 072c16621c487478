package cmdline

import (
	"io"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/urfave/cli/v2"

	"github.com/wxmenu/wxmenu/reconcile/account"
	"github.com/wxmenu/wxmenu/reconcile/fleet"
	"github.com/wxmenu/wxmenu/reconcile/project"
	"github.com/wxmenu/wxmenu/wechat"
	"github.com/wxmenu/wxmenu/wechat/wechattest"
)

// cleanEnv unsets the variables the flags read, so that only the command
// line sets them.
func cleanEnv(t *testing.T) {
	for _, k := range []string{"WECHAT_APPID", "WECHAT_APPSECRET", "WECHAT_ACCESS_TOKEN", "WECHAT_API_BASE", "WXMENU_SANDBOX",
		"WXMENU_SANDBOX_STATE", "WXMENU_LOCK_DIR", "WXMENU_AUDIT_LOG", "WXMENU_TIMEOUT", "WXMENU_CONFIG", "WXMENU_FILE", "WXMENU_LOG"} {
		t.Setenv(k, "") // restored after the test
		os.Unsetenv(k)
	}
	t.Setenv("XDG_STATE_HOME", filepath.FromSlash("/state"))
}

// runApply runs `wxmenu ARGS` with f as apply's action.
func runApply(t *testing.T, args []string, f func(c *cli.Context)) {
	t.Helper()
	app := App(Actions{Apply: func(c *cli.Context) error { f(c); return nil }})
	app.Writer, app.ErrWriter = io.Discard, io.Discard
	if err := app.Run(append([]string{"wxmenu"}, args...)); err != nil {
		t.Fatal(err)
	}
}

// TestAccountSpec checks that the flags reach the spec, global flags
// before the command or after it, and the defaults where none is given.
func TestAccountSpec(t *testing.T) {
	cleanEnv(t)
	ignore := cmpopts.IgnoreFields(account.Spec{}, "Transport", "Notices", "Logger")
	tests := []struct {
		args []string
		want account.Spec
	}{
		{[]string{"apply", "--appid", "wx1234567890abcdef"}, account.Spec{AppID: "wx1234567890abcdef",
			APIBases: []string{"https://api.weixin.qq.com", "https://api2.weixin.qq.com"}, SandboxState: filepath.FromSlash("/state/wxmenu/sandbox.json")}},
		{[]string{"--sandbox", "--sandbox-state", "s.json", "apply", "--legacy-token", "--api-base", "http://127.0.0.1:1/"},
			account.Spec{Sandbox: true, SandboxState: "s.json", LegacyToken: true, APIBases: []string{"http://127.0.0.1:1"}}},
		{[]string{"apply", "--access-token", "tok", "--secret", "s"}, account.Spec{AccessToken: "tok", Secret: "s",
			APIBases: []string{"https://api.weixin.qq.com", "https://api2.weixin.qq.com"}, SandboxState: filepath.FromSlash("/state/wxmenu/sandbox.json")}},
	}
	for _, tt := range tests {
		var got account.Spec
		runApply(t, tt.args, func(c *cli.Context) { got = AccountSpec(c, false, io.Discard) })
		if diff := cmp.Diff(tt.want, got, ignore); diff != "" {
			t.Errorf("wxmenu %q (-want +got):\n%s", tt.args, diff)
		}
		if got.Transport == nil || got.Notices == nil {
			t.Errorf("wxmenu %q: no HTTP client or notices", tt.args)
		}
	}
	var readOnly account.Spec
	runApply(t, []string{"apply"}, func(c *cli.Context) { readOnly = AccountSpec(c, true, io.Discard) })
	if !readOnly.ReadOnly {
		t.Error("a read-only spec is not read-only")
	}
}

// TestFleetOptions checks that the flags of a fleet run reach its options.
func TestFleetOptions(t *testing.T) {
	cleanEnv(t)
	p, err := project.Parse("wxmenu.yaml", []byte("accounts:\n  - {name: shop, appid: wx1234567890abcdef, file: shop.yaml, secret_env: SHOP_SECRET}\n"))
	if err != nil {
		t.Fatal(err)
	}
	fl := account.Open(account.Spec{Project: p})
	ignore := cmpopts.IgnoreFields(fleet.Options{}, "Open", "Authorizers", "Plan", "ToolVersion")
	tests := []struct {
		args []string
		want fleet.Options
		cap  int
	}{
		{[]string{"apply"}, fleet.Options{Accounts: p.Accounts, Parallel: fleet.DefaultParallel, LockDir: filepath.FromSlash("/state/wxmenu/locks")}, wechat.DefaultMaxConditional},
		{[]string{"--parallel", "3", "apply", "--lock-dir", "l", "--lock-timeout", "2s", "--audit-log", "a.jsonl", "--skip-stale", "--max-conditional", "7"},
			fleet.Options{Accounts: p.Accounts, Parallel: 3, LockDir: "l", LockWait: 2 * time.Second, AuditPath: "a.jsonl", SkipStale: true}, 7},
	}
	for _, tt := range tests {
		var got fleet.Options
		runApply(t, tt.args, func(c *cli.Context) { got = FleetOptions(c, p.Accounts, fl) })
		if diff := cmp.Diff(tt.want, got, ignore); diff != "" {
			t.Errorf("wxmenu %q (-want +got):\n%s", tt.args, diff)
		}
		if got.Plan.MaxConditional != tt.cap || got.Open == nil || got.Authorizers == nil {
			t.Errorf("wxmenu %q: plan cap %d, open set %v, authorizers set %v", tt.args, got.Plan.MaxConditional, got.Open != nil, got.Authorizers != nil)
		}
	}
}

// TestServeSpec checks that every flag of sandbox serve reaches the
// emulator's spec, and its defaults.
func TestServeSpec(t *testing.T) {
	cleanEnv(t)
	tests := []struct {
		args []string
		want account.ServeSpec
	}{
		{nil, account.ServeSpec{Addr: "127.0.0.1:8808", AppID: wechattest.DefaultAppID, MaxConditional: wechat.DefaultMaxConditional}},
		{[]string{"--addr", "127.0.0.1:0", "--appid", "wx1234567890abcdef", "--secret", "s", "--state", "st.json", "--demo", "--addr-file", "addr",
			"--quota", "menu/create=1", "--quota", "menu/delconditional=0", "--max-conditional", "5", "--account", "wxabcdef1234567890:s2", "--platform", "wxc:cs"},
			account.ServeSpec{Addr: "127.0.0.1:0", AppID: "wx1234567890abcdef", Secret: "s", StatePath: "st.json", Demo: true, AddrFile: "addr",
				Quotas: []string{"menu/create=1", "menu/delconditional=0"}, MaxConditional: 5, Accounts: []string{"wxabcdef1234567890:s2"}, Platform: "wxc:cs"}},
	}
	for _, tt := range tests {
		var got account.ServeSpec
		app := App(Actions{SandboxServe: func(c *cli.Context) error { got = ServeSpec(c); return nil }})
		app.Writer, app.ErrWriter = io.Discard, io.Discard
		if err := app.Run(append([]string{"wxmenu", "sandbox", "serve"}, tt.args...)); err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("wxmenu sandbox serve %q (-want +got):\n%s", tt.args, diff)
		}
	}
}

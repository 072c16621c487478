package account_test

import (
	"bytes"
	"errors"
	"github.com/wxmenu/wxmenu/internal/errtext"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/wxmenu/wxmenu/reconcile/account"
	"github.com/wxmenu/wxmenu/wechat/wechattest"
)

func TestOpenRefusesMissingCredentials(t *testing.T) {
	tests := []struct {
		name      string
		spec      account.Spec
		err, hint string
	}{
		{"nothing", account.Spec{}, "no credentials for the WeChat API", "set WECHAT_APPID and WECHAT_APPSECRET (or WECHAT_ACCESS_TOKEN), or try wxmenu with --sandbox"},
		{"appid only", account.Spec{AppID: "wx1"}, "--appid is set but no secret: set WECHAT_APPSECRET (or --secret) to the app secret", "or set WECHAT_ACCESS_TOKEN to an access token of wx1, or try wxmenu with --sandbox"},
		{"secret only", account.Spec{Secret: "s3cret-value"}, "a secret is set but no --appid: set WECHAT_APPID to the account", "set WECHAT_APPID (or --appid) to the account the secret belongs to"},
		{"token without appid", account.Spec{AccessToken: "tok-secret-1"}, "--access-token needs --appid: plans, audit records and locks name the account", "set WECHAT_APPID (or --appid) to the account the token belongs to"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := account.Open(tt.spec).Open(t.Context(), tt.spec.Single("menus.yaml"))
			var ae *errtext.Error
			if !errors.As(err, &ae) {
				t.Fatalf("err = %v, want an *errtext.Error", err)
			}
			if diff := cmp.Diff([2]string{tt.err, tt.hint}, [2]string{ae.Error(), ae.ErrorHint()}); diff != "" {
				t.Errorf("error and hint (-want +got):\n%s", diff)
			}
			if strings.Contains(err.Error(), "tok-secret-1") || strings.Contains(err.Error(), "s3cret-value") {
				t.Error("the error shows the token")
			}
		})
	}
}

// TestOpenSandbox opens the embedded sandbox twice, one run after the
// other: the first time seeds the demo account and says so, the client
// reads it over loopback, and the second time finds the state.
func TestOpenSandbox(t *testing.T) {
	state := filepath.Join(t.TempDir(), "state", "sandbox.json")
	var notices bytes.Buffer
	spec := account.Spec{Sandbox: true, SandboxState: state, ReadOnly: true, Notices: &notices}
	accounts := account.Open(spec)
	defer accounts.Close()
	a := spec.Single("menus.yaml")
	if a.AppID != wechattest.DefaultAppID || a.Name != "" || a.Path != "menus.yaml" {
		t.Errorf("account %+v; want the sandbox appid, no name and the menus file", a)
	}
	if notices.Len() != 0 {
		t.Errorf("notices before any account was opened: %q", notices.String())
	}
	api, err := accounts.Open(t.Context(), a)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(notices.String(), "created the sandbox demo account in "+state) {
		t.Errorf("notices = %q", notices.String())
	}
	live, err := api.GetMenu(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if live.Default == nil || len(live.Conditional) == 0 {
		t.Errorf("the sandbox is not the demo account: %+v", live)
	}
	if err := api.DeleteMenu(t.Context()); err == nil {
		t.Error("a read-only account deleted the menu")
	}

	// The next run finds the state once this one is over.
	accounts.Close()
	notices.Reset()
	spec = account.Spec{Sandbox: true, SandboxState: state, Notices: &notices}
	again := account.Open(spec)
	if _, err := again.Open(t.Context(), spec.Single("menus.yaml")); err != nil {
		t.Fatal(err)
	}
	again.Close()
	if notices.Len() != 0 {
		t.Errorf("second open said %q; the demo account already exists", notices.String())
	}
}

func TestSplitBases(t *testing.T) {
	got := account.SplitBases(" https://a.example/, ,http://127.0.0.1:8808//,")
	if diff := cmp.Diff([]string{"https://a.example", "http://127.0.0.1:8808"}, got); diff != "" {
		t.Errorf("SplitBases (-want +got):\n%s", diff)
	}
}

package main

import (
	"bytes"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wxmenu/wxmenu/wechat/wechattest"
)

// TestSecretFromFlagWarnsOnce: a secret given as a flag is visible in
// process listings, so wxmenu says so once; from the environment it says
// nothing.
func TestSecretFromFlagWarnsOnce(t *testing.T) {
	const appID, secret = "wxflagsecret000001", "flag-secret-visible-in-ps-5c1d"
	emu := wechattest.New(wechattest.Config{AppID: appID, Secret: secret, Seed: 1})
	emu.SeedDemo()
	srv := httptest.NewServer(emu)
	defer srv.Close()
	t.Setenv("XDG_STATE_HOME", t.TempDir())
	t.Setenv("WECHAT_API_BASE", srv.URL)
	t.Setenv("WECHAT_APPID", appID)
	t.Setenv("WECHAT_ACCESS_TOKEN", "")
	menus := filepath.Join(packageDir, "examples", "basic", "menus.yaml")
	const warning = "wxmenu: warning: --secret is visible to other users in process listings; set WECHAT_APPSECRET instead\n"

	plan := func(args ...string) string {
		var out, errw bytes.Buffer
		if code := run(append([]string{"wxmenu", "plan", "-f", menus}, args...), strings.NewReader(""), &out, &errw); code != 0 {
			t.Fatalf("plan %v: exit %d\n%s%s", args, code, out.String(), errw.String())
		}
		if strings.Contains(out.String()+errw.String(), secret) {
			t.Errorf("the secret appears in the output")
		}
		return errw.String()
	}
	t.Setenv("WECHAT_APPSECRET", "")
	if got := plan("--secret", secret); strings.Count(got, warning) != 1 {
		t.Errorf("secret from --secret: stderr %q, want the warning once", got)
	}
	t.Setenv("WECHAT_APPSECRET", secret)
	if got := plan(); strings.Contains(got, "warning") {
		t.Errorf("secret from the environment: stderr %q, want no warning", got)
	}
}

// TestUsageErrorsRedactCredentials: an error made before any client exists
// (a flag value that does not parse) still never shows a credential, given
// as a flag or in the environment, long or short.
func TestUsageErrorsRedactCredentials(t *testing.T) {
	t.Setenv("XDG_STATE_HOME", t.TempDir())
	tests := []struct {
		name, cred string
		env        map[string]string
		args       []string
	}{
		{"long secret as a flag", "pasted-secret-value-9d2e", nil, []string{"--secret", "pasted-secret-value-9d2e", "plan", "-f", "m.yaml", "--timeout", "pasted-secret-value-9d2e"}},
		{"token in the environment", "env-token-pasted-into-flag-77", map[string]string{"WECHAT_ACCESS_TOKEN": "env-token-pasted-into-flag-77"}, []string{"plan", "-f", "m.yaml", "--max-deletes", "env-token-pasted-into-flag-77"}},
		{"short secret, whole value", "x1", nil, []string{"--secret=x1", "plan", "-f", "m.yaml", "--max-deletes", "x1"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv("WECHAT_ACCESS_TOKEN", "")
			for k, v := range tt.env {
				t.Setenv(k, v)
			}
			var out, errw bytes.Buffer
			if code := run(append([]string{"wxmenu"}, tt.args...), strings.NewReader(""), &out, &errw); code == 0 {
				t.Fatalf("exit 0, want a usage error")
			}
			line := errw.String()
			if !strings.Contains(line, "wxmenu: error: ") {
				t.Fatalf("stderr %q has no error line", line)
			}
			if strings.Contains(line, `"`+tt.cred+`"`) || (len(tt.cred) >= 8 && strings.Contains(line, tt.cred)) {
				t.Errorf("stderr shows the credential: %q", line)
			}
		})
	}
}

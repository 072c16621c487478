package notify_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/wxmenu/wxmenu/internal/errtext"
	"github.com/wxmenu/wxmenu/reconcile/notify"
)

func TestParseTarget(t *testing.T) {
	for _, tc := range []struct {
		raw, shown, err string
	}{
		{raw: "https://hooks.example.com/drift?token=SECRET", shown: "https://hooks.example.com"},
		{raw: "http://127.0.0.1:8080/SECRET", shown: "http://127.0.0.1:8080"},
		{raw: "https://user:SECRET@hooks.example.com/x", shown: "https://hooks.example.com"},
		{raw: "wecom+https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=SECRET", shown: "wecom+https://qyapi.weixin.qq.com"},
		{raw: "WeCom+HTTPS://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=SECRET", shown: "wecom+https://qyapi.weixin.qq.com"},
		{raw: "slack+https://hooks.slack.com/services/T0/B0/SECRET", shown: "slack+https://hooks.slack.com"},
		{raw: "wecom+http://127.0.0.1:9464/send?key=SECRET", shown: "wecom+http://127.0.0.1:9464"},
		{raw: "slack+http://localhost:9464/services/SECRET", shown: "slack+http://localhost:9464"},
		{raw: "slack+http://[::1]:9464/services/SECRET", shown: "slack+http://[::1]:9464"},

		{raw: "", err: "the notify URL is empty"},
		{raw: "qyapi.weixin.qq.com/cgi-bin/webhook/send?key=SECRET", err: "the notify URL does not start with a scheme such as https://"},
		{raw: "SECRET", err: "the notify URL does not start with a scheme such as https://"},
		{raw: "ftp://files.example.com/SECRET", err: "notify URL ftp://…: notify does not post to ftp"},
		{raw: "dingtalk+https://oapi.dingtalk.com/robot/send?access_token=SECRET", err: "notify URL dingtalk+https://…: notify does not post to dingtalk+https"},
		{raw: "https:///SECRET", err: "notify URL https://…: no host"},
		{raw: "https://?key=SECRET", err: "notify URL https://…: no host"},
		{raw: "https://hooks.example.com/%zzSECRET", err: "notify URL https://…: not a valid URL"},
		{raw: "wecom+https://qyapi.weixin.qq.com/send?key=SEC\x7fRET", err: "notify URL wecom+https://…: not a valid URL"},
		{raw: "wecom+http://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=SECRET", err: "notify URL wecom+http://qyapi.weixin.qq.com: the webhook's key would cross the network unencrypted"},
		{raw: "slack+http://hooks.slack.com/services/T0/B0/SECRET", err: "notify URL slack+http://hooks.slack.com: the webhook's key would cross the network unencrypted"},
	} {
		t.Run(tc.raw, func(t *testing.T) {
			target, err := notify.ParseTarget(tc.raw)
			if tc.err != "" {
				if err == nil {
					t.Fatalf("ParseTarget = %s, want the error %q", target, tc.err)
				}
				if diff := cmp.Diff(tc.err, err.Error()); diff != "" {
					t.Errorf("error (-want +got):\n%s", diff)
				}
				hint := errtext.Hint(err)
				if hint == "" {
					t.Error("the error has no hint")
				}
				if strings.Contains(err.Error()+hint, "SEC") {
					t.Errorf("the error shows the URL's secret: %q, hint %q", err, hint)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.shown, target.String()); diff != "" {
				t.Errorf("String (-want +got):\n%s", diff)
			}
			printed := fmt.Sprintf("%v %+v %#v %s %q", target, target, target, target, target)
			if strings.Contains(printed, "SECRET") {
				t.Errorf("printing the target shows its secret: %s", printed)
			}
		})
	}
}

// The hint of a refused URL lists the three forms.
func TestParseTargetHint(t *testing.T) {
	_, err := notify.ParseTarget("ftp://example.com")
	hint := errtext.Hint(err)
	for _, form := range []string{"https://HOST/PATH", "wecom+https://", "slack+https://"} {
		if !strings.Contains(hint, form) {
			t.Errorf("the hint %q does not show %s", hint, form)
		}
	}
}

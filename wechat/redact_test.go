package wechat_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/wxmenu/wxmenu/wechat"
	"github.com/wxmenu/wxmenu/wechat/wechattest"
)

func TestRedactURL(t *testing.T) {
	tests := []struct{ in, want string }{
		{"https://api.weixin.qq.com/cgi-bin/menu/get?access_token=abc", "https://api.weixin.qq.com/cgi-bin/menu/get?access_token=REDACTED"},
		{"https://h/cgi-bin/token?grant_type=client_credential&appid=wx1&secret=s3cr%2Ft", "https://h/cgi-bin/token?grant_type=client_credential&appid=wx1&secret=REDACTED"},
		{"https://h/x?component_access_token=a&b=1&authorizer_access_token=c", "https://h/x?component_access_token=REDACTED&b=1&authorizer_access_token=REDACTED"},
		{"https://h/x?ACCESS_TOKEN=a", "https://h/x?ACCESS_TOKEN=REDACTED"},
		{"https://user:pass@h/x?a=1", "https://h/x?a=1"},
		{"https://h/cgi-bin/menu/get", "https://h/cgi-bin/menu/get"},
	}
	for _, tt := range tests {
		u, err := url.Parse(tt.in)
		if err != nil {
			t.Fatal(err)
		}
		if got := wechat.RedactURL(u); got != tt.want {
			t.Errorf("RedactURL(%s) = %s, want %s", tt.in, got, tt.want)
		}
		if u.String() != tt.in && !strings.Contains(tt.in, "%2F") {
			t.Errorf("RedactURL modified its argument: %s", u)
		}
	}
	if got := wechat.RedactURL(nil); got != "" {
		t.Errorf("RedactURL(nil) = %q", got)
	}
}

// Distinctive credentials: any fragment containing the marker that shows up
// in an error or a log line is a leak.
const (
	leakMarker  = "SHOULD-NOT-LEAK"
	leakyToken  = "tok-" + leakMarker + "-4e1f0c"
	leakySecret = "sec-" + leakMarker + "-9b27d3"
)

// echo answers with the request (URL and body) inside the response, the
// way a misbehaving proxy or a verbose WeChat errmsg might.
func echo(status int, contentType, format string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		msg := strings.NewReplacer("URL", r.URL.String(), "BODY", string(body), "QUOTED", strings.ReplaceAll(string(body), `"`, `'`)).Replace(format)
		canned(status, contentType, []byte(msg))(w, r)
	}
}

// TestSecretsNeverLeak forces every error path with a distinctive token and
// secret and checks that neither appears in any error or debug log line.
func TestSecretsNeverLeak(t *testing.T) {
	var log bytes.Buffer
	logger := logRecords(&log)
	static := func(base string) *wechat.Client {
		return staticClient(t, base, wechat.WithStaticToken(leakyToken), wechat.WithLogger(logger))
	}
	creds := func(base string, opts ...wechat.Option) *wechat.Client {
		c, err := wechat.New(append([]wechat.Option{
			wechat.WithBaseURLs(base), wechat.WithCredentials("wxappid", leakySecret),
			wechat.WithLogger(logger), fastRetry}, opts...)...)
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	getMenu := func(c *wechat.Client) error { _, err := c.GetMenu(t.Context()); return err }
	addCond := func(c *wechat.Client) error { _, err := c.AddConditional(t.Context(), vipButtons, vipRule); return err }
	serve := func(h http.HandlerFunc) string { return newFakeServer(t, h).URL }
	tokenThen := func(menu http.HandlerFunc) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			if strings.HasSuffix(r.URL.Path, "token") {
				canned(http.StatusOK, wechatJSON, []byte(`{"access_token":"`+leakyToken+`","expires_in":7200}`))(w, r)
				return
			}
			menu(w, r)
		}
	}
	emu := wechattest.New(wechattest.Config{Secret: leakySecret, AppID: "wxappid"})
	emuURL := serve(emu.ServeHTTP)

	tests := []struct {
		name string
		run  func() error
	}{
		{"connection refused, static token", func() error { return getMenu(static(closedURL(t))) }},
		{"connection refused, legacy token query", func() error {
			return getMenu(creds(closedURL(t), wechat.WithLegacyToken()))
		}},
		{"connection refused, stable token body", func() error { return getMenu(creds(closedURL(t))) }},
		{"502 echoing the url", func() error { return getMenu(static(serve(echo(502, "text/html", "<html>URL</html>")))) }},
		{"bad json echoing the url", func() error { return getMenu(static(serve(echo(200, wechatJSON, `{"url":"URL"`)))) }},
		{"errmsg echoing the token", func() error {
			return getMenu(static(serve(echo(200, wechatJSON, `{"errcode":40001,"errmsg":"invalid credential, access_token is `+leakyToken+` hint: [x]"}`))))
		}},
		{"errmsg echoing the url", func() error {
			return addCond(static(serve(echo(200, wechatJSON, `{"errcode":47001,"errmsg":"data format error URL"}`))))
		}},
		{"stable token 502 echoing the body", func() error { return getMenu(creds(serve(echo(502, "text/html", "<pre>BODY</pre>")))) }},
		{"stable token errmsg echoing the body", func() error {
			return getMenu(creds(serve(echo(200, wechatJSON, `{"errcode":40125,"errmsg":"invalid appsecret QUOTED"}`))))
		}},
		{"legacy token bad json echoing the url", func() error {
			return getMenu(creds(serve(echo(200, wechatJSON, `{"x":"URL`)), wechat.WithLegacyToken()))
		}},
		{"truncated token response", func() error {
			return getMenu(creds(serve(canned(200, wechatJSON, []byte(`{"access_token":"`+leakyToken[:12])))))
		}},
		{"token without expiry", func() error {
			return getMenu(creds(serve(canned(200, wechatJSON, []byte(`{"access_token":"`+leakyToken+`"}`)))))
		}},
		{"lost response after the token", func() error { return addCond(creds(serve(tokenThen(hangUp)))) }},
		{"html after the token", func() error {
			return getMenu(creds(serve(tokenThen(echo(503, "text/html", "<p>URL</p>")))))
		}},
		{"timeout", func() error {
			c := staticClient(t, serve(func(w http.ResponseWriter, r *http.Request) { <-r.Context().Done() }),
				wechat.WithStaticToken(leakyToken), wechat.WithLogger(logger))
			ctx, cancel := context.WithTimeout(t.Context(), 50*time.Millisecond)
			defer cancel()
			_, err := c.GetMenu(ctx)
			return err
		}},
		{"emulator: wrong secret", func() error { return getMenu(creds(emuURL, wechat.WithCredentials("wxappid", leakySecret+"x"))) }},
		{"emulator: expired static token", func() error {
			c := staticClient(t, emuURL, wechat.WithStaticToken(emu.IssueToken()), wechat.WithLogger(logger))
			emu.ExpireTokens()
			return getMenu(c)
		}},
		{"emulator: busy", func() error {
			emu.SetFaults(wechattest.Faults{BusyRate: 1})
			defer emu.SetFaults(wechattest.Faults{})
			return getMenu(creds(emuURL))
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.run()
			if err == nil {
				t.Fatal("no error")
			}
			if msg := err.Error(); strings.Contains(msg, leakMarker) {
				t.Errorf("error leaks a credential: %s", msg)
			}
			for e := err; e != nil; e = errors.Unwrap(e) {
				var ue *url.Error
				if errors.As(e, &ue) && strings.Contains(ue.URL, leakMarker) {
					t.Errorf("wrapped *url.Error leaks a credential: %s", ue.URL)
				}
			}
		})
	}
	if log.Len() == 0 {
		t.Fatal("nothing was logged")
	}
	for _, line := range strings.Split(log.String(), "\n") {
		if strings.Contains(line, leakMarker) {
			t.Errorf("log line leaks a credential: %s", line)
		}
	}
}

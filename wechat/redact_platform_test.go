package wechat_test

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/wxmenu/wxmenu/wechat"
)

// Distinctive credentials of the platform path and the command source.
const (
	leakyComponentSecret = "csec-" + leakMarker + "-51a0"
	leakyVerifyTicket    = "ticket@@@" + leakMarker + "-7d2e"
	leakyComponentToken  = "ctok-" + leakMarker + "-0c4b"
	leakyRefreshToken    = "refreshtoken@@@" + leakMarker + "-e93f"
	leakyAuthorizerToken = "atok-" + leakMarker + "-8a61"
	leakyCommandToken    = "cmdtok-" + leakMarker + "-3f90"
)

// platformEcho answers the component endpoints with leaky tokens, and path
// (a full /cgi-bin/... path) with h.
func platformEcho(path string, h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.URL.Path == path:
			h(w, r)
		case r.URL.Path == "/cgi-bin/component/api_component_token":
			canned(200, wechatJSON, []byte(`{"component_access_token":"`+leakyComponentToken+`","expires_in":7200}`))(w, r)
		case r.URL.Path == "/cgi-bin/component/api_authorizer_token":
			canned(200, wechatJSON, []byte(`{"authorizer_access_token":"`+leakyAuthorizerToken+`","expires_in":7200,"authorizer_refresh_token":"`+leakyRefreshToken+`"}`))(w, r)
		case r.URL.Path == "/cgi-bin/component/api_get_authorizer_list":
			canned(200, wechatJSON, []byte(`{"total_count":1,"list":[{"authorizer_appid":"wxa","refresh_token":"`+leakyRefreshToken+`","auth_time":1}]}`))(w, r)
		default:
			http.NotFound(w, r)
		}
	}
}

// TestPlatformAndCommandSecretsNeverLeak forces error paths of the platform
// chain and the command source with distinctive credentials of every kind,
// and checks that none appears in an error or a log line.
func TestPlatformAndCommandSecretsNeverLeak(t *testing.T) {
	var log bytes.Buffer
	logger := logRecords(&log)
	serve := func(h http.HandlerFunc) string { return newFakeServer(t, h).URL }
	platform := func(base string) *wechat.Platform {
		p, err := wechat.NewPlatform(wechat.PlatformConfig{
			ComponentAppID: "wxcomponent", ComponentSecret: leakyComponentSecret, VerifyTicket: leakyVerifyTicket,
		}, wechat.WithBaseURLs(base), wechat.WithLogger(logger), fastRetry)
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	authorizerMenu := func(base string) error {
		src := platform(base).AuthorizerTokenSource("wxa", leakyRefreshToken)
		c, err := wechat.New(wechat.WithBaseURLs(base), wechat.WithTokenSource(src), wechat.WithLogger(logger), fastRetry)
		if err != nil {
			t.Fatal(err)
		}
		_, err = c.GetMenu(t.Context())
		return err
	}
	tests := []struct {
		name string
		run  func() error
	}{
		{"component token errmsg echoing the body", func() error {
			return authorizerMenu(serve(echo(200, wechatJSON, `{"errcode":61006,"errmsg":"component ticket is invalid QUOTED rid: 1-2-3"}`)))
		}},
		{"component token 502 echoing the body", func() error {
			return authorizerMenu(serve(echo(502, "text/html", "<pre>BODY</pre>")))
		}},
		{"component token bad json", func() error {
			return authorizerMenu(serve(canned(200, wechatJSON, []byte(`{"component_access_token":"`+leakyComponentToken))))
		}},
		{"authorizer token errmsg echoing url and body", func() error {
			return authorizerMenu(serve(platformEcho("/cgi-bin/component/api_authorizer_token",
				echo(200, wechatJSON, `{"errcode":61004,"errmsg":"access clientip is not registered URL QUOTED"}`))))
		}},
		{"authorizer token 502 echoing the url", func() error {
			return authorizerMenu(serve(platformEcho("/cgi-bin/component/api_authorizer_token", echo(502, "text/html", "<p>URL BODY</p>"))))
		}},
		{"authorizer token lost response", func() error {
			return authorizerMenu(serve(platformEcho("/cgi-bin/component/api_authorizer_token", hangUp)))
		}},
		{"61023 and the list echoing its body", func() error {
			first := true
			return authorizerMenu(serve(func(w http.ResponseWriter, r *http.Request) {
				switch {
				case r.URL.Path == "/cgi-bin/component/api_authorizer_token" && first:
					first = false
					canned(200, wechatJSON, []byte(`{"errcode":61023,"errmsg":"refresh_token is invalid"}`))(w, r)
				case r.URL.Path == "/cgi-bin/component/api_get_authorizer_list":
					echo(200, wechatJSON, `{"errcode":47001,"errmsg":"data format error URL QUOTED"}`)(w, r)
				default:
					platformEcho("", nil)(w, r)
				}
			}))
		}},
		{"menu call errmsg echoing the authorizer token", func() error {
			return authorizerMenu(serve(platformEcho("/cgi-bin/menu/get",
				echo(200, wechatJSON, `{"errcode":40001,"errmsg":"invalid credential URL access_token is `+leakyAuthorizerToken+`"}`))))
		}},
		{"authorizer list with leaky refresh tokens, then info echoing", func() error {
			p := platform(serve(platformEcho("/cgi-bin/component/api_get_authorizer_info",
				echo(200, wechatJSON, `{"errcode":61003,"errmsg":"component is not authorized by this account `+leakyRefreshToken+` URL"}`))))
			if _, err := p.AuthorizerList(t.Context()); err != nil {
				t.Fatal(err)
			}
			_, err := p.AuthorizerInfo(t.Context(), "wxa")
			return err
		}},
		{"command token echoed by WeChat", func() error {
			src, err := wechat.CommandTokenSource(tokenCommand(t, "print:"+leakyCommandToken), 0)
			if err != nil {
				t.Fatal(err)
			}
			c, err := wechat.New(wechat.WithBaseURLs(serve(echo(200, wechatJSON, `{"errcode":40001,"errmsg":"invalid credential URL"}`))),
				wechat.WithTokenSource(src), wechat.WithLogger(logger), fastRetry)
			if err != nil {
				t.Fatal(err)
			}
			_, err = c.GetMenu(t.Context())
			return err
		}},
		{"command token, 502 echoing the url", func() error {
			src, _ := wechat.CommandTokenSource(tokenCommand(t, "print:"+leakyCommandToken), 0)
			c, _ := wechat.New(wechat.WithBaseURLs(serve(echo(502, "text/html", "URL"))), wechat.WithTokenSource(src), wechat.WithLogger(logger), fastRetry)
			_, err := c.GetMenu(t.Context())
			return err
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

// TestShortSecretsRedactedByFieldOnly: a secret shorter than the safe
// minimum is not cut out of ordinary words, but it is still redacted where
// it appears as a credential field.
func TestShortSecretsRedactedByFieldOnly(t *testing.T) {
	hang := newFakeServer(t, func(w http.ResponseWriter, r *http.Request) { <-r.Context().Done() })
	c, err := wechat.New(wechat.WithBaseURLs(hang.URL), wechat.WithCredentials("wxappid", "e"), fastRetry)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(t.Context(), 50*time.Millisecond)
	defer cancel()
	_, err = c.GetMenu(ctx)
	if err == nil || !strings.Contains(err.Error(), "context deadline exceeded") {
		t.Errorf("err = %v, want an intact \"context deadline exceeded\"", err)
	}

	for _, tt := range []struct {
		format string
		legacy bool
	}{
		{`{"errcode":40125,"errmsg":"invalid appsecret QUOTED"}`, false}, // 'secret':'e'
		{`{"errcode":40125,"errmsg":"invalid appsecret URL"}`, true},     // secret=e
	} {
		srv := newFakeServer(t, echo(200, wechatJSON, tt.format))
		opts := []wechat.Option{wechat.WithBaseURLs(srv.URL), wechat.WithCredentials("wxappid", "e"), fastRetry}
		if tt.legacy {
			opts = append(opts, wechat.WithLegacyToken())
		}
		c, err := wechat.New(opts...)
		if err != nil {
			t.Fatal(err)
		}
		_, err = c.GetMenu(t.Context())
		if err == nil {
			t.Fatal("no error")
		}
		msg := err.Error()
		if !strings.Contains(msg, "REDACTED") || strings.Contains(msg, `secret':'e'`) || strings.Contains(msg, `secret=e`) {
			t.Errorf("err = %s, want the secret field redacted", msg)
		}
		if !strings.Contains(msg, "invalid appsecret") {
			t.Errorf("err = %s, want the words around it intact", msg)
		}
	}
}

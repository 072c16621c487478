package wechat_test

import (
	"context"
	"net/http"
	"net/url"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/wxmenu/wxmenu/wechat"
)

// TestRequestWireFormat checks method, path and exact body of every
// endpoint: JSON without HTML escaping (view URLs keep "&"), raw UTF-8,
// no trailing newline, privacy fields omitted, menuid as a string.
func TestRequestWireFormat(t *testing.T) {
	buttons := []wechat.Button{{Type: "view", Name: "搜索", URL: "https://example.com/?a=1&b=<2>"}}
	tests := []struct {
		name     string
		call     func(context.Context, *wechat.Client) error
		response string
		want     seen
	}{
		{"create", func(ctx context.Context, c *wechat.Client) error { return c.CreateMenu(ctx, buttons) },
			`{"errcode":0,"errmsg":"ok"}`,
			seen{"POST", "/cgi-bin/menu/create", "", `{"button":[{"type":"view","name":"搜索","url":"https://example.com/?a=1&b=<2>"}]}`}},
		{"create nil", func(ctx context.Context, c *wechat.Client) error { return c.CreateMenu(ctx, nil) },
			`{"errcode":0,"errmsg":"ok"}`,
			seen{"POST", "/cgi-bin/menu/create", "", `{"button":[]}`}},
		{"addconditional", func(ctx context.Context, c *wechat.Client) error {
			_, err := c.AddConditional(ctx, buttons, wechat.MatchRule{TagID: "2", ClientPlatformType: "1"})
			return err
		}, `{"menuid":"208379533"}`,
			seen{"POST", "/cgi-bin/menu/addconditional", "", `{"button":[{"type":"view","name":"搜索","url":"https://example.com/?a=1&b=<2>"}],"matchrule":{"tag_id":"2","client_platform_type":"1"}}`}},
		{"delconditional", func(ctx context.Context, c *wechat.Client) error { return c.DelConditional(ctx, "208379533") },
			`{"errcode":0,"errmsg":"ok"}`,
			seen{"POST", "/cgi-bin/menu/delconditional", "", `{"menuid":"208379533"}`}},
		{"delete", func(ctx context.Context, c *wechat.Client) error { return c.DeleteMenu(ctx) },
			`{"errcode":0,"errmsg":"ok"}`,
			seen{"GET", "/cgi-bin/menu/delete", "", ""}},
		{"get", func(ctx context.Context, c *wechat.Client) error { _, err := c.GetMenu(ctx); return err },
			`{"errcode":46003,"errmsg":"menu no exist"}`,
			seen{"GET", "/cgi-bin/menu/get", "", ""}},
		{"trymatch", func(ctx context.Context, c *wechat.Client) error { _, err := c.TryMatch(ctx, "o&id"); return err },
			`{"button":[]}`,
			seen{"POST", "/cgi-bin/menu/trymatch", "", `{"user_id":"o&id"}`}},
		{"selfmenu", func(ctx context.Context, c *wechat.Client) error { _, err := c.GetCurrentSelfMenuInfo(ctx); return err },
			`{"is_menu_open":0,"selfmenu_info":{"button":[]}}`,
			seen{"GET", "/cgi-bin/get_current_selfmenu_info", "", ""}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var headers http.Header
			var transferEncoding []string
			srv := newFakeServer(t, func(w http.ResponseWriter, r *http.Request) {
				headers, transferEncoding = r.Header.Clone(), r.TransferEncoding
				canned(http.StatusOK, wechatJSON, []byte(tt.response))(w, r)
			})
			if err := tt.call(t.Context(), staticClient(t, srv.URL)); err != nil {
				t.Fatal(err)
			}
			reqs := srv.requests()
			if len(reqs) != 1 {
				t.Fatalf("got %d requests, want 1", len(reqs))
			}
			got := reqs[0]
			if q, _ := url.ParseQuery(got.RawQuery); len(q) != 1 || q.Get("access_token") != "fixture-token" {
				t.Errorf("query %q, want only access_token", got.RawQuery)
			}
			got.RawQuery = ""
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("request (-want +got):\n%s", diff)
			}
			if tt.want.Body != "" && headers.Get("Content-Type") != "application/json; charset=utf-8" {
				t.Errorf("Content-Type %q", headers.Get("Content-Type"))
			}
			if len(transferEncoding) != 0 {
				t.Errorf("Transfer-Encoding %v, want none", transferEncoding)
			}
		})
	}
}

func TestLocalArgumentErrors(t *testing.T) {
	srv := newFakeServer(t, canned(http.StatusOK, wechatJSON, []byte(`{}`)))
	c := staticClient(t, srv.URL)
	if err := c.DelConditional(t.Context(), ""); err == nil {
		t.Error("DelConditional(\"\") succeeded")
	}
	if _, err := c.TryMatch(t.Context(), ""); err == nil {
		t.Error("TryMatch(\"\") succeeded")
	}
	if n := len(srv.requests()); n != 0 {
		t.Errorf("%d requests sent for invalid arguments", n)
	}
}

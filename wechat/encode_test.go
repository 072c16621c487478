package wechat_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/wxmenu/wxmenu/wechat"
)

// hostileButtons hold every character Go's encoder likes to escape: CJK,
// &, <, >, U+2028, U+2029, emoji, quotes and backslashes.
var hostileButtons = []wechat.Button{
	{Type: "view", Name: "<新品>&优惠", URL: "https://example.com/a?x=1&y=<2>&z=\u2028"},
	{Name: "菜单\u2029😀", SubButtons: []wechat.Button{
		{Type: "click", Name: `"引号"\斜杠`, Key: "K&<>\u2028"},
		{Type: "view", Name: "🎉活动", URL: "https://example.com/活动?q=中文&r=😀"},
	}},
}

// TestRequestBodiesHaveNoUnicodeEscapes: WeChat answers 40033 to a menu body
// with \uXXXX escapes. Every body the client sends is raw UTF-8 and decodes
// back to what was given.
func TestRequestBodiesHaveNoUnicodeEscapes(t *testing.T) {
	srv := newFakeServer(t, canned(http.StatusOK, wechatJSON, []byte(`{"errcode":0,"errmsg":"ok","menuid":"1","button":[]}`)))
	c := staticClient(t, srv.URL)
	ctx := t.Context()
	if err := c.CreateMenu(ctx, hostileButtons); err != nil {
		t.Fatal(err)
	}
	if _, err := c.AddConditional(ctx, hostileButtons, wechat.MatchRule{TagID: "101"}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.TryMatch(ctx, "o<&>\u2028"); err != nil {
		t.Fatal(err)
	}
	reqs := srv.requests()
	if len(reqs) != 3 {
		t.Fatalf("%d requests, want 3", len(reqs))
	}
	for _, r := range reqs {
		if strings.Contains(r.Body, `\u`) {
			t.Errorf("%s body has a \\u escape: %s", r.Path, r.Body)
		}
	}
	for _, r := range reqs[:2] {
		var got struct {
			Button []wechat.Button `json:"button"`
		}
		if err := json.Unmarshal([]byte(r.Body), &got); err != nil {
			t.Fatalf("%s body is not JSON: %v", r.Path, err)
		}
		if diff := cmp.Diff(hostileButtons, got.Button); diff != "" {
			t.Errorf("%s buttons after the round trip (-want +got):\n%s", r.Path, diff)
		}
	}
	if !strings.Contains(reqs[0].Body, "\u2028") || !strings.Contains(reqs[0].Body, "&") || !strings.Contains(reqs[0].Body, "😀") {
		t.Errorf("body does not carry U+2028, & and emoji raw: %s", reqs[0].Body)
	}
}

// TestUnencodableStringsRefusedBeforeSending: invalid UTF-8 and control
// characters cannot travel without a \u escape, so the client refuses them
// with a clear error and sends nothing.
func TestUnencodableStringsRefusedBeforeSending(t *testing.T) {
	srv := newFakeServer(t, canned(http.StatusOK, wechatJSON, []byte(`{"errcode":0,"errmsg":"ok"}`)))
	c := staticClient(t, srv.URL)
	tests := []struct {
		name, button, want string
	}{
		{"invalid utf-8", "bad\xff name", "menu/create: encoding the request: a string is not valid UTF-8"},
		{"control character", "bell\x07", "menu/create: encoding the request: a string contains the control character U+0007"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := c.CreateMenu(t.Context(), []wechat.Button{{Type: "click", Name: tt.button, Key: "k"}})
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want it to contain %q", err, tt.want)
			}
		})
	}
	if n := len(srv.requests()); n != 0 {
		t.Errorf("%d requests sent, want none", n)
	}
}

// TestHostileMenuThroughEmulator: the emulator answers 40033 to any \u
// escape in a menu body, as WeChat does; the client's bodies pass and the
// menus read back are what was sent.
func TestHostileMenuThroughEmulator(t *testing.T) {
	c, emu := setup(t)
	ctx := t.Context()
	if err := c.CreateMenu(ctx, hostileButtons); err != nil {
		t.Fatal(err)
	}
	if _, err := c.AddConditional(ctx, hostileButtons, vipRule); err != nil {
		t.Fatal(err)
	}
	got := emu.Menus()
	if diff := cmp.Diff(hostileButtons, got.Default.Buttons, cmpopts.EquateEmpty()); diff != "" {
		t.Errorf("default menu (-want +got):\n%s", diff)
	}
	if len(got.Conditional) != 1 {
		t.Fatalf("%d conditional menus, want 1", len(got.Conditional))
	}
	if diff := cmp.Diff(hostileButtons, got.Conditional[0].Buttons, cmpopts.EquateEmpty()); diff != "" {
		t.Errorf("conditional menu (-want +got):\n%s", diff)
	}
}

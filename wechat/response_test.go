package wechat_test

import (
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/wxmenu/wxmenu/wechat"
)

const badGatewayHTML = "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n"

// TestBadMenuGetResponses: anything but a well-formed menu/get answer is an
// error, never an empty (or partial) MenuSet.
func TestBadMenuGetResponses(t *testing.T) {
	tests := []struct {
		name        string
		status      int
		contentType string
		body        string
		want        string // the error message
		attempts    int
	}{
		{"html 502", 502, "text/html", badGatewayHTML,
			`wechat: menu/get: unexpected response (HTTP 502, text/html): server error: "<html> <head><title>502 Bad Gateway</title></head> <body> <center><h1>502 Bad Gateway</h1></center> <hr><center>nginx</center> </body> </html>" (after 3 attempts)`, 3},
		{"html 200", 200, "text/html", "<html>captive portal</html>",
			`wechat: menu/get: unexpected response (HTTP 200, text/html): not a JSON object: invalid character '<' looking for beginning of value: "<html>captive portal</html>"`, 1},
		{"truncated json", 200, wechatJSON, `{"menu":{"button":[{"name":"a"`,
			`wechat: menu/get: unexpected response (HTTP 200, application/json; encoding=utf-8): not a JSON object: unexpected end of JSON input: "{\"menu\":{\"button\":[{\"name\":\"a\"" (after 3 attempts)`, 3},
		{"wrong types", 200, wechatJSON, `{"menu":{"button":"none"}}`,
			// encoding/json's wording varies between Go versions; only the start is fixed.
			`wechat: menu/get: unexpected response (HTTP 200, application/json; encoding=utf-8): json: cannot unmarshal string into Go struct field `, 1},
		{"empty object", 200, wechatJSON, `{}`,
			`wechat: menu/get: unexpected response (HTTP 200, application/json; encoding=utf-8): no "menu" object: "{}"`, 1},
		{"errcode zero only", 200, wechatJSON, `{"errcode":0,"errmsg":"ok"}`,
			`wechat: menu/get: unexpected response (HTTP 200, application/json; encoding=utf-8): no "menu" object: "{\"errcode\":0,\"errmsg\":\"ok\"}"`, 1},
		{"menu without buttons", 200, wechatJSON, `{"menu":{}}`,
			`wechat: menu/get: unexpected response (HTTP 200, application/json; encoding=utf-8): "menu" has no "button" list: "{\"menu\":{}}"`, 1},
		{"conditional without menuid", 200, wechatJSON, `{"menu":{"button":[]},"conditionalmenu":[{"button":[],"matchrule":{"group_id":"1"}}]}`,
			`wechat: menu/get: unexpected response (HTTP 200, application/json; encoding=utf-8): conditionalmenu[0] has no "menuid": "{\"menu\":{\"button\":[]},\"conditionalmenu\":[{\"button\":[],\"matchrule\":{\"group_id\":\"1\"}}]}"`, 1},
		{"errcode not a number", 200, wechatJSON, `{"errcode":"busy"}`,
			`wechat: menu/get: unexpected response (HTTP 200, application/json; encoding=utf-8): errcode is not an integer: "{\"errcode\":\"busy\"}"`, 1},
		{"404", 404, "text/plain", "404 page not found",
			`wechat: menu/get: unexpected response (HTTP 404, text/plain): "404 page not found"`, 1},
		{"empty 503", 503, "", "",
			`wechat: menu/get: unexpected response (HTTP 503, no content type): server error (after 3 attempts)`, 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newFakeServer(t, canned(tt.status, tt.contentType, []byte(tt.body)))
			set, err := staticClient(t, srv.URL).GetMenu(t.Context())
			if set != nil {
				t.Errorf("got a MenuSet %+v with the error", set)
			}
			if err == nil {
				t.Fatal("no error")
			}
			got := err.Error()
			if strings.HasSuffix(tt.want, " ") && strings.HasPrefix(got, tt.want) {
				got = tt.want
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("error (-want +got):\n%s", diff)
			}
			var unexpected *wechat.UnexpectedResponseError
			if !errors.As(err, &unexpected) || unexpected.StatusCode != tt.status {
				t.Errorf("err = %#v, want an *UnexpectedResponseError with HTTP %d", err, tt.status)
			}
			if n := len(srv.requests()); n != tt.attempts {
				t.Errorf("%d requests, want %d", n, tt.attempts)
			}
		})
	}
}

func TestQuotedBodyIsShort(t *testing.T) {
	srv := newFakeServer(t, canned(http.StatusOK, "text/html", []byte("<html>"+strings.Repeat("很长的页面", 200)+"</html>")))
	_, err := staticClient(t, srv.URL).GetMenu(t.Context())
	var unexpected *wechat.UnexpectedResponseError
	if !errors.As(err, &unexpected) {
		t.Fatalf("err = %v", err)
	}
	if n := len(unexpected.Body); n > 203 || !strings.HasSuffix(unexpected.Body, "...") {
		t.Errorf("quoted body is %d bytes (%q), want at most 200 plus \"...\"", n, unexpected.Body)
	}
}

// TestBadMutationResponses: a mutation WeChat answered with something
// unreadable may have been applied; a 4xx means the server refused it.
func TestBadMutationResponses(t *testing.T) {
	tests := []struct {
		name        string
		status      int
		contentType string
		body        string
		unknown     bool
	}{
		{"html 502", 502, "text/html", badGatewayHTML, true},
		{"truncated json", 200, wechatJSON, `{"menuid":"2083`, true},
		{"no menuid", 200, wechatJSON, `{"errcode":0,"errmsg":"ok"}`, true},
		{"html 200", 200, "text/html", "<html></html>", true},
		{"403 from a proxy", 403, "text/html", "<html>forbidden</html>", false},
		{"api error", 200, wechatJSON, `{"errcode":65305,"errmsg":"conditional menu limit"}`, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newFakeServer(t, canned(tt.status, tt.contentType, []byte(tt.body)))
			id, err := staticClient(t, srv.URL).AddConditional(t.Context(), vipButtons, vipRule)
			if err == nil || id != "" {
				t.Fatalf("AddConditional = %q, %v; want an error", id, err)
			}
			if got := errors.Is(err, wechat.ErrOutcomeUnknown); got != tt.unknown {
				t.Errorf("errors.Is(%v, ErrOutcomeUnknown) = %v, want %v", err, got, tt.unknown)
			}
			if n := len(srv.requests()); n != 1 {
				t.Errorf("%d requests, want 1", n)
			}
		})
	}
}

func TestCreateNeedsAnErrcode(t *testing.T) {
	srv := newFakeServer(t, canned(http.StatusOK, wechatJSON, []byte(`{}`)))
	err := staticClient(t, srv.URL).CreateMenu(t.Context(), defaultButtons)
	if !errors.Is(err, wechat.ErrOutcomeUnknown) {
		t.Errorf("CreateMenu answered {}: err = %v, want ErrOutcomeUnknown", err)
	}
}

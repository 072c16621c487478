package wechat_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/wxmenu/wxmenu/wechat"
)

func TestURLDomain(t *testing.T) {
	type result struct {
		Host string
		OK   bool
	}
	tests := []struct {
		url  string
		want result
	}{
		{"https://www.example.com/", result{"www.example.com", true}},
		{"http://example.com", result{"example.com", true}},
		{"https://WWW.Example.COM:8443/a?b=1&c=2", result{"www.example.com", true}},
		{"HTTPS://Upper.Example/", result{"upper.example", true}},
		{"https://user:pw@host.example/x", result{"host.example", true}},
		{"https://[2001:db8::1]:443/", result{"2001:db8::1", true}},
		{"https://例子.测试/页", result{"例子.测试", true}},
		{"https://x.example/ ", result{"x.example", true}}, // a trailing space is part of the path
		{"", result{}},
		{" https://x.example/", result{}}, // not trimmed: WeChat rejects it too
		{"www.example.com/page", result{}},
		{"//www.example.com/page", result{}},
		{"ftp://files.example/", result{}},
		{"weixin://dl/chat", result{}},
		{"https:///path-only", result{}},
		{"https:opaque.example", result{}},
		{"https://bad port.example:x/", result{}},
		{"https://x.example:notaport/", result{}},
		{"http://%zz/", result{}},
	}
	for _, tt := range tests {
		host, ok := wechat.URLDomain(tt.url)
		if diff := cmp.Diff(tt.want, result{host, ok}); diff != "" {
			t.Errorf("URLDomain(%q) mismatch (-want +got):\n%s", tt.url, diff)
		}
	}
}

func TestURLDomains(t *testing.T) {
	tests := []struct {
		name    string
		buttons []wechat.Button
		want    []string
	}{
		{name: "no buttons"},
		{name: "no urls", buttons: []wechat.Button{{Type: "click", Name: "a", Key: "a"}}},
		{
			name: "sorted and unique across case and port",
			buttons: []wechat.Button{
				{Type: "view", Name: "z", URL: "https://z.example/"},
				{Type: "view", Name: "a", URL: "https://WWW.Example.com:8443/a?b=1&c=2"},
				{Type: "view", Name: "b", URL: "http://www.example.com/b"},
			},
			want: []string{"www.example.com", "z.example"},
		},
		{
			name: "sub-buttons and every type with a url",
			buttons: []wechat.Button{
				{Type: "view", Name: "a", URL: "https://a.example/"},
				{Name: "p", SubButtons: []wechat.Button{
					{Type: "miniprogram", Name: "m", URL: "http://mini.example/x", AppID: "wx1", PagePath: "p/i"},
					{Type: "view", Name: "dup", URL: "https://a.example/other"},
					{Type: "click", Name: "c", Key: "k", URL: "https://stray.example/"},
				}},
			},
			want: []string{"a.example", "mini.example", "stray.example"},
		},
		{
			name: "invalid urls count as no domain",
			buttons: []wechat.Button{
				{Type: "view", Name: "a", URL: "www.example.com"},
				{Type: "view", Name: "b", URL: "ftp://files.example/"},
				{Type: "view", Name: "c", URL: "https://ok.example/"},
			},
			want: []string{"ok.example"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, wechat.URLDomains(tt.buttons)); diff != "" {
				t.Errorf("URLDomains mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

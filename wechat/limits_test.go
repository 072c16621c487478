package wechat_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/wxmenu/wxmenu/wechat"
)

func TestUnusedFields(t *testing.T) {
	tests := []struct {
		name    string
		in      wechat.Button
		unused  []string
		trimmed wechat.Button
	}{
		{"click with url", wechat.Button{Type: "click", Name: "a", Key: "k", URL: "https://x.example/"},
			[]string{"url"}, wechat.Button{Type: "click", Name: "a", Key: "k"}},
		{"view with key and media_id", wechat.Button{Type: "view", Name: "v", URL: "https://x.example/", Key: "k", MediaID: "m"},
			[]string{"key", "media_id"}, wechat.Button{Type: "view", Name: "v", URL: "https://x.example/"}},
		{"miniprogram uses all three", wechat.Button{Type: "miniprogram", Name: "m", URL: "https://x.example/", AppID: "wx1", PagePath: "p"},
			nil, wechat.Button{Type: "miniprogram", Name: "m", URL: "https://x.example/", AppID: "wx1", PagePath: "p"}},
		{"unknown type left alone", wechat.Button{Type: "text", Name: "t", Key: "k", URL: "u"},
			nil, wechat.Button{Type: "text", Name: "t", Key: "k", URL: "u"}},
		{"missing required field is not unused", wechat.Button{Type: "click", Name: "a"},
			nil, wechat.Button{Type: "click", Name: "a"}},
	}
	for _, tt := range tests {
		if diff := cmp.Diff(tt.unused, tt.in.UnusedFields()); diff != "" {
			t.Errorf("%s: UnusedFields (-want +got):\n%s", tt.name, diff)
		}
		if diff := cmp.Diff(tt.trimmed, tt.in.WithoutUnusedFields()); diff != "" {
			t.Errorf("%s: WithoutUnusedFields (-want +got):\n%s", tt.name, diff)
		}
	}
}

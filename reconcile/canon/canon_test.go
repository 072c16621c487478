package canon

import (
	"encoding/json"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/wxmenu/wxmenu/wechat"
)

func TestRuleJSON(t *testing.T) {
	tests := []struct {
		name string
		json string // as menu/get returns it
		want string
	}{
		{"tag", `{"tag_id":"101"}`, `{"tag_id":"101"}`},
		{"group_id echo", `{"group_id":"101"}`, `{"tag_id":"101"}`},
		{"numbers", `{"group_id":101,"client_platform_type":1}`, `{"tag_id":"101","client_platform_type":"1"}`},
		{"field order fixed", `{"client_platform_type":"2","tag_id":"7"}`, `{"tag_id":"7","client_platform_type":"2"}`},
		{"privacy fields", `{"sex":1,"country":"中国","language":"zh_CN"}`, `{"sex":"1","country":"中国","language":"zh_CN"}`},
		{"separators kept apart", `{"city":"a\",\"b"}`, `{"city":"a\",\"b"}`},
		{"HTML left alone", `{"city":"<a&b>"}`, `{"city":"<a&b>"}`},
		{"empty", `{}`, `{}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var r wechat.MatchRule
			if err := json.Unmarshal([]byte(tt.json), &r); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, string(JSON(r))); diff != "" {
				t.Errorf("JSON(%s) mismatch (-want +got):\n%s", tt.json, diff)
			}
		})
	}
}

func TestCanonicalButtonsIgnoresWireQuirks(t *testing.T) {
	// What menu/get returns: sub_button [] on leaves, keys in another order.
	const live = `[{"name":"菜单","sub_button":[
		{"url":"https://a.example/?x=1&y=2","type":"view","name":"官网","sub_button":[]},
		{"type":"click","key":"K1","name":"联系","sub_button":[]}]},
		{"type":"click","name":"今日","key":"TODAY","sub_button":[]}]`
	var got []wechat.Button
	if err := json.Unmarshal([]byte(live), &got); err != nil {
		t.Fatal(err)
	}
	declared := []wechat.Button{
		{Name: "菜单", SubButtons: []wechat.Button{
			{Type: "view", Name: "官网", URL: "https://a.example/?x=1&y=2"},
			{Type: "click", Name: "联系", Key: "K1"},
		}},
		{Type: "click", Name: "今日", Key: "TODAY"},
	}
	if diff := cmp.Diff(CanonicalButtons(declared), CanonicalButtons(got)); diff != "" {
		t.Errorf("canonical forms differ (-declared +live):\n%s", diff)
	}
	want := `[{"name":"菜单","sub_button":[{"type":"view","name":"官网","url":"https://a.example/?x=1&y=2"},` +
		`{"type":"click","name":"联系","key":"K1"}]},{"type":"click","name":"今日","key":"TODAY"}]`
	if diff := cmp.Diff(want, CanonicalButtons(declared)); diff != "" {
		t.Errorf("CanonicalButtons mismatch (-want +got):\n%s", diff)
	}
}

func TestCanonicalButtonsDistinguishes(t *testing.T) {
	base := []wechat.Button{{Type: "click", Name: "a", Key: "k"}}
	others := map[string][]wechat.Button{
		"name":     {{Type: "click", Name: "b", Key: "k"}},
		"key":      {{Type: "click", Name: "a", Key: "k2"}},
		"type":     {{Type: "scancode_push", Name: "a", Key: "k"}},
		"extra":    {{Type: "click", Name: "a", Key: "k"}, {Type: "click", Name: "b", Key: "k"}},
		"nested":   {{Name: "a", SubButtons: []wechat.Button{{Type: "click", Name: "a", Key: "k"}}}},
		"no items": nil,
	}
	for name, o := range others {
		if CanonicalButtons(o) == CanonicalButtons(base) {
			t.Errorf("%s: %s and %s have the same canonical form", name, CanonicalButtons(o), CanonicalButtons(base))
		}
	}
	if got := CanonicalButtons(nil); got != "[]" {
		t.Errorf("CanonicalButtons(nil) = %s, want []", got)
	}
	// A parent's stray type is not part of its identity: WeChat drops it.
	parent := []wechat.Button{{Type: "click", Name: "p", SubButtons: base}}
	plain := []wechat.Button{{Name: "p", SubButtons: base}}
	if CanonicalButtons(parent) != CanonicalButtons(plain) {
		t.Errorf("parent with type: %s, without: %s", CanonicalButtons(parent), CanonicalButtons(plain))
	}
}

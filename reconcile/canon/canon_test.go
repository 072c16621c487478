package canon

import (
	"encoding/json"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/wxmenu/wxmenu/wechat"
)

func TestCanonicalRule(t *testing.T) {
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
			if diff := cmp.Diff(tt.want, CanonicalRule(r)); diff != "" {
				t.Errorf("CanonicalRule(%s) mismatch (-want +got):\n%s", tt.json, diff)
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

func TestRuleIsDeadAndDescribeRule(t *testing.T) {
	tests := []struct {
		rule     wechat.MatchRule
		dead     bool
		describe string
	}{
		{wechat.MatchRule{TagID: "101"}, false, "tag 101"},
		{wechat.MatchRule{TagID: "101", ClientPlatformType: "1"}, false, "tag 101, iOS"},
		{wechat.MatchRule{ClientPlatformType: "2"}, false, "Android"},
		{wechat.MatchRule{ClientPlatformType: "9"}, false, "platform 9"},
		{wechat.MatchRule{Sex: "1"}, true, "sex 1 (dead)"},
		{wechat.MatchRule{TagID: "3", Language: "zh_CN"}, true, "tag 3, language zh_CN (dead)"},
		{wechat.MatchRule{Country: "中国", Province: "广东", City: "广州"}, true, "country 中国, province 广东, city 广州 (dead)"},
		{wechat.MatchRule{}, false, "empty matchrule"},
	}
	for _, tt := range tests {
		if got := RuleIsDead(tt.rule); got != tt.dead {
			t.Errorf("RuleIsDead(%+v) = %v, want %v", tt.rule, got, tt.dead)
		}
		if diff := cmp.Diff(tt.describe, DescribeRule(tt.rule)); diff != "" {
			t.Errorf("DescribeRule(%+v) mismatch (-want +got):\n%s", tt.rule, diff)
		}
	}
}

func TestMenuIdentity(t *testing.T) {
	rule := wechat.MatchRule{TagID: "101"}
	buttons := []wechat.Button{{Type: "click", Name: "a", Key: "k"}}
	base := MenuIdentity(rule, buttons)
	// What menu/get returns for the same menu.
	var live wechat.ConditionalMenu
	if err := json.Unmarshal([]byte(`{"matchrule":{"group_id":101},"button":[{"type":"click","name":"a","key":"k","sub_button":[]}]}`), &live); err != nil {
		t.Fatal(err)
	}
	if got := MenuIdentity(live.MatchRule, live.Buttons); got != base {
		t.Errorf("the live copy's identity %s, want %s", got, base)
	}
	for name, id := range map[string]string{
		"rule":    MenuIdentity(wechat.MatchRule{TagID: "102"}, buttons),
		"buttons": MenuIdentity(rule, []wechat.Button{{Type: "click", Name: "a", Key: "k2"}}),
		"none":    MenuIdentity(rule, nil),
	} {
		if id == base {
			t.Errorf("another %s, the same identity %s", name, id)
		}
	}
}

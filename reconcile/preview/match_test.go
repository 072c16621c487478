package preview

import (
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/wxmenu/wxmenu/wechat"
)

func TestCounterparts(t *testing.T) {
	click := func(name, key string) wechat.Button { return wechat.Button{Type: "click", Name: name, Key: key} }
	view := func(name, url string) wechat.Button { return wechat.Button{Type: "view", Name: name, URL: url} }
	mini := func(name, url, page string) wechat.Button {
		return wechat.Button{Type: "miniprogram", Name: name, URL: url, AppID: "wx1", PagePath: page}
	}
	parent := func(name string, subs ...wechat.Button) wechat.Button {
		return wechat.Button{Name: name, SubButtons: subs}
	}
	tests := []struct {
		name          string
		before, after []wechat.Button
		want          []int
	}{
		{"same lists", []wechat.Button{click("a", "A"), click("b", "B")}, []wechat.Button{click("a", "A"), click("b", "B")}, []int{0, 1}},
		{"first removed: the rest move and stay", []wechat.Button{click("a", "A"), click("b", "B"), click("c", "C")}, []wechat.Button{click("b", "B"), click("c", "C")}, []int{-1, 0, 1}},
		{"swapped", []wechat.Button{click("a", "A"), view("b", "https://b/")}, []wechat.Button{view("b", "https://b/"), click("a", "A")}, []int{1, 0}},
		{"renamed, same key", []wechat.Button{click("a", "A")}, []wechat.Button{click("a2", "A")}, []int{0}},
		{"same name, new url", []wechat.Button{view("a", "https://a/")}, []wechat.Button{view("a", "https://a/v2")}, []int{0}},
		{"other name and key at the same place", []wechat.Button{click("a", "A")}, []wechat.Button{click("b", "B")}, []int{-1}},
		{"an equal button wins over one of the same key", []wechat.Button{click("a", "A")}, []wechat.Button{click("a2", "A"), click("a", "A")}, []int{1}},
		{"a mini program's fallback url changed", []wechat.Button{mini("m", "https://old/", "p")}, []wechat.Button{mini("m2", "https://new/", "p")}, []int{0}},
		{"a mini program's page changed, name kept", []wechat.Button{mini("m", "https://x/", "p")}, []wechat.Button{mini("m", "https://x/", "q")}, []int{0}},
		{"a leaf became a sub-menu of the same name", []wechat.Button{click("s", "S")}, []wechat.Button{parent("s", click("x", "X"))}, []int{0}},
		{"a renamed sub-menu keeps a sub-button", []wechat.Button{parent("p", click("x", "X"), click("y", "Y"))}, []wechat.Button{parent("q", click("x", "X"))}, []int{0}},
		{"duplicates pair by position", []wechat.Button{click("a", "A"), click("a", "A")}, []wechat.Button{click("a", "A"), click("a", "A")}, []int{0, 1}},
		{"the nearest of two of the same key", []wechat.Button{click("x", "X"), click("a", "A")}, []wechat.Button{click("a1", "A"), click("y", "Y"), click("a2", "A")}, []int{-1, 0}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, counterparts(tt.before, tt.after)); diff != "" {
				t.Errorf("counterparts (-want +got):\n%s", diff)
			}
		})
	}
}

func TestButtonChanges(t *testing.T) {
	before := []wechat.Button{
		{Type: "view", Name: "官网", URL: "https://www.example.com/"},
		{Type: "click", Name: "新品", Key: "NEW"},
		{Name: "服务", SubButtons: []wechat.Button{
			{Type: "click", Name: "联系客服", Key: "CONTACT"},
			{Type: "view", Name: "订单", URL: "https://shop.example.com/orders"},
		}},
	}
	after := []wechat.Button{
		{Type: "view", Name: "官网", URL: "https://www.example.com/?from=menu"},
		{Name: "服务", SubButtons: []wechat.Button{
			{Type: "click", Name: "联系客服", Key: "CONTACT"},
			{Type: "view", Name: "订单查询", URL: "https://shop.example.com/orders"},
			{Type: "click", Name: "签到", Key: "CHECKIN"},
		}},
	}
	var got []string
	for _, c := range buttonChanges(nil, before, after) {
		got = append(got, fmt.Sprintf("%s %s: %v → %v", c.Mark, c.Path, c.Before, c.After))
	}
	want := []string{
		"changed 官网: [{name 官网 false} {type view false} {url https://www.example.com/ true}] → [{name 官网 false} {type view false} {url https://www.example.com/?from=menu true}]",
		"changed 服务 › 订单查询: [{name 订单 true} {type view false} {url https://shop.example.com/orders false}] → [{name 订单查询 true} {type view false} {url https://shop.example.com/orders false}]",
		"added 服务 › 签到: [] → [{name 签到 false} {type click false} {key CHECKIN false}]",
		"removed 新品: [{name 新品 false} {type click false} {key NEW false}] → []",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("button changes (-want +got):\n%s", diff)
	}
}

package wechattest

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestRequestBodyErrors(t *testing.T) {
	e := newEnv(t, Config{})
	tok := e.emu.IssueToken()
	q := url.Values{"access_token": {tok}}
	tests := []struct {
		name, method, endpoint, body string
		want                         errcode
	}{
		{"create by GET", http.MethodGet, "menu/create", "", errcode{43002, "require POST method"}},
		{"addconditional by GET", http.MethodGet, "menu/addconditional", "", errcode{43002, "require POST method"}},
		{"delconditional by GET", http.MethodGet, "menu/delconditional", "", errcode{43002, "require POST method"}},
		{"trymatch by GET", http.MethodGet, "menu/trymatch", "", errcode{44002, "empty post data"}},
		{"create empty", http.MethodPost, "menu/create", "", errcode{44002, "empty post data"}},
		{"create blank", http.MethodPost, "menu/create", " \n ", errcode{44002, "empty post data"}},
		{"trymatch empty", http.MethodPost, "menu/trymatch", "", errcode{44002, "empty post data"}},
		{"create GBK", http.MethodPost, "menu/create", "{\"button\":[{\"type\":\"click\",\"name\":\"\xb2\xe2\",\"key\":\"K\"}]}", errcode{65318, "must use utf-8 charset"}},
		{"create not JSON", http.MethodPost, "menu/create", "button=1", errcode{47001, "data format error"}},
		{"create truncated", http.MethodPost, "menu/create", `{"button":[`, errcode{47001, "data format error"}},
		{"create array", http.MethodPost, "menu/create", `[{"button":[]}]`, errcode{47001, "data format error"}},
		{"create null", http.MethodPost, "menu/create", `null`, errcode{47001, "data format error"}},
		{"name is a number", http.MethodPost, "menu/create", `{"button":[{"type":"click","name":5,"key":"K"}]}`, errcode{47001, "data format error"}},
		{"button is an object", http.MethodPost, "menu/create", `{"button":{"type":"click"}}`, errcode{47001, "data format error"}},
		{"trailing garbage", http.MethodPost, "menu/create", `{"button":[]} x`, errcode{47001, "data format error"}},
		{"user_id is a number", http.MethodPost, "menu/trymatch", `{"user_id":5}`, errcode{47001, "data format error"}},
		{"matchrule value is a bool", http.MethodPost, "menu/addconditional", `{"button":[{"type":"click","name":"a","key":"k"}],"matchrule":{"tag_id":true}}`, errcode{47001, "data format error"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := e.do(tt.method, "/cgi-bin/"+tt.endpoint, q, tt.body)
			if diff := cmp.Diff(tt.want, r.errcode(t)); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
	if m := e.emu.Menus(); m.Default != nil {
		t.Errorf("a failed call created a menu: %+v", m)
	}
}

func TestCreateValidation(t *testing.T) {
	leaf := `{"type":"click","name":"n","key":"k"}`
	long := func(n int) string { return strings.Repeat("a", n) }
	cjk := func(n int) string { return strings.Repeat("菜", n) } // 3 bytes each
	tests := []struct {
		name, body string
		want       int
	}{
		{"one leaf", `{"button":[` + leaf + `]}`, 0},
		{"no button key", `{}`, 40016},
		{"capitalised Button key", `{"Button":[` + leaf + `]}`, 40016},
		{"capitalised Type key", `{"button":[{"Type":"click","name":"n","key":"k"}]}`, 65308},
		{"Kelvin-sign key", "{\"button\":[{\"type\":\"click\",\"name\":\"n\",\"\u212aey\":\"k\"}]}", 40019},
		{"menu/get shape", `{"menu":{"button":[` + leaf + `]}}`, 40016},
		{"empty list", `{"button":[]}`, 40016},
		{"four top buttons", `{"button":[` + strings.Repeat(leaf+",", 3) + leaf + `]}`, 40016},
		{"three top buttons", `{"button":[` + strings.Repeat(leaf+",", 2) + leaf + `]}`, 0},
		{"top name 16 bytes", `{"button":[{"type":"click","name":"` + long(16) + `","key":"k"}]}`, 0},
		{"top name 17 bytes", `{"button":[{"type":"click","name":"` + long(17) + `","key":"k"}]}`, 40018},
		{"top name 6 CJK = 18 bytes", `{"button":[{"type":"click","name":"` + cjk(6) + `","key":"k"}]}`, 40018},
		{"top name empty", `{"button":[{"type":"click","name":"","key":"k"}]}`, 40018},
		{"unknown type", `{"button":[{"type":"tap","name":"n","key":"k"}]}`, 40017},
		{"no type no sub", `{"button":[{"name":"n","key":"k"}]}`, 65308},
		{"key 128", `{"button":[{"type":"click","name":"n","key":"` + long(128) + `"}]}`, 0},
		{"key 129", `{"button":[{"type":"click","name":"n","key":"` + long(129) + `"}]}`, 40019},
		{"click without key", `{"button":[{"type":"click","name":"n"}]}`, 40019},
		{"view url 1024", `{"button":[{"type":"view","name":"n","url":"https://a.example/` + long(1024-len("https://a.example/")) + `"}]}`, 0},
		{"view url 1025", `{"button":[{"type":"view","name":"n","url":"https://a.example/` + long(1025-len("https://a.example/")) + `"}]}`, 40020},
		{"view without url", `{"button":[{"type":"view","name":"n"}]}`, 40020},
		{"view url without scheme", `{"button":[{"type":"view","name":"n","url":"www.example.com"}]}`, 40055},
		{"view url ftp", `{"button":[{"type":"view","name":"n","url":"ftp://example.com/"}]}`, 40055},
		{"media_id without media_id", `{"button":[{"type":"media_id","name":"n"}]}`, 65308},
		{"media_id", `{"button":[{"type":"media_id","name":"n","media_id":"M"}]}`, 0},
		{"article_id without id", `{"button":[{"type":"article_id","name":"n"}]}`, 65308},
		{"miniprogram complete", `{"button":[{"type":"miniprogram","name":"n","url":"https://m.example/","appid":"wx1","pagepath":"p/i"}]}`, 0},
		{"miniprogram without pagepath", `{"button":[{"type":"miniprogram","name":"n","url":"https://m.example/","appid":"wx1"}]}`, 65308},
		{"every key type", `{"button":[{"type":"scancode_push","name":"a","key":"k"},{"type":"pic_weixin","name":"b","key":"k"},{"type":"location_select","name":"c","key":"k"}]}`, 0},
		{"leaf with empty sub_button", `{"button":[{"type":"click","name":"n","key":"k","sub_button":[]}]}`, 0},
		{"parent", `{"button":[{"name":"p","sub_button":[` + leaf + `]}]}`, 0},
		{"parent with type", `{"button":[{"type":"click","name":"p","key":"k","sub_button":[` + leaf + `]}]}`, 40022},
		{"parent no subs", `{"button":[{"name":"p","sub_button":[]}]}`, 40023},
		{"parent five subs", `{"button":[{"name":"p","sub_button":[` + strings.Repeat(leaf+",", 4) + leaf + `]}]}`, 0},
		{"parent six subs", `{"button":[{"name":"p","sub_button":[` + strings.Repeat(leaf+",", 5) + leaf + `]}]}`, 40023},
		{"parent name 17 bytes", `{"button":[{"name":"` + long(17) + `","sub_button":[` + leaf + `]}]}`, 40018},
		{"sub name 60 bytes", `{"button":[{"name":"p","sub_button":[{"type":"click","name":"` + cjk(20) + `","key":"k"}]}]}`, 0},
		{"sub name 61 bytes", `{"button":[{"name":"p","sub_button":[{"type":"click","name":"` + long(61) + `","key":"k"}]}]}`, 40025},
		{"sub unknown type", `{"button":[{"name":"p","sub_button":[{"type":"tap","name":"n","key":"k"}]}]}`, 40024},
		{"sub key 129", `{"button":[{"name":"p","sub_button":[{"type":"click","name":"n","key":"` + long(129) + `"}]}]}`, 40026},
		{"sub click without key", `{"button":[{"name":"p","sub_button":[{"type":"click","name":"n"}]}]}`, 40026},
		{"sub url 1025", `{"button":[{"name":"p","sub_button":[{"type":"view","name":"n","url":"https://a.example/` + long(1025-len("https://a.example/")) + `"}]}]}`, 40027},
		{"sub url without scheme", `{"button":[{"name":"p","sub_button":[{"type":"view","name":"n","url":"example.com/x"}]}]}`, 40054},
		{"sub without type", `{"button":[{"name":"p","sub_button":[{"name":"n","key":"k"}]}]}`, 65308},
		{"sub with subs", `{"button":[{"name":"p","sub_button":[{"name":"q","sub_button":[` + leaf + `]}]}]}`, 40022},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t, Config{})
			tok := e.emu.IssueToken()
			if got := e.code("menu/create", tok, tt.body); got != tt.want {
				t.Errorf("errcode %d, want %d", got, tt.want)
			}
			if created := e.emu.Menus().Default != nil; created != (tt.want == 0) {
				t.Errorf("menu created = %v, want %v", created, tt.want == 0)
			}
		})
	}
}

func TestCreateAndGet(t *testing.T) {
	e := newEnv(t, Config{})
	tok := e.emu.IssueToken()
	e.mustOK("menu/create", tok, `{"button":[
		{"type":"view","name":"官网","url":"https://www.example.com/?a=1&b=<2>"},
		{"name":"服务","sub_button":[{"type":"click","name":"联系客服","key":"CONTACT"},{"type":"miniprogram","name":"小程序","url":"https://m.example.com/","appid":"wx1","pagepath":"pages/index"}]}]}`)
	r := e.api("menu/get", tok, "")
	want := `{"menu":{"button":[{"type":"view","name":"官网","url":"https://www.example.com/?a=1&b=<2>","sub_button":[]},` +
		`{"name":"服务","sub_button":[{"type":"click","name":"联系客服","key":"CONTACT","sub_button":[]},` +
		`{"type":"miniprogram","name":"小程序","url":"https://m.example.com/","appid":"wx1","pagepath":"pages/index","sub_button":[]}]}]}}` + "\n"
	if diff := cmp.Diff(want, r.body); diff != "" {
		t.Errorf("menu/get without conditional menus (-want +got):\n%s", diff)
	}
	if ct := r.header.Get("Content-Type"); ct != "application/json; encoding=utf-8" {
		t.Errorf("Content-Type = %q", ct)
	}

	// A second create replaces the default menu.
	e.mustOK("menu/create", tok, `{"button":[{"type":"click","name":"签到","key":"CHECKIN"}]}`)
	want = `{"menu":{"button":[{"type":"click","name":"签到","key":"CHECKIN","sub_button":[]}]}}` + "\n"
	if diff := cmp.Diff(want, e.api("menu/get", tok, "").body); diff != "" {
		t.Errorf("after replacing (-want +got):\n%s", diff)
	}
}

func TestCreateKeepsConditionalMenus(t *testing.T) {
	e := newEnv(t, Config{})
	tok := e.emu.IssueToken()
	e.mustOK("menu/create", tok, `{"button":[{"type":"click","name":"a","key":"A"}]}`)
	e.mustOK("menu/addconditional", tok, `{"button":[{"type":"click","name":"b","key":"B"}],"matchrule":{"tag_id":"1"}}`)
	before := e.emu.Menus()
	e.mustOK("menu/create", tok, `{"button":[{"type":"click","name":"c","key":"C"}]}`)
	after := e.emu.Menus()
	if diff := cmp.Diff(before.Conditional, after.Conditional); diff != "" {
		t.Errorf("conditional menus changed (-before +after):\n%s", diff)
	}
	if after.Default.Buttons[0].Name != "c" {
		t.Errorf("default menu not replaced: %+v", after.Default)
	}
}

func TestDeleteRemovesEverything(t *testing.T) {
	e := newEnv(t, Config{})
	tok := e.emu.IssueToken()
	e.emu.SeedDemo()
	if got := e.api("menu/delete", tok, "").errcode(t); got != (errcode{0, "ok"}) {
		t.Fatalf("menu/delete: %+v", got)
	}
	if got := e.code("menu/get", tok, ""); got != 46003 {
		t.Errorf("menu/get after delete: errcode %d, want 46003", got)
	}
	if got := e.code("menu/delete", tok, ""); got != 0 {
		t.Errorf("menu/delete without menus: errcode %d, want 0", got)
	}
}

func TestUnknownPaths(t *testing.T) {
	e := newEnv(t, Config{})
	for _, p := range []string{"/", "/cgi-bin/menu/update", "/cgi-bin/menu", "/cgi-bin/menu/get/", "/_emulator/nothing", "/sns/menu/get"} {
		if r := e.do(http.MethodGet, p, nil, ""); r.status != http.StatusNotFound {
			t.Errorf("GET %s: HTTP %d, want 404", p, r.status)
		}
	}
	if calls := e.emu.Calls(); len(calls) != 0 {
		t.Errorf("unknown paths were counted: %v", calls)
	}
}

func TestNoHTMLEscaping(t *testing.T) {
	e := newEnv(t, Config{})
	tok := e.emu.IssueToken()
	url := "https://shop.example.com/orders?from=menu&src=wx"
	e.mustOK("menu/create", tok, fmt.Sprintf(`{"button":[{"type":"view","name":"v","url":%q}]}`, url))
	for _, ep := range []string{"menu/get", "get_current_selfmenu_info"} {
		if body := e.api(ep, tok, "").body; !strings.Contains(body, url) {
			t.Errorf("%s escaped the url: %s", ep, body)
		}
	}
}

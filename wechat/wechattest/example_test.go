package wechattest_test

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"

	"github.com/wxmenu/wxmenu/wechat/wechattest"
)

func ExampleEmulator() {
	emu := wechattest.New(wechattest.Config{})
	emu.SeedDemo()
	srv := httptest.NewServer(emu)
	defer srv.Close()

	q := url.Values{"access_token": {emu.IssueToken()}}
	resp, err := http.Post(srv.URL+"/cgi-bin/menu/trymatch?"+q.Encode(), "application/json",
		strings.NewReader(`{"user_id":"o_demo_vip"}`))
	if err != nil {
		fmt.Println(err)
		return
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	fmt.Print(string(body))
	fmt.Println(emu.Calls()["menu/trymatch"])
	// Output:
	// {"button":[{"type":"view","name":"会员中心","url":"https://vip.example.com/","sub_button":[]},{"type":"click","name":"专属客服","key":"VIP_CONTACT","sub_button":[]}]}
	// 1
}

// A platform with two authorizers: the component token from the verify
// ticket, then an authorizer token that reaches its own account only.
func ExampleEmulator_Account() {
	emu := wechattest.New(wechattest.Config{
		Accounts: []wechattest.AccountConfig{{AppID: "wxclient0000000a", Secret: "secret-a"}},
		Platform: &wechattest.PlatformConfig{ComponentAppID: "wxcomponent00000", ComponentSecret: "component-secret"},
	})
	srv := httptest.NewServer(emu)
	defer srv.Close()
	post := func(path, body string) string {
		resp, err := http.Post(srv.URL+path, "application/json", strings.NewReader(body))
		if err != nil {
			return err.Error()
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return string(b)
	}
	field := func(doc, key string) string {
		_, rest, _ := strings.Cut(doc, `"`+key+`":"`)
		v, _, _ := strings.Cut(rest, `"`)
		return v
	}

	ctoken := field(post("/cgi-bin/component/api_component_token",
		`{"component_appid":"wxcomponent00000","component_appsecret":"component-secret","component_verify_ticket":"`+emu.Ticket()+`"}`),
		"component_access_token")
	client := emu.Account("wxclient0000000a")
	atoken := field(post("/cgi-bin/component/api_authorizer_token?component_access_token="+url.QueryEscape(ctoken),
		`{"component_appid":"wxcomponent00000","authorizer_appid":"wxclient0000000a","authorizer_refresh_token":"`+client.RefreshToken()+`"}`),
		"authorizer_access_token")
	fmt.Print(post("/cgi-bin/menu/create?access_token="+url.QueryEscape(atoken), `{"button":[{"type":"click","name":"签到","key":"CHECKIN"}]}`))
	fmt.Println(client.Menus().Default.Buttons[0].Name, emu.Menus().Default == nil)
	// Output:
	// {"errcode":0,"errmsg":"ok"}
	// 签到 true
}

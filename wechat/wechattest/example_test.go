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

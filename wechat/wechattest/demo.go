package wechattest

import "github.com/wxmenu/wxmenu/wechat"

// SeedDemo replaces the menus and users with a small realistic account: a
// default menu, three conditional menus (one of them a pre-privacy-change
// rule on sex that no longer matches) and five followers that between them
// see every menu. Tokens, counters and the clock are left alone. The CLI
// quickstart is written against exactly this content.
func (e *Emulator) SeedDemo() {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.defaultMenu = &storedMenu{MenuID: e.nextMenuID(), Buttons: []wechat.Button{
		{Type: "view", Name: "官网", URL: "https://www.example.com/"},
		{Name: "服务", SubButtons: []wechat.Button{
			{Type: "click", Name: "联系客服", Key: "CONTACT"},
			{Type: "view", Name: "订单查询", URL: "https://shop.example.com/orders?from=menu&src=wx"},
		}},
		{Type: "click", Name: "签到", Key: "CHECKIN"},
	}}
	e.conditional = nil
	// Inserted directly: addconditional would reject the sex rule (65320).
	e.conditional = append(e.conditional,
		storedConditional{
			MenuID:    e.nextMenuID(),
			MatchRule: wechat.MatchRule{Sex: "1"},
			Buttons:   []wechat.Button{{Type: "click", Name: "男士专区", Key: "MEN_ZONE"}},
		},
		storedConditional{
			MenuID:    e.nextMenuID(),
			MatchRule: wechat.MatchRule{ClientPlatformType: "2"},
			Buttons:   []wechat.Button{{Type: "view", Name: "安卓下载", URL: "https://dl.example.com/android"}},
		},
		storedConditional{
			MenuID:    e.nextMenuID(),
			MatchRule: wechat.MatchRule{TagID: "101"},
			Buttons: []wechat.Button{
				{Type: "view", Name: "会员中心", URL: "https://vip.example.com/"},
				{Type: "click", Name: "专属客服", Key: "VIP_CONTACT"},
			},
		},
	)
	e.users = []User{
		{OpenID: "o_demo_vip", TagIDs: []string{"101"}, Platform: "1"},
		{OpenID: "o_demo_staff", TagIDs: []string{"102"}, Platform: "1"},
		{OpenID: "o_demo_android", Platform: "2"},
		{OpenID: "o_demo_plain", Platform: "3"},
		{OpenID: "o_demo_vip_staff", TagIDs: []string{"101", "102"}, Platform: "2"},
	}
	e.persistLocked()
}

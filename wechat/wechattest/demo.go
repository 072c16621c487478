package wechattest

import "github.com/wxmenu/wxmenu/wechat"

// SeedDemoAll gives every account the demo content with a single save of
// the state, which is what a sandbox of many accounts wants at start.
func (e *Emulator) SeedDemoAll() { e.SeedDemoAccounts(e.order...) }

// SeedDemoAccounts gives the accounts of appIDs (configured accounts; others
// are left out) the demo content, with a single save of the state.
func (e *Emulator) SeedDemoAccounts(appIDs ...string) {
	e.mu.Lock()
	defer e.mu.Unlock()
	for _, id := range appIDs {
		if a := e.accounts[id]; a != nil {
			a.seedDemoLocked()
		}
	}
	e.persistLocked()
}

func (a *acct) seedDemoLocked() {
	e := a.emu
	a.ConsoleMenu = nil
	a.DefaultMenu = &storedMenu{MenuID: e.nextMenuID(), Buttons: []wechat.Button{
		{Type: "view", Name: "官网", URL: "https://www.example.com/"},
		{Name: "服务", SubButtons: []wechat.Button{
			{Type: "click", Name: "联系客服", Key: "CONTACT"},
			{Type: "view", Name: "订单查询", URL: "https://shop.example.com/orders?from=menu&src=wx"},
		}},
		{Type: "click", Name: "签到", Key: "CHECKIN"},
	}}
	// Inserted directly: addconditional would reject the sex rule (65320).
	a.Conditional = []storedConditional{
		{
			MenuID:    e.nextMenuID(),
			MatchRule: wechat.MatchRule{Sex: "1"},
			Buttons:   []wechat.Button{{Type: "click", Name: "男士专区", Key: "MEN_ZONE"}},
		},
		{
			MenuID:    e.nextMenuID(),
			MatchRule: wechat.MatchRule{ClientPlatformType: "2"},
			Buttons:   []wechat.Button{{Type: "view", Name: "安卓下载", URL: "https://dl.example.com/android"}},
		},
		{
			MenuID:    e.nextMenuID(),
			MatchRule: wechat.MatchRule{TagID: "101"},
			Buttons: []wechat.Button{
				{Type: "view", Name: "会员中心", URL: "https://vip.example.com/"},
				{Type: "click", Name: "专属客服", Key: "VIP_CONTACT"},
			},
		},
	}
	a.Users = []User{
		{OpenID: "o_demo_vip", TagIDs: []string{"101"}, Platform: "1"},
		{OpenID: "o_demo_staff", TagIDs: []string{"102"}, Platform: "1"},
		{OpenID: "o_demo_android", Platform: "2"},
		{OpenID: "o_demo_plain", Platform: "3"},
		{OpenID: "o_demo_vip_staff", TagIDs: []string{"101", "102"}, Platform: "2"},
	}
	a.Tags = []storedTag{{ID: 101, Name: "会员"}, {ID: 102, Name: "员工"}}
	a.LastTagID = max(a.LastTagID, 102)
}

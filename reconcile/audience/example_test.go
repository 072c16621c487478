package audience_test

import (
	"fmt"

	"github.com/wxmenu/wxmenu/reconcile/audience"
	"github.com/wxmenu/wxmenu/wechat"
)

// A planner passes the live account and the desired state, and reads the
// table, the losses for its delete rail and the transient fallbacks of its
// step order.
func ExampleSimulate() {
	vip := []wechat.Button{{Type: "click", Name: "会员中心", Key: "VIP"}}
	vipIOS := []wechat.Button{{Type: "view", Name: "下载 App", URL: "https://apps.example.com/ios"}}
	live := &wechat.MenuSet{
		Default: &wechat.Menu{Buttons: []wechat.Button{{Type: "click", Name: "签到", Key: "CHECKIN"}}},
		Conditional: []wechat.ConditionalMenu{
			{MenuID: "401", MatchRule: wechat.MatchRule{TagID: "101", ClientPlatformType: "1"}, Buttons: vipIOS},
			{MenuID: "400", MatchRule: wechat.MatchRule{TagID: "101"}, Buttons: vip},
		},
	}
	in := audience.Input{
		Live: live,
		Desired: audience.Desired{
			Default:     live.Default.Buttons,
			Conditional: []audience.DesiredMenu{{Name: "vip", Rule: &wechat.MatchRule{TagID: "101"}, Buttons: vip}},
		},
		TagNames: map[string]string{"101": "gold"},
	}
	imp, err := audience.Simulate(in, []audience.Step{{Action: audience.ActionDelConditional, MenuID: "401"}})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, r := range imp.Rows {
		fmt.Printf("%s: %s -> %s changed=%v lost=%v\n", r.Label, r.Before.Name, r.After.Name, r.Changed, r.Lost)
	}
	fmt.Println("lost audiences:", len(imp.LostAudiences()), "menus removed for good:", len(imp.Removed))
	// Output:
	// tag 101 (gold) on iOS: tag 101 (gold), iOS (menuid 401) -> vip changed=true lost=true
	// tag 101 (gold) on Android, others: vip -> vip changed=false lost=false
	// everyone else: default menu -> default menu changed=false lost=false
	// lost audiences: 1 menus removed for good: 1
}

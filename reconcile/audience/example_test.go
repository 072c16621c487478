package audience_test

import (
	"fmt"

	"github.com/wxmenu/wxmenu/reconcile/audience"
	"github.com/wxmenu/wxmenu/reconcile/plans"
	"github.com/wxmenu/wxmenu/wechat"
)

// A planner passes the account as it read it, named as its plan names the
// menus, and its steps; it reads the table, the losses for its delete rail
// and the transient fallbacks of its step order.
func ExampleReplay() {
	vip := []wechat.Button{{Type: "click", Name: "会员中心", Key: "VIP"}}
	vipIOS := []wechat.Button{{Type: "view", Name: "下载 App", URL: "https://apps.example.com/ios"}}
	before := audience.State{
		Default: &audience.Menu{Name: audience.DefaultMenuName, Buttons: []wechat.Button{{Type: "click", Name: "签到", Key: "CHECKIN"}}},
		Conditional: []audience.Menu{
			{Name: "tag 101 (gold), iOS (menuid 401)", MenuID: "401", Rule: &wechat.MatchRule{TagID: "101", ClientPlatformType: "1"}, Buttons: vipIOS},
			{Name: "vip", MenuID: "400", Rule: &wechat.MatchRule{TagID: "101"}, Buttons: vip},
		},
	}
	imp, err := audience.Replay(before, []plans.Step{{Action: plans.ActionDelConditional, MenuID: "401"}}, map[string]string{"101": "gold"})
	if err != nil {
		fmt.Println(err)
		return
	}
	lost := 0
	for _, r := range imp.Rows {
		fmt.Printf("%s: %s -> %s changed=%v lost=%v\n", r.Label, r.Before.Name, r.After.Name, r.Changed, r.Lost)
		if r.Lost {
			lost++
		}
	}
	fmt.Println("lost audiences:", lost, "menus removed for good:", len(imp.Removed))
	// Output:
	// tag 101 (gold) on iOS: tag 101 (gold), iOS (menuid 401) -> vip changed=true lost=true
	// tag 101 (gold) on Android, others: vip -> vip changed=false lost=false
	// everyone else: default menu -> default menu changed=false lost=false
	// lost audiences: 1 menus removed for good: 1
}

package canon

import (
	"encoding/json"
	"testing"

	"github.com/wxmenu/wxmenu/wechat"
)

func TestLiveDigest(t *testing.T) {
	const raw = `{"menu":{"button":[{"type":"click","name":"a","key":"A","sub_button":[]}],"menuid":10},
		"conditionalmenu":[
		  {"button":[{"type":"click","name":"b","key":"B","sub_button":[]}],"matchrule":{"group_id":"101"},"menuid":12},
		  {"button":[{"type":"click","name":"c","key":"C"}],"matchrule":{"client_platform_type":1},"menuid":11}]}`
	read := func() *wechat.MenuSet {
		var s wechat.MenuSet
		if err := json.Unmarshal([]byte(raw), &s); err != nil {
			t.Fatal(err)
		}
		return &s
	}
	base := LiveDigest(read())

	// The same account written the way the emulator or YAML would.
	quirkless := &wechat.MenuSet{
		Default: &wechat.Menu{MenuID: "10", Buttons: []wechat.Button{{Type: "click", Name: "a", Key: "A"}}},
		Conditional: []wechat.ConditionalMenu{
			{MenuID: "12", MatchRule: wechat.MatchRule{TagID: "101"}, Buttons: []wechat.Button{{Type: "click", Name: "b", Key: "B"}}},
			{MenuID: "11", MatchRule: wechat.MatchRule{ClientPlatformType: "1"}, Buttons: []wechat.Button{{Type: "click", Name: "c", Key: "C"}}},
		},
	}
	if got := LiveDigest(quirkless); got != base {
		t.Error("wire quirks changed the live digest")
	}

	different := map[string]func(*wechat.MenuSet){
		"menuid":          func(s *wechat.MenuSet) { s.Conditional[0].MenuID = "13" },
		"listed order":    func(s *wechat.MenuSet) { s.Conditional[0], s.Conditional[1] = s.Conditional[1], s.Conditional[0] },
		"default buttons": func(s *wechat.MenuSet) { s.Default.Buttons[0].Key = "A2" },
		"no default":      func(s *wechat.MenuSet) { s.Default = nil },
		"rule":            func(s *wechat.MenuSet) { s.Conditional[1].MatchRule.ClientPlatformType = "2" },
		"menu removed":    func(s *wechat.MenuSet) { s.Conditional = s.Conditional[:1] },
	}
	for name, change := range different {
		s := read()
		change(s)
		if LiveDigest(s) == base {
			t.Errorf("changing %s did not change the live digest", name)
		}
	}
	if LiveDigest(nil) == LiveDigest(&wechat.MenuSet{}) {
		t.Error("a nil live state digests like an empty account")
	}
}

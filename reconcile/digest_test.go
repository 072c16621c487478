package reconcile

import (
	"encoding/json"
	"regexp"
	"testing"

	"github.com/wxmenu/wxmenu/wechat"
)

func digestFixture() *DesiredState {
	return &DesiredState{
		Path:    "menus.yaml",
		Default: &DesiredDefault{Buttons: []wechat.Button{{Type: "click", Name: "首页", Key: "HOME"}}, Pos: Pos{Line: 2, Column: 3}},
		Conditional: []DesiredConditional{
			{Name: "vip", MatchRule: wechat.MatchRule{TagID: "101"}, Buttons: []wechat.Button{{Type: "click", Name: "会员", Key: "VIP"}}, Pos: Pos{Line: 9, Column: 5}},
			{Name: "ios", MatchRule: wechat.MatchRule{ClientPlatformType: "1"}, Buttons: []wechat.Button{{Type: "view", Name: "App", URL: "https://a.example/?x=1&y=2"}}},
		},
		Unmanaged: []UnmanagedRule{{MatchRule: wechat.MatchRule{TagID: "900"}}},
	}
}

func TestDesiredDigest(t *testing.T) {
	base := digestFixture().Digest()
	if !regexp.MustCompile(`^sha256:[0-9a-f]{64}$`).MatchString(base) {
		t.Fatalf("Digest() = %q, want sha256:<hex>", base)
	}
	same := map[string]func(*DesiredState){
		"path":      func(d *DesiredState) { d.Path = "other/menus.yaml" },
		"positions": func(d *DesiredState) { d.Conditional[0].Pos = Pos{Line: 40}; d.Default.Pos = Pos{} },
		"leaf sub_button": func(d *DesiredState) {
			d.Conditional[0].Buttons[0].SubButtons = []wechat.Button{}
		},
	}
	for name, change := range same {
		d := digestFixture()
		change(d)
		if got := d.Digest(); got != base {
			t.Errorf("changing %s changed the digest", name)
		}
	}
	different := map[string]func(*DesiredState){
		"name":       func(d *DesiredState) { d.Conditional[0].Name = "vip2" },
		"rule":       func(d *DesiredState) { d.Conditional[0].MatchRule.TagID = "102" },
		"buttons":    func(d *DesiredState) { d.Conditional[1].Buttons[0].URL = "https://a.example/" },
		"protect":    func(d *DesiredState) { d.Conditional[1].Protect = true },
		"order":      func(d *DesiredState) { d.Conditional[0], d.Conditional[1] = d.Conditional[1], d.Conditional[0] },
		"unmanaged":  func(d *DesiredState) { d.Unmanaged = nil },
		"no default": func(d *DesiredState) { d.Default = nil },
		"default":    func(d *DesiredState) { d.Default.Buttons[0].Key = "HOME2" },
	}
	for name, change := range different {
		d := digestFixture()
		change(d)
		if got := d.Digest(); got == base {
			t.Errorf("changing %s did not change the digest", name)
		}
	}
	var nilState *DesiredState
	if nilState.Digest() != (&DesiredState{}).Digest() {
		t.Error("nil and empty desired states digest differently")
	}
}

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

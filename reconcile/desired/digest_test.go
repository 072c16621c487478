package desired

import (
	"regexp"
	"testing"

	"github.com/wxmenu/wxmenu/wechat"
)

func digestFixture() *State {
	return &State{
		Path:    "menus.yaml",
		Default: &Default{Buttons: []wechat.Button{{Type: "click", Name: "首页", Key: "HOME"}}},
		Conditional: []Conditional{
			{Name: "vip", MatchRule: wechat.MatchRule{TagID: "101"}, Buttons: []wechat.Button{{Type: "click", Name: "会员", Key: "VIP"}}},
			{Name: "ios", MatchRule: wechat.MatchRule{ClientPlatformType: "1"}, Buttons: []wechat.Button{{Type: "view", Name: "App", URL: "https://a.example/?x=1&y=2"}}},
		},
		Unmanaged: []UnmanagedRule{{MatchRule: wechat.MatchRule{TagID: "900"}}},
		Positions: map[string]Pos{"default": {Line: 2, Column: 3}, "conditional[0]": {Line: 9, Column: 5}},
	}
}

func TestDesiredDigest(t *testing.T) {
	base := digestFixture().Digest()
	if !regexp.MustCompile(`^sha256:[0-9a-f]{64}$`).MatchString(base) {
		t.Fatalf("Digest() = %q, want sha256:<hex>", base)
	}
	same := map[string]func(*State){
		"path":      func(d *State) { d.Path = "other/menus.yaml" },
		"positions": func(d *State) { d.Positions = map[string]Pos{"conditional[0]": {Line: 40}} },
		"leaf sub_button": func(d *State) {
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
	different := map[string]func(*State){
		"name":       func(d *State) { d.Conditional[0].Name = "vip2" },
		"rule":       func(d *State) { d.Conditional[0].MatchRule.TagID = "102" },
		"buttons":    func(d *State) { d.Conditional[1].Buttons[0].URL = "https://a.example/" },
		"protect":    func(d *State) { d.Conditional[1].Protect = true },
		"order":      func(d *State) { d.Conditional[0], d.Conditional[1] = d.Conditional[1], d.Conditional[0] },
		"unmanaged":  func(d *State) { d.Unmanaged = nil },
		"no default": func(d *State) { d.Default = nil },
		"default":    func(d *State) { d.Default.Buttons[0].Key = "HOME2" },
	}
	for name, change := range different {
		d := digestFixture()
		change(d)
		if got := d.Digest(); got == base {
			t.Errorf("changing %s did not change the digest", name)
		}
	}
	var nilState *State
	if nilState.Digest() != (&State{}).Digest() {
		t.Error("nil and empty desired states digest differently")
	}
}

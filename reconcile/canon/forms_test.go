package canon

import (
	"testing"

	"github.com/wxmenu/wxmenu/wechat"
)

func TestFormsAgreeWithCanonicalButtons(t *testing.T) {
	home := []wechat.Button{
		{Type: "click", Name: "签到", Key: "CHECKIN", URL: "ignored on a click"},
		{Name: "更多", SubButtons: []wechat.Button{{Type: "view", Name: "官网", URL: "https://a.example/?x=1&y=2"}}},
		{Type: "view", Name: "门店", URL: "https://a.example/stores"},
	}
	same := append([]wechat.Button(nil), home...) // equal buttons, another list
	quirky := append([]wechat.Button(nil), home...)
	quirky[0].URL, quirky[2].SubButtons = "", []wechat.Button{} // what menu/get may echo instead
	other := append([]wechat.Button(nil), home...)
	other[0].Key = "CHECKIN2"
	f := NewForms(4)
	tests := []struct {
		name string
		list []wechat.Button
	}{
		{"nil", nil},
		{"empty", []wechat.Button{}},
		{"a list", home},
		{"the same list again", home},
		{"a shorter slice of it", home[:2]}, // same first element, its own form
		{"an equal copy", same},
		{"a copy with menu/get's quirks", quirky},
		{"a list with another key", other},
	}
	for _, tt := range tests {
		want := string(AppendJSONString(nil, CanonicalButtons(tt.list)))
		quoted, key := f.Quoted(tt.list)
		if string(quoted) != want {
			t.Errorf("%s: Quoted = %s, want %s", tt.name, quoted, want)
		}
		if key != KeyOf(tt.list) || key != keyOf([]byte(want)) || f.Key(tt.list) != key {
			t.Errorf("%s: the Keys of Quoted, KeyOf and Key disagree", tt.name)
		}
	}
	// Key writes the forms it has not seen.
	g := NewForms(4)
	for _, tt := range tests {
		if g.Key(tt.list) != KeyOf(tt.list) {
			t.Errorf("%s: Key of an unseen list = %x, want %x", tt.name, g.Key(tt.list), KeyOf(tt.list))
		}
	}
	same2 := []struct {
		name string
		a, b []wechat.Button
		want bool
	}{
		{"equal copies", home, same, true},
		{"menu/get's quirks", home, quirky, true},
		{"nil and empty", nil, []wechat.Button{}, true},
		{"a prefix", home, home[:2], false},
		{"another key", home, other, false},
		{"nil and a list", nil, home, false},
	}
	for _, tt := range same2 {
		if got := NewForms(2).Same(tt.a, tt.b); got != tt.want {
			t.Errorf("%s: Same = %v, want %v", tt.name, got, tt.want)
		}
	}
}

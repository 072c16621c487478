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
	}
	for _, tt := range tests {
		if got, want := f.Of(tt.list), CanonicalButtons(tt.list); got != want {
			t.Errorf("%s: Of = %s, want %s", tt.name, got, want)
		}
	}
	if !f.Same(home, same) || f.Same(home, home[:2]) || !f.Same(nil, []wechat.Button{}) {
		t.Error("Same disagrees with the canonical forms")
	}
}

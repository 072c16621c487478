package textwidth

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestString(t *testing.T) {
	tests := map[string]int{
		"":          0,
		"abc":       3,
		"会员":        4,
		"会员|vip":    8,
		"（全角）":      8, // fullwidth punctuation
		"ｶﾀｶﾅ":      4, // halfwidth katakana
		"カタカナ":      8,
		"한국어":       6,
		"🎉":         2,
		"e\u0301":   1, // a combining accent adds nothing
		"a\u200db":  2, // nor does a zero width joiner
		"\uFFFD":    1, // what a control character is shown as
		"会员专享服务":    12,
		"Menu · 菜单": 11,
	}
	got := map[string]int{}
	for s := range tests {
		got[s] = String(s)
	}
	if diff := cmp.Diff(tests, got); diff != "" {
		t.Errorf("String (-want +got):\n%s", diff)
	}
}

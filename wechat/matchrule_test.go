package wechat

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestMatchRuleMatches(t *testing.T) {
	tests := []struct {
		name     string
		rule     MatchRule
		tags     []string
		platform string
		want     bool
	}{
		{"tag", MatchRule{TagID: "1"}, []string{"1"}, "", true},
		{"tag not last", MatchRule{TagID: "1"}, []string{"1", "2"}, "", false},
		{"tag last of several", MatchRule{TagID: "2"}, []string{"1", "2"}, "", true},
		{"no tags", MatchRule{TagID: "1"}, nil, "1", false},
		{"platform", MatchRule{ClientPlatformType: "2"}, nil, "2", true},
		{"platform differs", MatchRule{ClientPlatformType: "2"}, nil, "1", false},
		{"both must match", MatchRule{TagID: "1", ClientPlatformType: "2"}, []string{"1"}, "1", false},
		{"both match", MatchRule{TagID: "1", ClientPlatformType: "2"}, []string{"1"}, "2", true},
		{"privacy field never matches", MatchRule{TagID: "1", Sex: "1"}, []string{"1"}, "1", false},
		{"language never matches", MatchRule{Language: "zh_CN"}, nil, "", false},
		{"empty rule never matches", MatchRule{}, nil, "1", false},
	}
	for _, tt := range tests {
		if got := tt.rule.Matches(tt.tags, tt.platform); got != tt.want {
			t.Errorf("%s: Matches = %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestMatchRuleCovers(t *testing.T) {
	tests := []struct {
		name string
		r, o MatchRule
		want bool
	}{
		{"itself", MatchRule{TagID: "1"}, MatchRule{TagID: "1"}, true},
		{"the tag covers the tag on a platform", MatchRule{TagID: "1"}, MatchRule{TagID: "1", ClientPlatformType: "2"}, true},
		{"the platform covers a tag on it", MatchRule{ClientPlatformType: "2"}, MatchRule{TagID: "1", ClientPlatformType: "2"}, true},
		{"not the other way", MatchRule{TagID: "1", ClientPlatformType: "2"}, MatchRule{TagID: "1"}, false},
		{"distinct tags", MatchRule{TagID: "1"}, MatchRule{TagID: "2"}, false},
		{"distinct platforms", MatchRule{ClientPlatformType: "1"}, MatchRule{ClientPlatformType: "2"}, false},
		{"a dead rule covers nothing", MatchRule{TagID: "1", Sex: "1"}, MatchRule{TagID: "1", Sex: "1"}, false},
		{"an empty rule covers nothing", MatchRule{}, MatchRule{TagID: "1"}, false},
	}
	for _, tt := range tests {
		if got := tt.r.Covers(tt.o); got != tt.want {
			t.Errorf("%s: Covers = %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestMatchRuleIsDeadAndDescribe(t *testing.T) {
	names := map[string]string{"101": "vip"}
	tests := []struct {
		rule            MatchRule
		dead            bool
		describe, named string
	}{
		{MatchRule{TagID: "101"}, false, "tag 101", "tag 101 (vip)"},
		{MatchRule{TagID: "101", ClientPlatformType: "1"}, false, "tag 101, iOS", "tag 101 (vip), iOS"},
		{MatchRule{TagID: "102"}, false, "tag 102", "tag 102"},
		{MatchRule{ClientPlatformType: "2"}, false, "Android", "Android"},
		{MatchRule{ClientPlatformType: "9"}, false, "platform 9", "platform 9"},
		{MatchRule{Sex: "1"}, true, "sex 1 (dead)", "sex 1 (dead)"},
		{MatchRule{TagID: "3", Language: "zh_CN"}, true, "tag 3, language zh_CN (dead)", "tag 3, language zh_CN (dead)"},
		{MatchRule{Country: "中国", Province: "广东", City: "广州"}, true, "country 中国, province 广东, city 广州 (dead)", "country 中国, province 广东, city 广州 (dead)"},
		{MatchRule{}, false, "empty matchrule", "empty matchrule"},
	}
	for _, tt := range tests {
		if got := tt.rule.IsDead(); got != tt.dead {
			t.Errorf("IsDead(%+v) = %v, want %v", tt.rule, got, tt.dead)
		}
		if diff := cmp.Diff(tt.describe, tt.rule.Describe(nil)); diff != "" {
			t.Errorf("Describe(%+v, nil) mismatch (-want +got):\n%s", tt.rule, diff)
		}
		if diff := cmp.Diff(tt.named, tt.rule.Describe(names)); diff != "" {
			t.Errorf("Describe(%+v, names) mismatch (-want +got):\n%s", tt.rule, diff)
		}
	}
}

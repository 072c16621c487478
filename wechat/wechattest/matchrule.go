package wechattest

import (
	"github.com/wxmenu/wxmenu/wechat"
)

// matchRuleIn is a matchrule as addconditional receives it: values as JSON
// strings or numbers (reference §3).
type matchRuleIn struct {
	TagID              flexValue `json:"tag_id"`
	GroupID            flexValue `json:"group_id"`
	ClientPlatformType flexValue `json:"client_platform_type"`
	Sex                flexValue `json:"sex"`
	Country            flexValue `json:"country"`
	Province           flexValue `json:"province"`
	City               flexValue `json:"city"`
	Language           flexValue `json:"language"`
}

// validateMatchRule checks an addconditional matchrule and returns it in
// stored form.
//
//   - nothing set → 65304 "match rule empty";
//   - any privacy field (sex, country, province, city, language) set → 65320.
//     An empty string counts as not set (UNCONFIRMED: SDKs like PowerWeChat
//     always send all seven keys, mostly empty);
//   - client_platform_type other than 1, 2, 3 → 40035 "invalid parameter",
//     WeChat's generic invalid-argument code: the reference documents no
//     code for it (a choice);
//   - group_id, the legacy name that menu/get echoes for tag_id, is accepted
//     as tag_id (UNCONFIRMED).
func validateMatchRule(in *matchRuleIn) (wechat.MatchRule, *apiError) {
	if in == nil {
		return wechat.MatchRule{}, errMatchRuleEmpty
	}
	rule := wechat.MatchRule{
		TagID:              string(in.TagID),
		ClientPlatformType: string(in.ClientPlatformType),
		Sex:                string(in.Sex),
		Country:            string(in.Country),
		Province:           string(in.Province),
		City:               string(in.City),
		Language:           string(in.Language),
	}
	if rule.TagID == "" {
		rule.TagID = string(in.GroupID)
	}
	switch {
	case rule.IsEmpty():
		return wechat.MatchRule{}, errMatchRuleEmpty
	case rule.IsDead():
		return wechat.MatchRule{}, errPrivacyMatchRule
	}
	if p := rule.ClientPlatformType; p != "" {
		if _, ok := wechat.ClientPlatformName(p); !ok {
			return wechat.MatchRule{}, errInvalidParam
		}
	}
	return rule, nil
}

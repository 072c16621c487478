package wechattest

import (
	"github.com/wxmenu/wxmenu/wechat"
)

// validateMatchRule checks an addconditional matchrule, decoded as
// wechat.MatchRule decodes one (values as JSON strings or numbers, null as
// absent, group_id as tag_id), and returns it in stored form.
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
func validateMatchRule(in *wechat.MatchRule) (wechat.MatchRule, *apiError) {
	if in == nil {
		return wechat.MatchRule{}, errAnswer(wechat.CodeMatchRuleEmpty)
	}
	rule := *in
	switch {
	case rule.IsEmpty():
		return wechat.MatchRule{}, errAnswer(wechat.CodeMatchRuleEmpty)
	case rule.IsDead():
		return wechat.MatchRule{}, errAnswer(wechat.CodePrivacyMatchRule)
	}
	if p := rule.ClientPlatformType; p != "" {
		if _, ok := wechat.ClientPlatformName(p); !ok {
			return wechat.MatchRule{}, errAnswer(wechat.CodeInvalidParameter)
		}
	}
	return rule, nil
}

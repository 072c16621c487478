package wechattest

import (
	"github.com/wxmenu/wxmenu/wechat"
)

// validateMatchRule checks an addconditional matchrule, decoded as
// wechat.MatchRule decodes one (values as JSON strings or numbers, null as
// absent, group_id as tag_id), and returns it in stored form: nothing set
// → 65304, a privacy field (sex, country, province, city, language) set →
// 65320, client_platform_type other than 1, 2, 3 → 40035; the choices are
// in the fidelity table of docs/sandbox.md.
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

package wechat

import (
	"cmp"
	"encoding/json"

	"github.com/wxmenu/wxmenu/internal/i18n"
)

// MatchRule is a conditional menu's matchrule. Values are kept as the strings
// WeChat documents; decoding accepts JSON strings or numbers, and folds the
// group_id that menu/get echoes for a tag_id back into TagID. Two rules are
// the same rule exactly when they are ==.
//
// What a rule means lives here, once: WeChat shows a follower the newest
// conditional menu whose rule matches them (Matches), so a rule listed
// below one that covers it is never shown (Covers), and people read rules
// as Describe words them.
type MatchRule struct {
	TagID              string `json:"tag_id,omitempty"`
	ClientPlatformType string `json:"client_platform_type,omitempty"`
	// Privacy fields: rejected by addconditional (65320) and never matched,
	// but still listed by menu/get for menus created before the change.
	Sex      string `json:"sex,omitempty"`
	Country  string `json:"country,omitempty"`
	Province string `json:"province,omitempty"`
	City     string `json:"city,omitempty"`
	Language string `json:"language,omitempty"`
}

// IsEmpty reports whether no field of the rule is set (65304 on WeChat).
func (r MatchRule) IsEmpty() bool { return r == MatchRule{} }

// privacyFields are the privacy fields of r with their wire names, in wire
// order.
func (r MatchRule) privacyFields() [5][2]string {
	return [5][2]string{{"sex", r.Sex}, {"country", r.Country}, {"province", r.Province}, {"city", r.City}, {"language", r.Language}}
}

// PrivacyFields lists the set privacy fields (sex, region, language) by
// their wire names, in wire order.
func (r MatchRule) PrivacyFields() []string {
	var out []string
	for _, f := range r.privacyFields() {
		if f[1] != "" {
			out = append(out, f[0])
		}
	}
	return out
}

// IsDead reports whether the rule uses a privacy field (any field but
// tag_id and client_platform_type): WeChat rejects such rules for new menus
// (65320) and menus that have one never match anyone.
func (r MatchRule) IsDead() bool {
	return r != MatchRule{TagID: r.TagID, ClientPlatformType: r.ClientPlatformType}
}

// Matches reports whether r matches a follower whose tags are tagIDs, in
// the order they were applied, on platform ("1" iOS, "2" Android, "3"
// others). Every field r sets must match: tag_id is compared with the most
// recently applied tag only (reference §3, [community:w3cschool-personalized]).
// An empty or dead rule matches nobody.
func (r MatchRule) Matches(tagIDs []string, platform string) bool {
	// Not Covers of the follower's own rule: this is the planner's hottest
	// call, and Covers costs BenchmarkNewPlan 60% more.
	switch {
	case r.TagID != "" && (len(tagIDs) == 0 || tagIDs[len(tagIDs)-1] != r.TagID):
		return false
	case r.ClientPlatformType != "" && r.ClientPlatformType != platform:
		return false
	}
	return !r.IsEmpty() && !r.IsDead()
}

// Covers reports whether r matches every follower that o matches: r can
// match (it is neither empty nor dead) and every field r sets is set to the
// same value in o. A rule covers itself. A menu listed below one whose rule
// covers its own is never shown, and a follower who moves from o's menu to
// r's (r != o) moves to a broader menu. Distinct tag_ids never cover each
// other: WeChat matches only a follower's most recent tag.
func (r MatchRule) Covers(o MatchRule) bool {
	return !r.IsEmpty() && !r.IsDead() &&
		(r.TagID == "" || r.TagID == o.TagID) &&
		(r.ClientPlatformType == "" || r.ClientPlatformType == o.ClientPlatformType)
}

// Describe words the rule for people: `tag 101, iOS`, `Android`,
// `sex 1 (dead)`, `empty matchrule`. tagNames, if given, names tag ids:
// `tag 101 (vip)`.
func (r MatchRule) Describe(tagNames map[string]string) string {
	return r.DescribeIn(nil, tagNames)
}

// DescribeIn is Describe worded by tr (nil: English), in the terms of
// WeChat's own documents for its language: 用户标签 101, iOS, 性别 1.
func (r MatchRule) DescribeIn(tr *i18n.Printer, tagNames map[string]string) string {
	var parts []string
	if r.TagID != "" {
		tag := tr.Msg("tag %s", r.TagID)
		if name := tagNames[r.TagID]; name != "" {
			tag += " (" + name + ")"
		}
		parts = append(parts, tag)
	}
	if p := r.ClientPlatformType; p != "" {
		parts = append(parts, ClientPlatformLabel(tr, p))
	}
	for _, f := range r.privacyFields() {
		if f[1] != "" {
			parts = append(parts, privacyLabel(tr, f[0], f[1]))
		}
	}
	switch {
	case len(parts) == 0:
		return tr.Msg("empty matchrule")
	case r.IsDead():
		return tr.Msg("%s (dead)", tr.List(parts))
	}
	return tr.List(parts)
}

// privacyLabel words a privacy field of a rule and its value: "sex 1".
func privacyLabel(tr *i18n.Printer, field, v string) string {
	switch field {
	case "sex":
		return tr.Msg("sex %s", v)
	case "country":
		return tr.Msg("country %s", v)
	case "province":
		return tr.Msg("province %s", v)
	case "city":
		return tr.Msg("city %s", v)
	}
	return tr.Msg("language %s", v)
}

// ClientPlatformLabel is ClientPlatformName for people reading tr's
// language: iOS, Android, others (其他).
func ClientPlatformLabel(tr *i18n.Printer, v string) string {
	name, ok := ClientPlatformName(v)
	switch {
	case !ok:
		return tr.Msg("platform %s", v)
	case v == "3":
		return tr.Msg("others")
	}
	return name
}

// ButtonTypeName names button type t for people reading tr's language:
// in Chinese as WeChat's Chinese documents do, the wire type beside it
// ("点击推事件（click）"); in English, and for an unknown type, t itself.
func ButtonTypeName(tr *i18n.Printer, t string) string {
	switch t {
	case "click":
		return tr.Msg("click")
	case "view":
		return tr.Msg("view")
	case "miniprogram":
		return tr.Msg("miniprogram")
	case "scancode_push":
		return tr.Msg("scancode_push")
	case "scancode_waitmsg":
		return tr.Msg("scancode_waitmsg")
	case "pic_sysphoto":
		return tr.Msg("pic_sysphoto")
	case "pic_photo_or_album":
		return tr.Msg("pic_photo_or_album")
	case "pic_weixin":
		return tr.Msg("pic_weixin")
	case "location_select":
		return tr.Msg("location_select")
	case "media_id":
		return tr.Msg("media_id")
	case "view_limited":
		return tr.Msg("view_limited")
	case "article_id":
		return tr.Msg("article_id")
	case "article_view_limited":
		return tr.Msg("article_view_limited")
	}
	return t
}

// UnmarshalJSON decodes a matchrule as menu/get returns it: values as JSON
// strings or numbers, tag_id possibly echoed as group_id.
func (r *MatchRule) UnmarshalJSON(data []byte) error {
	var raw struct {
		TagID              FlexString `json:"tag_id"`
		GroupID            FlexString `json:"group_id"`
		ClientPlatformType FlexString `json:"client_platform_type"`
		Sex                FlexString `json:"sex"`
		Country            FlexString `json:"country"`
		Province           FlexString `json:"province"`
		City               FlexString `json:"city"`
		Language           FlexString `json:"language"`
	}
	if err := json.Unmarshal(data, &raw); err != nil {
		return err
	}
	*r = MatchRule{
		TagID:              string(cmp.Or(raw.TagID, raw.GroupID)),
		ClientPlatformType: string(raw.ClientPlatformType),
		Sex:                string(raw.Sex),
		Country:            string(raw.Country),
		Province:           string(raw.Province),
		City:               string(raw.City),
		Language:           string(raw.Language),
	}
	return nil
}

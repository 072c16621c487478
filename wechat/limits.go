package wechat

import "slices"

// Documented menu limits (the WeChat API reference, wechat-menu-api.md §2). Lengths are UTF-8
// bytes. Both the emulator and the offline validator use these numbers.
const (
	MaxTopButtons         = 3
	MaxSubButtons         = 5
	MaxTopNameBytes       = 16
	MaxSubNameBytes       = 60
	MaxKeyBytes           = 128
	MaxURLBytes           = 1024
	MaxURLDomains         = 3   // across all conditional menus (65316)
	DefaultMaxConditional = 100 // UNCONFIRMED: 65305 exists, the number is not documented
)

// ButtonTypes maps each leaf button type to the fields it requires, by wire
// name. All 13 documented types are accepted (view_limited and miniprogram
// are missing from the new doc's enum column but present in its fields).
var ButtonTypes = map[string][]string{
	"click":                {"key"},
	"view":                 {"url"},
	"scancode_push":        {"key"},
	"scancode_waitmsg":     {"key"},
	"pic_sysphoto":         {"key"},
	"pic_photo_or_album":   {"key"},
	"pic_weixin":           {"key"},
	"location_select":      {"key"},
	"media_id":             {"media_id"},
	"view_limited":         {"media_id"},
	"article_id":           {"article_id"},
	"article_view_limited": {"article_id"},
	"miniprogram":          {"url", "appid", "pagepath"},
}

// Daily quotas per account (§1, §4). 45009 when exceeded.
var DailyQuota = map[string]int{
	"menu/create":               1000,
	"menu/get":                  10000,
	"menu/delete":               1000,
	"menu/addconditional":       2000,
	"menu/delconditional":       2000,
	"menu/trymatch":             20000,
	"get_current_selfmenu_info": 10000, // UNCONFIRMED: not in the limits table
}

// Platform values of client_platform_type.
var ClientPlatformTypes = map[string]string{"1": "iOS", "2": "Android", "3": "others"}

// UnusedFields lists, by wire name, the set fields of leaf button b that
// its type does not use (a url on a click button, a key on a view button).
// WeChat accepts and echoes such fields, but nothing reads them. Unknown
// types report nothing.
func (b Button) UnusedFields() []string {
	used, ok := ButtonTypes[b.Type]
	if !ok {
		return nil
	}
	var out []string
	for _, f := range []struct{ name, value string }{
		{"key", b.Key}, {"url", b.URL}, {"media_id", b.MediaID}, {"appid", b.AppID},
		{"pagepath", b.PagePath}, {"article_id", b.ArticleID},
	} {
		if f.value != "" && !slices.Contains(used, f.name) {
			out = append(out, f.name)
		}
	}
	return out
}

// WithoutUnusedFields returns leaf button b with the fields its type does
// not use cleared; see UnusedFields. It allocates nothing: plans call it
// for every button.
func (b Button) WithoutUnusedFields() Button {
	used, ok := ButtonTypes[b.Type]
	if !ok {
		return b
	}
	for _, f := range []struct {
		name  string
		value *string
	}{
		{"key", &b.Key}, {"url", &b.URL}, {"media_id", &b.MediaID}, {"appid", &b.AppID},
		{"pagepath", &b.PagePath}, {"article_id", &b.ArticleID},
	} {
		if !slices.Contains(used, f.name) {
			*f.value = ""
		}
	}
	return b
}

package wechat

import (
	"maps"
	"math/bits"
	"slices"
)

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

// ButtonField is one value field of a leaf button: every string field but
// type and name. The list of them (ButtonFields) is the one place the
// decoder, the validator, the unused-field logic, the canonical form, the
// text renderer and the schema learn which fields a button has.
type ButtonField struct {
	// Name is the field's wire name, also its name in menus.yaml.
	Name string
	// MaxBytes is WeChat's limit on the value in UTF-8 bytes; 0 when none is
	// documented.
	MaxBytes int
	bit      uint8
}

// The ButtonField bits, one a field.
const (
	fieldKey uint8 = 1 << iota
	fieldURL
	fieldMediaID
	fieldAppID
	fieldPagePath
	fieldArticleID
)

// field returns the field's place on b. An indexed array of b's fields
// rather than a stored accessor func: calls through a func value make b
// escape, and the planner reads every field of every button.
func (f ButtonField) field(b *Button) *string {
	fields := [NumButtonFields]*string{&b.Key, &b.URL, &b.MediaID, &b.AppID, &b.PagePath, &b.ArticleID}
	return fields[bits.TrailingZeros8(f.bit)]
}

// Value returns the field's value on b.
func (f ButtonField) Value(b *Button) string { return *f.field(b) }

// Set sets the field's value on b.
func (f ButtonField) Set(b *Button, v string) { *f.field(b) = v }

// Types lists, sorted, the button types that use (require) the field.
func (f ButtonField) Types() []string {
	var out []string
	for _, t := range ButtonTypeNames() {
		if buttonTypes[t]&f.bit != 0 {
			out = append(out, t)
		}
	}
	return out
}

// NumButtonFields is the number of ButtonFields.
const NumButtonFields = 6

// buttonFields are the value fields in wire order (the order of Button's
// JSON encoding).
var buttonFields = [NumButtonFields]ButtonField{
	{Name: "key", MaxBytes: MaxKeyBytes, bit: fieldKey},
	{Name: "url", MaxBytes: MaxURLBytes, bit: fieldURL},
	{Name: "media_id", bit: fieldMediaID},
	{Name: "appid", bit: fieldAppID},
	{Name: "pagepath", bit: fieldPagePath},
	{Name: "article_id", bit: fieldArticleID},
}

// ButtonFields returns the value fields of a leaf button in wire order. It
// is an array, so callers get a copy and allocate nothing.
func ButtonFields() [NumButtonFields]ButtonField { return buttonFields }

// buttonTypes maps each leaf button type to the fields it requires, as a
// mask of ButtonField bits. All 13 documented types are accepted
// (view_limited and miniprogram are missing from the new doc's enum column
// but present in its fields).
var buttonTypes = map[string]uint8{
	"click":                fieldKey,
	"view":                 fieldURL,
	"scancode_push":        fieldKey,
	"scancode_waitmsg":     fieldKey,
	"pic_sysphoto":         fieldKey,
	"pic_photo_or_album":   fieldKey,
	"pic_weixin":           fieldKey,
	"location_select":      fieldKey,
	"media_id":             fieldMediaID,
	"view_limited":         fieldMediaID,
	"article_id":           fieldArticleID,
	"article_view_limited": fieldArticleID,
	"miniprogram":          fieldURL | fieldAppID | fieldPagePath,
}

// ButtonTypeFields returns the fields button type t requires, by wire name
// in wire order, and whether t is a known type.
func ButtonTypeFields(t string) ([]string, bool) {
	mask, ok := buttonTypes[t]
	var names []string
	for _, f := range buttonFields {
		if mask&f.bit != 0 {
			names = append(names, f.Name)
		}
	}
	return names, ok
}

// ButtonTypeNames lists the known leaf button types, sorted.
func ButtonTypeNames() []string {
	return slices.Sorted(maps.Keys(buttonTypes))
}

// Daily quotas per account (§1, §4). 45009 when exceeded.
var dailyQuota = map[string]int{
	"menu/create":               1000,
	"menu/get":                  10000,
	"menu/delete":               1000,
	"menu/addconditional":       2000,
	"menu/delconditional":       2000,
	"menu/trymatch":             20000,
	"get_current_selfmenu_info": 10000, // UNCONFIRMED: not in the limits table
}

// DailyQuotas returns a copy of the table of daily quotas, keyed by
// endpoint.
func DailyQuotas() map[string]int { return maps.Clone(dailyQuota) }

// clientPlatforms names the values of client_platform_type.
var clientPlatforms = map[string]string{"1": "iOS", "2": "Android", "3": "others"}

// ClientPlatformName returns the name of a client_platform_type value
// ("1" is iOS) and whether it is a known value.
func ClientPlatformName(v string) (string, bool) {
	name, ok := clientPlatforms[v]
	return name, ok
}

// UnusedFields lists, by wire name, the set fields of leaf button b that
// its type does not use (a url on a click button, a key on a view button).
// WeChat accepts and echoes such fields, but nothing reads them. Unknown
// types report nothing.
func (b Button) UnusedFields() []string {
	mask, ok := buttonTypes[b.Type]
	if !ok {
		return nil
	}
	var out []string
	for _, f := range buttonFields {
		if f.Value(&b) != "" && mask&f.bit == 0 {
			out = append(out, f.Name)
		}
	}
	return out
}

// WithoutUnusedFields returns leaf button b with the fields its type does
// not use cleared; see UnusedFields. It allocates nothing: plans call it
// for every button.
func (b Button) WithoutUnusedFields() Button {
	mask, ok := buttonTypes[b.Type]
	if !ok {
		return b
	}
	for _, f := range buttonFields {
		if mask&f.bit == 0 {
			f.Set(&b, "")
		}
	}
	return b
}

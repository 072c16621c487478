package wechat

import (
	"bytes"
	"cmp"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
)

// Button is one menu button in WeChat's wire format. A parent button has a
// Name and SubButtons and no Type; a leaf has a Type and the fields that type
// needs (see ButtonTypeFields). menu/get adds "sub_button": [] to leaves, which
// decodes to an empty slice and is dropped again on encoding.
type Button struct {
	Type       string   `json:"type,omitempty"`
	Name       string   `json:"name"`
	Key        string   `json:"key,omitempty"`
	URL        string   `json:"url,omitempty"`
	MediaID    string   `json:"media_id,omitempty"`
	AppID      string   `json:"appid,omitempty"`
	PagePath   string   `json:"pagepath,omitempty"`
	ArticleID  string   `json:"article_id,omitempty"`
	SubButtons []Button `json:"sub_button,omitempty"`
}

// FlexString decodes a JSON string, number or null into a string. WeChat
// returns menuid and matchrule values as either.
type FlexString string

// UnmarshalJSON implements json.Unmarshaler.
func (s *FlexString) UnmarshalJSON(data []byte) error {
	data = bytes.TrimSpace(data)
	switch {
	case bytes.Equal(data, []byte("null")):
		*s = ""
		return nil
	case len(data) > 0 && data[0] == '"':
		return json.Unmarshal(data, (*string)(s))
	}
	var n json.Number
	err := json.Unmarshal(data, &n)
	if err == nil {
		_, err = strconv.ParseFloat(string(n), 64) // out of range
	}
	if err != nil {
		return fmt.Errorf("want a string or a number, got %.40s", data)
	}
	*s = FlexString(n)
	return nil
}

// Menu is the default menu as menu/get returns it. MenuID is set only when
// WeChat reports one (it does for accounts that also have conditional menus).
type Menu struct {
	Buttons []Button `json:"button"`
	MenuID  string   `json:"menuid,omitempty"`
}

// UnmarshalJSON accepts menuid as a JSON number or string.
func (m *Menu) UnmarshalJSON(data []byte) error {
	var raw struct {
		Buttons []Button   `json:"button"`
		MenuID  FlexString `json:"menuid"`
	}
	if err := json.Unmarshal(data, &raw); err != nil {
		return err
	}
	*m = Menu{Buttons: raw.Buttons, MenuID: string(raw.MenuID)}
	return nil
}

// ConditionalMenu is one conditional (personalized) menu.
type ConditionalMenu struct {
	Buttons   []Button  `json:"button"`
	MatchRule MatchRule `json:"matchrule"`
	MenuID    string    `json:"menuid,omitempty"`
}

// UnmarshalJSON accepts menuid as a JSON number or string.
func (m *ConditionalMenu) UnmarshalJSON(data []byte) error {
	var raw struct {
		Buttons   []Button   `json:"button"`
		MatchRule MatchRule  `json:"matchrule"`
		MenuID    FlexString `json:"menuid"`
	}
	if err := json.Unmarshal(data, &raw); err != nil {
		return err
	}
	*m = ConditionalMenu{Buttons: raw.Buttons, MatchRule: raw.MatchRule, MenuID: string(raw.MenuID)}
	return nil
}

// MenuSet is what menu/get reports: the default menu and the conditional
// menus in the order WeChat lists them (observed newest first).
type MenuSet struct {
	// Default is nil when the account has no menu (errcode 46003).
	Default     *Menu             `json:"menu,omitempty"`
	Conditional []ConditionalMenu `json:"conditionalmenu,omitempty"`
}

// SelfMenuInfo is the get_current_selfmenu_info response: the menu users
// see, however it was published (API or web console).
type SelfMenuInfo struct {
	IsMenuOpen int `json:"is_menu_open"`
	SelfMenu   struct {
		Buttons []SelfMenuButton `json:"button"`
	} `json:"selfmenu_info"`
}

// SelfMenuButton is a button in get_current_selfmenu_info, where sub-buttons
// are wrapped as {"list": [...]} and console-published menus use console
// types (text, img, voice, video, news) with a value or news_info.
type SelfMenuButton struct {
	Type      string          `json:"type,omitempty"`
	Name      string          `json:"name"`
	Key       string          `json:"key,omitempty"`
	URL       string          `json:"url,omitempty"`
	Value     string          `json:"value,omitempty"`
	AppID     string          `json:"appid,omitempty"`
	PagePath  string          `json:"pagepath,omitempty"`
	ArticleID string          `json:"article_id,omitempty"`
	NewsInfo  json.RawMessage `json:"news_info,omitempty"`
	SubButton *struct {
		List []SelfMenuButton `json:"list"`
	} `json:"sub_button,omitempty"`
}

// NewestFirst returns the conditional menus in priority order, newest first.
// WeChat does not document the order of conditionalmenu[]; both real samples
// list higher menuids first and menuids look monotonic, so we sort by numeric
// menuid, descending (an assumption, see the reference §1.2). Menus whose
// menuid is not a number keep their listed position relative to each other
// and sort after numbered ones.
func (s *MenuSet) NewestFirst() []ConditionalMenu {
	out := make([]ConditionalMenu, 0, len(s.Conditional))
	for _, i := range s.NewestFirstIndex() {
		out = append(out, s.Conditional[i])
	}
	return out
}

// NewestFirstIndex returns the indexes into Conditional in NewestFirst
// order.
func (s *MenuSet) NewestFirstIndex() []int {
	type key struct {
		i    int
		id   uint64
		rank int // 0 for a numeric menuid, 1 for another
	}
	keys := make([]key, len(s.Conditional))
	for i, m := range s.Conditional {
		keys[i] = key{i: i, rank: 1}
		if id, err := strconv.ParseUint(m.MenuID, 10, 64); err == nil {
			keys[i] = key{i, id, 0}
		}
	}
	slices.SortStableFunc(keys, func(a, b key) int {
		return cmp.Or(cmp.Compare(a.rank, b.rank), cmp.Compare(b.id, a.id)) // higher menuid first
	})
	out := make([]int, len(keys))
	for i, k := range keys {
		out[i] = k.i
	}
	return out
}

package wechattest

import (
	"encoding/json"
	"net/http"
	"strconv"

	"github.com/wxmenu/wxmenu/wechat"
)

// jsonContentType is the header WeChat actually sends.
const jsonContentType = "application/json; encoding=utf-8"

// writeJSON writes v without HTML escaping, so urls keep their & as WeChat
// writes them.
func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", jsonContentType)
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v) // the client went away; nothing to tell it
}

// wireButton is a button as menu/get and trymatch write it: parents carry no
// type, leaves carry "sub_button": [] (reference §1.2, §8.1).
// Its SubButtons hides the embedded one, which omits an empty list.
type wireButton struct {
	wechat.Button
	SubButtons []wireButton `json:"sub_button"`
}

func wireButtons(in []wechat.Button) []wireButton {
	out := make([]wireButton, len(in))
	for i, b := range in {
		out[i] = wireButton{b, wireButtons(b.SubButtons)}
	}
	return out
}

// wireMatchRule is a matchrule as menu/get writes it: only the set fields,
// values as JSON strings, tag_id echoed as group_id (reference §1.2, §8.1).
type wireMatchRule struct {
	GroupID            string `json:"group_id,omitempty"`
	Sex                string `json:"sex,omitempty"`
	Country            string `json:"country,omitempty"`
	Province           string `json:"province,omitempty"`
	City               string `json:"city,omitempty"`
	ClientPlatformType string `json:"client_platform_type,omitempty"`
	Language           string `json:"language,omitempty"`
}

type wireConditional struct {
	Buttons   []wireButton  `json:"button"`
	MatchRule wireMatchRule `json:"matchrule"`
	MenuID    int64         `json:"menuid"`
}

type wireMenuGet struct {
	Menu struct {
		Buttons []wireButton `json:"button"`
		MenuID  int64        `json:"menuid,omitempty"`
	} `json:"menu"`
	Conditional []wireConditional `json:"conditionalmenu,omitempty"`
}

// wireToken is a token answer: the access token of cgi-bin/token and
// stable_token, the component's, or an authorizer's with its refresh token
// (research §1.3, §1.5), and its lifetime in seconds.
type wireToken struct {
	AccessToken            string `json:"access_token,omitempty"`
	ComponentAccessToken   string `json:"component_access_token,omitempty"`
	AuthorizerAccessToken  string `json:"authorizer_access_token,omitempty"`
	ExpiresIn              int    `json:"expires_in"`
	AuthorizerRefreshToken string `json:"authorizer_refresh_token,omitempty"`
}

// selfMenuButtons converts stored buttons. media_id and view_limited
// buttons report their media id as value, the field console menus use for
// it (UNCONFIRMED for API-published menus).
func selfMenuButtons(in []wechat.Button) []wechat.SelfMenuButton {
	out := make([]wechat.SelfMenuButton, len(in))
	for i, b := range in {
		s := wechat.SelfMenuButton{
			Type: b.Type, Name: b.Name, Key: b.Key, URL: b.URL, AppID: b.AppID,
			PagePath: b.PagePath, ArticleID: b.ArticleID, Value: b.MediaID,
		}
		if b.SubButtons != nil {
			s.SubButton = &struct {
				List []wechat.SelfMenuButton `json:"list"`
			}{selfMenuButtons(b.SubButtons)}
		}
		out[i] = s
	}
	return out
}

func formatMenuID(id int64) string { return strconv.FormatInt(id, 10) }

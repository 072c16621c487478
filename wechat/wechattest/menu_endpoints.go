package wechattest

import (
	"slices"
	"strconv"

	"github.com/wxmenu/wxmenu/wechat"
)

// serveCreate is POST menu/create {"button":[…]} (reference §1.1). A body
// in menu/get's shape ({"menu":{"button":…}}) has no top-level button and
// so answers 40016, as WeChat does [issue:WxJava#238].
//
// It replaces the default menu (and a console-published menu) and keeps the
// conditional menus (UNCONFIRMED, reference §1.1; see docs/sandbox.md)
// unless AccountSettings.CreateDropsConditional is set.
func (a *acct) serveCreate(c *call) any {
	var req struct {
		Buttons []buttonIn `json:"button"`
	}
	if err := decodeMenuBody(c.body, &req); err != nil {
		return err
	}
	buttons, err := validateButtons(req.Buttons)
	if err != nil {
		return err
	}
	a.DefaultMenu = &storedMenu{MenuID: a.emu.nextMenuID(), Buttons: buttons}
	a.ConsoleMenu = nil
	if a.settings.CreateDropsConditional {
		a.Conditional = nil
	}
	return okAnswer
}

// serveGet is menu/get (reference §1.2): 46003 without a menu; menu.menuid
// only when conditional menus exist [community:menuid-only-conditional];
// conditionalmenu newest first and omitted when empty. A console-published
// menu is invisible here: 46003 (reference §7.11).
func (a *acct) serveGet(*call) any {
	if a.DefaultMenu == nil {
		return errAnswer(wechat.CodeMenuNotExist)
	}
	var out wireMenuGet
	out.Menu.Buttons = wireButtons(a.DefaultMenu.Buttons)
	if len(a.Conditional) > 0 {
		out.Menu.MenuID = a.DefaultMenu.MenuID
	}
	for _, m := range slices.Backward(a.Conditional) {
		out.Conditional = append(out.Conditional, wireConditional{
			Buttons:   wireButtons(m.Buttons),
			MatchRule: wireRule(m.MatchRule),
			MenuID:    m.MenuID,
		})
	}
	return out
}

func wireRule(r wechat.MatchRule) wireMatchRule {
	return wireMatchRule{
		GroupID: r.TagID, Sex: r.Sex, Country: r.Country, Province: r.Province,
		City: r.City, ClientPlatformType: r.ClientPlatformType, Language: r.Language,
	}
}

// serveDelete is menu/delete: it removes the default menu and every
// conditional menu (reference §1.3). With no menu it still answers ok.
func (a *acct) serveDelete(*call) any {
	a.DefaultMenu, a.Conditional, a.ConsoleMenu = nil, nil, nil
	return okAnswer
}

// serveAddConditional is POST menu/addconditional (reference §1.4). The
// answer is the old doc's {"menuid":"…"} with a string id.
func (a *acct) serveAddConditional(c *call) any {
	var req struct {
		Buttons   []buttonIn        `json:"button"`
		MatchRule *wechat.MatchRule `json:"matchrule"`
	}
	if err := decodeMenuBody(c.body, &req); err != nil {
		return err
	}
	buttons, err := validateButtons(req.Buttons)
	if err != nil {
		return err
	}
	rule, err := validateMatchRule(req.MatchRule)
	if err != nil {
		return err
	}
	if a.settings.RequireKnownTags && rule.TagID != "" {
		if id, err := strconv.Atoi(rule.TagID); err != nil || !a.tagExistsLocked(id) {
			return errAnswer(wechat.CodeInvalidTagID) // UNCONFIRMED: WeChat's answer to an unknown tag is not documented
		}
	}
	switch {
	case a.DefaultMenu == nil:
		return errAnswer(wechat.CodeNoDefaultMenu)
	case len(a.Conditional) >= a.maxConditional:
		return errAnswer(wechat.CodeConditionalLimit)
	}
	// The domains of every conditional menu's urls count toward the cap
	// (65316), as the validator and the plan engine count them.
	all := slices.Clone(buttons)
	for _, m := range a.Conditional {
		all = append(all, m.Buttons...)
	}
	if len(wechat.URLDomains(all)) > wechat.MaxURLDomains {
		return errAnswer(wechat.CodeTooManyURLDomains)
	}
	id := a.emu.nextMenuID()
	a.Conditional = append(a.Conditional, storedConditional{MenuID: id, Buttons: buttons, MatchRule: rule})
	return struct {
		MenuID string `json:"menuid"`
	}{formatMenuID(id)}
}

// serveDelConditional is POST menu/delconditional {"menuid":"…"}. The id is
// accepted as a JSON string or number (UNCONFIRMED for numbers, reference
// §1.5). A missing or unknown id answers 65301, as wrong bodies did in the
// wild (key "menuId", form encoding) [issue:easywechat#280]
// [issue:WeiXinMPSDK#178].
func (a *acct) serveDelConditional(c *call) any {
	var req struct {
		MenuID wechat.FlexString `json:"menuid"`
	}
	if err := decodeBody(c.body, &req); err != nil {
		if err.Code == wechat.CodeMalformedData {
			// A form-encoded "menuid=…" body found no menuid: WeChat
			// answered 65301 to it [issue:easywechat#280].
			return errAnswer(wechat.CodeNoConditionalMenu)
		}
		return err
	}
	id, err := strconv.ParseInt(string(req.MenuID), 10, 64)
	if err != nil {
		return errAnswer(wechat.CodeNoConditionalMenu)
	}
	i := slices.IndexFunc(a.Conditional, func(m storedConditional) bool { return m.MenuID == id })
	if i < 0 {
		return errAnswer(wechat.CodeNoConditionalMenu)
	}
	a.Conditional = slices.Delete(a.Conditional, i, i+1)
	return okAnswer
}

// serveTryMatch is POST menu/trymatch {"user_id":"…"} (reference §1.6): the
// menu the follower (OpenID or WeChat ID) would see, as {"button":[…]} with
// "sub_button": [] on leaves like menu/get (UNCONFIRMED, reference §8.4).
func (a *acct) serveTryMatch(req struct {
	UserID string `json:"user_id"`
}) any {
	i := slices.IndexFunc(a.Users, func(u User) bool {
		return req.UserID != "" && (u.OpenID == req.UserID || u.WeChatID == req.UserID)
	})
	if i < 0 {
		return errAnswer(wechat.CodeNoSuchUser)
	}
	if a.DefaultMenu == nil {
		return errAnswer(wechat.CodeMenuNotExist)
	}
	return struct {
		Buttons []wireButton `json:"button"`
	}{wireButtons(a.matchLocked(a.Users[i]))}
}

// matchLocked returns the buttons u sees: the newest conditional menu
// whose rule matches u (wechat.MatchRule.Matches), else the default menu
// (reference §4). The default menu must exist.
func (a *acct) matchLocked(u User) []wechat.Button {
	for _, m := range slices.Backward(a.Conditional) {
		if m.MatchRule.Matches(u.TagIDs, u.Platform) {
			return m.Buttons
		}
	}
	return a.DefaultMenu.Buttons
}

// serveSelfMenuInfo is get_current_selfmenu_info (reference §1.7): the
// default menu, or a console-published one (§7.11), with sub-buttons
// wrapped as {"list":[…]}; with no menu is_menu_open 0 and no buttons.
func (a *acct) serveSelfMenuInfo(*call) any {
	var out wechat.SelfMenuInfo
	out.SelfMenu.Buttons = []wechat.SelfMenuButton{}
	if a.ConsoleMenu != nil {
		out.IsMenuOpen = 1
		out.SelfMenu.Buttons = selfMenuButtons(a.ConsoleMenu)
	}
	if a.DefaultMenu != nil {
		out.IsMenuOpen = 1
		out.SelfMenu.Buttons = selfMenuButtons(a.DefaultMenu.Buttons)
	}
	return out
}

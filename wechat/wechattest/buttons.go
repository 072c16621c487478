package wechattest

import (
	"slices"

	"github.com/wxmenu/wxmenu/wechat"
)

// buttonIn is a button as a request carries it. Fields are strictly typed:
// a number where a string belongs fails decoding (47001). SubButtons hides
// the embedded one and is a pointer, so "sub_button": [] can be told from
// no sub_button at all.
type buttonIn struct {
	wechat.Button
	SubButtons *[]buttonIn `json:"sub_button"`
}

// levelErrors are the errcodes for one level of the menu: WeChat has a
// parallel set of codes for sub-buttons (40023-40027, 40054).
type levelErrors struct {
	maxName                       int
	name, typ, key, url, urlValid int
}

var (
	topLevel = levelErrors{wechat.MaxTopNameBytes, wechat.CodeInvalidButtonName, wechat.CodeInvalidButtonType,
		wechat.CodeInvalidButtonKey, wechat.CodeInvalidButtonURL, wechat.CodeInvalidButtonDomain}
	subLevel = levelErrors{wechat.MaxSubNameBytes, wechat.CodeInvalidSubButtonName, wechat.CodeInvalidSubButtonType,
		wechat.CodeInvalidSubButtonKey, wechat.CodeInvalidSubButtonURL, wechat.CodeInvalidSubButtonDomain}
)

// validateButtons checks the button list of menu/create and
// menu/addconditional against the documented limits (reference §2, §5) and
// returns it in stored form. Lengths are UTF-8 bytes.
//
// Choices where the reference names no code:
//   - a required key or url that is empty answers the key/url size code
//     (40019/40026, 40020/40027): an empty value is a size-0 value;
//   - an empty media_id, article_id, appid or pagepath answers 65308 "button
//     without response type": the button has nothing to respond with;
//   - a url without an http(s) scheme and host answers 40055/40054 "invalid
//     button url domain", WeChat's answer to scheme-less urls;
//   - "sub_button": [] on a button without a type answers 40023 (zero
//     sub-buttons), while a button with neither answers 65308;
//   - fields a type does not use are kept and echoed back (UNCONFIRMED
//     whether WeChat drops them).
func validateButtons(in []buttonIn) ([]wechat.Button, *apiError) {
	if len(in) == 0 || len(in) > wechat.MaxTopButtons {
		return nil, errAnswer(wechat.CodeInvalidButtonCount)
	}
	out := make([]wechat.Button, 0, len(in))
	for _, b := range in {
		if err := checkName(b.Name, topLevel); err != nil {
			return nil, err
		}
		if b.SubButtons == nil || (len(*b.SubButtons) == 0 && b.Type != "") {
			leaf, err := validateLeaf(b, topLevel)
			if err != nil {
				return nil, err
			}
			out = append(out, leaf)
			continue
		}
		parent, err := validateParent(b)
		if err != nil {
			return nil, err
		}
		out = append(out, parent)
	}
	return out, nil
}

func validateParent(b buttonIn) (wechat.Button, *apiError) {
	subs := *b.SubButtons
	switch {
	case b.Type != "":
		return wechat.Button{}, errAnswer(wechat.CodeInvalidSubMenuLevel)
	case len(subs) == 0 || len(subs) > wechat.MaxSubButtons:
		return wechat.Button{}, errAnswer(wechat.CodeInvalidSubButtonCount)
	}
	parent := wechat.Button{Name: b.Name, SubButtons: make([]wechat.Button, 0, len(subs))}
	for _, s := range subs {
		if err := checkName(s.Name, subLevel); err != nil {
			return wechat.Button{}, err
		}
		if s.SubButtons != nil && len(*s.SubButtons) > 0 {
			return wechat.Button{}, errAnswer(wechat.CodeInvalidSubMenuLevel)
		}
		leaf, err := validateLeaf(s, subLevel)
		if err != nil {
			return wechat.Button{}, err
		}
		parent.SubButtons = append(parent.SubButtons, leaf)
	}
	return parent, nil
}

func checkName(name string, lv levelErrors) *apiError {
	if name == "" || len(name) > lv.maxName {
		return errAnswer(lv.name)
	}
	return nil
}

func validateLeaf(b buttonIn, lv levelErrors) (wechat.Button, *apiError) {
	if b.Type == "" {
		return wechat.Button{}, errAnswer(wechat.CodeButtonWithoutType)
	}
	required, known := wechat.ButtonTypeFields(b.Type)
	switch {
	case !known:
		return wechat.Button{}, errAnswer(lv.typ)
	case len(b.Key) > wechat.MaxKeyBytes:
		return wechat.Button{}, errAnswer(lv.key)
	case len(b.URL) > wechat.MaxURLBytes:
		return wechat.Button{}, errAnswer(lv.url)
	}
	for _, f := range wechat.ButtonFields() { // in wire order, which is required's order
		if f.Value(&b.Button) != "" || !slices.Contains(required, f.Name) {
			continue
		}
		switch f.Name {
		case "key":
			return wechat.Button{}, errAnswer(lv.key)
		case "url":
			return wechat.Button{}, errAnswer(lv.url)
		default:
			return wechat.Button{}, errAnswer(wechat.CodeButtonWithoutType)
		}
	}
	if _, ok := wechat.URLDomain(b.URL); usesURL(b.Type) && !ok {
		return wechat.Button{}, errAnswer(lv.urlValid)
	}
	return b.Button, nil
}

// usesURL reports whether a button type opens its url, so that an invalid
// url answers 40055/40054.
func usesURL(typ string) bool { return typ == "view" || typ == "miniprogram" }

// urlDomains adds to set the domains that count toward the URL-domain cap of
// conditional menus (65316), counted as the validator and the plan engine
// count them (wechat.URLDomains).
func urlDomains(buttons []wechat.Button, set map[string]bool) {
	for _, h := range wechat.URLDomains(buttons) {
		set[h] = true
	}
}

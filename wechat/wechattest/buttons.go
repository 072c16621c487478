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
// returns it in stored form. Lengths are UTF-8 bytes. The choices where
// the reference names no code are in the fidelity table of docs/sandbox.md.
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
	// A button type that opens its url answers 40055/40054 to an invalid one.
	if _, ok := wechat.URLDomain(b.URL); (b.Type == "view" || b.Type == "miniprogram") && !ok {
		return wechat.Button{}, errAnswer(lv.urlValid)
	}
	return b.Button, nil
}

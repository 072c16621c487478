package desired

import (
	"fmt"
	"slices"
	"strings"

	"github.com/wxmenu/wxmenu/internal/suggest"
	"github.com/wxmenu/wxmenu/wechat"
)

// Validate checks a desired state offline against everything WeChat
// enforces, and against mistakes WeChat accepts but that make a menu
// unreachable (duplicate or shadowed rules). It returns every problem at
// once, in file order; nil means the state is valid.
func Validate(ds *State) Diagnostics {
	if ds == nil {
		return Diagnostics{{Message: "no desired state to validate"}}
	}
	v := &validator{ds: ds}
	if ds.Default != nil {
		v.buttons("default", "default menu", ds.Default.Buttons)
	} else if len(ds.Conditional) > 0 {
		v.report("conditional",
			"conditional menus need a default menu; WeChat rejects addconditional without one (65303)",
			"declare a default menu under default: with at least one button")
	}
	v.conditionalMenus()
	v.urlDomains()
	v.unmanagedRules()
	return v.diags.Sorted()
}

// validator accumulates diagnostics, locating each through ds.Positions.
type validator struct {
	ds    *State
	diags Diagnostics
}

// report adds a diagnostic located at the node with the given field path,
// or at its nearest located ancestor.
func (v *validator) report(path, message, hint string) {
	v.diags = append(v.diags, Diagnostic{Path: v.ds.Path, Pos: v.locate(path), Message: v.prefix() + message, Hint: hint})
}

func (v *validator) locate(path string) Pos {
	for ; path != ""; path = path[:max(strings.LastIndexAny(path, ".["), 0)] {
		if p, ok := v.ds.Positions[path]; ok {
			return p
		}
	}
	return Pos{}
}

// lineRef refers to the line of a field path, e.g. " (line 5)", or is
// empty when the line is unknown.
func (v *validator) lineRef(path string) string {
	if l := v.locate(path).Line; l > 0 {
		return fmt.Sprintf(" (line %d)", l)
	}
	return ""
}

// buttons checks one menu's button tree. path is the field path of the
// menu ("default", "conditional[2]"), what names the menu in messages.
func (v *validator) buttons(path, what string, buttons []wechat.Button) {
	list := path + ".button"
	switch n := len(buttons); {
	case n == 0:
		v.report(list, fmt.Sprintf("%s has no buttons; WeChat needs 1 to %d top-level buttons", what, wechat.MaxTopButtons),
			`add a button list, e.g. button: [{type: view, name: Home, url: "https://www.example.com/"}]`)
	case n > wechat.MaxTopButtons:
		v.report(fmt.Sprintf("%s[%d]", list, wechat.MaxTopButtons),
			fmt.Sprintf("%s has %d top-level buttons; WeChat allows at most %d", what, n, wechat.MaxTopButtons),
			fmt.Sprintf("group buttons under a parent button with sub_button (up to %d each)", wechat.MaxSubButtons))
	}
	for i, b := range buttons {
		v.button(fmt.Sprintf("%s[%d]", list, i), b, i, 1)
	}
}

// button checks one button at depth 1 (top level) or 2 (sub-button).
func (v *validator) button(path string, b wechat.Button, index, depth int) {
	level, maxName := "top-level button", wechat.MaxTopNameBytes
	if depth > 1 {
		level, maxName = "sub-button", wechat.MaxSubNameBytes
	}
	label := fmt.Sprintf("%s #%d", level, index+1)
	switch {
	case b.Name == "":
		problem := " has no name"
		if _, written := v.ds.Positions[path+".name"]; written {
			problem = " has an empty name"
		}
		v.report(path+".name", label+problem, "every button needs a name; it is the text users see")
	case len(b.Name) > maxName:
		v.report(path+".name",
			fmt.Sprintf("%s name %q is %d bytes; WeChat allows %d", level, b.Name, len(b.Name), maxName),
			fmt.Sprintf("names are counted in UTF-8 bytes and a CJK character takes 3, so at most %d CJK characters fit", maxName/3))
	}
	if b.Name != "" {
		label = fmt.Sprintf("%s %q", level, b.Name)
	}

	switch {
	case len(b.SubButtons) > 0 && depth > 1:
		v.report(path+".sub_button",
			fmt.Sprintf("%s has its own sub_button; WeChat menus have only two levels (40022)", label),
			"move these buttons into the parent's sub_button list, or make this a top-level button")
	case len(b.SubButtons) > 0:
		v.parent(path, label, b)
	case b.SubButtons != nil && b.Type == "":
		v.report(path+".sub_button", label+" has an empty sub_button list",
			fmt.Sprintf("add 1 to %d sub-buttons, or give it a type and remove sub_button", wechat.MaxSubButtons))
	default:
		v.leaf(path, label, b)
	}
}

// parent checks a button with sub-buttons: no type or leaf fields, and
// 1 to 5 children.
func (v *validator) parent(path, label string, b wechat.Button) {
	var extra []string
	for _, f := range buttonFieldValues(b) {
		if f.value != "" && f.name != "name" {
			extra = append(extra, f.name)
		}
	}
	if len(extra) > 0 {
		v.report(path+"."+extra[0],
			fmt.Sprintf("parent %s has %s; a button with sub_button takes only a name", label, joinAnd(extra)),
			fmt.Sprintf("remove %s, or remove sub_button to make it a leaf", joinAnd(extra)))
	}
	if n := len(b.SubButtons); n > wechat.MaxSubButtons {
		v.report(fmt.Sprintf("%s.sub_button[%d]", path, wechat.MaxSubButtons),
			fmt.Sprintf("%s has %d sub-buttons; WeChat allows at most %d", label, n, wechat.MaxSubButtons),
			"move some of them under another top-level button")
	}
	for i, s := range b.SubButtons {
		v.button(fmt.Sprintf("%s.sub_button[%d]", path, i), s, i, 2)
	}
}

// leaf checks a button without sub-buttons: a known type, the fields that
// type requires, no fields it does not take, and the field limits.
func (v *validator) leaf(path, label string, b wechat.Button) {
	if b.Type == "" {
		v.report(path, label+" has neither type nor sub_button",
			"give it a type such as click or view with the fields that type needs, or a sub_button list")
		return
	}
	required, known := wechat.ButtonTypeFields(b.Type)
	if !known {
		hint := "button types: " + strings.Join(wechat.ButtonTypeNames(), ", ")
		if c := suggest.Closest(b.Type, wechat.ButtonTypeNames()); c != "" {
			hint = fmt.Sprintf("did you mean %q? %s", c, hint)
		}
		v.report(path+".type", fmt.Sprintf("unknown button type %q", b.Type), hint)
	} else {
		var missing []string
		var unused []wechat.ButtonField
		for _, f := range wechat.ButtonFields() {
			switch needed := slices.Contains(required, f.Name); {
			case needed && f.Value(&b) == "":
				missing = append(missing, f.Name)
			case !needed && f.Value(&b) != "":
				unused = append(unused, f)
			}
		}
		if len(missing) > 0 {
			v.report(path, fmt.Sprintf("%s button %q needs %s", b.Type, b.Name, joinAnd(missing)), requiredFieldHints[strings.Join(required, " ")])
		}
		for _, f := range unused {
			v.report(path+"."+f.Name,
				fmt.Sprintf("%s button %q has %s, which %s buttons do not take", b.Type, b.Name, f.Name, b.Type),
				fmt.Sprintf("remove %s, or use a type that takes it: %s", f.Name, strings.Join(f.Types(), ", ")))
		}
	}
	for _, f := range wechat.ButtonFields() {
		if n := len(f.Value(&b)); f.MaxBytes > 0 && n > f.MaxBytes {
			v.report(path+"."+f.Name, fmt.Sprintf("%s is %d bytes; WeChat allows %d", f.Name, n, f.MaxBytes), byteLimitHints[f.Name])
		}
	}
	if _, ok := wechat.URLDomain(b.URL); b.URL != "" && !ok {
		v.report(path+".url", fmt.Sprintf("url %q is not an absolute http or https URL", cutRunes(b.URL, 80, "...")),
			"write the full address, e.g. https://www.example.com/page")
	}
}

// byteLimitHints say how to shorten a field past its byte limit.
var byteLimitHints = map[string]string{
	"key": "use a short identifier; the key only tells your server which button was clicked",
	"url": "use a shorter address, e.g. a redirect",
}

// requiredFieldHints say how to add a type's missing fields, keyed by the
// fields it requires (wechat.ButtonTypeFields), space-separated.
var requiredFieldHints = map[string]string{
	"key":                "add key: the value your server receives in the event, e.g. key: CONTACT",
	"url":                "add url: the page to open, e.g. url: https://www.example.com/",
	"url appid pagepath": "add appid and pagepath of the Mini Program, and url: the page old clients open instead",
	"media_id":           "add media_id: the id of a permanent material",
	"article_id":         "add article_id: the id of a published article",
}

// cutRunes is s cut to at most n runes, the cut marked with ellipsis.
func cutRunes(s string, n int, ellipsis string) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n]) + ellipsis
	}
	return s
}

// joinAnd renders a list as "a", "a and b" or "a, b and c".
func joinAnd(items []string) string {
	if len(items) < 2 {
		return strings.Join(items, "")
	}
	return strings.Join(items[:len(items)-1], ", ") + " and " + items[len(items)-1]
}

// namedValue is a field by wire name.
type namedValue struct{ name, value string }

// buttonFieldValues lists a button's string fields: type, name, then the
// value fields of wechat.ButtonFields.
func buttonFieldValues(b wechat.Button) []namedValue {
	out := []namedValue{{"type", b.Type}, {"name", b.Name}}
	for _, f := range wechat.ButtonFields() {
		out = append(out, namedValue{f.Name, f.Value(&b)})
	}
	return out
}

// CheckCount refuses a state declaring more conditional menus than the
// account holds (maxConditional; 0 means wechat.DefaultMaxConditional), so
// validate catches what plan would refuse. The diagnostic is located at the
// first menu over the cap.
func CheckCount(ds *State, maxConditional int) error {
	if maxConditional <= 0 {
		maxConditional = wechat.DefaultMaxConditional
	}
	if ds == nil || len(ds.Conditional) <= maxConditional {
		return nil
	}
	v := &validator{ds: ds}
	v.report(fmt.Sprintf("conditional[%d]", maxConditional),
		fmt.Sprintf("%d conditional menus declared; the account holds at most %d (65305)", len(ds.Conditional), maxConditional),
		fmt.Sprintf("remove %d of them, or pass --max-conditional if this account's cap is higher", len(ds.Conditional)-maxConditional))
	return v.diags
}

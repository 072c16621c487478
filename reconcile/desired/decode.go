package desired

import (
	"fmt"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/wxmenu/wxmenu/internal/yamlpos"
	"github.com/wxmenu/wxmenu/wechat"
)

// The mappings of the file, their fields in the order hints list them, and
// hints for unknown fields that are not typos but a misunderstanding,
// mostly of menu/get's output pasted into the file.
var (
	topMapping = yamlpos.Mapping{
		Name: "top level", In: "the top-level mapping",
		Hint: "the file is a mapping with the keys default, conditional and unmanaged, e.g.:" + minimalExample,
		Keys: []string{"default", "conditional", "unmanaged", "tags"},
		KeyHints: map[string]string{
			"menu":            "the default menu goes under default: (menu is what menu/get calls it)",
			"conditionalmenu": "conditional menus go under conditional: (conditionalmenu is what menu/get calls them)",
			"button":          "buttons belong to a menu: put them under default: or under a conditional menu",
			"matchrule":       "a matchrule belongs to a conditional menu under conditional:",
		},
	}
	defaultMapping = yamlpos.Mapping{
		Name: "default", In: "the default menu", Hint: "write default: then button: and the list of buttons",
		Keys: []string{"button"},
		KeyHints: map[string]string{
			"matchrule": "only conditional menus have a matchrule; move this menu under conditional:",
			"menuid":    "menuid is assigned by WeChat; remove it",
			"name":      "the default menu has no name; remove it",
		},
	}
	conditionalMapping = yamlpos.Mapping{
		Name: "conditional menu", In: "a conditional menu", Hint: "each conditional menu is a mapping with name, matchrule and button",
		Keys:     []string{"name", "matchrule", "button", "protect"},
		KeyHints: map[string]string{"menuid": "menuid is assigned by WeChat; remove it"},
	}
	matchRuleMapping = yamlpos.Mapping{
		Name: "matchrule", In: "a matchrule", Hint: "write matchrule: {tag_id: \"101\"}",
		Keys:     matchRuleFields,
		KeyHints: map[string]string{"group_id": "group_id is how menu/get echoes tag_id; write tag_id instead"},
	}
	unmanagedMapping = yamlpos.Mapping{
		Name: "unmanaged rule", In: "an unmanaged rule", Hint: "write each rule as a mapping, e.g. - {tag_id: \"900\"}",
		Keys: matchRuleFields,
		KeyHints: map[string]string{
			"group_id":  "group_id is how menu/get echoes tag_id; write tag_id instead",
			"matchrule": "write the rule's fields directly, e.g. - {tag_id: \"900\"}",
		},
	}
	buttonMapping = yamlpos.Mapping{
		Name: "button", In: "a button", Hint: "write each button as a mapping, e.g. - {type: click, name: Help, key: HELP}",
		Keys: buttonFieldNames(),
	}
	// matchRuleFields name a matchrule's fields (ruleFields) in wire order.
	matchRuleFields = []string{"tag_id", "client_platform_type", "sex", "country", "province", "city", "language"}
)

// ruleFields are the places of r's fields, in the order of matchRuleFields.
func ruleFields(r *wechat.MatchRule) []*string {
	return []*string{&r.TagID, &r.ClientPlatformType, &r.Sex, &r.Country, &r.Province, &r.City, &r.Language}
}

// maxButtonDepth is how deep sub_button lists are decoded: one level more
// than WeChat allows, so that Validate can point at the extra level.
const maxButtonDepth = 3

// decoder walks the yaml.Node tree of a file into a State, recording
// node positions by field path ("conditional[0].button[1].name").
type decoder struct {
	*yamlpos.Decoder
	positions map[string]Pos
}

// field records where the field at path is and returns it, if the mapping
// has it.
func (d *decoder) field(fields map[string]yamlpos.Field, name, path string) (yamlpos.Field, bool) {
	f, ok := fields[name]
	if ok {
		d.positions[path] = yamlpos.PosOf(f.Key)
	}
	return f, ok
}

// decodeFile decodes the top-level mapping.
func (d *decoder) decodeFile(root *yaml.Node) *State {
	ds := &State{Path: d.Path, Positions: d.positions}
	fields := d.Fields(root, &topMapping)
	if f, ok := d.field(fields, "default", "default"); ok {
		ds.Default = d.decodeDefault(f)
	}
	if f, ok := d.field(fields, "conditional", "conditional"); ok {
		for i, item := range d.List(f, "conditional", "a list of conditional menus", "start each entry with \"- \" under conditional:") {
			ds.Conditional = append(ds.Conditional, d.decodeConditional(item, fmt.Sprintf("conditional[%d]", i)))
		}
	}
	if f, ok := d.field(fields, "unmanaged", "unmanaged"); ok {
		for i, item := range d.List(f, "unmanaged", "a list of matchrules", "start each entry with \"- \" under unmanaged:") {
			path := fmt.Sprintf("unmanaged[%d]", i)
			d.positions[path] = yamlpos.PosOf(item)
			ds.Unmanaged = append(ds.Unmanaged, UnmanagedRule{MatchRule: d.decodeMatchRule(item, path, &unmanagedMapping)})
		}
	}
	if f, ok := d.field(fields, "tags", "tags"); ok {
		ds.Tags = d.decodeTags(f)
	}
	return ds
}

func (d *decoder) decodeDefault(f yamlpos.Field) *Default {
	if v := d.Resolve(f.Value); v != nil && yamlpos.IsNull(v) {
		d.Report(f.Key, "declare its buttons under default: button:, or remove default: to declare no menu at all",
			"default menu is empty")
		return nil
	}
	def := &Default{}
	if bf, ok := d.field(d.Fields(f.Value, &defaultMapping), "button", "default.button"); ok {
		def.Buttons = d.decodeButtons(bf, "default.button", 1)
	}
	return def
}

func (d *decoder) decodeConditional(item *yaml.Node, path string) Conditional {
	d.positions[path] = yamlpos.PosOf(item)
	fields := d.Fields(item, &conditionalMapping)
	var c Conditional
	if f, ok := d.field(fields, "name", path+".name"); ok {
		c.Name, _ = d.String(f, "name")
	}
	if f, ok := d.field(fields, "matchrule", path+".matchrule"); ok {
		// A null matchrule is an empty one; Validate explains 65304.
		if v := d.Resolve(f.Value); v != nil && !yamlpos.IsNull(v) {
			c.MatchRule = d.decodeMatchRule(f.Value, path+".matchrule", &matchRuleMapping)
		}
	}
	if f, ok := d.field(fields, "button", path+".button"); ok {
		c.Buttons = d.decodeButtons(f, path+".button", 1)
	}
	if f, ok := d.field(fields, "protect", path+".protect"); ok {
		c.Protect, _ = d.Bool(f, "protect")
	}
	return c
}

// decodeMatchRule decodes a rule's fields; values may be strings or
// integers (tag_id: 101 is what people type) and are stored as strings.
func (d *decoder) decodeMatchRule(n *yaml.Node, path string, m *yamlpos.Mapping) wechat.MatchRule {
	var r wechat.MatchRule
	fields := d.Fields(n, m)
	for i, v := range ruleFields(&r) {
		name := matchRuleFields[i]
		if f, ok := d.field(fields, name, path+"."+name); ok {
			*v = d.ruleValue(f, name)
		}
	}
	return r
}

// ruleValue decodes one matchrule value. WeChat echoes rule values as plain
// decimal numbers ("101"), and a rule is matched against the live one by
// its text, so anything else would either change the value behind the
// user's back (YAML reads 0101 as octal 65 and 0x65 as 101) or never
// converge (a tag_id "0101" is not echoed as written; UNCONFIRMED whether
// WeChat then rejects it or normalises it to "101", but either way the
// file never matches the live menu). Integers are therefore taken as
// written, and must be plain decimal.
func (d *decoder) ruleValue(f yamlpos.Field, name string) string {
	v := d.Resolve(f.Value)
	if v == nil {
		return ""
	}
	padded := isDigits(v.Value) && hasLeadingZero(v.Value)
	switch tag := v.ShortTag(); {
	case v.Kind != yaml.ScalarNode:
	case tag == "!!str" && name == "tag_id" && padded:
		meant, _ := decimalMeant(v.Value)
		d.Report(f.Value,
			fmt.Sprintf("write %s: %q; WeChat lists tag ids without leading zeros, so %q would never match the live menu", name, meant, v.Value),
			"%s %q has a leading zero", name, v.Value)
		return ""
	case tag == "!!str":
		// Other non-decimal strings are left to Validate ("not a number").
		return v.Value
	case tag == "!!int" && isDigits(v.Value) && !padded:
		return v.Value
	case tag == "!!int", tag == "!!float" && padded: // 0109 is not octal, so YAML reads it as a float
		d.reportNotPlainDecimal(f.Value, v, name)
		return ""
	}
	d.Report(f.Value, fmt.Sprintf("write it as %s: %q", name, ruleExample(name)), "%s must be a string or an integer, got %s", name, yamlpos.KindName(v))
	return ""
}

// reportNotPlainDecimal explains why an integer literal is refused and, when
// the intended number is clear, suggests it.
func (d *decoder) reportNotPlainDecimal(at, v *yaml.Node, name string) {
	lit := v.Value
	subject := name + " " + lit
	var problem string
	switch digits := strings.TrimLeft(lit, "+-"); {
	case strings.HasPrefix(lit, "-"):
		problem = "is negative"
	case strings.HasPrefix(lit, "+"):
		problem = "has a sign"
	case radix(digits) != "":
		problem = "is written in " + radix(digits)
	case hasLeadingZero(digits):
		problem = "has a leading zero"
		var n int64
		if v.ShortTag() == "!!int" && v.Decode(&n) == nil {
			problem += fmt.Sprintf(", so YAML reads it as the octal number %d", n)
		}
	case strings.Contains(digits, "_"):
		problem = "has underscores"
	default:
		subject = fmt.Sprintf("%s %q", name, lit)
		problem = "is not a plain decimal integer"
	}
	hint := fmt.Sprintf("write a non-negative decimal number, e.g. %s: %q", name, ruleExample(name))
	if s, ok := decimalMeant(lit); ok {
		hint = fmt.Sprintf("write %s: %q", name, s)
	}
	d.Report(at, hint, "%s %s", subject, problem)
}

// decimalMeant returns the plain decimal number an integer literal most
// likely stands for: the value of a prefixed literal (0x65 is 101), and
// the digits of a zero-padded one (0101 is 101: padding, not octal, is
// what people mean by it).
func decimalMeant(lit string) (string, bool) {
	lit = strings.TrimPrefix(lit, "+")
	if radix(lit) != "" {
		n, err := strconv.ParseUint(lit, 0, 64)
		if err != nil {
			return "", false
		}
		return strconv.FormatUint(n, 10), true
	}
	lit = strings.ReplaceAll(lit, "_", "")
	if !isDigits(lit) {
		return "", false
	}
	return strings.TrimLeft(lit[:len(lit)-1], "0") + lit[len(lit)-1:], true
}

// ruleExample is a valid value of a matchrule field, for hints.
func ruleExample(name string) string {
	switch name {
	case "client_platform_type", "sex":
		return "1"
	}
	return "101"
}

func isDigits(s string) bool { return s != "" && strings.Trim(s, "0123456789") == "" }

// hasLeadingZero reports a zero followed by more characters: "0" itself is
// a plain number.
func hasLeadingZero(s string) bool {
	return len(s) > 1 && s[0] == '0'
}

// radix names the base of a prefixed integer literal ("hexadecimal" for
// 0x65, 0X65), or is "".
func radix(lit string) string {
	if len(lit) < 2 {
		return ""
	}
	return map[string]string{"0x": "hexadecimal", "0o": "octal", "0b": "binary"}[strings.ToLower(lit[:2])]
}

// decodeButtons decodes a button list at the given depth (1 = top level).
// An explicit empty list decodes to an empty, non-nil slice so that
// Validate can tell "sub_button: []" from no sub_button at all.
func (d *decoder) decodeButtons(f yamlpos.Field, path string, depth int) []wechat.Button {
	items := d.List(f, f.Key.Value, "a list of buttons", "start each button with \"- \" on its own line")
	if items == nil {
		return nil
	}
	out := make([]wechat.Button, 0, len(items))
	for i, item := range items {
		bpath := fmt.Sprintf("%s[%d]", path, i)
		d.positions[bpath] = yamlpos.PosOf(item)
		out = append(out, d.decodeButton(d.Fields(item, &buttonMapping), bpath, depth))
	}
	return out
}

func (d *decoder) decodeButton(fields map[string]yamlpos.Field, path string, depth int) wechat.Button {
	var b wechat.Button
	values := map[string]string{}
	// Fields are visited in a fixed order so that, when aliases exhaust the
	// visit budget, the same node is reported every time.
	for _, name := range buttonMapping.Keys {
		f, ok := d.field(fields, name, path+"."+name)
		switch {
		case !ok:
		case name != "sub_button":
			values[name], _ = d.String(f, name)
		case depth < maxButtonDepth:
			// Deeper levels are reported by Validate on the level above,
			// so they are not decoded.
			b.SubButtons = d.decodeButtons(f, path+".sub_button", depth+1)
		}
	}
	b.Type, b.Name = values["type"], values["name"]
	for _, f := range wechat.ButtonFields() {
		f.Set(&b, values[f.Name])
	}
	return b
}

// buttonFieldNames are the fields a button takes in menus.yaml: type,
// name, the value fields of wechat.ButtonFields, and sub_button.
func buttonFieldNames() []string {
	names := []string{"type", "name"}
	for _, f := range wechat.ButtonFields() {
		names = append(names, f.Name)
	}
	return append(names, "sub_button")
}

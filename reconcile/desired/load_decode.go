package desired

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/wxmenu/wxmenu/internal/suggest"

	"github.com/wxmenu/wxmenu/wechat"
)

// Field names of the file, in the order they are listed in hints.
var (
	topFields         = []string{"default", "conditional", "unmanaged", "tags"}
	defaultFields     = []string{"button"}
	conditionalFields = []string{"name", "matchrule", "button", "protect"}
	buttonFields      = buttonFieldNames()
	matchRuleFields   = []string{"tag_id", "client_platform_type", "sex", "country", "province", "city", "language"}
)

// Hints for unknown fields that are not typos but a misunderstanding,
// mostly of menu/get's output pasted into the file.
var (
	topFieldHints = map[string]string{
		"menu":            "the default menu goes under default: (menu is what menu/get calls it)",
		"conditionalmenu": "conditional menus go under conditional: (conditionalmenu is what menu/get calls them)",
		"button":          "buttons belong to a menu: put them under default: or under a conditional menu",
		"matchrule":       "a matchrule belongs to a conditional menu under conditional:",
	}
	defaultFieldHints = map[string]string{
		"matchrule": "only conditional menus have a matchrule; move this menu under conditional:",
		"menuid":    "menuid is assigned by WeChat; remove it",
		"name":      "the default menu has no name; remove it",
	}
	conditionalFieldHints = map[string]string{
		"menuid": "menuid is assigned by WeChat; remove it",
	}
	matchRuleFieldHints = map[string]string{
		"group_id": "group_id is how menu/get echoes tag_id; write tag_id instead",
	}
	unmanagedFieldHints = map[string]string{
		"group_id":  "group_id is how menu/get echoes tag_id; write tag_id instead",
		"matchrule": "write the rule's fields directly, e.g. - {tag_id: \"900\"}",
	}
)

// maxVisits bounds the nodes one file may expand to. Aliases can make a
// small file describe an exponentially large tree; real files have a few
// hundred nodes.
const maxVisits = 100_000

// maxButtonDepth is how deep sub_button lists are decoded: one level more
// than WeChat allows, so that Validate can point at the extra level.
const maxButtonDepth = 3

// decoder walks the yaml.Node tree of a file into a DesiredState, recording
// node positions and collecting every structural problem.
type decoder struct {
	path      string
	diags     Diagnostics
	positions map[string]Pos
	walk      Walker
}

func newDecoder(path string) *decoder {
	d := &decoder{path: path, positions: map[string]Pos{}}
	d.walk = Walker{Max: maxVisits, Exhausted: func(at *yaml.Node) {
		d.report(at, "a menus file has a few hundred nodes; check anchors and aliases (* and &)", "file expands to more than %d nodes through aliases", maxVisits)
	}}
	return d
}

func (d *decoder) report(n *yaml.Node, hint, format string, args ...any) {
	d.diags = append(d.diags, Diagnostic{
		Path:    d.path,
		Pos:     nodePos(n),
		Message: fmt.Sprintf(format, args...),
		Hint:    hint,
	})
}

func nodePos(n *yaml.Node) Pos {
	if n == nil {
		return Pos{}
	}
	return Pos{Line: n.Line, Column: n.Column}
}

// resolve follows aliases to the node they name and counts the visit.
// It returns nil once the visit budget is spent.
func (d *decoder) resolve(n *yaml.Node) *yaml.Node { return d.walk.Resolve(n) }

// yamlField is one key/value pair of a mapping.
type yamlField struct {
	key, value *yaml.Node
}

// mapping checks that n is a mapping with only allowed keys and returns its
// fields by name. Duplicate keys and unknown keys are reported; merge keys
// (<<) are honoured, explicit keys taking precedence.
func (d *decoder) mapping(n *yaml.Node, what string, allowed []string, hints map[string]string) map[string]yamlField {
	c := fieldCollector{d: d, what: what, allowed: allowed, hints: hints, out: map[string]yamlField{}}
	d.walk.Fields(n, &c)
	return c.out
}

// fieldCollector gathers a mapping's allowed fields for mapping,
// reporting the rest.
type fieldCollector struct {
	d       *decoder
	what    string
	allowed []string
	hints   map[string]string
	out     map[string]yamlField
}

func (c *fieldCollector) Field(k, v *yaml.Node, depth int, first *yaml.Node) {
	switch {
	case k.Kind != yaml.ScalarNode:
		c.d.report(k, "", "keys of %s must be plain names, got %s", c.what, kindName(k))
	case first != nil:
		c.d.report(k, "remove one of them", "duplicate key %q in %s (first at line %d)", k.Value, c.what, first.Line)
	case !slices.Contains(c.allowed, k.Value):
		c.d.report(k, unknownFieldHint(k.Value, c.what, c.allowed, c.hints), "unknown field %q in %s", k.Value, c.what)
	default:
		if _, set := c.out[k.Value]; depth == 0 || !set {
			c.out[k.Value] = yamlField{key: k, value: v}
		}
	}
}

func (c *fieldCollector) BadMerge(_, resolved *yaml.Node) {
	c.d.report(resolved, "", "a merge (<<) in %s must name a mapping, got %s", c.what, kindName(resolved))
}

func unknownFieldHint(name, what string, allowed []string, hints map[string]string) string {
	if h, ok := hints[name]; ok {
		return h
	}
	if c := suggest.Closest(name, allowed); c != "" {
		return fmt.Sprintf("did you mean %q?", c)
	}
	return fmt.Sprintf("fields of %s: %s", what, strings.Join(allowed, ", "))
}

// KindName describes a node for "must be X, got Y" messages: "a mapping",
// "a list", "a string", "an integer", "null".
func KindName(n *yaml.Node) string { return kindName(n) }

func kindName(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.AliasNode:
		return "an alias"
	case yaml.DocumentNode:
		return "a document"
	}
	switch n.ShortTag() {
	case "!!str":
		return "a string"
	case "!!int":
		return "an integer"
	case "!!float":
		return "a number"
	case "!!bool":
		return "a boolean"
	case "!!null":
		return "null"
	case "!!timestamp":
		return "a timestamp"
	case "!!binary":
		return "binary data"
	}
	return "a value tagged " + n.Tag
}

func isNull(n *yaml.Node) bool {
	return n.Kind == yaml.ScalarNode && n.ShortTag() == "!!null"
}

// decodeFile decodes the top-level mapping.
func (d *decoder) decodeFile(root *yaml.Node) *State {
	ds := &State{Path: d.path, Positions: d.positions}
	root = d.resolve(root)
	if root == nil {
		return ds
	}
	if root.Kind != yaml.MappingNode {
		d.report(root, "the file is a mapping with the keys default, conditional and unmanaged, e.g.:"+minimalExample,
			"top level must be a mapping, got %s", kindName(root))
		return ds
	}
	fields := d.mapping(root, "the top-level mapping", topFields, topFieldHints)
	if f, ok := fields["default"]; ok {
		d.positions["default"] = nodePos(f.key)
		ds.Default = d.decodeDefault(f)
	}
	if f, ok := fields["conditional"]; ok {
		d.positions["conditional"] = nodePos(f.key)
		for i, item := range d.sequence(f, "conditional", "a list of conditional menus") {
			path := fmt.Sprintf("conditional[%d]", i)
			if c, ok := d.decodeConditional(item, path); ok {
				ds.Conditional = append(ds.Conditional, c)
			}
		}
	}
	if f, ok := fields["unmanaged"]; ok {
		d.positions["unmanaged"] = nodePos(f.key)
		for i, item := range d.sequence(f, "unmanaged", "a list of matchrules") {
			path := fmt.Sprintf("unmanaged[%d]", i)
			d.positions[path] = nodePos(item)
			n := d.resolve(item)
			if n == nil {
				continue
			}
			if n.Kind != yaml.MappingNode {
				d.report(item, "write each rule as a mapping, e.g. - {tag_id: \"900\"}", "unmanaged rule must be a mapping, got %s", kindName(n))
				continue
			}
			rule := d.decodeMatchRule(n, path, "an unmanaged rule", unmanagedFieldHints)
			ds.Unmanaged = append(ds.Unmanaged, UnmanagedRule{MatchRule: rule, Pos: nodePos(item)})
		}
	}
	if f, ok := fields["tags"]; ok {
		d.positions["tags"] = nodePos(f.key)
		ds.Tags = d.decodeTags(f)
	}
	return ds
}

// sequence returns the items of a list field; null counts as an empty list
// so that a key whose entries are all commented out is accepted.
func (d *decoder) sequence(f yamlField, name, want string) []*yaml.Node {
	v := d.resolve(f.value)
	if v == nil || isNull(v) {
		return nil
	}
	if v.Kind != yaml.SequenceNode {
		d.report(f.value, fmt.Sprintf("start each entry with \"- \" under %s:", name), "%s must be %s, got %s", name, want, kindName(v))
		return nil
	}
	return v.Content
}

func (d *decoder) decodeDefault(f yamlField) *Default {
	v := d.resolve(f.value)
	if v == nil {
		return nil
	}
	if isNull(v) {
		d.report(f.key, "declare its buttons under default: button:, or remove default: to declare no menu at all",
			"default menu is empty")
		return nil
	}
	if v.Kind != yaml.MappingNode {
		d.report(f.value, "write default: then button: and the list of buttons", "default must be a mapping, got %s", kindName(v))
		return nil
	}
	fields := d.mapping(v, "the default menu", defaultFields, defaultFieldHints)
	def := &Default{Pos: nodePos(f.key)}
	if bf, ok := fields["button"]; ok {
		d.positions["default.button"] = nodePos(bf.key)
		def.Buttons = d.decodeButtons(bf, "default.button", 1)
	}
	return def
}

func (d *decoder) decodeConditional(item *yaml.Node, path string) (Conditional, bool) {
	d.positions[path] = nodePos(item)
	n := d.resolve(item)
	if n == nil {
		return Conditional{}, false
	}
	if n.Kind != yaml.MappingNode {
		d.report(item, "each conditional menu is a mapping with name, matchrule and button",
			"conditional menu must be a mapping, got %s", kindName(n))
		return Conditional{}, false
	}
	c := Conditional{Pos: nodePos(item)}
	fields := d.mapping(n, "a conditional menu", conditionalFields, conditionalFieldHints)
	if f, ok := fields["name"]; ok {
		d.positions[path+".name"] = nodePos(f.key)
		c.Name = d.text(f, "name")
	}
	if f, ok := fields["matchrule"]; ok {
		d.positions[path+".matchrule"] = nodePos(f.key)
		if v := d.resolve(f.value); v != nil {
			switch {
			case isNull(v):
				// An empty matchrule; Validate explains 65304.
			case v.Kind != yaml.MappingNode:
				d.report(f.value, "write matchrule: {tag_id: \"101\"}", "matchrule must be a mapping, got %s", kindName(v))
			default:
				c.MatchRule = d.decodeMatchRule(v, path+".matchrule", "a matchrule", matchRuleFieldHints)
			}
		}
	}
	if f, ok := fields["button"]; ok {
		d.positions[path+".button"] = nodePos(f.key)
		c.Buttons = d.decodeButtons(f, path+".button", 1)
	}
	if f, ok := fields["protect"]; ok {
		d.positions[path+".protect"] = nodePos(f.key)
		c.Protect = d.boolean(f, "protect")
	}
	return c, true
}

// decodeMatchRule decodes a rule's fields; values may be strings or
// integers (tag_id: 101 is what people type) and are stored as strings.
func (d *decoder) decodeMatchRule(n *yaml.Node, path, what string, hints map[string]string) wechat.MatchRule {
	var r wechat.MatchRule
	targets := map[string]*string{
		"tag_id": &r.TagID, "client_platform_type": &r.ClientPlatformType,
		"sex": &r.Sex, "country": &r.Country, "province": &r.Province, "city": &r.City, "language": &r.Language,
	}
	fields := d.mapping(n, what, matchRuleFields, hints)
	for _, name := range matchRuleFields {
		f, ok := fields[name]
		if !ok {
			continue
		}
		d.positions[path+"."+name] = nodePos(f.key)
		*targets[name] = d.ruleValue(f, name)
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
func (d *decoder) ruleValue(f yamlField, name string) string {
	v := d.resolve(f.value)
	if v == nil {
		return ""
	}
	if v.Kind == yaml.ScalarNode {
		switch v.ShortTag() {
		case "!!str":
			// Other non-decimal strings are left to Validate ("not a number").
			if name == "tag_id" && isDigits(v.Value) && hasLeadingZero(v.Value) {
				meant, _ := decimalMeant(v.Value)
				d.report(f.value,
					fmt.Sprintf("write %s: %q; WeChat lists tag ids without leading zeros, so %q would never match the live menu", name, meant, v.Value),
					"%s %q has a leading zero", name, v.Value)
				return ""
			}
			return v.Value
		case "!!int":
			if isPlainDecimal(v.Value) {
				return v.Value
			}
			d.reportNotPlainDecimal(f.value, v, name)
			return ""
		case "!!float":
			// 0109 is not octal, so YAML reads it as a float.
			if isDigits(v.Value) && hasLeadingZero(v.Value) {
				d.reportNotPlainDecimal(f.value, v, name)
				return ""
			}
		}
	}
	d.report(f.value, fmt.Sprintf("write it as %s: %q", name, ruleExample(name)), "%s must be a string or an integer, got %s", name, kindName(v))
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
	case hasPrefixFold(digits, "0x"):
		problem = "is written in hexadecimal"
	case hasPrefixFold(digits, "0o"):
		problem = "is written in octal"
	case hasPrefixFold(digits, "0b"):
		problem = "is written in binary"
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
	d.report(at, hint, "%s %s", subject, problem)
}

// decimalMeant returns the plain decimal number an integer literal most
// likely stands for: the value of a prefixed literal (0x65 is 101), and
// the digits of a zero-padded one (0101 is 101: padding, not octal, is
// what people mean by it).
func decimalMeant(lit string) (string, bool) {
	lit = strings.TrimPrefix(lit, "+")
	if hasPrefixFold(lit, "0x") || hasPrefixFold(lit, "0o") || hasPrefixFold(lit, "0b") {
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

// isPlainDecimal reports whether s is a non-negative decimal integer
// written without sign, separators or leading zeros.
func isPlainDecimal(s string) bool {
	return isDigits(s) && !hasLeadingZero(s)
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for _, c := range []byte(s) {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// hasLeadingZero reports a zero followed by more characters: "0" itself is
// a plain number.
func hasLeadingZero(s string) bool {
	return len(s) > 1 && s[0] == '0'
}

func hasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
}

// text decodes a string field. Numbers and dates are taken as written, so
// name: 2024 is the name "2024".
func (d *decoder) text(f yamlField, name string) string {
	v := d.resolve(f.value)
	if v == nil {
		return ""
	}
	if v.Kind == yaml.ScalarNode {
		switch v.ShortTag() {
		case "!!str", "!!int", "!!float", "!!timestamp":
			return v.Value
		case "!!bool":
			d.report(f.value, fmt.Sprintf("quote it if it is meant as text: %s: %q", name, v.Value), "%s must be a string, got a boolean", name)
			return ""
		case "!!null":
			d.report(f.value, "give it a value, or remove the line", "%s must be a string, got null", name)
			return ""
		}
	}
	var hint string
	switch v.Kind {
	case yaml.SequenceNode:
		hint = fmt.Sprintf("brackets and \"- \" make a list; write a single value, e.g. %s: Help", name)
	case yaml.MappingNode:
		hint = fmt.Sprintf("quote a value that contains \": \" or braces, e.g. %s: \"a: b\"", name)
	}
	d.report(f.value, hint, "%s must be a string, got %s", name, kindName(v))
	return ""
}

func (d *decoder) boolean(f yamlField, name string) bool {
	v := d.resolve(f.value)
	if v == nil {
		return false
	}
	if v.Kind == yaml.ScalarNode && v.ShortTag() == "!!bool" {
		var b bool
		if err := v.Decode(&b); err == nil {
			return b
		}
	}
	d.report(f.value, fmt.Sprintf("write %s: true or %s: false", name, name), "%s must be true or false, got %s", name, kindName(v))
	return false
}

// decodeButtons decodes a button list at the given depth (1 = top level).
// An explicit empty list decodes to an empty, non-nil slice so that
// Validate can tell "sub_button: []" from no sub_button at all.
func (d *decoder) decodeButtons(f yamlField, path string, depth int) []wechat.Button {
	v := d.resolve(f.value)
	if v == nil || isNull(v) {
		return nil
	}
	if v.Kind != yaml.SequenceNode {
		d.report(f.value, "start each button with \"- \" on its own line",
			"%s must be a list of buttons, got %s", f.key.Value, kindName(v))
		return nil
	}
	out := make([]wechat.Button, 0, len(v.Content))
	for i, item := range v.Content {
		bpath := fmt.Sprintf("%s[%d]", path, i)
		d.positions[bpath] = nodePos(item)
		n := d.resolve(item)
		if n == nil {
			return out
		}
		if n.Kind != yaml.MappingNode {
			d.report(item, "write each button as a mapping, e.g. - {type: click, name: Help, key: HELP}",
				"button must be a mapping, got %s", kindName(n))
			continue
		}
		out = append(out, d.decodeButton(n, bpath, depth))
	}
	return out
}

func (d *decoder) decodeButton(n *yaml.Node, path string, depth int) wechat.Button {
	var b wechat.Button
	targets := map[string]*string{"type": &b.Type, "name": &b.Name}
	for _, f := range wechat.ButtonFields() {
		targets[f.Name] = new(string)
	}
	fields := d.mapping(n, "a button", buttonFields, nil)
	// Fields are visited in a fixed order so that, when aliases exhaust the
	// visit budget, the same node is reported every time.
	for _, name := range buttonFields {
		f, ok := fields[name]
		if !ok {
			continue
		}
		d.positions[path+"."+name] = nodePos(f.key)
		if name == "sub_button" {
			// Deeper levels are reported by Validate on the level above,
			// so they are not decoded.
			if depth < maxButtonDepth {
				b.SubButtons = d.decodeButtons(f, path+".sub_button", depth+1)
			}
			continue
		}
		*targets[name] = d.text(f, name)
	}
	for _, f := range wechat.ButtonFields() {
		f.Set(&b, *targets[f.Name])
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

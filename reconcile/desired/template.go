package desired

import (
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"

	"gopkg.in/yaml.v3"

	"github.com/wxmenu/wxmenu/internal/yamlpos"
	"github.com/wxmenu/wxmenu/reconcile/canon"
	"github.com/wxmenu/wxmenu/wechat"
)

// Template is a menus file whose string values hold ${name} placeholders,
// decoded once (ParseTemplate) and rendered for every account bound to it
// (Render). Rendered states share the template's positions and every
// string that holds no placeholder, so an account costs its own values
// only.
type Template struct {
	// Name is the template's name in the project (templates:).
	Name string
	// Digest is the template's canonical digest (State.Digest of the
	// template as written, placeholders and all): a plan records it.
	Digest string
	state  *State
	// uses are the placeholders of the template, each at its first use.
	uses map[string]Pos
}

// The built-in placeholders every account has.
const (
	VarAccountAppID   = "account.appid"
	VarAccountName    = "account.name"
	VarComponentAppID = "platform.component_appid"
)

// placeholder is ${name}: a name of letters, digits, '_', '-' and dotted
// parts ("store_id", "account.appid"). "$${" is a literal "${".
var (
	placeholder = regexp.MustCompile(`\$\$\{|\$\{([^}]*)\}?`)
	varName     = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_-]*(\.[A-Za-z_][A-Za-z0-9_-]*)*$`)
)

// VarName reports whether name can be a variable's name (${name}).
func VarName(name string) bool { return varName.MatchString(name) }

// ParseTemplate decodes a template as Parse decodes a menus file, and
// checks its placeholders: ${ only in string values (never in a key),
// each closed and naming a variable. Nothing is validated against
// WeChat's rules here: the template's values are only known per account
// (Render validates each rendered state).
func ParseTemplate(name, path string, data []byte) (*Template, error) {
	t := &Template{Name: name, uses: map[string]Pos{}}
	ds, err := parse(path, data, t.scan)
	if diags, ok := err.(Diagnostics); ok {
		for i, d := range diags {
			if strings.Contains(d.Message, "did not find expected ',' or '}'") {
				// The } of a placeholder ends a flow mapping.
				diags[i].Hint = `quote a value that holds a placeholder inside {...}, e.g. {key: "K_${store_id}"}: its } ends the mapping`
			}
		}
	}
	if err != nil {
		return nil, err
	}
	t.state, t.Digest = ds, ds.Digest()
	return t, nil
}

// scan walks a template's nodes for placeholders, recording each name's
// first use and reporting misplaced or malformed ones.
func (t *Template) scan(d *yamlpos.Decoder, n *yaml.Node) {
	if n == nil || n.Kind == yaml.AliasNode {
		return // an alias repeats nodes scanned at their anchor
	}
	if n.Kind == yaml.MappingNode {
		for i := 0; i+1 < len(n.Content); i += 2 {
			if k := n.Content[i]; strings.Contains(k.Value, "${") {
				d.Report(k, "placeholders go in string values only; a key (a field name, a tag id) is written as is", "key %q holds a placeholder", k.Value)
			}
			t.scan(d, n.Content[i+1])
		}
		return
	}
	for _, c := range n.Content {
		t.scan(d, c)
	}
	if n.Kind != yaml.ScalarNode {
		return
	}
	for _, at := range placeholder.FindAllStringSubmatchIndex(n.Value, -1) {
		m := []string{n.Value[at[0]:at[1]], ""} // the match, the name ("" for $${)
		if at[2] >= 0 {
			m[1] = n.Value[at[2]:at[3]]
		}
		pos := placeholderPos(n, at[0])
		here := &yaml.Node{Line: pos.Line, Column: pos.Column}
		switch name := m[1]; {
		case m[0] == "$${":
		case !strings.HasSuffix(m[0], "}"):
			d.Report(here, "close it with }, or write $${ for a literal ${", "placeholder %q is not closed", m[0])
		case !varName.MatchString(name):
			d.Report(here, "a placeholder names one variable, e.g. ${store_id}; there are no expressions", "placeholder %q does not name a variable", m[0])
		case strings.Contains(name, ".") && !builtin(name):
			d.Report(here, fmt.Sprintf("the built-in variables are ${%s}, ${%s} and ${%s}; an account's own vars have no dot", VarAccountAppID, VarAccountName, VarComponentAppID),
				"placeholder %q is no built-in variable", m[0])
		default:
			if _, seen := t.uses[name]; !seen {
				t.uses[name] = pos
			}
		}
	}
}

// placeholderPos is where the placeholder at byte offset i of scalar n's
// value is written, when the value is the text as written (plain, or
// quoted on one line without escapes or doubled quotes); else where n is.
func placeholderPos(n *yaml.Node, i int) Pos {
	pos := yamlpos.PosOf(n)
	quote := ""
	switch n.Style {
	case 0:
	case yaml.DoubleQuotedStyle:
		quote = `"\`
	case yaml.SingleQuotedStyle:
		quote = "'"
	default:
		return pos
	}
	if strings.ContainsAny(n.Value, "\n"+quote) {
		return pos
	}
	if quote != "" {
		pos.Column++
	}
	pos.Column += utf8.RuneCountInString(n.Value[:i])
	return pos
}

func builtin(name string) bool {
	return name == VarAccountAppID || name == VarAccountName || name == VarComponentAppID
}

// Binding is one account's values for a template.
type Binding struct {
	// Account and AppID are the account's name and appid
	// (${account.name}, ${account.appid}); ComponentAppID is its
	// platform's (${platform.component_appid}), "" without one.
	Account, AppID, ComponentAppID string
	// Vars are the account's vars:.
	Vars map[string]string
	// Origin is where the account is defined, for messages.
	Origin Origin
}

// Origin is where an account is defined: a line of the project file, of a
// CSV file, or of a command's output.
type Origin struct {
	// Path is the file, or "output of PROGRAM" for a command's output.
	Path         string
	Line, Column int
}

func (o Origin) String() string {
	switch {
	case o.Line > 0 && o.Column > 0:
		return fmt.Sprintf("%s:%d:%d", o.Path, o.Line, o.Column)
	case o.Line > 0:
		return fmt.Sprintf("%s:%d", o.Path, o.Line)
	}
	return o.Path
}

// Rendered says what a state was rendered from; nil for a menus file.
type Rendered struct {
	// Template is the template's name, TemplateDigest its Digest and
	// VarsDigest the digest of every value the account gives it (its vars
	// and the built-ins): a plan records all three, and a plan whose
	// template or values changed since is stale.
	Template, TemplateDigest, VarsDigest string
	// Account and Origin name the account in messages.
	Account string
	Origin  Origin
	// Unused are the account's vars the template does not use, sorted
	// (Warnings reports them).
	Unused []string
	// Values are the values the template's placeholders took, by
	// placeholder (account.appid for ${account.appid}): a plan records
	// them so that a review of many accounts can show their buttons with
	// the placeholders (plans.Shared).
	Values map[string]string
}

// values are b's variables, the built-ins included.
func (b *Binding) values() map[string]string {
	v := make(map[string]string, len(b.Vars)+3)
	maps.Copy(v, b.Vars)
	v[VarAccountAppID], v[VarAccountName] = b.AppID, b.Account
	if b.ComponentAppID != "" {
		v[VarComponentAppID] = b.ComponentAppID
	}
	return v
}

// Render is the template's state for one account: every placeholder
// replaced by the account's value, then validated like any menus file
// (Validate). An undefined variable, and every problem of the rendered
// state, is a Diagnostic located in the template and naming the account
// and where it is defined.
func (t *Template) Render(b Binding) (*State, error) {
	values := b.values()
	r := &Rendered{Template: t.Name, TemplateDigest: t.Digest, VarsDigest: canon.Digest(values), Account: b.Account, Origin: b.Origin}
	for name := range b.Vars {
		if _, used := t.uses[name]; !used {
			r.Unused = append(r.Unused, name)
		}
	}
	slices.Sort(r.Unused)
	ds := &State{Path: t.state.Path, Positions: t.state.Positions, Rendered: r}
	v := &validator{ds: ds}
	for _, name := range slices.Sorted(maps.Keys(t.uses)) {
		if value, ok := values[name]; ok {
			if r.Values == nil {
				r.Values = map[string]string{}
			}
			r.Values[name] = value
		} else {
			hint := fmt.Sprintf("give the account vars: {%s: ...}, or write $${%s} for a literal ${", name, name)
			if builtin(name) {
				hint = "the account is no platform authorizer, or the project has no platform: block"
			}
			v.diags = append(v.diags, Diagnostic{Path: ds.Path, Pos: t.uses[name], Message: v.prefix() + fmt.Sprintf("variable ${%s} is not defined", name), Hint: hint})
		}
	}
	if len(v.diags) > 0 {
		return nil, v.diags.Sorted()
	}
	x := func(s string) string { return expand(s, values) }
	src := t.state
	if src.Default != nil {
		ds.Default = &Default{Buttons: expandButtons(src.Default.Buttons, x)}
	}
	for _, c := range src.Conditional {
		ds.Conditional = append(ds.Conditional, Conditional{Name: x(c.Name), MatchRule: expandRule(c.MatchRule, x), Buttons: expandButtons(c.Buttons, x), Protect: c.Protect})
	}
	for _, u := range src.Unmanaged {
		ds.Unmanaged = append(ds.Unmanaged, UnmanagedRule{MatchRule: expandRule(u.MatchRule, x)})
	}
	if src.Tags != nil {
		ds.Tags = make(map[string]string, len(src.Tags))
		for id, name := range src.Tags {
			ds.Tags[id] = x(name)
		}
	}
	if diags := Validate(ds); len(diags) > 0 {
		return nil, diags
	}
	return ds, nil
}

// expand replaces s's placeholders by their values (ParseTemplate and
// Render checked that each is well formed and defined) and $${ by ${. A
// string without one is returned as is, shared with the template.
func expand(s string, values map[string]string) string {
	if !strings.Contains(s, "${") {
		return s
	}
	return placeholder.ReplaceAllStringFunc(s, func(m string) string {
		if m == "$${" {
			return "${"
		}
		return values[m[2:len(m)-1]]
	})
}

func expandRule(r wechat.MatchRule, x func(string) string) wechat.MatchRule {
	for _, f := range ruleFields(&r) {
		*f = x(*f)
	}
	return r
}

// expandButtons renders a button list, keeping nil apart from empty (see
// decodeButtons).
func expandButtons(buttons []wechat.Button, x func(string) string) []wechat.Button {
	if buttons == nil {
		return nil
	}
	out := make([]wechat.Button, len(buttons))
	for i, b := range buttons {
		b.Type, b.Name = x(b.Type), x(b.Name)
		for _, f := range wechat.ButtonFields() {
			if v := f.Value(&b); v != "" {
				f.Set(&b, x(v))
			}
		}
		b.SubButtons = expandButtons(b.SubButtons, x)
		out[i] = b
	}
	return out
}

// prefix names the account of a rendered state in its diagnostics'
// messages: "account store-0001 (stores.csv:2): "; "" for a menus file.
func (v *validator) prefix() string {
	if r := v.ds.Rendered; r != nil {
		return fmt.Sprintf("account %s (%s): ", r.Account, r.Origin)
	}
	return ""
}

package desired

import (
	"bytes"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/wxmenu/wxmenu/wechat"
)

// Comments written into exported files.
const (
	exportSource     = "Exported by wxmenu from the live account."
	exportHeader     = "Conditional menus are listed in priority order: the first one that matches a user wins."
	noMenuComment    = "The account has no menu."
	noDefaultComment = "The account has no default menu; WeChat needs one before any conditional menu (65303)."
	deadMenuComment  = "never matches since WeChat's privacy change; WeChat rejects re-creating it (65320)"
)

// Export renders live menus as a desired-state file: the default menu, then
// the conditional menus in priority order (newest first) under generated
// names. Parse(Export(x)) yields the same buttons and rules in the same
// order. Menus whose rules never match (privacy fields) become unmanaged
// rules, so plan keeps them; menus that can never be shown because of
// another menu (duplicates, shadowed rules) are kept with a comment saying
// why, and the file then fails Validate until someone decides what to do.
func Export(live *wechat.MenuSet) ([]byte, error) { return ExportFrom(live, exportSource) }

// ExportFrom is Export with its first comment line, which says where the
// menus come from, written as source (one line, such as the apply of a
// restore that left them).
func ExportFrom(live *wechat.MenuSet, source string) ([]byte, error) {
	if live == nil {
		return nil, errors.New("export: no live menus given")
	}
	var file []*yaml.Node // the top-level mapping's keys and values
	header, menus := source+"\n"+exportHeader, live.NewestFirst()
	if live.Default != nil {
		file = append(file, strNode("default"), defaultMenuNode(live.Default.Buttons))
	} else if len(menus) == 0 {
		header += "\n\n" + noMenuComment
	}

	// Dead menus (privacy rules) cannot be declared: WeChat would reject
	// creating them (65320). They are exported as unmanaged rules, so a
	// plan right after export keeps them and shows no changes; deleting
	// the rule from the file then deletes the menu.
	var declared []wechat.ConditionalMenu
	var dead []wechat.MatchRule
	for _, m := range menus {
		if !m.MatchRule.IsDead() {
			declared = append(declared, m)
		} else if !slices.Contains(dead, m.MatchRule) {
			dead = append(dead, m.MatchRule)
		}
	}

	if len(declared) > 0 {
		key := strNode("conditional")
		if live.Default == nil {
			key.HeadComment = noDefaultComment
		}
		list := &yaml.Node{Kind: yaml.SequenceNode}
		names := exportNames(declared)
		for i, j := range firstCovering(declared, func(m wechat.ConditionalMenu) wechat.MatchRule { return m.MatchRule }) {
			item := &yaml.Node{Kind: yaml.MappingNode, Content: []*yaml.Node{
				strNode("name"), strNode(names[i]),
				strNode("matchrule"), matchRuleNode(declared[i].MatchRule),
				strNode("button"), buttonsNode(declared[i].Buttons),
			}}
			switch {
			case j < 0:
			case declared[j].MatchRule == declared[i].MatchRule:
				item.HeadComment = fmt.Sprintf("never shown: %q above has the same matchrule and wins", names[j])
			default:
				item.HeadComment = fmt.Sprintf("never shown: %q above matches every user this menu would match", names[j])
			}
			list.Content = append(list.Content, item)
		}
		file = append(file, key, list)
	}
	if len(dead) > 0 {
		key := strNode("unmanaged")
		key.HeadComment = "Live menus whose matchrule WeChat no longer matches; remove a rule to delete its menus."
		list := &yaml.Node{Kind: yaml.SequenceNode}
		for _, r := range dead {
			item := matchRuleNode(r)
			item.HeadComment = fmt.Sprintf("matchrule uses %s: %s", joinAnd(r.PrivacyFields()), deadMenuComment)
			list.Content = append(list.Content, item)
		}
		file = append(file, key, list)
	}
	return encode(header, file)
}

// encode writes an exported file: the header comment, then the top-level
// mapping of keys and values, indented by two spaces.
func encode(header string, file []*yaml.Node) ([]byte, error) {
	doc := &yaml.Node{Kind: yaml.DocumentNode, HeadComment: header, Content: []*yaml.Node{{Kind: yaml.MappingNode, Content: file}}}
	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := errors.Join(enc.Encode(doc), enc.Close()); err != nil {
		return nil, fmt.Errorf("export: %w", err)
	}
	return buf.Bytes(), nil
}

// defaultMenuNode is default: with its buttons.
func defaultMenuNode(buttons []wechat.Button) *yaml.Node {
	return &yaml.Node{Kind: yaml.MappingNode, Content: []*yaml.Node{strNode("button"), buttonsNode(buttons)}}
}

// exportNames generates a unique label per menu from its rule: tag-101,
// tag-101-ios, android; repeats get -2, -3.
func exportNames(menus []wechat.ConditionalMenu) []string {
	names := make([]string, len(menus))
	used := map[string]bool{}
	for i, m := range menus {
		base := ruleName(m.MatchRule)
		name := base
		for n := 2; used[name]; n++ {
			name = fmt.Sprintf("%s-%d", base, n)
		}
		used[name] = true
		names[i] = name
	}
	return names
}

func ruleName(r wechat.MatchRule) string {
	var parts []string
	if r.TagID != "" {
		parts = append(parts, "tag-"+labelPart(r.TagID))
	}
	if p := r.ClientPlatformType; p != "" {
		if n, ok := wechat.ClientPlatformName(p); ok {
			parts = append(parts, strings.ToLower(n))
		} else {
			parts = append(parts, "platform-"+labelPart(p))
		}
	}
	if r.IsDead() {
		parts = append(parts, "privacy")
	}
	name := strings.Trim(strings.Join(parts, "-"), "-")
	if name == "" {
		return "menu"
	}
	if len(name) > maxNameLen-4 { // room for a -NNN suffix
		name = strings.TrimRight(name[:maxNameLen-4], "-._")
	}
	return name
}

// labelPart makes a rule value safe inside a label; a value with nothing
// usable becomes "x".
func labelPart(v string) string {
	if s := slug(v); s != "" {
		return s
	}
	return "x"
}

func strNode(v string) *yaml.Node {
	return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: v}
}

// matchRuleNode renders a rule in flow style, values as strings, fields in
// wire order.
func matchRuleNode(r wechat.MatchRule) *yaml.Node {
	n := &yaml.Node{Kind: yaml.MappingNode, Style: yaml.FlowStyle}
	for i, v := range ruleFields(&r) {
		if *v != "" {
			n.Content = append(n.Content, strNode(matchRuleFields[i]), strNode(*v))
		}
	}
	return n
}

// buttonsNode renders a button list; leaves get no sub_button, unlike
// menu/get's "sub_button": [].
func buttonsNode(buttons []wechat.Button) *yaml.Node {
	list := &yaml.Node{Kind: yaml.SequenceNode}
	for _, b := range buttons {
		n := &yaml.Node{Kind: yaml.MappingNode}
		if unused := b.UnusedFields(); len(unused) > 0 && len(b.SubButtons) == 0 {
			// WeChat echoes these but never reads them; the file would
			// not validate with them, and plan ignores them.
			n.HeadComment = fmt.Sprintf("live button also has %s, which %s buttons do not use", joinAnd(unused), b.Type)
			b = b.WithoutUnusedFields()
		}
		for _, f := range buttonFieldValues(b) {
			if f.value != "" || f.name == "name" {
				n.Content = append(n.Content, strNode(f.name), strNode(f.value))
			}
		}
		if len(b.SubButtons) > 0 {
			n.Content = append(n.Content, strNode("sub_button"), buttonsNode(b.SubButtons))
		}
		list.Content = append(list.Content, n)
	}
	return list
}

// Marshal writes ds as a menus file that Parse reads back to the same
// state (wxmenu render prints a rendered account's so), header as its
// leading comment: the default menu, the conditional menus in priority
// order with their names and protect marks, the unmanaged rules and the
// tag names.
func Marshal(ds *State, header string) ([]byte, error) {
	var file []*yaml.Node
	if ds.Default != nil {
		file = append(file, strNode("default"), defaultMenuNode(ds.Default.Buttons))
	}
	if len(ds.Conditional) > 0 {
		list := &yaml.Node{Kind: yaml.SequenceNode}
		for _, c := range ds.Conditional {
			item := &yaml.Node{Kind: yaml.MappingNode, Content: []*yaml.Node{
				strNode("name"), strNode(c.Name),
				strNode("matchrule"), matchRuleNode(c.MatchRule),
				strNode("button"), buttonsNode(c.Buttons),
			}}
			if c.Protect {
				item.Content = append(item.Content, strNode("protect"), &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!bool", Value: "true"})
			}
			list.Content = append(list.Content, item)
		}
		file = append(file, strNode("conditional"), list)
	}
	if len(ds.Unmanaged) > 0 {
		list := &yaml.Node{Kind: yaml.SequenceNode}
		for _, u := range ds.Unmanaged {
			list.Content = append(list.Content, matchRuleNode(u.MatchRule))
		}
		file = append(file, strNode("unmanaged"), list)
	}
	if len(ds.Tags) > 0 {
		tags := &yaml.Node{Kind: yaml.MappingNode}
		for _, id := range slices.Sorted(maps.Keys(ds.Tags)) {
			tags.Content = append(tags.Content, strNode(id), strNode(ds.Tags[id]))
		}
		file = append(file, strNode("tags"), tags)
	}
	return encode(header, file)
}

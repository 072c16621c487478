package yamlpos

import (
	"fmt"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/wxmenu/wxmenu/internal/suggest"
)

// Decoder walks a file's nodes, collecting every problem it reports.
type Decoder struct {
	Path     string
	diags    Diagnostics
	maxNodes int
	visits   int
}

// Report records a problem located at n.
func (d *Decoder) Report(n *yaml.Node, hint, format string, args ...any) {
	d.diags = append(d.diags, Diagnostic{Path: d.Path, Pos: PosOf(n), Message: fmt.Sprintf(format, args...), Hint: hint})
}

// Problems is how many problems have been reported so far.
func (d *Decoder) Problems() int { return len(d.diags) }

// Err is every problem reported (Diagnostics.Sorted), or nil.
func (d *Decoder) Err() error {
	if len(d.diags) == 0 {
		return nil
	}
	return d.diags.Sorted()
}

// Resolve follows aliases to the node they name and counts the visit. It
// returns nil for nil, an alias loop, and once the file's MaxNodes are
// spent, which is reported once.
func (d *Decoder) Resolve(n *yaml.Node) *yaml.Node {
	for hops := 0; n != nil && n.Kind == yaml.AliasNode; hops++ {
		if hops > 100 {
			return nil
		}
		n = n.Alias
	}
	if n == nil {
		return nil
	}
	if d.visits++; d.visits == d.maxNodes+1 {
		d.Report(n, "an alias (*name) repeats all its anchor (&name) holds, so aliases of aliases multiply; check anchors and aliases",
			"file expands to more than %d nodes through aliases", d.maxNodes)
	}
	if d.visits > d.maxNodes {
		return nil
	}
	return n
}

// Field is one key of a mapping and its value, as written (aliases not
// yet followed).
type Field struct{ Key, Value *yaml.Node }

// Mapping describes a mapping a file holds at some place.
type Mapping struct {
	// Name is the mapping in "NAME must be a mapping" ("button"), In in
	// "unknown field in IN" ("a button"); Hint says how to write it when it
	// is something else.
	Name, In, Hint string
	// Keys are the fields it takes, in the order hints list them.
	Keys []string
	// KeyHints explain unknown fields that are a misunderstanding rather
	// than a typo (group_id, what menu/get calls tag_id).
	KeyHints map[string]string
}

// maxMergeDepth is how deeply merges may nest (a merged mapping that
// merges another, ...); deeper ones are reported and left out.
const maxMergeDepth = 10

// Fields decodes n as the mapping m: its fields by key, those of the
// mappings it merges included. Unknown, repeated and non-scalar keys are
// reported and left out. It is nil when n is not a mapping (reported) or
// the node budget is spent.
func (d *Decoder) Fields(n *yaml.Node, m *Mapping) map[string]Field {
	at := n
	if n = d.Resolve(n); n == nil {
		return nil
	}
	if n.Kind != yaml.MappingNode {
		d.Report(at, m.Hint, "%s must be a mapping, got %s", m.Name, KindName(n))
		return nil
	}
	out := map[string]Field{}
	if d.fields(n, m, out, 0) {
		d.Report(at, "merge mappings that hold fields, not merges of merges", "merges (<<) in %s are nested more than %d deep", m.In, maxMergeDepth)
	}
	return out
}

// fields adds the fields of mapping n that out does not hold yet, then
// those of the mappings n merges; it reports whether merges nested too
// deep were left out.
func (d *Decoder) fields(n *yaml.Node, m *Mapping, out map[string]Field, depth int) (tooDeep bool) {
	var merges []*yaml.Node
	seen := map[string]*yaml.Node{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		switch first := seen[k.Value]; {
		case k.Kind == yaml.ScalarNode && k.Tag == "!!merge":
			merges = append(merges, v)
		case k.Kind != yaml.ScalarNode:
			d.Report(k, "", "keys of %s must be plain names, got %s", m.In, KindName(k))
		case first != nil:
			d.Report(k, "remove one of them", "duplicate key %q in %s (first at line %d)", k.Value, m.In, first.Line)
		case !slices.Contains(m.Keys, k.Value):
			seen[k.Value] = k
			d.Report(k, m.unknownHint(k.Value), "unknown field %q in %s", k.Value, m.In)
		default:
			seen[k.Value] = k
			if _, set := out[k.Value]; !set {
				out[k.Value] = Field{k, v}
			}
		}
	}
	if depth > maxMergeDepth {
		return len(merges) > 0
	}
	for _, merge := range merges {
		r := d.Resolve(merge)
		if r == nil {
			return false
		}
		sources := []*yaml.Node{merge} // as written, to point at the alias
		if r.Kind == yaml.SequenceNode {
			sources = r.Content
		}
		for _, s := range sources {
			r := d.Resolve(s)
			switch {
			case r == nil:
				return false
			case r.Kind != yaml.MappingNode:
				d.Report(s, "merge an anchored mapping: <<: *name", "a merge (<<) in %s must name a mapping, got %s", m.In, KindName(r))
			case d.fields(r, m, out, depth+1):
				tooDeep = true
			}
		}
	}
	return tooDeep
}

func (m *Mapping) unknownHint(key string) string {
	if h, ok := m.KeyHints[key]; ok {
		return h
	}
	if s := suggest.Closest(key, m.Keys); s != "" {
		return fmt.Sprintf("did you mean %q?", s)
	}
	return fmt.Sprintf("fields of %s: %s", m.In, strings.Join(m.Keys, ", "))
}

// List is the items of f's value, a list: non-nil when the list is, even
// empty ([]). Null is nil, no list, so that a key whose entries are all
// commented out is accepted. Anything else is reported as "SUBJECT must be
// WANT" with hint.
func (d *Decoder) List(f Field, subject, want, hint string) []*yaml.Node {
	v := d.Resolve(f.Value)
	if v == nil || IsNull(v) {
		return nil
	}
	if v.Kind != yaml.SequenceNode {
		d.Report(f.Value, hint, "%s must be %s, got %s", subject, want, KindName(v))
		return nil
	}
	if len(v.Content) == 0 {
		return []*yaml.Node{} // written empty: [], not nil
	}
	return v.Content
}

// String is f's value as text. Numbers and dates are taken as written, so
// name: 2024 is "2024"; a boolean, null, list or mapping is reported, with
// subject ("name") as the field's name in the message. f.Key is nil for an
// item of a list.
func (d *Decoder) String(f Field, subject string) (string, bool) {
	v := d.Resolve(f.Value)
	if v == nil {
		return "", false
	}
	key, hint := "", "" // the key as hints write it, "name: "; none for a list item
	if f.Key != nil {
		key = f.Key.Value + ": "
	}
	switch v.Kind {
	case yaml.ScalarNode:
		switch v.ShortTag() {
		case "!!str", "!!int", "!!float", "!!timestamp":
			return v.Value, true
		case "!!bool":
			hint = fmt.Sprintf("quote it if it is meant as text: %s%q", key, v.Value)
		case "!!null":
			hint = "give it a value, or remove the line"
		}
	case yaml.SequenceNode:
		hint = fmt.Sprintf("brackets and \"- \" make a list; write a single value, e.g. %sHelp", key)
	case yaml.MappingNode:
		hint = fmt.Sprintf("quote a value that contains \": \" or braces, e.g. %s\"a: b\"", key)
	}
	d.Report(f.Value, hint, "%s must be a string, got %s", subject, KindName(v))
	return "", false
}

// Bool is f's value, true or false; anything else is reported.
func (d *Decoder) Bool(f Field, subject string) (value, ok bool) {
	v := d.Resolve(f.Value)
	if v == nil {
		return false, false
	}
	if v.Kind == yaml.ScalarNode && v.ShortTag() == "!!bool" && v.Decode(&value) == nil {
		return value, true
	}
	d.Report(f.Value, fmt.Sprintf("write %s: true or %s: false", f.Key.Value, f.Key.Value), "%s must be true or false, got %s", subject, KindName(v))
	return false, false
}

// KindName describes a node for "must be X, got Y" messages: "a mapping",
// "a list", "a string", "an integer", "null".
func KindName(n *yaml.Node) string {
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
	if name, ok := scalarKinds[n.ShortTag()]; ok {
		return name
	}
	return "a value tagged " + n.Tag
}

// scalarKinds name the scalars of YAML's core schema by their tag.
var scalarKinds = map[string]string{
	"!!str": "a string", "!!int": "an integer", "!!float": "a number", "!!bool": "a boolean",
	"!!null": "null", "!!timestamp": "a timestamp", "!!binary": "binary data",
}

// IsNull reports a null scalar: "~", "null" or nothing at all.
func IsNull(n *yaml.Node) bool {
	return n.Kind == yaml.ScalarNode && n.ShortTag() == "!!null"
}

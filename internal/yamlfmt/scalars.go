package yamlfmt

import (
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// coreTags are the tags of YAML's core schema that a scalar written plain
// or quoted resolves to; scalars with other tags keep their style.
var coreTags = map[string]bool{"!!str": true, "!!int": true, "!!float": true, "!!bool": true, "!!null": true, "!!timestamp": true}

// quoting writes every scalar by one rule: a string plain when YAML reads
// the plain text back as that string where it stands (a key or a value, in
// a block or on one line), else in double quotes; a string of several
// lines as yaml.v3 chooses (a literal block, or double quotes on one
// line); anything else plain, booleans as true and false. Strings that
// YAML 1.1 reads as booleans (yes, on) are quoted, as yaml.v3 quotes them.
type quoting struct {
	// plain caches whether a string can be plain, by where it stands.
	plain map[plainKey]bool
}

type plainKey struct {
	value     string
	flow, key bool
}

// apply restyles the scalars of n; flow is whether n is inside a
// collection written on one line.
func (q *quoting) apply(n *yaml.Node, flow, key bool) {
	switch n.Kind {
	case yaml.DocumentNode, yaml.SequenceNode:
		flow = flow || n.Style&yaml.FlowStyle != 0
		for _, c := range n.Content {
			q.apply(c, flow, false)
		}
	case yaml.MappingNode:
		flow = flow || n.Style&yaml.FlowStyle != 0
		for i, c := range n.Content {
			q.apply(c, flow, i%2 == 0)
		}
	case yaml.ScalarNode:
		if isMerge(n) {
			// yaml.v3 writes a merge key it read as "!!merge <<";
			// untagged, it is resolved again as the merge key it is.
			n.Tag = ""
			return
		}
		if !coreTags[n.ShortTag()] {
			return
		}
		switch n.ShortTag() {
		case "!!str":
			n.Tag, n.Style = "!!str", 0
			if !strings.Contains(n.Value, "\n") && !q.canBePlain(plainKey{n.Value, flow, key}) {
				n.Style = yaml.DoubleQuotedStyle
			}
		case "!!bool":
			var b bool
			if n.Decode(&b) == nil {
				n.Value = strconv.FormatBool(b)
			}
			n.Style = 0
		default:
			n.Style = 0
		}
	}
}

// canBePlain asks yaml.v3's encoder, whose rules decide it, whether it
// writes the string plain where it stands: as the key or the value of a
// mapping written in a block or on one line. It encodes a Go string, not a
// node, so that strings YAML 1.1 reads as something else (yes, on, 1:20)
// are quoted too, for the tools that read YAML 1.1.
func (q *quoting) canBePlain(at plainKey) bool {
	if ok, cached := q.plain[at]; cached {
		return ok
	}
	m := map[string]string{"k": at.value}
	if at.key {
		m = map[string]string{at.value: "k"}
	}
	var doc any = m
	if at.flow {
		doc = struct {
			M map[string]string `yaml:"m,flow"`
		}{m}
	}
	out, err := yaml.Marshal(doc)
	text := strings.TrimPrefix(string(out), "m: {")
	if !at.key {
		text = strings.TrimPrefix(text, "k: ")
	}
	ok := err == nil && !strings.HasPrefix(text, `"`) && !strings.HasPrefix(text, "'")
	if q.plain == nil {
		q.plain = map[plainKey]bool{}
	}
	q.plain[at] = ok
	return ok
}

package yamlfmt

import (
	"slices"

	"gopkg.in/yaml.v3"
)

// Shape is the canonical layout of a node of a file: for a mapping its key
// order and the shapes of its values, for a list the shape of its items,
// for a scalar whether it is text. A nil Shape orders nothing and leaves
// scalars as they are typed; quoting and indentation apply everywhere.
type Shape struct {
	// Keys is a mapping's key order. Keys it does not list follow in
	// KeyOrder, or as written when KeyOrder is nil.
	Keys     []string
	KeyOrder func(a, b string) int
	// Fields is the shape of the value of each key; Values that of the
	// keys Fields does not list (a mapping whose keys are data, tags:).
	Fields map[string]*Shape
	Values *Shape
	// TextKeys: the keys are text, written as strings (tag ids).
	TextKeys bool
	// Items is the shape of each item of a list.
	Items *Shape
	// Text: the scalar is text. Its decoder takes a number or a date as
	// written (name: 2024 is "2024"), so it is written as a string.
	Text bool
}

// field is the shape of the value of key.
func (s *Shape) field(key string) *Shape {
	if s == nil {
		return nil
	}
	if f, ok := s.Fields[key]; ok {
		return f
	}
	return s.Values
}

// rank is where key goes in a mapping of shape s: merge keys first, then
// Keys in order, then the others.
func (s *Shape) rank(key *yaml.Node) int {
	if isMerge(key) {
		return -1
	}
	if i := slices.Index(s.Keys, key.Value); i >= 0 {
		return i
	}
	return len(s.Keys)
}

// isMerge reports a merge key (<<).
func isMerge(key *yaml.Node) bool {
	return key.Kind == yaml.ScalarNode && key.Tag == "!!merge"
}

// textTags are the tags of the scalars a decoder of text takes as
// written: yamlpos.Decoder.String.
var textTags = []string{"!!int", "!!float", "!!timestamp"}

// shaper applies shapes to a tree in place.
type shaper struct {
	// reorder is false when keys keep their order (see Format).
	reorder bool
}

// apply gives n shape s: keys in order and text written as strings. Aliases
// are not followed: an anchored node is shaped where it is written.
func (sh *shaper) apply(n *yaml.Node, s *Shape) {
	switch n.Kind {
	case yaml.DocumentNode:
		for _, c := range n.Content {
			sh.apply(c, s)
		}
	case yaml.SequenceNode:
		var items *Shape
		if s != nil {
			items = s.Items
		}
		for _, c := range n.Content {
			sh.apply(c, items)
		}
	case yaml.MappingNode:
		if s != nil && sh.reorder {
			sortPairs(n, s)
		}
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			switch {
			case isMerge(k):
				// A merged mapping, or a list of them, holds keys of
				// this mapping.
				if v.Kind == yaml.SequenceNode {
					sh.apply(v, &Shape{Items: s})
				} else {
					sh.apply(v, s)
				}
				continue
			case s != nil && s.TextKeys:
				toText(k)
			}
			sh.apply(v, s.field(k.Value))
		}
	case yaml.ScalarNode:
		if s != nil && s.Text {
			toText(n)
		}
	}
}

// toText makes a number or a date a string of the same text.
func toText(n *yaml.Node) {
	if n.Kind == yaml.ScalarNode && slices.Contains(textTags, n.ShortTag()) {
		n.Tag = "!!str"
	}
}

// sortPairs puts the keys of mapping n in the order of s. A comment after
// the last entry (yaml.v3 keeps it as the last key's foot comment) stays
// after the last entry.
func sortPairs(n *yaml.Node, s *Shape) {
	type pair struct{ k, v *yaml.Node }
	var pairs []pair
	for i := 0; i+1 < len(n.Content); i += 2 {
		pairs = append(pairs, pair{n.Content[i], n.Content[i+1]})
	}
	if len(pairs) < 2 {
		return
	}
	oldLast := pairs[len(pairs)-1].k
	slices.SortStableFunc(pairs, func(a, b pair) int {
		if ra, rb := s.rank(a.k), s.rank(b.k); ra != rb {
			return ra - rb
		}
		if s.KeyOrder != nil && !isMerge(a.k) {
			return s.KeyOrder(a.k.Value, b.k.Value)
		}
		return 0
	})
	if newLast := pairs[len(pairs)-1].k; newLast != oldLast && oldLast.FootComment != "" {
		newLast.FootComment = joinComments(newLast.FootComment, oldLast.FootComment)
		oldLast.FootComment = ""
	}
	n.Content = n.Content[:0]
	for _, p := range pairs {
		n.Content = append(n.Content, p.k, p.v)
	}
}

func joinComments(a, b string) string {
	if a == "" {
		return b
	}
	return a + "\n" + b
}

// aliasBeforeAnchor reports whether, in document order, an alias comes
// before the anchor it names: moving keys can do that, and the file would
// no longer parse.
func aliasBeforeAnchor(root *yaml.Node) bool {
	seen := map[*yaml.Node]bool{}
	var walk func(n *yaml.Node) bool
	walk = func(n *yaml.Node) bool {
		if n.Kind == yaml.AliasNode {
			return !seen[n.Alias]
		}
		seen[n] = true
		for _, c := range n.Content {
			if walk(c) {
				return true
			}
		}
		return false
	}
	return walk(root)
}

package desired

import "gopkg.in/yaml.v3"

// Walker reads a YAML node tree the way wxmenu's strict decoders
// (menus.yaml here, wxmenu.yaml in package project) do: aliases followed,
// merge keys (<<) honoured, and every node read counted, so a small file
// that aliases multiply into millions of nodes is refused once rather
// than read.
type Walker struct {
	// Max is how many nodes may be read; Exhausted is called once, with the
	// node at which the budget ran out.
	Max       int
	Exhausted func(at *yaml.Node)
	visits    int
	spent     bool
}

// maxMergeDepth is how deeply merges may nest (a merged mapping that
// merges another, ...); deeper ones are left out.
const maxMergeDepth = 10

// Resolve follows aliases to the node they name and counts the visit. It
// returns nil for an alias loop and once the budget is spent.
func (w *Walker) Resolve(n *yaml.Node) *yaml.Node {
	for hops := 0; n != nil && n.Kind == yaml.AliasNode; hops++ {
		if hops > 100 {
			return nil
		}
		n = n.Alias
	}
	w.visits++
	if w.visits > w.Max {
		if !w.spent {
			w.spent = true
			w.Exhausted(n)
		}
		return nil
	}
	return n
}

// FieldVisitor receives the keys of a mapping from Walker.Fields.
type FieldVisitor interface {
	// Field is one key and its value, of the mapping itself (depth 0) or
	// of a mapping it merges (depth 1 and more): the mapping's own keys
	// come first, then each merged mapping's, in order, so the first to
	// set a key is the one that wins. first is the key's earlier
	// occurrence in the same mapping, if the key is repeated there.
	Field(key, value *yaml.Node, depth int, first *yaml.Node)
	// BadMerge is a merge source that does not name a mapping; resolved
	// is the node it names.
	BadMerge(source, resolved *yaml.Node)
}

// Fields visits the keys of mapping n and of the mappings it merges. It
// reports whether merges nested deeper than maxMergeDepth were left out.
func (w *Walker) Fields(n *yaml.Node, v FieldVisitor) (tooDeep bool) {
	return w.fields(n, v, 0)
}

func (w *Walker) fields(n *yaml.Node, v FieldVisitor, depth int) (tooDeep bool) {
	var merges []*yaml.Node
	seen := map[string]*yaml.Node{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, val := n.Content[i], n.Content[i+1]
		if k.Kind == yaml.ScalarNode && k.Tag == "!!merge" {
			merges = append(merges, val)
			continue
		}
		var first *yaml.Node
		if k.Kind == yaml.ScalarNode {
			if first = seen[k.Value]; first == nil {
				seen[k.Value] = k
			}
		}
		v.Field(k, val, depth, first)
	}
	if depth > maxMergeDepth {
		return len(merges) > 0
	}
	for _, m := range merges {
		r := w.Resolve(m)
		if r == nil {
			return false
		}
		sources := []*yaml.Node{m} // as written, so BadMerge can point at the alias
		if r.Kind == yaml.SequenceNode {
			sources = r.Content
		}
		for _, s := range sources {
			r := w.Resolve(s)
			if r == nil {
				return false
			}
			if r.Kind != yaml.MappingNode {
				v.BadMerge(s, r)
				continue
			}
			if w.fields(r, v, depth+1) {
				tooDeep = true
			}
		}
	}
	return tooDeep
}

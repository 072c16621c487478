package project

import (
	"reflect"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/wxmenu/wxmenu/internal/yamlfmt"
	"github.com/wxmenu/wxmenu/reconcile/desired"
)

// Format returns a project file in the canonical layout of `wxmenu fmt`
// (internal/yamlfmt), its comments kept. It refuses a file that does not
// decode (a file that lists no accounts yet, only its platform, is
// formatted), and checks that the result decodes to the same project.
func Format(path string, data []byte) ([]byte, error) {
	parse := func(path string, data []byte) (*Project, error) { return parse(path, data, true) }
	return yamlfmt.File(path, data, projectShape, parse, func(a, b *Project) bool { return reflect.DeepEqual(a.placeless(), b.placeless()) })
}

// placeless is p without where its accounts, generators' defaults and
// rollout are written, which moves with the layout.
func (p *Project) placeless() *Project {
	q := *p
	q.Accounts = slices.Clone(p.Accounts)
	for i := range q.Accounts {
		q.Accounts[i].Origin = desired.Origin{}
	}
	q.AccountsFrom = slices.Clone(p.AccountsFrom)
	for i := range q.AccountsFrom {
		q.AccountsFrom[i].Defaults = bare(q.AccountsFrom[i].Defaults)
	}
	q.Rollout = p.Rollout.placeless()
	return &q
}

// bare is a copy of n that keeps its values only: no position, style or
// comment, a mapping's keys sorted. Aliases are followed (as they are
// decoded).
func bare(n *yaml.Node) *yaml.Node {
	for n != nil && n.Kind == yaml.AliasNode {
		n = n.Alias
	}
	if n == nil {
		return nil
	}
	out := &yaml.Node{Kind: n.Kind, Tag: n.ShortTag(), Value: n.Value}
	for _, c := range n.Content {
		out.Content = append(out.Content, bare(c))
	}
	if n.Kind == yaml.MappingNode { // keys in order, as fmt orders them
		pairs := slices.Collect(slices.Chunk(out.Content, 2))
		slices.SortStableFunc(pairs, func(a, b []*yaml.Node) int { return strings.Compare(a[0].Value, b[0].Value) })
		out.Content = slices.Concat(pairs...)
	}
	return out
}

// projectShape is the layout of wxmenu.yaml: each mapping's keys in the
// order its decoder lists them, names, paths and variables written as text.
var projectShape = func() *yamlfmt.Shape {
	text := &yamlfmt.Shape{Text: true}
	accountFields := map[string]*yamlfmt.Shape{
		"token_command": {Items: text},
		"vars":          {Values: text},
		"platform":      nil, "self_heal": nil, // true or false
	}
	account := &yamlfmt.Shape{Keys: accountMapping.Keys, Values: text, Fields: accountFields}
	generator := &yamlfmt.Shape{Keys: generatorMapping.Keys, Values: text, Fields: map[string]*yamlfmt.Shape{
		"command":  {Items: text},
		"defaults": {Keys: defaultsMapping.Keys, Values: text, Fields: accountFields},
	}}
	return &yamlfmt.Shape{Keys: topMapping.Keys, Values: text, Fields: map[string]*yamlfmt.Shape{
		"templates":     {Values: text},
		"accounts":      {Items: account},
		"accounts_from": {Items: generator},
		"rollout": {Keys: rolloutMapping.Keys, Fields: map[string]*yamlfmt.Shape{
			"waves": {Items: &yamlfmt.Shape{Keys: waveMapping.Keys, Values: text, Fields: map[string]*yamlfmt.Shape{
				"accounts": {Items: text}, "share": nil, // a number
			}}},
		}},
		"platform": {Keys: platformMapping.Keys, Values: text, Fields: map[string]*yamlfmt.Shape{"authorizer_token_command": {Items: text}}},
	}}
}()

package project

import (
	"reflect"

	"github.com/wxmenu/wxmenu/internal/yamlfmt"
)

// Format returns a project file in the canonical layout of `wxmenu fmt`
// (internal/yamlfmt), its comments kept. It refuses a file that does not
// decode (a file that lists no accounts yet, only its platform, is
// formatted), and checks that the result decodes to the same project.
func Format(path string, data []byte) ([]byte, error) {
	parse := func(path string, data []byte) (*Project, error) { return parse(path, data, true) }
	return yamlfmt.File(path, data, projectShape, parse, func(a, b *Project) bool {
		if a.Rollout != nil && b.Rollout != nil { // where the waves are written may move
			ra, rb := *a.Rollout, *b.Rollout
			ra.At = rb.At
			return reflect.DeepEqual(ra, rb) && reflect.DeepEqual(withoutRollout(a), withoutRollout(b))
		}
		return reflect.DeepEqual(a, b)
	})
}

// withoutRollout is p without its rollout.
func withoutRollout(p *Project) Project {
	q := *p
	q.Rollout = nil
	return q
}

// projectShape is the layout of wxmenu.yaml: each mapping's keys in the
// order its decoder lists them, names, paths and variables written as text.
var projectShape = func() *yamlfmt.Shape {
	text := &yamlfmt.Shape{Text: true}
	account := &yamlfmt.Shape{Keys: accountMapping.Keys, Values: text, Fields: map[string]*yamlfmt.Shape{
		"token_command": {Items: text},
		"platform":      nil, "self_heal": nil, // true or false
	}}
	return &yamlfmt.Shape{Keys: topMapping.Keys, Values: text, Fields: map[string]*yamlfmt.Shape{
		"accounts": {Items: account},
		"rollout": {Keys: rolloutMapping.Keys, Fields: map[string]*yamlfmt.Shape{
			"waves": {Items: &yamlfmt.Shape{Keys: waveMapping.Keys, Values: text, Fields: map[string]*yamlfmt.Shape{
				"accounts": {Items: text}, "share": nil, // a number
			}}},
		}},
		"platform": {Keys: platformMapping.Keys, Values: text},
	}}
}()

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
	return yamlfmt.File(path, data, projectShape, parse, sameProject)
}

// sameProject reports whether a and b are the same project, wherever in
// the file their rollout's waves are written.
func sameProject(a, b *Project) bool {
	if a.Rollout == nil || b.Rollout == nil {
		return reflect.DeepEqual(a, b)
	}
	x, y := *a, *b
	rx, ry := *a.Rollout, *b.Rollout
	rx.At = ry.At
	x.Rollout, y.Rollout = &rx, &ry
	return reflect.DeepEqual(x, y)
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

package desired

import (
	"cmp"
	"reflect"
	"strconv"

	"github.com/wxmenu/wxmenu/internal/yamlfmt"
)

// Format returns a menus.yaml in the canonical layout of `wxmenu fmt`
// (internal/yamlfmt), its comments kept. It refuses a file Parse refuses,
// and checks that the result parses to the same State. Validate is not
// needed: formatting a file that breaks WeChat's rules changes nothing of
// what it says.
func Format(path string, data []byte) ([]byte, error) {
	return yamlfmt.File(path, data, menusShape, Parse, sameState)
}

// menusShape is the layout of menus.yaml: each mapping's keys in the order
// its decoder lists them, which is the order of WeChat's fields (a button's
// type and name, the fields of its type in wire order, sub_button), tags
// by number; what WeChat reads as text written as text.
var menusShape = func() *yamlfmt.Shape {
	text := &yamlfmt.Shape{Text: true}
	button := &yamlfmt.Shape{Keys: buttonMapping.Keys, Values: text}
	buttons := &yamlfmt.Shape{Items: button}
	button.Fields = map[string]*yamlfmt.Shape{"sub_button": buttons}
	return &yamlfmt.Shape{Keys: topMapping.Keys, Fields: map[string]*yamlfmt.Shape{
		"default": {Keys: defaultMapping.Keys, Fields: map[string]*yamlfmt.Shape{"button": buttons}},
		"conditional": {Items: &yamlfmt.Shape{Keys: conditionalMapping.Keys, Fields: map[string]*yamlfmt.Shape{
			"name": text, "button": buttons, "matchrule": {Keys: matchRuleMapping.Keys, Values: text},
		}}},
		"unmanaged": {Items: &yamlfmt.Shape{Keys: unmanagedMapping.Keys, Values: text}},
		"tags":      {TextKeys: true, KeyOrder: compareTagIDs, Values: text},
	}}
}()

// compareTagIDs orders tag ids by number.
func compareTagIDs(a, b string) int {
	x, errX := strconv.ParseUint(a, 10, 64)
	y, errY := strconv.ParseUint(b, 10, 64)
	if errX != nil || errY != nil || x == y {
		return cmp.Compare(a, b)
	}
	return cmp.Compare(x, y)
}

// sameState reports whether two states declare the same: every field but
// where things are in the file.
func sameState(a, b *State) bool {
	x, y := *a, *b
	x.Positions, y.Positions = nil, nil
	return a.Digest() == b.Digest() && reflect.DeepEqual(x, y)
}

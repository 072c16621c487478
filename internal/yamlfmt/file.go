package yamlfmt

import (
	"errors"

	"github.com/wxmenu/wxmenu/internal/yamlpos"
)

// File formats the file at path, of a kind that parse decodes strictly
// into a T and same compares. It refuses a file parse refuses (its
// diagnostics are the error), and checks the result: it must parse to
// what the input means, or the file is left as it is and the error says
// so. Every problem is yamlpos.Diagnostics.
func File[T any](path string, data []byte, shape *Shape, parse func(path string, data []byte) (T, error), same func(a, b T) bool) ([]byte, error) {
	before, err := parse(path, data)
	if err != nil {
		return nil, err
	}
	out, err := Format(data, shape)
	if ce := (*CommentError)(nil); errors.As(err, &ce) {
		return nil, yamlpos.Diagnostics{{Path: path, Pos: yamlpos.Pos{Line: ce.Line, Column: 1}, Message: "cannot format the file: " + ce.Error(),
			Hint: "move the comment to a line of its own above the entry it is about"}}
	}
	if err == nil {
		var after T
		if after, err = parse(path, out); err == nil && !same(before, after) {
			err = errors.New("the result would mean something else")
		}
	}
	if err != nil {
		return nil, yamlpos.Diagnostics{{Path: path, Message: "cannot format the file: " + err.Error() + "; it is left as it is",
			Hint: "this is a bug of wxmenu fmt: please report it with the file"}}
	}
	return out, nil
}

package errtext

import (
	"errors"
	"io/fs"
)

// Hinter is an error that says how to fix it.
type Hinter interface{ ErrorHint() string }

// Hint is the hint of the first error in err's chain that is a Hinter, or
// "".
func Hint(err error) string {
	if h := Hinter(nil); errors.As(err, &h) {
		return h.ErrorHint()
	}
	return ""
}

// PathReason is the reason of the *fs.PathError in err's chain, without
// its operation and path; err itself when there is none.
func PathReason(err error) error {
	if pe := (*fs.PathError)(nil); errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

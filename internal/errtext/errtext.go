package errtext

import (
	"cmp"
	"errors"
	"fmt"
	"io/fs"
)

// Hinter is an error that says how to fix it.
type Hinter interface{ ErrorHint() string }

// Error is an error with a hint ("" when there is none). Message, when
// set, words it for people instead of Err, which it still wraps.
type Error struct {
	Err     error
	Hint    string
	Message string
}

// Errorf is an *Error with a formatted message (%w wraps, as in
// fmt.Errorf).
func Errorf(hint, format string, args ...any) error {
	return &Error{Err: fmt.Errorf(format, args...), Hint: hint}
}

func (e *Error) Error() string     { return cmp.Or(e.Message, e.Err.Error()) }
func (e *Error) Unwrap() error     { return e.Err }
func (e *Error) ErrorHint() string { return e.Hint }

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

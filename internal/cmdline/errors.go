package cmdline

import "fmt"

// Error is an error with the process exit code, an optional usage line
// (printed after the error) and an optional hint (printed last).
type Error struct {
	Code  int
	Err   error
	Usage string
	Hint  string
}

func (e *Error) Error() string     { return e.Err.Error() }
func (e *Error) Unwrap() error     { return e.Err }
func (e *Error) ErrorHint() string { return e.Hint }

// Fail is an *Error with a formatted message.
func Fail(code int, hint string, format string, args ...any) error {
	return &Error{Code: code, Err: fmt.Errorf(format, args...), Hint: hint}
}

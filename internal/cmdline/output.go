package cmdline

import (
	"errors"
	"os"
)

// UnwrapPathError is the reason of an *os.PathError, or err.
func UnwrapPathError(err error) error {
	if pe := (*os.PathError)(nil); errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

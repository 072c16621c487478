package cmdline

import (
	"errors"
	"io"
	"os"

	"github.com/wxmenu/wxmenu/internal/atomicfile"
)

// WriteOut writes to path atomically (a reader never sees half a file),
// or to stdout when path is "".
func WriteOut(stdout io.Writer, path string, write func(io.Writer) error) error {
	if path == "" {
		return write(stdout)
	}
	if err := atomicfile.Write(path, write); err != nil {
		return WriteError(path, err)
	}
	return nil
}

// WriteError is the error of writing path: "writing PATH: REASON", the
// reason without the path and operation os.PathError repeats.
func WriteError(path string, err error) error {
	return Fail(ExitError, "", "writing %s: %v", path, UnwrapPathError(err))
}

// UnwrapPathError is the reason of an *os.PathError, or err.
func UnwrapPathError(err error) error {
	if pe := (*os.PathError)(nil); errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

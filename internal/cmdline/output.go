package cmdline

import (
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/wxmenu/wxmenu/internal/atomicfile"
	"github.com/wxmenu/wxmenu/reconcile"
	"github.com/wxmenu/wxmenu/reconcile/desired"
	"github.com/wxmenu/wxmenu/reconcile/project"
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

// WriteExport writes what export read of an account to out (--out), or
// to stdout when out is "", with its warnings on stderr and, for a file,
// a line saying what was exported where.
func WriteExport(stdout, stderr io.Writer, exp *reconcile.Export, out string) error {
	for _, w := range exp.Warnings {
		fmt.Fprintf(stderr, "wxmenu: warning: %s\n", w)
	}
	if err := WriteOut(stdout, out, func(w io.Writer) error { _, err := w.Write(exp.Data); return err }); err != nil || out == "" {
		return err
	}
	fmt.Fprintf(stderr, "wxmenu: exported %s to %s\n", exp.What, out)
	return nil
}

// Schema is the JSON Schema schema prints: of the project file with
// projectFile (--project), else of menus.yaml.
func Schema(projectFile bool) []byte {
	if projectFile {
		return project.Schema()
	}
	return desired.Schema()
}

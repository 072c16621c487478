package cmdline

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"

	"github.com/wxmenu/wxmenu/internal/atomicfile"
	"github.com/wxmenu/wxmenu/internal/errtext"
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
	return Fail(ExitError, "", "writing %s: %v", path, errtext.PathReason(err))
}

// WriteExport writes what export read of an account to out (--out), or
// to stdout when out is "", with its warnings on stderr and, for a file,
// a line saying what was exported where. A file that exists is never
// replaced unless force (--force) is set: export is how a repository
// starts, and what is already there may be a hand-written menus.yaml
// (comments, protect: marks) or no menus at all. CheckExportOut refuses
// one before the account is read; this refuses one that appeared since.
func WriteExport(stdout, stderr io.Writer, exp *reconcile.Export, out string, force bool) error {
	for _, w := range exp.Warnings {
		fmt.Fprintf(stderr, "wxmenu: warning: %s\n", w)
	}
	data := func(w io.Writer) error { _, err := w.Write(exp.Data); return err }
	var err error
	switch {
	case out == "":
		return data(stdout)
	case force:
		err = WriteOut(stdout, out, data)
	default:
		if err = atomicfile.WriteNew(out, data); errors.Is(err, fs.ErrExist) {
			err = exportOutExists(out)
		} else if err != nil {
			err = WriteError(out, err)
		}
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(stderr, "wxmenu: exported %s to %s\n", exp.What, out)
	return nil
}

// CheckExportOut says whether `export --out out` may write out, before
// the account is read: not over a file that exists unless force
// (--force), and never over a directory.
func CheckExportOut(out string, force bool) error {
	info, err := os.Stat(out)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil
	case err != nil:
		return WriteError(out, err)
	case info.IsDir():
		return Fail(ExitError, "name a file, e.g. --out "+shellQuote(filepath.Join(out, "menus.yaml")), "--out %s is a directory", out)
	case force:
		return nil
	}
	return exportOutExists(out)
}

func exportOutExists(out string) error {
	return Fail(ExitError, "export to a new file (wxmenu export --out "+shellQuote(freshExportName(out))+"), or add --force to replace "+shellQuote(out),
		"--out %s exists; export leaves it as it is", out)
}

// freshExportName is a name beside path that is free: exported.yaml, else
// exported-2.yaml, and so on.
func freshExportName(path string) string {
	dir := filepath.Dir(path)
	for i := 1; ; i++ {
		name := "exported.yaml"
		if i > 1 {
			name = "exported-" + strconv.Itoa(i) + ".yaml"
		}
		candidate := filepath.Join(dir, name)
		if _, err := os.Lstat(candidate); errors.Is(err, fs.ErrNotExist) {
			return candidate
		}
	}
}

// Schema is the JSON Schema schema prints: of the project file with
// projectFile (--project), else of menus.yaml.
func Schema(projectFile bool) []byte {
	if projectFile {
		return project.Schema()
	}
	return desired.Schema()
}

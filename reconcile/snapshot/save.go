package snapshot

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/wxmenu/wxmenu/internal/atomicfile"
	"github.com/wxmenu/wxmenu/internal/errtext"
)

// CheckOut says whether export --snapshot may write to path: a new file,
// or a snapshot it replaces (that is what a scheduled job does), never
// another file unless force; never a directory or a device. It is checked
// before any account is read, so a mistyped path costs no call.
func CheckOut(path string, force bool) error {
	info, err := os.Lstat(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil
	case err != nil:
		return errtext.Errorf("", "cannot write the snapshot to %s: %w", path, errtext.PathReason(err))
	case info.IsDir():
		return errtext.Errorf("name a file, e.g. --snapshot "+filepath.Join(path, "snapshot.json"), "cannot write the snapshot to %s: it is a directory", path)
	case info.Mode()&(fs.ModeType&^fs.ModeSymlink) != 0:
		return errtext.Errorf("write the snapshot to a file: --snapshot snapshot.json", "--snapshot %s is not a regular file; it was left as it is", path)
	case force || isSnapshot(path):
		return nil
	}
	return errtext.Errorf("write the snapshot to a new file, or add --force to replace "+path, "--snapshot %s exists and is not a wxmenu snapshot; it was left as it is", path)
}

// isSnapshot reports whether the file at path is a wxmenu snapshot of any
// format, readable or not: a new snapshot may replace it.
func isSnapshot(path string) bool {
	data, err := os.ReadFile(path)
	if err != nil || len(data) > maxBytes || !bytes.HasPrefix(bytes.TrimSpace(data), []byte("{")) {
		return false
	}
	var head struct {
		Kind string `json:"kind"`
	}
	return json.Unmarshal(data, &head) == nil && head.Kind == Kind
}

// WriteFile writes f to path through a temporary file: a reader (the
// job that uploads it) never sees half a snapshot.
func WriteFile(path string, f *File) error {
	if err := atomicfile.Write(path, func(w io.Writer) error { return f.Write(w) }); err != nil {
		return errtext.Errorf("", "writing the snapshot %s: %w", path, errtext.PathReason(err))
	}
	return nil
}

// Package atomicfile writes files so that a failed or killed command never
// leaves a partial file behind. Data is written, synced and renamed into
// place; on Linux it is written and synced in a file with no name
// (O_TMPFILE) that is named only just before the rename, so a SIGKILL,
// which no cleanup can follow, leaves no temporary file either.
package atomicfile

import (
	"bytes"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
)

// syncFile flushes a file to stable storage before it is put in place, so
// that a crash soon after cannot leave the name on disk but not the data; a
// variable so tests can observe it.
var syncFile = (*os.File).Sync

// ErrNotRegular is a path that exists and is neither a regular file nor a
// symbolic link (a device such as /dev/null, a named pipe, a socket, a
// directory): renaming over it would replace it, so nothing is written.
var ErrNotRegular = errors.New("it exists and is not a regular file")

// Write writes path through a temporary file in the same directory, synced,
// and renames it into place. It replaces a regular file or a symbolic link
// (the link, not its target), never anything else (ErrNotRegular).
func Write(path string, write func(io.Writer) error) error {
	if fi, err := os.Lstat(path); err == nil && fi.Mode()&(fs.ModeType&^fs.ModeSymlink) != 0 {
		return &fs.PathError{Op: "replace", Path: path, Err: ErrNotRegular}
	}
	tmp, _, err := writeTemp(path, write)
	if err != nil {
		return err
	}
	defer os.Remove(tmp)
	return os.Rename(tmp, path)
}

// WriteNew is Write for a file that must not exist: it never replaces one,
// not even one created by someone else while the data was being written,
// and fails with an error wrapping fs.ErrExist instead. The temporary file
// is linked into place, which fails when the name is taken where rename
// would replace it. On a file system without hard links the file is
// created with O_EXCL and written in place: it still replaces nothing, but
// a process killed mid-write leaves a partial file.
func WriteNew(path string, write func(io.Writer) error) error {
	tmp, data, err := writeTemp(path, write)
	if err != nil {
		return err
	}
	defer os.Remove(tmp)
	if err = os.Link(tmp, path); err == nil || errors.Is(err, fs.ErrExist) {
		return err
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600) // as CreateTemp makes them, so both ways give one mode
	if err != nil {
		return err
	}
	if err := writeSynced(f, data); err != nil {
		os.Remove(path) // the file this call created
		return err
	}
	return nil
}

// writeTemp writes what write writes to a new temporary file beside path,
// synced, and returns its name and the data; it leaves no file when it
// fails.
func writeTemp(path string, write func(io.Writer) error) (tmp string, data []byte, err error) {
	var buf bytes.Buffer
	if err := write(&buf); err != nil {
		return "", nil, err
	}
	dir, prefix := filepath.Dir(path), "."+filepath.Base(path)+".tmp-"
	if tmp, err := writeUnnamed(dir, prefix, buf.Bytes()); !errors.Is(err, errUnnamed) {
		return tmp, buf.Bytes(), err
	}
	f, err := os.CreateTemp(dir, prefix+"*")
	if err != nil {
		return "", nil, err
	}
	if err := writeSynced(f, buf.Bytes()); err != nil {
		os.Remove(f.Name())
		return "", nil, err
	}
	return f.Name(), buf.Bytes(), nil
}

// errUnnamed is writeUnnamed's answer where a file cannot be written
// before it has a name.
var errUnnamed = errors.New("no unnamed temporary files here")

// writeSynced writes data to f, syncs it and closes it.
func writeSynced(f *os.File, data []byte) error {
	_, err := f.Write(data)
	if err == nil {
		err = syncFile(f)
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// Replace gives the existing file at path new contents through a temporary
// file and a rename, like Write, for a file people edit (wxmenu fmt): it
// keeps its permission bits, and when path is a symbolic link the file it
// names is replaced, so the link still leads to it. Anything but a regular
// file is refused (ErrNotRegular).
func Replace(path string, data []byte) error {
	target, err := filepath.EvalSymlinks(path)
	if err != nil {
		return err
	}
	fi, err := os.Stat(target)
	if err != nil {
		return err
	}
	if !fi.Mode().IsRegular() {
		return &fs.PathError{Op: "replace", Path: path, Err: ErrNotRegular}
	}
	tmp, _, err := writeTemp(target, func(w io.Writer) error { _, err := w.Write(data); return err })
	if err != nil {
		return err
	}
	defer os.Remove(tmp)
	if err := os.Chmod(tmp, fi.Mode().Perm()); err != nil {
		return err
	}
	return os.Rename(tmp, target)
}

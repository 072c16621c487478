// Package atomicfile writes files so that a failed or killed command never
// leaves a partial file behind.
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
	var buf bytes.Buffer
	if err := write(&buf); err != nil {
		return err
	}
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(buf.Bytes()); err != nil {
		tmp.Close()
		return err
	}
	if err := syncFile(tmp); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// WriteNew is Write for a file that must not exist: it never replaces one,
// not even one created by someone else while the data was being written,
// and fails with an error wrapping fs.ErrExist instead. The temporary file
// is linked into place, which fails when the name is taken where rename
// would replace it. On a file system without hard links the file is
// created with O_EXCL and written in place: it still replaces nothing, but
// a process killed mid-write leaves a partial file.
func WriteNew(path string, write func(io.Writer) error) error {
	var buf bytes.Buffer
	if err := write(&buf); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	_, err = tmp.Write(buf.Bytes())
	if err == nil {
		err = syncFile(tmp)
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	err = os.Link(tmp.Name(), path)
	if err == nil || errors.Is(err, fs.ErrExist) {
		return err
	}
	return writeExclusive(path, buf.Bytes())
}

// writeExclusive creates path, which must not exist, and writes data to
// it; a failed write removes the file it created.
func writeExclusive(path string, data []byte) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600) // as CreateTemp makes them, so both ways give one mode
	if err != nil {
		return err
	}
	_, err = f.Write(data)
	if err == nil {
		err = syncFile(f)
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(path)
	}
	return err
}

//go:build unix

package atomicfile

import (
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

// TestWriteReplacesNoSpecialFile puts a named pipe where the file goes:
// Write refuses it and leaves it in place.
func TestWriteReplacesNoSpecialFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "pipe")
	if err := syscall.Mkfifo(path, 0o600); err != nil {
		t.Skipf("no named pipes here: %v", err)
	}
	err := Write(path, func(w io.Writer) error { _, err := io.WriteString(w, "data"); return err })
	if !errors.Is(err, ErrNotRegular) {
		t.Fatalf("Write over a named pipe: %v, want ErrNotRegular", err)
	}
	if fi, err := os.Lstat(path); err != nil || fi.Mode()&fs.ModeNamedPipe == 0 {
		t.Errorf("the named pipe was replaced: %v %v", fi, err)
	}
}

// TestReplaceKeepsModeAndLink: Replace gives a file new contents and keeps
// its permission bits; through a symbolic link it replaces the file the
// link names, and the link stays; a named pipe is refused.
func TestReplaceKeepsModeAndLink(t *testing.T) {
	dir := t.TempDir()
	file, link := filepath.Join(dir, "menus.yaml"), filepath.Join(dir, "link.yaml")
	if err := os.WriteFile(file, []byte("old"), 0o640); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(file, 0o640); err != nil { // whatever the umask
		t.Fatal(err)
	}
	if err := os.Symlink("menus.yaml", link); err != nil {
		t.Fatal(err)
	}
	if err := Replace(link, []byte("new")); err != nil {
		t.Fatal(err)
	}
	if data, err := os.ReadFile(file); err != nil || string(data) != "new" {
		t.Errorf("the file holds %q (%v), want %q", data, err, "new")
	}
	if fi, err := os.Stat(file); err != nil || fi.Mode().Perm() != 0o640 {
		t.Errorf("the file's mode is %v (%v), want -rw-r-----", fi.Mode(), err)
	}
	if fi, err := os.Lstat(link); err != nil || fi.Mode()&fs.ModeSymlink == 0 {
		t.Errorf("the link was replaced: %v %v", fi, err)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 2 {
		t.Errorf("the directory holds %d files, want the file and the link only", len(entries))
	}
	pipe := filepath.Join(dir, "pipe")
	if err := syscall.Mkfifo(pipe, 0o600); err == nil {
		if err := Replace(pipe, []byte("data")); !errors.Is(err, ErrNotRegular) {
			t.Errorf("Replace of a named pipe: %v, want ErrNotRegular", err)
		}
	}
}

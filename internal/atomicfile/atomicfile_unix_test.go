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

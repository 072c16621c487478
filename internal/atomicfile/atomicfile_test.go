package atomicfile

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"
)

// TestWriteSyncsBeforeRename: the temporary file is synced with all its
// data before it replaces the file, and a failed sync keeps the old file
// and leaves no other. (It was the emulator's state file test, whose saves
// go through Write.)
func TestWriteSyncsBeforeRename(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "state.json")
	write := func(s string) error {
		return Write(path, func(w io.Writer) error { _, err := io.WriteString(w, s); return err })
	}
	if err := write("before"); err != nil {
		t.Fatal(err)
	}

	var synced []string // what each synced file held when synced
	failSync := errors.New("sync failed")
	orig := syncFile
	t.Cleanup(func() { syncFile = orig })
	syncFile = func(f *os.File) error {
		data, err := os.ReadFile(f.Name())
		if err != nil {
			return err
		}
		synced = append(synced, string(data))
		return failSync
	}
	if err := write("lost"); !errors.Is(err, failSync) {
		t.Errorf("Write with a failing sync: %v, want the sync error", err)
	}
	if after, err := os.ReadFile(path); err != nil || string(after) != "before" {
		t.Errorf("a write whose sync failed replaced the file: %q, %v", after, err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("a failed write left %d files, want only the file", len(entries))
	}

	syncFile = func(f *os.File) error {
		data, err := os.ReadFile(f.Name())
		if err != nil {
			return err
		}
		synced = append(synced, string(data))
		return f.Sync()
	}
	if err := write("final"); err != nil {
		t.Fatal(err)
	}
	if final, err := os.ReadFile(path); err != nil || string(final) != "final" {
		t.Fatalf("file holds %q, %v", final, err)
	}
	if len(synced) != 2 || synced[0] != "lost" || synced[1] != "final" {
		t.Errorf("synced contents %q, want the data of each write when synced", synced)
	}
}

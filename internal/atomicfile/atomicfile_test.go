package atomicfile

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"runtime"
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
		// Through the file itself: on Linux it has no name until synced.
		data, err := io.ReadAll(io.NewSectionReader(f, 0, 1<<20))
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
		// Through the file itself: on Linux it has no name until synced.
		data, err := io.ReadAll(io.NewSectionReader(f, 0, 1<<20))
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

// TestNoNameWhileSyncing: on Linux the data is written and synced (the
// slow part, where a SIGKILL lands) in a file with no name, so a killed
// process leaves no temporary file behind.
func TestNoNameWhileSyncing(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("unnamed temporary files (O_TMPFILE) are Linux's")
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "plan.json")
	orig := syncFile
	t.Cleanup(func() { syncFile = orig })
	var during []string
	syncFile = func(f *os.File) error {
		entries, err := os.ReadDir(dir)
		for _, e := range entries {
			during = append(during, e.Name())
		}
		return errors.Join(err, f.Sync())
	}
	for _, write := range []func(string, func(io.Writer) error) error{Write, WriteNew} {
		os.Remove(path)
		during = nil
		if err := write(path, func(w io.Writer) error { _, err := io.WriteString(w, "{}"); return err }); err != nil {
			t.Fatal(err)
		}
		if len(during) > 0 {
			t.Errorf("while the data was synced the directory held %q: a process killed then leaves it behind", during)
		}
	}
}

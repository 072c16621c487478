package audit_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/wxmenu/wxmenu/reconcile/audit"
	"github.com/wxmenu/wxmenu/reconcile/plans"
)

var when = time.Date(2025, 3, 1, 8, 0, 0, 0, time.UTC)

var plan = &plans.Plan{AppID: "wxaudit0001", PlanDigest: "sha256:" + strings.Repeat("ab", 32)}

// fullDisk is a file on a disk that fills up: once full is set, a write
// writes half its bytes and fails with ENOSPC, as write(2) does.
type fullDisk struct {
	*os.File
	full bool
}

func (f *fullDisk) Write(p []byte) (int, error) {
	if !f.full {
		return f.File.Write(p)
	}
	n, _ := f.File.Write(p[:len(p)/2])
	return n, &os.PathError{Op: "write", Path: f.Name(), Err: syscall.ENOSPC}
}

// events reads the log strictly: whole lines of JSON records only.
func events(t *testing.T, path string) []string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(data) > 0 && data[len(data)-1] != '\n' {
		t.Fatalf("the log ends in a torn line: %q", data)
	}
	var out []string
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		var r audit.Record
		dec := json.NewDecoder(bytes.NewReader(sc.Bytes()))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&r); err != nil {
			t.Fatalf("line %q is not a whole record: %v", sc.Text(), err)
		}
		out = append(out, r.Event)
	}
	return out
}

func TestRecordOnFullDiskIsRolledBack(t *testing.T) {
	path := filepath.Join(t.TempDir(), "audit.jsonl")
	f, err := os.OpenFile(path, os.O_RDWR|os.O_APPEND|os.O_CREATE, 0o600)
	if err != nil {
		t.Fatal(err)
	}
	disk := &fullDisk{File: f}
	log := audit.New(disk, "test")
	if err := log.Record(when, plan, audit.Record{Event: audit.EventApplyStart, Steps: 1}); err != nil {
		t.Fatal(err)
	}
	disk.full = true
	err = log.Record(when, plan, audit.Record{Event: audit.EventIntent})
	if !errors.Is(err, syscall.ENOSPC) {
		t.Fatalf("Record on a full disk: %v, want ENOSPC", err)
	}
	if diff := cmp.Diff([]string{"apply_start"}, events(t, path)); diff != "" {
		t.Errorf("after the failed write (-want +got):\n%s", diff)
	}
	// Space again: the log still refuses, with the first error, so apply
	// makes no call after a record was lost, for any account sharing it.
	disk.full = false
	if err := log.For("other").Record(when, plan, audit.Record{Event: audit.EventIntent}); !errors.Is(err, syscall.ENOSPC) {
		t.Errorf("Record after a failure: %v, want the kept ENOSPC", err)
	}
	if err := log.Close(); !errors.Is(err, syscall.ENOSPC) {
		t.Errorf("Close: %v, want the kept ENOSPC", err)
	}
	if diff := cmp.Diff([]string{"apply_start"}, events(t, path)); diff != "" {
		t.Errorf("log (-want +got):\n%s", diff)
	}
}

// TestRollBackKeepsOthersRecords has another writer append a record after
// the log's last one, then fails a write: the other record stays whole.
func TestRollBackKeepsOthersRecords(t *testing.T) {
	path := filepath.Join(t.TempDir(), "audit.jsonl")
	f, err := os.OpenFile(path, os.O_RDWR|os.O_APPEND|os.O_CREATE, 0o600)
	if err != nil {
		t.Fatal(err)
	}
	disk := &fullDisk{File: f}
	log := audit.New(disk, "test")
	if err := log.For("a").Record(when, plan, audit.Record{Event: audit.EventApplyStart}); err != nil {
		t.Fatal(err)
	}
	other, err := audit.Open(path, "test")
	if err != nil {
		t.Fatal(err)
	}
	if err := other.For("b").Record(when, plan, audit.Record{Event: audit.EventIntent}); err != nil {
		t.Fatal(err)
	}
	other.Close()
	disk.full = true
	if err := log.For("a").Record(when, plan, audit.Record{Event: audit.EventStep}); !errors.Is(err, syscall.ENOSPC) {
		t.Fatalf("Record on a full disk: %v, want ENOSPC", err)
	}
	log.Close()
	if diff := cmp.Diff([]string{"apply_start", "intent"}, events(t, path)); diff != "" {
		t.Errorf("log (-want +got):\n%s", diff)
	}
}

func TestOpenRepairsTornLastLine(t *testing.T) {
	path := filepath.Join(t.TempDir(), "audit.jsonl")
	if err := os.WriteFile(path, []byte(`{"time":"2025-03-01T08:00:00Z","event":"apply_start","appid":"","tool_version":"","plan_digest":""}`+"\n"+`{"time":"2025-03-01T08:00:01Z","event":"s`), 0o600); err != nil {
		t.Fatal(err)
	}
	log, err := audit.Open(path, "test")
	if err != nil {
		t.Fatal(err)
	}
	if err := log.Record(when, plan, audit.Record{Event: audit.EventApplyStart}); err != nil {
		t.Fatal(err)
	}
	if err := log.Close(); err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(path)
	lines := strings.Split(strings.TrimSuffix(string(data), "\n"), "\n")
	want := []string{"apply_start", "torn", "log_repaired", "apply_start"}
	var got []string
	for _, l := range lines {
		var r audit.Record
		if json.Unmarshal([]byte(l), &r) != nil {
			got = append(got, "torn")
			continue
		}
		got = append(got, r.Event)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("lines (-want +got):\n%s\n%s", diff, data)
	}
	// A whole log is left as it is.
	log, err = audit.Open(path, "test")
	if err != nil {
		t.Fatal(err)
	}
	log.Close()
	if again, _ := os.ReadFile(path); !bytes.Equal(again, data) {
		t.Errorf("opening a whole log changed it")
	}
}

func TestOpenRefusesSymlink(t *testing.T) {
	dir := t.TempDir()
	target := filepath.Join(dir, "elsewhere.jsonl")
	if err := os.WriteFile(target, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "audit.jsonl")
	if err := os.Symlink(target, link); err != nil {
		t.Skip("no symbolic links here:", err)
	}
	if _, err := audit.Open(link, "test"); err == nil || !strings.Contains(err.Error(), "symbolic link") {
		t.Errorf("Open of a symlink: %v, want a refusal", err)
	}
	if data, _ := os.ReadFile(target); len(data) != 0 {
		t.Errorf("the link's target was written: %q", data)
	}
}

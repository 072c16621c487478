package reconcile_test

import (
	"errors"
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/wxmenu/wxmenu/reconcile"
	"github.com/wxmenu/wxmenu/reconcile/audit"
)

// diskFullAfter is an audit file whose disk fills after n writes.
type diskFullAfter struct {
	*os.File
	n int
}

func (f *diskFullAfter) Write(p []byte) (int, error) {
	if f.n == 0 {
		return 0, syscall.ENOSPC
	}
	f.n--
	return f.File.Write(p)
}

// TestApplyMakesNoCallItCannotRecord fills the disk just before the second
// step's intent record: that call is never made, and the log keeps only
// whole records.
func TestApplyMakesNoCallItCannotRecord(t *testing.T) {
	a := newAccount(t)
	ds := loadBasic(t)
	p := a.plan(ds, reconcile.SafetyOptions{})
	path := filepath.Join(t.TempDir(), "audit.jsonl")
	f, err := os.OpenFile(path, os.O_RDWR|os.O_APPEND|os.O_CREATE, 0o600)
	if err != nil {
		t.Fatal(err)
	}
	log := audit.New(&diskFullAfter{File: f, n: 3}, "test") // apply_start, intent 0, step 0
	before := a.emu.Calls()

	_, err = a.apply(p, ds, reconcile.ApplyOptions{Audit: log})
	var partial *reconcile.PartialError
	if !errors.As(err, &partial) || !errors.Is(err, syscall.ENOSPC) {
		t.Fatalf("Apply: %v, want a partial apply stopped by ENOSPC", err)
	}
	_ = log.Close()
	if diff := cmp.Diff(map[string]int{"menu/get": 1, "menu/create": 1}, a.callsSince(before)); diff != "" {
		t.Errorf("calls (-want +got):\n%s", diff)
	}
	var events []string
	for _, r := range readAudit(t, path) {
		events = append(events, r.Event)
	}
	if diff := cmp.Diff([]string{"apply_start", "intent", "step"}, events); diff != "" {
		t.Errorf("audit events (-want +got):\n%s", diff)
	}
}

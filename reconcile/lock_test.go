package reconcile_test

import (
	"context"
	"errors"
	"os"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/wxmenu/wxmenu/reconcile"
)

func lockOrFatal(t *testing.T, dir, account string) *reconcile.AccountLock {
	t.Helper()
	l, err := reconcile.LockAccount(t.Context(), dir, account, 0)
	if err != nil {
		t.Fatalf("locking %q: %v", account, err)
	}
	return l
}

func lockFiles(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names
}

func TestLockAccountExcludes(t *testing.T) {
	dir := t.TempDir()
	first := lockOrFatal(t, dir, "wxaccount1")
	if l, err := reconcile.LockAccount(t.Context(), dir, "wxaccount1", 0); !errors.Is(err, reconcile.ErrLocked) {
		_ = l.Unlock()
		t.Fatalf("second lock: err = %v, want ErrLocked", err)
	}
	if err := first.Unlock(); err != nil {
		t.Fatal(err)
	}
	// Once released, the lock can be taken again.
	again := lockOrFatal(t, dir, "wxaccount1")
	if err := again.Unlock(); err != nil {
		t.Fatal(err)
	}
}

func TestLockAccountWaitsForRelease(t *testing.T) {
	dir := t.TempDir()
	first := lockOrFatal(t, dir, "wxaccount1")
	var released atomic.Bool
	go func() {
		// The pause lets the waiter find the lock held; the test's
		// assertion does not depend on how long it is.
		time.Sleep(150 * time.Millisecond)
		released.Store(true)
		_ = first.Unlock()
	}()
	l, err := reconcile.LockAccount(t.Context(), dir, "wxaccount1", time.Minute)
	if err != nil {
		t.Fatalf("waiting for the lock: %v", err)
	}
	defer l.Unlock()
	if !released.Load() {
		t.Error("the lock was granted while the first holder still had it")
	}
}

func TestLockAccountStopsWaitingWhenCancelled(t *testing.T) {
	dir := t.TempDir()
	first := lockOrFatal(t, dir, "wxaccount1")
	defer first.Unlock()
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if l, err := reconcile.LockAccount(ctx, dir, "wxaccount1", time.Hour); !errors.Is(err, context.Canceled) {
		_ = l.Unlock()
		t.Fatalf("err = %v, want context.Canceled", err)
	}
}

func TestLockAccountsAreIndependent(t *testing.T) {
	dir := t.TempDir()
	a := lockOrFatal(t, dir, "wxaccount1")
	defer a.Unlock()
	b := lockOrFatal(t, dir, "wxaccount2")
	defer b.Unlock()
	if diff := cmp.Diff([]string{"wxaccount1.lock", "wxaccount2.lock"}, lockFiles(t, dir)); diff != "" {
		t.Errorf("lock files (-want +got):\n%s", diff)
	}
}

func TestLockAccountFileNames(t *testing.T) {
	tests := []struct {
		account string
		want    string
	}{
		{"team/prod/wx123", "team_prod_wx123.lock"},
		{"../../etc/passwd", ".._.._etc_passwd.lock"},
		{`a\b:c d`, "a_b_c_d.lock"},
		{"", "default.lock"},
		{"wx5a9d.b-1_2", "wx5a9d.b-1_2.lock"},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			dir := t.TempDir()
			l := lockOrFatal(t, dir, tt.account)
			defer l.Unlock()
			// Exactly one file, directly in dir: nothing escaped it.
			if diff := cmp.Diff([]string{tt.want}, lockFiles(t, dir)); diff != "" {
				t.Errorf("files in the lock dir (-want +got):\n%s", diff)
			}
			if l2, err := reconcile.LockAccount(t.Context(), dir, tt.account, 0); !errors.Is(err, reconcile.ErrLocked) {
				_ = l2.Unlock()
				t.Errorf("locking %q twice: err = %v, want ErrLocked", tt.account, err)
			}
		})
	}
}

func TestLockAccountCreatesDir(t *testing.T) {
	dir := t.TempDir() + "/locks/nested"
	l := lockOrFatal(t, dir, "wxaccount1")
	defer l.Unlock()
	if diff := cmp.Diff([]string{"wxaccount1.lock"}, lockFiles(t, dir)); diff != "" {
		t.Errorf("lock files (-want +got):\n%s", diff)
	}
}

func TestUnlockNil(t *testing.T) {
	var l *reconcile.AccountLock
	if err := l.Unlock(); err != nil {
		t.Errorf("Unlock of a nil lock: %v", err)
	}
}

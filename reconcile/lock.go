package reconcile

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"time"
)

// ErrLocked means another wxmenu process holds the account's lock.
var ErrLocked = errors.New("another wxmenu apply holds the lock for this account")

// AccountLock is an exclusive lock (flock on Unix, LockFileEx on Windows)
// on a per-account file,
// so two applies on one machine cannot interleave. The kernel releases it
// when the process dies, even by SIGKILL. It does not span machines:
// WeChat offers no lock, so CI needs one concurrency group per account.
type AccountLock struct {
	f *os.File
}

var unsafeLockChars = regexp.MustCompile(`[^A-Za-z0-9_.-]`)

// LockAccount takes the lock for account in dir, waiting up to wait (0: try
// once). It returns ErrLocked if the lock is still held.
func LockAccount(ctx context.Context, dir, account string, wait time.Duration) (*AccountLock, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, err
	}
	path := LockPath(dir, account)
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, err
	}
	deadline := time.Now().Add(wait)
	for {
		held, err := tryLock(f)
		if err == nil && held {
			return &AccountLock{f: f}, nil
		}
		if err != nil {
			f.Close()
			return nil, fmt.Errorf("locking %s: %w", path, err)
		}
		if !time.Now().Before(deadline) {
			f.Close()
			return nil, ErrLocked
		}
		select {
		case <-ctx.Done():
			f.Close()
			return nil, ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// LockPath is the file LockAccount locks for account in dir.
func LockPath(dir, account string) string {
	return filepath.Join(dir, unsafeLockChars.ReplaceAllString(cmp.Or(account, "default"), "_")+".lock")
}

// Unlock releases the lock.
func (l *AccountLock) Unlock() error {
	if l == nil {
		return nil
	}
	return l.f.Close() // closing the file releases the lock
}

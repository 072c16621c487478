package account

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/wxmenu/wxmenu/internal/errtext"
	"github.com/wxmenu/wxmenu/reconcile"
)

// DefaultSandboxLockWait is how long a run waits for another wxmenu run
// that has the sandbox state open.
const DefaultSandboxLockWait = time.Minute

// lockSandbox takes the lock of the sandbox state at path, on the file
// path+".lock" beside it (reconcile.LockAccount), creating the state's
// directory. One wxmenu run at a time may have a state file open: each
// appends to the journal where its own last entry ended, so two at once
// would overwrite each other's entries. It waits up to wait (0:
// DefaultSandboxLockWait) for a run that has it, saying so on notices,
// and records in the lock file who has it now, as holder says (e.g.
// "wxmenu sandbox serve"), for the message of the next run that waits.
func lockSandbox(ctx context.Context, path string, wait time.Duration, notices io.Writer, holder string) (*reconcile.AccountLock, error) {
	if wait <= 0 {
		wait = DefaultSandboxLockWait
	}
	dir, name := filepath.Dir(path), filepath.Base(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, errtext.Errorf("", "creating the sandbox state directory: %v", errtext.PathReason(err))
	}
	lockPath := reconcile.LockPath(dir, name)
	lock, err := reconcile.LockAccount(ctx, dir, name, 0)
	if errors.Is(err, reconcile.ErrLocked) {
		if notices != nil {
			fmt.Fprintf(notices, "wxmenu: the sandbox state %s is in use by another wxmenu run%s; waiting up to %s for it to end…\n", path, lockHolder(lockPath), wait)
		}
		lock, err = reconcile.LockAccount(ctx, dir, name, wait)
	}
	switch {
	case errors.Is(err, reconcile.ErrLocked):
		return nil, errtext.Errorf("wait for that run to end (`wxmenu sandbox serve` keeps its state until it is stopped), then try again",
			"the sandbox state %s is in use by another wxmenu run%s (lock %s, waited %s)", path, lockHolder(lockPath), lockPath, wait)
	case err != nil:
		return nil, errtext.Errorf("", "locking the sandbox state %s: %v", path, err)
	}
	// Best effort: only the messages of a waiting run read it.
	_ = os.WriteFile(lockPath, fmt.Appendf(nil, "pid %d, %s, since %s\n", os.Getpid(), holder, time.Now().UTC().Format(time.RFC3339)), 0o600)
	return lock, nil
}

// lockHolder words who has the lock at lockPath, as lockSandbox recorded
// it: " (pid 123, wxmenu sandbox serve, since …)", or "" if unknown.
func lockHolder(lockPath string) string {
	data, err := os.ReadFile(lockPath)
	line, _, _ := strings.Cut(string(data), "\n")
	if err != nil || !strings.HasPrefix(line, "pid ") || len(line) > 200 {
		return ""
	}
	return " (" + line + ")"
}

package account

import "path/filepath"

// SandboxStatePath is where the --sandbox account is kept: flag
// (--sandbox-state) when set, else sandbox.json in StateDir.
func SandboxStatePath(flag string) string {
	if flag != "" {
		return flag
	}
	return filepath.Join(StateDir(), "sandbox.json")
}

// LockDir is the directory of the per-account apply locks: flag
// (--lock-dir) when set, else locks in StateDir.
func LockDir(flag string) string {
	if flag != "" {
		return flag
	}
	return filepath.Join(StateDir(), "locks")
}

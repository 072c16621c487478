package account

import (
	"context"
	"errors"
	"fmt"
	"github.com/wxmenu/wxmenu/internal/errtext"
	"github.com/wxmenu/wxmenu/internal/literal"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/wxmenu/wxmenu/wechat/wechattest"
)

// SplitBases splits a comma-separated list of API base URLs.
func SplitBases(list string) []string {
	var bases []string
	for _, b := range strings.Split(list, ",") {
		if b = strings.TrimSpace(b); b != "" {
			bases = append(bases, strings.TrimRight(b, "/"))
		}
	}
	return bases
}

// StatePath is flag when set, else name in the folder where wxmenu keeps
// local state: $XDG_STATE_HOME/wxmenu, else ~/.local/state/wxmenu. The
// sandbox account is kept in StatePath(--sandbox-state, "sandbox.json"),
// the per-account apply locks in StatePath(--lock-dir, "locks").
func StatePath(flag, name string) string {
	if flag != "" {
		return flag
	}
	if d := os.Getenv("XDG_STATE_HOME"); d != "" {
		return filepath.Join(d, "wxmenu", name)
	}
	if home, err := os.UserHomeDir(); err == nil {
		return filepath.Join(home, ".local", "state", "wxmenu", name)
	}
	return filepath.Join(os.TempDir(), "wxmenu", name)
}

// OpenSandbox loads the --sandbox account from path, seeding the demo
// account (and saying so on notices) the first time. The state is locked
// until the emulator's Close (see loadSandbox).
func OpenSandbox(path string, notices io.Writer) (*wechattest.Emulator, error) {
	return openSandbox(context.Background(), path, 0, notices)
}

func openSandbox(ctx context.Context, path string, wait time.Duration, notices io.Writer) (*wechattest.Emulator, error) {
	return loadSandbox(ctx, path, wait, wechattest.Config{}, notices, seedDemo(path))
}

// seedDemo seeds the demo account in the sandbox state at path the first
// time.
func seedDemo(path string) func(emu *wechattest.Emulator, _ []byte, fresh bool) string {
	return func(emu *wechattest.Emulator, _ []byte, fresh bool) string {
		if !fresh {
			return ""
		}
		emu.SeedDemo()
		return "created the sandbox demo account in " + path
	}
}

// loadSandbox loads the sandbox state at path (creating its directory)
// with cfg, after taking its lock (lockSandbox, waiting up to wait), which
// the emulator's Close releases. seed is given the emulator, the state as
// it was and whether there was none; when it returns a note, the state is
// saved and the note said on notices.
func loadSandbox(ctx context.Context, path string, wait time.Duration, cfg wechattest.Config, notices io.Writer, seed func(emu *wechattest.Emulator, prior []byte, fresh bool) (note string)) (*wechattest.Emulator, error) {
	lock, err := lockSandbox(ctx, path, wait, notices, "a --sandbox run")
	if err != nil {
		return nil, err
	}
	emu, err := loadLockedSandbox(path, cfg, notices, seed)
	if err != nil {
		lock.Unlock()
		return nil, err
	}
	emu.ReleaseOnClose(lock.Unlock)
	return emu, nil
}

// loadLockedSandbox is loadSandbox once the lock is held.
func loadLockedSandbox(path string, cfg wechattest.Config, notices io.Writer, seed func(emu *wechattest.Emulator, prior []byte, fresh bool) (note string)) (*wechattest.Emulator, error) {
	prior, err := os.ReadFile(path)
	fresh := errors.Is(err, os.ErrNotExist)
	emu, err := wechattest.Load(path, cfg) // kept at path
	if err != nil {
		// The state the run used, whatever the shell's default is.
		return nil, errtext.Errorf("reset it with: wxmenu sandbox reset --sandbox-state "+literal.ShellWord(path), "loading sandbox state %s: %v", path, err)
	}
	if note := seed(emu, prior, fresh); note != "" {
		if err := emu.Save(path); err != nil {
			return nil, errtext.Errorf("", "saving sandbox state: %v", err)
		}
		if notices != nil {
			fmt.Fprintf(notices, "wxmenu: %s\n", note)
		}
	}
	return emu, nil
}

// ResetSandbox removes the sandbox state at path (and its journal) and seeds
// the demo account again, under the state's lock: it waits (saying so on
// standard error) up to DefaultSandboxLockWait for a run that has the state
// open.
func ResetSandbox(path string) error {
	return resetSandbox(path, 0, os.Stderr)
}

// resetSandbox is ResetSandbox waiting up to wait, saying so on notices.
func resetSandbox(path string, wait time.Duration, notices io.Writer) error {
	lock, err := lockSandbox(context.Background(), path, wait, notices, "wxmenu sandbox reset")
	if err != nil {
		return err
	}
	defer lock.Unlock()
	for _, p := range []string{wechattest.JournalPath(path), path} {
		if err := os.Remove(p); err != nil && !errors.Is(err, os.ErrNotExist) {
			return errtext.Errorf("", "removing %s: %v", p, errtext.PathReason(err))
		}
	}
	emu, err := loadLockedSandbox(path, wechattest.Config{}, io.Discard, seedDemo(path))
	if err != nil {
		return err
	}
	return emu.Close()
}

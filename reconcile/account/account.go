package account

import (
	"errors"
	"fmt"
	"github.com/wxmenu/wxmenu/internal/errtext"
	"io"
	"os"
	"path/filepath"
	"strings"

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
// account (and saying so on notices) the first time.
func OpenSandbox(path string, notices io.Writer) (*wechattest.Emulator, error) {
	return loadSandbox(path, wechattest.Config{}, notices, func(emu *wechattest.Emulator, _ []byte, fresh bool) string {
		if !fresh {
			return ""
		}
		emu.SeedDemo()
		return "created the sandbox demo account in " + path
	})
}

// loadSandbox loads the sandbox state at path (creating its directory)
// with cfg. seed is given the emulator, the state as it was and whether
// there was none; when it returns a note, the state is saved and the note
// said on notices.
func loadSandbox(path string, cfg wechattest.Config, notices io.Writer, seed func(emu *wechattest.Emulator, prior []byte, fresh bool) (note string)) (*wechattest.Emulator, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, errtext.Errorf("", "creating the sandbox state directory: %v", errtext.PathReason(err))
	}
	prior, err := os.ReadFile(path)
	fresh := errors.Is(err, os.ErrNotExist)
	emu, err := wechattest.Load(path, cfg) // kept at path
	if err != nil {
		return nil, errtext.Errorf("reset it with: wxmenu sandbox reset", "loading sandbox state %s: %v", path, err)
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
// the demo account again.
func ResetSandbox(path string) error {
	for _, p := range []string{wechattest.JournalPath(path), path} {
		if err := os.Remove(p); err != nil && !errors.Is(err, os.ErrNotExist) {
			return errtext.Errorf("", "removing %s: %v", p, errtext.PathReason(err))
		}
	}
	_, err := OpenSandbox(path, io.Discard)
	return err
}

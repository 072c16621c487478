package account

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/wxmenu/wxmenu/wechat/wechattest"
)

// Error is a failure to open an account, with a hint for people ("" when
// there is none).
type Error struct {
	Err  error
	Hint string
}

func (e *Error) Error() string { return e.Err.Error() }
func (e *Error) Unwrap() error { return e.Err }

// ErrorHint is the hint for people.
func (e *Error) ErrorHint() string { return e.Hint }

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

// StateDir is where wxmenu keeps local state (the sandbox account, the
// apply locks): $XDG_STATE_HOME/wxmenu, else ~/.local/state/wxmenu.
func StateDir() string {
	if d := os.Getenv("XDG_STATE_HOME"); d != "" {
		return filepath.Join(d, "wxmenu")
	}
	if home, err := os.UserHomeDir(); err == nil {
		return filepath.Join(home, ".local", "state", "wxmenu")
	}
	return filepath.Join(os.TempDir(), "wxmenu")
}

func fail(hint, format string, args ...any) error {
	return &Error{Err: fmt.Errorf(format, args...), Hint: hint}
}

// OpenSandbox loads the --sandbox account from path, seeding the demo
// account (and saying so on notices) the first time.
func OpenSandbox(path string, notices io.Writer) (*wechattest.Emulator, error) {
	if notices == nil {
		notices = io.Discard
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fail("", "creating the sandbox state directory: %v", unwrapPathError(err))
	}
	_, statErr := os.Stat(path)
	emu, err := wechattest.Load(path, wechattest.Config{StatePath: path})
	if err != nil {
		return nil, fail("reset it with: wxmenu sandbox reset", "loading sandbox state %s: %v", path, err)
	}
	if errors.Is(statErr, os.ErrNotExist) {
		emu.SeedDemo()
		if err := emu.Save(path); err != nil {
			return nil, fail("", "saving sandbox state: %v", err)
		}
		fmt.Fprintf(notices, "wxmenu: created the sandbox demo account in %s\n", path)
	}
	return emu, nil
}

// ResetSandbox removes the sandbox state at path and seeds the demo account
// again.
func ResetSandbox(path string) error {
	if err := os.Remove(path); err != nil && !errors.Is(err, os.ErrNotExist) {
		return fail("", "removing %s: %v", path, unwrapPathError(err))
	}
	_, err := OpenSandbox(path, io.Discard)
	return err
}

func unwrapPathError(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

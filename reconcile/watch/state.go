package watch

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"time"

	"github.com/wxmenu/wxmenu/internal/atomicfile"
	"github.com/wxmenu/wxmenu/internal/errtext"
	"github.com/wxmenu/wxmenu/reconcile/notify"
)

// stateFormat is the version of the state file's format.
const stateFormat = 1

// Status is one account's last known drift status.
type Status struct {
	AppID  string    `json:"appid,omitempty"`
	Status string    `json:"status"`
	Since  time.Time `json:"since"`
	Cause  string    `json:"cause,omitempty"`
}

// State is every account's last known status, by account name (a menus
// file's path for -f): what --state keeps between runs and watch between
// sweeps, so that only changes are notified.
type State struct {
	FormatVersion int               `json:"format_version"`
	Accounts      map[string]Status `json:"accounts"`

	previous map[string]*Status // before Update changed it (nil: none)
}

// StateError is a state file that cannot be used; it is never reset
// silently, since that would notify every account again or hide a change.
type StateError struct {
	Path string
	Err  error
}

func (e *StateError) Error() string {
	return fmt.Sprintf("%s: not a wxmenu drift state file: %v", e.Path, errtext.PathReason(e.Err))
}

// ErrorHint is the hint for people.
func (e *StateError) ErrorHint() string {
	return "move " + e.Path + " away to start again: the next run records every account's status and notifies each one that is not in sync"
}

// LoadState reads the state file at path; a missing file, or path "", is
// an empty state.
func LoadState(path string) (*State, error) {
	s := &State{FormatVersion: stateFormat, Accounts: map[string]Status{}}
	if path == "" {
		return s, nil
	}
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return s, nil
	}
	if err != nil {
		return nil, &StateError{path, err}
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(s); err != nil {
		return nil, &StateError{path, err}
	}
	if s.FormatVersion != stateFormat {
		return nil, &StateError{path, fmt.Errorf("format_version %d, want %d", s.FormatVersion, stateFormat)}
	}
	if s.Accounts == nil {
		s.Accounts = map[string]Status{}
	}
	return s, nil
}

// Save writes the state to path atomically (a crash leaves the old file or
// the new one), readable by its owner only.
func (s *State) Save(path string) error {
	return atomicfile.Write(path, func(w io.Writer) error {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(s)
	})
}

// Update records account's status now and returns the change to notify,
// if it is one: a status other than the recorded one (an account seen for
// the first time is a change only when it is not in sync).
func (s *State) Update(account, appid, status, cause string, now time.Time) (notify.Change, bool) {
	old, seen := s.Accounts[account]
	if seen && old.Status == status {
		old.Cause = cause
		s.Accounts[account] = old
		return notify.Change{}, false
	}
	if s.previous == nil {
		s.previous = map[string]*Status{}
	}
	if seen {
		s.previous[account] = &old
	} else {
		s.previous[account] = nil
	}
	s.Accounts[account] = Status{AppID: appid, Status: status, Since: now.UTC(), Cause: cause}
	if !seen && status == "in_sync" {
		return notify.Change{}, false
	}
	return notify.Change{Account: account, AppID: appid, From: old.Status, To: status, Summary: cause, Time: now.UTC()}, true
}

// Undo takes back the change Update recorded for c's account, for a
// change whose notification could not be delivered: the next run sees
// the change again and notifies it then.
func (s *State) Undo(c notify.Change) {
	prev, ok := s.previous[c.Account]
	switch {
	case !ok:
	case prev == nil:
		delete(s.Accounts, c.Account)
	default:
		s.Accounts[c.Account] = *prev
	}
}

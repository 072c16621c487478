package wechattest

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"time"
)

// stateVersion is the version of the state file format.
const stateVersion = 1

// stateFile is the saved account: everything a restarted sandbox needs to
// carry on where it stopped. Tokens are stored by SHA-256 only, so the file
// holds no credential yet the tokens handed out stay valid. Limits, faults
// and call counters are configuration of one run and are not saved.
type stateFile struct {
	Version          int                     `json:"version"`
	ClockOffset      time.Duration           `json:"clock_offset_ns"`
	LastMenuID       int64                   `json:"last_menu_id"`
	IDSource         []byte                  `json:"id_source"` // state of the menuid generator (tokens do not come from it)
	DefaultMenu      *storedMenu             `json:"default_menu,omitempty"`
	ConditionalMenus []storedConditional     `json:"conditional_menus"` // oldest first
	Users            []User                  `json:"users"`
	Tokens           map[string]*tokenRecord `json:"tokens"` // by SHA-256 of the token
	LatestToken      string                  `json:"latest_token_sha256,omitempty"`
	StableToken      string                  `json:"stable_token_sha256,omitempty"`
	QuotaDay         string                  `json:"quota_day,omitempty"` // Asia/Shanghai date of QuotaUsed
	QuotaUsed        map[string]int          `json:"quota_used"`
}

// Load returns an emulator with the state saved at path, or an empty one
// when no file exists there. cfg.StatePath defaults to path, so the state is
// saved back after every change.
func Load(path string, cfg Config) (*Emulator, error) {
	if cfg.StatePath == "" {
		cfg.StatePath = path
	}
	e := New(cfg)
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return e, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read emulator state: %w", err)
	}
	var st stateFile
	if err := json.Unmarshal(data, &st); err != nil {
		return nil, fmt.Errorf("read emulator state %s: not a state file: %v", path, err)
	}
	if st.Version != stateVersion {
		return nil, fmt.Errorf("read emulator state %s: unsupported version %d (want %d)", path, st.Version, stateVersion)
	}
	if err := e.restore(&st); err != nil {
		return nil, fmt.Errorf("read emulator state %s: %v", path, err)
	}
	return e, nil
}

func (e *Emulator) restore(st *stateFile) error {
	if len(st.IDSource) > 0 {
		if err := e.idSource.UnmarshalBinary(st.IDSource); err != nil {
			return fmt.Errorf("bad id_source: %v", err)
		}
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	e.clockOffset = max(st.ClockOffset, 0)
	e.lastMenuID = st.LastMenuID
	e.defaultMenu = st.DefaultMenu
	e.conditional = st.ConditionalMenus
	e.users = st.Users
	for h, rec := range st.Tokens {
		if rec != nil {
			e.tokens[h] = rec
		}
	}
	e.latestToken, e.stableHash = st.LatestToken, st.StableToken
	e.quotaDay = st.QuotaDay
	maps.Copy(e.quotaUsed, st.QuotaUsed)
	return nil
}

// Save writes the state to path atomically: a temporary file in the same
// directory renamed over the old one, so a reader never sees half a file.
func (e *Emulator) Save(path string) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.saveLocked(path)
}

// persistLocked saves the state to Config.StatePath, if set. It runs under
// the lock so saves land in the order of the changes they record.
// The error is also kept for /_emulator/state, since the methods that
// change state have no error result.
func (e *Emulator) persistLocked() error {
	if e.cfg.StatePath == "" {
		return nil
	}
	err := e.saveLocked(e.cfg.StatePath)
	e.saveErr = err
	return err
}

func (e *Emulator) saveLocked(path string) error {
	idSource, err := e.idSource.MarshalBinary()
	if err != nil {
		return fmt.Errorf("save emulator state: %v", err)
	}
	st := stateFile{
		Version:          stateVersion,
		ClockOffset:      e.clockOffset,
		LastMenuID:       e.lastMenuID,
		IDSource:         idSource,
		DefaultMenu:      e.defaultMenu,
		ConditionalMenus: slices.Clone(e.conditional),
		Users:            slices.Clone(e.users),
		Tokens:           e.tokens,
		LatestToken:      e.latestToken,
		StableToken:      e.stableHash,
		QuotaDay:         e.quotaDay,
		QuotaUsed:        e.quotaUsed,
	}
	if st.ConditionalMenus == nil {
		st.ConditionalMenus = []storedConditional{}
	}
	if st.Users == nil {
		st.Users = []User{}
	}
	data, err := json.MarshalIndent(st, "", "  ")
	if err != nil {
		return fmt.Errorf("save emulator state: %v", err)
	}
	if err := writeFileAtomic(path, append(data, '\n')); err != nil {
		return fmt.Errorf("save emulator state: %w", err)
	}
	return nil
}

// writeFileAtomic replaces path with data through a temporary file in the
// same directory and a rename. The temporary file is synced before the
// rename: otherwise a crash soon after could leave the rename on disk but not
// the data, an empty or partial state file under the final name.
func writeFileAtomic(path string, data []byte) error {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return err
	}
	tmp := f.Name()
	_, werr := f.Write(data)
	if werr == nil {
		werr = syncFile(f)
	}
	cerr := f.Close()
	if err := errors.Join(werr, cerr); err != nil {
		_ = os.Remove(tmp)
		return err
	}
	if err := os.Rename(tmp, path); err != nil {
		_ = os.Remove(tmp)
		return err
	}
	return nil
}

// syncFile flushes f to stable storage; a variable so tests can observe it.
var syncFile = (*os.File).Sync

// accountSnapshot is the part of the state an API call can change, copied
// deeply enough that restoring it undoes the call. The id sequence is left
// out on purpose: a menuid drawn by an undone call is skipped, never reused,
// like the ids of deleted menus.
type accountSnapshot struct {
	defaultMenu *storedMenu // replaced by menu/create, never modified in place
	conditional []storedConditional
	tokens      map[string]tokenRecord
	latestToken string
	stableHash  string
	stablePlain string
	quotaDay    string
	quotaUsed   map[string]int
}

func (e *Emulator) snapshotLocked() accountSnapshot {
	tokens := make(map[string]tokenRecord, len(e.tokens))
	for h, rec := range e.tokens {
		tokens[h] = *rec // records are updated in place (InvalidAt)
	}
	return accountSnapshot{
		defaultMenu: e.defaultMenu,
		conditional: slices.Clone(e.conditional), // delconditional deletes in place
		tokens:      tokens,
		latestToken: e.latestToken,
		stableHash:  e.stableHash,
		stablePlain: e.stablePlain,
		quotaDay:    e.quotaDay,
		quotaUsed:   maps.Clone(e.quotaUsed),
	}
}

func (e *Emulator) rollbackLocked(s accountSnapshot) {
	e.defaultMenu = s.defaultMenu
	e.conditional = s.conditional
	e.tokens = make(map[string]*tokenRecord, len(s.tokens))
	for h, rec := range s.tokens {
		e.tokens[h] = &rec
	}
	e.latestToken, e.stableHash, e.stablePlain = s.latestToken, s.stableHash, s.stablePlain
	e.quotaDay = s.quotaDay
	e.quotaUsed = s.quotaUsed
}

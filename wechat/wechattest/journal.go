package wechattest

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"

	"github.com/wxmenu/wxmenu/internal/atomicfile"
)

// The journal keeps a fleet's state file cheap to update: a change appends
// one line with the accounts it changed (and the platform, if it changed)
// to JournalPath(state file) and syncs it, instead of rewriting every
// account. Its first line names the state file it extends by SHA-256; each
// further line is a version 2 document of just the changed accounts, with
// the header (clock, menuid counter and generator) as after the change.
// Load replays the lines over the state file, the last line of an account
// winning. Once the journal outgrows the state file, and on Close, the
// whole state is written to the state file (atomically, as always) and the
// journal starts again; a journal left behind by a crash between the two
// names another state file and is ignored.

// journalState is what the emulator knows of the journal of its state file.
type journalState struct {
	base  string // SHA-256 of the state file the journal extends; "" none written or loaded
	size  int64  // bytes of whole lines in the journal; 0: none yet
	tail  bool   // the file may hold a torn line after size, to cut before the next append
	wrote int64  // bytes written to the state file and journal, for tests
}

// JournalPath is where the journal of the state file at path lives.
func JournalPath(path string) string { return path + ".journal" }

// journalHeader is the first line of a journal.
type journalHeader struct {
	Journal    int    `json:"journal"` // format version: 1
	BaseSHA256 string `json:"base_sha256"`
}

// journalLocked saves what changed since the last save: a journal entry, or
// the whole state when there is no state file to extend yet, when it is in
// version 1 (one account: the whole state is the account) or after a failed
// append.
func (e *Emulator) journalLocked() error {
	if e.version1Locked() || e.journal.base == "" {
		return e.compactLocked()
	}
	if len(e.dirty) == 0 && !e.platformDirty {
		return nil // nothing changed (an answer refused before any change)
	}
	header, err := e.headerLocked()
	if err != nil {
		return fmt.Errorf("save emulator state: %v", err)
	}
	entry, err := e.documentLocked(header, e.dirty, e.platformDirty, "", 0)
	if err != nil {
		return fmt.Errorf("save emulator state: %v", err)
	}
	if err := e.appendLocked(entry); err != nil {
		// The next change writes the whole state, which also drops
		// whatever part of this entry reached the journal.
		e.journal.base = ""
		return fmt.Errorf("save emulator state: %w", err)
	}
	e.cleanLocked()
	if e.journal.size > int64(e.lastSaveSize) {
		// The change is durable in the journal: a failure here leaves the
		// journal as it is, to be compacted by a later change or Close.
		_ = e.compactLocked()
	}
	return nil
}

// appendLocked appends one entry to the journal and syncs it. The first
// entry creates the journal atomically, with its header.
func (e *Emulator) appendLocked(entry []byte) error {
	path := JournalPath(e.cfg.StatePath)
	j := &e.journal
	if j.size == 0 {
		head, err := json.Marshal(journalHeader{1, j.base})
		if err != nil {
			return err
		}
		data := append(append(head, '\n'), entry...)
		if err := atomicfile.Write(path, func(w io.Writer) error { _, err := w.Write(data); return err }); err != nil {
			return err
		}
		j.size, j.tail, j.wrote = int64(len(data)), false, j.wrote+int64(len(data))
		return nil
	}
	f, err := os.OpenFile(path, os.O_WRONLY, 0)
	if err != nil {
		return err
	}
	defer f.Close()
	if j.tail {
		if err := f.Truncate(j.size); err != nil {
			return err
		}
		j.tail = false
	}
	_, err = f.WriteAt(entry, j.size)
	if err == nil {
		err = f.Sync()
	}
	if err != nil {
		// Whatever reached the file must not be replayed: the call is
		// answered as undone.
		j.tail = f.Truncate(j.size) != nil
		return err
	}
	j.size += int64(len(entry))
	j.wrote += int64(len(entry))
	return nil
}

// compactLocked writes the whole state to Config.StatePath and starts the
// journal again.
func (e *Emulator) compactLocked() error {
	data, err := e.saveLocked(e.cfg.StatePath)
	if err != nil {
		return err
	}
	sum := sha256.Sum256(data)
	e.journal = journalState{base: hex.EncodeToString(sum[:]), wrote: e.journal.wrote + int64(len(data))}
	e.lastSaveSize = len(data)
	e.cleanLocked()
	// A journal left here (the removal failed) names the old state file:
	// Load ignores it and the next entry replaces it.
	_ = os.Remove(JournalPath(e.cfg.StatePath))
	return nil
}

// cleanLocked notes that everything changed so far is written.
func (e *Emulator) cleanLocked() {
	for _, a := range e.dirty {
		a.dirty = false
	}
	e.dirty, e.platformDirty = nil, false
}

// Close writes the journal into the state file, so that the file alone
// holds the state, then calls what ReleaseOnClose was given. The emulator
// stays usable; a later change journals again.
func (e *Emulator) Close() error {
	e.mu.Lock()
	defer e.mu.Unlock()
	var err error
	if e.cfg.StatePath != "" && (e.journal.size > 0 || len(e.dirty) > 0 || e.platformDirty) {
		err = e.compactLocked()
		e.saveErr = err
	}
	if release := e.release; release != nil {
		e.release = nil
		err = errors.Join(err, release())
	}
	return err
}

// ReleaseOnClose has the next Close call release once the state file
// holds the whole state: the way to let go of a lock on the state file
// held for as long as the emulator writes it, since the emulator itself
// takes none (two emulators appending to one journal overwrite each
// other's entries).
func (e *Emulator) ReleaseOnClose(release func() error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.release = release
}

// replayJournal applies the journal of the state file at path, whose
// content is data, to st. It returns the journal's state for further
// appends. A last line without its newline is a crash in the middle of an
// append, whose call was never answered: it is dropped. Any other line that
// is not an entry the emulator could have written is an error naming the
// journal's line and column.
func replayJournal(path string, data []byte, st *stateFile) (journalState, error) {
	sum := sha256.Sum256(data)
	j := journalState{base: hex.EncodeToString(sum[:])}
	jpath := JournalPath(path)
	jdata, err := os.ReadFile(jpath)
	if errors.Is(err, fs.ErrNotExist) {
		return j, nil
	}
	if err != nil {
		return j, fmt.Errorf("read emulator state journal: %w", err)
	}
	whole := jdata[:bytes.LastIndexByte(jdata, '\n')+1]
	j.tail = len(whole) < len(jdata)
	var head journalHeader
	lineEnd := bytes.IndexByte(whole, '\n')
	if lineEnd < 0 {
		return j, nil // torn in its first line: no entry was ever answered
	}
	dec := json.NewDecoder(bytes.NewReader(whole[:lineEnd]))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&head); err != nil {
		return j, fmt.Errorf("read emulator state journal %s:%v", jpath, jsonErrorAt(whole[:lineEnd], err, int(dec.InputOffset())))
	}
	if head.Journal != 1 {
		return j, fmt.Errorf("read emulator state journal %s:1: unsupported journal version %d (want 1)", jpath, head.Journal)
	}
	if head.BaseSHA256 != j.base {
		// Written for an older state file, which a compaction replaced
		// before it could remove the journal: all of it is in the file.
		return journalState{base: j.base}, nil
	}
	if st.Version == 1 {
		return j, fmt.Errorf("read emulator state journal %s: the state file is in version 1, which has no journal", jpath)
	}
	index := make(map[string]int, len(st.Accounts))
	for i, af := range st.Accounts {
		index[af.AppID] = i
	}
	n := 1
	for rest := whole[lineEnd+1:]; len(rest) > 0; {
		n++
		end := bytes.IndexByte(rest, '\n')
		line := rest[:end]
		rest = rest[end+1:]
		entry, err := parseState(line)
		if err == nil && entry.Version != stateVersion {
			err = fmt.Errorf(" an entry must be version %d, not %d", stateVersion, entry.Version)
		}
		if err != nil {
			msg := err.Error()
			if loc, ok := bytes.CutPrefix([]byte(msg), []byte("1:")); ok {
				return j, fmt.Errorf("read emulator state journal %s:%d:%s", jpath, n, loc)
			}
			return j, fmt.Errorf("read emulator state journal %s:%d:%s", jpath, n, msg)
		}
		st.stateHeader = entry.stateHeader
		for _, af := range entry.Accounts {
			if i, ok := index[af.AppID]; ok {
				st.Accounts[i] = af
			} else {
				index[af.AppID] = len(st.Accounts)
				st.Accounts = append(st.Accounts, af)
			}
		}
		if entry.Platform != nil {
			st.Platform = entry.Platform
		}
	}
	if err := validateState(st); err != nil {
		return j, fmt.Errorf("read emulator state %s with its journal: %v", path, err)
	}
	j.size = int64(len(whole))
	return j, nil
}

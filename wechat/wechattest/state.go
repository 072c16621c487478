package wechattest

import (
	"bytes"
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"os"
	"reflect"
	"slices"
	"strings"
	"time"

	"github.com/wxmenu/wxmenu/internal/atomicfile"
	"github.com/wxmenu/wxmenu/wechat"
)

// stateVersion is the version of the state file format. Version 1 held one
// account at the top level; version 2 holds every account and the platform.
// Both load.
const stateVersion = 2

// stateFile is the saved emulator: everything a restarted sandbox needs to
// carry on where it stopped. Tokens, verify tickets and authorization codes
// are stored by SHA-256 only, so the file holds no credential yet the
// tokens handed out stay valid. Refresh tokens are not stored at all: a
// restarted sandbox gives every authorizer a new one (as a
// re-authorization does), which api_get_authorizer_list reports. Limits,
// faults, account settings and call counters are configuration of one run
// and are not saved.
//
// An emulator of one account and no platform writes version 1 (with the
// newer account fields added), which older readers still understand.
type stateFile struct {
	stateHeader
	accountState // version 1 only: the one account

	Accounts []accountFile `json:"accounts,omitempty"` // version 2
	Platform *platformFile `json:"platform,omitempty"` // version 2
}

type stateHeader struct {
	Version     int           `json:"version"`
	ClockOffset time.Duration `json:"clock_offset_ns"`
	LastMenuID  int64         `json:"last_menu_id"`
	IDSource    []byte        `json:"id_source"` // state of the menuid generator (tokens do not come from it)
}

// accountState is what the state file keeps of one account; acct embeds it,
// so memory and file are one set of fields. Unexported fields are kept in
// memory only.
type accountState struct {
	DefaultMenu *storedMenu             `json:"default_menu,omitempty"`
	Conditional []storedConditional     `json:"conditional_menus"`      // oldest first (publish order)
	ConsoleMenu []wechat.Button         `json:"console_menu,omitempty"` // published in the console: invisible to menu/get
	Users       []User                  `json:"users"`
	Tags        []storedTag             `json:"tags,omitempty"` // user-created tags, in creation order
	LastTagID   int                     `json:"last_tag_id,omitempty"`
	Tokens      map[string]*tokenRecord `json:"tokens"`                        // by tokenHash
	LatestToken string                  `json:"latest_token_sha256,omitempty"` // hash of the newest cgi-bin/token token
	StableHash  string                  `json:"stable_token_sha256,omitempty"` // hash of the current stable_token token
	stablePlain string                  // that token itself
	QuotaDay    string                  `json:"quota_day,omitempty"` // Asia/Shanghai date of QuotaUsed
	QuotaUsed   map[string]int          `json:"quota_used"`
	// Auth is the account's authorization of the platform, never nil in
	// memory; the file has it only when there is a platform.
	Auth      *authorization       `json:"authorization,omitempty"`
	AuthCodes map[string]time.Time `json:"authorization_codes,omitempty"` // by SHA-256
}

// clone copies the state deeply enough that restoring the copy undoes an
// API call, which may change lists in place (delconditional, tagging) and
// token records through their pointers. Menus are replaced, never changed.
func (st accountState) clone() accountState {
	st.Conditional = slices.Clone(st.Conditional)
	st.Users = slices.Clone(st.Users)
	for i := range st.Users {
		st.Users[i].TagIDs = slices.Clone(st.Users[i].TagIDs)
	}
	st.Tags = slices.Clone(st.Tags)
	st.Tokens = cloneTokens(st.Tokens)
	st.QuotaUsed = maps.Clone(st.QuotaUsed)
	auth := *st.Auth
	auth.FuncInfo = slices.Clone(auth.FuncInfo)
	st.Auth = &auth
	st.AuthCodes = maps.Clone(st.AuthCodes)
	return st
}

func cloneTokens(in map[string]*tokenRecord) map[string]*tokenRecord {
	out := make(map[string]*tokenRecord, len(in))
	for h, rec := range in {
		cp := *rec
		out[h] = &cp
	}
	return out
}

type accountFile struct {
	AppID string `json:"appid"`
	accountState
}

// Load returns an emulator with the state saved at path, or an empty one
// when no file exists there. cfg.StatePath defaults to path, so the state is
// saved back after every change. The journal beside the file, if any, is
// replayed over it (journal.go). A file that is not a valid state file, or a
// journal line that is not a valid entry, is refused with the place of the
// first problem (line:column for bad JSON, the field for bad content), never
// loaded in part.
//
// Accounts in the file that cfg does not name are served too (without a
// secret: only the tokens they already handed out work), so no account's
// state is lost by a restart with fewer accounts.
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
	st, err := parseState(data)
	if err != nil {
		return nil, fmt.Errorf("read emulator state %s:%v", path, err)
	}
	j, err := replayJournal(path, data, st)
	if err != nil {
		return nil, err
	}
	if err := e.restore(st); err != nil {
		return nil, fmt.Errorf("read emulator state %s: %v", path, err)
	}
	if st.Version == 1 {
		j = journalState{} // the first change rewrites the file, in version 2 if the emulator now needs it
	}
	e.journal, e.lastSaveSize = j, len(data)
	return e, nil
}

// parseState decodes and validates a state file. Errors start with
// "line:column: " or " " so that Load can put them after the path.
func parseState(data []byte) (*stateFile, error) {
	var st stateFile
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&st); err != nil {
		return nil, jsonErrorAt(data, err, int(dec.InputOffset()))
	}
	if dec.More() {
		line, col := lineColumn(data, int(dec.InputOffset()))
		return nil, fmt.Errorf("%d:%d: not a state file: data after the JSON document", line, col)
	}
	if st.Version != 1 && st.Version != 2 {
		return nil, fmt.Errorf(" unsupported version %d (want 1 or %d)", st.Version, stateVersion)
	}
	if st.Version == 1 {
		if len(st.Accounts) > 0 || st.Platform != nil {
			return nil, fmt.Errorf(" version 1 has no accounts or platform")
		}
		st.Accounts = []accountFile{{accountState: st.accountState}} // the default account
	} else if !reflect.ValueOf(st.accountState).IsZero() { // null lists decode as nil
		return nil, fmt.Errorf(" version 2 keeps accounts under \"accounts\", not at the top level")
	}
	if err := validateState(&st); err != nil {
		return nil, fmt.Errorf(" %v", err)
	}
	return &st, nil
}

// jsonErrorAt locates a JSON decoding error as line:column. Errors that
// carry no offset (unknown fields) are placed where the decoder stopped.
func jsonErrorAt(data []byte, err error, stopped int) error {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	offset := stopped
	msg := err.Error()
	switch {
	case errors.As(err, &syn):
		offset = int(syn.Offset) - 1 // Offset counts the offending byte
	case errors.As(err, &typ):
		offset = int(typ.Offset) - 1
		field := strings.TrimPrefix(strings.TrimPrefix(typ.Field, "stateHeader."), "accountState.")
		msg = fmt.Sprintf("%s must be a JSON %s, not %s", field, typ.Type, typ.Value)
	case strings.HasPrefix(msg, `json: unknown field "`):
		// The decoder does not say where; the first occurrence of the key
		// is almost always it.
		name := strings.TrimSuffix(strings.TrimPrefix(msg, `json: unknown field "`), `"`)
		if i := bytes.Index(data, []byte(`"`+name+`"`)); i >= 0 {
			offset = i
		}
	case errors.Is(err, io.EOF):
		return fmt.Errorf(" not a state file: empty")
	case errors.Is(err, io.ErrUnexpectedEOF):
		offset = len(data)
		msg = "unexpected end of JSON input"
	}
	line, col := lineColumn(data, offset)
	return fmt.Errorf("%d:%d: not a state file: %s", line, col, strings.TrimPrefix(msg, "json: "))
}

// lineColumn turns the 0-based index of a byte into its 1-based line and
// column (in bytes).
func lineColumn(data []byte, offset int) (int, int) {
	offset = min(max(offset, 0), len(data))
	before := data[:offset]
	line := bytes.Count(before, []byte("\n")) + 1
	col := offset - bytes.LastIndexByte(before, '\n')
	return line, col
}

// validateState refuses content the emulator could not have written:
// non-positive or duplicate menuids (unique across accounts), a menuid
// counter below an existing id (fresh ids would collide), menus without
// buttons, conditional menus without a default menu, duplicate accounts,
// followers without an OpenID, duplicate or out-of-range tag ids and a tag
// counter below them.
func validateState(st *stateFile) error {
	seenIDs := map[int64]string{}
	seenApps := map[string]bool{}
	var maxID int64
	for i, af := range st.Accounts {
		where := "top level"
		if st.Version != 1 {
			where = fmt.Sprintf("accounts[%d]", i)
			if af.AppID == "" {
				return fmt.Errorf("%s: appid is missing", where)
			}
			if seenApps[af.AppID] {
				return fmt.Errorf("%s: appid %s appears twice", where, af.AppID)
			}
			seenApps[af.AppID] = true
			where += " (" + af.AppID + ")"
		}
		checkID := func(field string, id int64) error {
			if id <= 0 {
				return fmt.Errorf("%s: %s: menuid %d is not positive", where, field, id)
			}
			if other, dup := seenIDs[id]; dup {
				return fmt.Errorf("%s: %s: menuid %d is already used by %s", where, field, id, other)
			}
			seenIDs[id] = where + " " + field
			maxID = max(maxID, id)
			return nil
		}
		if m := af.DefaultMenu; m != nil {
			if err := checkID("default_menu", m.MenuID); err != nil {
				return err
			}
			if len(m.Buttons) == 0 {
				return fmt.Errorf("%s: default_menu has no buttons", where)
			}
		} else if len(af.Conditional) > 0 {
			return fmt.Errorf("%s: conditional_menus without a default_menu (WeChat cannot hold them)", where)
		}
		for j, m := range af.Conditional {
			field := fmt.Sprintf("conditional_menus[%d]", j)
			if err := checkID(field, m.MenuID); err != nil {
				return err
			}
			if len(m.Buttons) == 0 {
				return fmt.Errorf("%s: %s has no buttons", where, field)
			}
		}
		for j, u := range af.Users {
			if u.OpenID == "" {
				return fmt.Errorf("%s: users[%d] has no openid", where, j)
			}
		}
		seenTags := map[int]bool{}
		for j, t := range af.Tags {
			switch {
			case t.ID < firstTagID:
				return fmt.Errorf("%s: tags[%d]: id %d is below %d (0-99 are WeChat's)", where, j, t.ID, firstTagID)
			case seenTags[t.ID]:
				return fmt.Errorf("%s: tags[%d]: id %d appears twice", where, j, t.ID)
			case t.ID > af.LastTagID:
				return fmt.Errorf("%s: last_tag_id %d is below tag id %d", where, af.LastTagID, t.ID)
			}
			seenTags[t.ID] = true
		}
	}
	if st.LastMenuID < maxID {
		return fmt.Errorf("last_menu_id %d is below menuid %d (new menus would reuse ids)", st.LastMenuID, maxID)
	}
	return nil
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
	for _, af := range st.Accounts {
		appID := cmp.Or(af.AppID, e.cfg.AppID) // version 1: the default account
		a := e.accounts[appID]
		if a == nil {
			a = e.addAccountLocked(appID, "", e.cfg.AccountSettings)
		}
		a.restoreLocked(af.accountState)
	}
	if p := e.platform; p != nil && st.Platform != nil {
		p.platformFile = *st.Platform
		p.Tokens = nonNilTokens(p.Tokens)
		p.ticketLocked(e.now()) // only hashes were saved: issue a fresh current ticket
	}
	return nil
}

func (a *acct) restoreLocked(st accountState) {
	st.LastTagID = max(st.LastTagID, firstTagID-1)
	st.Tokens = nonNilTokens(st.Tokens)
	if st.QuotaUsed == nil {
		st.QuotaUsed = map[string]int{}
	}
	if st.AuthCodes == nil {
		st.AuthCodes = map[string]time.Time{}
	}
	if st.Auth == nil {
		st.Auth = a.Auth
	} else {
		st.Auth.refresh = a.Auth.refresh // refresh tokens are never saved: keep the new one
	}
	a.accountState = st
}

// nonNilTokens drops the null records a hand-edited file may hold.
func nonNilTokens(tokens map[string]*tokenRecord) map[string]*tokenRecord {
	if tokens == nil {
		return map[string]*tokenRecord{}
	}
	maps.DeleteFunc(tokens, func(_ string, rec *tokenRecord) bool { return rec == nil })
	return tokens
}

// Save writes the state to path atomically: a temporary file in the same
// directory renamed over the old one, so a reader never sees half a file.
// Saved to Config.StatePath, the state replaces the journal there too.
func (e *Emulator) Save(path string) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	if path == e.cfg.StatePath {
		return e.compactLocked()
	}
	_, err := e.saveLocked(path)
	return err
}

// persistLocked saves the whole state to Config.StatePath, if set, after a
// change that may touch every account. It runs under the lock so saves
// land in the order of the changes they record. The error is also kept for
// /_emulator/state, since the methods that change state have no error
// result.
func (e *Emulator) persistLocked() {
	for _, a := range e.accounts {
		a.saved = nil
	}
	if e.cfg.StatePath != "" {
		e.saveErr = e.compactLocked()
	}
}

// persistAccountLocked saves a change to one account (nil: to none, only
// to the clock or the platform) by appending it, and whatever else changed
// since the last save, to the journal: the cost is that of the change, not
// of the whole state.
func (e *Emulator) persistAccountLocked(a *acct) error {
	if a != nil {
		a.changingLocked()
	} else {
		e.platformDirty = true
	}
	if e.cfg.StatePath == "" {
		return nil
	}
	err := e.journalLocked()
	e.saveErr = err
	return err
}

// saveLocked writes the whole state to path atomically and returns what it
// wrote.
func (e *Emulator) saveLocked(path string) ([]byte, error) {
	header, err := e.headerLocked()
	if err != nil {
		return nil, fmt.Errorf("save emulator state: %v", err)
	}
	var data []byte
	if e.version1Locked() {
		header.Version = 1
		data, err = json.MarshalIndent(stateFile{stateHeader: header, accountState: e.a.fileStateLocked()}, "", "  ")
		data = append(data, '\n')
	} else {
		accounts := make([]*acct, len(e.order))
		for i, id := range e.order {
			accounts[i] = e.accounts[id]
		}
		data, err = e.documentLocked(header, accounts, true, "\n", e.lastSaveSize)
	}
	if err != nil {
		return nil, fmt.Errorf("save emulator state: %v", err)
	}
	if err := atomicfile.Write(path, func(w io.Writer) error { _, err := w.Write(data); return err }); err != nil {
		return nil, fmt.Errorf("save emulator state: %w", err)
	}
	return data, nil
}

// version1Locked says whether the state file is written in version 1: one
// account and no platform.
func (e *Emulator) version1Locked() bool { return len(e.order) == 1 && e.platform == nil }

func (e *Emulator) headerLocked() (stateHeader, error) {
	idSource, err := e.idSource.MarshalBinary()
	return stateHeader{
		Version:     stateVersion,
		ClockOffset: e.clockOffset,
		LastMenuID:  e.lastMenuID,
		IDSource:    idSource,
	}, err
}

// fileStateLocked is the account as the state file holds it: lists empty
// rather than null, the authorization only with a platform.
func (a *acct) fileStateLocked() accountState {
	st := a.accountState
	st.Conditional = append([]storedConditional{}, st.Conditional...)
	st.Users = append([]User{}, st.Users...)
	if a.emu.platform == nil {
		st.Auth = nil
	}
	return st
}

// documentLocked is a version 2 document of accounts (and the platform,
// with withPlatform): the state file with nl "\n", one account per line,
// or a journal entry with nl "" on a single line. Accounts are marshalled
// again only when they changed since they were last.
func (e *Emulator) documentLocked(header stateHeader, accounts []*acct, withPlatform bool, nl string, size int) ([]byte, error) {
	head, err := json.Marshal(header)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	buf.Grow(size)
	buf.Write(head[:len(head)-1]) // without the closing brace
	buf.WriteString("," + nl + `"accounts": [` + nl)
	for i, a := range accounts {
		if a.saved == nil {
			if a.saved, err = json.Marshal(accountFile{a.appID, a.fileStateLocked()}); err != nil {
				return nil, err
			}
		}
		if i > 0 {
			buf.WriteString("," + nl)
		}
		buf.Write(a.saved)
	}
	buf.WriteString(nl + "]")
	if p := e.platform; p != nil && withPlatform {
		pf, err := json.Marshal(p.platformFile)
		if err != nil {
			return nil, err
		}
		buf.WriteString("," + nl + `"platform": `)
		buf.Write(pf)
	}
	buf.WriteString(nl + "}\n")
	return buf.Bytes(), nil
}

// undoLog is the part of the state one API call changed, as it was before
// the call, copied deeply enough that restoring it undoes the call: the
// accounts the call touched (copied as it first touches each, see
// changingLocked) and the platform of a call that can change it. The id
// sequence is left out on purpose: a menuid drawn by an undone call is
// skipped, never reused, like the ids of deleted menus.
type undoLog struct {
	accounts    map[*acct]accountState
	platform    platformFile
	hasPlatform bool
}

// changingLocked is called before anything of the account changes: it
// notes the account as changed since last written and, during an API call
// that may be undone, copies its state first.
func (a *acct) changingLocked() {
	e := a.emu
	if u := e.undo; u != nil {
		if _, ok := u.accounts[a]; !ok {
			u.accounts[a] = a.accountState.clone()
		}
	}
	a.saved = nil
	if !a.dirty {
		a.dirty = true
		e.dirty = append(e.dirty, a)
	}
}

func (e *Emulator) rollbackLocked(u *undoLog) {
	for a, st := range u.accounts {
		a.accountState = st
		a.changingLocked()
	}
	if p := e.platform; p != nil && u.hasPlatform {
		p.platformFile = u.platform
	}
}

package audit

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"sync"
	"time"

	"github.com/wxmenu/wxmenu/reconcile/plans"
	"github.com/wxmenu/wxmenu/wechat"
)

// Events, in the order one apply writes them (see doc.go).
const (
	EventApplyStart  = "apply_start"
	EventIntent      = "intent" // before a mutating call
	EventStep        = "step"   // after it: the step's outcome
	EventApplyDone   = "apply_done"
	EventApplyFailed = "apply_failed"
	EventLogRepaired = "log_repaired" // Open ended a torn last line
)

// Record is one line of the audit log. Records hold what was done to
// which menu and never a credential: the plan and the client's redacted
// errors are the only sources of text.
type Record struct {
	Time        time.Time `json:"time"`
	Event       string    `json:"event"`
	AppID       string    `json:"appid"`
	Account     string    `json:"account,omitempty"` // the project's name for the account
	ToolVersion string    `json:"tool_version"`
	PlanDigest  string    `json:"plan_digest"`
	Overrides   []string  `json:"overrides,omitempty"`
	Steps       int       `json:"steps,omitempty"`

	Step         *int          `json:"step,omitempty"` // 0-based index in the plan
	Action       plans.Action  `json:"action,omitempty"`
	Endpoint     string        `json:"endpoint,omitempty"`
	Name         string        `json:"name,omitempty"`
	MenuIDBefore string        `json:"menuid_before,omitempty"`
	MenuIDAfter  string        `json:"menuid_after,omitempty"`
	Outcome      plans.Outcome `json:"outcome,omitempty"`
	Errcode      int           `json:"errcode,omitempty"`
	// RequestID is the id WeChat gave the failed call (the "rid" of its
	// errmsg), for WeChat's support.
	RequestID  string `json:"request_id,omitempty"`
	Error      string `json:"error,omitempty"`
	Reread     bool   `json:"reread,omitempty"`
	DurationMS int64  `json:"duration_ms,omitempty"`
	// Note explains a log_repaired record.
	Note string `json:"note,omitempty"`

	// Provenance, on apply_start, is where the plan was made (CI).
	Provenance *plans.Provenance `json:"provenance,omitempty"`
	// On apply_done: the desired state applied (its file and digest) and
	// the account as apply read it back and verified (State, and its
	// canon.LiveDigest): what drift compares the live account with and
	// what a restore plans back to.
	DesiredFile   string          `json:"desired_file,omitempty"`
	DesiredDigest string          `json:"desired_digest,omitempty"`
	LiveDigest    string          `json:"live_digest,omitempty"`
	State         *wechat.MenuSet `json:"state,omitempty"`
}

// File is what the log writes to; *os.File is one. Tests inject one that
// fails (a full disk).
type File interface {
	io.Writer
	io.ReaderAt
	Stat() (fs.FileInfo, error)
	Sync() error
	Truncate(size int64) error
	Close() error
}

// Log appends JSON lines to a file, one write and one fsync per record,
// shared by every account a process applies (For gives each its label), so
// records of parallel applies never tear each other; a failed record is
// rolled back and refuses every later one (see the package doc).
type Log struct {
	*file
	account string // the project's name for the account; "" writes none
}

// file is what the accounts sharing a Log share.
type file struct {
	mu          sync.Mutex
	f           File
	toolVersion string
	err         error
}

// Open opens (creating if needed) the audit log at path for appending. It
// refuses a symbolic link: like --out (which replaces a link, never writing
// through it) the log is never written through one, and replacing it would
// start a new log in place of the old. A last line without its newline (a
// log torn by an older version or another program) is ended, and a
// log_repaired record says so.
func Open(path, toolVersion string) (_ *Log, err error) {
	if fi, err := os.Lstat(path); err == nil && fi.Mode()&fs.ModeSymlink != 0 {
		return nil, fmt.Errorf("%s is a symbolic link; give the path of the log file itself", path)
	}
	f, err := os.OpenFile(path, os.O_RDWR|os.O_APPEND|os.O_CREATE, 0o600)
	if err != nil {
		return nil, err
	}
	defer func() {
		if err != nil {
			f.Close()
		}
	}()
	fi, err := f.Stat()
	if err != nil {
		return nil, err
	}
	a := New(f, toolVersion)
	if fi.Size() == 0 {
		return a, nil
	}
	last := make([]byte, 1)
	if _, err = f.ReadAt(last, fi.Size()-1); err == nil && last[0] != '\n' {
		if err = a.write([]byte("\n")); err == nil {
			err = a.Record(time.Now(), nil, Record{Event: EventLogRepaired, Note: "the previous last line had no newline (a torn record); it was ended so new records start on their own line"})
		}
	}
	if err != nil {
		return nil, err
	}
	return a, nil
}

// New returns a log appending to f.
func New(f File, toolVersion string) *Log {
	return &Log{file: &file{f: f, toolVersion: toolVersion}}
}

// For is the log with every record written through it naming account (a
// project's name for it); it shares the file, and its failure, with a.
func (a *Log) For(account string) *Log {
	if a == nil {
		return nil
	}
	return &Log{file: a.file, account: account}
}

// Close closes the log and returns the first write error, if any.
func (a *Log) Close() error {
	if a == nil {
		return nil
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	return errors.Join(a.err, a.f.Close())
}

// Record appends one record; p (nil for records of no plan) names the
// plan. The first write error is kept (Close returns it) and returned, so
// apply can stop before making a call it cannot record.
func (a *Log) Record(t time.Time, p *plans.Plan, r Record) error {
	if a == nil {
		return nil
	}
	r.Time = t.UTC()
	r.Account = a.account
	r.ToolVersion = a.toolVersion
	if p != nil {
		r.AppID = p.AppID
		r.PlanDigest = p.PlanDigest
		r.Overrides = p.Overrides
	}
	line, err := json.Marshal(r)
	if err != nil {
		return fmt.Errorf("writing the audit log: %w", err)
	}
	return a.write(append(line, '\n'))
}

// write appends data in one write and fsyncs it. On failure it cuts its
// own bytes from the end of the file and keeps the error, which every later
// write returns.
func (a *Log) write(data []byte) error {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.err != nil {
		return a.err
	}
	n, err := a.f.Write(data)
	if err == nil && n < len(data) {
		err = io.ErrShortWrite
	}
	if err == nil {
		err = a.f.Sync()
	}
	if err != nil {
		err = fmt.Errorf("writing the audit log: %w", err)
		if rerr := a.rollBack(data[:n]); rerr != nil {
			err = errors.Join(err, fmt.Errorf("rolling back a torn record: %w", rerr))
		}
		a.err = err
	}
	return err
}

// rollBack cuts written, the part of a record that reached the file, from
// its end. It cuts nothing unless the file ends in exactly those bytes: a
// record another process appended since is never touched (the torn line
// is then ended by the next Open).
func (a *Log) rollBack(written []byte) error {
	if len(written) == 0 {
		return nil
	}
	fi, err := a.f.Stat()
	if err != nil {
		return err
	}
	end := fi.Size()
	start := end - int64(len(written))
	if start < 0 {
		return nil
	}
	tail := make([]byte, len(written))
	if _, err := a.f.ReadAt(tail, start); err != nil || !bytes.Equal(tail, written) {
		return err
	}
	return a.f.Truncate(start)
}

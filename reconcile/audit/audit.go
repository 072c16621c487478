package audit

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"sync"
	"time"

	"github.com/wxmenu/wxmenu/reconcile/plans"
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
}

// File is what the log writes to; *os.File is one. Tests inject one that
// fails (a full disk).
type File interface {
	io.Writer
	Sync() error
	Truncate(size int64) error
	Close() error
}

// Log appends JSON lines to a file, one write and one fsync per record. A
// record whose write or fsync fails is rolled back (the file truncated to
// its size before the write), so the log holds only whole lines even on a
// full disk.
type Log struct {
	mu          sync.Mutex
	f           File
	size        int64 // the file's size after the last whole record
	toolVersion string
	account     string
	err         error
}

// Open opens (creating if needed) the audit log at path for appending. It
// refuses a symbolic link: like --out (which replaces a link, never writing
// through it) the log is never written through one, and replacing it would
// start a new log in place of the old. A last line without its newline (a
// log torn by an older version or another program) is ended, and a
// log_repaired record says so.
func Open(path, toolVersion string) (*Log, error) {
	if fi, err := os.Lstat(path); err == nil && fi.Mode()&fs.ModeSymlink != 0 {
		return nil, fmt.Errorf("%s is a symbolic link; give the path of the log file itself", path)
	}
	f, err := os.OpenFile(path, os.O_RDWR|os.O_APPEND|os.O_CREATE, 0o600)
	if err != nil {
		return nil, err
	}
	fi, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, err
	}
	torn := false
	if size := fi.Size(); size > 0 {
		last := make([]byte, 1)
		if _, err := f.ReadAt(last, size-1); err != nil {
			f.Close()
			return nil, err
		}
		torn = last[0] != '\n'
	}
	a := New(f, fi.Size(), toolVersion)
	if torn {
		if err := a.write([]byte("\n")); err != nil {
			f.Close()
			return nil, err
		}
		if err := a.Record(time.Now(), nil, Record{Event: EventLogRepaired, Note: "the previous last line had no newline (a torn record); it was ended so new records start on their own line"}); err != nil {
			f.Close()
			return nil, err
		}
	}
	return a, nil
}

// New returns a log appending to f, whose size is size.
func New(f File, size int64, toolVersion string) *Log {
	return &Log{f: f, size: size, toolVersion: toolVersion}
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
	if err == nil {
		err = a.write(append(line, '\n'))
	}
	if err != nil {
		err = fmt.Errorf("writing the audit log: %w", err)
		a.mu.Lock()
		a.err = errors.Join(a.err, err)
		a.mu.Unlock()
	}
	return err
}

// write appends data in one write and fsyncs it, or rolls the file back to
// its previous size.
func (a *Log) write(data []byte) error {
	a.mu.Lock()
	defer a.mu.Unlock()
	n, err := a.f.Write(data)
	if err == nil && n < len(data) {
		err = io.ErrShortWrite
	}
	if err == nil {
		err = a.f.Sync()
	}
	if err != nil {
		if terr := a.f.Truncate(a.size); terr != nil {
			return errors.Join(err, fmt.Errorf("rolling back a torn record: %w", terr))
		}
		return err
	}
	a.size += int64(len(data))
	return nil
}

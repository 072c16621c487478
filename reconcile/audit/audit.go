package audit

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"sync"
	"time"

	"github.com/wxmenu/wxmenu/reconcile/plans"
)

// Record is one line of the audit log. Records hold what was done to
// which menu and never a credential: the plan and the client's redacted
// errors are the only sources of text.
type Record struct {
	Time        time.Time `json:"time"`
	Event       string    `json:"event"` // apply_start, step, apply_done, apply_failed
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
	Error        string        `json:"error,omitempty"`
	Reread       bool          `json:"reread,omitempty"`
	DurationMS   int64         `json:"duration_ms,omitempty"`
}

// Log appends JSON lines to a file, one write and one fsync per
// record, so a killed process leaves only whole lines behind.
type Log struct {
	mu          sync.Mutex
	f           *os.File
	toolVersion string
	account     string
	err         error
}

// Open opens (creating if needed) the audit log at path for appending.
func Open(path, toolVersion string) (*Log, error) {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
	if err != nil {
		return nil, err
	}
	return &Log{f: f, toolVersion: toolVersion}, nil
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

// Record appends one record. The first write error is kept (Close returns
// it) and returned, so apply can stop before making a call it cannot
// record.
func (a *Log) Record(t time.Time, p *plans.Plan, r Record) error {
	if a == nil {
		return nil
	}
	r.Time = t.UTC()
	r.AppID = p.AppID
	r.Account = a.account
	r.ToolVersion = a.toolVersion
	r.PlanDigest = p.PlanDigest
	r.Overrides = p.Overrides
	line, err := json.Marshal(r)
	if err == nil {
		line = append(line, '\n')
		a.mu.Lock()
		defer a.mu.Unlock()
		if _, err = a.f.Write(line); err == nil {
			err = a.f.Sync()
		}
	}
	if err != nil {
		err = fmt.Errorf("writing the audit log: %w", err)
		a.err = errors.Join(a.err, err)
	}
	return err
}

package reconcile

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"sync"
	"time"

	"github.com/wxmenu/wxmenu/wechat"
)

// AuditRecord is one line of the audit log. Records hold what was done to
// which menu and never a credential: the plan and the client's redacted
// errors are the only sources of text.
type AuditRecord struct {
	Time        time.Time `json:"time"`
	Event       string    `json:"event"` // apply_start, step, apply_done, apply_failed
	AppID       string    `json:"appid"`
	ToolVersion string    `json:"tool_version"`
	PlanDigest  string    `json:"plan_digest"`
	Overrides   []string  `json:"overrides,omitempty"`
	Steps       int       `json:"steps,omitempty"`

	Step         *int    `json:"step,omitempty"` // 0-based index in the plan
	Action       Action  `json:"action,omitempty"`
	Endpoint     string  `json:"endpoint,omitempty"`
	Name         string  `json:"name,omitempty"`
	MenuIDBefore string  `json:"menuid_before,omitempty"`
	MenuIDAfter  string  `json:"menuid_after,omitempty"`
	Outcome      Outcome `json:"outcome,omitempty"`
	Errcode      int     `json:"errcode,omitempty"`
	Error        string  `json:"error,omitempty"`
	Reread       bool    `json:"reread,omitempty"`
	DurationMS   int64   `json:"duration_ms,omitempty"`
}

// AuditLog appends JSON lines to a file, one write and one fsync per
// record, so a killed process leaves only whole lines behind.
type AuditLog struct {
	mu          sync.Mutex
	f           *os.File
	toolVersion string
	err         error
}

// OpenAuditLog opens (creating if needed) the audit log at path for appending.
func OpenAuditLog(path, toolVersion string) (*AuditLog, error) {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
	if err != nil {
		return nil, err
	}
	return &AuditLog{f: f, toolVersion: toolVersion}, nil
}

// Close closes the log and returns the first write error, if any.
func (a *AuditLog) Close() error {
	if a == nil {
		return nil
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	return errors.Join(a.err, a.f.Close())
}

// record appends one record. The first write error is kept (Close returns
// it) and returned, so apply can stop before making a call it cannot
// record.
func (a *AuditLog) record(t time.Time, p *Plan, r AuditRecord) error {
	if a == nil {
		return nil
	}
	r.Time = t.UTC()
	r.AppID = p.AppID
	r.ToolVersion = a.toolVersion
	r.PlanDigest = p.Checksum
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

func auditStep(i int, sr StepResult) AuditRecord {
	r := AuditRecord{
		Event:        "step",
		Step:         &i,
		Action:       sr.Step.Action,
		Endpoint:     sr.Step.Action.Endpoint(),
		Name:         sr.Step.Name,
		MenuIDBefore: sr.Step.MenuID,
		MenuIDAfter:  sr.MenuID,
		Outcome:      sr.Outcome,
		Error:        trimErr(sr.Err),
		Reread:       sr.Reread,
		DurationMS:   sr.Duration.Milliseconds(),
	}
	var apiErr *wechat.APIError
	if errors.As(sr.Err, &apiErr) {
		r.Errcode = apiErr.Code
	}
	return r
}

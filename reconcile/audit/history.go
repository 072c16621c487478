package audit

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"time"

	"github.com/wxmenu/wxmenu/reconcile/plans"
	"github.com/wxmenu/wxmenu/wechat"
)

// Apply is one apply as the log tells it: from its apply_start to its
// apply_done or apply_failed record (none when the process died first).
type Apply struct {
	// ID names the apply for people (history, plan --restore): the first
	// 12 hex digits of the sha256 of its appid, plan digest and start
	// time (to the nanosecond), so it is the same on every read of the log
	// and when older lines are trimmed. Only applies whose three agree
	// (two runs of one plan in one nanosecond) add how many such twins
	// come before, so two applies never share an ID.
	ID string `json:"id"`
	// Time is when the apply started.
	Time       time.Time         `json:"time"`
	Start      Record            `json:"-"`
	End        *Record           `json:"-"`
	Account    string            `json:"account,omitempty"`
	AppID      string            `json:"appid"`
	PlanDigest string            `json:"plan_digest"`
	Provenance *plans.Provenance `json:"provenance,omitempty"`
	Steps      int               `json:"steps"`
	// Outcome is "applied" (apply_done), "failed" (apply_failed) or
	// "unknown" (no end record: the process died during the apply).
	Outcome string `json:"outcome"`
	Error   string `json:"error,omitempty"`
	// Restorable says the apply recorded the state it left (State).
	Restorable bool `json:"restorable"`
}

// Outcomes of an Apply.
const (
	OutcomeApplied = "applied"
	OutcomeFailed  = "failed"
	OutcomeUnknown = "unknown"
)

// State is the account as the apply read it back and verified, or nil:
// the apply failed, or the log was written before applies recorded it.
func (a *Apply) State() *wechat.MenuSet {
	if a.End == nil || a.End.Event != EventApplyDone {
		return nil
	}
	return a.End.State
}

// History is the applies of a log, oldest first.
type History []*Apply

// ReadHistory reads the log at path. A missing file is an empty history;
// a line that is not a record (a torn last line) is an error naming it.
func ReadHistory(path string) (History, error) {
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return readHistory(path, f)
}

func readHistory(path string, r io.Reader) (History, error) {
	var h History
	open := map[string]*Apply{} // the apply in progress, by account label and appid
	twins := map[string]int{}   // applies so far, by the hash of appid, plan and time
	sc := bufio.NewScanner(r)
	// A record holds at most one account's menus: WeChat caps those at a
	// few tens of kilobytes.
	sc.Buffer(nil, 4<<20)
	for line := 1; sc.Scan(); line++ {
		if len(sc.Bytes()) == 0 {
			continue
		}
		var rec Record
		if err := json.Unmarshal(sc.Bytes(), &rec); err != nil {
			return nil, fmt.Errorf("%s:%d: not an audit record: %v", path, line, err)
		}
		key := rec.Account + "\x00" + rec.AppID
		switch rec.Event {
		case EventApplyStart:
			id := fmt.Sprintf("%s\x00%s\x00%s", rec.AppID, rec.PlanDigest, rec.Time.UTC().Format(time.RFC3339Nano))
			n := twins[id]
			twins[id]++
			if n > 0 {
				id += fmt.Sprintf("\x00%d", n)
			}
			sum := sha256.Sum256([]byte(id))
			a := &Apply{
				ID: hex.EncodeToString(sum[:6]), Time: rec.Time, Start: rec, Account: rec.Account, AppID: rec.AppID,
				PlanDigest: rec.PlanDigest, Provenance: rec.Provenance, Steps: rec.Steps, Outcome: OutcomeUnknown,
			}
			h = append(h, a)
			open[key] = a
		case EventApplyDone, EventApplyFailed:
			a := open[key]
			if a == nil || a.PlanDigest != rec.PlanDigest {
				continue // its start is in an older, rotated log
			}
			delete(open, key)
			end := rec
			a.End = &end
			a.Outcome, a.Error, a.Restorable = OutcomeApplied, "", rec.Event == EventApplyDone && rec.State != nil
			if rec.Event == EventApplyFailed {
				a.Outcome, a.Error = OutcomeFailed, rec.Error
			}
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("reading %s: %w", path, err)
	}
	return h, nil
}

// Find is the apply with id, or nil.
func (h History) Find(id string) *Apply {
	i := slices.IndexFunc(h, func(a *Apply) bool { return a.ID == id })
	if i < 0 {
		return nil
	}
	return h[i]
}

// Last is the newest apply of appid, whatever its outcome, or nil.
func (h History) Last(appid string) *Apply {
	for i := len(h) - 1; i >= 0; i-- {
		if h[i].AppID == appid {
			return h[i]
		}
	}
	return nil
}

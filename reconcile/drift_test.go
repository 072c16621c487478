package reconcile_test

import (
	"encoding/json"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/wxmenu/wxmenu/reconcile"
	"github.com/wxmenu/wxmenu/reconcile/audit"
	"github.com/wxmenu/wxmenu/reconcile/plans"
	"github.com/wxmenu/wxmenu/wechat"
)

// menuGet is a menu/get answer in WeChat's own shape: menuids as numbers,
// tag_id echoed as group_id, the platform as a number, and leaves with
// "sub_button": [].
const menuGet = `{"menu": {"button": [{"type": "click", "name": "Hi", "key": "HI", "sub_button": []}], "menuid": 401},
 "conditionalmenu": [{"button": [{"type": "click", "name": "VIP", "key": "VIP", "sub_button": []}],
  "matchrule": {"group_id": 101, "client_platform_type": 1}, "menuid": 402}]}`

func decodeMenus(t *testing.T, s string) *wechat.MenuSet {
	t.Helper()
	var m wechat.MenuSet
	if err := json.Unmarshal([]byte(s), &m); err != nil {
		t.Fatal(err)
	}
	return &m
}

// lastApply writes an apply that left state through the audit log, as
// apply does, and reads it back.
func lastApply(t *testing.T, state *wechat.MenuSet, failed bool) *audit.Apply {
	t.Helper()
	path := filepath.Join(t.TempDir(), "audit.jsonl")
	log, err := audit.Open(path, "test")
	if err != nil {
		t.Fatal(err)
	}
	p := &plans.Plan{AppID: "wxdrift", PlanDigest: "sha256:aa"}
	end := audit.Record{Event: audit.EventApplyDone, State: state}
	if failed {
		end = audit.Record{Event: audit.EventApplyFailed, Error: "step 1 failed"}
	}
	for _, r := range []audit.Record{{Event: audit.EventApplyStart, Steps: 1}, end} {
		if err := log.Record(time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC), p, r); err != nil {
			t.Fatal(err)
		}
	}
	log.Close()
	h, err := audit.ReadHistory(path)
	if err != nil || len(h) != 1 {
		t.Fatalf("history %v, %v", h, err)
	}
	return h[0]
}

// TestDriftOf judges an account that differs from its file (a plan with a
// step) by what the last apply left. What menu/get normalises (numbers,
// group_id, empty sub_button lists) is no drift: the state the audit log
// kept, in its own JSON, is the account read in WeChat's shape.
func TestDriftOf(t *testing.T) {
	live := decodeMenus(t, menuGet)
	// What the last apply left, as the audit log holds it: re-encoded.
	recorded, err := json.Marshal(live)
	if err != nil {
		t.Fatal(err)
	}
	same := decodeMenus(t, string(recorded))
	other := decodeMenus(t, strings.Replace(menuGet, `"VIP", "key": "VIP"`, `"Members", "key": "VIP"`, 1))
	changes := &reconcile.Result{Status: reconcile.StatusChanges, Live: live, Plan: &plans.Plan{Steps: []plans.Step{{Action: plans.ActionCreateDefault}}, Changes: true}}
	console := *changes
	console.Console = true
	inSync := &reconcile.Result{Status: reconcile.StatusNoChanges, Live: live, Plan: &plans.Plan{}}
	failedRead := reconcile.Failed(nil, &reconcile.ReadError{Err: errors.New("menu/get: 40001 invalid credential")})

	tests := []struct {
		name  string
		r     *reconcile.Result
		last  *audit.Apply
		want  reconcile.DriftStatus
		cause string
	}{
		{"matches its file", inSync, lastApply(t, other, false), reconcile.DriftInSync, "matches its file"},
		{"file changed since the last apply", changes, lastApply(t, same, false), reconcile.DriftPending, "the file changed since the last apply"},
		{"menus changed since the last apply", changes, lastApply(t, other, false), reconcile.DriftChangedOutside, "differ from what the last apply"},
		{"published in the console", &console, lastApply(t, same, false), reconcile.DriftConsole, "console"},
		{"no apply recorded", changes, nil, reconcile.DriftDrifted, "records no apply"},
		{"last apply failed", changes, lastApply(t, other, true), reconcile.DriftPending, "did not finish"},
		{"a log from before states were recorded", changes, lastApply(t, nil, false), reconcile.DriftDrifted, "before applies recorded the state"},
		{"unreadable account", failedRead, nil, reconcile.DriftError, "40001"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := reconcile.DriftOf(tt.r, tt.last)
			if d.Status != tt.want || !strings.Contains(d.Cause, tt.cause) {
				t.Errorf("DriftOf = %s (%s), want %s with %q", d.Status, d.Cause, tt.want, tt.cause)
			}
		})
	}

	// Who sees another menu: tag 101 on iOS saw the VIP menu the apply
	// left and now sees the changed one.
	d := reconcile.DriftOf(changes, lastApply(t, other, false))
	var changed []string
	for _, row := range d.Audiences {
		if row.Changed {
			changed = append(changed, row.Label)
		}
	}
	if len(changed) != 1 || !strings.Contains(changed[0], "tag 101") {
		t.Errorf("changed audiences %q, want tag 101's only", changed)
	}
}

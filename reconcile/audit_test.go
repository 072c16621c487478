package reconcile_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/wxmenu/wxmenu/reconcile"
	"github.com/wxmenu/wxmenu/reconcile/audit"
	"github.com/wxmenu/wxmenu/reconcile/canon"
	"github.com/wxmenu/wxmenu/reconcile/plans"
)

const auditToolVersion = "v9.9.9-audit-test"

// readAudit reads an audit log strictly: every line whole, valid JSON, and
// holding only AuditRecord's fields.
func readAudit(t *testing.T, path string) []audit.Record {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(data) == 0 || data[len(data)-1] != '\n' {
		t.Fatalf("audit log does not end with a whole line: %q", data)
	}
	var records []audit.Record
	sc := bufio.NewScanner(bytes.NewReader(data))
	for n := 1; sc.Scan(); n++ {
		line := sc.Bytes()
		if !json.Valid(line) {
			t.Fatalf("audit line %d is not JSON: %s", n, line)
		}
		dec := json.NewDecoder(bytes.NewReader(line))
		dec.DisallowUnknownFields()
		var r audit.Record
		if err := dec.Decode(&r); err != nil {
			t.Fatalf("audit line %d: %v: %s", n, err, line)
		}
		records = append(records, r)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return records
}

// checkNoSecrets checks that neither the app secret nor any access token the
// client used appears in the file.
func checkNoSecrets(t *testing.T, a *account, path string) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	tokens := a.front.tokensSeen()
	if len(tokens) == 0 {
		t.Fatal("the client sent no access token: the secrecy check would prove nothing")
	}
	for _, secret := range append(tokens, testSecret) {
		if bytes.Contains(data, []byte(secret)) {
			t.Errorf("%s holds a credential (%d bytes long)", filepath.Base(path), len(secret))
		}
	}
}

// steppingClock advances by step on every reading, so durations and times
// in the audit log are exact without depending on the wall clock.
type steppingClock struct {
	t    time.Time
	step time.Duration
}

func (c *steppingClock) now() time.Time {
	c.t = c.t.Add(c.step)
	return c.t
}

func openAudit(t *testing.T, path string) *audit.Log {
	t.Helper()
	log, err := audit.Open(path, auditToolVersion)
	if err != nil {
		t.Fatal(err)
	}
	return log
}

func closeAudit(t *testing.T, log *audit.Log) {
	t.Helper()
	if err := log.Close(); err != nil {
		t.Fatalf("closing the audit log: %v", err)
	}
}

func stepIndex(i int) *int { return &i }

func TestAuditLogRecordsApply(t *testing.T) {
	a := newAccount(t)
	ds := loadBasic(t)
	ids := a.demoIDs()
	p := a.plan(ds, reconcile.SafetyOptions{})
	path := filepath.Join(t.TempDir(), "audit.log")
	log := openAudit(t, path)
	shanghai := time.FixedZone("CST", 8*60*60)
	clock := &steppingClock{t: time.Date(2025, 3, 1, 16, 0, 0, 0, shanghai), step: 250 * time.Millisecond}

	if _, err := a.apply(p, ds, reconcile.ApplyOptions{Audit: log, Now: clock.now}); err != nil {
		t.Fatalf("Apply: %v", err)
	}
	closeAudit(t, log)

	if !strings.HasPrefix(p.PlanDigest, "sha256:") {
		t.Fatalf("plan checksum %q is not a digest", p.PlanDigest)
	}
	common := audit.Record{AppID: testAppID, ToolVersion: auditToolVersion, PlanDigest: p.PlanDigest}
	rec := func(r audit.Record) audit.Record {
		r.AppID, r.ToolVersion, r.PlanDigest = common.AppID, common.ToolVersion, common.PlanDigest
		return r
	}
	// Each step reads the clock before its intent record, for it, and
	// after its call.
	const stepMS = 500
	intent := func(i int, action plans.Action, endpoint, name, menuID string) audit.Record {
		return rec(audit.Record{Event: "intent", Step: stepIndex(i), Action: action, Endpoint: endpoint, Name: name, MenuIDBefore: menuID})
	}
	want := []audit.Record{
		rec(audit.Record{Event: "apply_start", Steps: 4}),
		intent(0, plans.ActionCreateDefault, "menu/create", "default menu", ""),
		rec(audit.Record{
			Event: "step", Step: stepIndex(0), Action: plans.ActionCreateDefault, Endpoint: "menu/create",
			Name: "default menu", Outcome: plans.OutcomeDone, DurationMS: stepMS,
		}),
		intent(1, plans.ActionAddConditional, "menu/addconditional", "staff", ""),
		rec(audit.Record{
			Event: "step", Step: stepIndex(1), Action: plans.ActionAddConditional, Endpoint: "menu/addconditional",
			Name: "staff", MenuIDAfter: a.menuIDOf("102"), Outcome: plans.OutcomeDone, DurationMS: stepMS,
		}),
		intent(2, plans.ActionDelConditional, "menu/delconditional", p.Steps[2].Name, ids.android),
		rec(audit.Record{
			Event: "step", Step: stepIndex(2), Action: plans.ActionDelConditional, Endpoint: "menu/delconditional",
			Name: p.Steps[2].Name, MenuIDBefore: ids.android, Outcome: plans.OutcomeDone, DurationMS: stepMS,
		}),
		intent(3, plans.ActionDelConditional, "menu/delconditional", p.Steps[3].Name, ids.sex),
		rec(audit.Record{
			Event: "step", Step: stepIndex(3), Action: plans.ActionDelConditional, Endpoint: "menu/delconditional",
			Name: p.Steps[3].Name, MenuIDBefore: ids.sex, Outcome: plans.OutcomeDone, DurationMS: stepMS,
		}),
		rec(audit.Record{Event: "apply_done", Steps: 4, DesiredFile: p.DesiredFile, DesiredDigest: p.DesiredDigest}),
	}
	// apply_done records the account as apply read it back: what drift
	// and restore compare with.
	after, err := a.newClient().GetMenu(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	want[len(want)-1].State, want[len(want)-1].LiveDigest = after, canon.LiveDigest(after)
	records := readAudit(t, path)
	if diff := cmp.Diff(want, records, cmpopts.IgnoreFields(audit.Record{}, "Time"), cmpopts.EquateEmpty()); diff != "" {
		t.Errorf("audit records (-want +got):\n%s", diff)
	}
	for i, r := range records {
		if r.Time.Location() != time.UTC {
			t.Errorf("record %d time %v is not UTC", i, r.Time)
		}
		if i > 0 && !r.Time.After(records[i-1].Time) {
			t.Errorf("record %d time %v is not after record %d's %v", i, r.Time, i-1, records[i-1].Time)
		}
	}
	// The names of deleted live menus describe them for people.
	for _, i := range []int{2, 3} {
		if records[i].Name == "" {
			t.Errorf("record of step %d has no name", i)
		}
	}
	checkNoSecrets(t, a, path)
	if info, err := os.Stat(path); err != nil || info.Mode().Perm()&0o077 != 0 {
		t.Errorf("audit log mode = %v (%v), want no access for group and others", info.Mode(), err)
	}
}

// TestAuditLogFieldNames pins the JSON names of a step line, which scripts
// that read the log rely on.
func TestAuditLogFieldNames(t *testing.T) {
	a := newAccount(t)
	ds := loadBasic(t)
	p := a.plan(ds, reconcile.SafetyOptions{})
	path := filepath.Join(t.TempDir(), "audit.log")
	log := openAudit(t, path)
	clock := &steppingClock{t: planTime, step: time.Second}
	if _, err := a.apply(p, ds, reconcile.ApplyOptions{Audit: log, Now: clock.now}); err != nil {
		t.Fatalf("Apply: %v", err)
	}
	closeAudit(t, log)
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(string(data), "\n"), "\n")
	keysOf := func(line string) []string {
		var m map[string]any
		if err := json.Unmarshal([]byte(line), &m); err != nil {
			t.Fatalf("%v: %s", err, line)
		}
		keys := make([]string, 0, len(m))
		for k := range m {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		return keys
	}
	tests := []struct {
		line int
		want []string
	}{
		{0, []string{"appid", "event", "plan_digest", "steps", "time", "tool_version"}},
		// The first step (create_default) has no menuid on either side.
		{1, []string{"action", "appid", "endpoint", "event", "name", "plan_digest", "step", "time", "tool_version"}},
		{2, []string{"action", "appid", "duration_ms", "endpoint", "event", "name", "outcome", "plan_digest", "step", "time", "tool_version"}},
		{4, []string{"action", "appid", "duration_ms", "endpoint", "event", "menuid_after", "name", "outcome", "plan_digest", "step", "time", "tool_version"}},
		{5, []string{"action", "appid", "endpoint", "event", "menuid_before", "name", "plan_digest", "step", "time", "tool_version"}},
		{6, []string{"action", "appid", "duration_ms", "endpoint", "event", "menuid_before", "name", "outcome", "plan_digest", "step", "time", "tool_version"}},
	}
	for _, tt := range tests {
		if diff := cmp.Diff(tt.want, keysOf(lines[tt.line])); diff != "" {
			t.Errorf("keys of line %d (-want +got):\n%s", tt.line, diff)
		}
	}
	if !strings.Contains(lines[1], `"step":0,`) {
		t.Errorf("the first step's index is not written: %s", lines[1])
	}
}

func TestAuditLogRecordsOverrides(t *testing.T) {
	a := newAccount(t)
	ds := loadBasic(t)
	ds.Conditional = nil // only the default menu: every conditional menu goes

	// The override is needed: without it the plan is blocked.
	live, err := a.client.GetMenu(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if p, err := reconcile.NewPlan(reconcile.LiveRead{Menus: live}, ds, reconcile.PlanOptions{AppID: testAppID}); err == nil && reconcile.BlockedError(p) == nil {
		t.Fatal("deleting every conditional menu was planned without an override")
	}
	p := a.plan(ds, reconcile.SafetyOptions{AllowManyDeletes: true})
	wantOverrides := []string{reconcile.OverrideManyDeletes}
	if diff := cmp.Diff(wantOverrides, p.Overrides); diff != "" {
		t.Fatalf("plan overrides (-want +got):\n%s", diff)
	}

	path := filepath.Join(t.TempDir(), "audit.log")
	log := openAudit(t, path)
	if _, err := a.apply(p, ds, reconcile.ApplyOptions{Audit: log}); err != nil {
		t.Fatalf("Apply: %v", err)
	}
	closeAudit(t, log)
	records := readAudit(t, path)
	if len(records) != 2*len(p.Steps)+2 {
		t.Fatalf("%d records for %d steps, want %d", len(records), len(p.Steps), 2*len(p.Steps)+2)
	}
	for i, r := range records {
		if diff := cmp.Diff(wantOverrides, r.Overrides); diff != "" {
			t.Errorf("record %d (%s) overrides (-want +got):\n%s", i, r.Event, diff)
		}
	}
	checkNoSecrets(t, a, path)
}

func TestAuditLogAppends(t *testing.T) {
	a := newAccount(t)
	path := filepath.Join(t.TempDir(), "audit.log")

	first := loadBasic(t)
	p1 := a.plan(first, reconcile.SafetyOptions{})
	log := openAudit(t, path)
	if _, err := a.apply(p1, first, reconcile.ApplyOptions{Audit: log}); err != nil {
		t.Fatalf("first Apply: %v", err)
	}
	closeAudit(t, log)

	// Changing the staff menu recreates it: one create, one delete.
	second := loadBasic(t)
	second.Conditional[0].Buttons[1].Key = "STAFF_ROTA_V2"
	p2 := a.plan(second, reconcile.SafetyOptions{})
	log = openAudit(t, path)
	if _, err := a.apply(p2, second, reconcile.ApplyOptions{Audit: log}); err != nil {
		t.Fatalf("second Apply: %v", err)
	}
	closeAudit(t, log)

	type line struct{ Event, PlanDigest string }
	var want []line
	for _, ev := range []string{"apply_start", "intent", "step", "intent", "step", "intent", "step", "intent", "step", "apply_done"} {
		want = append(want, line{ev, p1.PlanDigest})
	}
	for _, ev := range []string{"apply_start", "intent", "step", "intent", "step", "apply_done"} {
		want = append(want, line{ev, p2.PlanDigest})
	}
	var got []line
	for _, r := range readAudit(t, path) {
		got = append(got, line{r.Event, r.PlanDigest})
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("audit log after two applies (-want +got):\n%s", diff)
	}
	if p1.PlanDigest == p2.PlanDigest {
		t.Error("the two plans have the same checksum: the test cannot tell them apart")
	}
	checkNoSecrets(t, a, path)
}

func TestAuditLogNil(t *testing.T) {
	var log *audit.Log
	if err := log.Close(); err != nil {
		t.Errorf("closing a nil audit log: %v", err)
	}
}

func TestOpenAuditLogFails(t *testing.T) {
	dir := t.TempDir()
	// A directory cannot be opened for appending.
	if log, err := audit.Open(dir, auditToolVersion); err == nil {
		_ = log.Close()
		t.Fatal("opening a directory as the audit log succeeded")
	}
}

package audit_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/wxmenu/wxmenu/reconcile/audit"
	"github.com/wxmenu/wxmenu/reconcile/plans"
	"github.com/wxmenu/wxmenu/wechat"
)

// TestReadHistory writes applies through the Log, as apply does, and reads
// them back: each apply one entry from its start to its end, its verified
// state kept, an apply cut short by a dead process "unknown".
func TestReadHistory(t *testing.T) {
	path := filepath.Join(t.TempDir(), "audit.jsonl")
	log, err := audit.Open(path, "test")
	if err != nil {
		t.Fatal(err)
	}
	a, b := log.For("shop-a"), log.For("shop-b")
	left := &wechat.MenuSet{Default: &wechat.Menu{Buttons: []wechat.Button{{Type: "click", Name: "Hi", Key: "HI"}}}}
	second := &plans.Plan{AppID: "wxaudit0002", PlanDigest: "sha256:" + strings.Repeat("cd", 32)}
	for _, w := range []struct {
		log *audit.Log
		p   *plans.Plan
		r   audit.Record
	}{
		{a, plan, audit.Record{Event: audit.EventApplyStart, Steps: 1, Provenance: &plans.Provenance{System: "github", Commit: "abc123"}}},
		{b, second, audit.Record{Event: audit.EventApplyStart, Steps: 2}},
		{a, plan, audit.Record{Event: audit.EventApplyDone, Steps: 1, LiveDigest: "sha256:left", State: left}},
		{b, second, audit.Record{Event: audit.EventApplyFailed, Error: "step 2 failed"}},
		{a, plan, audit.Record{Event: audit.EventApplyStart, Steps: 3}},
	} {
		if err := w.log.Record(when, w.p, w.r); err != nil {
			t.Fatal(err)
		}
	}
	if err := log.Close(); err != nil {
		t.Fatal(err)
	}

	h, err := audit.ReadHistory(path)
	if err != nil {
		t.Fatal(err)
	}
	type entry struct {
		Account, AppID, Outcome, Error string
		Steps                          int
		HasState                       bool
	}
	var got []entry
	for _, a := range h {
		got = append(got, entry{a.Account, a.AppID, a.Outcome, a.Error, a.Steps, a.State() != nil})
	}
	want := []entry{
		{"shop-a", "wxaudit0001", audit.OutcomeApplied, "", 1, true},
		{"shop-b", "wxaudit0002", audit.OutcomeFailed, "step 2 failed", 2, false},
		{"shop-a", "wxaudit0001", audit.OutcomeUnknown, "", 3, false},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("history (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(left, h[0].State()); diff != "" {
		t.Errorf("the verified state (-want +got):\n%s", diff)
	}
	if h[0].Provenance == nil || h[0].Provenance.Commit != "abc123" {
		t.Errorf("provenance = %+v, want the apply_start's", h[0].Provenance)
	}
	// IDs are stable across reads and distinct.
	again, _ := audit.ReadHistory(path)
	if h[0].ID != again[0].ID || len(h[0].ID) != 12 || h[0].ID == h[2].ID {
		t.Errorf("ids %q %q %q (again %q): want 12 hex digits, stable and distinct", h[0].ID, h[1].ID, h[2].ID, again[0].ID)
	}
	if h.Find(h[1].ID) != h[1] || h.Find("nope") != nil {
		t.Error("Find does not find by id")
	}
	if h.Last("wxaudit0001") != h[2] || h.Last("wxother") != nil {
		t.Error("Last is not the newest apply of the appid")
	}
}

func TestReadHistoryMissingAndDamaged(t *testing.T) {
	dir := t.TempDir()
	h, err := audit.ReadHistory(filepath.Join(dir, "none.jsonl"))
	if err != nil || len(h) != 0 {
		t.Errorf("a missing log: %v, %v; want an empty history", h, err)
	}
	bad := filepath.Join(dir, "bad.jsonl")
	os.WriteFile(bad, []byte("{\"event\":\"apply_start\"}\nnot json\n"), 0o600)
	if _, err := audit.ReadHistory(bad); err == nil || !strings.Contains(err.Error(), "bad.jsonl:2: not an audit record") {
		t.Errorf("a damaged log: %v; want an error naming line 2", err)
	}
}

// TestIDsSurviveTrimmedHead: rotating or trimming the oldest lines of a log
// keeps the IDs of the applies that remain, so a saved restore plan or a
// note naming an ID still finds its apply.
func TestIDsSurviveTrimmedHead(t *testing.T) {
	path := filepath.Join(t.TempDir(), "audit.jsonl")
	log, err := audit.Open(path, "test")
	if err != nil {
		t.Fatal(err)
	}
	shop := log.For("shop")
	for i := range 3 {
		at := when.Add(time.Duration(i) * time.Hour)
		for _, ev := range []string{audit.EventApplyStart, audit.EventApplyDone} {
			if err := shop.Record(at, plan, audit.Record{Event: ev, Steps: 1}); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := log.Close(); err != nil {
		t.Fatal(err)
	}
	whole, err := audit.ReadHistory(path)
	if err != nil || len(whole) != 3 {
		t.Fatalf("history: %d applies, %v; want 3", len(whole), err)
	}
	data, _ := os.ReadFile(path)
	lines := strings.SplitAfter(string(data), "\n")
	trimmed := filepath.Join(filepath.Dir(path), "trimmed.jsonl")
	os.WriteFile(trimmed, []byte(strings.Join(lines[2:], "")), 0o600) // the first apply's two records gone
	rest, err := audit.ReadHistory(trimmed)
	if err != nil {
		t.Fatal(err)
	}
	ids := func(h audit.History) (s []string) {
		for _, a := range h {
			s = append(s, a.ID)
		}
		return s
	}
	if diff := cmp.Diff(ids(whole)[1:], ids(rest)); diff != "" {
		t.Errorf("IDs after trimming the oldest apply (-before +after):\n%s", diff)
	}
}

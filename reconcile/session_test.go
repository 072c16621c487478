package reconcile_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/wxmenu/wxmenu/reconcile"
	"github.com/wxmenu/wxmenu/reconcile/plans"
)

// TestSessionPlanApplyReplan drives a whole run through a Session, with no
// CLI: plan the example against the demo account, apply it with an audit
// log and a lock, and plan again to find nothing to do.
func TestSessionPlanApplyReplan(t *testing.T) {
	a := newAccount(t)
	ds := loadBasic(t)
	dir := t.TempDir()
	auditPath := filepath.Join(dir, "audit.jsonl")
	log, err := reconcile.OpenAudit(auditPath, "test")
	if err != nil {
		t.Fatal(err)
	}
	defer log.Close()
	s := &reconcile.Session{
		Client: a.client, AppID: testAppID, Account: "demo",
		LockDir: filepath.Join(dir, "locks"), Audit: log,
		ToolVersion: "test", Now: func() time.Time { return planTime },
	}
	ctx := context.Background()
	ids := a.demoIDs()

	planned := s.Plan(ctx, ds, reconcile.PlanOptions{})
	if planned.Status != reconcile.StatusChanges || planned.Err != nil {
		t.Fatalf("Plan: status %s, err %v; want changes", planned.Status, planned.Err)
	}
	if planned.Plan.AppID != testAppID || planned.Plan.ToolVersion != "test" || !planned.Plan.CreatedAt.Equal(planTime) {
		t.Errorf("plan header: appid %q, tool %q, created %v", planned.Plan.AppID, planned.Plan.ToolVersion, planned.Plan.CreatedAt)
	}
	if planned.Plan.PlanDigest == "" {
		t.Error("the session's plan is not sealed")
	}

	applied := s.Apply(ctx, planned.Plan, reconcile.ApplyOptions{Desired: ds})
	if applied.Status != reconcile.StatusApplied || applied.Err != nil {
		t.Fatalf("Apply: status %s, err %v; want applied", applied.Status, applied.Err)
	}
	if diff := cmp.Diff(basicSteps(ids, plans.OutcomeDone), summarize(&applied.Applied)); diff != "" {
		t.Errorf("applied steps (-want +got):\n%s", diff)
	}
	records := readAudit(t, auditPath)
	if len(records) == 0 || records[len(records)-1].Event != "apply_done" || records[0].PlanDigest != planned.Plan.PlanDigest {
		t.Errorf("audit log does not record the applied plan: %+v", records)
	}

	again := s.Plan(ctx, ds, reconcile.PlanOptions{})
	if again.Status != reconcile.StatusNoChanges || again.Plan.HasChanges() {
		t.Errorf("re-plan: status %s, %d steps; want no changes", again.Status, len(again.Plan.Steps))
	}

	// The plan is spent: applying it again is stale, and changes nothing.
	stale := s.Apply(ctx, planned.Plan, reconcile.ApplyOptions{Desired: ds})
	if stale.Status != reconcile.StatusStale || !stale.Unchanged() {
		t.Errorf("second apply: status %s (unchanged %v), want stale", stale.Status, stale.Unchanged())
	}
}

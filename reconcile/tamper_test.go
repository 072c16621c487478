package reconcile_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/wxmenu/wxmenu/reconcile"
	"github.com/wxmenu/wxmenu/reconcile/desired"
	"github.com/wxmenu/wxmenu/reconcile/plans"
	"github.com/wxmenu/wxmenu/wechat"
)

// TestApplyRefusesTamperedPlan edits a saved plan and recomputes its digest
// the way plans does (plans.Seal), so the document is whole and only apply's
// re-derivation can tell. Every edit is refused as stale, before any call
// that changes the account.
func TestApplyRefusesTamperedPlan(t *testing.T) {
	data, err := os.ReadFile("../examples/basic/menus.yaml")
	if err != nil {
		t.Fatal(err)
	}
	// The demo's sex=1 menu is unmanaged here, so the plan keeps it.
	data = append(data, "\nunmanaged:\n  - {sex: \"1\"}\n"...)
	ds, err := desired.Parse("menus.yaml", data)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		edit func(p *plans.Plan, ids demoIDs)
	}{
		{"delete an unmanaged menu", func(p *plans.Plan, ids demoIDs) {
			p.Steps = append(p.Steps, plans.Step{Action: plans.ActionDelConditional, MenuID: ids.sex, ReasonCode: p.Steps[len(p.Steps)-1].ReasonCode})
		}},
		{"delete a protected menu", func(p *plans.Plan, ids demoIDs) {
			p.Steps = append(p.Steps, plans.Step{Action: plans.ActionDelConditional, Name: "vip", MenuID: ids.vip, ReasonCode: p.Steps[len(p.Steps)-1].ReasonCode})
			p.Overrides = append(p.Overrides, reconcile.OverrideProtected)
		}},
		{"add delete_all", func(p *plans.Plan, _ demoIDs) {
			p.Steps = append([]plans.Step{{Action: plans.ActionDeleteAll, ReasonCode: p.Steps[0].ReasonCode}}, p.Steps...)
			p.Overrides = append(p.Overrides, reconcile.OverrideDeleteAll)
		}},
		{"change the buttons of a create", func(p *plans.Plan, _ demoIDs) {
			p.Steps[1].After[0].URL = "https://evil.example.net/"
		}},
		{"drop a step", func(p *plans.Plan, _ demoIDs) { p.Steps = p.Steps[:len(p.Steps)-1] }},
		{"reorder steps", func(p *plans.Plan, _ demoIDs) { p.Steps[0], p.Steps[1] = p.Steps[1], p.Steps[0] }},
		{"add an override", func(p *plans.Plan, _ demoIDs) { p.Overrides = append(p.Overrides, reconcile.OverrideManyDeletes) }},
		// The review a reviewer read beside the same steps.
		{"change what an audience sees after apply", func(p *plans.Plan, _ demoIDs) {
			p.Audiences[0].After.Buttons = []wechat.Button{{Type: "view", Name: "HARMLESS", URL: "https://harmless.example.org/"}}
		}},
		{"drop a warning", func(p *plans.Plan, _ demoIDs) { p.Warnings = p.Warnings[:len(p.Warnings)-1] }},
		{"drop the kept menus", func(p *plans.Plan, _ demoIDs) { p.Kept = nil }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := newAccount(t)
			ids := a.demoIDs()
			p := a.plan(ds, reconcile.SafetyOptions{})
			if slices.ContainsFunc(p.Steps, func(s plans.Step) bool { return s.MenuID == ids.sex }) {
				t.Fatal("the plan deletes the unmanaged menu before any edit")
			}
			// The plan as saved applies; tampering is what is refused.
			edited := tamper(t, p, func(p *plans.Plan) { tt.edit(p, ids) })
			before := a.emu.Menus()
			calls := a.emu.Calls()

			_, err := a.apply(edited, ds, reconcile.ApplyOptions{})
			var stale *reconcile.StaleError
			if !errors.As(err, &stale) {
				t.Fatalf("Apply: %v, want a stale plan", err)
			}
			if got := reconcile.Classify(edited, err, true); got != reconcile.StatusStale {
				t.Errorf("status %s, want stale (exit 3)", got)
			}
			if diff := cmp.Diff(map[string]int{"menu/get": 1}, a.callsSince(calls)); diff != "" {
				t.Errorf("calls (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(before, a.emu.Menus()); diff != "" {
				t.Errorf("the account changed (-before +after):\n%s", diff)
			}
			// The untouched plan still applies.
			if _, err := a.apply(p, ds, reconcile.ApplyOptions{}); err != nil {
				t.Errorf("applying the plan as made: %v", err)
			}
		})
	}
}

// tamper returns a copy of p with edit applied, resealed and read back as
// a saved plan file would be.
func tamper(t *testing.T, p *plans.Plan, edit func(*plans.Plan)) *plans.Plan {
	t.Helper()
	data, err := json.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	var c plans.Plan
	if err := json.Unmarshal(data, &c); err != nil {
		t.Fatal(err)
	}
	edit(&c)
	// A careful forger keeps the document consistent: reasons and quota
	// as plans derives them.
	c.Quota = map[string]int{}
	for i := range c.Steps {
		c.Steps[i].Reason = c.Steps[i].Explain(c.DesiredFile, c.TagNames)
		c.Quota[c.Steps[i].Action.Endpoint()]++
	}
	if err := plans.Seal(&c); err != nil {
		t.Fatal(err)
	}
	read, err := reread(t, &c)
	if err != nil {
		t.Fatalf("the tampered plan is not a valid plan document: %v", err)
	}
	return read
}

// reread is p saved in a plan file and read back, as apply reads it.
func reread(t testing.TB, p *plans.Plan) (*plans.Plan, error) {
	t.Helper()
	f, err := plans.NewFile("", "test", time.Time{}, []plans.AccountPlan{{Plan: p}})
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if err := plans.WriteFile(&buf, f); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "plan.json")
	if err := os.WriteFile(path, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	if f, err = plans.ReadFile(path); err != nil {
		return nil, err
	}
	return f.Single(), nil
}

package plans_test

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/wxmenu/wxmenu/reconcile/internal/plantest"
	"github.com/wxmenu/wxmenu/reconcile/plans"
)

func fleetPlan(t *testing.T) (*plans.FleetPlan, []byte) {
	t.Helper()
	ps := plantest.Plans(t)
	empty := *ps["empty"]
	empty.AppID = "wx00000000000000e2"
	if err := plans.Seal(&empty); err != nil {
		t.Fatal(err)
	}
	f := &plans.FleetPlan{ToolVersion: "test", CreatedAt: plantest.Time, Project: "wxmenu.yaml",
		Accounts: []plans.FleetAccount{{Name: "rich", Plan: ps["rich"]}, {Name: "empty", Plan: &empty}}}
	if err := plans.SealFleet(f); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := plans.WriteFleet(&buf, f); err != nil {
		t.Fatal(err)
	}
	return f, buf.Bytes()
}

func TestFleetPlanRoundTrip(t *testing.T) {
	f, data := fleetPlan(t)
	got, err := plans.ReadFleet(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(f, got); diff != "" {
		t.Errorf("(-written +read):\n%s", diff)
	}
	if !plans.IsFleetDocument(data) || plans.IsFleetDocument(writtenPlan(t, f.Accounts[0].Plan)) {
		t.Error("IsFleetDocument cannot tell the documents apart")
	}
	dir := t.TempDir()
	for name, doc := range map[string][]byte{"fleet.json": data, "single.json": writtenPlan(t, f.Accounts[0].Plan)} {
		os.WriteFile(filepath.Join(dir, name), doc, 0o644)
	}
	if single, fl, err := plans.ReadAnyFile(filepath.Join(dir, "single.json")); err != nil || single == nil || fl != nil {
		t.Errorf("single plan: %v %v %v", single != nil, fl != nil, err)
	}
	if single, fl, err := plans.ReadAnyFile(filepath.Join(dir, "fleet.json")); err != nil || single != nil || fl == nil {
		t.Errorf("fleet plan: %v %v %v", single != nil, fl != nil, err)
	}
}

func TestFleetPlanRefusesEdits(t *testing.T) {
	_, data := fleetPlan(t)
	doc := string(data)
	tests := map[string]struct{ edit, want string }{
		"renamed account": {strings.Replace(doc, `"name": "empty"`, `"name": "other"`, 1), "fleet_digest does not match"},
		"edited step":     {strings.Replace(doc, `"name": "spring-campaign"`, `"name": "autumn"`, 1), "account rich: plan file was edited after it was written, or made by a wxmenu that seals plans differently (plan_digest does not match)"},
		"unknown field":   {strings.Replace(doc, `"project":`, `"extra": 1, "project":`, 1), `unknown field "extra"`},
		"other version":   {strings.Replace(doc, `"fleet_format_version": 1`, `"fleet_format_version": 9`, 1), "fleet plan format version 9 is not supported"},
		"earlier plan":    {strings.Replace(doc, `"format_version": 3`, `"format_version": 2`, 1), "account rich: a plan of format 2, made by an earlier wxmenu; this wxmenu reads plans of format 3"},
		"no digest":       {strings.Replace(doc, `"fleet_digest": "sha256:`, `"fleet_digest": "x`, 1), "fleet_digest does not match"},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			if tt.edit == doc {
				t.Fatal("the edit changed nothing")
			}
			_, err := plans.ReadFleet(strings.NewReader(tt.edit))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %v, want %q", err, tt.want)
			}
		})
	}
	// An account dropped from the list.
	f, _ := fleetPlan(t)
	f.Accounts = f.Accounts[:1]
	var buf bytes.Buffer
	if err := plans.WriteFleet(&buf, f); err == nil {
		t.Error("WriteFleet wrote a fleet plan changed after sealing")
	}
}

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

// projectFile is the saved plan of a project of two accounts, and its
// document.
func projectFile(t *testing.T) (*plans.File, []byte) {
	t.Helper()
	ps := plantest.Plans(t)
	empty := *ps["empty"]
	empty.AppID = "wx00000000000000e2"
	if err := plans.Seal(&empty); err != nil {
		t.Fatal(err)
	}
	f, err := plans.NewFile("wxmenu.yaml", "test", plantest.Time,
		[]plans.AccountPlan{{Name: "rich", Plan: ps["rich"]}, {Name: "empty", Plan: &empty}})
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := plans.WriteFile(&buf, f); err != nil {
		t.Fatal(err)
	}
	return f, buf.Bytes()
}

func readDoc(t *testing.T, doc []byte) (*plans.File, error) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "plan.json")
	if err := os.WriteFile(path, doc, 0o644); err != nil {
		t.Fatal(err)
	}
	return plans.ReadFile(path)
}

func TestPlanFileRoundTrip(t *testing.T) {
	f, data := projectFile(t)
	got, err := readDoc(t, data)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(f, got); diff != "" {
		t.Errorf("(-written +read):\n%s", diff)
	}
	if got.Single() != nil {
		t.Error("a project's plan reads as the plan of one menus file")
	}
	one, err := plans.NewFile("", "test", plantest.Time, []plans.AccountPlan{{Plan: f.Accounts[0].Plan}})
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := plans.WriteFile(&buf, one); err != nil {
		t.Fatal(err)
	}
	read, err := readDoc(t, buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(f.Accounts[0].Plan, read.Single()); diff != "" {
		t.Errorf("the plan of one menus file (-written +read):\n%s", diff)
	}
}

func TestPlanFileRefusesEdits(t *testing.T) {
	_, data := projectFile(t)
	doc := string(data)
	tests := map[string]struct{ edit, want string }{
		"renamed account": {strings.Replace(doc, `"name": "empty"`, `"name": "other"`, 1), "file_digest does not match"},
		"edited step":     {strings.Replace(doc, `"name": "spring-campaign"`, `"name": "autumn"`, 1), "account rich: plan file was edited after it was written, or made by a wxmenu that seals plans differently (plan_digest does not match)"},
		"unknown field":   {strings.Replace(doc, `"project":`, `"extra": 1, "project":`, 1), `unknown field "extra"`},
		"other version":   {strings.Replace(doc, `"format_version": 3`, `"format_version": 9`, 1), "plan format version 9 is not supported"},
		"earlier plan":    {strings.Replace(doc, `"format_version": 3`, `"format_version": 2`, 1), "is a plan of format 2, made by an earlier wxmenu; this wxmenu reads plans of format 3"},
		"earlier project": {`{"kind": "wxmenu-fleet-plan", "fleet_format_version": 1}`, "is a plan of format 2, made by an earlier wxmenu"},
		"no digest":       {strings.Replace(doc, `"file_digest": "sha256:`, `"file_digest": "x`, 1), "file_digest does not match"},
		"hostile name":    {strings.Replace(doc, `"name": "empty"`, `"name": "x\u001b[2J"`, 1), "is not an account name"},
		"no project":      {strings.Replace(doc, `"project": "wxmenu.yaml",`, ``, 1), "a plan of one menus file holds one unnamed account"},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			if tt.edit == doc {
				t.Fatal("the edit changed nothing")
			}
			_, err := readDoc(t, []byte(tt.edit))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %v, want %q", err, tt.want)
			}
		})
	}
	// An account dropped from the list after sealing.
	f, _ := projectFile(t)
	f.Accounts = f.Accounts[:1]
	var buf bytes.Buffer
	if err := plans.WriteFile(&buf, f); err == nil {
		t.Error("WriteFile wrote a plan file changed after sealing")
	}
}

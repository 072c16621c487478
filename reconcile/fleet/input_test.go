package fleet_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/wxmenu/wxmenu/internal/errtext"
	"github.com/wxmenu/wxmenu/reconcile/fleet"
	"github.com/wxmenu/wxmenu/reconcile/plans"
	"github.com/wxmenu/wxmenu/reconcile/project"
)

// TestApplyInput covers what apply works on: a saved project plan (and
// which project file it is checked against), a project found without -f,
// or one account (a nil project).
func TestApplyInput(t *testing.T) {
	tf := newTestFleet(t, 3)
	rep := fleet.Plan(context.Background(), tf.options(t, true))
	fleetPlan := filepath.Join(tf.dir, "fleet-plan.json")
	saved, err := rep.Save(fleetPlan, tf.proj.Path, "test", time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	write := func(name string, w func(*os.File) error) string {
		path := filepath.Join(tf.dir, name)
		f, err := os.Create(path)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		if err := w(f); err != nil {
			t.Fatal(err)
		}
		return path
	}
	singlePlan := write("plan.json", func(f *os.File) error {
		one, err := plans.NewFile("", "test", time.Time{}, []plans.AccountPlan{{Plan: rep.Outcomes[0].Result.Plan}})
		if err != nil {
			return err
		}
		return plans.WriteFile(f, one)
	})
	notPlan := write("notes.txt", func(f *os.File) error { _, err := f.WriteString("not a plan\n"); return err })
	// A copy of the project file elsewhere, as --config may name.
	data, err := os.ReadFile(tf.proj.Path)
	if err != nil {
		t.Fatal(err)
	}
	other := filepath.Join(tf.dir, "other.yaml")
	if err := os.WriteFile(other, data, 0o644); err != nil {
		t.Fatal(err)
	}
	missing := filepath.Join(tf.dir, "missing.yaml")

	tests := []struct {
		name         string
		args         []string
		file, config string
		wantProject  string // the project file loaded, "" for one account
		wantSaved    bool   // the saved project plan is returned
		autoApprove  bool
		wantNotFound string // the project file reported missing
		wantApproval bool   // the input error of a project without --auto-approve
		wantInput    bool   // an input error (*errtext.Error): the plan is not for what the flags name
		wantSingle   bool   // the saved plan of one menus file is returned, read once
	}{
		{name: "a saved project plan: its project", args: []string{fleetPlan}, wantProject: tf.proj.Path, wantSaved: true},
		{name: "a saved project plan with --config: that project", args: []string{fleetPlan}, config: other, wantProject: other, wantSaved: true},
		{name: "a saved project plan with -f: refused", args: []string{fleetPlan}, file: "m.yaml", wantInput: true},
		{name: "a saved project plan, --config missing", args: []string{fleetPlan}, config: missing, wantSaved: true, wantNotFound: missing},
		{name: "a saved plan of one account", args: []string{singlePlan}, wantSaved: true, wantSingle: true},
		{name: "a saved plan of one account with --config: refused", args: []string{singlePlan}, config: other, wantInput: true},
		{name: "an argument that is not a plan", args: []string{notPlan}, config: other},
		{name: "an argument that does not exist", args: []string{missing}, config: other},
		{name: "no argument, --config, --auto-approve", config: other, autoApprove: true, wantProject: other},
		{name: "no argument, --config, no --auto-approve", config: other, wantProject: other, wantApproval: true},
		{name: "no argument, -f wins over --config", file: "m.yaml", config: other},
		{name: "no argument, no project file here"},
		{name: "two arguments, --config: one account's path refuses them", args: []string{fleetPlan, singlePlan}, config: other, autoApprove: true},
	}
	t.Chdir(t.TempDir()) // no wxmenu.yaml here
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, gotSaved, err := fleet.ApplyInput(tt.args, tt.file, tt.config, tt.autoApprove, false)
			ie := (*errtext.Error)(nil)
			isInput := errors.As(err, &ie)
			approval := isInput && ie.Error() == "apply of a project needs --auto-approve or a saved plan"
			if isInput && !approval != tt.wantInput {
				t.Fatalf("error %v, want an input error: %v", err, tt.wantInput)
			} else if tt.wantInput {
				return
			}
			if approval != tt.wantApproval {
				t.Errorf("error %v, want an approval error: %v", err, tt.wantApproval)
			} else if approval {
				err = nil
			}
			if nf := (*project.NotFoundError)(nil); errors.As(err, &nf) {
				if nf.Path != tt.wantNotFound {
					t.Errorf("not found %q, want %q", nf.Path, tt.wantNotFound)
				}
			} else if err != nil || tt.wantNotFound != "" {
				t.Fatalf("error %v, want not found %q", err, tt.wantNotFound)
			}
			gotProject := ""
			if p != nil {
				gotProject = p.Path
			}
			if diff := cmp.Diff(tt.wantProject, gotProject); diff != "" {
				t.Errorf("project (-want +got):\n%s", diff)
			}
			if (gotSaved != nil) != tt.wantSaved {
				t.Errorf("saved plan returned: %v, want %v", gotSaved != nil, tt.wantSaved)
			}
			want := len(saved.Accounts)
			if tt.wantSingle {
				want = 1
			}
			if gotSaved != nil && len(gotSaved.Accounts) != want {
				t.Errorf("saved plan of %d accounts, want %d", len(gotSaved.Accounts), want)
			}
		})
	}
}

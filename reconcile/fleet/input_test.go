package fleet_test

import (
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
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

// TestSelectPatternsAndChangedList covers --account patterns, then the
// accounts whose menus file a --changed-files list names.
func TestSelectPatternsAndChangedList(t *testing.T) {
	dir := t.TempDir()
	p, err := project.Parse(filepath.Join(dir, "wxmenu.yaml"), []byte("accounts:\n"+
		"  - {name: shop, appid: wx1234567890abcdef, file: shop.yaml, secret_env: SHOP_SECRET}\n"+
		"  - {name: brand, appid: wxabcdef1234567890, file: brand.yaml, secret_env: BRAND_SECRET}\n"))
	if err != nil {
		t.Fatal(err)
	}
	list := func(lines string) string {
		path := filepath.Join(t.TempDir(), "changed.txt")
		if err := os.WriteFile(path, []byte(lines), 0o644); err != nil {
			t.Fatal(err)
		}
		return path
	}
	tests := []struct {
		name        string
		patterns    []string
		changedList string
		want        []string
		wantNone    bool
	}{
		{name: "no patterns, no list: every account", want: []string{"shop", "brand"}},
		{name: "a pattern, no list", patterns: []string{"br*"}, want: []string{"brand"}},
		{name: "the list names one menus file", changedList: list("README.md\nbrand.yaml\n"), want: []string{"brand"}},
		{name: "the list names the project file: every account", changedList: list("wxmenu.yaml\n"), want: []string{"shop", "brand"}},
		{name: "the list names no menus file", changedList: list("README.md\n\n"), wantNone: true},
		{name: "the list names a file of an account not selected", patterns: []string{"shop"}, changedList: list("brand.yaml\n"), wantNone: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var notices strings.Builder
			accounts, ok, err := fleet.Select(p, tt.patterns, tt.changedList, dir, &notices)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, a := range accounts {
				got = append(got, a.Name)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("accounts (-want +got):\n%s", diff)
			}
			if ok == tt.wantNone || (notices.Len() > 0) != tt.wantNone {
				t.Errorf("ok = %v, notice %q; want ok %v and a notice only when the list touches none", ok, notices.String(), !tt.wantNone)
			}
		})
	}

	if _, _, err := fleet.Select(p, []string{"nope"}, "", dir, io.Discard); err == nil {
		t.Error("a pattern matching no account selected some")
	}
	if _, _, err := fleet.Select(p, nil, filepath.Join(dir, "missing.txt"), dir, io.Discard); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a missing changed-files list: %v, want not exist", err)
	}
}

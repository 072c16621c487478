package cmdline

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/wxmenu/wxmenu/reconcile"
	"github.com/wxmenu/wxmenu/reconcile/fleet"
	"github.com/wxmenu/wxmenu/reconcile/plans"
	"github.com/wxmenu/wxmenu/reconcile/project"
	"github.com/wxmenu/wxmenu/reconcile/render"
	"github.com/wxmenu/wxmenu/wechat"
)

// sealedPlan is a plan for appID that passes plans' checks: with
// changes, one step that creates the default menu; else none.
func sealedPlan(t *testing.T, appID string, changes bool) *plans.Plan {
	t.Helper()
	digest := "sha256:" + strings.Repeat("0", 64)
	p := &plans.Plan{FormatVersion: plans.FormatVersion, AppID: appID, DesiredFile: "accounts/x.yaml", DesiredDigest: digest, LiveDigest: digest,
		Quota: map[string]int{}}
	if changes {
		p.Steps = []plans.Step{{Action: plans.ActionCreateDefault, ReasonCode: plans.ReasonNew, Reason: "new",
			After: []wechat.Button{{Type: "click", Name: "Shop", Key: "shop"}}}}
		p.Quota[plans.ActionCreateDefault.Endpoint()] = 1
	}
	if err := plans.Seal(p); err != nil {
		t.Fatal(err)
	}
	return p
}

// planned is a fleet report of two accounts that were planned: shop has
// changes, brand none.
func planned(t *testing.T) *fleet.Report {
	return &fleet.Report{Outcomes: []fleet.Outcome{
		{Name: "shop", AppID: "wx1234567890abcdef", File: "accounts/shop.yaml", Result: &reconcile.Result{Status: reconcile.StatusChanges,
			Plan: sealedPlan(t, "wx1234567890abcdef", true)}},
		{Name: "brand", AppID: "wxabcdef1234567890", File: "accounts/brand.yaml", Result: &reconcile.Result{Status: reconcile.StatusNoChanges,
			Plan: sealedPlan(t, "wxabcdef1234567890", false)}},
	}}
}

// TestFleetViewShow checks that --format picks the renderer of a fleet
// report (text unless json or markdown) and where markdown goes.
func TestFleetViewShow(t *testing.T) {
	rep := planned(t)
	var text, js, md bytes.Buffer
	if err := render.FleetText(&text, rep, render.Options{}); err != nil {
		t.Fatal(err)
	}
	if err := render.FleetJSON(&js, rep, render.Options{}); err != nil {
		t.Fatal(err)
	}
	if _, err := render.WriteFleetMarkdown(&md, rep, render.Options{}, ""); err != nil {
		t.Fatal(err)
	}
	if text.String() == js.String() || text.String() == md.String() || js.String() == md.String() {
		t.Fatal("the renderers print alike: nothing tells them apart")
	}
	dir := t.TempDir()
	mdDir := filepath.Join(dir, "md")
	blocked := filepath.Join(dir, "file")
	if err := os.WriteFile(blocked, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	type result struct{ Stdout, Stderr, Exit string }
	tests := []struct {
		name string
		view FleetView
		want result
	}{
		{"text", FleetView{Format: "text"}, result{Stdout: text.String(), Exit: "exit 0"}},
		{"no format", FleetView{}, result{Stdout: text.String(), Exit: "exit 0"}},
		{"text, --detailed-exitcode", FleetView{Format: "text", Detailed: true}, result{Stdout: text.String(), Exit: "exit 2, has changes"}},
		{"json", FleetView{Format: "json"}, result{Stdout: js.String(), Exit: "exit 0"}},
		{"markdown", FleetView{Format: "markdown"}, result{Stdout: md.String(), Exit: "exit 0"}},
		{"markdown to a directory", FleetView{Format: "markdown", MarkdownDir: mdDir},
			result{Stderr: "wxmenu: wrote 1 comment parts to " + mdDir + "\n", Exit: "exit 0"}},
		// As printed today: UnwrapPathError keeps only the reason.
		{"markdown to a directory that cannot be made", FleetView{Format: "markdown", MarkdownDir: filepath.Join(blocked, "md")},
			result{Exit: "exit 1: not a directory"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			v := tt.view
			v.Stdout, v.Stderr = &stdout, &stderr
			got := result{Exit: exitOf(v.Show(rep))}
			got.Stdout, got.Stderr = stdout.String(), stderr.String()
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
	part, err := os.ReadFile(filepath.Join(mdDir, "plan-part-1.md"))
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(md.String(), string(part)); diff != "" {
		t.Errorf("the comment part (-want +got):\n%s", diff)
	}
}

// TestFleetViewShowPlan checks --out of a fleet plan: saved when every
// account was planned, otherwise shown and refused.
func TestFleetViewShowPlan(t *testing.T) {
	rep := planned(t)
	failed := &fleet.Report{Outcomes: append(planned(t).Outcomes,
		fleet.Outcome{Name: "client", AppID: "wx0123456789abcdef", File: "accounts/client.yaml", Result: reconcile.Failed(nil, errors.New("it failed"))})}
	shown := func(rep *fleet.Report, globals ...string) string {
		var b bytes.Buffer
		if err := render.FleetText(&b, rep, render.Options{Globals: globals, Project: "wxmenu.yaml"}); err != nil {
			t.Fatal(err)
		}
		return b.String()
	}
	dir := t.TempDir()
	type result struct {
		Stdout, Stderr, Exit string
		Saved                []string // the accounts of the saved plan
	}
	spaced := filepath.Join(dir, "my plans", "plan.json")
	if err := os.Mkdir(filepath.Dir(spaced), 0o755); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		rep     *fleet.Report
		out     string
		globals []string
		want    result
	}{
		{"no --out", rep, "", nil, result{Stdout: shown(rep), Exit: "exit 0"}},
		{"--out", rep, filepath.Join(dir, "plan.json"), nil, result{Stdout: shown(rep), Exit: "exit 0", Saved: []string{"shop", "brand"},
			Stderr: "wxmenu: plan of 2 accounts saved to " + filepath.Join(dir, "plan.json") + "; apply it with: wxmenu apply " + filepath.Join(dir, "plan.json") + "\n"}},
		// The command it prints runs as written: the sandbox flag repeated,
		// the path quoted.
		{"--out a path with a space, in the sandbox", rep, spaced, []string{"--sandbox"}, result{Stdout: shown(rep, "--sandbox"), Exit: "exit 0", Saved: []string{"shop", "brand"},
			Stderr: "wxmenu: plan of 2 accounts saved to " + spaced + "; apply it with: wxmenu --sandbox apply '" + spaced + "'\n"}},
		{"--out with an account that failed", failed, filepath.Join(dir, "failed.json"), nil, result{Stdout: shown(failed),
			Exit: "exit 1: the plan was not saved: client could not be planned"}},
		{"--out to a directory that is missing", rep, filepath.Join(dir, "missing", "plan.json"), nil, result{Stdout: shown(rep),
			Exit: "exit 1: writing " + filepath.Join(dir, "missing", "plan.json") + ": no such file or directory"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			v := FleetView{Stdout: &stdout, Stderr: &stderr, Format: "text", Globals: tt.globals}
			got := result{Exit: exitOf(v.ShowPlan(tt.rep, "wxmenu.yaml", tt.out, time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)))}
			got.Stdout, got.Stderr = stdout.String(), stderr.String()
			if tt.out != "" {
				if f, err := os.Open(tt.out); err == nil {
					saved, err := plans.ReadFile(f.Name())
					f.Close()
					if err != nil {
						t.Fatal(err)
					}
					for _, a := range saved.Accounts {
						got.Saved = append(got.Saved, a.Name)
					}
				}
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

// TestFleetAccounts covers which accounts a fleet command runs on, and
// that a --changed-files list touching none of them runs nothing.
func TestFleetAccounts(t *testing.T) {
	dir := t.TempDir()
	p := &project.Project{Path: filepath.Join(dir, "wxmenu.yaml"), Dir: dir, Accounts: []project.Account{
		{Name: "shop", File: "accounts/shop.yaml", Path: filepath.Join(dir, "accounts", "shop.yaml")},
		{Name: "brand", File: "accounts/brand.yaml", Path: filepath.Join(dir, "accounts", "brand.yaml")},
	}}
	list := func(name, text string) string {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return path
	}
	brandOnly := list("brand.txt", "accounts/brand.yaml\n")
	none := list("none.txt", "README.md\n")
	type result struct {
		Accounts []string
		Run      bool
		Stderr   string
		Err      string
	}
	tests := []struct {
		name     string
		patterns []string
		changed  string
		want     result
	}{
		{"every account", nil, "", result{Accounts: []string{"shop", "brand"}, Run: true}},
		{"--account", []string{"b*"}, "", result{Accounts: []string{"brand"}, Run: true}},
		{"--changed-files", nil, brandOnly, result{Accounts: []string{"brand"}, Run: true}},
		{"--changed-files touching none", nil, none, result{Stderr: "wxmenu: no account's menus file is listed in " + none +
			" (its paths read relative to the working directory " + dir + ", as no git repository holds " + p.Path + "): nothing to do\n"}},
		{"--account and --changed-files touching none of those", []string{"shop"}, brandOnly,
			result{Stderr: "wxmenu: no selected account's menus file is listed in " + brandOnly +
				" (its paths read relative to the working directory " + dir + ", as no git repository holds " + p.Path + "): nothing to do\n"}},
		{"--account matching none", []string{"x*"}, "", result{Err: `--account "x*" matches no account of the project` + "\nhint: the accounts are: shop, brand"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stderr bytes.Buffer
			accounts, run, err := FleetAccounts(&stderr, p, tt.patterns, tt.changed, dir)
			got := result{Run: run, Stderr: stderr.String(), Err: describe(err)}
			for _, a := range accounts {
				got.Accounts = append(got.Accounts, a.Name)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestFleetApplyAccounts(t *testing.T) {
	selected := []project.Account{{Name: "shop"}, {Name: "brand"}}
	names := func(accounts []project.Account) []string {
		var s []string
		for _, a := range accounts {
			s = append(s, a.Name)
		}
		return s
	}
	type result struct {
		Accounts []string
		Err      string
	}
	tests := []struct {
		name  string
		saved *plans.File
		want  result
	}{
		{"no saved plan: the selected accounts", nil, result{Accounts: []string{"shop", "brand"}}},
		{"a saved plan: those it covers", &plans.File{Accounts: []plans.AccountPlan{{Name: "brand"}}}, result{Accounts: []string{"brand"}}},
		{"a saved plan of none of them", &plans.File{Accounts: []plans.AccountPlan{{Name: "other"}}},
			result{Err: "the saved plan covers none of the selected accounts"}},
	}
	for _, tt := range tests {
		accounts, err := FleetApplyAccounts(selected, tt.saved)
		got := result{Accounts: names(accounts), Err: describe(err)}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tt.name, diff)
		}
	}
}

// TestFleetExport checks that --bootstrap-platform is what asks the
// platform for its authorizers; the project has no account, so nothing
// is read or written.
func TestFleetExport(t *testing.T) {
	var none bytes.Buffer
	render.FleetExport(&none, &none, nil)
	unlisted := errors.New("the platform lists no authorizers today")
	tests := []struct {
		name        string
		bootstrap   bool
		authorizers func(context.Context) ([]wechat.Authorizer, error)
		globals     []string
		want        string // stdout, stderr, exit
	}{
		{"the project's accounts", false, func(context.Context) ([]wechat.Authorizer, error) { return nil, unlisted }, nil, none.String() + "|exit 0"},
		{"the platform's authorizers", true, func(context.Context) ([]wechat.Authorizer, error) { return nil, unlisted }, nil, "|exit 1: " + unlisted.Error()},
		{"no authorizers", true, func(context.Context) ([]wechat.Authorizer, error) { return nil, nil }, nil,
			none.String() + "wxmenu: wxmenu.yaml lists 0 accounts; check them with: wxmenu plan --config wxmenu.yaml\n|exit 0"},
		{"no authorizers, in the sandbox", true, func(context.Context) ([]wechat.Authorizer, error) { return nil, nil }, []string{"--sandbox"},
			none.String() + "wxmenu: wxmenu.yaml lists 0 accounts; check them with: wxmenu --sandbox plan --config wxmenu.yaml\n|exit 0"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out bytes.Buffer
			p := &project.Project{Path: "wxmenu.yaml", Dir: t.TempDir()}
			err := FleetExport(context.Background(), &out, &out, p, fleet.Options{Authorizers: tt.authorizers}, tt.bootstrap, tt.globals)
			if diff := cmp.Diff(tt.want, out.String()+"|"+exitOf(err)); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestExitForProblems(t *testing.T) {
	var got []string
	for _, n := range []int{0, 1, 3} {
		got = append(got, exitOf(ExitForProblems(n)))
	}
	if diff := cmp.Diff([]string{"exit 0", "exit 1, reported above", "exit 1, reported above"}, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

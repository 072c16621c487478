package fleet_test

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
	"github.com/wxmenu/wxmenu/reconcile/desired"
	"github.com/wxmenu/wxmenu/reconcile/fleet"
	"github.com/wxmenu/wxmenu/reconcile/plans"
	"github.com/wxmenu/wxmenu/reconcile/project"
	"github.com/wxmenu/wxmenu/wechat"
)

// describe is an error as people read it: message and hint.
func describe(err error) string {
	if err == nil {
		return ""
	}
	s := err.Error()
	if h := (interface{ ErrorHint() string })(nil); errors.As(err, &h) && h.ErrorHint() != "" {
		s += "\nhint: " + h.ErrorHint()
	}
	return s
}

// TestSelect covers which accounts a project command runs on, and that a
// --changed-files list touching none of them runs nothing.
func TestSelect(t *testing.T) {
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
			accounts, run, err := fleet.Select(p, tt.patterns, tt.changed, dir, &stderr)
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

func TestPlannedAccounts(t *testing.T) {
	selected := []project.Account{{Name: "shop"}, {Name: "brand"}}
	type result struct {
		Accounts []string
		Err      string
	}
	tests := []struct {
		name  string
		saved *plans.File
		want  result
	}{
		{"those it covers", &plans.File{Accounts: []plans.AccountPlan{{Name: "brand"}}}, result{Accounts: []string{"brand"}}},
		{"none of them", &plans.File{Accounts: []plans.AccountPlan{{Name: "other"}}}, result{Err: "the saved plan covers none of the selected accounts"}},
		{"the one account of a menus file", &plans.File{Accounts: []plans.AccountPlan{{}}}, result{Err: "the saved plan covers none of the selected accounts"}},
	}
	for _, tt := range tests {
		accounts, err := fleet.PlannedAccounts(nil, selected, tt.saved)
		got := result{Err: describe(err)}
		for _, a := range accounts {
			got.Accounts = append(got.Accounts, a.Name)
		}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tt.name, diff)
		}
	}
	if got, err := fleet.PlannedAccounts(nil, []project.Account{{AppID: "wx1"}}, &plans.File{Accounts: []plans.AccountPlan{{}}}); err != nil || len(got) != 1 {
		t.Errorf("the account of a menus file and its plan: %v, %v", got, err)
	}
}

// TestApplyFile covers what apply on one menus file works on.
func TestApplyFile(t *testing.T) {
	dir := t.TempDir()
	digest := "sha256:" + strings.Repeat("0", 64)
	saved := &plans.Plan{FormatVersion: plans.FormatVersion, AppID: "wx1234567890abcdef", DesiredFile: "menus.yaml", DesiredDigest: digest, LiveDigest: digest}
	if err := plans.Seal(saved); err != nil {
		t.Fatal(err)
	}
	file, err := plans.NewFile("", "test", time.Time{}, []plans.AccountPlan{{Plan: saved}})
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := plans.WriteFile(&buf, file); err != nil {
		t.Fatal(err)
	}
	planFile := filepath.Join(dir, "plan.json")
	if err := os.WriteFile(planFile, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	missing := filepath.Join(dir, "missing.json")
	_, unreadable := plans.ReadFile(missing) // passed on as plans words it
	if unreadable == nil {
		t.Fatal("plans.ReadFile read a missing file")
	}
	type result struct {
		Saved bool   // a saved plan was read
		File  string // the desired-state file
		Err   string
	}
	tests := []struct {
		name                     string
		args                     []string
		file                     string
		autoApprove, interactive bool
		want                     result
	}{
		{name: "a saved plan: its file, no confirmation", args: []string{planFile}, want: result{Saved: true, File: "menus.yaml"}},
		{name: "a saved plan with -f: that file", args: []string{planFile}, file: "other.yaml", want: result{Saved: true, File: "other.yaml"}},
		{name: "a saved plan that cannot be read", args: []string{missing}, want: result{Err: describe(unreadable)}},
		{name: "two arguments", args: []string{planFile, "more"}, want: result{Err: "apply takes one plan file, got 2 arguments\nhint: flags go before PLAN.json"}},
		{name: "a flag after the plan", args: []string{"--auto-approve"}, want: result{Err: "unexpected flag \"--auto-approve\"\nhint: flags go before PLAN.json"}},
		{name: "nothing", want: result{Err: "nothing to apply\nhint: make a plan (wxmenu plan -f menus.yaml --out plan.json), review it and apply it (wxmenu apply plan.json), or plan and apply in one go (wxmenu apply -f menus.yaml)"}},
		{name: "-f with --auto-approve", file: "m.yaml", autoApprove: true, want: result{File: "m.yaml"}},
		{name: "-f on a terminal: it asks", file: "m.yaml", interactive: true, want: result{File: "m.yaml"}},
		{name: "-f with no one to ask", file: "m.yaml", want: result{
			Err: "apply -f needs confirmation, and standard input is not a terminal\nhint: pass --auto-approve to apply without a question, or apply a saved plan"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, file, err := fleet.ApplyFile(tt.args, nil, tt.file, tt.autoApprove, tt.interactive)
			got := result{Saved: f != nil, File: file, Err: describe(err)}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
			if f != nil && f.Single().PlanDigest != saved.PlanDigest {
				t.Errorf("read plan %s, want %s", f.Single().PlanDigest, saved.PlanDigest)
			}
		})
	}
}

// TestValidate covers what validate decides, not desired's wording: a file
// is valid when it loads and is within the conditional-menu cap, and only
// a valid file has warnings (here: a name the phone cuts off).
func TestValidate(t *testing.T) {
	dir := t.TempDir()
	file := func(name, src string) string {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
		return path
	}
	long := file("long.yaml", "default:\n  button:\n    - {type: click, name: 会员专享服, key: A}\n")
	two := file("two.yaml", "default:\n  button:\n    - {type: click, name: 会员专享服, key: A}\n"+
		"conditional:\n"+
		"  - {name: a, matchrule: {tag_id: \"1\"}, button: [{type: click, name: A, key: A}]}\n"+
		"  - {name: b, matchrule: {tag_id: \"2\"}, button: [{type: click, name: 会员专享服, key: B}]}\n")
	typo := file("typo.yaml", "defualt:\n  button: []\n")
	type result struct {
		Valid       bool
		Warnings    int
		Diagnostics int // located problems of an invalid file
		Err         bool
	}
	tests := []struct {
		name           string
		file           string
		maxConditional int
		want           result
	}{
		{"a valid file with a name the phone cuts off", long, 0, result{Valid: true, Warnings: 1}},
		{"within the cap", two, 2, result{Valid: true, Warnings: 2}},
		{"the default cap", two, 0, result{Valid: true, Warnings: 2}},
		{"over the cap: invalid, no warnings", two, 1, result{Diagnostics: 1, Err: true}},
		{"a typo", typo, 0, result{Diagnostics: 1, Err: true}},
		{"a missing file", filepath.Join(dir, "missing.yaml"), 0, result{Err: true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := fleet.Validate(context.Background(), []project.Account{{Name: "a", Path: tt.file}}, tt.maxConditional)[0]
			got := result{Valid: c.State != nil, Warnings: len(c.Warnings), Err: c.Err != nil}
			if diags := (desired.Diagnostics)(nil); errors.As(c.Err, &diags) {
				got.Diagnostics = len(diags)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

// TestSave covers plan --out of a run: saved when every account was
// planned, refused otherwise, and a file that cannot be written named.
func TestSave(t *testing.T) {
	tf := newTestFleet(t, 2)
	rep := fleet.Plan(context.Background(), tf.options(t, true))
	dir := t.TempDir()
	out := filepath.Join(dir, "plan.json")
	saved, err := rep.Save(out, tf.proj.Path, "test", time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	read, err := plans.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if read.FileDigest != saved.FileDigest || len(read.Accounts) != 2 || read.Accounts[0].Name != "acct-01" {
		t.Errorf("saved %+v", read)
	}
	failed := &fleet.Report{Outcomes: append(rep.Outcomes, fleet.Outcome{Name: "client", Result: reconcile.Failed(nil, errors.New("it failed"))})}
	if _, err := failed.Save(filepath.Join(dir, "failed.json"), tf.proj.Path, "test", time.Now()); describe(err) != "the plan was not saved: client could not be planned" {
		t.Errorf("a run with an account that failed: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "failed.json")); err == nil {
		t.Error("a refused plan was written")
	}
	missing := filepath.Join(dir, "missing", "plan.json")
	if _, err := rep.Save(missing, tf.proj.Path, "test", time.Now()); describe(err) != "writing "+missing+": no such file or directory" {
		t.Errorf("a directory that is missing: %v", err)
	}
}

// TestRunOfOneAccount runs the one account of a menus file through the
// runner as apply -f does: the plan is shown before anything is applied,
// asked about once, applied on its one read and followed step by step.
func TestRunOfOneAccount(t *testing.T) {
	tf := newTestFleet(t, 3)
	ctx := context.Background()
	opts := tf.options(t, false)
	opts.Accounts = opts.Accounts[:1]
	opts.Accounts[0].Name = ""
	var got []string
	opts.Show = func(rep *fleet.Report) { got = append(got, "show "+string(rep.Outcomes[0].Result.Status)) }
	opts.Confirm = func(*fleet.Report) bool { got = append(got, "asked"); return false }
	opts.Progress = func(_ project.Account, ev reconcile.ProgressEvent) { got = append(got, "step") }
	rep := fleet.Apply(ctx, opts, nil)
	if diff := cmp.Diff([]string{"show changes", "asked"}, got); diff != "" {
		t.Errorf("declined (-want +got):\n%s", diff)
	}
	if r := rep.Outcomes[0].Result; r.Status != reconcile.StatusDeclined || len(tf.rec.Effects()) != 0 {
		t.Errorf("declined: %s, %d calls took effect", r.Status, len(tf.rec.Effects()))
	}
	got, opts.Confirm = nil, nil
	rep = fleet.Apply(ctx, opts, nil)
	r := rep.Outcomes[0].Result
	if r.Status != reconcile.StatusApplied || r.Applied.Reads != 1 {
		t.Errorf("applied: %s with %d reads of its own, want applied with 1 (the check after)", r.Status, r.Applied.Reads)
	}
	if len(got) != 1+2*len(r.Plan.Steps) || got[0] != "show changes" {
		t.Errorf("shown and followed: %q", got)
	}
	// A plan for another account is refused before the account is read.
	tf.emu.Account("wx0000000000000001").SeedMenus(wechat.MenuSet{})
	plan := fleet.Plan(ctx, opts).Outcomes[0].Result.Plan
	saved, err := plans.NewFile("", "test", time.Time{}, []plans.AccountPlan{{Plan: plan}})
	if err != nil {
		t.Fatal(err)
	}
	other := opts
	other.Accounts = []project.Account{{AppID: "wx0000000000000002", File: opts.Accounts[0].File, Path: opts.Accounts[0].Path, Platform: true}}
	if r := fleet.Apply(ctx, other, saved).Outcomes[0].Result; r.Status != reconcile.StatusStale ||
		r.Err.Error() != "plan is stale: the plan is for account wx0000000000000001, not wx0000000000000002" {
		t.Errorf("a plan for another account: %s %v", r.Status, r.Err)
	}
}

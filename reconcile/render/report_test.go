package render_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/wxmenu/wxmenu/reconcile"
	"github.com/wxmenu/wxmenu/reconcile/fleet"
	"github.com/wxmenu/wxmenu/reconcile/internal/plantest"
	"github.com/wxmenu/wxmenu/reconcile/plans"
	"github.com/wxmenu/wxmenu/reconcile/project"
	"github.com/wxmenu/wxmenu/reconcile/render"
)

// TestReportPicksTheRenderer checks that one function shows every run:
// a project's report in its --format (text unless json, html or markdown,
// which goes to a directory when asked), and the one account of a menus
// file with the single-account renderers: its plan in the format, or
// after apply the summary (text) or the result document (json).
func TestReportPicksTheRenderer(t *testing.T) {
	rep := fleetReport(t)
	project := render.Options{Project: "wxmenu.yaml"}
	rendered := func(f func(*bytes.Buffer) error) string {
		var b bytes.Buffer
		if err := f(&b); err != nil {
			t.Fatal(err)
		}
		return b.String()
	}
	text := rendered(func(b *bytes.Buffer) error { return render.FleetText(b, rep, project) })
	js := rendered(func(b *bytes.Buffer) error { return render.FleetJSON(b, rep, project) })
	html := rendered(func(b *bytes.Buffer) error { return render.FleetHTML(b, rep, project) })
	md := rendered(func(b *bytes.Buffer) error { _, err := render.WriteFleetMarkdown(b, rep, project, ""); return err })
	plan := plantest.Plans(t)["rich"]
	one := &fleet.Report{Outcomes: []fleet.Outcome{{AppID: plan.AppID, File: plan.DesiredFile, Result: &reconcile.Result{Status: reconcile.StatusChanges, Plan: plan}}}}
	planText := rendered(func(b *bytes.Buffer) error { return render.Text(b, plan, render.Options{}) })
	planJSON := rendered(func(b *bytes.Buffer) error { return plans.Show(b, plan) })
	applied := &fleet.Report{Applying: true, Outcomes: []fleet.Outcome{{Result: &reconcile.Result{Status: reconcile.StatusApplied, Plan: plan}}}}
	summary := rendered(func(b *bytes.Buffer) error { render.ApplySummary(b, nil, applied.Outcomes[0].Result); return nil })
	document := rendered(func(b *bytes.Buffer) error { return render.ApplyJSON(b, applied.Outcomes[0].Result) })
	failed := &fleet.Report{Outcomes: []fleet.Outcome{{Result: reconcile.Failed(nil, context.Canceled)}}}
	if len(map[string]bool{text: true, js: true, html: true, md: true, planText: true, planJSON: true, summary: true, document: true}) != 8 {
		t.Fatal("the renderers print alike: nothing tells them apart")
	}
	dir := t.TempDir()
	mdDir := filepath.Join(dir, "md")
	tests := []struct {
		name, format string
		rep          *fleet.Report
		opts         render.Options
		dir          string
		want         [2]string // stdout, stderr
	}{
		{"a project, text", "text", rep, project, "", [2]string{text, ""}},
		{"a project, json", "json", rep, project, "", [2]string{js, ""}},
		{"a project, html", "html", rep, project, "", [2]string{html, ""}},
		{"a project, markdown", "markdown", rep, project, "", [2]string{md, ""}},
		{"a project, markdown to a directory", "markdown", rep, project, mdDir, [2]string{"", "wxmenu: wrote 1 comment parts to " + mdDir + "\n"}},
		{"a menus file, text", "text", one, render.Options{}, "", [2]string{planText, ""}},
		{"a menus file, json", "json", one, render.Options{}, "", [2]string{planJSON, ""}},
		{"a menus file with no plan", "text", failed, render.Options{}, "", [2]string{"", ""}},
		{"apply of a menus file, text", "text", applied, render.Options{}, "", [2]string{summary, ""}},
		{"apply of a menus file, json", "json", applied, render.Options{}, "", [2]string{document, ""}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			if err := render.Report(&stdout, &stderr, tt.rep, tt.format, tt.opts, tt.dir); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, [2]string{stdout.String(), stderr.String()}); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
	part, err := os.ReadFile(filepath.Join(mdDir, "plan-part-1.md"))
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(md, string(part)); diff != "" {
		t.Errorf("the comment part (-want +got):\n%s", diff)
	}
	blocked := filepath.Join(dir, "file")
	if err := os.WriteFile(blocked, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := render.Report(&bytes.Buffer{}, &bytes.Buffer{}, rep, "markdown", project, filepath.Join(blocked, "md")); err == nil || !strings.Contains(err.Error(), "not a directory") {
		t.Errorf("markdown to a directory that cannot be made: %v", err)
	}
}

// TestApplying checks what apply on a menus file shows as it runs: the
// plan it made (none for a saved plan), then the steps.
func TestApplying(t *testing.T) {
	plan := &plans.Plan{FormatVersion: plans.FormatVersion, AppID: "wx1234567890abcdef", DesiredFile: "menus.yaml"}
	var planText bytes.Buffer
	if err := render.Text(&planText, plan, render.Options{Applying: true}); err != nil {
		t.Fatal(err)
	}
	done := reconcile.ProgressEvent{Index: 0, Total: 2, Result: &reconcile.StepResult{Outcome: plans.OutcomeDone}}
	var doneText bytes.Buffer
	render.Progress(&doneText, nil, done, false)
	rep := &fleet.Report{Outcomes: []fleet.Outcome{{Result: &reconcile.Result{Status: reconcile.StatusChanges, Plan: plan}}}}
	a := project.Account{AppID: plan.AppID}
	for _, saved := range []bool{false, true} {
		var out bytes.Buffer
		var opts fleet.Options
		render.Applying(&opts, &out, nil, false, saved)
		if (opts.Show == nil) != saved {
			t.Fatalf("saved %v: Show set %v", saved, opts.Show != nil)
		}
		if opts.Show != nil {
			opts.Show(rep)
			if diff := cmp.Diff(planText.String(), out.String()); diff != "" {
				t.Errorf("the plan shown (-want +got):\n%s", diff)
			}
			out.Reset()
		}
		opts.Progress(a, reconcile.ProgressEvent{Index: 0, Total: 2}) // before the first step
		opts.Progress(a, done)
		opts.Progress(a, reconcile.ProgressEvent{Index: 1, Total: 2}) // before the second
		if diff := cmp.Diff("\nApplying 2 steps to account wx1234567890abcdef\n"+doneText.String(), out.String()); diff != "" {
			t.Errorf("saved %v: the steps (-want +got):\n%s", saved, diff)
		}
	}
}

// TestExportOfOneAccount covers export --out of a menus file's account
// over what exists: a file or a directory, each with a hint that runs as
// written; any other failure is worded as apply's results are.
func TestExportOfOneAccount(t *testing.T) {
	dir := t.TempDir()
	notes := filepath.Join(dir, "my notes.txt")
	for _, f := range []string{notes, filepath.Join(dir, "exported.yaml")} {
		if err := os.WriteFile(f, nil, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	describe := func(err error) string {
		if h, ok := err.(interface{ ErrorHint() string }); ok && h.ErrorHint() != "" {
			return err.Error() + "\nhint: " + h.ErrorHint()
		}
		return err.Error()
	}
	tests := []struct {
		out  string
		err  error
		want string
	}{
		{notes, &fleet.ExistsError{File: notes}, "--out " + notes + " exists; export leaves it as it is\nhint: export to a new file (wxmenu export --out " +
			filepath.Join(dir, "exported-2.yaml") + "), or add --force to replace '" + notes + "'"},
		{dir, &fleet.ExistsError{File: dir}, "--out " + dir + " is a directory\nhint: name a file, e.g. --out " + filepath.Join(dir, "menus.yaml")},
		{notes, &reconcile.ReadError{Err: context.Canceled}, "interrupted while reading the account; nothing was changed"},
	}
	for _, tt := range tests {
		var stdout, stderr bytes.Buffer
		n, err := render.FleetExport(&stdout, &stderr, []fleet.Exported{{File: tt.out, Err: tt.err}})
		if n != 0 || err == nil || stdout.Len()+stderr.Len() > 0 {
			t.Fatalf("%s, %v: %d failed, %v, printed %q %q; want the error returned, nothing printed", tt.out, tt.err, n, err, stdout.String(), stderr.String())
		}
		if diff := cmp.Diff(tt.want, describe(err)); diff != "" {
			t.Errorf("%s, %v (-want +got):\n%s", tt.out, tt.err, diff)
		}
	}
}

package cmdline

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/wxmenu/wxmenu/reconcile"
	"github.com/wxmenu/wxmenu/reconcile/plans"
	"github.com/wxmenu/wxmenu/reconcile/render"
)

// TestApplyViewHooks checks what apply shows and asks in each of its
// modes: text shows the plan and the steps, JSON nothing; it asks unless
// --auto-approve.
func TestApplyViewHooks(t *testing.T) {
	plan := &plans.Plan{FormatVersion: plans.FormatVersion, AppID: "wx1234567890abcdef", DesiredFile: "menus.yaml"}
	var planText bytes.Buffer
	if err := render.Text(&planText, plan, render.Options{Applying: true}); err != nil {
		t.Fatal(err)
	}
	done := reconcile.ProgressEvent{Index: 0, Total: 2, Result: &reconcile.StepResult{Outcome: plans.OutcomeDone}}
	var doneText bytes.Buffer
	render.Progress(&doneText, done, false)

	type result struct {
		Shown    string // the output of Show, or "no Show"
		Progress string // the output of three events, or "no Progress"
		Asked    string // the question, or "no Confirm"
		Agreed   bool
	}
	const question = "\nApply these changes to account wx1234567890abcdef? Only 'yes' is accepted: "
	header := "\nApplying 2 steps to account wx1234567890abcdef\n"
	tests := []struct {
		name  string
		view  ApplyView
		appID string
		want  result
	}{
		{"text, asks", ApplyView{}, plan.AppID, result{Shown: planText.String(), Progress: header + doneText.String(), Asked: question, Agreed: true}},
		{"text, --auto-approve", ApplyView{AutoApprove: true}, plan.AppID, result{Shown: planText.String(), Progress: header + doneText.String(), Asked: "no Confirm"}},
		{"json, asks", ApplyView{JSON: true}, plan.AppID, result{Shown: "no Show", Progress: "no Progress", Asked: question, Agreed: true}},
		{"json, --auto-approve", ApplyView{JSON: true, AutoApprove: true}, plan.AppID, result{Shown: "no Show", Progress: "no Progress", Asked: "no Confirm"}},
		{"an account with no appid", ApplyView{}, "", result{Shown: planText.String(),
			Progress: "\nApplying 2 steps to the account\n" + doneText.String(),
			Asked:    "\nApply these changes to the account? Only 'yes' is accepted: ", Agreed: true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out bytes.Buffer
			v := tt.view
			v.Stdin, v.Stdout = strings.NewReader("yes\n"), &out
			var opts reconcile.RunOptions
			v.Hooks(context.Background(), &opts, tt.appID)
			got := result{Shown: "no Show", Progress: "no Progress", Asked: "no Confirm"}
			if opts.Show != nil {
				if err := opts.Show(plan); err != nil {
					t.Fatal(err)
				}
				got.Shown = out.String()
				out.Reset()
			}
			if opts.Apply.Progress != nil {
				opts.Apply.Progress(reconcile.ProgressEvent{Index: 0, Total: 2}) // before the first step
				opts.Apply.Progress(done)
				opts.Apply.Progress(reconcile.ProgressEvent{Index: 1, Total: 2}) // before the second
				got.Progress = out.String()
				out.Reset()
			}
			if opts.Confirm != nil {
				got.Agreed = opts.Confirm(plan)
				got.Asked = out.String()
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

// TestApplyViewResult checks what apply prints of a result: the summary
// in text, the document in JSON, and the same exit either way.
func TestApplyViewResult(t *testing.T) {
	plan := &plans.Plan{FormatVersion: plans.FormatVersion, AppID: "wx1234567890abcdef", DesiredFile: "menus.yaml",
		Steps: []plans.Step{{Action: plans.ActionCreateDefault}}}
	results := map[string]*reconcile.Result{
		"applied":  {Status: reconcile.StatusApplied, Plan: plan},
		"declined": reconcile.Failed(plan, reconcile.ErrDeclined),
	}
	type result struct {
		Ran, Done string // the output of Ran, then of Done
		Exit      string
	}
	want := func(json bool, name string) result {
		r := results[name]
		var ran, done bytes.Buffer
		if json {
			if err := render.ApplyJSON(&done, r); err != nil {
				t.Fatal(err)
			}
		} else {
			render.ApplySummary(&ran, r)
		}
		return result{Ran: ran.String(), Done: done.String(), Exit: exitOf(ExitFor(r))}
	}
	for _, json := range []bool{false, true} {
		for name, r := range results {
			var out bytes.Buffer
			v := ApplyView{Stdout: &out, JSON: json}
			v.Ran(r)
			got := result{Ran: out.String()}
			out.Reset()
			got.Exit = exitOf(v.Done(r))
			got.Done = out.String()
			w := want(json, name)
			if w.Ran == "" && w.Done == "" && name == "applied" {
				t.Fatal("an applied run prints nothing: nothing tells the views apart")
			}
			if diff := cmp.Diff(w, got); diff != "" {
				t.Errorf("json %v, %s (-want +got):\n%s", json, name, diff)
			}
		}
	}
}

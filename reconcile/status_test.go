package reconcile

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/wxmenu/wxmenu/reconcile/plans"
)

func TestClassify(t *testing.T) {
	changes := &plans.Plan{Steps: []plans.Step{{Action: plans.ActionDeleteAll}}}
	empty := &plans.Plan{}
	tests := []struct {
		name    string
		plan    *plans.Plan
		err     error
		applied bool
		want    Status
	}{
		{"no plan", nil, nil, false, StatusNoChanges},
		{"empty plan applied", empty, nil, true, StatusNoChanges},
		{"plan with steps", changes, nil, false, StatusChanges},
		{"applied", changes, nil, true, StatusApplied},
		{"stale", changes, &StaleError{Reason: "x"}, true, StatusStale},
		{"partial", changes, &PartialError{Total: 1, Err: errors.New("x")}, true, StatusPartial},
		{"not converged", changes, &NotConvergedError{Remaining: changes}, true, StatusNotConverged},
		{"blocked", changes, &SafetyError{}, false, StatusBlocked},
		{"declined", changes, ErrDeclined, false, StatusDeclined},
		{"wrapped stale", changes, fmt.Errorf("apply: %w", &StaleError{}), true, StatusStale},
		{"anything else", nil, errors.New("boom"), false, StatusError},
		{"locked", nil, ErrLocked, false, StatusError},
	}
	var got, want []string
	for _, tt := range tests {
		got = append(got, tt.name+": "+string(Classify(tt.plan, tt.err, tt.applied)))
		want = append(want, tt.name+": "+string(tt.want))
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Classify (-want +got):\n%s", diff)
	}
}

func TestResultUnchanged(t *testing.T) {
	refused := &Result{Status: StatusPartial, Err: &PartialError{Total: 2, Err: errors.New("45009")},
		Applied: ApplyResult{Steps: []StepResult{{Outcome: plans.OutcomeFailed}, {Outcome: plans.OutcomeNotRun}}}}
	if !refused.Unchanged() {
		t.Error("a refused first call left the account changed")
	}
	if msg, _ := refused.Problem(); msg != "apply stopped after 0 of 2 steps: 45009; nothing was changed" {
		t.Errorf("Problem() = %q", msg)
	}
	reread := *refused
	reread.Applied.Steps = []StepResult{{Outcome: plans.OutcomeFailed, Reread: true}}
	if reread.Unchanged() {
		t.Error("a step whose response was lost and re-read counts as unchanged")
	}
	done := *refused
	done.Applied.Steps = []StepResult{{Outcome: plans.OutcomeDone}, {Outcome: plans.OutcomeFailed}}
	if done.Unchanged() {
		t.Error("an apply with a done step counts as unchanged")
	}
	if !(&Result{Status: StatusStale}).Unchanged() || (&Result{Status: StatusNotConverged}).Unchanged() {
		t.Error("stale must be unchanged, not converged must not")
	}
}

// TestProblemInterrupted: an interrupt (a cancelled context) before any
// step is said as such, with nothing changed and no hint; a --timeout
// (deadline) is not an interrupt and keeps the read's hint.
func TestProblemInterrupted(t *testing.T) {
	type problem struct{ Message, Hint string }
	readErr := func(err error) error {
		return &ReadError{Err: fmt.Errorf("wechat: menu/get: Get \"http://x\": %w", err)}
	}
	tests := []struct {
		name string
		err  error
		want problem
	}{
		{"while reading", readErr(context.Canceled), problem{Message: "interrupted while reading the account; nothing was changed"}},
		{"elsewhere", fmt.Errorf("waiting for the lock: %w", context.Canceled), problem{Message: "interrupted; nothing was changed"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := Failed(nil, tt.err)
			var got problem
			got.Message, got.Hint = r.Problem()
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
	if msg, hint := Failed(nil, readErr(context.DeadlineExceeded)).Problem(); strings.Contains(msg, "interrupted") || hint == "" {
		t.Errorf("a deadline reads as an interrupt: %q, hint %q", msg, hint)
	}
}

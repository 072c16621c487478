package cmdline

import (
	"errors"
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/wxmenu/wxmenu/reconcile"
	"github.com/wxmenu/wxmenu/reconcile/desired"
	"github.com/wxmenu/wxmenu/reconcile/fleet"
	"github.com/wxmenu/wxmenu/reconcile/project"
)

// exitOf is what an error does to the process: its exit code, and
// whether Report prints it.
func exitOf(err error) string {
	if err == nil {
		return "exit 0"
	}
	code := ExitError
	if ce := (*Error)(nil); errors.As(err, &ce) {
		code = ce.Code
	}
	switch {
	case errors.Is(err, ErrReported):
		return fmt.Sprintf("exit %d, reported above", code)
	case errors.Is(err, ErrHasChanges):
		return fmt.Sprintf("exit %d, has changes", code)
	}
	return fmt.Sprintf("exit %d: %v", code, err)
}

func TestExitForFleet(t *testing.T) {
	failed := errors.New("it failed")
	outcome := func(s reconcile.Status) fleet.Outcome {
		r := &reconcile.Result{Status: s}
		switch s {
		case reconcile.StatusNoChanges, reconcile.StatusChanges, reconcile.StatusApplied:
		default:
			r.Err = failed
		}
		return fleet.Outcome{Name: string(s), Result: r}
	}
	report := func(statuses ...reconcile.Status) *fleet.Report {
		rep := &fleet.Report{}
		for _, s := range statuses {
			rep.Outcomes = append(rep.Outcomes, outcome(s))
		}
		return rep
	}
	stopped := func(rep *fleet.Report) *fleet.Report { rep.Stopped = "canary"; return rep }
	observed := func(rep *fleet.Report) *fleet.Report { rep.Outcomes[0].Mode = project.ModeObserve; return rep }
	badFile := &fleet.Report{Outcomes: []fleet.Outcome{{Name: "shop", Result: &reconcile.Result{Status: reconcile.StatusError,
		Err: desired.Diagnostics{{Path: "shop.yaml", Message: "bad"}, {Path: "shop.yaml", Message: "worse"}}}}}}
	tests := []struct {
		name     string
		rep      *fleet.Report
		detailed bool
		want     string
	}{
		{"no accounts", report(), true, "exit 0"},
		{"no changes", report(reconcile.StatusNoChanges, reconcile.StatusNoChanges), true, "exit 0"},
		{"changes", report(reconcile.StatusNoChanges, reconcile.StatusChanges), false, "exit 0"},
		{"changes, --detailed-exitcode", report(reconcile.StatusNoChanges, reconcile.StatusChanges), true, "exit 2, has changes"},
		{"applied", report(reconcile.StatusApplied, reconcile.StatusNoChanges), true, "exit 0"},
		{"declined", report(reconcile.StatusChanges, reconcile.StatusDeclined), true, "exit 5, reported above"},
		{"stale beats declined and changes", report(reconcile.StatusDeclined, reconcile.StatusStale, reconcile.StatusChanges), true, "exit 3, reported above"},
		{"blocked beats stale", report(reconcile.StatusStale, reconcile.StatusBlocked), false, "exit 1, reported above"},
		{"failed", report(reconcile.StatusNoChanges, reconcile.StatusError), false, "exit 1, reported above"},
		{"partial with nothing changed", report(reconcile.StatusStale, reconcile.StatusPartial), false, "exit 1, reported above"},
		{"not converged beats everything", report(reconcile.StatusError, reconcile.StatusNotConverged, reconcile.StatusBlocked), true, "exit 4, reported above"},
		{"a bad menus file", badFile, false, "exit 1, reported above"},
		{"paused", report(reconcile.StatusPaused, reconcile.StatusNoChanges), true, "exit 0"},
		{"a rollout stopped after it applied an account", stopped(report(reconcile.StatusApplied, reconcile.StatusError, reconcile.StatusChanges)), false, "exit 4, reported above"},
		{"a rollout stopped before it changed anything", stopped(report(reconcile.StatusError, reconcile.StatusChanges)), false, "exit 1, reported above"},
		{"an observed account's stale plan", observed(report(reconcile.StatusStale, reconcile.StatusApplied)), false, "exit 0"},
		{"an observed account that cannot be read", observed(report(reconcile.StatusError, reconcile.StatusApplied)), false, "exit 1, reported above"},
	}
	for _, tt := range tests {
		if diff := cmp.Diff(tt.want, exitOf(ExitForFleet(tt.rep, tt.detailed, false))); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tt.name, diff)
		}
	}
	// The one account of a menus file: its problem is returned for Report
	// to print, its changes exit 2 with --detailed-exitcode.
	single := []struct {
		name     string
		rep      *fleet.Report
		detailed bool
		want     string
	}{
		{"no changes", report(reconcile.StatusNoChanges), true, "exit 0"},
		{"changes", report(reconcile.StatusChanges), false, "exit 0"},
		{"changes, --detailed-exitcode", report(reconcile.StatusChanges), true, "exit 2, has changes"},
		{"stale", report(reconcile.StatusStale), true, "exit 3: it failed; nothing was changed"},
		{"declined", report(reconcile.StatusDeclined), false, "exit 5: it failed"},
		{"a bad menus file", badFile, false, "exit 1: shop.yaml: bad\nshop.yaml: worse"},
	}
	for _, tt := range single {
		if diff := cmp.Diff(tt.want, exitOf(ExitForFleet(tt.rep, tt.detailed, true))); diff != "" {
			t.Errorf("one menus file, %s (-want +got):\n%s", tt.name, diff)
		}
	}
}

func TestExitForProblems(t *testing.T) {
	failed := errors.New("the file of the one account does not load")
	var got []string
	for _, tt := range []struct {
		n   int
		err error
	}{{0, nil}, {1, nil}, {3, nil}, {0, failed}} {
		got = append(got, exitOf(ExitForProblems(tt.n, tt.err)))
	}
	if diff := cmp.Diff([]string{"exit 0", "exit 1, reported above", "exit 1, reported above", "exit 1: " + failed.Error()}, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

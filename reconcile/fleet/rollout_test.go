package fleet_test

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/wxmenu/wxmenu/reconcile/fleet"
	"github.com/wxmenu/wxmenu/reconcile/project"
)

// TestApplyInWaves applies six accounts in three waves (acct-01 and
// acct-02; acct-03 and acct-04; acct-05 and acct-06) against the emulator:
// a wave starts only when every account of the one before applied, a
// failure or LastWave leaves the later waves not started (and uncalled),
// an observed account is never applied and stops nothing, and a paused one
// is not read.
func TestApplyInWaves(t *testing.T) {
	waves := []string{"one", "two", "three"}
	tests := []struct {
		name      string
		setup     func(tf *testFleet, accounts []project.Account)
		lastWave  string
		want      map[string]string
		stopped   string
		untouched []string // appids no call changed
	}{
		{"every wave", nil, "", map[string]string{
			"acct-01": "applied", "acct-02": "applied", "acct-03": "applied", "acct-04": "applied", "acct-05": "applied", "acct-06": "applied",
		}, "", nil},
		{"a failure in the first wave", func(tf *testFleet, _ []project.Account) {
			tf.env["ACCT_02_SECRET"] = "a-wrong-secret-0123456789"
		}, "", map[string]string{
			"acct-01": "applied", "acct-02": "error", "acct-03": "changes, not started", "acct-04": "changes, not started", "acct-05": "changes, not started", "acct-06": "changes, not started",
		}, "one", []string{"wx0000000000000002", "wx0000000000000003", "wx0000000000000004", "wx0000000000000005", "wx0000000000000006"}},
		{"a failure in the second wave", func(tf *testFleet, _ []project.Account) {
			tf.env["ACCT_04_SECRET"] = "a-wrong-secret-0123456789"
		}, "", map[string]string{
			"acct-01": "applied", "acct-02": "applied", "acct-03": "applied", "acct-04": "error", "acct-05": "changes, not started", "acct-06": "changes, not started",
		}, "two", []string{"wx0000000000000004", "wx0000000000000005", "wx0000000000000006"}},
		{"a failure in the last wave", func(tf *testFleet, _ []project.Account) {
			tf.emu.Account("wx0000000000000006").SetQuota("menu/create", 0)
		}, "", map[string]string{
			"acct-01": "applied", "acct-02": "applied", "acct-03": "applied", "acct-04": "applied", "acct-05": "applied", "acct-06": "partial",
		}, "", []string{"wx0000000000000006"}},
		{"apply --wave two", nil, "two", map[string]string{
			"acct-01": "applied", "acct-02": "applied", "acct-03": "applied", "acct-04": "applied", "acct-05": "changes, not started", "acct-06": "changes, not started",
		}, "", []string{"wx0000000000000005", "wx0000000000000006"}},
		{"observed and paused accounts", func(tf *testFleet, accounts []project.Account) {
			accounts[0].Mode = project.ModeObserve
			tf.env["ACCT_01_SECRET"] = "a-wrong-secret-0123456789" // an observed account's failure stops nothing
			accounts[2].Mode = project.ModeObserve
			accounts[3].Mode = project.ModePaused
		}, "", map[string]string{
			"acct-01": "error, observed", "acct-02": "applied", "acct-03": "changes, observed", "acct-04": "paused", "acct-05": "applied", "acct-06": "applied",
		}, "", []string{"wx0000000000000001", "wx0000000000000003", "wx0000000000000004"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tf := newTestFleet(t, 6)
			opts := tf.options(t, false)
			opts.Accounts = append([]project.Account(nil), opts.Accounts...)
			for i := range opts.Accounts {
				opts.Accounts[i].Wave = waves[i/2]
			}
			if tt.setup != nil {
				tt.setup(tf, opts.Accounts)
			}
			opts.Waves, opts.LastWave = waves, tt.lastWave
			rep := fleet.Apply(context.Background(), opts, nil)
			got := map[string]string{}
			for _, o := range rep.Outcomes {
				s := string(o.Result.Status)
				if o.NotStarted {
					s += ", not started"
				}
				if o.Observed() {
					s += ", observed"
				}
				got[o.Name] = s
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("outcomes (-want +got):\n%s", diff)
			}
			if rep.Stopped != tt.stopped {
				t.Errorf("stopped at wave %q, want %q", rep.Stopped, tt.stopped)
			}
			changed := map[string]bool{}
			for _, e := range tf.rec.Effects() {
				changed[e.AppID] = true
			}
			for _, appid := range tt.untouched {
				if changed[appid] {
					t.Errorf("%s was changed", appid)
				}
			}
		})
	}
}

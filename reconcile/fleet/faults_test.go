package fleet_test

import (
	"context"
	"flag"
	"fmt"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/wxmenu/wxmenu/reconcile"
	"github.com/wxmenu/wxmenu/reconcile/fleet"
	"github.com/wxmenu/wxmenu/wechat/wechattest"
)

var faultSeeds = flag.Int("fleet-fault-seeds", 3, "how many emulator seeds TestFaultsAcrossSeeds runs")

// reseed gives tf a fresh emulator with the same accounts and platform,
// whose faults draw from seed.
func reseed(t *testing.T, tf *testFleet, seed int64) {
	t.Helper()
	cfg := wechattest.Config{Seed: seed, Platform: &wechattest.PlatformConfig{ComponentAppID: componentAppID, ComponentSecret: componentSecret}}
	for _, a := range tf.proj.Accounts {
		secret := tf.env[a.SecretEnv]
		if a.SecretEnv == "" {
			secret = "an-authorizer-needs-no-secret-0123" // platform accounts use the component's tokens
		}
		cfg.Accounts = append(cfg.Accounts, wechattest.AccountConfig{AppID: a.AppID, Secret: secret})
	}
	tf.emu = wechattest.New(cfg)
	tf.emu.SeedDemoAll()
	tf.env["VT"] = tf.emu.Ticket()
	tf.rec = wechattest.NewEffectRecorder(tf.emu)
	srv := httptest.NewServer(tf.rec)
	t.Cleanup(srv.Close)
	tf.bases = []string{srv.URL}
}

// TestFaultsAcrossSeeds applies a fleet (secret and platform accounts)
// through busy answers (-1), HTTP 502s and lost responses, with one
// account whose secret is wrong, under several seeds. In every run the
// failed account is the most severe outcome and is named with WeChat's
// code, and no call takes effect more often than its account's plan asks
// (a lost create is never made twice). Within a few runs every other
// account converges, with each menu exactly once, and the failed one is
// untouched.
func TestFaultsAcrossSeeds(t *testing.T) {
	for seed := int64(1); seed <= int64(*faultSeeds); seed++ {
		t.Run(fmt.Sprintf("seed %d", seed), func(t *testing.T) {
			tf := newTestFleet(t, 8)
			reseed(t, tf, seed)
			tf.env["ACCT_03_SECRET"] = "a-wrong-secret-0123456789"
			const broken = "wx0000000000000003"
			untouched := tf.emu.Account(broken).Menus()
			tf.emu.SetFaults(wechattest.Faults{BusyRate: 0.2, HTTP502Rate: 0.05, DropRate: 0.3})
			ctx := context.Background()
			converged := false
			for run := 1; run <= 8 && !converged; run++ {
				before := len(tf.rec.Effects())
				// One account at a time: the emulator draws its faults from
				// the seed in the order calls arrive, so accounts in parallel
				// would make a seed's faults, and the test, a matter of timing.
				opts := tf.options(t, false)
				opts.Parallel = 1
				rep := fleet.Apply(ctx, opts, nil)
				planned := map[string]int{}
				for _, o := range rep.Outcomes {
					if o.Result.Plan != nil {
						for _, s := range o.Result.Plan.Steps {
							planned[o.AppID+" "+s.Action.Endpoint()]++
						}
					}
				}
				for _, e := range tf.rec.Effects()[before:] {
					k := e.AppID + " " + e.Endpoint
					if planned[k]--; planned[k] < 0 {
						t.Errorf("run %d: %s took effect more often than planned", run, k)
					}
				}
				// The most severe outcome decides the exit code: acct-03's
				// error, unless faults left an account part-applied, which
				// outranks an account nothing was done to. An account whose
				// first call faults refused outright (nothing changed) ranks
				// with acct-03's error, and the first of equals is the worst.
				wantWorst := map[string]bool{}
				for _, o := range rep.Outcomes {
					if (o.Result.Status == reconcile.StatusPartial || o.Result.Status == reconcile.StatusNotConverged) && !o.Result.Unchanged() {
						wantWorst[o.Name] = true
					}
				}
				if len(wantWorst) > 0 {
					t.Logf("run %d: faults left %d accounts part-applied", run, len(wantWorst))
				}
				for _, o := range rep.Outcomes {
					r := o.Result
					refused := r.Status == reconcile.StatusError || (r.Status == reconcile.StatusPartial || r.Status == reconcile.StatusNotConverged) && r.Unchanged()
					if len(wantWorst) == 0 && refused {
						wantWorst[o.Name] = true // the first of acct-03's equals
						if o.Name != "acct-03" {
							t.Logf("run %d: faults refused %s's first call, before acct-03's", run, o.Name)
						}
					}
				}
				if w := rep.Worst(); w == nil || !wantWorst[w.Name] {
					t.Errorf("run %d: the most severe outcome is %v, want one of %v", run, w, wantWorst)
				}
				if s := statuses(rep)["acct-03"]; s != reconcile.StatusError {
					t.Errorf("run %d: acct-03 is %s, want error", run, s)
				}
				// Its code: the wrong secret's, or busy when every retry of
				// its token fetch met a fault.
				if s := rep.Summary(); !strings.Contains(s, "acct-03 (40125)") && !strings.Contains(s, "acct-03 (-1)") {
					t.Errorf("run %d: summary %q does not name acct-03 with its code", run, s)
				}
				converged = true
				for _, o := range rep.Outcomes {
					if o.Name != "acct-03" && o.Result.Status != reconcile.StatusNoChanges {
						converged = false
					}
				}
			}
			if !converged {
				t.Errorf("not converged after 8 runs")
			}
			// A read without faults: every account but the failed one
			// matches its file (a duplicated menu would be a change).
			tf.emu.SetFaults(wechattest.Faults{})
			rep := fleet.Plan(ctx, tf.options(t, true))
			want := map[string]reconcile.Status{}
			for _, a := range tf.proj.Accounts {
				want[a.Name] = reconcile.StatusNoChanges
			}
			want["acct-03"] = reconcile.StatusError
			if diff := cmp.Diff(want, statuses(rep)); diff != "" {
				t.Errorf("after the runs (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(untouched, tf.emu.Account(broken).Menus()); diff != "" {
				t.Errorf("the failed account changed:\n%s", diff)
			}
			for _, e := range tf.rec.Effects() {
				if e.AppID == broken {
					t.Errorf("the failed account saw %s", e.Endpoint)
				}
			}
		})
	}
}

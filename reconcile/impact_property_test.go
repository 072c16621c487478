package reconcile

import (
	"errors"
	"flag"
	"fmt"
	"math/rand/v2"
	"net/http/httptest"
	"testing"

	"github.com/wxmenu/wxmenu/reconcile/canon"
	"github.com/wxmenu/wxmenu/reconcile/plans"
	"github.com/wxmenu/wxmenu/wechat"
	"github.com/wxmenu/wxmenu/wechat/wechattest"
)

var audienceSeeds = flag.Int("audience.seeds", 40, "random accounts the planner's audience table is checked on against the emulator (thousands: -audience.seeds 3000)")

// TestPlanAudienceTableAgreesWithTheEmulator is the audience property test
// with the real planner: for random accounts it plans with NewPlan (through
// a Session), applies the plan to the emulator over HTTP, and asks
// menu/trymatch, for a follower of every row of the plan's audience table,
// which buttons they see. Before apply they must see the row's "now" menu,
// after apply its "after" menu.
func TestPlanAudienceTableAgreesWithTheEmulator(t *testing.T) {
	allow := SafetyOptions{AllowEmpty: true, AllowDeleteAll: true, AllowProtected: true, AllowManyDeletes: true}
	checked, rows := 0, 0
	for seed := range *audienceSeeds {
		r := rand.New(rand.NewPCG(uint64(seed), 10))
		c := genCase(r, seed%2 == 0)
		if !c.feasible() {
			continue
		}
		emu := wechattest.New(wechattest.Config{Seed: int64(seed) + 1})
		emu.SetMaxConditional(c.maxCond)
		emu.SeedMenus(*c.live)
		srv := httptest.NewServer(emu)
		client, err := wechat.New(wechat.WithBaseURLs(srv.URL), wechat.WithCredentials(wechattest.DefaultAppID, wechattest.DefaultSecret), wechat.WithRetry(1, 0, 0))
		if err != nil {
			t.Fatal(err)
		}
		s := &Session{Client: client, AppID: wechattest.DefaultAppID}
		fail := func(format string, args ...any) {
			t.Helper()
			srv.Close()
			t.Fatalf("seed %d: %s\n%s", seed, fmt.Sprintf(format, args...), c)
		}

		res := s.Plan(t.Context(), c.ds, PlanOptions{DesiredFile: "menus.yaml", MaxConditional: c.maxCond, Safety: allow})
		if res.Err != nil {
			fail("plan: %v", res.Err)
		}
		p := res.Plan
		users := map[int][]string{} // row index -> openids of its followers
		for i, row := range p.Audiences {
			for _, f := range followersOf(row.Audience) {
				id := fmt.Sprintf("o_%d_%d", i, len(users[i]))
				emu.AddUser(wechattest.User{OpenID: id, TagIDs: f.TagIDs, Platform: f.Platform})
				users[i] = append(users[i], id)
			}
		}
		check := func(when string, want func(plans.AudienceRow) plans.Seen) {
			for i, row := range p.Audiences {
				seen := want(row)
				for _, id := range users[i] {
					got, err := client.TryMatch(t.Context(), id)
					var apiErr *wechat.APIError
					switch {
					case seen.Kind == plans.KindNone:
						if !errors.As(err, &apiErr) || apiErr.Code != wechat.CodeMenuNotExist {
							fail("%s, %s: the table says no menu; trymatch answered %v, %v", when, row.Label, got, err)
						}
					case err != nil:
						fail("%s, %s: trymatch: %v", when, row.Label, err)
					case !canon.SameButtons(got, seen.Buttons):
						fail("%s, %s (%s): the table says %s %v; trymatch shows %v", when, row.Label, id, seen.Name, seen.Buttons, got)
					}
				}
			}
		}
		check("before apply", func(r plans.AudienceRow) plans.Seen { return r.Before })
		if applied := s.Apply(t.Context(), p, ApplyOptions{Desired: c.ds, MaxConditional: c.maxCond}); applied.Err != nil {
			fail("apply: %v", applied.Err)
		}
		check("after apply", func(r plans.AudienceRow) plans.Seen { return r.After })
		srv.Close()
		checked++
		rows += len(p.Audiences)
	}
	if checked < *audienceSeeds/2 {
		t.Errorf("only %d of %d random accounts were feasible and checked", checked, *audienceSeeds)
	}
	t.Logf("%d accounts planned, applied and checked against trymatch, %d audience rows", checked, rows)
}

// follower is what matching knows of a follower: their tags in the order
// applied, and their platform.
type follower struct {
	TagIDs   []string
	Platform string
}

// followersOf returns followers the audience covers: one per platform, and
// for "everyone else" both an untagged follower and one whose last tag is
// listed nowhere.
func followersOf(a plans.Audience) []follower {
	var out []follower
	for _, pl := range a.Platforms {
		if a.TagID != "" {
			// An earlier tag does not count: only the last one is matched.
			out = append(out, follower{TagIDs: []string{"777", a.TagID}, Platform: pl})
			continue
		}
		out = append(out, follower{Platform: pl}, follower{TagIDs: []string{"778"}, Platform: pl})
	}
	return out
}

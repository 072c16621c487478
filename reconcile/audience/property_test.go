package audience_test

import (
	"errors"
	"flag"
	"fmt"
	"math/rand/v2"
	"net/http/httptest"
	"slices"
	"strconv"
	"testing"

	"github.com/wxmenu/wxmenu/reconcile/audience"
	"github.com/wxmenu/wxmenu/reconcile/canon"
	"github.com/wxmenu/wxmenu/reconcile/plans"
	"github.com/wxmenu/wxmenu/wechat"
	"github.com/wxmenu/wxmenu/wechat/wechattest"
)

var seeds = flag.Int("audience.seeds", 40, "number of random accounts the audience property test checks against the emulator")

const (
	testAppID  = "wxaudience0000001"
	testSecret = "audience-test-secret"
)

// TestTableAgreesWithEmulator builds random accounts in the emulator over
// HTTP, makes the calls of a change to a random desired state itself
// (create before delete, by its own reading of the planner's rule),
// replays them for the audience table, and checks with menu/trymatch that
// a follower of every audience sees what the table says: before apply,
// after every step, and after apply.
func TestTableAgreesWithEmulator(t *testing.T) {
	for seed := range *seeds {
		t.Run("seed="+strconv.Itoa(seed), func(t *testing.T) {
			checkSeed(t, uint64(seed))
		})
	}
}

type harness struct {
	t      *testing.T
	emu    *wechattest.Emulator
	client *wechat.Client
}

func newHarness(t *testing.T, seed uint64) *harness {
	emu := wechattest.New(wechattest.Config{AppID: testAppID, Secret: testSecret, Seed: int64(seed)})
	srv := httptest.NewServer(emu)
	t.Cleanup(srv.Close)
	c, err := wechat.New(wechat.WithBaseURLs(srv.URL), wechat.WithCredentials(testAppID, testSecret), wechat.WithRetry(1, 0, 0))
	if err != nil {
		t.Fatal(err)
	}
	return &harness{t: t, emu: emu, client: c}
}

// randomAccount draws a live account and a desired state. Tags come from a
// small pool so that rules overlap, buttons from a small pool so that
// identical menus recur.
type generator struct{ r *rand.Rand }

var tagPool = []string{"101", "102", "103"}

func (g generator) rule() wechat.MatchRule {
	switch g.r.IntN(3) {
	case 0:
		return wechat.MatchRule{TagID: tagPool[g.r.IntN(len(tagPool))]}
	case 1:
		return wechat.MatchRule{ClientPlatformType: strconv.Itoa(1 + g.r.IntN(3))}
	}
	return wechat.MatchRule{TagID: tagPool[g.r.IntN(len(tagPool))], ClientPlatformType: strconv.Itoa(1 + g.r.IntN(3))}
}

func (g generator) buttons() []wechat.Button {
	n := 1 + g.r.IntN(3)
	var out []wechat.Button
	for i := range n {
		name := fmt.Sprintf("b%d-%d", i, g.r.IntN(3))
		switch g.r.IntN(3) {
		case 0:
			out = append(out, wechat.Button{Type: "view", Name: name, URL: "https://m.example.com/" + name})
		case 1:
			out = append(out, wechat.Button{Name: name, SubButtons: []wechat.Button{
				{Type: "click", Name: name + "a", Key: name + "A"},
				{Type: "click", Name: name + "b", Key: name + "B"},
			}})
		default:
			out = append(out, wechat.Button{Type: "click", Name: name, Key: name})
		}
	}
	return out
}

func (g generator) chance(p float64) bool { return g.r.Float64() < p }

// wanted is a desired state: the default menu (nil: the file declares no
// menu), the conditional menus in priority order, the unmanaged rules.
type wanted struct {
	def       []wechat.Button
	menus     []wantMenu
	unmanaged []wechat.MatchRule
}

type wantMenu struct {
	name    string
	rule    wechat.MatchRule
	buttons []wechat.Button
}

// randomCase returns the live account (newest first) and the desired state.
func randomCase(g generator) (live wechat.MenuSet, desired wanted) {
	if g.chance(0.95) {
		live.Default = &wechat.Menu{Buttons: g.buttons()}
		for range g.r.IntN(8) {
			m := wechat.ConditionalMenu{MatchRule: g.rule(), Buttons: g.buttons()}
			if g.chance(0.1) {
				m.MatchRule = wechat.MatchRule{Sex: "1"} // created before the privacy change
			}
			live.Conditional = append(live.Conditional, m)
		}
	}
	// Desired: the live menus newest first, some kept, some edited, some
	// dropped, then a few swaps and additions.
	var want []wantMenu
	for _, m := range live.Conditional {
		if m.MatchRule.IsDead() {
			continue
		}
		switch {
		case g.chance(0.15):
			continue
		case g.chance(0.2):
			m.Buttons = g.buttons()
		}
		want = append(want, wantMenu{rule: m.MatchRule, buttons: m.Buttons})
	}
	for range g.r.IntN(3) {
		at := g.r.IntN(len(want) + 1)
		want = slices.Insert(want, at, wantMenu{rule: g.rule(), buttons: g.buttons()})
	}
	if len(want) > 1 && g.chance(0.3) {
		i, j := g.r.IntN(len(want)), g.r.IntN(len(want))
		want[i], want[j] = want[j], want[i]
	}
	// Sometimes a live rule is unmanaged: the file then declares no menu
	// with it (the planner refuses that).
	if len(live.Conditional) > 0 && g.chance(0.25) {
		r := live.Conditional[g.r.IntN(len(live.Conditional))].MatchRule
		desired.unmanaged = []wechat.MatchRule{r}
		want = slices.DeleteFunc(want, func(d wantMenu) bool { return d.rule == r })
	}
	for i := range want {
		want[i].name = "menu-" + strconv.Itoa(i+1)
	}
	desired.menus = want
	switch {
	case g.chance(0.05):
		desired = wanted{} // the file declares no menu
	case live.Default == nil || g.chance(0.2):
		desired.def = g.buttons()
	default:
		desired.def = live.Default.Buttons
	}
	return live, desired
}

// follower is one follower in the emulator with the audience it belongs to.
type follower struct {
	openID   string
	TagIDs   []string
	Platform string
	tag      string // the listed tag it stands for, "" for everyone else
}

// liveState is live as matching sees it, each menu named by its rule and
// menuid.
func liveState(live *wechat.MenuSet, unmanaged []wechat.MatchRule) audience.State {
	var st audience.State
	if live.Default == nil {
		return st
	}
	st.Default = &audience.Menu{Name: audience.DefaultMenuName, Buttons: live.Default.Buttons}
	for _, m := range live.NewestFirst() {
		st.Conditional = append(st.Conditional, audience.Menu{
			Name: m.MatchRule.Describe(nil) + " (menuid " + m.MenuID + ")", MenuID: m.MenuID, Rule: &m.MatchRule,
			Buttons: m.Buttons, Unmanaged: slices.Contains(unmanaged, m.MatchRule),
		})
	}
	return st
}

func checkSeed(t *testing.T, seed uint64) {
	h := newHarness(t, seed)
	ctx := t.Context()
	g := generator{rand.New(rand.NewPCG(seed, 0x617564))}
	liveWant, desired := randomCase(g)

	// The live account: through the API when WeChat would accept it,
	// seeded directly when it holds privacy rules created before the change.
	hasDead := slices.ContainsFunc(liveWant.Conditional, func(m wechat.ConditionalMenu) bool { return m.MatchRule.IsDead() })
	switch {
	case hasDead:
		h.emu.SeedMenus(liveWant)
	case liveWant.Default != nil:
		if err := h.client.CreateMenu(ctx, liveWant.Default.Buttons); err != nil {
			t.Fatal(err)
		}
		for _, m := range slices.Backward(liveWant.Conditional) {
			if _, err := h.client.AddConditional(ctx, m.Buttons, m.MatchRule); err != nil {
				t.Fatal(err)
			}
		}
	}
	live, err := h.client.GetMenu(ctx)
	if err != nil {
		t.Fatal(err)
	}
	steps := planSteps(live, desired)
	sim, err := audience.Replay(liveState(live, desired.unmanaged), steps, nil)
	if err != nil {
		t.Fatalf("replaying the steps the test made: %v", err)
	}
	followers := h.addFollowers(sim)
	h.checkSees(followers, sim.Rows, "before apply", func(r plans.AudienceRow) plans.Seen { return r.Before })
	for _, s := range steps {
		h.run(s)
	}
	// During apply: replay the steps one by one on a fresh copy of the
	// live account and compare every follower's menu after each step with
	// the simulated state and with the transient menus the table lists.
	h2 := newHarness(t, seed)
	if hasDead {
		h2.emu.SeedMenus(*live)
	} else {
		h2.rebuild(live)
	}
	h2.addFollowersLike(followers)
	relive, err := h2.client.GetMenu(ctx)
	if err != nil {
		t.Fatal(err)
	}
	steps2 := renumber(steps, live, relive)
	st := liveState(relive, desired.unmanaged)
	for i, s := range steps2 {
		h2.run(s)
		if st, err = st.Apply(s); err != nil {
			t.Fatal(err)
		}
		if i == len(steps2)-1 {
			break
		}
		for _, f := range followers {
			got, ok := h2.tryMatch(f.openID)
			want := st.MenuFor(f.TagIDs, f.Platform)
			if !sameView(got, ok, want) {
				t.Errorf("after step %d of %d: %s (tags %v, platform %s) sees %s, simulation says %q", i+1, len(steps2), f.openID, f.TagIDs, f.Platform, show(got, ok), want.Name)
			}
			row := rowOf(t, sim.Rows, f)
			fallback := !sameView(got, ok, row.Before) && !sameView(got, ok, row.After)
			listed := slices.ContainsFunc(row.Transient, func(tm plans.TransientMenu) bool {
				return slices.Contains(tm.Steps, i+1) && sameView(got, ok, tm.Seen)
			})
			if fallback != listed {
				t.Errorf("after step %d: %s sees %s; it is neither its before nor its after menu: %v; the table lists it as transient: %v", i+1, f.openID, show(got, ok), fallback, listed)
			}
		}
	}

	h.checkSees(followers, sim.Rows, "after apply", func(r plans.AudienceRow) plans.Seen { return r.After })

	// The replayed end state is the account's, menu by menu.
	final, err := h.client.GetMenu(ctx)
	var apiErr *wechat.APIError
	switch {
	case errors.As(err, &apiErr) && apiErr.Code == 46003:
		final = &wechat.MenuSet{}
	case err != nil:
		t.Fatal(err)
	}
	got := liveState(final, nil)
	if (got.Default == nil) != (sim.After.Default == nil) || got.Default != nil && !canon.SameButtons(got.Default.Buttons, sim.After.Default.Buttons) {
		t.Errorf("default menu after apply differs from the replayed one")
	}
	if len(got.Conditional) != len(sim.After.Conditional) {
		t.Fatalf("%d conditional menus after apply, replayed %d", len(got.Conditional), len(sim.After.Conditional))
	}
	for i, m := range got.Conditional {
		w := sim.After.Conditional[i]
		if *m.Rule != *w.Rule || !canon.SameButtons(m.Buttons, w.Buttons) {
			t.Errorf("conditional menu %d after apply: %s, replayed %s (%s)", i, m.Rule.Describe(nil), w.Rule.Describe(nil), w.Name)
		}
	}
}

// addFollowers creates, for every listed tag and for everyone else, a
// follower on each platform, plus one whose earlier tags differ: only the
// last applied tag is matched.
func (h *harness) addFollowers(imp *audience.Impact) []follower {
	var tags []string
	for _, r := range imp.Rows {
		if r.Audience.TagID != "" && !slices.Contains(tags, r.Audience.TagID) {
			tags = append(tags, r.Audience.TagID)
		}
	}
	var out []follower
	for _, tag := range append(tags, "") {
		for _, p := range []string{"1", "2", "3"} {
			var single, layered []string
			if tag != "" {
				single = []string{tag}
				layered = []string{"999", tag}
			} else {
				layered = []string{"999"}
				if len(tags) > 0 {
					layered = []string{tags[0], "999"} // a listed tag, then an unlisted one
				}
			}
			for i, tagIDs := range [][]string{single, layered} {
				out = append(out, follower{
					openID:   fmt.Sprintf("o_%s_%s_%d", orOther(tag), p, i),
					TagIDs:   tagIDs,
					Platform: p,
					tag:      tag,
				})
			}
		}
	}
	h.addFollowersLike(out)
	return out
}

func (h *harness) addFollowersLike(fs []follower) {
	for _, f := range fs {
		h.emu.AddUser(wechattest.User{OpenID: f.openID, TagIDs: f.TagIDs, Platform: f.Platform})
	}
}

func orOther(tag string) string {
	if tag == "" {
		return "other"
	}
	return tag
}

// rowOf returns the one row covering f.
func rowOf(t *testing.T, rows []plans.AudienceRow, f follower) plans.AudienceRow {
	t.Helper()
	var found []plans.AudienceRow
	for _, r := range rows {
		if r.Audience.TagID == f.tag && slices.Contains(r.Audience.Platforms, f.Platform) {
			found = append(found, r)
		}
	}
	if len(found) != 1 {
		t.Fatalf("%d rows cover %s (tag %q, platform %s), want 1", len(found), f.openID, f.tag, f.Platform)
	}
	return found[0]
}

func (h *harness) checkSees(fs []follower, rows []plans.AudienceRow, when string, pick func(plans.AudienceRow) plans.Seen) {
	h.t.Helper()
	for _, f := range fs {
		row := rowOf(h.t, rows, f)
		got, ok := h.tryMatch(f.openID)
		if want := pick(row); !sameView(got, ok, want) {
			h.t.Errorf("%s: %s (tags %v, platform %s) sees %s; the table row %q says %q", when, f.openID, f.TagIDs, f.Platform, show(got, ok), row.Label, want.Name)
		}
	}
}

// tryMatch returns the buttons a follower sees, ok false when the account
// has no menu (46003).
func (h *harness) tryMatch(openID string) ([]wechat.Button, bool) {
	h.t.Helper()
	b, err := h.client.TryMatch(h.t.Context(), openID)
	var apiErr *wechat.APIError
	if errors.As(err, &apiErr) && apiErr.Code == 46003 {
		return nil, false
	}
	if err != nil {
		h.t.Fatalf("trymatch %s: %v", openID, err)
	}
	return b, true
}

func sameView(got []wechat.Button, ok bool, want plans.Seen) bool {
	if want.Kind == plans.KindNone {
		return !ok
	}
	return ok && canon.SameButtons(got, want.Buttons)
}

func show(b []wechat.Button, ok bool) string {
	if !ok {
		return "no menu"
	}
	names := make([]string, len(b))
	for i, x := range b {
		names[i] = x.Name
	}
	return fmt.Sprint(names)
}

// planSteps returns the calls that turn live into desired, create before
// delete. Which live menus stay is decided here by brute force: the
// smallest k such that desired[k:] appears in order among the managed live
// menus, matched from the oldest.
func planSteps(live *wechat.MenuSet, d wanted) []plans.Step {
	var steps []plans.Step
	if d.def == nil {
		if live.Default != nil {
			steps = append(steps, plans.Step{Action: plans.ActionDeleteAll, Name: "all menus"})
		}
		return steps
	}
	if live.Default == nil || !canon.SameButtons(live.Default.Buttons, d.def) {
		steps = append(steps, plans.Step{Action: plans.ActionCreateDefault, Name: "default menu", After: d.def})
	}
	lives := live.NewestFirst()
	managed := func(m wechat.ConditionalMenu) bool {
		return !m.MatchRule.IsDead() && !slices.Contains(d.unmanaged, m.MatchRule)
	}
	var keep map[int]bool
	k := 0
	for ; k <= len(d.menus); k++ {
		if keep = inOrderFromOldest(d.menus[k:], lives, managed); keep != nil {
			break
		}
	}
	for i := k - 1; i >= 0; i-- {
		w := d.menus[i]
		steps = append(steps, plans.Step{Action: plans.ActionAddConditional, Name: w.name, MatchRule: &w.rule, After: w.buttons})
	}
	for j, m := range lives {
		if !keep[j] && (managed(m) || m.MatchRule.IsDead()) && !slices.Contains(d.unmanaged, m.MatchRule) {
			steps = append(steps, plans.Step{Action: plans.ActionDelConditional, Name: "live " + m.MenuID, MenuID: m.MenuID})
		}
	}
	return steps
}

// inOrderFromOldest returns the live indexes (newest-first order) matching
// want in order, or nil when want does not appear; an empty want matches
// with nothing kept.
func inOrderFromOldest(want []wantMenu, lives []wechat.ConditionalMenu, managed func(wechat.ConditionalMenu) bool) map[int]bool {
	picked := map[int]bool{}
	i := len(want) - 1
	for j := len(lives) - 1; j >= 0 && i >= 0; j-- {
		if managed(lives[j]) && lives[j].MatchRule == want[i].rule && canon.SameButtons(lives[j].Buttons, want[i].buttons) {
			picked[j] = true
			i--
		}
	}
	if i >= 0 {
		return nil
	}
	return picked
}

// run makes one step's call.
func (h *harness) run(s plans.Step) {
	h.t.Helper()
	ctx := h.t.Context()
	var err error
	switch s.Action {
	case plans.ActionCreateDefault:
		err = h.client.CreateMenu(ctx, s.After)
	case plans.ActionAddConditional:
		_, err = h.client.AddConditional(ctx, s.After, *s.MatchRule)
	case plans.ActionDelConditional:
		err = h.client.DelConditional(ctx, s.MenuID)
	case plans.ActionDeleteAll:
		err = h.client.DeleteMenu(ctx)
	}
	if err != nil {
		h.t.Fatalf("%s %s: %v", s.Action, s.Name, err)
	}
}

// rebuild publishes live's menus oldest first through the API.
func (h *harness) rebuild(live *wechat.MenuSet) {
	h.t.Helper()
	if live.Default == nil {
		return
	}
	if err := h.client.CreateMenu(h.t.Context(), live.Default.Buttons); err != nil {
		h.t.Fatal(err)
	}
	for _, m := range slices.Backward(live.NewestFirst()) {
		if _, err := h.client.AddConditional(h.t.Context(), m.Buttons, m.MatchRule); err != nil {
			h.t.Fatal(err)
		}
	}
}

// renumber maps the menuids of steps from one copy of an account to
// another built the same way (menus in the same newest-first positions).
func renumber(steps []plans.Step, from, to *wechat.MenuSet) []plans.Step {
	ids := map[string]string{}
	a, b := from.NewestFirst(), to.NewestFirst()
	for i := range a {
		ids[a[i].MenuID] = b[i].MenuID
	}
	out := slices.Clone(steps)
	for i := range out {
		if out[i].MenuID != "" {
			out[i].MenuID = ids[out[i].MenuID]
		}
	}
	return out
}

package reconcile

import (
	"errors"
	"flag"
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/wxmenu/wxmenu/reconcile/canon"
	"github.com/wxmenu/wxmenu/reconcile/desired"
	"github.com/wxmenu/wxmenu/reconcile/plans"
	"github.com/wxmenu/wxmenu/wechat"
)

var longRandom = flag.Bool("long", false, "run many more randomized plan cases")

// accountSim is a pure in-test model of the account as WeChat keeps it:
// menu/addconditional puts the new menu first (newest) with a fresh menuid,
// menu/delconditional removes by menuid, menu/create replaces the default,
// menu/delete wipes everything. It enforces the count and URL-domain caps
// and 65303, and fails on anything WeChat would reject.
type accountSim struct {
	def     []wechat.Button // nil: no menu
	hasDef  bool
	conds   []wechat.ConditionalMenu // newest first
	nextID  int
	maxCond int
}

func newAccountSim(live *wechat.MenuSet, maxCond int) *accountSim {
	s := &accountSim{maxCond: maxCond, conds: live.NewestFirst()}
	if live.Default != nil {
		s.def, s.hasDef = live.Default.Buttons, true
	}
	for _, c := range live.Conditional {
		id, _ := strconv.Atoi(c.MenuID)
		s.nextID = max(s.nextID, id+1)
	}
	return s
}

func (s *accountSim) apply(st plans.Step) error {
	switch st.Action {
	case plans.ActionCreateDefault:
		s.def, s.hasDef = st.After, true
	case plans.ActionDeleteAll:
		s.def, s.hasDef, s.conds = nil, false, nil
	case plans.ActionDelConditional:
		i := slices.IndexFunc(s.conds, func(c wechat.ConditionalMenu) bool { return c.MenuID == st.MenuID })
		if i < 0 {
			return fmt.Errorf("65301: no conditional menu %s", st.MenuID)
		}
		s.conds = slices.Delete(s.conds, i, i+1)
	case plans.ActionAddConditional:
		switch {
		case !s.hasDef:
			return errors.New("65303: no default menu")
		case st.MatchRule == nil || st.MatchRule.IsEmpty():
			return errors.New("65304: empty matchrule")
		case st.MatchRule.IsDead():
			return errors.New("65320: privacy matchrule")
		}
		m := wechat.ConditionalMenu{MenuID: strconv.Itoa(s.nextID), MatchRule: *st.MatchRule, Buttons: st.After}
		s.nextID++
		s.conds = append([]wechat.ConditionalMenu{m}, s.conds...)
		if len(s.conds) > s.maxCond {
			return fmt.Errorf("65305: %d conditional menus", len(s.conds))
		}
		if n := len(simDomains(s.conds)); n > wechat.MaxURLDomains {
			return fmt.Errorf("65316: %d URL domains", n)
		}
	default:
		return fmt.Errorf("unknown action %q", st.Action)
	}
	return nil
}

func simDomains(ms []wechat.ConditionalMenu) map[string]bool {
	out := map[string]bool{}
	for _, m := range ms {
		for _, h := range wechat.URLDomains(m.Buttons) {
			out[h] = true
		}
	}
	return out
}

// menuSet returns the account as menu/get would, listing the conditional
// menus in a shuffled order (priority comes from the menuids).
func (s *accountSim) menuSet(r *rand.Rand) *wechat.MenuSet {
	out := &wechat.MenuSet{Conditional: slices.Clone(s.conds)}
	if s.hasDef {
		out.Default = &wechat.Menu{Buttons: s.def}
	}
	r.Shuffle(len(out.Conditional), func(i, j int) {
		out.Conditional[i], out.Conditional[j] = out.Conditional[j], out.Conditional[i]
	})
	return out
}

// randomCase is one generated account and desired state.
type randomCase struct {
	live    *wechat.MenuSet
	ds      *desired.State
	maxCond int
}

func (c randomCase) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "maxCond=%d\nlive default=%v\n", c.maxCond, c.live.Default != nil)
	for _, m := range c.live.NewestFirst() {
		fmt.Fprintf(&b, "  live #%s %s %s\n", m.MenuID, string(canon.JSON(m.MatchRule)), canon.CanonicalButtons(m.Buttons))
	}
	if c.ds.Default == nil {
		b.WriteString("desired: no default\n")
	}
	for _, m := range c.ds.Conditional {
		fmt.Fprintf(&b, "  want %s %s %s\n", m.Name, string(canon.JSON(m.MatchRule)), canon.CanonicalButtons(m.Buttons))
	}
	return b.String()
}

var (
	randomRules = []wechat.MatchRule{
		{TagID: "1"}, {TagID: "2"}, {ClientPlatformType: "1"}, {TagID: "3", ClientPlatformType: "2"}, {TagID: "4"},
	}
	randomButtons = [][]wechat.Button{
		clickButtons("a"), clickButtons("b"), viewButtons("d1.example"), viewButtons("d2.example"),
		viewButtons("d3.example"), viewButtons("d4.example"),
		{{Name: "p", SubButtons: []wechat.Button{
			{Type: "view", Name: "x", URL: "https://d1.example/x"}, {Type: "miniprogram", Name: "m", URL: "https://d2.example/", AppID: "wx1", PagePath: "i"},
		}}},
	}
	randomUnmanaged = wechat.MatchRule{TagID: "900"}
	randomDead      = []wechat.MatchRule{{Sex: "1"}, {TagID: "1", Language: "zh_CN"}}
	randomDefaults  = [][]wechat.Button{clickButtons("home"), clickButtons("home2")}
)

// genCase makes a random case. small keeps it within brute-force reach: at
// most 4 live and 4 desired menus built from few distinct rules and buttons.
func genCase(r *rand.Rand, small bool) randomCase {
	nLive, nWant, nRules, nButtons := r.IntN(7), r.IntN(6), len(randomRules), len(randomButtons)
	if small {
		nLive, nWant, nRules, nButtons = r.IntN(5), r.IntN(5), 3, 3
	}
	c := randomCase{maxCond: 3 + r.IntN(6), live: &wechat.MenuSet{}}
	if nLive > 0 || r.IntN(5) > 0 {
		c.live.Default = &wechat.Menu{Buttons: randomDefaults[r.IntN(2)]}
	}
	if c.live.Default != nil {
		ids := r.Perm(nLive + 3)[:nLive] // gaps in menuids, any order
		for _, id := range ids {
			m := wechat.ConditionalMenu{MenuID: strconv.Itoa(id + 100), Buttons: randomButtons[r.IntN(nButtons)]}
			switch k := r.IntN(10); {
			case k == 0:
				m.MatchRule = randomUnmanaged
			case k == 1:
				m.MatchRule = randomDead[r.IntN(len(randomDead))]
			default:
				m.MatchRule = randomRules[r.IntN(nRules)]
			}
			c.live.Conditional = append(c.live.Conditional, m)
		}
	}
	c.ds = &desired.State{Path: "menus.yaml", Unmanaged: []desired.UnmanagedRule{{MatchRule: randomUnmanaged}}}
	if r.IntN(20) == 0 {
		return c // no menu at all
	}
	c.ds.Default = &desired.Default{Buttons: randomDefaults[r.IntN(2)]}
	for i, ri := range r.Perm(nRules)[:min(nWant, nRules)] {
		c.ds.Conditional = append(c.ds.Conditional, desired.Conditional{
			Name: fmt.Sprintf("m%d", i+1), MatchRule: randomRules[ri], Buttons: randomButtons[r.IntN(nButtons)],
			Protect: r.IntN(4) == 0,
		})
	}
	return c
}

// feasible reports whether the desired end state fits WeChat's caps
// together with the unmanaged menus that stay (none stay when the file
// declares no menu).
func (c randomCase) feasible() bool {
	if c.ds.Default == nil && len(c.ds.Conditional) == 0 {
		return true // menu/delete empties the account, unmanaged menus included
	}
	var end []wechat.ConditionalMenu
	for _, m := range c.live.Conditional {
		if string(canon.JSON(m.MatchRule)) == string(canon.JSON(randomUnmanaged)) {
			end = append(end, m)
		}
	}
	for _, m := range c.ds.Conditional {
		end = append(end, wechat.ConditionalMenu{MatchRule: m.MatchRule, Buttons: m.Buttons})
	}
	return len(end) <= c.maxCond && len(simDomains(end)) <= wechat.MaxURLDomains
}

func TestNewPlanRandomized(t *testing.T) {
	cases := 2000
	if *longRandom {
		cases = 100000
	}
	r := rand.New(rand.NewPCG(20250301, 1))
	allow := SafetyOptions{AllowEmpty: true, AllowDeleteAll: true, AllowProtected: true, AllowManyDeletes: true}
	bruteForced, planned := 0, 0
	blockedBy := map[string]int{}
	for i := range cases {
		small := i%2 == 0
		c := genCase(r, small)
		fail := func(format string, args ...any) {
			t.Helper()
			t.Fatalf("case %d: %s\n%s", i, fmt.Sprintf(format, args...), c)
		}
		p, err := planOrBlocked(c.live, c.ds, PlanOptions{MaxConditional: c.maxCond, Safety: allow, DesiredFile: "menus.yaml"})
		if !c.feasible() {
			// The generator can make a live account already over the caps;
			// a plan that creates nothing never meets them and may stand.
			creates := err == nil && slices.ContainsFunc(p.Steps, func(s plans.Step) bool { return s.Action == plans.ActionAddConditional })
			if creates || (err != nil && !strings.Contains(err.Error(), "even after deleting every stale menu")) {
				fail("infeasible end state: NewPlan error = %v", err)
			}
			if err != nil {
				continue
			}
		}
		if err != nil {
			fail("NewPlan: %v", err)
		}

		// The rails only add to the plan: without overrides the same steps come back.
		strict, serr := planOrBlocked(c.live, c.ds, PlanOptions{MaxConditional: c.maxCond, DesiredFile: "menus.yaml"})
		var se *SafetyError
		if serr != nil && !errors.As(serr, &se) {
			fail("NewPlan without overrides: %v", serr)
		}
		if len(strict.Steps) != len(p.Steps) || (serr == nil) != (len(p.Overrides) == 0) {
			fail("rails changed the plan: %d vs %d steps, error %v, overrides %v", len(strict.Steps), len(p.Steps), serr, p.Overrides)
		}
		planned++
		for _, v := range strict.Blocked {
			blockedBy[v.Rail]++
		}

		sim := newAccountSim(c.live, c.maxCond)
		for k, s := range p.Steps {
			if err := sim.apply(s); err != nil {
				fail("step %d (%s %s) rejected: %v\nsteps:\n%s", k+1, s.Action, s.Name, err, strings.Join(stepStrings(p), "\n"))
			}
		}
		checkConverged(t, fail, c, sim)

		again, err := planOrBlocked(sim.menuSet(r), c.ds, PlanOptions{MaxConditional: c.maxCond, Safety: allow})
		if err != nil {
			fail("re-plan: %v", err)
		}
		if again.HasChanges() {
			fail("re-plan after apply has steps:\n%s", strings.Join(stepStrings(again), "\n"))
		}

		if small && c.ds.Default != nil && len(p.Steps) <= 7 {
			bruteForced++
			if shorter, ok := shorterPlanExists(c, len(p.Steps)); ok {
				fail("plan has %d steps but %d suffice:\nplan:\n%s", len(p.Steps), shorter, strings.Join(stepStrings(p), "\n"))
			}
		}
	}
	// How often the default rails block a random plan, per rail: the
	// many-deletes rail should fire on few of them (the generator mostly
	// edits, reorders and replaces).
	t.Logf("%d plans; blocked at the default rails: %v", planned, blockedBy)
	if bruteForced < cases/5 {
		t.Errorf("only %d of %d cases were checked by brute force", bruteForced, cases)
	}
}

func checkConverged(t *testing.T, fail func(string, ...any), c randomCase, sim *accountSim) {
	t.Helper()
	var managed, unmanaged []string
	for _, m := range sim.conds {
		id := string(canon.JSON(m.MatchRule)) + " " + canon.CanonicalButtons(m.Buttons)
		if string(canon.JSON(m.MatchRule)) == string(canon.JSON(randomUnmanaged)) {
			unmanaged = append(unmanaged, m.MenuID+" "+id)
		} else {
			managed = append(managed, id)
		}
	}
	var want []string
	for _, m := range c.ds.Conditional {
		want = append(want, string(canon.JSON(m.MatchRule))+" "+canon.CanonicalButtons(m.Buttons))
	}
	if !slices.Equal(want, managed) {
		fail("managed menus after apply:\n%s\nwant:\n%s", strings.Join(managed, "\n"), strings.Join(want, "\n"))
	}
	if c.ds.Default == nil {
		if sim.hasDef || len(sim.conds) > 0 {
			fail("account not empty after apply")
		}
		return
	}
	if !sim.hasDef || canon.CanonicalButtons(sim.def) != canon.CanonicalButtons(c.ds.Default.Buttons) {
		fail("default menu after apply: %s", canon.CanonicalButtons(sim.def))
	}
	var before []string
	for _, m := range c.live.NewestFirst() {
		if string(canon.JSON(m.MatchRule)) == string(canon.JSON(randomUnmanaged)) {
			before = append(before, m.MenuID+" "+string(canon.JSON(m.MatchRule))+" "+canon.CanonicalButtons(m.Buttons))
		}
	}
	if !slices.Equal(before, unmanaged) {
		fail("unmanaged menus changed:\n%s\nwant:\n%s", strings.Join(unmanaged, "\n"), strings.Join(before, "\n"))
	}
}

// bfsMenu is a conditional menu in the brute-force search: its identity
// and whether it is unmanaged (never deleted).
type bfsMenu struct {
	id        byte // interned identity
	domains   []string
	unmanaged bool
}

type bfsState struct {
	def   byte // interned default buttons, 0 for none
	conds []bfsMenu
}

func (s bfsState) key() string {
	b := make([]byte, 0, 1+2*len(s.conds))
	b = append(b, s.def)
	for _, m := range s.conds {
		u := byte(0)
		if m.unmanaged {
			u = 1
		}
		b = append(b, m.id, u)
	}
	return string(b)
}

// shorterPlanExists searches every sequence of menu/create,
// menu/addconditional and menu/delconditional calls shorter than planLen
// (breadth first, caps and 65303 enforced, unmanaged menus never deleted)
// for one that reaches the desired state. menu/delete is left out: it
// would remove the unmanaged menus and plans use it only for an empty file.
func shorterPlanExists(c randomCase, planLen int) (int, bool) {
	interned := map[string]byte{}
	intern := func(s string) byte {
		if b, ok := interned[s]; ok {
			return b
		}
		interned[s] = byte(len(interned) + 1)
		return interned[s]
	}
	wantDef := intern(canon.CanonicalButtons(c.ds.Default.Buttons))
	var adds []bfsMenu
	var goal []byte
	for _, m := range c.ds.Conditional {
		bm := bfsMenu{id: intern(string(canon.JSON(m.MatchRule)) + " " + canon.CanonicalButtons(m.Buttons)), domains: wechat.URLDomains(m.Buttons)}
		adds = append(adds, bm)
		goal = append(goal, bm.id)
	}
	start := bfsState{}
	if c.live.Default != nil {
		start.def = intern(canon.CanonicalButtons(c.live.Default.Buttons))
	}
	for _, m := range c.live.NewestFirst() {
		start.conds = append(start.conds, bfsMenu{
			id:        intern(string(canon.JSON(m.MatchRule)) + " " + canon.CanonicalButtons(m.Buttons)),
			domains:   wechat.URLDomains(m.Buttons),
			unmanaged: string(canon.JSON(m.MatchRule)) == string(canon.JSON(randomUnmanaged)),
		})
	}
	isGoal := func(s bfsState) bool {
		if s.def != wantDef {
			return false
		}
		var managed []byte
		for _, m := range s.conds {
			if !m.unmanaged {
				managed = append(managed, m.id)
			}
		}
		return slices.Equal(managed, goal)
	}
	fits := func(conds []bfsMenu) bool {
		hosts := map[string]bool{}
		for _, m := range conds {
			for _, h := range m.domains {
				hosts[h] = true
			}
		}
		return len(conds) <= c.maxCond && len(hosts) <= wechat.MaxURLDomains
	}
	frontier := []bfsState{start}
	seen := map[string]bool{start.key(): true}
	for depth := 0; depth < planLen; depth++ {
		var next []bfsState
		for _, s := range frontier {
			if isGoal(s) {
				return depth, true
			}
			var succ []bfsState
			if s.def != wantDef {
				succ = append(succ, bfsState{def: wantDef, conds: s.conds})
			}
			if s.def != 0 {
				for _, a := range adds {
					conds := append([]bfsMenu{a}, s.conds...)
					if fits(conds) {
						succ = append(succ, bfsState{def: s.def, conds: conds})
					}
				}
			}
			for i, m := range s.conds {
				if !m.unmanaged {
					succ = append(succ, bfsState{def: s.def, conds: slices.Delete(slices.Clone(s.conds), i, i+1)})
				}
			}
			for _, n := range succ {
				if k := n.key(); !seen[k] {
					seen[k] = true
					next = append(next, n)
				}
			}
		}
		frontier = next
	}
	return 0, false
}

// TestShorterPlanExistsFindsShortcuts checks the brute force itself: it must
// find the known minimum, so that its silence in the randomized test means
// something.
func TestShorterPlanExistsFindsShortcuts(t *testing.T) {
	c := randomCase{
		maxCond: 10,
		live:    liveAccount(liveCond("2", tagRule("1"), mA), liveCond("1", tagRule("2"), mB)),
		ds:      dsMenus(wantCond("b", tagRule("2"), mB), wantCond("a", tagRule("1"), mA)),
	}
	// Reordering two menus takes 2 calls: nothing shorter, and 2 is found.
	if n, ok := shorterPlanExists(c, 2); ok {
		t.Errorf("found a %d-call plan for a reorder; 2 is the minimum", n)
	}
	if n, ok := shorterPlanExists(c, 3); !ok || n != 2 {
		t.Errorf("shorterPlanExists(3) = %d, %v; want 2, true", n, ok)
	}
}

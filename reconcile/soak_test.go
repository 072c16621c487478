package reconcile_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/wxmenu/wxmenu/reconcile"
	"github.com/wxmenu/wxmenu/reconcile/audit"
	"github.com/wxmenu/wxmenu/reconcile/canon"
	"github.com/wxmenu/wxmenu/reconcile/desired"
	"github.com/wxmenu/wxmenu/reconcile/plans"
	"github.com/wxmenu/wxmenu/wechat"
	"github.com/wxmenu/wxmenu/wechat/wechattest"
)

// The soak test applies random plans to random accounts on the emulator,
// over real HTTP with the real client, while the emulator answers busy,
// answers 502, drops responses after making the change, delays every call
// and expires the access token mid-apply. Whatever happens, one more plan
// and apply without faults must leave the account exactly as declared,
// without a duplicate, without a menu deleted that no plan deleted, and
// without any call having taken effect twice.

var (
	soak     = flag.Bool("soak", false, "run the long apply soak under faults (also WXMENU_SOAK=1)")
	soakSeed = flag.Uint64("soak.seed", 20250611, "first seed of the apply soak; case i uses seed+i")
)

const soakAttempts = 4 // the client's retry attempts per call

var (
	// soakRules never shadow one another: followers carry one tag (the
	// latest) and one platform.
	soakRules = []wechat.MatchRule{
		{TagID: "1"}, {TagID: "2"}, {TagID: "3", ClientPlatformType: "1"},
		{TagID: "4", ClientPlatformType: "2"}, {ClientPlatformType: "3"},
	}
	soakUnmanaged = wechat.MatchRule{TagID: "900"}
	// soakDead are pre-privacy-change rules: menu/get lists them, nobody
	// matches them, addconditional refuses them.
	soakDead = []wechat.MatchRule{
		{Sex: "1"}, {TagID: "1", Language: "zh_CN"}, {Country: "中国", Province: "广东"},
	}
	soakDomains = []string{"a.example.com", "b.example.com", "c.example.com", "d.example.com", "e.example.com"}
)

// soakCase is one generated account, desired state and fault setting.
type soakCase struct {
	seed     uint64
	maxCond  int
	live     wechat.MenuSet
	ds       *desired.State
	faults   wechattest.Faults
	expireAt map[int]bool // plan step indexes before which tokens expire
}

func (c *soakCase) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "seed %d (replay: go test ./reconcile -run TestApplySoak -soak.seed=%d), max conditional %d, faults %+v, token expiry before steps %v\n",
		c.seed, c.seed, c.maxCond, c.faults, sortedKeys(c.expireAt))
	if c.live.Default == nil {
		b.WriteString("live: no menu\n")
	} else {
		fmt.Fprintf(&b, "live default %s\n", canon.CanonicalButtons(c.live.Default.Buttons))
	}
	for _, m := range c.live.Conditional {
		fmt.Fprintf(&b, "  live %s %s\n", string(canon.JSON(m.MatchRule)), canon.CanonicalButtons(m.Buttons))
	}
	if c.ds.Default == nil {
		b.WriteString("desired: no menu\n")
	} else {
		fmt.Fprintf(&b, "desired default %s\n", canon.CanonicalButtons(c.ds.Default.Buttons))
	}
	for _, m := range c.ds.Conditional {
		fmt.Fprintf(&b, "  want %s %s %s\n", m.Name, string(canon.JSON(m.MatchRule)), canon.CanonicalButtons(m.Buttons))
	}
	return b.String()
}

func sortedKeys(m map[int]bool) []int {
	var out []int
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// soakButtons returns a random button list whose view URLs use only the
// given domains (none: click buttons only).
func soakButtons(r *rand.Rand, domains []string) []wechat.Button {
	leaf := func() wechat.Button {
		if len(domains) > 0 && r.IntN(2) == 0 {
			d := domains[r.IntN(len(domains))]
			return wechat.Button{Type: "view", Name: "网站" + d[:1], URL: "https://" + d + "/p" + fmt.Sprint(r.IntN(2))}
		}
		k := fmt.Sprint(r.IntN(3))
		return wechat.Button{Type: "click", Name: "按钮" + k, Key: "K" + k}
	}
	switch r.IntN(3) {
	case 0:
		return []wechat.Button{leaf()}
	case 1:
		return []wechat.Button{leaf(), leaf()}
	}
	return []wechat.Button{{Name: "更多", SubButtons: []wechat.Button{leaf(), leaf()}}, leaf()}
}

// pickDomains returns zero to three of soakDomains.
func pickDomains(r *rand.Rand) []string {
	start := r.IntN(len(soakDomains) - wechat.MaxURLDomains + 1)
	return soakDomains[start : start+r.IntN(wechat.MaxURLDomains+1)]
}

func genSoakCase(seed uint64) *soakCase {
	r := rand.New(rand.NewPCG(seed, 0x736f616b))
	c := &soakCase{seed: seed, maxCond: 3 + r.IntN(6), expireAt: map[int]bool{}}
	defaults := [][]wechat.Button{
		{{Type: "click", Name: "首页", Key: "HOME"}},
		{{Type: "click", Name: "首页", Key: "HOME"}, {Type: "view", Name: "官网", URL: "https://www.example.com/"}},
	}

	// Live: at most three URL domains and maxCond menus, as WeChat allows.
	liveDomains := pickDomains(r)
	wantDomains := pickDomains(r)
	nLive := r.IntN(c.maxCond + 1)
	if nLive > 0 || r.IntN(8) > 0 {
		c.live.Default = &wechat.Menu{Buttons: defaults[r.IntN(2)]}
	} else {
		nLive = 0
	}

	// Desired: distinct rules, room left for the unmanaged menus that stay.
	c.ds = &desired.State{Path: "menus.yaml"}
	empty := r.IntN(25) == 0
	unmanagedLive := 0
	if !empty {
		c.ds.Unmanaged = []desired.UnmanagedRule{{MatchRule: soakUnmanaged}}
		c.ds.Default = &desired.Default{Buttons: defaults[r.IntN(2)]}
	}
	var liveMenus []wechat.ConditionalMenu
	for range nLive {
		m := wechat.ConditionalMenu{MatchRule: soakRules[r.IntN(len(soakRules))], Buttons: soakButtons(r, liveDomains)}
		switch k := r.IntN(10); {
		case k == 0:
			m.MatchRule = soakUnmanaged
			m.Buttons = soakButtons(r, nil) // stays: must not add domains
			unmanagedLive++
		case k <= 2:
			m.MatchRule = soakDead[r.IntN(len(soakDead))]
		}
		liveMenus = append(liveMenus, m)
	}
	if !empty {
		nWant := r.IntN(min(len(soakRules), c.maxCond-unmanagedLive) + 1)
		for i, ri := range r.Perm(len(soakRules))[:nWant] {
			c.ds.Conditional = append(c.ds.Conditional, desired.Conditional{
				Name: fmt.Sprintf("m%d", i+1), MatchRule: soakRules[ri], Buttons: soakButtons(r, wantDomains),
			})
		}
	}
	// Copies of desired menus on the account, some of them duplicated, in
	// random places: what an interrupted earlier apply leaves behind.
	for i := range liveMenus {
		if len(c.ds.Conditional) > 0 && r.IntN(3) == 0 && liveMenus[i].MatchRule != soakUnmanaged {
			d := c.ds.Conditional[r.IntN(len(c.ds.Conditional))]
			if domainsOK(append(slices.Clone(liveMenus), wechat.ConditionalMenu{Buttons: d.Buttons})) {
				liveMenus[i] = wechat.ConditionalMenu{MatchRule: d.MatchRule, Buttons: d.Buttons}
			}
		}
	}
	if n := len(liveMenus); n >= 2 && r.IntN(2) == 0 {
		i, j := r.IntN(n), r.IntN(n) // an exact duplicate (same rule and buttons)
		if liveMenus[i].MatchRule != soakUnmanaged && liveMenus[j].MatchRule != soakUnmanaged {
			liveMenus[j] = liveMenus[i]
		}
	}
	// Menuids decide the order; the emulator assigns fresh ones in this
	// order, newest first.
	for i := range liveMenus {
		liveMenus[i].MenuID = fmt.Sprint(1000 - i)
	}
	if c.live.Default != nil {
		c.live.Conditional = liveMenus
	}

	if r.IntN(4) > 0 {
		c.faults.BusyRate = 0.05 + r.Float64()*0.25
	}
	if r.IntN(4) > 0 {
		c.faults.DropRate = 0.05 + r.Float64()*0.35
	}
	if r.IntN(4) == 0 {
		c.faults.HTTP502Rate = r.Float64() * 0.15
	}
	if r.IntN(3) == 0 {
		c.faults.Latency = time.Duration(r.IntN(1500)) * time.Microsecond
	}
	for i := range 12 {
		if r.IntN(5) == 0 {
			c.expireAt[i] = true
		}
	}
	// Drawn last, so the cases of a seed are otherwise as they were before
	// this fault existed.
	if r.IntN(3) == 0 {
		c.faults.LateRate = 0.1 + r.Float64()*0.4
		c.faults.LateDelay = time.Duration(5+r.IntN(20)) * time.Millisecond
	}
	return c
}

// domainsOK reports whether menus stay within WeChat's URL-domain cap.
func domainsOK(menus []wechat.ConditionalMenu) bool {
	set := map[string]bool{}
	var walk func([]wechat.Button)
	walk = func(bs []wechat.Button) {
		for _, b := range bs {
			if b.URL != "" {
				set[strings.SplitN(strings.TrimPrefix(b.URL, "https://"), "/", 2)[0]] = true
			}
			walk(b.SubButtons)
		}
	}
	for _, m := range menus {
		walk(m.Buttons)
	}
	return len(set) <= wechat.MaxURLDomains
}

// faultObserver counts the faults the client actually met, by watching the
// emulator's answers on the wire.
type faultObserver struct {
	next http.Handler

	mu                                sync.Mutex
	busy, badGateway, dropped, tokens int
}

func (o *faultObserver) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if !strings.HasPrefix(r.URL.Path, "/cgi-bin/") {
		o.next.ServeHTTP(w, r)
		return
	}
	ow := &observedWriter{ResponseWriter: w}
	o.next.ServeHTTP(ow, r)
	o.mu.Lock()
	defer o.mu.Unlock()
	switch {
	case ow.hijacked:
		o.dropped++
	case ow.status == http.StatusBadGateway:
		o.badGateway++
	case bytes.Contains(ow.body, []byte(`"errcode":-1,`)):
		o.busy++
	case bytes.Contains(ow.body, []byte(`"errcode":42001`)), bytes.Contains(ow.body, []byte(`"errcode":40001`)):
		o.tokens++
	}
}

type observedWriter struct {
	http.ResponseWriter
	status   int
	body     []byte
	hijacked bool
}

func (w *observedWriter) WriteHeader(code int) {
	w.status = code
	w.ResponseWriter.WriteHeader(code)
}

func (w *observedWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	if len(w.body) < 256 {
		w.body = append(w.body, b...)
	}
	return w.ResponseWriter.Write(b)
}

// Hijack passes the emulator's dropped responses through.
func (w *observedWriter) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	hj, ok := w.ResponseWriter.(http.Hijacker)
	if !ok {
		return nil, nil, http.ErrNotSupported
	}
	w.hijacked = true
	return hj.Hijack()
}

// soakTotals are the figures the soak reports.
type soakTotals struct {
	cases, steps, effects, mutatingCalls       int
	busy, badGateway, dropped, tokenRejections int
	expiries, rereads                          int
	partial, notConverged, readFailed          int
	secondRounds                               int
	lateDelivered, unknownOutcomes             int
	duplicatesLeft, unplannedDeletes           int
	// What the cases exercised.
	deadLive, duplicateLive, deleteFirst, deleteAll int
}

var mutatingEndpoints = []string{"menu/create", "menu/delete", "menu/addconditional", "menu/delconditional"}

func sumCalls(calls map[string]int) int {
	n := 0
	for _, ep := range mutatingEndpoints {
		n += calls[ep]
	}
	return n
}

func TestApplySoakUnderFaults(t *testing.T) {
	cases := 30
	if *soak || os.Getenv("WXMENU_SOAK") == "1" {
		cases = 500
	}
	var tot soakTotals
	start := time.Now()
	dir := t.TempDir()
	for i := range cases {
		c := genSoakCase(*soakSeed + uint64(i))
		if !runSoakCase(t, c, filepath.Join(dir, fmt.Sprintf("audit-%d.jsonl", c.seed)), &tot) {
			t.Fatalf("case failed:\n%s", c)
		}
	}
	t.Logf("soak: %d cases in %v (seeds %d..%d): %d plan steps, %d took effect, %d mutating calls; "+
		"faults met: %d busy, %d HTTP 502, %d dropped responses, %d token rejections after %d forced expiries; "+
		"%d re-reads after lost responses; round 1 ended %d partial, %d not converged, %d failed reads; %d second rounds; "+
		"accounts held %d dead and %d duplicate menus; plans had %d delete-first steps and %d menu/delete; "+
		"%d calls delivered late, %d steps stopped with an unknown outcome; converged %d of %d, %d duplicates left, %d unplanned deletes",
		tot.cases, time.Since(start).Round(time.Millisecond), *soakSeed, *soakSeed+uint64(cases)-1,
		tot.steps, tot.effects, tot.mutatingCalls,
		tot.busy, tot.badGateway, tot.dropped, tot.tokenRejections, tot.expiries, tot.rereads,
		tot.partial, tot.notConverged, tot.readFailed, tot.secondRounds,
		tot.deadLive, tot.duplicateLive, tot.deleteFirst, tot.deleteAll,
		tot.lateDelivered, tot.unknownOutcomes, tot.cases, cases, tot.duplicatesLeft, tot.unplannedDeletes)
	if cases >= 30 && (tot.dropped == 0 || tot.busy == 0 || tot.rereads == 0 || tot.expiries == 0) {
		t.Errorf("the soak injected too few faults to mean anything: %+v", tot)
	}
}

// runSoakCase runs one case and reports whether every check held.
func runSoakCase(t *testing.T, c *soakCase, auditPath string, tot *soakTotals) bool {
	t.Helper()
	ok := true
	errorf := func(format string, args ...any) {
		t.Helper()
		t.Errorf(format, args...)
		ok = false
	}
	if diags := desired.Validate(c.ds); diags != nil {
		errorf("generated desired state is invalid: %v", diags)
		return false
	}
	ctx := context.Background()
	emu := wechattest.New(wechattest.Config{Seed: int64(c.seed), MaxConditional: c.maxCond})
	emu.SeedMenus(c.live)
	rec := wechattest.NewEffectRecorder(emu)
	obs := &faultObserver{next: rec}
	srv := httptest.NewServer(obs)
	defer srv.Close()
	opts := []wechat.Option{
		wechat.WithBaseURLs(srv.URL),
		wechat.WithCredentials(wechattest.DefaultAppID, wechattest.DefaultSecret),
		wechat.WithRetry(soakAttempts, 100*time.Microsecond, time.Millisecond),
	}
	if c.faults.LateRate > 0 {
		// A held call lands only once its client gives up.
		opts = append(opts, wechat.WithHTTPClient(&http.Client{Timeout: 150 * time.Millisecond}))
	}
	client, err := wechat.New(opts...)
	if err != nil {
		t.Fatal(err)
	}
	planOpts := reconcile.PlanOptions{
		AppID: wechattest.DefaultAppID, MaxConditional: c.maxCond,
		Safety: reconcile.SafetyOptions{AllowEmpty: true, AllowDeleteAll: true, AllowProtected: true, AllowManyDeletes: true},
	}
	before := menuIDs(emu.Menus())

	// Round 1: plan on a clean read, apply under faults.
	live, err := client.GetMenu(ctx)
	if err != nil {
		errorf("reading the account: %v", err)
		return false
	}
	plan, err := reconcile.NewPlan(reconcile.LiveRead{Menus: live}, c.ds, planOpts)
	if err != nil {
		errorf("planning: %v", err)
		return false
	}
	deleted := planDeletes(plan, before)
	emu.SetFaults(c.faults)
	expiries := 0
	audit, err := audit.Open(auditPath, "soak")
	if err != nil {
		t.Fatal(err)
	}
	res, applyErr := reconcile.Apply(ctx, client, plan, reconcile.ApplyOptions{
		AppID: wechattest.DefaultAppID, Desired: c.ds, MaxConditional: c.maxCond, Audit: audit,
		Progress: func(ev reconcile.ProgressEvent) {
			if ev.Result == nil && c.expireAt[ev.Index] {
				emu.ExpireTokens()
				expiries++
			}
		},
	})
	if err := audit.Close(); err != nil {
		errorf("audit log: %v", err)
	}
	emu.SetFaults(wechattest.Faults{})
	rec.WaitLate() // "run plan again" comes after a held call has landed, and is counted
	round1Effects := rec.Effects()
	round1Calls := sumCalls(emu.Calls())
	obs.mu.Lock()
	tokenRejections := obs.tokens
	obs.mu.Unlock()

	var partial *reconcile.PartialError
	var notConverged *reconcile.NotConvergedError
	var stale *reconcile.StaleError
	secondRound := applyErr != nil
	switch {
	case applyErr == nil:
	case errors.As(applyErr, &stale):
		errorf("round 1: nothing changed the account, yet: %v", applyErr)
	case errors.As(applyErr, &partial):
		tot.partial++
	case errors.As(applyErr, &notConverged):
		tot.notConverged++
	case strings.Contains(applyErr.Error(), "reading the account") || strings.Contains(applyErr.Error(), "verifying the account"):
		tot.readFailed++ // a read failed after every retry; nothing unsafe happened
	default:
		errorf("round 1: unexpected error: %v", applyErr)
	}

	// Each call took effect at most once, and only the plan's calls did,
	// in the plan's order: the effects are a prefix of the steps.
	if len(round1Effects) > len(plan.Steps) {
		errorf("round 1: %d calls took effect for %d plan steps: %+v", len(round1Effects), len(plan.Steps), round1Effects)
	}
	for i, eff := range round1Effects {
		if i >= len(plan.Steps) {
			break
		}
		if msg := effectMatchesStep(eff, plan.Steps[i]); msg != "" {
			errorf("round 1: effect %d does not match step %d: %s", i, i, msg)
		}
	}
	if applyErr == nil && len(round1Effects) != len(plan.Steps) {
		errorf("round 1 succeeded with %d of %d steps taking effect", len(round1Effects), len(plan.Steps))
	}
	rereads := 0
	for _, s := range res.Steps {
		if s.Reread {
			rereads++
		}
	}
	// A call is sent at most soakAttempts times, once more after a token
	// rejection, and once more after a re-read found it had not happened.
	if limit := (len(plan.Steps) + rereads + tokenRejections) * soakAttempts; round1Calls > limit {
		errorf("round 1: %d mutating calls for %d steps, %d re-reads, %d token rejections (limit %d)",
			round1Calls, len(plan.Steps), rereads, tokenRejections, limit)
	}
	checkAuditLog(t, auditPath, res, errorf)

	// Round 2, only after a failure: faults off, plan and apply again.
	applied := []*plans.Plan{plan}
	if secondRound {
		tot.secondRounds++
		live, err := client.GetMenu(ctx)
		if err != nil {
			errorf("round 2: reading the account: %v", err)
			return false
		}
		plan2, err := reconcile.NewPlan(reconcile.LiveRead{Menus: live}, c.ds, planOpts)
		if err != nil {
			errorf("round 2: planning: %v", err)
			return false
		}
		for id := range planDeletes(plan2, menuIDs(*live)) {
			deleted[id] = true
		}
		n := len(rec.Effects())
		if _, err := reconcile.Apply(ctx, client, plan2, reconcile.ApplyOptions{
			AppID: wechattest.DefaultAppID, Desired: c.ds, MaxConditional: c.maxCond,
		}); err != nil {
			errorf("round 2 (no faults): %v", err)
		}
		if got := len(rec.Effects()) - n; got != len(plan2.Steps) {
			errorf("round 2: %d calls took effect for %d steps", got, len(plan2.Steps))
		}
		applied = append(applied, plan2)
	}

	// The account is exactly as declared, in order.
	final := emu.Menus()
	check, err := reconcile.NewPlan(reconcile.LiveRead{Menus: &final}, c.ds, planOpts)
	if err != nil {
		errorf("final plan: %v", err)
	} else if check.HasChanges() {
		errorf("the account did not converge: %d steps remain, first %+v", len(check.Steps), check.Steps[0])
	}
	// No declared menu exists twice.
	count := map[string]int{}
	for _, m := range final.Conditional {
		count[string(canon.JSON(m.MatchRule))+" "+canon.CanonicalButtons(m.Buttons)]++
	}
	for _, d := range c.ds.Conditional {
		if n := count[string(canon.JSON(d.MatchRule))+" "+canon.CanonicalButtons(d.Buttons)]; n != 1 {
			errorf("desired menu %s is on the account %d times", d.Name, n)
			if n > 1 {
				tot.duplicatesLeft++
			}
		}
	}
	// Nothing vanished that no plan deleted, and nothing was removed by any
	// call that no plan deleted.
	after := menuIDs(final)
	for id := range before {
		if !after[id] && !deleted[id] {
			errorf("menuid %s vanished but no plan deleted it", id)
			tot.unplannedDeletes++
		}
	}
	for _, id := range rec.Removed() {
		if before[id] && !deleted[id] {
			errorf("a call removed menuid %s, which no plan deleted", id)
			tot.unplannedDeletes++
		}
		if !before[id] {
			errorf("a call removed menuid %s, created during apply", id)
		}
	}

	tot.cases++
	for _, p := range applied {
		tot.steps += len(p.Steps)
		for _, s := range p.Steps {
			if s.DeleteFirst {
				tot.deleteFirst++
			}
			if s.Action == plans.ActionDeleteAll {
				tot.deleteAll++
			}
		}
	}
	seen := map[string]bool{}
	for _, m := range c.live.Conditional {
		if m.MatchRule.IsDead() {
			tot.deadLive++
		}
		key := string(canon.JSON(m.MatchRule)) + " " + canon.CanonicalButtons(m.Buttons)
		if seen[key] {
			tot.duplicateLive++
		}
		seen[key] = true
	}
	tot.effects += len(rec.Effects())
	tot.mutatingCalls += sumCalls(emu.Calls())
	tot.expiries += expiries
	tot.rereads += rereads
	tot.lateDelivered += emu.LateDelivered()
	for _, s := range res.Steps {
		if s.Outcome == plans.OutcomeUnknown {
			tot.unknownOutcomes++
		}
	}
	obs.mu.Lock()
	tot.busy += obs.busy
	tot.badGateway += obs.badGateway
	tot.dropped += obs.dropped
	tot.tokenRejections += obs.tokens
	obs.mu.Unlock()
	return ok
}

func menuIDs(set wechat.MenuSet) map[string]bool {
	out := map[string]bool{}
	for _, m := range set.Conditional {
		out[m.MenuID] = true
	}
	return out
}

// planDeletes returns the conditional menuids a plan deletes; menu/delete
// deletes all of live.
func planDeletes(p *plans.Plan, live map[string]bool) map[string]bool {
	out := map[string]bool{}
	for _, s := range p.Steps {
		switch s.Action {
		case plans.ActionDelConditional:
			out[s.MenuID] = true
		case plans.ActionDeleteAll:
			for id := range live {
				out[id] = true
			}
		}
	}
	return out
}

// effectMatchesStep says how a recorded effect differs from the plan step
// it should be ("" when it is that step).
func effectMatchesStep(eff wechattest.Effect, s plans.Step) string {
	if eff.Endpoint != s.Action.Endpoint() {
		return fmt.Sprintf("%s took effect where the plan calls %s", eff.Endpoint, s.Action.Endpoint())
	}
	if s.Action == plans.ActionDelConditional && !slices.Equal(eff.Removed, []string{s.MenuID}) {
		return fmt.Sprintf("removed %v, the plan deletes %s", eff.Removed, s.MenuID)
	}
	if s.Action == plans.ActionAddConditional && (eff.Created == "" || len(eff.Removed) > 0) {
		return fmt.Sprintf("created %q and removed %v", eff.Created, eff.Removed)
	}
	return ""
}

// checkAuditLog checks that the audit log holds whole JSON lines: a start,
// one line per step that ran, and an end.
func checkAuditLog(t *testing.T, path string, res *reconcile.ApplyResult, errorf func(string, ...any)) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	ran := 0
	for _, s := range res.Steps {
		if s.Outcome != plans.OutcomeNotRun {
			ran++
		}
	}
	events := map[string]int{}
	for line := range strings.Lines(string(data)) {
		var r audit.Record
		if err := json.Unmarshal([]byte(line), &r); err != nil {
			errorf("audit line is not a JSON record: %v: %q", err, line)
			continue
		}
		events[r.Event]++
	}
	if res.Reads > 0 && len(res.Steps) > 0 && (events["apply_start"] != 1 || events["step"] != ran || events["intent"] < ran) {
		errorf("audit log events %v for %d steps run", events, ran)
	}
}

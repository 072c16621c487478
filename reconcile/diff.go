package reconcile

// How a plan is computed
//
// WeChat gives conditional menus no names and no edit call: a menu is
// created (menu/addconditional, which makes it the newest and so the highest
// priority) or deleted (menu/delconditional). Users are matched against the
// newest menu first. The desired state lists menus in priority order, d1
// first. So after apply, the managed live menus ordered newest first must be
// exactly d1..dn.
//
// Identity. A live menu and a desired menu are the same menu when their
// rules are == and their CanonicalButtons are equal. Live menus whose rule is one
// of the desired state's unmanaged rules are never touched and never matched;
// live menus whose rule uses a privacy field never match any user and are
// deleted.
//
// What is kept. A kept menu never moves: everything created during apply
// becomes newer than it. Hence the kept menus must be a run at the
// low-priority end of the desired list, dk..dn, and must already appear in
// that relative order among the live menus. We keep the longest such run,
// found greedily from the oldest live menu upwards (matching dn first, then
// dn-1 above it, ...); greedy earliest matching finds the longest run.
// Everything above the run, d1..dk-1, is created, dk-1 first and d1 last, so
// d1 ends up newest; every managed live menu not kept is deleted.
//
// Why no plan has fewer calls. Every call changes one menu, live menus can
// only be kept or deleted, and whatever is created is newer than everything
// kept. So the kept menus of any correct plan form a suffix of the desired
// list appearing in order on the account, and the plan costs (n - kept)
// creates plus (managed live - kept) deletes. Keeping the longest such run
// minimises both. (menu/delete followed by re-creating everything can be
// shorter, but it wipes unmanaged menus and leaves users without any menu
// mid-apply; it is used only when the file declares no menu at all.)
//
// Order. The default menu comes first (a missing default must exist before
// any menu/addconditional, 65303), then the creates lowest priority first,
// then the deletes: create before destroy, so no user falls back to the
// default menu mid-apply unless their menu is going away. Where a WeChat
// limit forbids create-first (3 URL domains across conditional menus,
// 65316; the conditional-menu count cap, 65305) the plan simulates the
// account step by step and moves just enough deletes before the create that
// would break the limit, marking them DeleteFirst. It moves the deletes
// fewest users notice: dead menus, then duplicates and menus not in the
// file, then menus whose replacement already exists, and only then menus
// whose users fall back until their replacement is created. Moving a delete
// never changes the number of calls.
//
// The default menu comes first even when it exists and only changes. WeChat
// does not document whether menu/create keeps the conditional menus
// (UNCONFIRMED, reference §1.1; the emulator keeps them unless told
// otherwise). If it drops them, creating the default first means the menus
// created by the same apply survive and only the kept ones are lost; apply's
// read-back reports that, and the next plan recreates them (and whatever must
// rank above them) without a menu/create, so plan and apply twice converge.
// Creating the default last would lose every menu, created ones included.
// The plan does not recreate kept menus in advance: on an account that keeps
// them that would spend calls and briefly take followers' menus away for
// nothing.
//
// Protection. A protected desired menu guards the live menu it replaces
// (whatever changed, its matchrule included) and, when it is created anew,
// every live menu with its matchrule; a stray menu beside a kept protected
// menu is not guarded.

import (
	"cmp"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/wxmenu/wxmenu/internal/i18n"
	"github.com/wxmenu/wxmenu/reconcile/audience"
	"github.com/wxmenu/wxmenu/reconcile/canon"
	"github.com/wxmenu/wxmenu/reconcile/desired"
	"github.com/wxmenu/wxmenu/reconcile/plans"
	"github.com/wxmenu/wxmenu/wechat"
)

// PlanOptions configure NewPlan.
type PlanOptions struct {
	AppID       string
	DesiredFile string // the file name shown in plans and reasons
	ToolVersion string
	Now         time.Time
	// MaxConditional is the number of conditional menus WeChat allows;
	// 0 means wechat.DefaultMaxConditional.
	MaxConditional int
	Safety         SafetyOptions
	// Provenance says where the plan is made (plans.ProvenanceFromEnv);
	// nil outside CI.
	Provenance *plans.Provenance
	// Snapshot, when the account was read from a snapshot (plan --live)
	// rather than live, says which: the plan shows it and apply refuses
	// it (CheckOffline).
	Snapshot *plans.SnapshotSource
}

// NewPlan makes the plan that makes the account as read match ds, in the
// engine's three steps with plain values between them: Diff, Review and
// Seal (plans.Seal). It is pure: no I/O. A plan that trips a safety rail no
// override allows comes back with its violations in Plan.Blocked; an error
// means only that no plan could be made. The plan shares its rules and
// buttons with read and ds, which must not change while it is used.
func NewPlan(read LiveRead, ds *desired.State, opts PlanOptions) (*plans.Plan, error) {
	c, err := Diff(read, ds, opts)
	if err != nil {
		return nil, err
	}
	r, err := c.Review(opts.Safety)
	if err != nil {
		return nil, err
	}
	p := c.plan(r)
	p.DesiredDigest, p.LiveDigest = ds.Digest(), canon.LiveDigest(read.Menus)
	if r := ds.Rendered; r != nil {
		p.Template, p.TemplateDigest, p.VarsDigest, p.Vars = r.Template, r.TemplateDigest, r.VarsDigest, r.Values
	}
	if err := plans.Seal(p); err != nil {
		return nil, err
	}
	return p, nil
}

// Changes is what Diff finds: the steps that make the account match the
// desired state, in call order and each with its reason, the live menus
// kept, and warnings for the reviewer. Review judges them.
type Changes struct {
	Steps    []plans.Step
	Kept     []plans.KeptMenu
	Warnings []string

	d *differ
}

// Diff is the first step of planning: from what was read (menu/get's
// menus, the console menu, the account's tags) and the desired state, the
// steps, the kept menus and the warnings. It is pure, and it is all that
// apply runs again (Check) and all that proves an apply converged.
func Diff(read LiveRead, ds *desired.State, opts PlanOptions) (*Changes, error) {
	if read.Menus == nil {
		return nil, errors.New("no live state: the account must be read before planning")
	}
	if ds == nil {
		return nil, errors.New("no desired state to plan for")
	}
	if opts.MaxConditional <= 0 {
		opts.MaxConditional = wechat.DefaultMaxConditional
	}
	d := &differ{read: read, desired: ds, opts: opts, file: cmp.Or(opts.DesiredFile, ds.Path), unmanaged: map[wechat.MatchRule]bool{}}
	for _, u := range ds.Unmanaged {
		d.unmanaged[u.MatchRule] = true
	}
	if err := d.check(); err != nil {
		return nil, err
	}
	if err := d.run(); err != nil {
		return nil, err
	}
	linkReplacements(d.steps)
	for i := range d.steps {
		d.steps[i].Reason = d.steps[i].Explain(d.file, ds.Tags)
	}
	d.warnings = append(d.warnings, tagWarnings(ds, read)...)
	if read.Console != nil {
		d.warnings = append(d.warnings, desired.ConsoleMenuWarning(read.ConsoleOnly, d.defaultStep != nil))
	}
	if d.steps == nil {
		d.steps = []plans.Step{}
	}
	return &Changes{Steps: d.steps, Kept: d.kept, Warnings: d.warnings, d: d}, nil
}

// Review is what the second step of planning finds: who sees what before,
// during and after apply, and the safety rails the changes trip.
type Review struct {
	// Impact is the "who sees what" table of the steps replayed on the
	// account (audience.Replay): it describes the calls the plan makes, not
	// a second model of them, and the loss rail judges it.
	Impact *audience.Impact
	// Blocked lists the rails tripped that no override allows; Overrides
	// the overrides that were needed and granted.
	Blocked   []plans.Violation
	Overrides []string
}

// Review replays the steps on the account as read and judges the rails
// with safety's overrides and thresholds. It is pure.
func (c *Changes) Review(safety SafetyOptions) (*Review, error) {
	d := c.d
	imp, err := audience.Replay(d.before(), c.Steps, d.desired.Tags)
	if err != nil {
		// The planner's own steps cannot run on the account it read: a
		// bug in the planner, never a property of the input.
		return nil, fmt.Errorf("replaying the plan for the audience table: %w", err)
	}
	r := &Review{Impact: imp}
	r.Blocked, r.Overrides = c.checkSafety(imp, safety)
	return r, nil
}

// plan is the plan document of the changes and their review, unsealed and
// without the digests (NewPlan adds them; apply's re-derivation compares
// the rest): the steps, the kept menus and the warnings, what they cost and
// read, and the review fields (the audience table, the menus removed for
// good, the final priority order, the counts per action).
func (c *Changes) plan(r *Review) *plans.Plan {
	d := c.d
	p := &plans.Plan{
		FormatVersion: plans.FormatVersion,
		ToolVersion:   d.opts.ToolVersion,
		CreatedAt:     d.opts.Now,
		AppID:         d.opts.AppID,
		DesiredFile:   d.file,
		Steps:         c.Steps,
		Kept:          c.Kept,
		Warnings:      c.Warnings,
		Quota:         map[string]int{},
		Overrides:     r.Overrides,
		Blocked:       r.Blocked,
		Changes:       len(c.Steps) > 0,
		Audiences:     r.Impact.Rows,
		Removed:       r.Impact.Removed,
		Reads:         map[string]int{"menu/get": 1},
		Provenance:    d.opts.Provenance,
		Snapshot:      d.opts.Snapshot,
		TagNames:      d.desired.Tags,
	}
	if d.read.Reads > 1 {
		p.Reads["get_current_selfmenu_info"] = 1
	}
	if d.read.Tags != nil || d.read.TagsErr != nil {
		p.Reads["tags/get"] = 1
	}
	for _, s := range c.Steps {
		p.Quota[s.Action.Endpoint()]++
		if p.Counts == nil {
			p.Counts = map[plans.Action]int{}
		}
		p.Counts[s.Action]++
	}
	for _, m := range r.Impact.After.Conditional {
		if m.Rule.IsDead() {
			continue // never matched, so never part of the order followers meet
		}
		// A live menu still there after the steps is one the plan keeps
		// (c.Kept: kept or unmanaged); a created one has no menuid yet.
		p.Priority = append(p.Priority, plans.PriorityMenu{
			Name: m.Name, MatchRule: m.Rule, Unmanaged: m.Unmanaged, Kept: m.MenuID != "",
		})
	}
	return p
}

// menuKey is a menu's identity (its rule and canonical buttons), or one
// half of it when pairing by rule or by buttons alone.
type menuKey struct {
	rule    wechat.MatchRule
	buttons string
}

// liveMenu is a live conditional menu with its canonical forms.
type liveMenu struct {
	menu            *wechat.ConditionalMenu
	name            string  // as the plan's steps or kept menus name it
	id              menuKey // rule and buttons: the menu's identity
	domains         []string
	unmanaged, dead bool
	kept            int // index of the desired menu it stays as, or -1
	pair            int // index of the created desired menu replacing it, or -1
	// duplicateOf names the desired menu a deleted live menu copies, when
	// it is neither dead nor replaced.
	duplicateOf string
}

func (m *liveMenu) managed() bool { return !m.unmanaged && !m.dead }

// label names a live menu that has no desired name: its rule, with the
// file's tag names, and its menuid.
func (d *differ) label(m *liveMenu) string {
	return m.menu.MatchRule.Describe(d.desired.Tags) + " (menuid " + m.menu.MenuID + ")"
}

// pairKind says how a created menu relates to the live menu it replaces.
type pairKind int

const (
	pairNone    pairKind = iota
	pairSame             // identical: recreated only for priority order
	pairButtons          // same matchrule, buttons changed
	pairRule             // same buttons, matchrule changed
)

// wantMenu is a desired conditional menu with its canonical forms.
type wantMenu struct {
	decl    *desired.Conditional
	id      menuKey // rule and buttons: the menu's identity
	domains []string
	pair    int // index of the live menu it replaces, or -1
	kind    pairKind
}

type differ struct {
	read    LiveRead
	desired *desired.State
	opts    PlanOptions
	file    string // the desired file as plans name it

	unmanaged map[wechat.MatchRule]bool // the desired state's unmanaged rules

	liveDefault, wantDefault string // the default menus' canonical buttons

	lives    []liveMenu // newest first
	wants    []wantMenu // priority order
	firstNew int        // wants[:firstNew] are created, wants[firstNew:] kept

	defaultStep *plans.Step
	deleteOf    []int // lives index of each delete, newest first
	// protectedDeletes maps the menuid of each delete that removes a
	// protected menu to that menu's desired name.
	protectedDeletes map[string]string

	steps    []plans.Step
	kept     []plans.KeptMenu
	warnings []string
}

// check refuses desired states no plan can reach. The validator reports
// these with file positions; Diff repeats the checks so it never plans
// calls WeChat is known to reject.
func (d *differ) check() error {
	ds := d.desired
	if ds.Default == nil && len(ds.Conditional) > 0 {
		return fmt.Errorf("%s declares conditional menus but no default menu; WeChat needs a default menu first (65303)", d.fileName())
	}
	for _, c := range ds.Conditional {
		switch {
		case c.MatchRule.IsEmpty():
			return fmt.Errorf("menu %q has an empty matchrule (65304)", c.Name)
		case c.MatchRule.IsDead():
			return fmt.Errorf("menu %q matches on %s, which WeChat rejects (65320)", c.Name, strings.Join(c.MatchRule.PrivacyFields(), ", "))
		case d.unmanaged[c.MatchRule]:
			return fmt.Errorf("menu %q has the matchrule of an unmanaged rule (%s)", c.Name, c.MatchRule.Describe(ds.Tags))
		}
	}
	return nil
}

func (d *differ) run() error {
	d.readLive()
	d.readDesired()
	if d.desired.Default == nil && len(d.desired.Conditional) == 0 {
		d.planDeleteAll()
		return nil
	}
	d.planDefault()
	d.matchKept()
	d.pairReplacements()
	if err := d.buildDeletes(); err != nil {
		return err
	}
	if err := d.order(); err != nil {
		return err
	}
	d.collectKept()
	d.warn()
	return nil
}

// readLive computes the live menus' canonical forms, once each; d.lives is
// newest first.
func (d *differ) readLive() {
	if def := d.read.Menus.Default; def != nil {
		d.liveDefault = canon.CanonicalButtons(def.Buttons)
	}
	order := d.read.Menus.NewestFirstIndex()
	d.lives = make([]liveMenu, len(order))
	for pos, i := range order {
		m := &d.read.Menus.Conditional[i]
		unmanaged := d.unmanaged[m.MatchRule]
		d.lives[pos] = liveMenu{menu: m, id: menuKey{m.MatchRule, canon.CanonicalButtons(m.Buttons)}, domains: wechat.URLDomains(m.Buttons),
			unmanaged: unmanaged, dead: !unmanaged && m.MatchRule.IsDead(), kept: -1, pair: -1}
	}
}

// readDesired computes the desired menus' canonical forms, once each.
func (d *differ) readDesired() {
	if def := d.desired.Default; def != nil {
		d.wantDefault = canon.CanonicalButtons(def.Buttons)
	}
	d.wants = make([]wantMenu, len(d.desired.Conditional))
	for i := range d.desired.Conditional {
		c := &d.desired.Conditional[i]
		id := menuKey{c.MatchRule, canon.CanonicalButtons(c.Buttons)}
		d.wants[i] = wantMenu{decl: c, id: id, domains: wechat.URLDomains(c.Buttons), pair: -1}
	}
}

// planDeleteAll handles a desired state with no menu at all: one menu/delete
// removes the default and every conditional menu. Nothing to do when the
// account has no menu either.
func (d *differ) planDeleteAll() {
	if d.read.Menus.Default == nil && len(d.read.Menus.Conditional) == 0 {
		return
	}
	s := plans.Step{Action: plans.ActionDeleteAll, Name: "all menus", ReasonCode: plans.ReasonDeleteAll}
	if d.read.Menus.Default != nil {
		s.Before = d.read.Menus.Default.Buttons
	}
	d.steps = []plans.Step{s}
	if n := count(d.lives, func(m liveMenu) bool { return m.unmanaged }); n > 0 {
		d.warnings = append(d.warnings, en.Msg("menu/delete also removes %d unmanaged menus", n))
	}
}

func (d *differ) planDefault() {
	s := plans.Step{Action: plans.ActionCreateDefault, Name: "default menu", After: d.desired.Default.Buttons}
	switch {
	case d.read.Menus.Default != nil && d.liveDefault == d.wantDefault:
		return
	case d.read.Menus.Default != nil:
		s.Before, s.ReasonCode = d.read.Menus.Default.Buttons, plans.ReasonDefaultChanged
	case d.read.Console != nil:
		// Followers see the menu published in the console, which
		// menu/create replaces (see read.go).
		s.Before, s.ReasonCode = d.read.Console, plans.ReasonReplacesConsoleMenu
	default:
		s.ReasonCode = plans.ReasonDefaultMissing
	}
	d.defaultStep = &s
}

// matchKept finds the longest run at the low-priority end of the desired
// list that appears in order among the managed live menus (see the comment
// at the top of this file).
func (d *differ) matchKept() {
	d.firstNew = len(d.wants)
	j := len(d.lives) - 1
	for i := len(d.wants) - 1; i >= 0; i-- {
		for j >= 0 && (!d.lives[j].managed() || d.lives[j].id != d.wants[i].id) {
			j--
		}
		if j < 0 {
			break
		}
		d.lives[j].kept = i
		d.firstNew = i
		j--
	}
}

// pairReplacements links each created menu to a live menu being deleted
// that it replaces, for the reasons: first identical menus (recreated for
// order), then same matchrule (buttons changed), then same buttons
// (matchrule changed), each time the newest candidate first. Dead menus are
// never paired: they are deleted for their own reason.
func (d *differ) pairReplacements() {
	for _, k := range [...]struct {
		kind pairKind
		key  func(menuKey) menuKey
	}{
		{pairSame, func(k menuKey) menuKey { return k }},
		{pairButtons, func(k menuKey) menuKey { return menuKey{rule: k.rule} }},
		{pairRule, func(k menuKey) menuKey { return menuKey{buttons: k.buttons} }},
	} {
		free := map[menuKey][]int{} // unpaired live menus being deleted, newest first
		for j := range d.lives {
			if l := &d.lives[j]; l.managed() && l.kept < 0 && l.pair < 0 {
				free[k.key(l.id)] = append(free[k.key(l.id)], j)
			}
		}
		for i := range d.wants[:d.firstNew] {
			w := &d.wants[i]
			if js := free[k.key(w.id)]; w.kind == pairNone && len(js) > 0 {
				free[k.key(w.id)] = js[1:]
				w.pair, w.kind, d.lives[js[0]].pair = js[0], k.kind, i
			}
		}
	}
}

// createStep is the step that creates desired menu i. Its rule and buttons
// point at the desired state's: a plan is read, never changed in place.
func (d *differ) createStep(i int) plans.Step {
	w := &d.wants[i]
	s := plans.Step{Action: plans.ActionAddConditional, Name: w.decl.Name, MatchRule: &w.decl.MatchRule, After: w.decl.Buttons}
	if w.pair >= 0 {
		replaced := d.lives[w.pair].menu
		s.Replaces, s.Before = replaced.MenuID, replaced.Buttons
	}
	switch w.kind {
	case pairSame:
		if i+1 < len(d.wants) {
			s.Above = d.wants[i+1].decl.Name
		}
		s.ReasonCode = plans.ReasonRecreatedForPriority
	case pairButtons:
		s.ReasonCode = plans.ReasonButtonsChanged
	case pairRule:
		s.ReasonCode, s.ReplacesRule = plans.ReasonRuleChanged, &d.lives[w.pair].menu.MatchRule
	default:
		s.ReasonCode = plans.ReasonNew
	}
	return s
}

// buildDeletes lists the deletes, newest first, with their reasons.
func (d *differ) buildDeletes() error {
	d.deleteOf = make([]int, 0, len(d.lives)-(len(d.wants)-d.firstNew))
	// A deleted live menu that is neither dead nor replaced may duplicate
	// a desired menu: byIdentity finds the first desired menu with an
	// identity.
	byIdentity := make(map[menuKey]int, len(d.wants))
	for i := len(d.wants) - 1; i >= 0; i-- { // so the first one is left
		byIdentity[d.wants[i].id] = i
	}
	d.protectedDeletes = map[string]string{}
	for j := range d.lives {
		l := &d.lives[j]
		if l.unmanaged || l.kept >= 0 {
			continue
		}
		if l.menu.MenuID == "" {
			return fmt.Errorf("live menu %s has no menuid, so it cannot be deleted", l.menu.MatchRule.Describe(d.desired.Tags))
		}
		if i, ok := byIdentity[l.id]; ok && !l.dead && l.pair < 0 {
			l.duplicateOf = d.wants[i].decl.Name
		}
		if name, ok := d.protectedDelete(l); ok {
			d.protectedDeletes[l.menu.MenuID] = name
		}
		d.deleteOf = append(d.deleteOf, j)
	}
	return nil
}

// deleteStep is the step that deletes live menu j. Its rule and buttons
// point at the live menu's.
func (d *differ) deleteStep(j int) plans.Step {
	l := &d.lives[j]
	s := plans.Step{Action: plans.ActionDelConditional, Name: d.label(l), MenuID: l.menu.MenuID, MatchRule: &l.menu.MatchRule, Before: l.menu.Buttons}
	switch {
	case l.dead:
		s.ReasonCode = plans.ReasonDeadRule
	case l.pair >= 0:
		s.Name, s.ReasonCode = d.wants[l.pair].decl.Name, plans.ReasonReplaced
	case l.duplicateOf != "":
		s.ReasonCode, s.DuplicateOf = plans.ReasonDuplicate, l.duplicateOf
	default:
		s.ReasonCode = plans.ReasonNotInFile
	}
	l.name = s.Name
	return s
}

// protectedDelete reports whether deleting live menu l removes a protected
// menu, and names it. Protection follows the menu, not its current rule: l
// is protected when a protected desired menu replaces it (whatever changed,
// its rule included), or when it has the rule of a protected desired menu
// that is being created anew (the highest-priority one names it), since the
// users of that rule lose l. A stray live menu with the rule of a protected
// menu that is kept is not protected: the protected menu itself stays.
func (d *differ) protectedDelete(l *liveMenu) (string, bool) {
	if l.pair >= 0 && d.wants[l.pair].decl.Protect {
		return d.wants[l.pair].decl.Name, true
	}
	for _, w := range d.wants[:d.firstNew] {
		if w.decl.Protect && w.id.rule == l.id.rule {
			return w.decl.Name, true
		}
	}
	return "", false
}

// order lays out the steps: default, creates, deletes, moving deletes before
// a create where WeChat's limits require it.
func (d *differ) order() error {
	d.steps = make([]plans.Step, 0, d.firstNew+len(d.deleteOf)+1)
	if d.defaultStep != nil {
		d.steps = append(d.steps, *d.defaultStep)
	}
	sim := newCapSim(d.lives)
	pending := slices.Clone(d.deleteOf)   // the deletes not yet laid out, in order
	created := make([]bool, len(d.wants)) // by wants index: created so far
	moveFirst := func(j int, why plans.DeleteFirstFor) {
		s := d.deleteStep(j)
		s.DeleteFirst, s.DeleteFirstFor = true, &why
		d.steps = append(d.steps, s)
		sim.remove(d.lives[j].domains)
		pending = slices.DeleteFunc(pending, func(x int) bool { return x == j })
	}
	for i := d.firstNew - 1; i >= 0; i-- { // lowest priority first
		w := &d.wants[i]
		for {
			if len(sim.domains(w.domains...)) > wechat.MaxURLDomains {
				js := d.freeDomain(sim, pending, w.domains, created)
				if js == nil {
					return fmt.Errorf("cannot create menu %q: conditional menus would use more than %d URL domains (%s) even after deleting every stale menu",
						w.decl.Name, wechat.MaxURLDomains, strings.Join(sim.domains(w.domains...), ", "))
				}
				why := plans.DeleteFirstFor{Create: w.decl.Name, Limit: plans.LimitURLDomains, Max: wechat.MaxURLDomains}
				for _, j := range js {
					moveFirst(j, why)
				}
				continue
			}
			if sim.count+1 > d.opts.MaxConditional {
				if len(pending) == 0 {
					return fmt.Errorf("cannot create menu %q: the account would hold more than %d conditional menus even after deleting every stale menu",
						w.decl.Name, d.opts.MaxConditional)
				}
				moveFirst(d.leastMissed(pending, created), plans.DeleteFirstFor{Create: w.decl.Name, Limit: plans.LimitMenuCount, Max: d.opts.MaxConditional})
				continue
			}
			break
		}
		sim.add(w.domains)
		d.steps = append(d.steps, d.createStep(i))
		created[i] = true
	}
	for _, j := range pending {
		d.steps = append(d.steps, d.deleteStep(j))
	}
	return nil
}

// Deletes moved before a create, from least to most missed.
const (
	missedByNobody   = iota // a dead menu: it matches no user
	missedAnyway            // a duplicate or a menu not in the file: it goes away at the end
	missedReplaced          // its replacement is already created and newer
	missedUntilNewer        // its replacement is still to come: its users fall back meanwhile
)

// missed ranks the pending delete of live menu j by who misses it if it
// runs before the remaining creates; created holds the wants indexes
// created so far.
func (d *differ) missed(j int, created []bool) int {
	l := &d.lives[j]
	switch {
	case l.dead:
		return missedByNobody
	case l.pair < 0:
		return missedAnyway
	case created[l.pair]:
		return missedReplaced
	}
	return missedUntilNewer
}

// leastMissed returns the pending delete whose early run the fewest users
// notice, the newest among equals.
func (d *differ) leastMissed(pending []int, created []bool) int {
	return slices.MinFunc(pending, func(a, b int) int { return d.missed(a, created) - d.missed(b, created) })
}

// freeDomain picks the pending deletes that free one URL domain the create
// does not need, preferring the domain held by the fewest menus, then the
// one whose holders are least missed (compared worst first), then the
// alphabetically first. It returns nil when no domain can be freed.
func (d *differ) freeDomain(sim *capSim, pending []int, need []string, created []bool) []int {
	var best, bestMissed []int
	for _, host := range sim.domains() { // sorted, so equals keep the first
		if slices.Contains(need, host) {
			continue
		}
		var holders []int
		for _, j := range pending {
			if slices.Contains(d.lives[j].domains, host) {
				holders = append(holders, j)
			}
		}
		if len(holders) < sim.refs[host] { // a kept or unmanaged menu holds it
			continue
		}
		missed := make([]int, len(holders))
		for i, j := range holders {
			missed[i] = d.missed(j, created)
		}
		slices.SortFunc(missed, func(a, b int) int { return b - a }) // worst first
		if best == nil || len(holders) < len(best) ||
			(len(holders) == len(best) && slices.Compare(missed, bestMissed) < 0) {
			best, bestMissed = holders, missed
		}
	}
	return best
}

func (d *differ) collectKept() {
	d.kept = make([]plans.KeptMenu, 0, len(d.wants)-d.firstNew)
	for j := range d.lives {
		l := &d.lives[j]
		if l.kept >= 0 {
			l.name = d.wants[l.kept].decl.Name
		} else if l.unmanaged {
			l.name = d.label(l)
		} else {
			continue
		}
		d.kept = append(d.kept, plans.KeptMenu{Name: l.name, MenuID: l.menu.MenuID, MatchRule: &l.menu.MatchRule, Unmanaged: l.unmanaged})
	}
}

func (d *differ) warn() {
	for _, l := range d.lives {
		if l.dead {
			d.warnings = append(d.warnings, en.Msg("menu %s never matches any user: WeChat stopped matching on %s; it will be deleted",
				d.label(&l), strings.Join(l.menu.MatchRule.PrivacyFields(), ", ")))
		}
	}
	// A created menu that replaces a live one older than an unmanaged menu
	// now outranks that unmanaged menu.
	for i := d.firstNew - 1; i >= 0; i-- { // in call order
		for j := range max(d.wants[i].pair, 0) {
			if l := &d.lives[j]; l.unmanaged {
				d.warnings = append(d.warnings, en.Msg("%s will now rank above unmanaged menu %s", d.wants[i].decl.Name, d.label(l)))
			}
		}
	}
	if d.defaultStep != nil && d.read.Menus.Default != nil {
		d.warnings = append(d.warnings, en.Msg("the default menu will be replaced; every user no conditional menu matches sees the new one"))
	}
	if n := count(d.steps, func(s plans.Step) bool { return s.DeleteFirst }); n > 0 {
		d.warnings = append(d.warnings, en.Msg("%d menus are deleted before the creates because of WeChat's limits; their users see the next matching menu or the default menu until apply finishes", n))
	}
}

// en words the warnings and rails' messages a plan holds: in English, each
// a message of the catalogue, which a reader's language rewords
// (i18n.Printer.Reword).
var en *i18n.Printer

// fileName names the desired file in messages.
func (d *differ) fileName() string { return cmp.Or(d.file, "the desired state") }

// before is the account as followers see it now: the live menus newest
// first, named as the steps and kept menus name them, and the default menu,
// or the menu published in the console when menu/get reports none.
func (d *differ) before() audience.State {
	var st audience.State
	switch {
	case d.read.Menus.Default == nil && d.read.Console != nil:
		st.Default = &audience.Menu{Name: plans.ConsoleMenuName, Buttons: d.read.Console}
		return st
	case d.read.Menus.Default == nil:
		return st
	}
	st.Default = &audience.Menu{Name: audience.DefaultMenuName, Buttons: d.read.Menus.Default.Buttons, Form: d.liveDefault}
	st.Conditional = make([]audience.Menu, len(d.lives))
	for j := range d.lives {
		l := &d.lives[j]
		st.Conditional[j] = audience.Menu{
			Name: cmp.Or(l.name, d.label(l)), MenuID: l.menu.MenuID, Rule: &l.menu.MatchRule,
			Buttons: l.menu.Buttons, Form: l.id.buttons, Unmanaged: l.unmanaged,
		}
	}
	return st
}

// capSim tracks the conditional-menu count and URL domains on the account
// as the steps run.
type capSim struct {
	count int
	refs  map[string]int // domain -> number of menus using it
}

func newCapSim(lives []liveMenu) *capSim {
	s := &capSim{refs: map[string]int{}}
	for _, l := range lives {
		s.add(l.domains)
	}
	return s
}

func (s *capSim) add(domains []string) {
	s.count++
	for _, h := range domains {
		s.refs[h]++
	}
}

func (s *capSim) remove(domains []string) {
	s.count--
	for _, h := range domains {
		if s.refs[h]--; s.refs[h] <= 0 {
			delete(s.refs, h)
		}
	}
}

// domains lists the domains in use, with those of a menu to add (extra),
// sorted.
func (s *capSim) domains(extra ...string) []string {
	out := slices.Collect(maps.Keys(s.refs))
	for _, h := range extra {
		if s.refs[h] == 0 {
			out = append(out, h)
		}
	}
	slices.Sort(out)
	return out
}

// count returns how many of xs f holds for.
func count[T any](xs []T, f func(T) bool) int {
	n := 0
	for _, x := range xs {
		if f(x) {
			n++
		}
	}
	return n
}

func plural(n int, one, many string) string {
	return fmt.Sprintf("%d %s", n, pluralWord(n, one, many))
}

// linkReplacements points each delete that retires a replaced menu at the
// create replacing it (ReplacedBy, a step index); creates name the menuid
// they replace (Replaces).
func linkReplacements(steps []plans.Step) {
	creates := map[string]int{} // replaced menuid -> index of its create
	for i, s := range steps {
		if s.Action == plans.ActionAddConditional && s.Replaces != "" {
			creates[s.Replaces] = i
		}
	}
	for i := range steps {
		if s := &steps[i]; s.Action == plans.ActionDelConditional && s.ReasonCode == plans.ReasonReplaced {
			if c, ok := creates[s.MenuID]; ok {
				s.ReplacedBy = &c
			}
		}
	}
}

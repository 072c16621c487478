package audience

import (
	"fmt"
	"slices"
	"strings"

	"github.com/wxmenu/wxmenu/reconcile/canon"
	"github.com/wxmenu/wxmenu/wechat"
)

// Input is the live account and the desired state, in plain values.
type Input struct {
	// Live is what menu/get reports; nil means no menu.
	Live *wechat.MenuSet
	// Desired is the state the file declares.
	Desired Desired
	// LiveNames labels live conditional menus, by their index in
	// Live.Conditional, e.g. with the desired name of the menu a plan
	// replaces them with. Optional: a live menu without one ("" or past
	// the end) is labelled by the desired menu with the same rule and
	// buttons, else the same rule, else by its rule and menuid.
	LiveNames []string
	// TagNames names tag ids for people ("101" → "vip"). Optional.
	TagNames map[string]string
}

// Desired is a desired state in plain values.
type Desired struct {
	// Default is the default menu; nil means the account should have no
	// menu at all (with no conditional menus either).
	Default []wechat.Button
	// Conditional lists the conditional menus in priority order: the first
	// one that matches a follower wins.
	Conditional []DesiredMenu
	// Unmanaged lists matchrules whose live menus are left alone; they stay
	// on the account and keep matching followers.
	Unmanaged []wechat.MatchRule
}

// DesiredMenu is one declared conditional menu.
type DesiredMenu struct {
	Name string
	// Rule is the menu's matchrule, shared with the desired state it
	// comes from.
	Rule    *wechat.MatchRule
	Buttons []wechat.Button
}

// Audience is a group of followers that every rule involved treats alike.
type Audience struct {
	// TagID is the followers' most recently applied tag; "" stands for
	// every follower whose last tag is none of the listed ones (or who has
	// no tag).
	TagID string `json:"tag_id,omitempty"`
	// Platforms are the client_platform_type values the group covers, in
	// order; all three means any platform.
	Platforms []string `json:"platforms"`
}

// Label describes the audience for people: "tag 101 on iOS", "tag 101
// (vip)", "everyone else on Android, others".
func (a Audience) Label(tagNames map[string]string) string {
	who := "everyone else"
	if a.TagID != "" {
		who = wechat.MatchRule{TagID: a.TagID}.Describe(tagNames)
	}
	if len(a.Platforms) == len(platforms) || len(a.Platforms) == 0 {
		return who
	}
	names := make([]string, len(a.Platforms))
	for i, p := range a.Platforms {
		names[i], _ = wechat.ClientPlatformName(p)
	}
	return who + " on " + strings.Join(names, ", ")
}

// platforms are the client_platform_type values (reference §3).
var platforms = []string{"1", "2", "3"}

// Row is one line of the "who sees what" table.
type Row struct {
	Audience Audience `json:"audience"`
	Label    string   `json:"label"`
	Before   Seen     `json:"before"`
	After    Seen     `json:"after"`
	// Changed reports whether the audience's buttons differ after apply.
	Changed bool `json:"changed"`
	// Lost reports whether the audience loses its personalized menu (see
	// the package documentation).
	Lost bool `json:"lost,omitempty"`
	// Transient lists menus the audience sees during apply that it sees
	// neither before nor after (Simulate only).
	Transient []TransientMenu `json:"transient,omitempty"`
}

// TransientMenu is a menu an audience sees for a while during apply.
type TransientMenu struct {
	// Steps are the 1-based numbers of the steps after which the audience
	// sees Seen (consecutive).
	Steps []int `json:"steps"`
	Seen  Seen  `json:"seen"`
}

// Impact is the effect of a change on the followers.
type Impact struct {
	Before, After State
	// Rows is the "who sees what" table: listed tags in numeric order, then
	// everyone else.
	Rows []Row
	// Removed lists live menus that match someone and whose matchrule no
	// menu has after apply: removed for good, not recreated.
	Removed []Seen
	// DeadRemoved lists deleted live menus that never matched anyone.
	DeadRemoved []Seen
}

// LostAudiences returns the rows whose followers lose their personalized
// menu. They point into imp.Rows.
func (imp *Impact) LostAudiences() []*Row {
	var out []*Row
	for i := range imp.Rows {
		if imp.Rows[i].Lost {
			out = append(out, &imp.Rows[i])
		}
	}
	return out
}

// ChangedAudiences returns the rows whose buttons change.
func (imp *Impact) ChangedAudiences() []Row {
	var out []Row
	for _, r := range imp.Rows {
		if r.Changed {
			out = append(out, r)
		}
	}
	return out
}

// TransientAudiences returns the rows that see a menu during apply that
// they see neither before nor after.
func (imp *Impact) TransientAudiences() []Row {
	var out []Row
	for _, r := range imp.Rows {
		if len(r.Transient) > 0 {
			out = append(out, r)
		}
	}
	return out
}

// Compute returns the impact of applying in.Desired to in.Live by the
// planner's rule (see the package documentation).
func Compute(in Input) *Impact {
	c := newCalc(in)
	before := c.liveState()
	after := c.desiredState(before)
	return c.buildImpact(before, after, nil)
}

// calc is one computation over an Input: the canonical forms of the
// desired menus' buttons (canon.CanonicalButtons), written once, and an
// index of the desired menus by rule. The states it makes carry the forms
// of their menus (StateMenu.Form), so the table compares strings.
type calc struct {
	in Input
	// defaultForm is the form of the desired default menu's buttons;
	// desiredForms[i] that of desired conditional menu i.
	defaultForm  string
	desiredForms []string
	// byTag finds the desired menus with a rule (desiredName). A MatchRule
	// is a struct of its seven fields, so two rules are the same rule
	// exactly when they are ==.
	byTag ruleIndex
}

// ruleIndex finds the menus of a list that have a given rule. It looks
// them up by the rule's tag_id, which few menus share, and compares whole
// rules only among those: cheaper than hashing seven-field keys.
type ruleIndex struct {
	first map[string]int32 // tag_id -> the first menu with it
	next  []int32          // menu -> the next menu with its tag_id, or -1
}

func newRuleIndex(n int, rule func(i int) *wechat.MatchRule) ruleIndex {
	x := ruleIndex{first: make(map[string]int32, n), next: make([]int32, n)}
	for i := n - 1; i >= 0; i-- { // from the end, so each chain runs in list order
		tag := rule(i).TagID
		if j, ok := x.first[tag]; ok {
			x.next[i] = j
		} else {
			x.next[i] = -1
		}
		x.first[tag] = int32(i)
	}
	return x
}

// find returns the menus with rule r, in list order, until yield says stop.
func (x ruleIndex) find(r *wechat.MatchRule, rule func(i int) *wechat.MatchRule, yield func(i int) bool) {
	i, ok := x.first[r.TagID]
	for ok && i >= 0 {
		if *rule(int(i)) == *r && !yield(int(i)) {
			return
		}
		i = x.next[i]
	}
}

func newCalc(in Input) *calc {
	d := in.Desired
	c := &calc{in: in, defaultForm: canon.CanonicalButtons(d.Default), desiredForms: make([]string, len(d.Conditional))}
	for i, m := range d.Conditional {
		c.desiredForms[i] = canon.CanonicalButtons(m.Buttons)
	}
	c.byTag = newRuleIndex(len(d.Conditional), c.desiredRule)
	return c
}

func (c *calc) desiredRule(i int) *wechat.MatchRule { return c.in.Desired.Conditional[i].Rule }

// Simulate returns the impact of running steps on in.Live, step by step.
// The rows also list the transient menus each audience sees between
// calls. It fails when a step cannot run (a delete of a menuid the account
// lacks, a conditional menu before any default menu).
func Simulate(in Input, steps []Step) (*Impact, error) {
	c := newCalc(in)
	before := c.liveState()
	states := make([]State, 0, len(steps))
	st := before
	for i, s := range steps {
		if s.Action == ActionAddConditional && s.Name == "" {
			s.Name = c.desiredName(&s.MatchRule, canon.CanonicalButtons(s.Buttons))
		}
		next, err := st.Apply(s)
		if err != nil {
			return nil, fmt.Errorf("step %d: %w", i+1, err)
		}
		states = append(states, next)
		st = next
	}
	return c.buildImpact(before, st, states), nil
}

// LiveState returns in.Live as matching sees it, with labels.
func LiveState(in Input) State { return newCalc(in).liveState() }

func (c *calc) liveState() State {
	in := c.in
	var st State
	if in.Live == nil || in.Live.Default == nil {
		return st
	}
	st.HasDefault, st.Default, st.DefaultForm = true, in.Live.Default.Buttons, canon.CanonicalButtons(in.Live.Default.Buttons)
	unmanaged := unmanagedSet(in.Desired)
	order := in.Live.NewestFirstIndex()
	st.Conditional = make([]StateMenu, 0, len(order))
	for _, i := range order {
		m := &in.Live.Conditional[i]
		sm := StateMenu{MenuID: m.MenuID, Rule: &m.MatchRule, Buttons: m.Buttons, Form: canon.CanonicalButtons(m.Buttons)}
		if len(unmanaged) > 0 {
			sm.Unmanaged = unmanaged[m.MatchRule]
		}
		sm.Name = c.liveName(sm, i)
		st.Conditional = append(st.Conditional, sm)
	}
	return st
}

// DesiredState returns the account after the planner's calls: the kept run
// of managed live menus and the unmanaged menus where they are, the rest of
// the desired menus created above them.
func DesiredState(in Input, before State) State { return newCalc(in).desiredState(before) }

func (c *calc) desiredState(before State) State {
	d := c.in.Desired
	if d.Default == nil {
		// The file declares no menu: one menu/delete removes everything.
		return State{}
	}
	managed := func(m StateMenu) bool { return !m.Unmanaged && !m.Rule.IsDead() }
	// The longest run at the low-priority end of the desired list found in
	// order among the managed live menus, matched from the oldest upwards
	// (as the planner does, so duplicates resolve to the same menus).
	keptAs := make([]int, len(before.Conditional)) // before.Conditional index -> desired index, or -1
	for j := range keptAs {
		keptAs[j] = -1
	}
	firstNew := len(d.Conditional)
	j := len(before.Conditional) - 1
	for i := len(d.Conditional) - 1; i >= 0; i-- {
		for j >= 0 && !(managed(before.Conditional[j]) && c.sameMenu(before.Conditional[j], i)) {
			j--
		}
		if j < 0 {
			break
		}
		keptAs[j], firstNew = i, i
		j--
	}
	after := State{HasDefault: true, Default: d.Default, DefaultForm: c.defaultForm, Conditional: make([]StateMenu, 0, firstNew+len(before.Conditional))}
	for i := range d.Conditional[:firstNew] {
		m := &d.Conditional[i]
		after.Conditional = append(after.Conditional, StateMenu{Name: m.Name, Rule: m.Rule, Buttons: m.Buttons, Form: c.desiredForms[i]})
	}
	for j, m := range before.Conditional {
		if i := keptAs[j]; i >= 0 {
			m.Name = d.Conditional[i].Name
			after.Conditional = append(after.Conditional, m)
		} else if m.Unmanaged {
			after.Conditional = append(after.Conditional, m)
		}
	}
	return after
}

// sameMenu reports whether live is desired menu i: the same rule and
// buttons.
func (c *calc) sameMenu(live StateMenu, i int) bool {
	return *live.Rule == *c.in.Desired.Conditional[i].Rule && live.Form == c.desiredForms[i]
}

func unmanagedSet(d Desired) map[wechat.MatchRule]bool {
	set := make(map[wechat.MatchRule]bool, len(d.Unmanaged))
	for _, r := range d.Unmanaged {
		set[r] = true
	}
	return set
}

// liveName labels live conditional menu m, Live.Conditional[i].
func (c *calc) liveName(m StateMenu, i int) string {
	in := c.in
	if i < len(in.LiveNames) && in.LiveNames[i] != "" {
		return in.LiveNames[i]
	}
	label := func() string { return m.Rule.Describe(in.TagNames) + " (menuid " + m.MenuID + ")" }
	switch {
	case m.Unmanaged:
		return "unmanaged: " + label()
	case m.Rule.IsDead():
		return label()
	}
	if name := c.desiredName(m.Rule, m.Form); name != "" {
		return name
	}
	return label()
}

// desiredName returns the name of the desired menu with this rule and
// buttons (form is their canonical form), else of the first with this
// rule, else "".
func (c *calc) desiredName(rule *wechat.MatchRule, form string) string {
	withRule, same := -1, -1
	c.byTag.find(rule, c.desiredRule, func(i int) bool {
		if withRule < 0 {
			withRule = i
		}
		if c.desiredForms[i] == form {
			same = i
			return false
		}
		return true
	})
	switch {
	case same >= 0:
		return c.in.Desired.Conditional[same].Name
	case withRule >= 0:
		return c.in.Desired.Conditional[withRule].Name
	}
	return ""
}

// buildImpact computes the table. states, when given, are the account after
// each step (the last one equals after).
func (c *calc) buildImpact(before, after State, states []State) *Impact {
	in := c.in
	imp := &Impact{Before: before, After: after}
	// Compute's after state holds every desired menu when there is a
	// default menu (desiredState); a replay's may not.
	tags := listTags(before, after, in.Desired, states == nil && in.Desired.Default != nil)
	beforeIdx := newMenuIndex(before, tags, tags.before)
	afterIdx := newMenuIndex(after, tags, tags.after)
	var during []*menuIndex
	if len(states) > 1 {
		during = make([]*menuIndex, len(states)-1)
		for i := range during {
			during[i] = newMenuIndex(states[i], tags, nil)
		}
	}
	imp.Rows = make([]Row, 0, len(tags.tags)+1)
	// Every listed tag by its row, then everyone else (row -1).
	for i := 0; i <= len(tags.tags); i++ {
		row, tag := -1, ""
		if i < len(tags.tags) {
			row, tag = i, tags.tags[i]
		}
		if during == nil && beforeIdx.samePlatforms(row) && afterIdx.samePlatforms(row) {
			// The same menus on every platform: one row, which merging the
			// platforms' rows would also give.
			o := outcome{before: beforeIdx.menuFor(row, 0), after: afterIdx.menuFor(row, 0)}
			imp.Rows = append(imp.Rows, o.row(tag, platforms, in.TagNames))
			continue
		}
		// One row per group of platforms whose followers see exactly the
		// same menus before, after and during apply: outcomes[k] is what
		// the followers of imp.Rows[first+k] see.
		first := len(imp.Rows)
		var outcomes []outcome
		for pi := range platforms {
			o := outcome{before: beforeIdx.menuFor(row, pi), after: afterIdx.menuFor(row, pi)}
			o.transient = transients(row, pi, o.before, o.after, during)
			if k := slices.IndexFunc(outcomes, o.same); k >= 0 {
				r := &imp.Rows[first+k]
				r.Audience.Platforms = joinPlatforms(r.Audience.Platforms, platforms[pi:pi+1:pi+1])
				r.Label = r.Audience.Label(in.TagNames)
				continue
			}
			outcomes = append(outcomes, o)
			// A full slice expression: merging platforms appends to a copy.
			imp.Rows = append(imp.Rows, o.row(tag, platforms[pi:pi+1:pi+1], in.TagNames))
		}
	}
	imp.Removed, imp.DeadRemoved = removed(before, after, tags)
	return imp
}

// view is a menu some followers see (Seen) with the canonical form of its
// buttons, which the table compares.
type view struct {
	Seen
	form string
}

// sameButtons reports whether two views show the same thing: the same
// buttons, or both no menu.
func (a view) sameButtons(b view) bool {
	return (a.Kind == KindNone) == (b.Kind == KindNone) && a.form == b.form
}

// sameMenu reports whether two views are the same menu (not only the same
// buttons).
func (a view) sameMenu(b view) bool {
	return a.Kind == b.Kind && a.Name == b.Name && a.MenuID == b.MenuID && a.form == b.form
}

// outcome is what the followers of an audience see before, during and
// after apply.
type outcome struct {
	before, after view
	transient     []transientView
}

// transientView is a TransientMenu with its view.
type transientView struct {
	steps []int
	seen  view
}

// same reports whether the followers of a and b see the same menus before,
// after and during apply.
func (a outcome) same(b outcome) bool {
	return a.before.sameMenu(b.before) && a.after.sameMenu(b.after) &&
		slices.EqualFunc(a.transient, b.transient, func(x, y transientView) bool {
			return slices.Equal(x.steps, y.steps) && x.seen.sameMenu(y.seen)
		})
}

// row is the table's row of the followers of tag on platforms who see o.
func (o outcome) row(tag string, platforms []string, tagNames map[string]string) Row {
	r := Row{Audience: Audience{TagID: tag, Platforms: platforms}, Before: o.before.Seen, After: o.after.Seen}
	r.Changed = !o.before.sameButtons(o.after)
	r.Lost = r.Changed && lost(r.Before, r.After)
	r.Label = r.Audience.Label(tagNames)
	for _, t := range o.transient {
		r.Transient = append(r.Transient, TransientMenu{Steps: t.steps, Seen: t.seen.Seen})
	}
	return r
}

// lost reports whether a follower who saw before and sees after (other
// buttons) lost their personalized menu: they fall back to the default
// menu, to no menu, or to a broader menu, one whose rule sets only some of
// the fields of the rule they matched before. A menu for another group that
// now outranks theirs (a reorder, an overlapping menu added above) is a
// change, not a loss.
func lost(before, after Seen) bool {
	if before.Kind != KindConditional {
		return false
	}
	if after.Kind != KindConditional {
		return true
	}
	b, a := *before.MatchRule, *after.MatchRule
	return a.Covers(b) && a != b
}

// transients lists the menus the followers of a tag row on platforms[p] see after
// intermediate steps (during indexes the states after all steps but the
// last) that differ from both what they see before and after apply.
func transients(row, p int, before, after view, during []*menuIndex) []transientView {
	var out []transientView
	for i, x := range during {
		s := x.menuFor(row, p)
		if s.sameButtons(before) || s.sameButtons(after) {
			continue
		}
		if n := len(out); n > 0 && out[n-1].seen.sameButtons(s) && out[n-1].steps[len(out[n-1].steps)-1] == i {
			out[n-1].steps = append(out[n-1].steps, i+1)
			continue
		}
		out = append(out, transientView{steps: []int{i + 1}, seen: s})
	}
	return out
}

// joinPlatforms returns a followed by b. Runs of platforms in order, the
// common case, are slices of platforms itself and cost no allocation.
func joinPlatforms(a, b []string) []string {
	for i := range platforms {
		if n := len(a); i+n+len(b) <= len(platforms) && slices.Equal(a, platforms[i:i+n]) && slices.Equal(b, platforms[i+n:i+n+len(b)]) {
			return platforms[i : i+n+len(b) : i+n+len(b)]
		}
	}
	return append(slices.Clip(a), b...)
}

// removed returns the live menus whose matchrule no menu has after apply,
// split into those that matched someone and dead ones. tags lists every
// tag of after's rules that can match.
func removed(before, after State, tags *tagTable) (alive, dead []Seen) {
	// The menus of after with each tag row (the last slot for no tag), as
	// chains in list order: first[row], then next[i].
	first := make([]int32, len(tags.tags)+1)
	for i := range first {
		first[i] = -1
	}
	next := make([]int32, len(after.Conditional))
	// slot is where a menu's row chains: its row, the last slot for no tag.
	slot := func(row int32) (int32, bool) {
		switch {
		case row >= 0:
			return row, true
		case row == noTag:
			return int32(len(tags.tags)), true
		}
		return 0, false
	}
	ids := 0
	for i := len(after.Conditional) - 1; i >= 0; i-- {
		m := &after.Conditional[i]
		if m.MenuID != "" {
			ids++
		}
		if s, ok := slot(tags.after[i]); ok {
			next[i], first[s] = first[s], int32(i)
		}
	}
	// hasRule reports whether some menu of after has the rule of before's
	// menu j.
	hasRule := func(j int) bool {
		s, ok := slot(tags.before[j])
		if !ok {
			return false
		}
		r := before.Conditional[j].Rule
		for i := first[s]; i >= 0; i = next[i] {
			if *after.Conditional[i].Rule == *r {
				return true
			}
		}
		return false
	}
	staying := make(map[string]bool, ids)
	for _, m := range after.Conditional {
		if m.MenuID != "" {
			staying[m.MenuID] = true
		}
	}
	// Which menus go, first, so each list is allocated once.
	const (
		stays = iota
		goesAlive
		goesDead
	)
	fate := make([]uint8, len(before.Conditional))
	var nAlive, nDead int
	for j, m := range before.Conditional {
		switch {
		case m.MenuID != "" && staying[m.MenuID]:
		case m.Rule.IsDead():
			fate[j] = goesDead
			nDead++
		case !hasRule(j):
			fate[j] = goesAlive
			nAlive++
		}
	}
	if nAlive > 0 {
		alive = make([]Seen, 0, nAlive)
	}
	if nDead > 0 {
		dead = make([]Seen, 0, nDead)
	}
	for j, m := range before.Conditional {
		seen := Seen{Kind: KindConditional, Name: m.Name, MenuID: m.MenuID, MatchRule: m.Rule, Unmanaged: m.Unmanaged, Buttons: m.Buttons}
		switch fate[j] {
		case goesAlive:
			alive = append(alive, seen)
		case goesDead:
			dead = append(dead, seen)
		}
	}
	return alive, dead
}

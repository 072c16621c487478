package audience

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/wxmenu/wxmenu/reconcile/canon"
	"github.com/wxmenu/wxmenu/reconcile/plans"
	"github.com/wxmenu/wxmenu/wechat"
)

// Impact is the effect of a plan's steps on the followers.
type Impact struct {
	// After is the account after the last step.
	After State
	// Rows is the "who sees what" table: listed tags in numeric order, then
	// everyone else.
	Rows []plans.AudienceRow
	// Removed lists live menus that match someone and whose matchrule no
	// menu has after apply: removed for good, not recreated.
	Removed []plans.Seen
}

// platforms are the client_platform_type values (reference §3).
var platforms = []string{"1", "2", "3"}

// Replay runs steps on before, the account as the plan read it, and
// returns who sees what before, during and after them. It fails when a step
// cannot run (a delete of a menuid the account lacks, a conditional menu
// before any default menu).
func Replay(before State, steps []plans.Step, tagNames map[string]string) (*Impact, error) {
	r := replay{before: withForms(before), steps: steps, made: make([]*Menu, len(steps))}
	after := State{Default: r.before.Default, Conditional: slices.Clone(r.before.Conditional)}
	for i, s := range steps {
		var err error
		if r.made[i], err = after.apply(s); err != nil {
			return nil, fmt.Errorf("step %d: %w", i+1, err)
		}
	}
	imp := &Impact{After: after}
	for _, tag := range append(listTags(r.before, after), "") {
		var tagIDs []string
		if tag != "" {
			tagIDs = []string{tag}
		}
		// One row per group of platforms whose followers see the same
		// menus before, during and after apply: outcomes[k] is what the
		// followers of imp.Rows[first+k] see.
		first := len(imp.Rows)
		var outcomes []outcome
		for _, p := range platforms {
			o := r.follow(after, tagIDs, p)
			if k := slices.IndexFunc(outcomes, o.same); k >= 0 {
				row := &imp.Rows[first+k]
				row.Audience.Platforms = append(row.Audience.Platforms, p)
				row.Label = row.Audience.Label(tagNames)
				continue
			}
			outcomes = append(outcomes, o)
			imp.Rows = append(imp.Rows, o.row(plans.Audience{TagID: tag, Platforms: []string{p}}, tagNames))
		}
	}
	imp.Removed = removed(r.before, after)
	return imp, nil
}

// withForms returns a copy of s with the canonical form of every menu.
func withForms(s State) State {
	out := State{Default: s.Default, Conditional: slices.Clone(s.Conditional)}
	if d := s.Default; d != nil && d.Form == "" {
		c := *d
		c.Form = canon.CanonicalButtons(c.Buttons)
		out.Default = &c
	}
	for i := range out.Conditional {
		if m := &out.Conditional[i]; m.Form == "" {
			m.Form = canon.CanonicalButtons(m.Buttons)
		}
	}
	return out
}

// replay is a run of steps on an account: made[i] is the menu step i
// creates (the default menu or a conditional menu), nil for a delete.
type replay struct {
	before State
	steps  []plans.Step
	made   []*Menu
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

// follow returns what the followers with tagIDs on platform see. During
// apply it follows only what they can see: the default menu and the menus
// whose rule matches them, newest first.
func (r *replay) follow(after State, tagIDs []string, platform string) outcome {
	o := outcome{before: r.before.see(tagIDs, platform), after: after.see(tagIDs, platform)}
	if len(r.steps) < 2 {
		return o
	}
	var mine []*Menu
	for i := range r.before.Conditional {
		if m := &r.before.Conditional[i]; m.Rule.Matches(tagIDs, platform) {
			mine = append(mine, m)
		}
	}
	def := r.before.Default
	for i, s := range r.steps[:len(r.steps)-1] {
		switch s.Action {
		case plans.ActionCreateDefault:
			def = r.made[i]
		case plans.ActionAddConditional:
			if r.made[i].Rule.Matches(tagIDs, platform) {
				mine = slices.Insert(mine, 0, r.made[i])
			}
		case plans.ActionDelConditional:
			mine = slices.DeleteFunc(mine, func(m *Menu) bool { return m.MenuID == s.MenuID })
		case plans.ActionDeleteAll:
			def, mine = nil, nil
		}
		v := view{def, plans.KindDefault}
		switch {
		case def == nil:
			v = view{}
		case len(mine) > 0:
			v = view{mine[0], plans.KindConditional}
		}
		if v.sameButtons(o.before) || v.sameButtons(o.after) {
			continue
		}
		if n := len(o.transient); n > 0 && o.transient[n-1].seen.sameButtons(v) && o.transient[n-1].steps[len(o.transient[n-1].steps)-1] == i {
			o.transient[n-1].steps = append(o.transient[n-1].steps, i+1)
			continue
		}
		o.transient = append(o.transient, transientView{steps: []int{i + 1}, seen: v})
	}
	return o
}

// same reports whether the followers of o and p see the same menus before,
// after and during apply.
func (o outcome) same(p outcome) bool {
	return o.before.sameMenu(p.before) && o.after.sameMenu(p.after) &&
		slices.EqualFunc(o.transient, p.transient, func(x, y transientView) bool {
			return slices.Equal(x.steps, y.steps) && x.seen.sameMenu(y.seen)
		})
}

// row is the table's row of audience a, whose followers see o.
func (o outcome) row(a plans.Audience, tagNames map[string]string) plans.AudienceRow {
	r := plans.AudienceRow{Audience: a, Label: a.Label(tagNames), Before: o.before.Seen(), After: o.after.Seen()}
	r.Changed = !o.before.sameButtons(o.after)
	r.Lost = r.Changed && lost(r.Before, r.After)
	for _, t := range o.transient {
		r.Transient = append(r.Transient, plans.TransientMenu{Steps: t.steps, Seen: t.seen.Seen()})
	}
	return r
}

// lost reports whether a follower who saw before and sees after (other
// buttons) lost their personalized menu (see Losses in the package doc).
func lost(before, after plans.Seen) bool {
	switch {
	case before.Kind != plans.KindConditional:
		return false
	case after.Kind != plans.KindConditional:
		return true
	}
	return *after.MatchRule != *before.MatchRule && after.MatchRule.Covers(*before.MatchRule)
}

// listTags returns the tags the rules of the states that can match name,
// each once: numbers in numeric order (equal numbers, "7" and "07", by
// their text), then the others as text.
func listTags(states ...State) []string {
	var tags []string
	listed := map[string]bool{}
	for _, s := range states {
		for _, m := range s.Conditional {
			if t := m.Rule.TagID; t != "" && !m.Rule.IsDead() && !listed[t] {
				listed[t] = true
				tags = append(tags, t)
			}
		}
	}
	slices.SortFunc(tags, func(a, b string) int {
		x, errX := strconv.ParseUint(a, 10, 64)
		y, errY := strconv.ParseUint(b, 10, 64)
		switch {
		case errX == nil && errY == nil && x != y:
			return cmp.Compare(x, y)
		case errX == nil && errY != nil:
			return -1
		case errX != nil && errY == nil:
			return 1
		}
		return strings.Compare(a, b)
	})
	return tags
}

// removed returns the menus of before that matched someone, that after
// lacks and whose matchrule no menu of after has.
func removed(before, after State) []plans.Seen {
	stays := map[string]bool{}
	rules := map[wechat.MatchRule]bool{}
	for _, m := range after.Conditional {
		stays[m.MenuID] = m.MenuID != ""
		rules[*m.Rule] = true
	}
	var out []plans.Seen
	for i := range before.Conditional {
		if m := &before.Conditional[i]; !stays[m.MenuID] && !m.Rule.IsDead() && !rules[*m.Rule] {
			out = append(out, view{m, plans.KindConditional}.Seen())
		}
	}
	return out
}

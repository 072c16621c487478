package reconcile

import (
	"fmt"
	"maps"
	"slices"

	"github.com/wxmenu/wxmenu/reconcile/audience"
	"github.com/wxmenu/wxmenu/reconcile/desired"
	"github.com/wxmenu/wxmenu/reconcile/plans"
	"github.com/wxmenu/wxmenu/wechat"
)

// The review fields of a plan: what followers see before, during and
// after apply. NewPlan replays its own steps on the live account
// (audience.Simulate), so the table describes the calls the plan makes, not
// a second model of them; the delete rail judges the same table.

// audienceInput is the live account and the desired state as package
// audience reads them, with live menus labelled by the plan's names.
func audienceInput(live *wechat.MenuSet, ds *desired.State, liveNames []string) audience.Input {
	in := audience.Input{Live: live, LiveNames: liveNames, TagNames: ds.Tags}
	if n := len(ds.Conditional); n > 0 {
		in.Desired.Conditional = make([]audience.DesiredMenu, 0, n)
	}
	if ds.Default != nil {
		in.Desired.Default = ds.Default.Buttons
	}
	for i := range ds.Conditional {
		c := &ds.Conditional[i]
		in.Desired.Conditional = append(in.Desired.Conditional, audience.DesiredMenu{Name: c.Name, Rule: &c.MatchRule, Buttons: c.Buttons})
	}
	for _, u := range ds.Unmanaged {
		in.Desired.Unmanaged = append(in.Desired.Unmanaged, u.MatchRule)
	}
	return in
}

// audienceSteps converts plan steps to the steps audience.Simulate replays.
func audienceSteps(steps []plans.Step) []audience.Step {
	out := make([]audience.Step, len(steps))
	for i, s := range steps {
		a := audience.Step{Action: audience.Action(s.Action), Name: s.Name, MenuID: s.MenuID, Buttons: s.After}
		if s.MatchRule != nil {
			a.MatchRule = *s.MatchRule
		}
		out[i] = a
	}
	return out
}

// attachReview fills the plan's review fields: the audience table, the
// menus removed for good, the final priority order and the step counts.
// It returns the impact for the rails.
func attachReview(live *wechat.MenuSet, ds *desired.State, p *plans.Plan, liveNames []string) (*audience.Impact, error) {
	imp, err := audience.Simulate(audienceInput(live, ds, liveNames), audienceSteps(p.Steps))
	if err != nil {
		// The planner's own steps cannot run on the account it read: a
		// bug in the planner, never a property of the input.
		return nil, fmt.Errorf("replaying the plan for the audience table: %w", err)
	}
	p.Changes = p.HasChanges()
	p.Audiences = imp.Rows
	p.Removed = imp.Removed
	if len(ds.Tags) > 0 {
		p.TagNames = ds.Tags
	}
	if len(p.Steps) > 0 {
		p.Counts = map[plans.Action]int{}
		for _, s := range p.Steps {
			p.Counts[s.Action]++
		}
	}
	kept := make(map[string]bool, len(p.Kept))
	for _, k := range p.Kept {
		kept[k.MenuID] = true
	}
	for _, m := range imp.After.Conditional {
		if m.Rule.IsDead() {
			continue // never matched, so never part of the order followers meet
		}
		if p.Priority == nil {
			p.Priority = make([]plans.PriorityMenu, 0, len(imp.After.Conditional))
		}
		p.Priority = append(p.Priority, plans.PriorityMenu{
			Name: m.Name, MatchRule: m.Rule, Unmanaged: m.Unmanaged, Kept: m.MenuID != "" && kept[m.MenuID],
		})
	}
	return imp, nil
}

// tagWarnings checks the file's tags: map against the account's tag list:
// a tag the account lacks, or names differently, is shown with the file's
// name but warned about.
func tagWarnings(ds *desired.State, opts PlanOptions) []string {
	if len(ds.Tags) == 0 {
		return nil
	}
	if opts.TagsError != nil {
		return []string{fmt.Sprintf("the account's tags could not be read (%v); the tag names in the plan are the file's, unchecked", opts.TagsError)}
	}
	if opts.AccountTags == nil {
		return nil
	}
	onAccount := map[string]string{}
	for _, t := range opts.AccountTags {
		onAccount[t.ID] = t.Name
	}
	var out []string
	for _, id := range slices.Sorted(maps.Keys(ds.Tags)) {
		name, ok := onAccount[id]
		switch {
		case !ok:
			out = append(out, fmt.Sprintf("tags: names tag %s %q, but the account has no tag %s", id, ds.Tags[id], id))
		case name != ds.Tags[id]:
			out = append(out, fmt.Sprintf("tags: names tag %s %q, but the account calls it %q", id, ds.Tags[id], name))
		}
	}
	return out
}

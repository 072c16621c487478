package reconcile

import (
	"fmt"

	"github.com/wxmenu/wxmenu/reconcile/audience"
	"github.com/wxmenu/wxmenu/reconcile/plans"
)

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
	}
	if len(d.desired.Tags) > 0 {
		p.TagNames = d.desired.Tags
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

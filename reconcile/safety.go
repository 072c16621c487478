package reconcile

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/wxmenu/wxmenu/internal/errtext"
	"github.com/wxmenu/wxmenu/reconcile/audience"
	"github.com/wxmenu/wxmenu/reconcile/plans"
)

// Safety rails stop plans that are more likely a mistake than an intent: an
// empty file, menu/delete, losing a protected menu, or taking their
// personalized menu from many followers. Each rail has an override (a CLI
// flag); a plan that needed an override lists it in Plan.Overrides so the
// audit log records it.
//
// The loss rail (many-deletes, after its override flag) counts what
// followers lose, from the plan's audience table, not API calls: WeChat
// has no edit call, so editing the lowest of six menus recreates all six,
// and reordering recreates every menu that moves. Neither takes a menu from
// anyone. The rail counts the audiences that lose their personalized menu
// (plans.AudienceRow.Lost) and the menus removed for good
// (audience.Impact.Removed), as package audience defines them. Either
// count trips the rail when it reaches the floor (deleteMinimum, 3)
// and exceeds the share (MaxDeleteShare, half of the audiences with a
// personalized menu, or of the live menus) or the count (MaxDeletes, 10).
// octoDNS judges its thresholds from 10 existing records up; an account
// holds a handful of conditional menus, so the floor is 3: losing one or two
// menus is an ordinary edit, a file that keeps one of six menus (five
// audiences lose theirs) is blocked.
//
// There is no separate rail for a changed default menu: it is the menu
// edited most often, every follower without a personalized menu sees it, so
// a rail on "many see it" would fire on every edit and train operators to
// pass its override. Followers sent to the default menu are counted by the
// loss rail; the audience table shows who sees the new default menu.

// SafetyOptions set the rails' overrides and thresholds.
type SafetyOptions struct {
	AllowEmpty, AllowDeleteAll, AllowProtected, AllowManyDeletes bool
	// MaxDeletes is the most audiences that may lose their personalized
	// menu, and the most menus that may be removed for good, without
	// AllowManyDeletes; 0 means 10. (The name is the CLI flag's,
	// --max-deletes, kept from when the rail counted calls.)
	MaxDeletes int
	// MaxDeleteShare is the largest share of the audiences with a
	// personalized menu that may lose it, and of the live menus that match
	// someone that may be removed for good; 0 means 0.5.
	MaxDeleteShare float64
}

// Defaults of the loss rail.
const (
	DefaultMaxDeletes     = 10
	DefaultMaxDeleteShare = 0.5
)

// deleteMinimum is the count of lost audiences (or removed menus) below
// which the loss rail does not apply.
const deleteMinimum = 3

// Override names, as the CLI spells its flags.
const (
	OverrideEmpty       = "allow-empty"
	OverrideDeleteAll   = "allow-delete-all"
	OverrideProtected   = "allow-protected"
	OverrideManyDeletes = "allow-many-deletes"
)

// SafetyError is the error of a blocked plan: the rails it tripped that no
// override allows (Plan.Blocked).
type SafetyError struct {
	Violations []plans.Violation
}

func (e *SafetyError) Error() string {
	if e == nil || len(e.Violations) == 0 {
		return "plan blocked by safety rails"
	}
	parts := make([]string, len(e.Violations))
	for i, v := range e.Violations {
		parts[i] = fmt.Sprintf("%s (override with --%s)", v.Message, v.Override)
	}
	return "plan blocked by safety rails: " + strings.Join(parts, "; ")
}

// checkSafety returns the rails the changes trip, judged on their audience
// table imp, without an override, and the overrides that were needed and
// granted, in a fixed order.
func (c *Changes) checkSafety(imp *audience.Impact, o SafetyOptions) (violations []plans.Violation, granted []string) {
	d := c.d
	if o.MaxDeletes <= 0 {
		o.MaxDeletes = DefaultMaxDeletes
	}
	if o.MaxDeleteShare <= 0 {
		o.MaxDeleteShare = DefaultMaxDeleteShare
	}
	rail := func(tripped, allowed bool, v plans.Violation) {
		switch {
		case !tripped:
		case allowed:
			granted = append(granted, v.Override)
		default:
			violations = append(violations, v)
		}
	}

	deleteAll := 0
	var protected []string
	for _, s := range c.Steps {
		switch s.Action {
		case plans.ActionDeleteAll:
			deleteAll++
		case plans.ActionDelConditional:
			if name, ok := d.protectedDeletes[s.MenuID]; ok {
				protected = append(protected, fmt.Sprintf("%q (menuid %s)", name, s.MenuID))
			}
		}
	}

	emptyDesired := d.desired.Default == nil && len(d.desired.Conditional) == 0
	rail(emptyDesired && len(c.Steps) > 0, o.AllowEmpty, plans.Violation{
		Rail: "empty", Override: OverrideEmpty,
		Message: en.Msg("%s declares no menu, so the plan removes every menu", d.fileName()),
	})
	rail(deleteAll > 0, o.AllowDeleteAll, plans.Violation{
		Rail: "delete-all", Override: OverrideDeleteAll,
		Message: en.Msg("the plan calls menu/delete, which removes the default menu and every conditional menu"),
	})
	rail(len(protected) > 0, o.AllowProtected, plans.Violation{
		Rail: "protected", Override: OverrideProtected,
		Message: protectedMessage(protected),
	})
	// menu/delete takes every menu from everyone; its own rail says so.
	liveMatching := count(d.lives, func(l liveMenu) bool { return l.managed() })
	if msg := lossMessage(imp, d.desired.Tags, liveMatching, o); msg != "" && deleteAll == 0 {
		rail(true, o.AllowManyDeletes, plans.Violation{Rail: "many-deletes", Override: OverrideManyDeletes, Message: msg})
	}
	return violations, granted
}

// lossMessage says, in audience terms, why the loss rail trips on the
// table imp of an account with liveMatching conditional menus that match
// someone (tagNames names its tags); "" when it does not.
func lossMessage(imp *audience.Impact, tagNames map[string]string, liveMatching int, o SafetyOptions) string {
	personalized := 0
	var lost []plans.AudienceRow
	for _, r := range imp.Rows {
		if r.Before.Kind == plans.KindConditional {
			personalized++
		}
		if r.Lost {
			lost = append(lost, r)
		}
	}
	over := func(n, of int) bool {
		return n >= deleteMinimum && (n > o.MaxDeletes || float64(n) > o.MaxDeleteShare*float64(of))
	}
	who := plans.LostList(nil, lost, tagNames)
	share := strconv.FormatFloat(o.MaxDeleteShare*100, 'g', -1, 64)
	switch losing, removing := over(len(lost), personalized), over(len(imp.Removed), liveMatching); {
	case losing && removing:
		return en.Msg("%d of %d audiences with a personalized menu lose it (%s); %d of %d conditional menus are removed for good, not recreated (the rail allows at most %s%% and at most %d of either, once %d are affected)",
			len(lost), personalized, who, len(imp.Removed), liveMatching, share, o.MaxDeletes, deleteMinimum)
	case losing:
		return en.Msg("%d of %d audiences with a personalized menu lose it (%s) (the rail allows at most %s%% and at most %d of either, once %d are affected)",
			len(lost), personalized, who, share, o.MaxDeletes, deleteMinimum)
	case removing:
		return en.Msg("%d of %d conditional menus are removed for good, not recreated (the rail allows at most %s%% and at most %d of either, once %d are affected)",
			len(imp.Removed), liveMatching, share, o.MaxDeletes, deleteMinimum)
	}
	return ""
}

// protectedMessage is the protected rail's message, naming the menus.
func protectedMessage(protected []string) string {
	if len(protected) == 1 {
		return en.Msg("the plan deletes or recreates protected menu %s", protected[0])
	}
	return en.Msg("the plan deletes or recreates protected menus %s", strings.Join(protected, ", "))
}

func pluralWord(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// ErrorHint says how to allow the plan: the override flags of the tripped
// rails, each once.
func (e *SafetyError) ErrorHint() string {
	var flags []string
	for _, v := range e.Violations {
		if f := "--" + v.Override; !slices.Contains(flags, f) {
			flags = append(flags, f)
		}
	}
	return "if this is intended, plan again with " + strings.Join(flags, " ") + " (the override is recorded in the plan and the audit log)"
}

// Check refuses rail settings that would silently mean something else
// (planning reads 0 as "use the default"). Messages name the CLI flags.
func (o PlanOptions) Check() error {
	switch s := o.Safety; {
	case s.MaxDeletes < 1:
		return errtext.Errorf("the rail never applies below 3 lost audiences; to allow more, pass --allow-many-deletes", "--max-deletes must be at least 1, got %d", s.MaxDeletes)
	case s.MaxDeleteShare <= 0 || s.MaxDeleteShare > 1:
		return errtext.Errorf("use a share between 0 and 1, e.g. --max-delete-share 0.25", "--max-delete-share must be above 0 and at most 1, got %g", s.MaxDeleteShare)
	case o.MaxConditional < 1:
		return fmt.Errorf("--max-conditional must be at least 1, got %d", o.MaxConditional)
	}
	return nil
}

// BlockedError returns a *SafetyError for a blocked plan, nil otherwise.
func BlockedError(p *plans.Plan) error {
	if p == nil || !p.IsBlocked() {
		return nil
	}
	return &SafetyError{Violations: p.Blocked}
}

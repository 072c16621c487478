package render

import (
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/wxmenu/wxmenu/internal/i18n"
	"github.com/wxmenu/wxmenu/internal/literal"
	"github.com/wxmenu/wxmenu/reconcile"
	"github.com/wxmenu/wxmenu/reconcile/fleet"
	"github.com/wxmenu/wxmenu/reconcile/plans"
	"github.com/wxmenu/wxmenu/reconcile/preview"
	"github.com/wxmenu/wxmenu/reconcile/project"
)

// A project's accounts whose plans have the same steps (plans.GroupKey)
// are reviewed as one group, in every format: "1,000 accounts: the same 2
// steps", the steps once (plans.Shared, its menuids shown as
// plans.MenuIDMark) and the accounts' names compactly (nameRuns). Only
// plans that need nothing but a review are grouped: an account that is
// blocked, failed, stale or held back, or whose plan goes back to an
// apply's state (--restore), is always shown on its own, as is an account
// whose steps match no other's.

// group is two or more accounts of a report whose plans share one
// GroupKey and whose results share one status.
type group struct {
	key string
	// outcomes are the accounts, in project order.
	outcomes []fleet.Outcome
	// plan is the first account's plan as they all share it.
	plan *plans.Plan
}

// groups returns the groups of rep, in the order of their first accounts,
// and for each outcome of rep its group (nil when it is shown alone).
func groups(rep *fleet.Report) (list []*group, of []*group) {
	of = make([]*group, len(rep.Outcomes))
	byID := map[groupID]*group{}
	for i, o := range rep.Outcomes {
		id, ok := groupOf(o, rep.Applying)
		if !ok {
			continue
		}
		g := byID[id]
		if g == nil {
			g = &group{key: id.key}
			byID[id] = g
		}
		g.outcomes = append(g.outcomes, o)
		of[i] = g
	}
	for i, g := range of {
		switch {
		case g == nil:
		case len(g.outcomes) < 2:
			of[i] = nil
		case g.plan == nil:
			plan := plans.Shared(g.outcomes[0].Result.Plan)
			if slices.ContainsFunc(g.outcomes, func(o fleet.Outcome) bool { return o.Result.Plan.DesiredFile != plan.DesiredFile }) {
				plan.DesiredFile = "" // "the desired state": each account's own file
			}
			if plan.Snapshot != nil {
				// Each account was read into the snapshot at its own time:
				// the earliest is named, as for the whole run.
				first := *plan.Snapshot
				for _, o := range g.outcomes {
					if s := o.Result.Plan.Snapshot; s != nil && s.TakenAt.Before(first.TakenAt) {
						first.TakenAt = s.TakenAt
					}
				}
				plan.Snapshot = &first
			}
			g.plan = plan
			list = append(list, g)
		}
	}
	return list, of
}

// groupID is what the accounts of a group share: their status, the
// GroupKey of their plans, and their rollout wave and mode (waves.go).
type groupID struct {
	status reconcile.Status
	key    string
	wave   string
	mode   project.Mode
}

// groupOf is o's groupID; false when o is shown alone whatever the other
// accounts' plans are.
func groupOf(o fleet.Outcome, applying bool) (groupID, bool) {
	r := o.Result
	switch {
	case o.Held != "", r.Err != nil, r.Plan == nil, r.Plan.IsBlocked(), !r.Plan.HasChanges(),
		strings.HasPrefix(r.Plan.DesiredFile, reconcile.RestorePrefix):
		return groupID{}, false
	case r.Status == reconcile.StatusChanges && !applying, r.Status == reconcile.StatusApplied:
		return groupID{r.Status, plans.GroupKey(r.Plan), o.Wave, o.Mode}, true
	}
	return groupID{}, false
}

// heading says what the group's accounts have in common, their wave and
// mode too (waves.go): "1,000 accounts (wave everyone): the same 2
// steps", worded by tr (nil: English, as FleetJSON holds it).
func (g *group) heading(tr *i18n.Printer) string {
	if g.outcomes[0].Result.Status == reconcile.StatusApplied {
		return tr.Msg("%s: applied the same %s", g.accounts(tr)+groupWave(tr, g.outcomes[0]), g.steps(tr))
	}
	return tr.Msg("%s: the same %s", g.accounts(tr)+groupWave(tr, g.outcomes[0]), g.steps(tr))
}

// accounts counts the group's accounts, "1,000 accounts".
func (g *group) accounts(tr *i18n.Printer) string {
	return tr.Msg("%d accounts", i18n.Grouped(len(g.outcomes)))
}

// steps counts the steps of the group's plan, "2 steps".
func (g *group) steps(tr *i18n.Printer) string {
	return tr.Msg("%d steps", i18n.Grouped(len(g.plan.Steps)))
}

// names are the group's account names, in project order.
func (g *group) names() []string {
	names := make([]string, len(g.outcomes))
	for i, o := range g.outcomes {
		names[i] = o.Name
	}
	return names
}

// options are the options the group's shared plan is shown with.
func (g *group) options(projectOpts Options, applying bool) Options {
	opts := projectOpts
	opts.Account = ""
	opts.Group = len(g.outcomes)
	opts.Applying = opts.Applying || applying || g.outcomes[0].Observed() // a group shares its mode
	return opts
}

// groupApplyHint is applyHint for a group's plan: its accounts are applied
// with the project's plan.
func groupApplyHint(p *plans.Plan, opts Options, code func(string) string) string {
	tr := opts.Printer
	opts.Account = ""
	plan := planCommand(opts, "", "plan.json")
	switch {
	case p.Snapshot != nil:
		return tr.Msg("not this plan, made from a snapshot; with the accounts' credentials, %s plans against the live accounts, and apply applies that plan once reviewed", code(plan))
	case opts.SavedAs != "":
		return tr.Msg("run %s; apply refuses it if any of these accounts or its file changed since", code(ApplyCommand(opts, false, opts.SavedAs)))
	}
	return tr.Msg("save the project's plan with %s, then run %s; apply refuses it if any of these accounts or its file changed since", code(plan), code(ApplyCommand(opts, false, "plan.json")))
}

// A nameRun is one account name (first, n 1) or a run of n names that
// differ only in a numeric suffix of one width, counting up by one:
// first…last.
type nameRun struct {
	first, last string
	n           int
}

// nameRuns lists names compactly, in their order (the project's): every
// run of three or more names one after the other with a common prefix and
// numeric suffixes of one width counting up by one ("store-0001",
// "store-0002", … "store-1000") as one nameRun.
func nameRuns(names []string) []nameRun {
	type name struct {
		s, prefix, digits string
		num               uint64
		numbered          bool
	}
	ns := make([]name, len(names))
	for i, s := range names {
		prefix := strings.TrimRight(s, "0123456789")
		digits := s[len(prefix):]
		num, err := strconv.ParseUint(digits, 10, 64)
		ns[i] = name{s: s, prefix: prefix, digits: digits, num: num, numbered: digits != "" && err == nil}
	}
	var runs []nameRun
	for i := 0; i < len(ns); {
		j := i + 1
		for j < len(ns) && ns[j].numbered && ns[i].numbered && ns[j].prefix == ns[i].prefix &&
			len(ns[j].digits) == len(ns[i].digits) && ns[j].num == ns[j-1].num+1 {
			j++
		}
		if j-i < 3 {
			j = i + 1
		}
		runs = append(runs, nameRun{first: ns[i].s, last: ns[j-1].s, n: j - i})
		i = j
	}
	return runs
}

// show shows the run with show, which makes one name safe for a medium.
func (r nameRun) show(show func(string) string) string {
	if r.n == 1 {
		return show(r.first)
	}
	return show(r.first) + "…" + show(r.last)
}

// namesLine lists names compactly (nameRuns) on one line, each made safe
// by show, as a list of tr's language.
func namesLine(tr *i18n.Printer, names []string, show func(string) string) string {
	var out []string
	for _, r := range nameRuns(names) {
		out = append(out, r.show(show))
	}
	return tr.List(out)
}

// textGroup writes a group's section of FleetText.
func textGroup(w io.Writer, g *group, projectOpts Options, applying bool) error {
	tr := projectOpts.Printer
	fmt.Fprintf(w, "=== %s\n", g.heading(tr))
	fmt.Fprintln(w, tr.Msg("Accounts: %s", namesLine(tr, g.names(), literal.Line)))
	if err := Text(w, g.plan, g.options(projectOpts, applying)); err != nil {
		return err
	}
	if g.outcomes[0].Result.Status == reconcile.StatusApplied {
		fmt.Fprintln(w, tr.Msg("Applied %s to each of these accounts; each matches its file (verified by reading it back).", g.steps(tr)))
	}
	_, err := fmt.Fprintln(w)
	return err
}

// markdownGroup returns a group's row of FleetMarkdown's table and its
// pieces: a line naming the accounts, one piece per run so that a long list
// goes on in the next part, then a <details> section with the steps, once
// (the plan's Markdown; an apply's section says what was applied).
func markdownGroup(g *group, projectOpts Options, applying bool, budget int) (row string, pieces []string) {
	tr := projectOpts.Printer
	result := statusWord(tr, g.outcomes[0].Result.Status)
	row = fmt.Sprintf("| %s | | %s | %d | |\n", g.heading(tr), result, len(g.plan.Steps))
	runs := nameRuns(g.names())
	pieces = append(pieces, "\n"+tr.Msg("**%s**: ", g.heading(tr)))
	for i, r := range runs {
		sep := tr.List([]string{"", ""})
		if i == len(runs)-1 {
			sep = "\n"
		}
		pieces = append(pieces, r.show(mdCode)+sep)
	}
	var sec strings.Builder
	fmt.Fprintf(&sec, "\n<details><summary>%s</summary>\n\n", tr.Msg("The %s of these %s", g.steps(tr), g.accounts(tr)))
	if g.outcomes[0].Result.Status == reconcile.StatusApplied {
		fmt.Fprintln(&sec, tr.Msg("Applied %s to each of these accounts; each matches its file (verified by reading it back).", g.steps(tr)))
	} else {
		Markdown(&sec, g.plan, g.options(projectOpts, applying)) // a strings.Builder takes every write
	}
	sec.WriteString("\n</details>\n")
	return row, append(pieces, fitPiece(tr, sec.String(), budget))
}

// jsonGroup is a group in FleetJSON's document.
type jsonGroup struct {
	// Key is plans.GroupKey of every account's plan.
	Key     string           `json:"key"`
	Summary string           `json:"summary"`
	Status  reconcile.Status `json:"status"`
	// Accounts are the accounts' names, every one, in project order.
	Accounts []string `json:"accounts"`
	// Steps are the steps of every account's plan, their menuids
	// plans.MenuIDMark (plans.Shared).
	Steps []plans.Step `json:"steps"`
}

// jsonGroups are rep's groups for FleetJSON, [] when there are none.
func jsonGroups(list []*group) []jsonGroup {
	out := []jsonGroup{}
	for _, g := range list {
		out = append(out, jsonGroup{Key: g.key, Summary: g.heading(nil), Status: g.outcomes[0].Result.Status, Accounts: g.names(), Steps: g.plan.Steps})
	}
	return out
}

// htmlGroup is a group's review on FleetHTML's page: its phones drawn
// once, the accounts listed under the heading.
func htmlGroup(g *group, projectOpts Options, applying bool) preview.Review {
	review := htmlReview(g.plan, g.options(projectOpts, applying))
	tr := projectOpts.Printer
	review.Heading = g.heading(tr)
	review.Summary = append([]string{tr.Msg("Accounts: %s", namesLine(tr, g.names(), literal.Line))}, review.Summary...)
	return review
}

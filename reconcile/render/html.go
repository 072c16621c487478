package render

import (
	"cmp"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/wxmenu/wxmenu/internal/i18n"
	"github.com/wxmenu/wxmenu/internal/literal"
	"github.com/wxmenu/wxmenu/reconcile"
	"github.com/wxmenu/wxmenu/reconcile/fleet"
	"github.com/wxmenu/wxmenu/reconcile/plans"
	"github.com/wxmenu/wxmenu/reconcile/preview"
)

// HTML writes the plan as one self-contained page (package preview): a
// banner when it is blocked, the calls in call order, a phone mock per
// audience before and after apply with the changed buttons' fields, the
// conditional menus after apply, the warnings and how to apply it (the
// text plan's words). The subtitle says when and from what the plan was
// made. A plan saved before the audience table existed has no phones to
// draw; the page says so.
func HTML(w io.Writer, p *plans.Plan, opts Options) error {
	tr := opts.Printer
	sub := []string{cmp.Or(provenanceLine(tr, p), tr.Msg("planned %s", p.CreatedAt.UTC().Format(time.RFC3339)))}
	if line := snapshotLine(tr, p); line != "" {
		sub = append([]string{line}, sub...)
	}
	page := preview.Page{
		Printer:  tr,
		Title:    literal.Line(planFileLabel(tr, p) + " → " + p.AppID),
		Subtitle: literal.Line(strings.Join(sub, " · ")),
		Reviews:  []preview.Review{htmlReview(p, opts)},
	}
	if p.IsBlocked() {
		page.Blocked = &preview.Banner{Heading: blockedHeading(tr), Lines: safeLines(blockedLines(tr, p))}
	}
	return preview.WriteHTML(w, page)
}

// htmlReview is the page's review of plan p, its texts made safe
// (literal.Line) and worded as in the text plan.
func htmlReview(p *plans.Plan, opts Options) preview.Review {
	tr := opts.Printer
	r := preview.Review{Summary: []string{tr.Msg("Plan: %s.", planSummary(tr, p))}}
	if p.HasChanges() {
		r.Summary = append(r.Summary, strings.ReplaceAll(tr.Msg("Calls: %s", callsSummary(tr, p)), "\u00a0", " "))
	}
	if len(p.Audiences) == 0 && p.HasChanges() {
		r.Summary = append(r.Summary, tr.Msg("This plan was saved without an audience table; plan again to see the phones."))
	}
	for _, s := range p.Steps {
		r.Calls = append(r.Calls, preview.Call{
			Action: actionLabel(tr, s), Endpoint: s.Action.Endpoint(),
			Menu: literal.Line(stepName(tr, s)), Rule: literal.Line(stepRule(tr, p, s)), Reason: literal.Line(stepReason(tr, p, s)),
		})
	}
	r.Comparisons = preview.FromRows(tr, p.Audiences, p.TagNames, len(p.Steps))
	r.Priority = safeLines(priorityLines(tr, p))
	r.Warnings = safeLines(warnings(tr, p))
	if p.HasChanges() && !opts.Applying {
		r.Apply = applyHint(p, opts, literal.Line)
	}
	return r
}

// safeLines makes each line safe to show (literal.Line).
func safeLines(lines []string) []string {
	var out []string
	for _, l := range lines {
		out = append(out, literal.Line(l))
	}
	return out
}

// FleetHTML writes a project's plans as one page: a banner naming the
// blocked accounts and why, the run's summary, then a review of every
// account with changes or a problem (as HTML shows one plan), the
// unchanged accounts named in the subtitle.
func FleetHTML(w io.Writer, rep *fleet.Report, projectOpts Options) error {
	tr := projectOpts.Printer
	page := preview.Page{Printer: tr, Title: tr.Msg("wxmenu plan: %s", literal.Line(rep.SummaryIn(tr)))}
	var sub, unchanged, blocked []string
	if line := fleetSnapshotLine(tr, rep); line != "" {
		sub = append(sub, line)
	}
	_, grouped := groups(rep)
	for i, o := range rep.Outcomes {
		r := o.Result
		opts := accountOptions(projectOpts, rep, o)
		label := literal.Line(accountHeading(tr, o))
		if r.Status == reconcile.StatusPaused {
			continue // listed in the subtitle
		}
		if r.Status == reconcile.StatusNoChanges {
			unchanged = append(unchanged, o.Name)
			continue
		}
		if g := grouped[i]; g != nil {
			if g.outcomes[0].Name == o.Name {
				page.Reviews = append(page.Reviews, htmlGroup(g, projectOpts, rep.Applying))
			}
			continue
		}
		var review preview.Review
		if r.Plan != nil {
			review = htmlReview(r.Plan, opts)
			if r.Plan.IsBlocked() {
				for _, l := range blockedLines(tr, r.Plan) {
					blocked = append(blocked, literal.Line(o.Name+": "+l))
				}
			}
		}
		review.Heading = label
		if r.Status != reconcile.StatusChanges && r.Status != reconcile.StatusBlocked && r.Status != reconcile.StatusApplied {
			message, hint := fleetProblem(r, opts)
			problem := []string{literal.Line(statusWord(tr, r.Status) + ": " + message)}
			if hint != "" {
				problem = append(problem, literal.Line(tr.Msg("hint: %s", hint)))
			}
			review.Summary = append(problem, review.Summary...)
		}
		if o.Held != "" {
			review.Summary = append(review.Summary, literal.Line(heldWords(tr, o.Held)))
		}
		page.Reviews = append(page.Reviews, review)
	}
	if len(unchanged) > 0 {
		sub = append(sub, tr.Msg("no changes: %s", namesLine(tr, unchanged, literal.Line)))
	}
	if line := pausedLine(tr, rep); line != "" {
		sub = append(sub, line)
	}
	sub = append(sub, waveLines(tr, rep)...)
	page.Subtitle = literal.Line(strings.Join(sub, " · "))
	if len(blocked) > 0 {
		page.Blocked = &preview.Banner{Heading: tr.Msg("BLOCKED: a safety rail stops the plan of an account; the project's plan cannot be saved or applied."), Lines: blocked}
	}
	return preview.WriteHTML(w, page)
}

// blockedHeading heads a blocked plan's banner in a terminal and on the
// HTML page.
func blockedHeading(tr *i18n.Printer) string {
	return tr.Msg("BLOCKED: a safety rail stops this plan; it cannot be saved or applied.")
}

// actionLabel names what a step does, for people: "create", "replace
// default", "delete (first)".
func actionLabel(tr *i18n.Printer, s plans.Step) string {
	switch s.Action {
	case plans.ActionCreateDefault:
		if s.Before == nil {
			return tr.Msg("create default")
		}
		return tr.Msg("replace default")
	case plans.ActionAddConditional:
		return tr.Msg("create")
	case plans.ActionDelConditional:
		if s.DeleteFirst {
			return tr.Msg("delete (first)")
		}
		return tr.Msg("delete")
	case plans.ActionDeleteAll:
		return tr.Msg("delete all")
	}
	return fmt.Sprint(s.Action)
}

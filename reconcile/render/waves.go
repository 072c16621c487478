package render

import (
	"strings"

	"github.com/wxmenu/wxmenu/internal/i18n"
	"github.com/wxmenu/wxmenu/reconcile"
	"github.com/wxmenu/wxmenu/reconcile/fleet"
	"github.com/wxmenu/wxmenu/reconcile/project"
)

// A project's rollout and modes in its reports: each account's heading
// names its wave and an observed account's mode, paused accounts are
// listed on one line, and a line per wave counts its outcomes (every
// format; JSON: "wave" and "mode" per account, "waves" for the run).

// accountHeading is an account's heading: its name and appid, then its
// wave and, when observed, its mode, worded by tr (nil: English).
func accountHeading(tr *i18n.Printer, o fleet.Outcome) string {
	h := o.Name + " (" + o.AppID + ")"
	if o.Wave != "" {
		h += tr.Msg(", wave %s", o.Wave)
	}
	if o.Observed() {
		h += tr.Msg(", mode observe: planned, never applied")
	}
	return h
}

// groupWave is what a group's heading says of its accounts' wave and
// mode, which they share (groupID): " (wave canary)", " (wave canary,
// mode observe: planned, never applied)", "" for neither; worded by tr.
func groupWave(tr *i18n.Printer, o fleet.Outcome) string {
	switch {
	case o.Wave != "" && o.Observed():
		return tr.Msg(" (wave %s, mode observe: planned, never applied)", o.Wave)
	case o.Wave != "":
		return tr.Msg(" (wave %s)", o.Wave)
	case o.Observed():
		return tr.Msg(" (mode observe: planned, never applied)")
	}
	return ""
}

// pausedNames are the accounts the project pauses, which were not read.
func pausedNames(rep *fleet.Report) []string {
	var out []string
	for _, o := range rep.Outcomes {
		if o.Result.Status == reconcile.StatusPaused {
			out = append(out, o.Name)
		}
	}
	return out
}

// pausedLine lists the paused accounts, "" when there are none.
func pausedLine(tr *i18n.Printer, rep *fleet.Report) string {
	names := pausedNames(rep)
	if len(names) == 0 {
		return ""
	}
	return tr.Msg("Paused (mode: paused; not read, not planned): %s", tr.List(names))
}

// waveLines are the rollout's waves, one line each with its outcomes, and
// what stopped the rollout; none without rollout:. Worded by tr.
func waveLines(tr *i18n.Printer, rep *fleet.Report) []string {
	var lines []string
	for _, w := range rep.WaveSummariesIn(tr) {
		lines = append(lines, tr.Msg("Wave %s (%s): %s", w.Name, tr.Msg("%d accounts", i18n.Grouped(w.Accounts)), tr.List(w.Counts)))
	}
	if rep.Stopped != "" {
		lines = append(lines, tr.Msg("The rollout stopped at wave %s: an account of it did not apply, and the later waves were not started.", rep.Stopped))
	}
	return lines
}

// waveJSON is the rollout of a report in its JSON document.
type waveJSON struct {
	Name     string `json:"name"`
	Accounts int    `json:"accounts"`
	Summary  string `json:"summary"`
}

// wavesJSON are the report's waves for its JSON document.
func wavesJSON(rep *fleet.Report) []waveJSON {
	var out []waveJSON
	for _, w := range rep.WaveSummaries() {
		out = append(out, waveJSON{Name: w.Name, Accounts: w.Accounts, Summary: strings.Join(w.Counts, ", ")})
	}
	return out
}

// modeJSON is an account's mode in the JSON document: "" (left out) for
// enforce.
func modeJSON(m project.Mode) project.Mode {
	if m == project.ModeEnforce {
		return ""
	}
	return m
}

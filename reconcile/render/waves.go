package render

import (
	"fmt"
	"strings"

	"github.com/wxmenu/wxmenu/reconcile"
	"github.com/wxmenu/wxmenu/reconcile/fleet"
	"github.com/wxmenu/wxmenu/reconcile/project"
)

// A project's rollout and modes in its reports: each account's heading
// names its wave and an observed account's mode, paused accounts are
// listed on one line, and a line per wave counts its outcomes (every
// format; JSON: "wave" and "mode" per account, "waves" for the run).

// accountHeading is an account's heading: its name and appid, then its
// wave and, when observed, its mode.
func accountHeading(o fleet.Outcome) string {
	h := o.Name + " (" + o.AppID + ")"
	if o.Wave != "" {
		h += fmt.Sprintf(", wave %s", o.Wave)
	}
	if o.Observed() {
		h += ", mode observe: planned, never applied"
	}
	return h
}

// groupWave is what a group's heading says of its accounts' wave and
// mode, which they share (groupID): " (wave canary)", " (wave canary,
// mode observe)", "" for neither.
func groupWave(o fleet.Outcome) string {
	var parts []string
	if o.Wave != "" {
		parts = append(parts, fmt.Sprintf("wave %s", o.Wave))
	}
	if o.Observed() {
		parts = append(parts, "mode observe: planned, never applied")
	}
	if len(parts) == 0 {
		return ""
	}
	return " (" + strings.Join(parts, ", ") + ")"
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
func pausedLine(rep *fleet.Report) string {
	names := pausedNames(rep)
	if len(names) == 0 {
		return ""
	}
	return fmt.Sprintf("Paused (mode: paused; not read, not planned): %s", strings.Join(names, ", "))
}

// waveLines are the rollout's waves, one line each with its outcomes, and
// what stopped the rollout; none without rollout:.
func waveLines(rep *fleet.Report) []string {
	var lines []string
	for _, w := range rep.WaveSummaries() {
		lines = append(lines, fmt.Sprintf("Wave %s (%s): %s", w.Name, Count(w.Accounts, "account"), strings.Join(w.Counts, ", ")))
	}
	if rep.Stopped != "" {
		lines = append(lines, fmt.Sprintf("The rollout stopped at wave %s: an account of it did not apply, and the later waves were not started.", rep.Stopped))
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

package fleet

import (
	"slices"
	"strings"

	"github.com/wxmenu/wxmenu/internal/i18n"
	"github.com/wxmenu/wxmenu/reconcile"
	"github.com/wxmenu/wxmenu/reconcile/project"
)

// inWaves runs apply's phase 2 (apply) over the accounts wave by wave, in
// the order of opts.Waves (one wave of every account without them). A wave
// starts only when every account of the waves before it that apply
// applies (not observed, not paused) applied and verified, or had nothing
// to do; otherwise, or after opts.LastWave, the accounts with changes of
// every later wave are reported as not started, and Stopped names the
// wave that failed.
func (r *Report) inWaves(opts *Options, apply func(indices []int)) {
	order := opts.Waves
	if len(order) == 0 {
		order = []string{""}
	}
	waves := make([][]int, len(order))
	for i, o := range r.Outcomes {
		at := slices.Index(order, o.Wave)
		if at < 0 {
			at = len(order) - 1 // never with a project: every account has a wave
		}
		waves[at] = append(waves[at], i)
	}
	held := ""
	for at, wave := range waves {
		if held != "" {
			for _, i := range wave {
				if o := &r.Outcomes[i]; o.Result.Status == reconcile.StatusChanges && !o.Observed() {
					o.Held, o.NotStarted = held, true
				}
			}
			continue
		}
		apply(wave)
		name := order[at]
		if failed := r.failedIn(wave); len(failed) > 0 && at < len(waves)-1 {
			r.Stopped = name
			held = en.Msg("not started: wave %s stopped the rollout (%s did not apply)", name, strings.Join(failed, ", "))
		} else if name != "" && name == opts.LastWave {
			held = en.Msg("not started: apply --wave %s stops after wave %s", name, name)
		}
	}
}

// failedIn are the names of the accounts of a wave (indices) that apply
// applies and that did not end applied or without changes.
func (r *Report) failedIn(wave []int) []string {
	var out []string
	for _, i := range wave {
		o := r.Outcomes[i]
		switch o.Result.Status {
		case reconcile.StatusApplied, reconcile.StatusNoChanges, reconcile.StatusPaused:
		default:
			if !o.Observed() {
				out = append(out, o.Name)
			}
		}
	}
	return out
}

// Changed reports whether the run changed any account (or may have: an
// apply that stopped part way). A rollout stopped after it changed some
// accounts exits as a partial apply.
func (r *Report) Changed() bool {
	return slices.ContainsFunc(r.Outcomes, func(o Outcome) bool {
		return o.Result.Status == reconcile.StatusApplied || !o.Result.Unchanged()
	})
}

// WaveSummary is one rollout wave of a report: its name, how many
// accounts it has, and their outcomes counted as Summary counts them.
type WaveSummary struct {
	Name     string
	Accounts int
	Counts   []string
}

// WaveSummaries are the report's waves in order, none without rollout:,
// counted in English as the JSON report holds them.
func (r *Report) WaveSummaries() []WaveSummary { return r.WaveSummariesIn(nil) }

// WaveSummariesIn are WaveSummaries counted in tr's language (nil:
// English).
func (r *Report) WaveSummariesIn(tr *i18n.Printer) []WaveSummary {
	var out []WaveSummary
	for _, name := range r.Waves {
		var in []Outcome
		for _, o := range r.Outcomes {
			if o.Wave == name {
				in = append(in, o)
			}
		}
		out = append(out, WaveSummary{Name: name, Accounts: len(in), Counts: summarize(tr, in, r.Applying)})
	}
	return out
}

// savedMode is how a saved plan records an account's mode: "observe" for
// an account planned and never applied, "" otherwise.
func savedMode(m project.Mode) string {
	if m == project.ModeObserve {
		return string(m)
	}
	return ""
}

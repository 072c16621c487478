package plans

// Outcome is what happened to one step.
type Outcome string

// Step outcomes.
const (
	OutcomeDone        Outcome = "done"
	OutcomeAlreadyDone Outcome = "already_done" // e.g. a delete that found the menu gone (65301)
	OutcomeFailed      Outcome = "failed"
	OutcomeNotRun      Outcome = "not_run"
)

package plans

// Outcome is what happened to one step.
type Outcome string

// Step outcomes.
const (
	OutcomeDone        Outcome = "done"
	OutcomeAlreadyDone Outcome = "already_done" // e.g. a delete that found the menu gone (65301)
	OutcomeFailed      Outcome = "failed"
	OutcomeNotRun      Outcome = "not_run"
	// OutcomeUnknown is a create whose request may have reached WeChat and
	// whose effect a re-read did not show (or no re-read was possible):
	// WeChat may still apply it, so it is never re-sent.
	OutcomeUnknown Outcome = "unknown"
)

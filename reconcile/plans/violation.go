package plans

// SafetyViolation is one tripped rail.
type Violation struct {
	Rail    string // e.g. "many-deletes"
	Message string // what the plan would do, for people
	// Override is the CLI flag name (without dashes) that allows it, e.g.
	// "allow-delete-all".
	Override string
}

package plans

// Violation is one tripped safety rail.
type Violation struct {
	Rail    string `json:"rail"`    // e.g. "many-deletes"
	Message string `json:"message"` // what the plan would do, for people
	// Override is the CLI flag name (without dashes) that allows it, e.g.
	// "allow-delete-all".
	Override string `json:"override"`
}

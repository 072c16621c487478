package audience

import (
	"slices"

	"github.com/wxmenu/wxmenu/reconcile/plans"
)

// Apply returns the state after step, as WeChat would leave it (apply).
func (s State) Apply(step plans.Step) (State, error) {
	next := State{Default: s.Default, Conditional: slices.Clone(s.Conditional)}
	_, err := next.apply(step)
	return next, err
}

// MenuFor returns the menu a follower whose tags are tagIDs, in the order
// applied, sees on platform: the newest conditional menu whose rule matches
// them, else the default menu, else none.
func (s State) MenuFor(tagIDs []string, platform string) plans.Seen {
	return s.see(tagIDs, platform).Seen()
}

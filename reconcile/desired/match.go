package desired

import (
	"github.com/wxmenu/wxmenu/reconcile/canon"
	"github.com/wxmenu/wxmenu/wechat"
)

// Seen is a declared menu whose buttons a follower is shown.
type Seen struct {
	// Default is set for the default menu; otherwise Name and MatchRule
	// are the conditional menu's.
	Default   bool
	Name      string
	MatchRule wechat.MatchRule
}

// MenusShowing returns the declared menus whose buttons are buttons (what
// menu/trymatch answered for a follower): the conditional menus in priority
// order, then the default menu. Several come back when they have the same
// buttons; none when the account shows a menu the file does not declare.
func (ds *State) MenusShowing(buttons []wechat.Button) []Seen {
	got := canon.CanonicalButtons(buttons)
	var out []Seen
	for _, m := range ds.Conditional {
		if canon.CanonicalButtons(m.Buttons) == got {
			out = append(out, Seen{Name: m.Name, MatchRule: m.MatchRule})
		}
	}
	if ds.Default != nil && canon.CanonicalButtons(ds.Default.Buttons) == got {
		out = append(out, Seen{Default: true})
	}
	return out
}

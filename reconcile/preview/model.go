package preview

import (
	"fmt"

	"github.com/wxmenu/wxmenu/reconcile/canon"
	"github.com/wxmenu/wxmenu/reconcile/plans"
	"github.com/wxmenu/wxmenu/wechat"
)

// Phone is one menu as a follower's phone shows it.
type Phone struct {
	// Title names the menu: a desired name, "default menu", a live menu's
	// rule and menuid.
	Title string
	// NoMenu is true when the account shows no menu at all.
	NoMenu  bool
	Buttons []wechat.Button
}

// Comparison is what one audience sees before and after apply.
type Comparison struct {
	// Audience describes the followers: "tag 101 on iOS", "everyone else".
	Audience string
	Before   Phone
	After    Phone
	// Changed is true when the followers' buttons change.
	Changed bool
	// Notes are sentences for the reviewer: a lost personalized menu, a
	// menu seen for a while during apply.
	Notes []string
}

// FromRows returns one comparison per row of an audience table.
func FromRows(rows []plans.AudienceRow) []Comparison {
	var out []Comparison
	for _, r := range rows {
		c := Comparison{Audience: r.Label, Before: phoneOf(r.Before), After: phoneOf(r.After), Changed: r.Changed}
		if r.Lost {
			c.Notes = append(c.Notes, "loses its personalized menu")
		}
		for _, t := range r.Transient {
			what := phoneOf(t.Seen).Title
			if t.Seen.Kind == plans.KindDefault {
				what = "the default menu"
			}
			c.Notes = append(c.Notes, fmt.Sprintf("sees %s during apply, after %s", what, stepList(t.Steps)))
		}
		out = append(out, c)
	}
	return out
}

func phoneOf(s plans.Seen) Phone {
	p := Phone{Title: s.Name, NoMenu: s.Kind == plans.KindNone, Buttons: s.Buttons}
	if s.Kind == plans.KindConditional && s.MenuID == "" {
		p.Title += " (new)"
	}
	return p
}

// stepList says "step 2" or "steps 1-3".
func stepList(steps []int) string {
	if len(steps) == 1 {
		return fmt.Sprintf("step %d", steps[0])
	}
	return fmt.Sprintf("steps %d-%d", steps[0], steps[len(steps)-1])
}

// mark says how a button differs between before and after, by position
// (WeChat lays buttons out by their index); it is the button's CSS class.
type mark string

// Marks of a button.
const (
	markSame    mark = "same"
	markChanged mark = "changed" // the button at this position differs (name, type, target or sub-buttons)
	markAdded   mark = "added"   // after apply only
	markRemoved mark = "removed" // before apply only
)

// cell is one button laid out for rendering.
type cell struct {
	Name, Shown string
	Mark        mark
	Parent      bool
	Subs        []cell
}

// layout returns the phone's buttons at level l with marks against other
// (the other side of the comparison); after tells which side this is.
func layout(bs, other []wechat.Button, after bool, l Level) []cell {
	var out []cell
	for i, b := range bs {
		c := cell{Name: cleanName(b.Name), Shown: Shown(cleanName(b.Name), l), Mark: markSame, Parent: l == Top && len(b.SubButtons) > 0}
		var o wechat.Button // the button at this position on the other side
		if i < len(other) {
			o = other[i]
		}
		switch {
		case i >= len(other) && after:
			c.Mark = markAdded
		case i >= len(other):
			c.Mark = markRemoved
		case !canon.SameButtons(bs[i:i+1], other[i:i+1]):
			c.Mark = markChanged
		}
		if c.Parent {
			c.Subs = layout(b.SubButtons, o.SubButtons, after, Sub)
			if c.Mark == markChanged && len(o.SubButtons) > 0 && o.Name == b.Name {
				// Only sub-buttons changed: they carry the marks.
				c.Mark = markSame
			}
		}
		out = append(out, c)
	}
	return out
}

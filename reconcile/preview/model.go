package preview

import (
	"github.com/wxmenu/wxmenu/internal/i18n"
	"github.com/wxmenu/wxmenu/internal/literal"
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

// FromRows returns one comparison per row of the audience table of a plan
// of steps steps whose tags tagNames names, worded by tr (nil: English),
// its text made safe (literal.Line).
func FromRows(tr *i18n.Printer, rows []plans.AudienceRow, tagNames map[string]string, steps int) []Comparison {
	var out []Comparison
	for _, r := range rows {
		c := Comparison{Audience: literal.Line(r.Audience.LabelIn(tr, tagNames)), Before: phoneOf(tr, r.Before), After: phoneOf(tr, r.After), Changed: r.Changed}
		if r.Lost {
			c.Notes = append(c.Notes, tr.Msg("loses its personalized menu"))
		}
		c.Notes = append(c.Notes, DuringApply(tr, r, steps)...)
		out = append(out, c)
	}
	return out
}

func phoneOf(tr *i18n.Printer, s plans.Seen) Phone {
	return Phone{Title: literal.Line(SeenName(tr, s)), NoMenu: s.Kind == plans.KindNone, Buttons: s.Buttons}
}

// SeenName names the menu an audience sees, worded by tr (nil: English),
// marked new when the plan creates it. The names the engine gives the
// default menu, no menu and the console's menu are words, translated; a
// menu's own name is data.
func SeenName(tr *i18n.Printer, s plans.Seen) string {
	name := s.NameIn(tr)
	switch {
	case s.Kind == plans.KindConditional && s.MenuID == "":
		return tr.Msg("%s (new)", name)
	case s.Unmanaged:
		return tr.Msg("%s (unmanaged)", name)
	}
	return name
}

// DuringApply words the menus row's audience sees during apply, of a plan
// of steps steps, that it sees neither before nor after (a delete ordered
// first under a WeChat cap): "sees the default menu after step 1 until
// step 3", or "from step 2 on"; the menu's name made safe (literal.Line).
func DuringApply(tr *i18n.Printer, row plans.AudienceRow, steps int) []string {
	var out []string
	for _, t := range row.Transient {
		what := literal.Line(SeenName(tr, t.Seen))
		if t.Seen.Kind == plans.KindDefault {
			what = tr.Msg("the default menu")
		}
		first, last := t.Steps[0], t.Steps[len(t.Steps)-1]
		if last >= steps {
			out = append(out, tr.Msg("sees %s from step %d on", what, first))
		} else {
			out = append(out, tr.Msg("sees %s after step %d until step %d", what, first, last+1))
		}
	}
	return out
}

// mark says how a button differs between before and after (its
// counterpart is found by identity, match.go); it is the button's CSS
// class.
type mark string

// Marks of a button.
const (
	markSame    mark = "same"
	markChanged mark = "changed" // its counterpart differs (name, type, target or sub-buttons)
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
	for i, j := range otherSide(bs, other, after) {
		b := bs[i]
		name := literal.Line(b.Name)
		c := cell{Name: name, Shown: Shown(name, l), Mark: markSame, Parent: l == Top && isParent(b)}
		var o wechat.Button // the button's counterpart on the other side
		switch {
		case j < 0 && after:
			c.Mark = markAdded
		case j < 0:
			c.Mark = markRemoved
		default:
			o = other[j]
			if !canon.SameButtons(bs[i:i+1], other[j:j+1]) {
				c.Mark = markChanged
			}
		}
		if c.Parent {
			c.Subs = layout(b.SubButtons, o.SubButtons, after, Sub)
			if c.Mark == markChanged && isParent(o) && o.Name == b.Name {
				// Only sub-buttons changed: they carry the marks.
				c.Mark = markSame
			}
		}
		out = append(out, c)
	}
	return out
}

package preview

import (
	"fmt"

	"github.com/wxmenu/wxmenu/internal/textwidth"
	"github.com/wxmenu/wxmenu/wechat"
)

// How much of a name the phone shows, in width units (textwidth): a CJK
// (wide) character is 2 units, anything else 1. The old menu/create doc says a
// top-level button shows 4 CJK characters and a sub-button 7, the rest
// replaced by "..." (platform-review-research.md §5.2); a WeChat staff
// answer later says 8 on a sub-button since phones got wider. Both are
// UNCONFIRMED: the real cut depends on the device's width and font. We use
// the older, smaller numbers so that a warning errs on the side of caution.
const (
	TopNameUnits = 8  // 4 CJK characters or 8 Latin ones (UNCONFIRMED)
	SubNameUnits = 14 // 7 CJK characters or 14 Latin ones (UNCONFIRMED)
)

// Level says where a button sits.
type Level int

// Levels of a menu.
const (
	Top Level = iota // a button on the bottom bar
	Sub              // a button in a sub-menu
)

// limit returns the width the phone shows at level l.
func (l Level) limit() int { return [...]int{Top: TopNameUnits, Sub: SubNameUnits}[l] }

// Ellipsis replaces what the phone cuts off. WeChat shows "..." (the old
// doc); whether it takes the place of the last characters that fit is
// UNCONFIRMED, so the preview keeps every character that fits and adds it.
const Ellipsis = "…"

// Shown returns name as the phone shows it at level l: whole when it fits,
// else the characters that fit followed by Ellipsis.
func Shown(name string, l Level) string {
	limit, n := l.limit(), 0
	for i, r := range name {
		if n+textwidth.Rune(r) > limit {
			return name[:i] + Ellipsis
		}
		n += textwidth.Rune(r)
	}
	return name
}

// CutOff is a button name the phone will not show whole.
type CutOff struct {
	// Path locates the name in the button list, as in the desired-state
	// file: "button[1].sub_button[0].name".
	Path        string
	Name, Shown string
	// Width and Limit are in units (see TopNameUnits).
	Width, Limit int
}

// Warning returns the cut-off as a one-line warning, e.g. `button[0].name
// "会员专享服务" shows as "会员专享…" on the phone (12 of 8 width units; a CJK
// character is 2)`.
func (c CutOff) Warning() string {
	return fmt.Sprintf("%s %q shows as %q on the phone (%d of %d width units; a CJK character is 2)", c.Path, c.Name, c.Shown, c.Width, c.Limit)
}

// CutOffs lists the names in buttons that the phone cuts off, in menu
// order. It is meant for a validate warning: WeChat accepts these names
// (up to 16 bytes on the bar, 60 in a sub-menu) but does not show them
// whole.
func CutOffs(buttons []wechat.Button) []CutOff {
	var out []CutOff
	check := func(path, name string, l Level) {
		if s := Shown(name, l); s != name {
			out = append(out, CutOff{Path: path, Name: name, Shown: s, Width: textwidth.String(name), Limit: l.limit()})
		}
	}
	for i, b := range buttons {
		check(fmt.Sprintf("button[%d].name", i), b.Name, Top)
		for j, s := range b.SubButtons {
			check(fmt.Sprintf("button[%d].sub_button[%d].name", i, j), s.Name, Sub)
		}
	}
	return out
}

package preview

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/wxmenu/wxmenu/internal/i18n"
	"github.com/wxmenu/wxmenu/internal/literal"
)

// The Markdown picture is one GitHub-flavoured Markdown table per audience
// whose menu changes: the phone before apply on the left, after on the
// right, an arrow column between. The last row is the bottom bar; the rows
// above it are the sub-menus, open and stacked on their button as the
// phone pops them up (the first sub-button at the top; UNCONFIRMED, it is
// what the console preview draws). GFM table rules followed (GFM spec
// §4.10): a header row with the same number of cells as the delimiter row,
// every row starting and ending with a pipe, one line per row;
// literal.Markdown keeps every name literal.

// Markdown returns the picture of every comparison whose buttons change,
// before and after, followed by a line counting the audiences that see no
// change, worded by tr (nil: English). It returns "" when no comparison is
// given.
func Markdown(tr *i18n.Printer, cs []Comparison) string {
	var b strings.Builder
	unchanged := 0
	for _, c := range cs {
		if !c.Changed {
			unchanged++
			continue
		}
		if b.Len() == 0 {
			// The legend explains the marks of the picture.
			b.WriteString(tr.Msg("🆕 new · ✏️ changed · ~~struck~~ removed · ☰ opens a sub-menu · names cut off as on the phone (…)") + "\n\n")
		}
		writeComparison(&b, tr, c)
	}
	switch {
	case unchanged == len(cs) && unchanged > 0:
		b.WriteString(tr.Msg("No follower sees a different menu (%d other audiences).", unchanged) + "\n")
	case unchanged > 0:
		b.WriteString(tr.Msg("%d other audiences see no change.", unchanged) + "\n")
	}
	return b.String()
}

func writeComparison(b *strings.Builder, tr *i18n.Printer, c Comparison) {
	b.WriteString(tr.Msg("**%s**: %s → %s", literal.Markdown(c.Audience), literal.Markdown(c.Before.Title), literal.Markdown(c.After.Title)))
	for _, n := range c.Notes {
		b.WriteString(" · " + literal.Markdown(n))
	}
	b.WriteString("\n\n")

	now, then := phone(tr, c, false), phone(tr, c, true)
	before, after := grid(tr, now), grid(tr, then)
	fmt.Fprintf(b, "| %s |   |   | → | %s |   |   |\n|:-:|:-:|:-:|:-:|:-:|:-:|:-:|\n", tr.Msg("now: %s", literal.Markdown(c.Before.Title)), tr.Msg("after: %s", literal.Markdown(c.After.Title)))
	for r := range before {
		fmt.Fprintf(b, "| %s |   | %s |\n", strings.Join(before[r][:], " | "), strings.Join(after[r][:], " | "))
	}
	b.WriteString("\n")
	cut := now.Cut
	for _, n := range then.Cut {
		if !slices.Contains(cut, n) {
			cut = append(cut, n)
		}
	}
	if len(cut) > 0 {
		b.WriteString(tr.Msg("Cut off on the phone: %s", literal.Markdown(tr.List(cut))) + "\n\n")
	}
}

// grid is a phone of the picture, three cells a row: its rows of
// sub-menus, then the bar. An empty cell is a space, which GFM needs.
func grid(tr *i18n.Printer, v phoneView) [][3]string {
	rows := v.Rows
	g := make([][3]string, rows+1)
	for i, c := range v.Buttons[:min(3, len(v.Buttons))] {
		for j, s := range c.Subs {
			g[rows-len(c.Subs)+j][i] = marked(s, false)
		}
		g[rows][i] = marked(c, true)
	}
	if v.NoMenu {
		g[rows] = [3]string{tr.Msg("*(no menu)*")}
	}
	for r := range g {
		for i := range g[r] {
			g[r][i] = cmp.Or(g[r][i], " ")
		}
	}
	return g
}

// marked renders a button's shown name with its mark; bar buttons are bold.
func marked(c cell, bar bool) string {
	s := literal.Markdown(c.Shown)
	if c.Parent {
		s = "☰ " + s
	}
	if bar {
		s = "**" + s + "**"
	}
	switch c.Mark {
	case markAdded:
		s = "🆕 " + s
	case markChanged:
		s = "✏️ " + s
	case markRemoved:
		s = "~~" + s + "~~"
	}
	return s
}

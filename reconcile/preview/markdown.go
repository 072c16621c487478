package preview

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

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

// legend explains the marks of the Markdown picture.
const legend = "🆕 new · ✏️ changed · ~~struck~~ removed · ☰ opens a sub-menu · names cut off as on the phone (…)"

// Markdown returns the picture of every comparison whose buttons change,
// before and after, followed by a line counting the audiences that see no
// change. It returns "" when no comparison is given.
func Markdown(cs []Comparison) string {
	var b strings.Builder
	unchanged := 0
	for _, c := range cs {
		if !c.Changed {
			unchanged++
			continue
		}
		if b.Len() == 0 {
			b.WriteString(legend + "\n\n")
		}
		writeComparison(&b, c)
	}
	n, verb := fmt.Sprintf("%d other audiences", unchanged), "see"
	if unchanged == 1 {
		n, verb = "1 other audience", "sees"
	}
	switch {
	case unchanged == len(cs) && unchanged > 0:
		fmt.Fprintf(&b, "No follower sees a different menu (%s).\n", n)
	case unchanged > 0:
		fmt.Fprintf(&b, "%s %s no change.\n", n, verb)
	}
	return b.String()
}

func writeComparison(b *strings.Builder, c Comparison) {
	fmt.Fprintf(b, "**%s**: %s → %s", literal.Markdown(c.Audience), literal.Markdown(c.Before.Title), literal.Markdown(c.After.Title))
	for _, n := range c.Notes {
		b.WriteString(" · " + literal.Markdown(n))
	}
	b.WriteString("\n\n")

	now, then := phone(c, false), phone(c, true)
	before, after := grid(now), grid(then)
	fmt.Fprintf(b, "| now: %s |   |   | → | after: %s |   |   |\n|:-:|:-:|:-:|:-:|:-:|:-:|:-:|\n", literal.Markdown(c.Before.Title), literal.Markdown(c.After.Title))
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
		b.WriteString("Cut off on the phone: " + literal.Markdown(strings.Join(cut, ", ")) + "\n\n")
	}
}

// grid is a phone of the picture, three cells a row: its rows of
// sub-menus, then the bar. An empty cell is a space, which GFM needs.
func grid(v phoneView) [][3]string {
	rows := v.Rows
	g := make([][3]string, rows+1)
	for i, c := range v.Buttons[:min(3, len(v.Buttons))] {
		for j, s := range c.Subs {
			g[rows-len(c.Subs)+j][i] = marked(s, false)
		}
		g[rows][i] = marked(c, true)
	}
	if v.NoMenu {
		g[rows] = [3]string{"*(no menu)*"}
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

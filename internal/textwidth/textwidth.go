package textwidth

import (
	"unicode"

	"golang.org/x/text/width"
)

// String is the width of s: the sum of its runes' widths.
func String(s string) int {
	n := 0
	for _, r := range s {
		n += Rune(r)
	}
	return n
}

// Rune is the width of r: 2, 1 or 0.
func Rune(r rune) int {
	switch k := width.LookupRune(r).Kind(); {
	case unicode.In(r, unicode.Mn, unicode.Me, unicode.Cf):
		return 0
	case k == width.EastAsianWide, k == width.EastAsianFullwidth:
		return 2
	}
	return 1
}

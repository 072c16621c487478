// Package literal shows text that comes from a file or an account as data
// (names, tag names, keys, WeChat's errmsg), one function per medium: Line
// for a terminal, Markdown for a pull-request comment. HTML is escaped by
// html/template.
package literal

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Line makes s safe to print on one line of a terminal: line breaks and
// tabs become spaces; other control characters (a terminal escape), bidi
// controls (which reorder what a reader sees, U+202A-U+202E, U+2066-U+2069
// and the marks) and invalid UTF-8 become U+FFFD.
func Line(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\n' || r == '\r' || r == '\t':
			return ' '
		case unicode.IsControl(r), unicode.Is(unicode.Bidi_Control, r):
			return utf8.RuneError
		}
		return r
	}, s)
}

// markdownSyntax are the characters that make Markdown (emphasis, code
// spans and fences, links, images, table cells, escapes, entities, math)
// or HTML, or autolinks (https://, www.).
const markdownSyntax = "\\|*_~`[]!<>&:.$"

// Markdown makes s literal text in a GitHub comment, in Markdown (a table
// cell, a list item) and in its HTML (a <summary>) alike: one Line, each
// character of markdownSyntax written as a character reference, and a
// zero-width space after @ and # so that no mention or issue reference is
// made (GitHub links those after rendering, backslash or not).
func Markdown(s string) string {
	var b strings.Builder
	for _, r := range Line(s) {
		switch {
		case r == '@' || r == '#':
			b.WriteString(string(r) + "&#8203;")
		case strings.ContainsRune(markdownSyntax, r):
			fmt.Fprintf(&b, "&#%d;", r)
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

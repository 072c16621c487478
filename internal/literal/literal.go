// Package literal shows text that comes from a file or an account (names,
// tag names, keys, WeChat's errmsg) as data, one function per medium: Line
// for a terminal, Markdown for a pull-request comment, ShellWord for a
// printed command. HTML is escaped by html/template.
package literal

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Line makes s safe to print on one line of a terminal, a chat message or
// a table cell: line breaks (also \v, \f, U+0085, U+2028, U+2029) and tabs
// become spaces; other control characters (a terminal escape), bidi
// controls (U+202A-U+202E, U+2066-U+2069 and the marks, which reorder what
// a reader sees) and invalid UTF-8 become U+FFFD.
func Line(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\n' || r == '\r' || r == '\t' || r == '\v' || r == '\f' || r == 0x85 || r == '\u2028' || r == '\u2029':
			return ' '
		case unicode.IsControl(r), unicode.Is(unicode.Bidi_Control, r):
			return utf8.RuneError
		}
		return r
	}, s)
}

// Markdown makes s literal text in a GitHub comment, in Markdown (a table
// cell, a list item) and in its HTML (a <summary>) alike: one Line, every
// character that makes Markdown (emphasis, code and fences, links, images,
// cells, escapes, math), HTML, entities or autolinks (https://, www.) a
// character reference, and a zero-width space after @ and # so that no
// mention or issue reference is made (GitHub links those after rendering,
// backslash or not).
func Markdown(s string) string {
	var b strings.Builder
	for _, r := range Line(s) {
		switch {
		case r == '@' || r == '#':
			b.WriteString(string(r) + "&#8203;")
		case strings.ContainsRune("\\|*_~`[]!<>&:.$", r):
			fmt.Fprintf(&b, "&#%d;", r)
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// ShellWord makes s one word of a POSIX shell command: as it is when it
// holds only plain path characters, else single-quoted, so a printed
// command is safe to paste.
func ShellWord(s string) string {
	special := func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("._/-+=:,@%", r))
	}
	if s != "" && !strings.ContainsFunc(s, special) {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

package i18n

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"sync"
)

// A plan holds its warnings and its rails' messages as English sentences,
// the same in every language's plan file. The catalogue declares their
// formats (Stored); Reword recognizes such a sentence by its format and
// words it in the reader's language, its arguments as the sentence holds
// them.

// stored is a Stored entry's English as a pattern, and which argument each
// group of the pattern is.
type stored struct {
	pattern *regexp.Regexp
	args    []int // argument number of each group
	one     bool  // the singular form: argument 1 is the count, 1
	zh      string
}

var (
	storedOnce     sync.Once
	storedPatterns []stored
)

// patterns compiles the Stored entries' English (and singular) forms.
func patterns() []stored {
	storedOnce.Do(func() {
		for _, e := range catalogue {
			if !e.Stored {
				continue
			}
			storedPatterns = append(storedPatterns, compile(e.EN, e.ZH, false))
			if e.One != "" {
				storedPatterns = append(storedPatterns, compile(e.One, e.ZH, true))
			}
		}
	})
	return storedPatterns
}

func compile(format, zh string, one bool) stored {
	s := stored{one: one, zh: zh}
	var re strings.Builder
	re.WriteString("^")
	next, last := 1, 0
	for _, m := range verb.FindAllStringSubmatchIndex(format, -1) {
		re.WriteString(regexp.QuoteMeta(format[last:m[0]]))
		last = m[1]
		if m[4] < 0 { // {name}: no fmt verb
			re.WriteString(regexp.QuoteMeta(format[m[0]:m[1]]))
			continue
		}
		v := format[m[4]:m[5]]
		if v == "%" {
			re.WriteString("%")
			continue
		}
		if m[2] >= 0 {
			next, _ = strconv.Atoi(format[m[2]:m[3]])
		}
		switch v {
		case "d":
			re.WriteString(`(-?[0-9][0-9,]*)`)
		case "g":
			re.WriteString(`(-?[0-9.e+]+)`)
		case "q":
			re.WriteString(`("(?:[^"\\]|\\.)*")`)
		default:
			re.WriteString(`(.+?)`)
		}
		s.args = append(s.args, next)
		next++
	}
	re.WriteString(regexp.QuoteMeta(format[last:]) + "$")
	s.pattern = regexp.MustCompile(re.String())
	return s
}

// Reword is line, a sentence a plan holds in English, in the printer's
// language when the catalogue declares its format (Stored), else line as
// it is. Its arguments are the sentence's own text: escaping stays the
// caller's, as for any line.
func (p *Printer) Reword(line string) string {
	if !p.Chinese() {
		return line
	}
	for _, s := range patterns() {
		m := s.pattern.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		args := map[int]string{}
		if s.one {
			args[1] = "1"
		}
		for i, n := range s.args {
			args[n] = m[i+1]
		}
		return fillIn(s.zh, args)
	}
	return line
}

// fillIn formats zh with the arguments by number, each shown as the
// English sentence showed it (a %q argument keeps its quotes).
func fillIn(zh string, args map[int]string) string {
	var b strings.Builder
	next, last := 1, 0
	for _, m := range verb.FindAllStringSubmatchIndex(zh, -1) {
		b.WriteString(zh[last:m[0]])
		last = m[1]
		if m[4] < 0 {
			b.WriteString(zh[m[0]:m[1]])
			continue
		}
		if zh[m[4]:m[5]] == "%" {
			b.WriteString("%")
			continue
		}
		if m[2] >= 0 {
			next, _ = strconv.Atoi(zh[m[2]:m[3]])
		}
		a, ok := args[next]
		if !ok {
			a = fmt.Sprintf("%%!(MISSING %d)", next)
		}
		b.WriteString(a)
		next++
	}
	b.WriteString(zh[last:])
	return b.String()
}

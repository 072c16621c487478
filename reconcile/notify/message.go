package notify

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/wxmenu/wxmenu/internal/literal"
)

// A Change is one account's drift status moving from one value to another.
type Change struct {
	Account string    `json:"account"`
	AppID   string    `json:"appid"`
	From    string    `json:"from"`    // "" when the account had no recorded status yet
	To      string    `json:"to"`      // in_sync, pending, console, changed_outside, error
	Summary string    `json:"summary"` // one line: what happened (and to whom)
	Time    time.Time `json:"time"`
}

const (
	// wecomLimit is the most bytes of content a WeCom robot takes in a
	// markdown message (more is refused with errcode 40058).
	wecomLimit = 4096
	// slackLimit is the most characters of text Slack shows; it cuts the
	// rest. Bytes are counted, which is never fewer.
	slackLimit = 40000

	// The most characters of one field shown in the chat formats, so a
	// line of escaped text always fits in wecomLimit with room to spare.
	nameRunes    = 64
	statusRunes  = 32
	summaryRunes = 256
)

// body is what Send posts for changes in format f.
func body(f format, changes []Change) []byte {
	switch f {
	case formatWeCom:
		content := message(changes, "**wxmenu drift**: ", wecomEscape, "- **%s**: %s → %s", wecomLimit)
		type markdown struct {
			Content string `json:"content"`
		}
		return marshal(struct {
			MsgType  string   `json:"msgtype"`
			Markdown markdown `json:"markdown"`
		}{"markdown", markdown{content}})
	case formatSlack:
		return marshal(struct {
			Text string `json:"text"`
		}{message(changes, "*wxmenu drift*: ", slackEscape, "• %s: %s → %s", slackLimit)})
	}
	out := make([]Change, len(changes))
	for i, c := range changes {
		out[i] = Change{literal.Line(c.Account), literal.Line(c.AppID), literal.Line(c.From), literal.Line(c.To), literal.Line(c.Summary), c.Time}
	}
	return marshal(struct {
		Changes []Change `json:"changes"`
	}{out})
}

// marshal is v as JSON, with <, > and & as they are.
func marshal(v any) []byte {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		panic(err) // strings and a time only
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n"))
}

// message is a header line and one line per change, the line built by
// layout from the escaped name, from and to, then ": " and the summary
// when there is one. At most limit bytes: lines are kept whole while they
// fit, and a last line "… and N more" counts those left out.
func message(changes []Change, title string, escape func(string) string, layout string, limit int) string {
	header := title + countWord(len(changes), "account") + " changed status"
	lines := make([]string, len(changes))
	for i, c := range changes {
		name := field(c.Account, nameRunes)
		if name == "" {
			name = field(c.AppID, nameRunes)
		}
		from := field(c.From, statusRunes)
		if from == "" {
			from = "none"
		}
		line := fmt.Sprintf(layout, escape(name), escape(from), escape(field(c.To, statusRunes)))
		if summary := field(c.Summary, summaryRunes); summary != "" {
			line += ": " + escape(summary)
		}
		lines[i] = line
	}
	return fit(header, lines, limit)
}

// fit joins header and lines with line breaks in at most limit bytes,
// keeping whole lines while they fit and reserving room for the line
// "… and N more" that counts the rest. The header and one line must fit
// with that line.
func fit(header string, lines []string, limit int) string {
	var b strings.Builder
	b.WriteString(header)
	for i, line := range lines {
		need := 1 + len(line)
		if left := len(lines) - i - 1; left > 0 {
			need += 1 + len(more(left))
		}
		if b.Len()+need > limit {
			b.WriteString("\n" + more(len(lines)-i))
			break
		}
		b.WriteString("\n" + line)
	}
	return b.String()
}

func more(n int) string { return fmt.Sprintf("… and %d more", n) }

func countWord(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}

// field is s cleaned, trimmed and cut to at most n characters, the last
// one "…" when cut.
func field(s string, n int) string {
	s = strings.TrimSpace(literal.Line(s))
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	runes := []rune(s)
	return strings.TrimSpace(string(runes[:n-1])) + "…"
}

// wecomEscape backslash-escapes what WeCom's Markdown could read as markup:
// emphasis, code, links and images, tags and <@userid> mentions, entities,
// headings and tables.
func wecomEscape(s string) string {
	var b strings.Builder
	for _, r := range s {
		if strings.ContainsRune("\\`*_~[]()<>@&#!|", r) {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// slackEscape replaces the three characters Slack reads as control
// characters with their HTML entities, as Slack's formatting guide says;
// nothing else is encoded.
var slackEscape = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;").Replace

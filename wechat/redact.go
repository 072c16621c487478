package wechat

import (
	"cmp"
	"errors"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"sync"
	"unicode/utf8"
)

const redacted = "REDACTED"

// sensitiveParams are query parameters whose values are credentials.
var sensitiveParams = []string{
	"access_token", "secret", "component_access_token", "authorizer_access_token",
	"component_appsecret", "component_verify_ticket", "authorizer_refresh_token", "refresh_token",
}

// RedactURL returns u as a string with the values of credential query
// parameters (access_token, secret, component_access_token,
// authorizer_access_token, component_appsecret, component_verify_ticket,
// authorizer_refresh_token, refresh_token) replaced by "REDACTED", and
// without user info. The order of the other parameters is kept. u is not
// modified.
func RedactURL(u *url.URL) string {
	if u == nil {
		return ""
	}
	c := *u
	c.User = nil
	if c.RawQuery != "" {
		parts := strings.Split(c.RawQuery, "&")
		for i, p := range parts {
			name, _, _ := strings.Cut(p, "=")
			if key, err := url.QueryUnescape(name); err == nil && slices.Contains(sensitiveParams, strings.ToLower(key)) {
				parts[i] = name + "=" + redacted
			}
		}
		c.RawQuery = strings.Join(parts, "&")
	}
	return c.String()
}

// sensitiveText matches credential values in text that came from the
// network or from a URL, by field: access_token=…, "secret":"…",
// component_verify_ticket, authorizer_refresh_token and the like. It is what
// protects values too short to be redacted by substring.
var sensitiveText = regexp.MustCompile(`(?i)((?:access_token|secret|refresh_token|verify_ticket)['"]?\s*[=:]\s*['"]?)([^"'&\s,}]+)`)

// minRedactedLen is the shortest secret redacted wherever it appears in a
// text. Shorter values would turn ordinary words into noise ("context
// deadline exceeded" with the secret "x"); they are still redacted by field
// (sensitiveText) and never written into messages by this package.
const minRedactedLen = 8

// redactor scrubs known secrets and anything shaped like a credential from
// text. Permanent secrets (app secret, component secret, verify ticket, a
// static token) are kept for the redactor's lifetime; tokens seen in
// responses are kept while they are recent.
type redactor struct {
	mu        sync.Mutex
	permanent []string
	recent    []string
	known     map[string]bool // the members of permanent and recent
	// limit bounds recent; 0 means maxRememberedSecrets. A platform, whose
	// refresh and authorizer tokens belong to many accounts, keeps more.
	limit int
}

// maxRememberedSecrets bounds the recent list: tokens rotate every ~2 hours
// and only recent ones can show up in a response.
const maxRememberedSecrets = 16

// add remembers a token seen at run time, kept while it is recent;
// addPermanent a configured secret, kept for the redactor's lifetime.
func (r *redactor) add(s string) { r.remember(s, false) }

func (r *redactor) addPermanent(s string) { r.remember(s, true) }

func (r *redactor) remember(s string, permanent bool) {
	if len(s) < minRedactedLen {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.known == nil {
		r.known = map[string]bool{}
	}
	switch {
	case permanent && !slices.Contains(r.permanent, s):
		r.permanent = append(r.permanent, s)
		r.known[s] = true
	case !r.known[s]:
		r.recent = append(r.recent, s)
		r.known[s] = true
		if len(r.recent) > cmp.Or(r.limit, maxRememberedSecrets) {
			if old := r.recent[0]; !slices.Contains(r.permanent, old) {
				delete(r.known, old)
			}
			r.recent = r.recent[1:]
		}
	}
}

func (r *redactor) text(s string) string {
	r.mu.Lock()
	for _, secret := range slices.Concat(r.permanent, r.recent) {
		s = strings.ReplaceAll(s, secret, redacted)
	}
	r.mu.Unlock()
	return sensitiveText.ReplaceAllString(s, "${1}"+redacted)
}

// error returns err, or an error with a scrubbed message that still unwraps
// to err when err's message contains a secret.
func (r *redactor) error(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		if u, perr := url.Parse(ue.URL); perr == nil {
			ue.URL = RedactURL(u)
		}
	}
	msg := err.Error()
	if clean := r.text(msg); clean != msg {
		return &scrubbedError{msg: clean, err: err}
	}
	return err
}

// scrubbedError carries a redacted message for an error whose own message
// held a secret.
type scrubbedError struct {
	msg string
	err error
}

func (e *scrubbedError) Error() string { return e.msg }
func (e *scrubbedError) Unwrap() error { return e.err }

// maxQuotedBody is how much of an unexpected body an error quotes.
const maxQuotedBody = 200

// quoteBody returns the start of body for an error message: whitespace
// collapsed, cut at a rune boundary, secrets scrubbed.
func (r *redactor) quoteBody(body []byte) string {
	s := strings.Join(strings.Fields(string(body)), " ")
	s = r.text(s)
	if len(s) > maxQuotedBody {
		cut := maxQuotedBody
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		s = s[:cut] + "..."
	}
	return strings.ToValidUTF8(s, "?")
}

package wechat

import (
	"errors"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"unicode/utf8"
)

const redacted = "REDACTED"

// sensitiveParams are query parameters whose values are credentials.
var sensitiveParams = map[string]bool{
	"access_token":            true,
	"secret":                  true,
	"component_access_token":  true,
	"authorizer_access_token": true,
}

// RedactURL returns u as a string with the values of credential query
// parameters (access_token, secret, component_access_token,
// authorizer_access_token) replaced by "REDACTED". The order of the other
// parameters is kept. u is not modified.
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
			if key, err := url.QueryUnescape(name); err == nil && sensitiveParams[strings.ToLower(key)] {
				parts[i] = name + "=" + redacted
			}
		}
		c.RawQuery = strings.Join(parts, "&")
	}
	return c.String()
}

// sensitiveText matches credential values in text that came from the
// network or from a URL: access_token=…, "secret":"…", and the like.
var sensitiveText = regexp.MustCompile(`(?i)((?:access_token|secret)"?\s*[=:]\s*"?)([^"&\s,}]+)`)

// redactor scrubs known secrets (the app secret, tokens seen by the client)
// and anything shaped like a credential from text.
type redactor struct {
	mu      sync.Mutex
	secrets []string
}

// maxRememberedSecrets bounds the list: tokens rotate every ~2 hours and only
// recent ones can show up in a response.
const maxRememberedSecrets = 16

func (r *redactor) add(s string) {
	if s == "" {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, have := range r.secrets {
		if have == s {
			return
		}
	}
	if len(r.secrets) >= maxRememberedSecrets {
		// Keep the first entry: it is the app secret or static token.
		r.secrets = append(r.secrets[:1], r.secrets[2:]...)
	}
	r.secrets = append(r.secrets, s)
}

func (r *redactor) text(s string) string {
	r.mu.Lock()
	for _, secret := range r.secrets {
		s = strings.ReplaceAll(s, secret, redacted)
	}
	r.mu.Unlock()
	return sensitiveText.ReplaceAllString(s, "${1}"+redacted)
}

// error returns err, or an error with a scrubbed message that still unwraps
// to err when err's message contains a secret.
func (r *redactor) error(err error) error {
	if err == nil {
		return nil
	}
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

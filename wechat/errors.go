package wechat

import (
	"errors"
	"fmt"
	"strings"
)

// ErrOutcomeUnknown is matched (errors.Is) by the error of a mutating call
// whose request may have reached WeChat but whose response was lost. The call
// may or may not have taken effect; re-read the menus to find out.
var ErrOutcomeUnknown = errors.New("outcome unknown")

// ErrReadOnly is returned by mutating calls of a client made WithReadOnly.
var ErrReadOnly = errors.New("client is read-only")

// APIError is a non-zero errcode returned by WeChat, usually with HTTP 200.
type APIError struct {
	// Endpoint is the API called, e.g. "menu/get" or "cgi-bin/stable_token".
	Endpoint string
	Code     int
	// Message is WeChat's errmsg, with any secret redacted.
	Message string
}

// Error returns e.g. "wechat: menu/get: errcode 45009: reach max api daily
// quota limit". When WeChat sent no errmsg, the documented meaning is used.
func (e *APIError) Error() string {
	msg := e.Message
	if msg == "" {
		msg = ErrorCodeMeaning(e.Code)
	}
	if msg == "" {
		return fmt.Sprintf("wechat: %s: errcode %d", e.Endpoint, e.Code)
	}
	return fmt.Sprintf("wechat: %s: errcode %d: %s", e.Endpoint, e.Code, msg)
}

// Retryable reports whether the call can be sent again as is: only errcode
// -1 ("system busy"), which WeChat documents as "retry later" and which we
// read as "not done" (UNCONFIRMED for mutations, but no source reports a -1
// whose change was applied). 45011 (per-minute rate limit) is not retryable
// here: waiting for the next minute exceeds any sensible backoff, so it is
// reported (IsQuota) and left to the caller.
func (e *APIError) Retryable() bool { return e.Code == -1 }

// IsToken reports whether the access token was missing, invalid or expired.
func (e *APIError) IsToken() bool {
	switch e.Code {
	case 40001, 40014, 41001, 42001:
		return true
	}
	return false
}

// isStaleToken reports the token errors that a fresh token can cure.
func (e *APIError) isStaleToken() bool {
	switch e.Code {
	case 40001, 40014, 42001:
		return true
	}
	return false
}

// IsQuota reports whether a daily (45009) or per-minute (45011) call limit
// was reached.
func (e *APIError) IsQuota() bool { return e.Code == 45009 || e.Code == 45011 }

// IsNotFound reports whether the thing asked for does not exist: no menu
// (46003), no such conditional menu (65301), no such user (65302).
func (e *APIError) IsNotFound() bool {
	switch e.Code {
	case 46003, 65301, 65302:
		return true
	}
	return false
}

// IsInvalidRequest reports whether WeChat rejected the content of the
// request: button and menu errors (400xx), body and format errors (4400x,
// 47001), and conditional-menu content errors (653xx rule, URL and charset
// errors). Account-state errors such as 65303 (no default menu), 65305
// (count limit) or 65306 (not allowed) are not included.
func (e *APIError) IsInvalidRequest() bool {
	c := e.Code
	switch {
	case c >= 40015 && c <= 40027, c == 40033, c == 40054, c == 40055,
		c == 40119, c == 40120, c == 41007,
		c >= 44001 && c <= 44004, c == 47001,
		c == 65304, c == 65307, c == 65308, c >= 65310 && c <= 65320:
		return true
	}
	return false
}

// UnexpectedResponseError is a response that is not what the endpoint
// returns: a non-2xx status, an HTML page, truncated JSON, unexpected types
// or missing fields.
type UnexpectedResponseError struct {
	Endpoint    string
	StatusCode  int
	ContentType string
	// Reason says what was wrong, e.g. "invalid JSON: unexpected end of JSON input".
	Reason string
	// Body is the start of the body (at most maxQuotedBody bytes), redacted;
	// empty for token responses, which are never quoted.
	Body string
}

func (e *UnexpectedResponseError) Error() string {
	ct := e.ContentType
	if ct == "" {
		ct = "no content type"
	}
	var b strings.Builder
	fmt.Fprintf(&b, "wechat: %s: unexpected response (HTTP %d, %s)", e.Endpoint, e.StatusCode, ct)
	if e.Reason != "" {
		b.WriteString(": ")
		b.WriteString(e.Reason)
	}
	if e.Body != "" {
		fmt.Fprintf(&b, ": %q", e.Body)
	}
	return b.String()
}

// outcomeUnknown wraps the failure of a mutation whose request may have been
// delivered.
func outcomeUnknown(endpoint string, cause error) error {
	return &outcomeUnknownError{endpoint: endpoint, cause: cause}
}

type outcomeUnknownError struct {
	endpoint string
	cause    error
}

func (e *outcomeUnknownError) Error() string {
	return fmt.Sprintf("wechat: %s: outcome unknown, the request may have been applied (re-read the menus): %s",
		e.endpoint, strings.TrimPrefix(e.cause.Error(), "wechat: "+e.endpoint+": "))
}

func (e *outcomeUnknownError) Unwrap() []error { return []error{ErrOutcomeUnknown, e.cause} }

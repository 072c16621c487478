package wechat

import (
	"cmp"
	"errors"
	"fmt"
	"net/netip"
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
	// Message is WeChat's errmsg without the request id WeChat appends
	// (" rid: …" or " hint: [...]"), with any secret redacted, so that it can
	// be matched.
	Message string
	// RequestID is the request id WeChat appended to errmsg, e.g.
	// "64a1b2c3-1a2b3c4d-5e6f7a8b", or "" when there was none. WeChat
	// support asks for it.
	RequestID string
}

// Error returns e.g. "wechat: menu/get: errcode 45009: reach max api daily
// quota limit (WeChat request id 64a1b2c3-1a2b3c4d-5e6f7a8b, quote it to
// WeChat support)". When WeChat sent no errmsg, the documented meaning is
// used.
func (e *APIError) Error() string {
	s := fmt.Sprintf("wechat: %s: errcode %d", e.Endpoint, e.Code)
	if msg := cmp.Or(e.Message, ErrorCodeMeaning(e.Code)); msg != "" {
		s += ": " + msg
	}
	if e.RequestID != "" {
		s += " (WeChat request id " + e.RequestID + ", quote it to WeChat support)"
	}
	return s
}

// Hint says what the operator should do about an error that no change to
// the menus can fix (credentials, ip whitelists, account kind and
// permissions, quotas, platform authorization), or "" for other codes. An
// ip whitelist hint names the caller's ip when WeChat's errmsg gives it
// ("invalid ip 203.0.113.7 ipv6 …", "requestIP: 203.0.113.7").
func (e *APIError) Hint() string {
	h := errorCodes[e.Code].hint
	if e.Code == CodeIPNotWhitelisted || e.Code == CodePlatformIPNotRegistered {
		if ip := callerIP(e.Message); ip != "" {
			h = strings.Replace(h, "this runner's public ip", ip+" (this runner's public ip)", 1)
		}
	}
	return h
}

// callerIP is the caller ip a whitelist errmsg names, or "".
func callerIP(msg string) string {
	for _, marker := range []string{"invalid ip ", "requestIP: "} {
		if _, rest, ok := strings.Cut(msg, marker); ok {
			ip, _, _ := strings.Cut(rest, " ")
			ip = strings.TrimRight(ip, ",")
			if addr, err := netip.ParseAddr(ip); err == nil {
				return addr.String()
			}
		}
	}
	return ""
}

// Retryable reports whether the call can be sent again as is: only errcode
// -1 ("system busy"), which WeChat documents as "retry later" and which we
// read as "not done" (UNCONFIRMED for mutations, but no source reports a -1
// whose change was applied). 45011 (per-minute rate limit) is not retryable
// here: waiting for the next minute exceeds any sensible backoff, so it is
// reported and left to the caller.
func (e *APIError) Retryable() bool { return e.Code == CodeSystemBusy }

// isStaleToken reports the token errors that a fresh token can cure.
func (e *APIError) isStaleToken() bool {
	return e.Code == CodeInvalidCredential || e.Code == CodeInvalidAccessToken || e.Code == CodeAccessTokenExpired
}

// IsCode reports whether err is, or wraps, an *APIError with the given
// errcode.
func IsCode(err error, code int) bool {
	var apiErr *APIError
	return errors.As(err, &apiErr) && apiErr.Code == code
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
	s := fmt.Sprintf("wechat: %s: unexpected response (HTTP %d, %s)", e.Endpoint, e.StatusCode, cmp.Or(e.ContentType, "no content type"))
	if e.Reason != "" {
		s += ": " + e.Reason
	}
	if e.Body != "" {
		s += fmt.Sprintf(": %q", e.Body)
	}
	return s
}

// outcomeUnknownError is the failure of a mutation whose request may have
// been delivered.
type outcomeUnknownError struct {
	endpoint string
	cause    error
}

func (e *outcomeUnknownError) Error() string {
	return fmt.Sprintf("wechat: %s: outcome unknown, the request may have been applied (re-read the menus): %s",
		e.endpoint, strings.TrimPrefix(e.cause.Error(), "wechat: "+e.endpoint+": "))
}

func (e *outcomeUnknownError) Unwrap() []error { return []error{ErrOutcomeUnknown, e.cause} }

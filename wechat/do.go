package wechat

import (
	"bytes"
	"cmp"
	"context"
	"crypto/tls"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"net"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"strings"
	"sync/atomic"
	"time"
)

// request is one API call as the core sends it: a POST of payload, or a GET
// when there is none, to /cgi-bin/ and the endpoint's name.
type request struct {
	endpoint string     // e.g. "menu/get" or "cgi-bin/stable_token", as errors and logs name it
	query    url.Values // extra query parameters; the token is added from token
	payload  any        // the JSON body; nil for a GET
	body     []byte     // payload encoded (encodeJSON), once for every attempt
	token    string     // access token; "" for the token endpoints
	// tokenParam is the query parameter that carries token: access_token
	// unless set (component endpoints use component_access_token).
	tokenParam string
	// mutating calls change the account and are never resent once they may
	// have been delivered.
	mutating bool
	// secretResponse marks token responses, whose bodies are never quoted.
	secretResponse bool
	// parse decodes a body WeChat did not report as an error; it may run
	// once per attempt. An error means the body was not the expected shape.
	// nil expects {"errcode":0,"errmsg":"ok"} (decodeResponse).
	parse func(body []byte) error
}

func (r *request) method() string {
	if r.body != nil {
		return http.MethodPost
	}
	return http.MethodGet
}

// maxResponseBytes bounds a response body; menu/get responses are a few KiB.
const maxResponseBytes = 4 << 20

// exchange is what one HTTP round trip produced.
type exchange struct {
	status      int
	contentType string
	location    string // Location header of a redirect
	body        []byte
	// err is a transport failure: no status, or the body could not be read.
	err error
	// mayBeSent is set with err when the request may have reached the server.
	mayBeSent bool
	// awaited is, with err, what the round trip was waiting for when it
	// failed (sendTrace.awaited).
	awaited string
}

// do runs r with retries. Every error it returns is scrubbed of secrets.
//
// Retries are bounded twice: by the number of attempts and by the retry
// budget. The budget is what ends the wait on hosts that accept and never
// answer: each attempt then costs a response-header timeout per host, and
// four of them would keep a command waiting for the better part of a
// minute before it could say anything. An attempt is not started when the
// last one, repeated after the backoff, would end past the budget; quick
// failures (a refused connection, a 5xx) cost next to nothing and keep every
// attempt.
func (c *Client) do(ctx context.Context, r *request) error {
	if r.payload != nil && r.body == nil {
		body, err := encodeJSON(r.payload)
		if err != nil {
			return fmt.Errorf("wechat: %s: encoding the request: %w", r.endpoint, err)
		}
		r.body = body
	}
	start := time.Now()
	for attempt := 1; ; attempt++ {
		began := time.Now()
		again, err := c.attempt(ctx, r, attempt)
		if err == nil || !again {
			return err
		}
		if attempt >= c.retry.attempts {
			if attempt > 1 {
				return fmt.Errorf("%w (after %d attempts)", err, attempt)
			}
			return err
		}
		delay := c.retry.delay(attempt)
		if ctx.Err() != nil {
			return fmt.Errorf("%w (retry abandoned: %w)", err, contextError(ctx))
		}
		if spent := time.Since(start); c.retry.budget > 0 && spent+delay+time.Since(began) > c.retry.budget {
			return fmt.Errorf("%w (%s in %v; another would pass the %v retry budget)", err, attempts(attempt), roundWait(spent), c.retry.budget)
		}
		if serr := sleep(ctx, delay); serr != nil {
			return fmt.Errorf("%w (retry abandoned: %w)", err, contextError(ctx))
		}
	}
}

// attempts is "1 attempt" or "N attempts".
func attempts(n int) string {
	if n == 1 {
		return "1 attempt"
	}
	return fmt.Sprintf("%d attempts", n)
}

// attempt sends r once, failing over across the base URLs while a
// connection cannot be made (or, for reads, while no response arrives). It
// reports whether the failure is worth another attempt. When no host
// answers, the error names every host tried and what was awaited from each.
func (c *Client) attempt(ctx context.Context, r *request, n int) (retry bool, err error) {
	if ctx.Err() != nil {
		return false, fmt.Errorf("wechat: %s: %w", r.endpoint, contextError(ctx))
	}
	count := len(c.bases)
	start := int(c.preferred.Load())
	failed := &noAnswerError{endpoint: r.endpoint}
	for i := range count {
		idx := (start + i) % count
		began := time.Now()
		u := c.url(idx, r)
		ex := c.send(ctx, r, u)
		if ex.err == nil {
			c.preferred.Store(int32(idx))
			retry, err := c.interpret(r, ex)
			c.logExchange(ctx, r, u, n, ex, err, time.Since(began))
			return retry, err
		}
		f := hostFailure{host: u.Host, awaited: ex.awaited, waited: time.Since(began), err: c.scrub.error(ex.err)}
		if ctx.Err() != nil {
			// The caller's deadline (wxmenu's --timeout) or an interrupt
			// ended the wait, not the host: say so in the words of the
			// context's cause, with the hosts that failed before it.
			f.ctxErr = contextError(ctx)
		}
		failed.hosts = append(failed.hosts, f)
		c.logExchange(ctx, r, u, n, ex, failed.last(), f.waited)
		if r.mutating && ex.mayBeSent {
			return false, &outcomeUnknownError{r.endpoint, failed.last()}
		}
		if ctx.Err() != nil {
			return false, failed
		}
	}
	return true, failed
}

// noAnswerError is an attempt on which no host answered: each host tried,
// in order, with why it did not answer.
type noAnswerError struct {
	endpoint string
	hosts    []hostFailure
}

// hostFailure is one host that did not answer.
type hostFailure struct {
	host    string
	awaited string // what the wait was for, e.g. "response headers" (sendTrace.awaited)
	waited  time.Duration
	err     error // the transport's error, scrubbed
	ctxErr  error // set when the caller's context ended the wait (contextError)
}

func (f hostFailure) String() string {
	var ne net.Error
	switch {
	case f.ctxErr != nil:
		return fmt.Sprintf("%v waiting for %s (%s)", f.ctxErr, f.host, f.awaited)
	case errors.As(f.err, &ne) && ne.Timeout():
		return fmt.Sprintf("%s timed out after %v waiting for %s", f.host, roundWait(f.waited), f.awaited)
	}
	return f.err.Error() // names the URL, and so the host
}

func (e *noAnswerError) Error() string {
	// The failure that ended the attempt comes first: the caller's
	// deadline, or the only host.
	last := e.hosts[len(e.hosts)-1]
	msg := "wechat: " + e.endpoint + ": " + last.String()
	if len(e.hosts) == 1 {
		return msg
	}
	var before []string
	for _, f := range e.hosts[:len(e.hosts)-1] {
		before = append(before, f.String())
	}
	if last.ctxErr != nil {
		return msg + "; before that, " + strings.Join(before, "; ")
	}
	return "wechat: " + e.endpoint + ": no host answered: " + strings.Join(append(before, last.String()), "; ")
}

// Unwrap is every host's error, and the caller's context error when it
// ended the wait, so that errors.Is finds context.DeadlineExceeded and
// context.Canceled.
func (e *noAnswerError) Unwrap() []error {
	var errs []error
	for _, f := range e.hosts {
		if f.ctxErr != nil {
			errs = append(errs, f.ctxErr)
		}
		errs = append(errs, f.err)
	}
	return errs
}

// last is the error of the last host tried alone.
func (e *noAnswerError) last() error {
	return &noAnswerError{endpoint: e.endpoint, hosts: e.hosts[len(e.hosts)-1:]}
}

// roundWait rounds a wait for a message: "5s", not "5.000731s".
func roundWait(d time.Duration) time.Duration {
	if d >= time.Second {
		return d.Round(100 * time.Millisecond)
	}
	return d.Round(time.Millisecond)
}

// contextError is ctx's error in the words of its cause when it has one
// (context.WithTimeoutCause: wxmenu's --timeout says "timed out after 5s"
// instead of "context deadline exceeded"), still unwrapping to ctx.Err().
func contextError(ctx context.Context) error {
	err, cause := ctx.Err(), context.Cause(ctx)
	if cause == nil || cause == err {
		return err
	}
	return &causeError{cause: cause, err: err}
}

// causeError is a context's error told by its cause.
type causeError struct{ cause, err error }

func (e *causeError) Error() string   { return e.cause.Error() }
func (e *causeError) Unwrap() []error { return []error{e.cause, e.err} }

// url builds the request URL on base URL idx, access token included.
func (c *Client) url(idx int, r *request) *url.URL {
	u := *c.bases[idx]
	u.Path = strings.TrimRight(u.Path, "/") + "/cgi-bin/" + strings.TrimPrefix(r.endpoint, "cgi-bin/")
	u.RawPath = ""
	q := url.Values{}
	maps.Copy(q, r.query)
	if r.token != "" {
		q.Set(cmp.Or(r.tokenParam, "access_token"), r.token)
	}
	u.RawQuery = q.Encode()
	return &u
}

// send makes one HTTP round trip and reads the whole body.
func (c *Client) send(ctx context.Context, r *request, u *url.URL) (ex exchange) {
	var body io.Reader
	if r.body != nil {
		body = bytes.NewReader(r.body)
	}
	var t sendTrace
	req, err := http.NewRequestWithContext(httptrace.WithClientTrace(ctx, t.hooks()), r.method(), u.String(), body)
	if err != nil {
		return exchange{err: err}
	}
	if r.body != nil {
		req.Header.Set("Content-Type", "application/json; charset=utf-8")
	}
	if r.mutating && r.body == nil {
		// net/http silently resends a GET whose keep-alive connection died
		// after the request was written, since GET is idempotent by HTTP's
		// rules. menu/delete is a GET that is not. A body without GetBody
		// makes the request non-replayable; an empty body is sent as none.
		req.Body = io.NopCloser(strings.NewReader(""))
		req.GetBody = nil
	}
	req.Header.Set("Accept", "application/json")
	resp, err := c.hc.Do(req)
	if err != nil {
		return exchange{err: err, mayBeSent: !t.provablyUnsent(err), awaited: t.awaited()}
	}
	defer resp.Body.Close()
	ex = exchange{status: resp.StatusCode, contentType: resp.Header.Get("Content-Type"), location: resp.Header.Get("Location")}
	ex.body, err = io.ReadAll(io.LimitReader(resp.Body, maxResponseBytes+1))
	if err != nil {
		ex.err = fmt.Errorf("reading the response (HTTP %d): %w", resp.StatusCode, err)
		ex.mayBeSent = true
		ex.awaited = "the response body"
	}
	return ex
}

// interpret turns a complete HTTP response into the call's result.
func (c *Client) interpret(r *request, ex exchange) (retry bool, err error) {
	switch {
	case ex.status >= 500:
		return !r.mutating, r.lost(c.unexpected(r, ex, "server error"))
	case ex.status >= 300 && ex.status <= 399:
		// Redirects are never followed (see withoutRedirects). The API is
		// not known to redirect (UNCONFIRMED: the reference mentions no
		// redirect), so a 3xx comes from something in front of it, such as
		// a proxy or a captive portal, that did not hand the request to
		// WeChat: even a mutation had no effect and fails as a refusal, not
		// as outcome unknown. Resending would meet the same redirect.
		return false, c.unexpected(r, ex, "redirect"+redirectTarget(ex.location)+" not followed")
	case ex.status < 200 || ex.status > 299:
		return false, c.unexpected(r, ex, "")
	case len(ex.body) > maxResponseBytes:
		return false, r.lost(c.unexpected(r, ex, fmt.Sprintf("body larger than %d bytes", maxResponseBytes)))
	}
	err = decodeResponse(r.endpoint, ex.body, r.parse, c.scrub)
	var apiErr *APIError
	if errors.As(err, &apiErr) {
		if apiErr.Retryable() && r.endpoint == endpointAddConditional {
			// -1 means "system busy"; that the call then had no effect is
			// UNCONFIRMED. The other mutations are safe to resend (create
			// and delete replace; a repeated delconditional answers
			// 65301), but a repeated addconditional would leave a
			// duplicate at the top priority, so the caller re-reads
			// instead.
			return false, &outcomeUnknownError{r.endpoint, err}
		}
		return apiErr.Retryable(), err
	}
	if err != nil {
		// WeChat answered 2xx but we cannot read what it did. For a read,
		// JSON cut off mid-answer is a transient failure, retried like a
		// 5xx; JSON of the wrong shape, or a page that is not JSON at all,
		// would come back the same.
		return !r.mutating && truncatedJSON(ex.body), r.lost(c.unexpected(r, ex, err.Error()))
	}
	return false, nil
}

// lost is err, the failure of a response that does not say what WeChat did,
// as an outcome unknown when r is a mutation, which may have been applied.
func (r *request) lost(err error) error {
	if r.mutating {
		return &outcomeUnknownError{r.endpoint, err}
	}
	return err
}

// redirectTarget is " to <location>" for an error message, with credentials
// redacted, or "" when there is no Location header.
func redirectTarget(location string) string {
	if location == "" {
		return ""
	}
	if u, err := url.Parse(location); err == nil {
		location = RedactURL(u)
	}
	return " to " + location
}

func (c *Client) unexpected(r *request, ex exchange, reason string) *UnexpectedResponseError {
	e := &UnexpectedResponseError{
		Endpoint:    r.endpoint,
		StatusCode:  ex.status,
		ContentType: c.scrub.text(ex.contentType),
		Reason:      c.scrub.text(reason),
	}
	if !r.secretResponse {
		e.Body = c.scrub.quoteBody(ex.body)
	}
	return e
}

// logExchange logs one round trip at debug level. err is already scrubbed
// and the URL is redacted; bodies are never logged.
func (c *Client) logExchange(ctx context.Context, r *request, u *url.URL, attempt int, ex exchange, err error, took time.Duration) {
	if !c.log.Enabled(ctx, slog.LevelDebug) {
		return
	}
	attrs := []slog.Attr{
		slog.String("method", r.method()),
		slog.String("endpoint", r.endpoint),
		slog.String("url", RedactURL(u)),
		slog.Int("attempt", attempt),
		slog.Duration("duration", took),
	}
	if ex.status != 0 {
		attrs = append(attrs, slog.Int("status", ex.status))
	}
	var apiErr *APIError
	switch {
	case errors.As(err, &apiErr):
		attrs = append(attrs, slog.Int("errcode", apiErr.Code))
	case err == nil:
		attrs = append(attrs, slog.Int("errcode", 0))
	default:
		attrs = append(attrs, slog.String("error", err.Error()))
	}
	c.log.LogAttrs(ctx, slog.LevelDebug, "wechat request", attrs...)
}

// sendTrace records how far a round trip got, to tell a request that
// provably never left (no connection was obtained) from one that may have
// been delivered, and to say what a failed one was waiting for.
type sendTrace struct {
	getConn, gotConn, wrote atomic.Bool
	tlsStart, tlsDone       atomic.Bool
	firstByte               atomic.Bool
}

func (t *sendTrace) hooks() *httptrace.ClientTrace {
	return &httptrace.ClientTrace{
		GetConn:              func(string) { t.getConn.Store(true) },
		TLSHandshakeStart:    func() { t.tlsStart.Store(true) },
		TLSHandshakeDone:     func(tls.ConnectionState, error) { t.tlsDone.Store(true) },
		GotConn:              func(httptrace.GotConnInfo) { t.gotConn.Store(true) },
		WroteHeaders:         func() { t.wrote.Store(true) },
		WroteRequest:         func(httptrace.WroteRequestInfo) { t.wrote.Store(true) },
		GotFirstResponseByte: func() { t.firstByte.Store(true) },
	}
}

// awaited says what a failed round trip was waiting for: a host that
// accepts and never answers fails waiting for "response headers", one
// that cannot be reached waiting for "a connection". An operator reads it
// to tell a dead route from a hung server.
func (t *sendTrace) awaited() string {
	switch {
	case t.firstByte.Load():
		return "the response body"
	case t.wrote.Load():
		return "response headers"
	case t.gotConn.Load():
		return "the request to be sent"
	case t.tlsStart.Load() && !t.tlsDone.Load():
		return "the TLS handshake"
	}
	return "a connection"
}

// provablyUnsent reports whether the request failed before any connection
// was obtained (dial, DNS or TLS failure, or ctx done while connecting).
// Transports that report no trace events are trusted only for dial errors.
func (t *sendTrace) provablyUnsent(err error) bool {
	if t.gotConn.Load() || t.wrote.Load() {
		return false
	}
	if t.getConn.Load() {
		return true
	}
	return isDialError(err)
}

// isDialError reports a failure to resolve or connect, which proves that
// nothing was sent.
func isDialError(err error) bool {
	var op *net.OpError
	if errors.As(err, &op) && op.Op == "dial" {
		return true
	}
	var dns *net.DNSError
	return errors.As(err, &dns)
}

// truncatedJSON reports whether body starts as a JSON object or array but
// is not valid JSON: an answer cut off on the way.
func truncatedJSON(body []byte) bool {
	trimmed := bytes.TrimSpace(body)
	return len(trimmed) > 0 && (trimmed[0] == '{' || trimmed[0] == '[') && !json.Valid(trimmed)
}

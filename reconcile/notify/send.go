package notify

import (
	"bytes"
	"context"
	"crypto/tls"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/wxmenu/wxmenu/internal/errtext"
)

const (
	attempts = 3
	// attemptTimeout bounds an attempt when the client has no Timeout.
	attemptTimeout = 10 * time.Second
	// snippetBytes is the most of an answer an error quotes.
	snippetBytes = 80
	// answerBytes is the most of an answer read.
	answerBytes = 64 << 10
)

// backoff is the wait before the second and the third attempt.
var backoff = [attempts - 1]time.Duration{100 * time.Millisecond, 300 * time.Millisecond}

// Send posts one message listing changes to t, trying up to 3 times while
// the failure may pass (network errors, timeouts, HTTP 5xx and 429, WeCom's
// busy errcode -1). With no changes it posts nothing. client nil is a
// plain client; its Timeout, 10 s when unset, bounds each attempt and ctx
// all of them. The error names t by String only and says how many attempts
// were made.
func Send(ctx context.Context, client *http.Client, t Target, changes []Change) error {
	if t.format == 0 {
		return errors.New("notify: no target")
	}
	if len(changes) == 0 {
		return nil
	}
	c := http.Client{}
	if client != nil {
		c = *client
	}
	// A redirect is an answer, not a place to send the message to.
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	msg := body(t.format, t.tr, changes)

	if ctx.Err() != nil {
		return t.stopped(ctx, 0, nil)
	}
	var last *failure
	for n := 1; n <= attempts; n++ {
		if n > 1 {
			timer := time.NewTimer(backoff[n-2])
			select {
			case <-ctx.Done():
				timer.Stop()
				return t.stopped(ctx, n-1, last)
			case <-timer.C:
			}
		}
		last = t.post(ctx, &c, msg)
		switch {
		case last == nil:
			return nil
		case ctx.Err() != nil:
			return t.stopped(ctx, n, last)
		case !last.retry:
			return t.failed(n, last)
		}
	}
	return t.failed(attempts, last)
}

// A failure is why one attempt failed, worded without the URL.
type failure struct {
	reason string
	retry  bool   // whether another attempt may succeed
	hint   string // what to do, if the failure is final
	err    error  // the network error, if any
}

// post makes one attempt.
func (t Target) post(ctx context.Context, c *http.Client, msg []byte) *failure {
	if c.Timeout == 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, attemptTimeout)
		defer cancel()
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, t.url, bytes.NewReader(msg))
	if err != nil {
		return &failure{reason: "the request cannot be made", hint: targetHint}
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "wxmenu")
	resp, err := c.Do(req)
	if err != nil {
		// A *url.Error says the whole URL: only its reason is kept.
		if ue := (*url.Error)(nil); errors.As(err, &ue) {
			err = ue.Err
		}
		reason := err.Error()
		if errors.Is(err, context.DeadlineExceeded) && ctx.Err() != nil && c.Timeout == 0 {
			reason = "no answer within " + attemptTimeout.String()
		}
		// A certificate that does not verify will not verify next time.
		cve := (*tls.CertificateVerificationError)(nil)
		return &failure{reason: reason, retry: !errors.As(err, &cve), err: err}
	}
	defer resp.Body.Close()
	answer, err := io.ReadAll(io.LimitReader(resp.Body, answerBytes))
	if err != nil {
		return &failure{reason: fmt.Sprintf("HTTP %d, then the answer broke off: %v", resp.StatusCode, err), retry: true, err: err}
	}

	switch code := resp.StatusCode; {
	case code == http.StatusTooManyRequests || code >= 500:
		return &failure{reason: t.httpReason(code, answer), retry: true}
	case code >= 300 && code < 400:
		return &failure{reason: t.httpReason(code, answer) + " (a redirect, not followed)", hint: "give the webhook's own URL"}
	case code >= 400:
		return &failure{reason: t.httpReason(code, answer), hint: "the server refused the message: check the notify URL (a webhook that was removed or whose key was reset answers 4xx)"}
	case t.format == formatSlack && code != http.StatusOK:
		return &failure{reason: t.httpReason(code, answer) + " (Slack answers 200)"}
	case t.format != formatWeCom:
		return nil
	}

	var robot struct {
		ErrCode *int   `json:"errcode"`
		ErrMsg  string `json:"errmsg"`
	}
	if err := json.Unmarshal(answer, &robot); err != nil || robot.ErrCode == nil {
		return &failure{reason: fmt.Sprintf("HTTP %d with an answer that is not the robot's: %s", resp.StatusCode, t.snippet(answer)),
			hint: "check that the notify URL is a WeCom group robot's webhook"}
	}
	switch *robot.ErrCode {
	case 0:
		return nil
	case -1:
		return &failure{reason: t.robotReason(-1, robot.ErrMsg), retry: true}
	case 93000:
		return &failure{reason: t.robotReason(93000, robot.ErrMsg),
			hint: "the robot's webhook key is wrong or the robot was removed: copy its webhook URL again from the group's robot settings"}
	}
	return &failure{reason: t.robotReason(*robot.ErrCode, robot.ErrMsg)}
}

func (t Target) httpReason(code int, answer []byte) string {
	if len(bytes.TrimSpace(answer)) == 0 {
		return "HTTP " + strconv.Itoa(code)
	}
	return fmt.Sprintf("HTTP %d %s", code, t.snippet(answer))
}

func (t Target) robotReason(code int, msg string) string {
	return fmt.Sprintf("errcode %d %s", code, t.snippet([]byte(msg)))
}

// snippet is at most snippetBytes of an answer, with what it echoes of the
// URL cut out first (so no secret is cut in two and half shown), cut on a
// rune boundary and quoted, so control and bidirectional characters are
// escaped.
func (t Target) snippet(answer []byte) string {
	b := bytes.TrimSpace([]byte(t.redact(string(answer))))
	cut := len(b) > snippetBytes
	if cut {
		b = b[:snippetBytes]
		for len(b) > 0 && !utf8.Valid(b) {
			b = b[:len(b)-1]
		}
	}
	s := strconv.Quote(string(b))
	if cut {
		s += "…"
	}
	return s
}

// failed is the error of a send that ended after n attempts.
func (t Target) failed(n int, f *failure) error {
	msg := t.redact(fmt.Sprintf("notify %s: %s (%s)", t.shown, f.reason, countWord(n, "attempt")))
	err := f.err
	if err == nil {
		err = errors.New(msg)
	}
	return &errtext.Error{Err: err, Hint: f.hint, Message: msg}
}

// stopped is the error of a send that ctx ended after n attempts, the last
// one failing with f (nil if none was made).
func (t Target) stopped(ctx context.Context, n int, f *failure) error {
	msg := fmt.Sprintf("notify %s: stopped (%v) after %s", t.shown, ctx.Err(), countWord(n, "attempt"))
	if f != nil && !errors.Is(f.err, ctx.Err()) {
		msg += ", the last one: " + f.reason
	}
	return &errtext.Error{Err: ctx.Err(), Message: t.redact(msg)}
}

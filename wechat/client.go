package wechat

import (
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"sync/atomic"
	"time"
)

// defaultBaseURLs are WeChat's general API host and its disaster-recovery
// host (reference §6.4), tried in this order.
var defaultBaseURLs = []string{"https://api.weixin.qq.com", "https://api2.weixin.qq.com"}

// Defaults of the tunable options.
const (
	DefaultRetryAttempts  = 4
	DefaultRetryBaseDelay = 200 * time.Millisecond
	DefaultRetryMaxDelay  = 3 * time.Second
	// DefaultRetryBudget is the time after which a call starts no further
	// attempt (WithRetryBudget). With the timeouts below, a call whose
	// every host accepts and never answers ends within it: one such host
	// costs 5 s an attempt, so two attempts (about 10 s); the two default
	// hosts cost 10 s an attempt, so one. Quick failures keep all
	// DefaultRetryAttempts.
	DefaultRetryBudget = 15 * time.Second
	DefaultTokenMargin = 5 * time.Minute

	// The default HTTP client's timeouts. A host that cannot be reached
	// costs DefaultDialTimeout before the next base URL is tried, so
	// failover takes seconds; one that accepts and never answers costs
	// DefaultResponseHeaderTimeout (a menu/get answers in well under a
	// second; 5 s lets both default hosts be tried within
	// DefaultRetryBudget). WithHTTPClient replaces all of them.
	DefaultDialTimeout           = 3 * time.Second
	DefaultTLSHandshakeTimeout   = 5 * time.Second
	DefaultResponseHeaderTimeout = 5 * time.Second
	DefaultRequestTimeout        = 30 * time.Second // the whole round trip, body included
)

// DefaultHTTPClient is a new client with http.DefaultTransport's settings with the timeouts
// above: the standard transport waits up to 30 s to dial and has no limit
// on waiting for an answer.
func DefaultHTTPClient() *http.Client {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.DialContext = (&net.Dialer{Timeout: DefaultDialTimeout, KeepAlive: 30 * time.Second}).DialContext
	t.TLSHandshakeTimeout = DefaultTLSHandshakeTimeout
	t.ResponseHeaderTimeout = DefaultResponseHeaderTimeout
	return &http.Client{Transport: t, Timeout: DefaultRequestTimeout}
}

// Client calls the menu API of one account. It is safe for concurrent use.
type Client struct {
	hc    *http.Client
	bases []*url.URL
	// preferred is the index of the base URL that last answered; calls start
	// there so a dead host costs one failed dial, not one per call.
	preferred atomic.Int32

	// tokens is the account's token source behind the cache that every
	// call asks.
	tokens      TokenSource
	tokenMargin time.Duration

	retry    retryPolicy
	log      *slog.Logger
	scrub    *redactor
	readOnly bool

	// sources holds, for New to check once every option has run, the token
	// source given by each kind of option (credentials, static token, token
	// source); a later option of one kind replaces an earlier one, two kinds
	// are an error.
	sources map[string]TokenSource
	legacy  bool // WithLegacyToken was given
}

// Option configures a Client.
type Option func(*Client) error

// New returns a client configured by opts. Exactly one token source is
// required: WithCredentials, WithStaticToken or WithTokenSource.
func New(opts ...Option) (*Client, error) {
	c, err := newCore(opts...)
	if err != nil {
		return nil, err
	}
	switch {
	case len(c.sources) > 1:
		return nil, errors.New("wechat: use either credentials or a static token (or one token source), not both")
	case len(c.sources) == 0:
		return nil, errors.New("wechat: no credentials: give an appid and secret or an access token")
	}
	var src TokenSource
	for _, s := range c.sources {
		src = s
	}
	c.sources = nil
	if c.legacy {
		creds, ok := src.(*credentialsSource)
		if !ok {
			return nil, errors.New("wechat: the legacy token endpoint needs credentials, not a static token or another token source")
		}
		creds.legacy = true
	}
	c.tokens = ReuseTokenSource(src, c.tokenMargin)
	return c, nil
}

// newCore returns a client with opts applied and its token source still
// unchecked: New for an account, or the request core of a Platform, whose
// requests carry a component token instead.
func newCore(opts ...Option) (*Client, error) {
	c := &Client{
		hc:          withoutRedirects(DefaultHTTPClient()),
		tokenMargin: DefaultTokenMargin,
		retry:       retryPolicy{attempts: DefaultRetryAttempts, base: DefaultRetryBaseDelay, max: DefaultRetryMaxDelay, budget: DefaultRetryBudget},
		log:         slog.New(slog.DiscardHandler),
		scrub:       &redactor{},
		sources:     map[string]TokenSource{},
	}
	if err := WithBaseURLs(defaultBaseURLs...)(c); err != nil {
		return nil, err
	}
	for _, opt := range opts {
		if opt == nil {
			continue
		}
		if err := opt(c); err != nil {
			return nil, err
		}
	}
	return c, nil
}

// WithBaseURLs sets the API base URLs (default https://api.weixin.qq.com,
// then its disaster-recovery twin https://api2.weixin.qq.com). When a
// connection to one cannot be made the next is tried, and the one that
// answered is used first from then on. API errors never cause a failover.
//
// An invalid base URL is reported without its value: a credential pasted
// into it by mistake must not reach the output.
func WithBaseURLs(urls ...string) Option {
	return func(c *Client) error {
		if len(urls) == 0 {
			return errors.New("wechat: no base url")
		}
		bases := make([]*url.URL, 0, len(urls))
		for i, s := range urls {
			if problem := baseURLProblem(s); problem != "" {
				which := "base url"
				if len(urls) > 1 {
					which = fmt.Sprintf("base url %d of %d", i+1, len(urls))
				}
				return fmt.Errorf("wechat: invalid %s (not shown, it may hold a credential): %s", which, problem)
			}
			u, _ := url.Parse(s)
			bases = append(bases, u)
		}
		c.bases = bases
		c.preferred.Store(0)
		return nil
	}
}

// baseURLProblem says what is wrong with a base URL, in words that quote
// none of it, or "" when it is usable.
func baseURLProblem(s string) string {
	u, err := url.Parse(s)
	switch {
	case err != nil:
		return "not a url: want http(s)://host[/path]"
	case u.Scheme == "":
		return "no scheme: want http(s)://host[/path]"
	case u.Scheme != "http" && u.Scheme != "https":
		return "the scheme is not http or https: want http(s)://host[/path]"
	case u.Host == "":
		return "no host: want http(s)://host[/path]"
	case u.User != nil:
		return "no user info allowed"
	case u.RawQuery != "" || u.ForceQuery:
		return "no query allowed"
	case u.Fragment != "":
		return "no fragment allowed"
	}
	return ""
}

// WithHTTPClient sets the HTTP client. Its transport should report
// httptrace events (http.Transport does): they prove that a failed mutation
// was never sent, which is what allows retrying it.
//
// The client uses a copy of hc whose CheckRedirect refuses every redirect,
// whatever hc's own policy: following one would resend the request (a
// stable_token body carries the app secret) to another URL and put the
// access token in its Referer. A redirect is reported as an unexpected
// response. hc itself is not modified.
func WithHTTPClient(hc *http.Client) Option {
	return func(c *Client) error {
		if hc == nil {
			return errors.New("wechat: nil http client")
		}
		c.hc = withoutRedirects(hc)
		return nil
	}
}

// withoutRedirects returns a copy of hc that answers a redirect with the 3xx
// response itself instead of following it.
func withoutRedirects(hc *http.Client) *http.Client {
	cp := *hc
	cp.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	return &cp
}

// WithCredentials makes the client fetch its own access tokens for the
// account with its app secret, by default with POST cgi-bin/stable_token in
// normal mode, which returns the current token instead of invalidating it.
func WithCredentials(appID, secret string) Option {
	return func(c *Client) error {
		if appID == "" || secret == "" {
			return errors.New("wechat: credentials need both an appid and a secret")
		}
		c.scrub.addPermanent(secret)
		c.sources["credentials"] = &credentialsSource{appID: appID, secret: secret, core: c}
		return nil
	}
}

// WithLegacyToken fetches tokens with GET cgi-bin/token instead of
// cgi-bin/stable_token. Each such fetch invalidates the token other processes
// of the account hold (after a 5-minute overlap). It needs WithCredentials.
func WithLegacyToken() Option {
	return func(c *Client) error {
		c.legacy = true
		return nil
	}
}

// WithStaticToken uses a caller-supplied access token (for example a
// third-party authorizer_access_token): WithTokenSource(StaticTokenSource(token)).
// It is never refreshed: token errors are returned to the caller.
func WithStaticToken(token string) Option {
	return func(c *Client) error {
		if token == "" {
			return errors.New("wechat: empty access token")
		}
		c.scrub.addPermanent(token)
		c.sources["static token"] = StaticTokenSource(token)
		return nil
	}
}

// WithTokenSource makes the client take its access tokens from src, behind
// a cache (ReuseTokenSource with the client's token margin). src is asked
// again when a cached token nears its expiry or WeChat rejects it.
func WithTokenSource(src TokenSource) Option {
	return func(c *Client) error {
		if src == nil {
			return errors.New("wechat: nil token source")
		}
		c.sources["token source"] = src
		return nil
	}
}

// WithRetry sets how often a failed call is attempted in all (at least 1) and
// the bounds of the exponential backoff between attempts.
func WithRetry(maxAttempts int, baseDelay, maxDelay time.Duration) Option {
	return func(c *Client) error {
		if maxAttempts < 1 || baseDelay < 0 || maxDelay < baseDelay {
			return errors.New("wechat: invalid retry policy: want at least 1 attempt and 0 <= base delay <= max delay")
		}
		c.retry.attempts, c.retry.base, c.retry.max = maxAttempts, baseDelay, maxDelay
		return nil
	}
}

// WithRetryBudget sets the time after which a call starts no further
// attempt (default DefaultRetryBudget; 0: none, only the number of
// attempts bounds it). An attempt is not started when the previous one,
// repeated after the backoff, would end past the budget: it is what ends a
// call on hosts that accept and never answer in seconds instead of
// attempts × timeouts. It never cuts short a round trip in flight; the
// caller's context does that.
func WithRetryBudget(d time.Duration) Option {
	return func(c *Client) error {
		if d < 0 {
			return errors.New("wechat: negative retry budget")
		}
		c.retry.budget = d
		return nil
	}
}

// WithReadOnly makes every mutating call (create, delete, addconditional,
// delconditional) fail with ErrReadOnly without contacting WeChat, so that a
// read-only command cannot change the account even through a bug.
func WithReadOnly() Option {
	return func(c *Client) error {
		c.readOnly = true
		return nil
	}
}

// WithLogger logs every HTTP request at debug level: method, endpoint,
// redacted URL, status, errcode and duration. Bodies are never logged.
func WithLogger(l *slog.Logger) Option {
	return func(c *Client) error {
		if l == nil {
			return errors.New("wechat: nil logger")
		}
		c.log = l
		return nil
	}
}

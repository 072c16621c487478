package wechat

import (
	"errors"
	"log/slog"
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
	DefaultTokenMargin    = 5 * time.Minute
)

// Client calls the menu API of one account. It is safe for concurrent use.
type Client struct {
	hc    *http.Client
	bases []*url.URL
	// preferred is the index of the base URL that last answered; calls start
	// there so a dead host costs one failed dial, not one per call.
	preferred atomic.Int32

	appID       string
	secret      string
	legacyToken bool
	staticToken string
	tokenMargin time.Duration
	tokens      tokenCache

	retry    retryPolicy
	log      *slog.Logger
	scrub    *redactor
	readOnly bool
}

// Option configures a Client.
type Option func(*Client) error

// New returns a client configured by opts. Exactly one of WithCredentials and
// WithStaticToken is required.
func New(opts ...Option) (*Client, error) {
	c := &Client{
		hc:          withoutRedirects(&http.Client{Timeout: 30 * time.Second}),
		tokenMargin: DefaultTokenMargin,
		retry:       retryPolicy{attempts: DefaultRetryAttempts, base: DefaultRetryBaseDelay, max: DefaultRetryMaxDelay},
		log:         slog.New(slog.DiscardHandler),
		scrub:       &redactor{},
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
	switch {
	case c.staticToken != "" && c.appID != "":
		return nil, errors.New("wechat: use either credentials or a static token, not both")
	case c.staticToken == "" && c.appID == "":
		return nil, errors.New("wechat: no credentials: give an appid and secret or an access token")
	case c.staticToken != "" && c.legacyToken:
		return nil, errors.New("wechat: the legacy token endpoint needs credentials, not a static token")
	}
	// The first entry is kept by the redactor for the client's lifetime.
	c.scrub.add(c.secret + c.staticToken)
	c.tokens.sem = make(chan struct{}, 1)
	return c, nil
}

// AppID returns the account's appid, or "" for a client using a static token.
func (c *Client) AppID() string { return c.appID }

// WithBaseURLs sets the API base URLs (default https://api.weixin.qq.com,
// then its disaster-recovery twin https://api2.weixin.qq.com). When a
// connection to one cannot be made the next is tried, and the one that
// answered is used first from then on. API errors never cause a failover.
func WithBaseURLs(urls ...string) Option {
	return func(c *Client) error {
		if len(urls) == 0 {
			return errors.New("wechat: no base url")
		}
		bases := make([]*url.URL, 0, len(urls))
		for _, s := range urls {
			u, err := url.Parse(s)
			if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
				return errors.New("wechat: invalid base url " + quoteRedacted(s) + ": want http(s)://host[/path]")
			}
			if u.RawQuery != "" || u.User != nil {
				return errors.New("wechat: invalid base url " + quoteRedacted(s) + ": no query or user info allowed")
			}
			bases = append(bases, u)
		}
		c.bases = bases
		c.preferred.Store(0)
		return nil
	}
}

// quoteRedacted quotes a user-supplied URL for an error without any
// credential it might carry.
func quoteRedacted(s string) string {
	if u, err := url.Parse(s); err == nil {
		return `"` + RedactURL(u) + `"`
	}
	return `"` + sensitiveText.ReplaceAllString(s, "${1}"+redacted) + `"`
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
// account, by default with POST cgi-bin/stable_token in normal mode, which
// returns the current token instead of invalidating it.
func WithCredentials(appID, secret string) Option {
	return func(c *Client) error {
		if appID == "" || secret == "" {
			return errors.New("wechat: credentials need both an appid and a secret")
		}
		c.appID, c.secret = appID, secret
		return nil
	}
}

// WithLegacyToken fetches tokens with GET cgi-bin/token instead of
// cgi-bin/stable_token. Each such fetch invalidates the token other processes
// of the account hold (after a 5-minute overlap).
func WithLegacyToken() Option {
	return func(c *Client) error {
		c.legacyToken = true
		return nil
	}
}

// WithStaticToken uses a caller-supplied access token (for example a
// third-party authorizer_access_token). It is never refreshed: token errors
// are returned to the caller.
func WithStaticToken(token string) Option {
	return func(c *Client) error {
		if token == "" {
			return errors.New("wechat: empty access token")
		}
		c.staticToken = token
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
		c.retry = retryPolicy{attempts: maxAttempts, base: baseDelay, max: maxDelay}
		return nil
	}
}

// WithTokenMargin sets how long before its expiry a fetched token is
// replaced. The token is always kept for at least half its lifetime.
func WithTokenMargin(d time.Duration) Option {
	return func(c *Client) error {
		if d < 0 {
			return errors.New("wechat: negative token margin")
		}
		c.tokenMargin = d
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

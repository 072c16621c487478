package wechat

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"time"
)

// tokenCache holds the account's current access token. sem (capacity 1)
// serialises fetches so that concurrent callers share one, while a caller
// whose ctx ends stops waiting.
type tokenCache struct {
	sem    chan struct{}
	value  string
	expiry time.Time
}

func (c *Client) lockTokens(ctx context.Context) error {
	select {
	case c.tokens.sem <- struct{}{}:
		return nil
	case <-ctx.Done():
		return fmt.Errorf("wechat: waiting for an access token: %w", ctx.Err())
	}
}

func (c *Client) unlockTokens() { <-c.tokens.sem }

// accessToken returns a valid token, fetching one if none is cached.
func (c *Client) accessToken(ctx context.Context) (string, error) {
	if c.staticToken != "" {
		return c.staticToken, nil
	}
	if err := c.lockTokens(ctx); err != nil {
		return "", err
	}
	defer c.unlockTokens()
	if c.tokens.value != "" && time.Now().Before(c.tokens.expiry) {
		return c.tokens.value, nil
	}
	return c.fetchToken(ctx)
}

// errSameToken means WeChat handed back the token it had just rejected.
var errSameToken = errors.New("token endpoint returned the rejected token")

// renewToken replaces a token WeChat rejected. If another caller already
// replaced it, that token is used without a fetch. Normal-mode stable_token
// may return the very token that was rejected; force_refresh is not used
// (20 calls a day), so that case is reported as errSameToken.
func (c *Client) renewToken(ctx context.Context, rejected string) (string, error) {
	if err := c.lockTokens(ctx); err != nil {
		return "", err
	}
	defer c.unlockTokens()
	if c.tokens.value != "" && c.tokens.value != rejected && time.Now().Before(c.tokens.expiry) {
		return c.tokens.value, nil
	}
	c.tokens.value = ""
	tok, err := c.fetchToken(ctx)
	if err != nil {
		return "", err
	}
	if tok == rejected {
		return "", errSameToken
	}
	return tok, nil
}

// fetchToken asks WeChat for a token and caches it; the caller holds the
// lock.
func (c *Client) fetchToken(ctx context.Context) (string, error) {
	var tok token
	r := &request{
		method:         http.MethodPost,
		endpoint:       "cgi-bin/stable_token",
		path:           "/cgi-bin/stable_token",
		secretResponse: true,
		parse:          func(b []byte) error { return parseToken(b, &tok, c.scrub) },
	}
	if c.legacyToken {
		r.method, r.endpoint, r.path = http.MethodGet, "cgi-bin/token", "/cgi-bin/token"
		r.query = url.Values{"grant_type": {"client_credential"}, "appid": {c.appID}, "secret": {c.secret}}
	} else {
		body, err := encodeJSON(struct {
			GrantType    string `json:"grant_type"`
			AppID        string `json:"appid"`
			Secret       string `json:"secret"`
			ForceRefresh bool   `json:"force_refresh"`
		}{"client_credential", c.appID, c.secret, false})
		if err != nil {
			return "", fmt.Errorf("wechat: %s: encoding the request: %w", r.endpoint, err)
		}
		r.body = body
	}
	if err := c.do(ctx, r); err != nil {
		return "", err
	}
	c.tokens.value = tok.value
	c.tokens.expiry = time.Now().Add(c.tokenKeep(time.Duration(tok.lifetime) * time.Second))
	return tok.value, nil
}

// tokenKeep is how long a token with the given lifetime is used: the
// lifetime minus the margin, but at least half the lifetime (stable_token
// may report as little as 300 s).
func (c *Client) tokenKeep(lifetime time.Duration) time.Duration {
	keep := lifetime - c.tokenMargin
	if keep < lifetime/2 {
		keep = lifetime / 2
	}
	return keep
}

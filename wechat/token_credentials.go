package wechat

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"time"
)

// requestCore is the seam through which token sources that call WeChat run
// their requests: the Client's single request core, with its retries, base
// URL failover and redaction. *Client implements it.
type requestCore interface {
	do(ctx context.Context, r *request) error
	// redactor is where a source registers secrets it learns (tokens from
	// responses), so that the core scrubs them from every later error.
	redactor() *redactor
}

func (c *Client) redactor() *redactor { return c.scrub }

// credentialsSource fetches the account's own token with its app secret:
// POST cgi-bin/stable_token in normal mode (force_refresh false, which
// returns the current token instead of invalidating it, reference §6.2) or,
// when legacy, GET cgi-bin/token (§6.1), whose every fetch invalidates the
// token other processes hold after a 5-minute overlap.
type credentialsSource struct {
	appID, secret string
	legacy        bool
	core          requestCore
}

func (s *credentialsSource) AppID() string { return s.appID }

func (s *credentialsSource) Token(ctx context.Context) (Token, error) {
	var tok token
	r := &request{
		method:         http.MethodPost,
		endpoint:       "cgi-bin/stable_token",
		path:           "/cgi-bin/stable_token",
		secretResponse: true,
		parse:          func(b []byte) error { return parseToken(b, "access_token", &tok, s.core.redactor()) },
	}
	if s.legacy {
		r.method, r.endpoint, r.path = http.MethodGet, "cgi-bin/token", "/cgi-bin/token"
		r.query = url.Values{"grant_type": {"client_credential"}, "appid": {s.appID}, "secret": {s.secret}}
	} else {
		body, err := encodeJSON(struct {
			GrantType    string `json:"grant_type"`
			AppID        string `json:"appid"`
			Secret       string `json:"secret"`
			ForceRefresh bool   `json:"force_refresh"`
		}{"client_credential", s.appID, s.secret, false})
		if err != nil {
			return Token{}, fmt.Errorf("wechat: %s: encoding the request: %w", r.endpoint, err)
		}
		r.body = body
	}
	began := time.Now()
	if err := s.core.do(ctx, r); err != nil {
		return Token{}, err
	}
	return tok.at(began), nil
}

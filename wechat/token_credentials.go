package wechat

import (
	"context"
	"net/url"
	"time"
)

// credentialsSource fetches the account's own token with its app secret:
// POST cgi-bin/stable_token in normal mode (force_refresh false, which
// returns the current token instead of invalidating it, reference §6.2) or,
// when legacy, GET cgi-bin/token (§6.1), whose every fetch invalidates the
// token other processes hold after a 5-minute overlap. Its requests run
// through the client's request core (retries, failover, redaction), which
// is also told the tokens it learns.
type credentialsSource struct {
	appID, secret string
	legacy        bool
	core          *Client
}

func (s *credentialsSource) Token(ctx context.Context) (Token, error) {
	r := &request{
		endpoint: "cgi-bin/stable_token",
		payload: struct {
			GrantType    string `json:"grant_type"`
			AppID        string `json:"appid"`
			Secret       string `json:"secret"`
			ForceRefresh bool   `json:"force_refresh"`
		}{"client_credential", s.appID, s.secret, false},
	}
	if s.legacy {
		r.endpoint, r.payload = "cgi-bin/token", nil
		r.query = url.Values{"grant_type": {"client_credential"}, "appid": {s.appID}, "secret": {s.secret}}
	}
	return s.core.fetchToken(ctx, r, "access_token")
}

// fetchToken runs r, a request to a token endpoint, whose response is never
// quoted, and returns the token its field holds.
func (c *Client) fetchToken(ctx context.Context, r *request, field string) (Token, error) {
	var tok Token
	began := time.Now()
	r.secretResponse = true
	r.parse = func(b []byte) error { return parseToken(b, field, began, &tok, c.scrub) }
	err := c.do(ctx, r) // tok is set only by a success
	return tok, err
}

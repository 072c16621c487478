package wechattest

import (
	"crypto/subtle"
	"net/http"
	"time"

	"github.com/wxmenu/wxmenu/wechat"
)

// credentialsLocked validates the app credentials of a token call and
// spends the endpoint's quota: 40125 for a wrong secret, 41002/41004 for a
// missing appid/secret (the choices are in docs/sandbox.md). The account's
// IP whitelist applies here as on every call (40164).
func (e *Emulator) credentialsLocked(c *call, endpoint, grantType, appID, secret string) (*acct, *apiError) {
	a := e.accounts[appID]
	switch {
	case grantType != "client_credential":
		return nil, errAnswer(wechat.CodeInvalidGrantType)
	case appID == "":
		return nil, errAnswer(wechat.CodeAppIDMissing)
	case a == nil:
		return nil, errAnswer(wechat.CodeInvalidAppID)
	case secret == "":
		return nil, errAnswer(wechat.CodeAppSecretMissing)
	case a.secret == "" || subtle.ConstantTimeCompare([]byte(secret), []byte(a.secret)) != 1:
		return nil, errAnswer(wechat.CodeInvalidAppSecret)
	}
	if err := a.checkCallerIPLocked(c); err != nil {
		return nil, err
	}
	a.changingLocked() // the call may change the account
	a.pruneTokensLocked()
	if err := a.spendQuotaLocked(endpoint); err != nil {
		return nil, err
	}
	return a, nil
}

// serveToken is GET /cgi-bin/token?grant_type=client_credential&appid=&secret=
// (reference §6.1): every fetch issues a new token; the previous one stays
// valid for the overlap, then is "not latest".
func (e *Emulator) serveToken(c *call) any {
	q := c.query
	a, err := e.credentialsLocked(c, "cgi-bin/token", q.Get("grant_type"), q.Get("appid"), q.Get("secret"))
	if err != nil {
		return err
	}
	if prev := a.Tokens[a.LatestToken]; prev != nil {
		if until := e.now().Add(e.cfg.TokenOverlap); prev.InvalidAt.IsZero() || until.Before(prev.InvalidAt) {
			prev.InvalidAt = until
		}
	}
	token := a.newTokenLocked(kindToken, e.cfg.TokenLifetime)
	a.LatestToken = tokenHash(token)
	return wireToken{AccessToken: token, ExpiresIn: int(e.cfg.TokenLifetime / time.Second)}
}

// serveStableToken is POST /cgi-bin/stable_token with a JSON body
// (reference §6.2). Normal mode hands out the current token until 5 minutes
// before it expires, then a new one (the old one simply runs out);
// force_refresh invalidates the current token at once. After a restart only
// the current token's hash is known, so normal mode issues a fresh token.
func (e *Emulator) serveStableToken(c *call) any {
	if c.method != http.MethodPost {
		return errAnswer(wechat.CodePostRequired)
	}
	var req struct {
		GrantType    string `json:"grant_type"`
		AppID        string `json:"appid"`
		Secret       string `json:"secret"`
		ForceRefresh bool   `json:"force_refresh"`
	}
	if err := decodeBody(c.body, &req); err != nil {
		return err
	}
	a, err := e.credentialsLocked(c, "cgi-bin/stable_token", req.GrantType, req.AppID, req.Secret)
	if err != nil {
		return err
	}
	now := e.now()
	cur := a.Tokens[a.StableHash]
	if !req.ForceRefresh && cur != nil && a.stablePlain != "" && cur.InvalidAt.IsZero() {
		if remaining := cur.ExpiresAt.Sub(now); remaining > stableRotateBefore {
			return wireToken{AccessToken: a.stablePlain, ExpiresIn: int(remaining / time.Second)}
		}
	}
	if req.ForceRefresh && cur != nil {
		cur.InvalidAt = now
	}
	token := a.newTokenLocked(kindStable, e.cfg.TokenLifetime)
	a.StableHash, a.stablePlain = tokenHash(token), token
	return wireToken{AccessToken: token, ExpiresIn: int(e.cfg.TokenLifetime / time.Second)}
}

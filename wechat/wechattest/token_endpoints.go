package wechattest

import (
	"crypto/subtle"
	"net/http"
	"time"
)

// checkCredentialsLocked validates the app credentials of a token call.
// A wrong secret answers 40125 "invalid appsecret", what WeChat answers
// today; its global code table also documents 40001 for a bad AppSecret
// (reference §5), the older answer. Missing appid/secret answer 41002/41004
// from WeChat's global code table (not in the reference).
func (e *Emulator) checkCredentialsLocked(grantType, appID, secret string) *apiError {
	switch {
	case grantType != "client_credential":
		return errInvalidGrantType
	case appID == "":
		return errAppIDMissing
	case appID != e.cfg.AppID:
		return errInvalidAppID
	case secret == "":
		return errSecretMissing
	case subtle.ConstantTimeCompare([]byte(secret), []byte(e.cfg.Secret)) != 1:
		return errInvalidAppSecret
	}
	return nil
}

// serveToken is GET /cgi-bin/token?grant_type=client_credential&appid=&secret=
// (reference §6.1).
func (e *Emulator) serveToken(c *call) any {
	q := c.query
	if err := e.checkCredentialsLocked(q.Get("grant_type"), q.Get("appid"), q.Get("secret")); err != nil {
		return err
	}
	if err := e.spendQuotaLocked("cgi-bin/token"); err != nil {
		return err
	}
	token, lifetime := e.issueCgiTokenLocked()
	return wireToken{AccessToken: token, ExpiresIn: int(lifetime / time.Second)}
}

// serveStableToken is POST /cgi-bin/stable_token with a JSON body
// (reference §6.2).
func (e *Emulator) serveStableToken(c *call) any {
	if c.method != http.MethodPost {
		return errRequirePOST
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
	if err := e.checkCredentialsLocked(req.GrantType, req.AppID, req.Secret); err != nil {
		return err
	}
	if err := e.spendQuotaLocked("cgi-bin/stable_token"); err != nil {
		return err
	}
	token, remaining := e.issueStableTokenLocked(req.ForceRefresh)
	return wireToken{AccessToken: token, ExpiresIn: int(remaining / time.Second)}
}

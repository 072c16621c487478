package wechattest

import (
	"crypto/subtle"
	"net/http"
	"time"

	"github.com/wxmenu/wxmenu/wechat"
)

// checkCredentialsLocked validates the app credentials of a token call.
// A wrong secret answers 40125 "invalid appsecret", what WeChat answers
// today; its global code table also documents 40001 for a bad AppSecret
// (reference §5), the older answer. Missing appid/secret answer 41002/41004
// from WeChat's global code table (not in the reference).
//
// The account's IP whitelist applies here as on every call (40164).
func (e *Emulator) checkCredentialsLocked(c *call, grantType, appID, secret string) (*acct, *apiError) {
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
	a.saved = nil // the call may change the account
	a.pruneTokensLocked()
	return a, nil
}

// serveToken is GET /cgi-bin/token?grant_type=client_credential&appid=&secret=
// (reference §6.1).
func (e *Emulator) serveToken(c *call) any {
	q := c.query
	a, err := e.checkCredentialsLocked(c, q.Get("grant_type"), q.Get("appid"), q.Get("secret"))
	if err != nil {
		return err
	}
	if err := a.spendQuotaLocked("cgi-bin/token"); err != nil {
		return err
	}
	token, lifetime := a.issueCgiTokenLocked()
	return wireToken{AccessToken: token, ExpiresIn: int(lifetime / time.Second)}
}

// serveStableToken is POST /cgi-bin/stable_token with a JSON body
// (reference §6.2).
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
	a, err := e.checkCredentialsLocked(c, req.GrantType, req.AppID, req.Secret)
	if err != nil {
		return err
	}
	if err := a.spendQuotaLocked("cgi-bin/stable_token"); err != nil {
		return err
	}
	token, remaining := a.issueStableTokenLocked(req.ForceRefresh)
	return wireToken{AccessToken: token, ExpiresIn: int(remaining / time.Second)}
}

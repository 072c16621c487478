package wechattest

import (
	"cmp"
	"crypto/subtle"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"time"

	"github.com/wxmenu/wxmenu/wechat"
)

// PlatformConfig sets up a third-party platform (开放平台 · 第三方平台).
// Every account of the emulator is one of its authorizers, with permission
// set 15 (menu management) granted.
type PlatformConfig struct {
	ComponentAppID, ComponentSecret string
	// IPWhitelist, when not empty, lists the caller IPs (or CIDR prefixes)
	// the platform accepts; others get 61004 on every component call and
	// every call made with an authorizer token.
	IPWhitelist []string
	// PermissionSets are the permission sets (funcscope_category ids)
	// every authorization grants; nil → [15], menu management only. Add 2
	// (user management) to call the tag API with authorizer tokens.
	PermissionSets []int
}

// errNoPlatform refuses the platform's methods on an emulator without one.
var errNoPlatform = errors.New("the emulator has no platform")

// Permission sets an authorization grants by default: 15 is menu
// management (research §1.8).
const permissionMenu = 15

const (
	ticketInterval          = 10 * time.Minute   // WeChat pushes a verify ticket this often (research §1.2)
	ticketLifetime          = 12 * time.Hour     // and each stays valid this long
	componentTokenLifetime  = 7200 * time.Second // research §1.3
	authorizerTokenLifetime = 7200 * time.Second // research §1.5
	authCodeLifetime        = 10 * time.Minute   // UNCONFIRMED (the push names an expiry, not its length)
	maxAuthorizerListCount  = 500                // research §1.6
	kindAuthorizer          = "authorizer"
	kindComponent           = "component"
)

// platformState is the platform's side: verify tickets and component tokens.
type platformState struct {
	cfg PlatformConfig
	platformFile
	fault int // 61004, 61005 or 61006 forced on the component calls; 0 none
}

// platformFile is what API calls change on the platform and the state file
// keeps of it.
type platformFile struct {
	Tickets []ticketRecord          `json:"verify_tickets"` // oldest first
	Tokens  map[string]*tokenRecord `json:"component_tokens"`
	current string                  // the newest ticket itself; memory only
}

func (p platformFile) clone() platformFile {
	p.Tickets, p.Tokens = slices.Clone(p.Tickets), cloneTokens(p.Tokens)
	return p
}

// ticketRecord is a verify ticket known by its hash.
type ticketRecord struct {
	Hash     string    `json:"sha256"`
	IssuedAt time.Time `json:"issued_at"`
}

func newPlatformState(cfg PlatformConfig) *platformState {
	cfg.IPWhitelist = slices.Clone(cfg.IPWhitelist)
	if cfg.PermissionSets == nil {
		cfg.PermissionSets = []int{permissionMenu}
	}
	cfg.PermissionSets = slices.Clone(cfg.PermissionSets)
	return &platformState{cfg: cfg}
}

func (p *platformState) resetLocked(e *Emulator) {
	p.platformFile = platformFile{Tokens: map[string]*tokenRecord{}}
	p.fault = 0
	p.ticketLocked(e.now())
}

// ticketLocked returns the current verify ticket, issuing a new one when
// the push interval has passed, as WeChat pushes one every 10 minutes.
// Older tickets stay valid for their lifetime (research §1.2). Tickets
// expired twice over are forgotten and answer 61006 like unknown ones.
func (p *platformState) ticketLocked(now time.Time) string {
	n := len(p.Tickets)
	if p.current == "" || n == 0 || !now.Before(p.Tickets[n-1].IssuedAt.Add(ticketInterval)) {
		p.current = "ticket@@@" + newToken()[3:]
		p.Tickets = append(p.Tickets, ticketRecord{Hash: tokenHash(p.current), IssuedAt: now})
	}
	p.Tickets = slices.DeleteFunc(p.Tickets, func(t ticketRecord) bool {
		return now.Sub(t.IssuedAt) > 2*ticketLifetime
	})
	return p.current
}

// checkTicketLocked judges a component_verify_ticket: 61005 once expired,
// 61006 when unknown.
func (p *platformState) checkTicketLocked(ticket string, now time.Time) *apiError {
	p.ticketLocked(now)
	h := tokenHash(ticket)
	for _, t := range p.Tickets {
		if t.Hash == h {
			if now.Before(t.IssuedAt.Add(ticketLifetime)) {
				return nil
			}
			return errAnswer(wechat.CodeVerifyTicketExpired)
		}
	}
	return errAnswer(wechat.CodeVerifyTicketInvalid)
}

// authorization is one account's authorization of the platform.
type authorization struct {
	Authorized bool      `json:"authorized"`
	AuthTime   time.Time `json:"auth_time"`
	FuncInfo   []int     `json:"func_info"`       // granted permission sets
	Fault      int       `json:"fault,omitempty"` // 61023 forced on api_authorizer_token
	refresh    string    // the refresh token itself; memory only, so new after a restart
}

func newRefreshToken() string { return "refreshtoken@@@" + newToken()[3:] }

func newAuthorization(now time.Time, sets []int) *authorization {
	return &authorization{
		Authorized: true, AuthTime: now, FuncInfo: slices.Clone(sets),
		refresh: newRefreshToken(),
	}
}

// grantsLocked checks that the authorization covers an API group: set 15
// for the menu API, 1, 3 or 15 for get_current_selfmenu_info (research
// §1.8). The tag API belongs to set 2 (user management), UNCONFIRMED.
func (au *authorization) grantsLocked(group string) *apiError {
	want := []int{permissionMenu}
	switch group {
	case groupSelfMenu:
		want = []int{1, 3, permissionMenu}
	case groupTags:
		want = []int{2}
	}
	for _, id := range want {
		if slices.Contains(au.FuncInfo, id) {
			return nil
		}
	}
	return errAnswer(wechat.CodePermissionSetNotGranted)
}

// Ticket returns the platform's current component_verify_ticket (what
// WeChat last pushed), or "" without a platform.
func (e *Emulator) Ticket() string { return e.ticket(false) }

// RotateTicket pushes a new verify ticket now and returns it; the previous
// ones stay valid for their lifetime.
func (e *Emulator) RotateTicket() string { return e.ticket(true) }

func (e *Emulator) ticket(push bool) string {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.platform == nil {
		return ""
	}
	if push {
		e.platform.current = ""
	}
	t := e.platform.ticketLocked(e.now())
	e.persistAccountLocked(nil)
	return t
}

// SetPlatformFault makes every component call answer code: 61004 (caller IP
// not whitelisted on the platform; also on calls with authorizer tokens),
// 61005 (verify ticket expired) or 61006 (verify ticket invalid) on
// api_component_token. 0 clears it.
func (e *Emulator) SetPlatformFault(code int) error {
	if !slices.Contains([]int{0, 61004, 61005, 61006}, code) {
		return fmt.Errorf("platform fault %d: want 61004, 61005, 61006 or 0", code)
	}
	return e.withPlatform(func(p *platformState) error { p.fault = code; return nil })
}

// withPlatform runs f on the platform under the lock: errNoPlatform
// without one.
func (e *Emulator) withPlatform(f func(*platformState) error) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.platform == nil {
		return errNoPlatform
	}
	return f(e.platform)
}

// SetPlatformFault makes the account fail on the platform path: 61003 (the
// account revoked the authorization: it leaves the authorizer list and its
// authorizer tokens stop working), 61007 (permission set 15 withdrawn:
// menu calls with an authorizer token answer 61007 and func_info lacks 15)
// or 61023 (api_authorizer_token refuses every refresh token). 0 restores
// the authorization with the configured permission sets, keeping the
// refresh token.
func (ac *Account) SetPlatformFault(code int) error {
	return ac.e.withPlatform(func(p *platformState) error {
		au := ac.a.Auth
		switch code {
		case 0:
			au.Authorized, au.FuncInfo, au.Fault = true, slices.Clone(p.cfg.PermissionSets), 0
		case 61003:
			au.Authorized = false
		case 61007:
			au.FuncInfo = slices.DeleteFunc(au.FuncInfo, func(id int) bool { return id == permissionMenu })
		case 61023:
			au.Fault = 61023
		default:
			return fmt.Errorf("account fault %d: want 61003, 61007, 61023 or 0", code)
		}
		ac.e.persistAccountLocked(ac.a)
		return nil
	})
}

// Reauthorize is the merchant scanning the authorization page again: a new
// refresh token, the old one answers 61023 (research §1.4).
func (ac *Account) Reauthorize() {
	ac.change(func(a *acct) {
		a.Auth.refresh, a.Auth.Authorized, a.Auth.AuthTime = newRefreshToken(), true, ac.e.now()
	})
}

// RefreshToken returns the account's authorizer_refresh_token, as
// api_get_authorizer_list reports it.
func (ac *Account) RefreshToken() string {
	return read(ac, func(a *acct) string { return a.Auth.refresh })
}

// Wire shapes of the component API (research §1.1-§1.7).
type wireFuncInfo struct {
	FuncscopeCategory wireIDField `json:"funcscope_category"`
}

type wireIDField struct {
	ID int `json:"id"`
}

type wireAuthorizerInfo struct {
	AuthorizerInfo struct {
		NickName        string      `json:"nick_name"`
		UserName        string      `json:"user_name"`
		ServiceTypeInfo wireIDField `json:"service_type_info"`
		VerifyTypeInfo  wireIDField `json:"verify_type_info"`
	} `json:"authorizer_info"`
	AuthorizationInfo wireAuthorization `json:"authorization_info"`
}

// wireAuthorization is authorization_info as api_get_authorizer_info and,
// with an access token, api_query_auth write it.
type wireAuthorization struct {
	AuthorizerAppID        string         `json:"authorizer_appid"`
	AuthorizerAccessToken  string         `json:"authorizer_access_token,omitempty"`
	ExpiresIn              int            `json:"expires_in,omitempty"`
	AuthorizerRefreshToken string         `json:"authorizer_refresh_token"`
	FuncInfo               []wireFuncInfo `json:"func_info"`
}

func (a *acct) wireAuthorizationLocked() wireAuthorization {
	out := wireAuthorization{AuthorizerAppID: a.appID, AuthorizerRefreshToken: a.Auth.refresh, FuncInfo: []wireFuncInfo{}}
	for _, id := range a.Auth.FuncInfo {
		out.FuncInfo = append(out.FuncInfo, wireFuncInfo{wireIDField{id}})
	}
	return out
}

// componentCallLocked runs the checks every component call shares, in this
// order (a choice; WeChat documents none): POST (43002), the platform
// exists and the caller IP is on its whitelist (61004, research §1.3: all
// third-party token calls check it), the body decodes into req,
// component_appid names the platform (61011).
func (e *Emulator) componentCallLocked(c *call, req any) (*platformState, *apiError) {
	if c.method != http.MethodPost {
		return nil, errAnswer(wechat.CodePostRequired)
	}
	p := e.platform
	if p == nil {
		return nil, errAnswer(wechat.CodeInvalidComponent)
	}
	if p.fault == 61004 || !ipAllowed(p.cfg.IPWhitelist, c.remoteIP) {
		return nil, errPlatformIPNotRegistered(c.remoteIP)
	}
	var named struct {
		ComponentAppID string `json:"component_appid"`
	}
	if err := decodeBody(c.body, &named); err != nil {
		return nil, err
	}
	if err := decodeBody(c.body, req); err != nil {
		return nil, err
	}
	if named.ComponentAppID != p.cfg.ComponentAppID {
		return nil, errAnswer(wechat.CodeInvalidComponent)
	}
	return p, nil
}

// authorizedComponentCallLocked is componentCallLocked for the calls that
// also need a valid component_access_token (all but api_component_token).
// The old docs name its query parameter component_access_token, the new
// ones access_token (research §1.1, §1.6); both are accepted.
func (e *Emulator) authorizedComponentCallLocked(c *call, req any) *apiError {
	p, err := e.componentCallLocked(c, req)
	if err != nil {
		return err
	}
	token := cmp.Or(c.query.Get("component_access_token"), c.query.Get("access_token"))
	if token == "" {
		return errAnswer(wechat.CodeAccessTokenMissing)
	}
	pruneTokens(p.Tokens, e.now())
	return tokenAnswer(p.Tokens[tokenHash(token)], e.now())
}

// serveComponentToken is POST component/api_component_token (research
// §1.3): a new component token per call, earlier ones valid until expiry.
func (e *Emulator) serveComponentToken(c *call) any {
	var req struct {
		Secret string `json:"component_appsecret"`
		Ticket string `json:"component_verify_ticket"`
	}
	p, err := e.componentCallLocked(c, &req)
	if err != nil {
		return err
	}
	now := e.now()
	switch {
	case req.Secret == "":
		return errAnswer(wechat.CodeAppSecretMissing)
	case subtle.ConstantTimeCompare([]byte(req.Secret), []byte(p.cfg.ComponentSecret)) != 1:
		return errAnswer(wechat.CodeInvalidAppSecret)
	case p.fault == 61005:
		return errAnswer(wechat.CodeVerifyTicketExpired)
	case p.fault == 61006:
		return errAnswer(wechat.CodeVerifyTicketInvalid)
	}
	if err := p.checkTicketLocked(req.Ticket, now); err != nil {
		return err
	}
	token := newToken()
	p.Tokens[tokenHash(token)] = &tokenRecord{Kind: kindComponent, ExpiresAt: now.Add(componentTokenLifetime)}
	return wireToken{ComponentAccessToken: token, ExpiresIn: int(componentTokenLifetime / time.Second)}
}

// authorizerLocked finds an authorizer: 61003 when the account is unknown
// or has revoked the authorization.
func (e *Emulator) authorizerLocked(appID string) (*acct, *apiError) {
	a := e.accounts[appID]
	if a == nil || !a.Auth.Authorized {
		return nil, errAnswer(wechat.CodePlatformNotAuthorized)
	}
	a.changingLocked() // the call may change the account
	return a, nil
}

// serveAuthorizerToken is POST component/api_authorizer_token (research
// §1.5): a new access token per call, earlier ones valid until expiry, the
// refresh token back unchanged; a wrong one answers 61023.
func (e *Emulator) serveAuthorizerToken(c *call) any {
	var req struct {
		AuthorizerAppID string `json:"authorizer_appid"`
		RefreshToken    string `json:"authorizer_refresh_token"`
	}
	if err := e.authorizedComponentCallLocked(c, &req); err != nil {
		return err
	}
	a, err := e.authorizerLocked(req.AuthorizerAppID)
	if err != nil {
		return err
	}
	if a.Auth.Fault == 61023 || subtle.ConstantTimeCompare([]byte(req.RefreshToken), []byte(a.Auth.refresh)) != 1 {
		return errAnswer(wechat.CodeRefreshTokenInvalid)
	}
	token := a.newTokenLocked(kindAuthorizer, authorizerTokenLifetime)
	return wireToken{
		AuthorizerAccessToken:  token,
		ExpiresIn:              int(authorizerTokenLifetime / time.Second),
		AuthorizerRefreshToken: a.Auth.refresh,
	}
}

// serveAuthorizerList is POST component/api_get_authorizer_list (research
// §1.6): the authorized accounts in configuration order; a count outside
// 1-500 answers 40035 (the limit is documented, the answer past it is not).
func (e *Emulator) serveAuthorizerList(c *call) any {
	var req struct {
		Offset int `json:"offset"`
		Count  int `json:"count"`
	}
	if err := e.authorizedComponentCallLocked(c, &req); err != nil {
		return err
	}
	if req.Offset < 0 || req.Count < 1 || req.Count > maxAuthorizerListCount {
		return errAnswer(wechat.CodeInvalidParameter)
	}
	type item struct {
		AuthorizerAppID string `json:"authorizer_appid"`
		RefreshToken    string `json:"refresh_token"`
		AuthTime        int64  `json:"auth_time"`
	}
	out := struct {
		TotalCount int    `json:"total_count"`
		List       []item `json:"list"`
	}{List: []item{}}
	for _, id := range e.order {
		a := e.accounts[id]
		if !a.Auth.Authorized {
			continue
		}
		if out.TotalCount >= req.Offset && len(out.List) < req.Count {
			out.List = append(out.List, item{
				AuthorizerAppID: id, RefreshToken: a.Auth.refresh, AuthTime: a.Auth.AuthTime.Unix(),
			})
		}
		out.TotalCount++
	}
	return out
}

// serveAuthorizerInfo is POST component/api_get_authorizer_info (research
// §1.7). service_type_info is 2 for a service account, 0 for a subscription
// account; verify_type_info 0 for verified (WeChat verification), -1 for
// unverified.
func (e *Emulator) serveAuthorizerInfo(c *call) any {
	var req struct {
		AuthorizerAppID string `json:"authorizer_appid"`
	}
	if err := e.authorizedComponentCallLocked(c, &req); err != nil {
		return err
	}
	a, err := e.authorizerLocked(req.AuthorizerAppID)
	if err != nil {
		return err
	}
	var out wireAuthorizerInfo
	out.AuthorizerInfo.NickName = "sandbox " + a.appID
	out.AuthorizerInfo.UserName = "gh_" + fmt.Sprintf("%x", tokenHash(a.appID))[:12]
	out.AuthorizerInfo.ServiceTypeInfo.ID = 2
	if a.settings.Kind == KindSubscription {
		out.AuthorizerInfo.ServiceTypeInfo.ID = 0
	}
	if a.settings.Unverified {
		out.AuthorizerInfo.VerifyTypeInfo.ID = -1
	}
	out.AuthorizationInfo = a.wireAuthorizationLocked()
	return out
}

// serveQueryAuth is POST component/api_query_auth (research §1.4). Codes
// (issued by the tests' Account.AuthorizationCode) work once and expire
// after 10 minutes; a bad code answers 40029 (UNCONFIRMED).
func (e *Emulator) serveQueryAuth(c *call) any {
	var req struct {
		Code string `json:"authorization_code"`
	}
	if err := e.authorizedComponentCallLocked(c, &req); err != nil {
		return err
	}
	now := e.now()
	h := tokenHash(req.Code)
	for _, id := range e.order {
		a := e.accounts[id]
		expires, ok := a.AuthCodes[h]
		if !ok {
			continue
		}
		a.changingLocked()
		delete(a.AuthCodes, h)
		if !now.Before(expires) || !a.Auth.Authorized {
			break
		}
		info := a.wireAuthorizationLocked()
		info.AuthorizerAccessToken = a.newTokenLocked(kindAuthorizer, authorizerTokenLifetime)
		info.ExpiresIn = int(authorizerTokenLifetime / time.Second)
		return struct {
			AuthorizationInfo wireAuthorization `json:"authorization_info"`
		}{info}
	}
	return errAnswer(wechat.CodeInvalidAuthCode)
}

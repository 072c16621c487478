package wechat

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"slices"
	"sync"
	"time"
)

// PermissionSetMenu is the third-party platform permission set "menu
// management" (菜单管理), which the menu endpoints require of an
// authorizer_access_token (platform research §1.8).
const PermissionSetMenu = 15

// maxAuthorizerPage is the largest page api_get_authorizer_list serves
// (platform research §1.6).
const maxAuthorizerPage = 500

// platformSecretsKept bounds how many refresh and access tokens a Platform
// redacts by value: one fleet's worth of accounts, several tokens each.
const platformSecretsKept = 8192

// PlatformConfig names a WeChat third-party platform (开放平台 · 第三方平台).
type PlatformConfig struct {
	ComponentAppID  string
	ComponentSecret string
	// VerifyTicket is the latest component_verify_ticket WeChat pushed to
	// the platform's authorization-event URL (valid 12 h). A command-line
	// tool cannot receive the push, so it is given.
	VerifyTicket string
}

// Platform obtains tokens as a third-party platform: the
// component_access_token from the platform's secret and verify ticket (POST
// cgi-bin/component/api_component_token, cached for its ~2 h lifetime and
// shared by every account of the platform), and per authorizer account an
// authorizer_access_token from its refresh token (api_authorizer_token).
// Its requests go through the same request core as a Client's (retries,
// base URL failover, redaction); the component secret, the verify ticket
// and every token it sees are redacted from its errors and log lines. It is
// safe for concurrent use.
type Platform struct {
	appID, secret, ticket string
	core                  *Client
	component             TokenSource // the component token, cached

	refresh sync.Map // authorizer appid → newest refresh token
}

// NewPlatform returns a platform client. opts are the Client options that
// shape requests (WithBaseURLs, WithHTTPClient, WithRetry, WithLogger);
// token options are refused.
func NewPlatform(cfg PlatformConfig, opts ...Option) (*Platform, error) {
	switch {
	case cfg.ComponentAppID == "":
		return nil, errors.New("wechat: platform: no component appid")
	case cfg.ComponentSecret == "":
		return nil, errors.New("wechat: platform: no component secret")
	case cfg.VerifyTicket == "":
		return nil, errors.New("wechat: platform: no component verify ticket")
	}
	core, err := newCore(opts...)
	if err != nil {
		return nil, err
	}
	if len(core.sources) > 0 || core.legacy {
		return nil, errors.New("wechat: platform: token options do not apply to a platform")
	}
	core.scrub.limit = platformSecretsKept
	core.scrub.addPermanent(cfg.ComponentSecret)
	core.scrub.addPermanent(cfg.VerifyTicket)
	p := &Platform{
		appID: cfg.ComponentAppID, secret: cfg.ComponentSecret, ticket: cfg.VerifyTicket,
		core: core,
	}
	p.component = ReuseTokenSource(componentTokenSource{p}, core.tokenMargin)
	return p, nil
}

// componentTokenSource fetches the component_access_token: POST
// cgi-bin/component/api_component_token {component_appid,
// component_appsecret, component_verify_ticket} → {component_access_token,
// expires_in} (platform research §1.3).
type componentTokenSource struct{ p *Platform }

func (s componentTokenSource) Token(ctx context.Context) (Token, error) {
	return s.p.core.fetchToken(ctx, &request{
		endpoint: "component/api_component_token",
		payload: struct {
			AppID  string `json:"component_appid"`
			Secret string `json:"component_appsecret"`
			Ticket string `json:"component_verify_ticket"`
		}{s.p.appID, s.p.secret, s.p.ticket},
	}, "component_access_token")
}

// post runs a component endpoint with the component token. The token goes
// in the component_access_token query parameter, the name every SDK uses;
// newer documentation calls it access_token, and whether both are still
// accepted is UNCONFIRMED (platform research §7). Every component response
// may carry tokens, so none is ever quoted in an error.
func (p *Platform) post(ctx context.Context, name string, payload any, parse func([]byte) error) error {
	return p.core.callWith(ctx, p.component, &request{
		endpoint: "component/" + name, payload: payload,
		tokenParam: "component_access_token", secretResponse: true, parse: parse,
	})
}

// Authorizer is one account that authorized the platform, as
// api_get_authorizer_list lists it.
type Authorizer struct {
	AppID string
	// RefreshToken may be empty: WeChat lists accounts whose authorization
	// was never exchanged for tokens without one (platform research §1.6).
	RefreshToken string
	AuthTime     time.Time
}

// AuthorizerList reads every authorizer of the platform: POST
// cgi-bin/component/api_get_authorizer_list {component_appid, offset,
// count ≤ 500} → {total_count, list[{authorizer_appid, refresh_token,
// auth_time}]}, page by page. Refresh tokens it finds are remembered for
// AuthorizerTokenSource sources that were given none.
func (p *Platform) AuthorizerList(ctx context.Context) ([]Authorizer, error) {
	var all []Authorizer
	for offset := 0; ; {
		var page struct {
			TotalCount int `json:"total_count"`
			List       []struct {
				AppID        string `json:"authorizer_appid"`
				RefreshToken string `json:"refresh_token"`
				AuthTime     int64  `json:"auth_time"`
			} `json:"list"`
		}
		err := p.post(ctx, "api_get_authorizer_list", struct {
			AppID  string `json:"component_appid"`
			Offset int    `json:"offset"`
			Count  int    `json:"count"`
		}{p.appID, offset, maxAuthorizerPage}, func(b []byte) error {
			if err := json.Unmarshal(b, &page); err != nil {
				return errors.New("authorizer list is not the expected JSON")
			}
			for _, a := range page.List {
				p.core.scrub.add(a.RefreshToken)
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
		for _, a := range page.List {
			if a.AppID == "" {
				return nil, errors.New("wechat: component/api_get_authorizer_list: an entry has no authorizer_appid")
			}
			all = append(all, Authorizer{AppID: a.AppID, RefreshToken: a.RefreshToken, AuthTime: time.Unix(a.AuthTime, 0).UTC()})
			if a.RefreshToken != "" {
				p.refresh.LoadOrStore(a.AppID, a.RefreshToken)
			}
		}
		offset += len(page.List)
		if len(page.List) == 0 || offset >= page.TotalCount {
			break
		}
	}
	return all, nil
}

// AuthorizerInfo is what the platform may do for one authorizer account.
type AuthorizerInfo struct {
	AppID string
	// PermissionSets are the ids of the permission sets the account granted
	// the platform (func_info[].funcscope_category.id), in WeChat's order.
	PermissionSets []int
}

// HasPermissionSet reports whether the account granted permission set id
// (PermissionSetMenu for the menu API).
func (i *AuthorizerInfo) HasPermissionSet(id int) bool { return slices.Contains(i.PermissionSets, id) }

// AuthorizerInfo reads an authorizer's grant: POST
// cgi-bin/component/api_get_authorizer_info {component_appid,
// authorizer_appid} → {authorizer_info{…}, authorization_info{
// authorizer_appid, authorizer_refresh_token, func_info[{funcscope_category
// {id}}]}} (platform research §1.7). Check HasPermissionSet(PermissionSetMenu)
// before planning: without it the menu calls fail with 61007 or 48001.
func (p *Platform) AuthorizerInfo(ctx context.Context, authorizerAppID string) (*AuthorizerInfo, error) {
	if authorizerAppID == "" {
		return nil, errors.New("wechat: component/api_get_authorizer_info: empty authorizer appid")
	}
	var raw struct {
		AuthorizationInfo *struct {
			AppID        string `json:"authorizer_appid"`
			RefreshToken string `json:"authorizer_refresh_token"`
			FuncInfo     []struct {
				Category struct {
					ID int `json:"id"`
				} `json:"funcscope_category"`
			} `json:"func_info"`
		} `json:"authorization_info"`
	}
	err := p.post(ctx, "api_get_authorizer_info", struct {
		AppID           string `json:"component_appid"`
		AuthorizerAppID string `json:"authorizer_appid"`
	}{p.appID, authorizerAppID}, func(b []byte) error {
		if err := json.Unmarshal(b, &raw); err != nil {
			return errors.New("authorizer info is not the expected JSON")
		}
		if raw.AuthorizationInfo == nil {
			return errors.New(`no "authorization_info"`)
		}
		p.core.scrub.add(raw.AuthorizationInfo.RefreshToken)
		return nil
	})
	if err != nil {
		return nil, err
	}
	info := &AuthorizerInfo{AppID: cmp.Or(raw.AuthorizationInfo.AppID, authorizerAppID)}
	for _, f := range raw.AuthorizationInfo.FuncInfo {
		info.PermissionSets = append(info.PermissionSets, f.Category.ID)
	}
	if rt := raw.AuthorizationInfo.RefreshToken; rt != "" {
		p.refresh.Store(authorizerAppID, rt)
	}
	return info, nil
}

func (p *Platform) refreshToken(appID string) string {
	rt, _ := p.refresh.Load(appID)
	s, _ := rt.(string)
	return s
}

// listedRefreshToken re-reads an authorizer's refresh token from the
// authorizer list, WeChat's own answer to 61023 (platform research §1.6).
func (p *Platform) listedRefreshToken(ctx context.Context, appID string) (string, error) {
	list, err := p.AuthorizerList(ctx)
	if err != nil {
		return "", err
	}
	for _, a := range list {
		if a.AppID == appID {
			return a.RefreshToken, nil
		}
	}
	return "", nil
}

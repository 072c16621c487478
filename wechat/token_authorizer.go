package wechat

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"
)

// AuthorizerTokenSource returns the token source of one account that
// authorized the platform: POST
// cgi-bin/component/api_authorizer_token?component_access_token=…
// {component_appid, authorizer_appid, authorizer_refresh_token} →
// {authorizer_access_token, expires_in, authorizer_refresh_token}
// (reference §6.3, platform research §1.5). The newest refresh token WeChat
// returns is kept for the next exchange. refreshToken may be empty: it is
// then read from the authorizer list. When WeChat rejects the refresh token
// (61023), it is re-read from the authorizer list once; if the list has no
// other, the error is reported (the merchant must authorize again).
//
// Give it to a Client with WithTokenSource, which caches its tokens.
func (p *Platform) AuthorizerTokenSource(authorizerAppID, refreshToken string) TokenSource {
	if refreshToken != "" {
		p.core.scrub.add(refreshToken)
		p.refresh.Store(authorizerAppID, refreshToken)
	}
	return &authorizerSource{p: p, appID: authorizerAppID}
}

type authorizerSource struct {
	p     *Platform
	appID string
}

func (s *authorizerSource) Token(ctx context.Context) (Token, error) {
	if s.appID == "" {
		return Token{}, errors.New("wechat: component/api_authorizer_token: empty authorizer appid")
	}
	rt := s.p.refreshToken(s.appID)
	if rt == "" {
		listed, err := s.p.listedRefreshToken(ctx, s.appID)
		if err != nil {
			return Token{}, err
		}
		if listed == "" {
			return Token{}, fmt.Errorf("wechat: authorizer %s: no refresh token: the authorizer list has none for it (the merchant must authorize the platform)", s.appID)
		}
		rt = listed // AuthorizerList has stored it
	}
	tok, err := s.exchange(ctx, rt)
	if !IsCode(err, CodeRefreshTokenInvalid) {
		return tok, err
	}
	listed, lerr := s.p.listedRefreshToken(ctx, s.appID)
	if lerr != nil {
		return Token{}, fmt.Errorf("%w (re-reading the refresh token from the authorizer list failed: %w)", err, lerr)
	}
	if listed == "" || listed == rt {
		return Token{}, err
	}
	s.p.refresh.Store(s.appID, listed)
	return s.exchange(ctx, listed)
}

// exchange trades a refresh token for an authorizer access token.
func (s *authorizerSource) exchange(ctx context.Context, refreshToken string) (Token, error) {
	var tok Token
	var newRefresh string
	began := time.Now()
	err := s.p.post(ctx, "api_authorizer_token", struct {
		AppID           string `json:"component_appid"`
		AuthorizerAppID string `json:"authorizer_appid"`
		RefreshToken    string `json:"authorizer_refresh_token"`
	}{s.p.appID, s.appID, refreshToken}, func(b []byte) error {
		var raw struct {
			RefreshToken string `json:"authorizer_refresh_token"`
		}
		if json.Unmarshal(b, &raw) == nil {
			s.p.core.scrub.add(raw.RefreshToken)
			newRefresh = raw.RefreshToken
		}
		return parseToken(b, "authorizer_access_token", began, &tok, s.p.core.scrub)
	})
	if err != nil {
		return Token{}, err
	}
	if newRefresh != "" && newRefresh != refreshToken {
		s.p.refresh.Store(s.appID, newRefresh)
	}
	return tok, nil
}

package wechat

import (
	"context"
	"errors"
)

// StaticTokenSource returns a source that always gives accessToken, for
// example a third-party authorizer_access_token obtained elsewhere. It
// cannot renew: when WeChat rejects the token, the Client reports the
// rejection instead of retrying.
func StaticTokenSource(accessToken string) TokenSource { return staticTokenSource(accessToken) }

type staticTokenSource string

func (s staticTokenSource) Token(context.Context) (Token, error) {
	if s == "" {
		return Token{}, errors.New("wechat: empty access token")
	}
	return Token{AccessToken: string(s)}, nil
}

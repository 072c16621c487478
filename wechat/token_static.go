package wechat

import "context"

// StaticTokenSource returns a source that always gives accessToken, for
// example a third-party authorizer_access_token obtained elsewhere. It
// cannot renew: when WeChat rejects the token, the Client reports the
// rejection instead of retrying. An empty token is refused by the cache
// every Client puts in front of its source (ReuseTokenSource).
func StaticTokenSource(accessToken string) TokenSource { return staticTokenSource(accessToken) }

type staticTokenSource string

func (s staticTokenSource) Token(context.Context) (Token, error) {
	return Token{AccessToken: string(s)}, nil
}

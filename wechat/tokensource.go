package wechat

import (
	"context"
	"fmt"
	"time"
)

// Token is an access token and the time it stops being valid.
type Token struct {
	AccessToken string
	// Expiry is when the token expires; the zero time means the source does
	// not know (a static token, a token printed by a command), and the token
	// is used until WeChat rejects it.
	Expiry time.Time
}

// TokenSource says where access tokens come from: fetched with the app
// secret, printed by a command, exchanged through a third-party platform, or
// given as is. A source fetches a token each time Token is called; caching,
// renewal and sharing one fetch between concurrent callers are done once, by
// ReuseTokenSource, which the Client wraps around every source it is given.
type TokenSource interface {
	Token(ctx context.Context) (Token, error)
}

// TokenRejecter is implemented by token sources that want to hear that
// WeChat rejected one of their tokens (errcode 40001, 40014 or 42001). The
// Client calls RejectToken and then Token once more; if that yields a
// different token the call is sent again with it, once.
type TokenRejecter interface {
	RejectToken(accessToken string)
}

// ReuseTokenSource returns a source that caches src's token and fetches a
// new one only when the cached one is within margin of its expiry (but
// keeps a token for at least half its lifetime), or after RejectToken.
// Concurrent callers share one fetch; a caller whose ctx ends stops waiting.
// Rejections are passed on to src when it is a TokenRejecter. If src is
// already such a cache it is returned as is.
func ReuseTokenSource(src TokenSource, margin time.Duration) TokenSource {
	if r, ok := src.(*reuseTokenSource); ok {
		return r
	}
	return &reuseTokenSource{src: src, margin: margin, sem: make(chan struct{}, 1)}
}

// reuseTokenSource is the token cache. sem (capacity 1) serialises fetches
// and guards the fields below it.
type reuseTokenSource struct {
	src    TokenSource
	margin time.Duration

	sem     chan struct{}
	current Token
	renewAt time.Time // zero: keep until rejected
}

func (r *reuseTokenSource) lock(ctx context.Context) error {
	select {
	case r.sem <- struct{}{}:
		return nil
	case <-ctx.Done():
		return fmt.Errorf("wechat: waiting for an access token: %w", ctx.Err())
	}
}

func (r *reuseTokenSource) unlock() { <-r.sem }

// Token returns the cached token while it is fresh, else a new one from src.
func (r *reuseTokenSource) Token(ctx context.Context) (Token, error) {
	if err := r.lock(ctx); err != nil {
		return Token{}, err
	}
	defer r.unlock()
	now := time.Now()
	if r.current.AccessToken != "" && (r.renewAt.IsZero() || now.Before(r.renewAt)) {
		return r.current, nil
	}
	tok, err := r.src.Token(ctx)
	if err != nil {
		return Token{}, err
	}
	if tok.AccessToken == "" {
		return Token{}, fmt.Errorf("wechat: token source returned an empty access token")
	}
	r.current = tok
	r.renewAt = time.Time{}
	if !tok.Expiry.IsZero() {
		r.renewAt = now.Add(keepFor(tok.Expiry.Sub(now), r.margin))
	}
	return tok, nil
}

// RejectToken drops accessToken if it is still the cached token (another
// caller may have replaced it already) and tells src.
func (r *reuseTokenSource) RejectToken(accessToken string) {
	r.sem <- struct{}{}
	if r.current.AccessToken == accessToken {
		r.current, r.renewAt = Token{}, time.Time{}
	}
	<-r.sem
	if rej, ok := r.src.(TokenRejecter); ok {
		rej.RejectToken(accessToken)
	}
}

// keepFor is how long a token with the given lifetime is used: the lifetime
// minus the margin, but at least half the lifetime (stable_token may report
// as little as 300 s).
func keepFor(lifetime, margin time.Duration) time.Duration {
	return max(lifetime-margin, lifetime/2)
}

package wechattest

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"time"
)

// Kinds of access token. cgi-bin/token and cgi-bin/stable_token tokens are
// completely isolated from each other (reference §6.2); issued tokens come
// from IssueToken and are never rotated by either endpoint.
const (
	kindToken  = "token"
	kindStable = "stable"
	kindIssued = "issued"
)

// stableRotateBefore is how long before expiry stable_token stops handing out
// the current token and issues a new one, so expires_in is always ≥300 s
// (reference §6.2).
const stableRotateBefore = 5 * time.Minute

// expiredTokenMemory is how long an expired token still answers 42001 before
// it is forgotten and answers 40001 like any unknown token.
const expiredTokenMemory = 24 * time.Hour

// tokenRecord is what the emulator remembers about a token. The token itself
// is never stored, only its hash, so the state file holds no credential and a
// restarted sandbox still accepts the tokens it handed out.
type tokenRecord struct {
	Kind      string    `json:"kind"`
	ExpiresAt time.Time `json:"expires_at"`
	InvalidAt time.Time `json:"invalid_at,omitzero"` // "not latest" from this instant on (40001)
}

func tokenHash(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// tokenAlphabet is the character set of real access tokens. Its 64
// characters let one random byte pick one without bias (byte & 63).
const tokenAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-"

// tokenTailLength is the length of a token after its prefix.
const tokenTailLength = 150

// newTokenLocked makes a token that looks like WeChat's: a two-digit
// generation prefix, an underscore and a long random tail (real tokens are
// 130-160 characters; the docs say to reserve 512). Tokens are credentials,
// so they come from crypto/rand, not from the seeded generator: emulators
// with the same seed must not hand out the same tokens, and the generator
// state saved in the state file must not be able to reproduce them.
func (e *Emulator) newTokenLocked(kind string, lifetime time.Duration) string {
	random := make([]byte, tokenTailLength+1)
	_, _ = rand.Read(random) // never fails; it crashes the program instead
	tail := make([]byte, tokenTailLength)
	for i, b := range random[:tokenTailLength] {
		tail[i] = tokenAlphabet[b&63]
	}
	// The prefix is decoration; the slight modulo bias does not matter.
	token := fmt.Sprintf("%d_%s", 80+int(random[tokenTailLength]%10), tail)
	e.tokens[tokenHash(token)] = &tokenRecord{Kind: kind, ExpiresAt: e.now().Add(lifetime)}
	return token
}

// IssueToken returns a valid access token without a token call. It expires
// like any token but is not rotated by cgi-bin/token or stable_token.
func (e *Emulator) IssueToken() string {
	e.mu.Lock()
	defer e.mu.Unlock()
	t := e.newTokenLocked(kindIssued, e.cfg.TokenLifetime)
	e.persistLocked()
	return t
}

// ExpireTokens makes every issued token expired (42001).
func (e *Emulator) ExpireTokens() {
	e.mu.Lock()
	defer e.mu.Unlock()
	now := e.now()
	for _, rec := range e.tokens {
		if rec.ExpiresAt.After(now) {
			rec.ExpiresAt = now
		}
	}
	e.persistLocked()
}

// issueCgiTokenLocked serves cgi-bin/token: every fetch issues a new token;
// the previous one stays valid for the overlap, then is "not latest"
// (reference §6.1).
func (e *Emulator) issueCgiTokenLocked() (string, time.Duration) {
	now := e.now()
	if prev := e.tokens[e.latestToken]; prev != nil {
		if until := now.Add(e.cfg.TokenOverlap); prev.InvalidAt.IsZero() || until.Before(prev.InvalidAt) {
			prev.InvalidAt = until
		}
	}
	token := e.newTokenLocked(kindToken, e.cfg.TokenLifetime)
	e.latestToken = tokenHash(token)
	return token, e.cfg.TokenLifetime
}

// issueStableTokenLocked serves cgi-bin/stable_token (reference §6.2). Normal
// mode hands out the current token until 5 minutes before it expires, then a
// new one (the old one simply runs out). force_refresh invalidates the
// current token at once. The 20-per-day and 30-second limits of
// force_refresh are not emulated.
//
// After a restart the emulator knows only the hash of the current token, so
// normal mode issues a fresh token then; the old one stays valid until it
// expires.
func (e *Emulator) issueStableTokenLocked(forceRefresh bool) (string, time.Duration) {
	now := e.now()
	cur := e.tokens[e.stableHash]
	if !forceRefresh && cur != nil && e.stablePlain != "" && cur.InvalidAt.IsZero() {
		if remaining := cur.ExpiresAt.Sub(now); remaining > stableRotateBefore {
			return e.stablePlain, remaining
		}
	}
	if forceRefresh && cur != nil {
		cur.InvalidAt = now
	}
	token := e.newTokenLocked(kindStable, e.cfg.TokenLifetime)
	e.stableHash, e.stablePlain = tokenHash(token), token
	return token, e.cfg.TokenLifetime
}

// checkTokenLocked validates the access_token of a menu call.
func (e *Emulator) checkTokenLocked(token string) *apiError {
	if token == "" {
		return errTokenMissing
	}
	rec := e.tokens[tokenHash(token)]
	now := e.now()
	switch {
	case rec == nil:
		return errInvalidCredential
	case !rec.InvalidAt.IsZero() && !now.Before(rec.InvalidAt):
		return errInvalidCredential
	case !now.Before(rec.ExpiresAt):
		return errTokenExpired
	}
	return nil
}

// pruneTokensLocked forgets tokens that can no longer answer anything but
// 40001, so a long-running sandbox does not grow without bound.
func (e *Emulator) pruneTokensLocked() {
	now := e.now()
	for h, rec := range e.tokens {
		invalid := !rec.InvalidAt.IsZero() && !now.Before(rec.InvalidAt)
		forgotten := now.Sub(rec.ExpiresAt) > expiredTokenMemory
		if invalid || forgotten {
			delete(e.tokens, h)
			if h == e.stableHash {
				e.stableHash, e.stablePlain = "", ""
			}
		}
	}
}

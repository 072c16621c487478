package wechattest

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"maps"
	"time"

	"github.com/wxmenu/wxmenu/wechat"
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
func (a *acct) newTokenLocked(kind string, lifetime time.Duration) string {
	token := newToken()
	h := tokenHash(token)
	a.Tokens[h] = &tokenRecord{Kind: kind, ExpiresAt: a.emu.now().Add(lifetime)}
	a.emu.ownTokenLocked(h, a)
	return token
}

// newToken draws a fresh token from crypto/rand.
func newToken() string {
	random := make([]byte, tokenTailLength+1)
	_, _ = rand.Read(random) // never fails; it crashes the program instead
	tail := make([]byte, tokenTailLength)
	for i, b := range random[:tokenTailLength] {
		tail[i] = tokenAlphabet[b&63]
	}
	// The prefix is decoration; the slight modulo bias does not matter.
	return fmt.Sprintf("%d_%s", 80+int(random[tokenTailLength]%10), tail)
}

// ExpireTokens makes every issued token expired (42001): the access and
// authorizer tokens of every account and the platform's component tokens.
func (e *Emulator) ExpireTokens() {
	e.mu.Lock()
	defer e.mu.Unlock()
	now := e.now()
	expire := func(tokens map[string]*tokenRecord) {
		for _, rec := range tokens {
			if rec.ExpiresAt.After(now) {
				rec.ExpiresAt = now
			}
		}
	}
	for _, id := range e.order {
		expire(e.accounts[id].Tokens)
	}
	if e.platform != nil {
		expire(e.platform.Tokens)
	}
	e.persistLocked()
}

// tokenAnswer judges one token record at now: nil when valid, else the
// answer WeChat gives for it.
func tokenAnswer(rec *tokenRecord, now time.Time) *apiError {
	switch {
	case rec == nil || rec.dead(now):
		return errAnswer(wechat.CodeInvalidCredential)
	case !now.Before(rec.ExpiresAt):
		return errAnswer(wechat.CodeAccessTokenExpired)
	}
	return nil
}

// dead reports a token that can answer nothing but 40001 any more: no
// longer the latest, or expired so long ago that it is forgotten.
func (rec *tokenRecord) dead(now time.Time) bool {
	return (!rec.InvalidAt.IsZero() && !now.Before(rec.InvalidAt)) || now.Sub(rec.ExpiresAt) > expiredTokenMemory
}

// pruneTokens forgets the dead tokens, so a long-running sandbox does not
// grow without bound.
func pruneTokens(tokens map[string]*tokenRecord, now time.Time) {
	maps.DeleteFunc(tokens, func(_ string, rec *tokenRecord) bool { return rec.dead(now) })
}

// accountOfTokenLocked finds the account an access token (its own or an
// authorizer token) belongs to and judges it: 41001 when missing, 40001
// when unknown or no longer latest, 42001 when expired. A token identifies
// its account, so no token can reach another account's data.
func (e *Emulator) accountOfTokenLocked(token string) (*acct, *tokenRecord, *apiError) {
	if token == "" {
		return nil, nil, errAnswer(wechat.CodeAccessTokenMissing)
	}
	h := tokenHash(token)
	a := e.owners[h]
	if a == nil || a.Tokens[h] == nil {
		a = nil
		for _, id := range e.order {
			if e.accounts[id].Tokens[h] != nil {
				a = e.accounts[id]
				e.ownTokenLocked(h, a)
				break
			}
		}
	}
	if a == nil {
		return nil, nil, errAnswer(wechat.CodeInvalidCredential)
	}
	rec := a.Tokens[h]
	a.changingLocked() // the call may change the account
	a.pruneTokensLocked()
	if err := tokenAnswer(rec, e.now()); err != nil {
		return nil, nil, err
	}
	return a, rec, nil
}

// ownTokenLocked notes that account a holds the token of hash h.
func (e *Emulator) ownTokenLocked(h string, a *acct) {
	if e.owners == nil {
		e.owners = map[string]*acct{}
	}
	e.owners[h] = a
}

// pruneTokensLocked is pruneTokens for the account, which also forgets a
// dead stable_token.
func (a *acct) pruneTokensLocked() {
	now := a.emu.now()
	for h, rec := range a.Tokens {
		if rec.dead(now) {
			delete(a.Tokens, h)
			delete(a.emu.owners, h)
		}
	}
	if a.Tokens[a.StableHash] == nil {
		a.StableHash, a.stablePlain = "", ""
	}
}

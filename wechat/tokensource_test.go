package wechat_test

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/wxmenu/wxmenu/wechat"
	"github.com/wxmenu/wxmenu/wechat/wechattest"
)

// emulatorTokens is a token source written the way a new kind of source is:
// one type with a Token method, nothing else. It hands out tokens the
// emulator issued, so the emulator accepts them.
type emulatorTokens struct {
	emu      *wechattest.Emulator
	lifetime time.Duration // 0: no known expiry
	fetches  atomic.Int32
	mu       sync.Mutex
	rejected []string
}

func (s *emulatorTokens) Token(context.Context) (wechat.Token, error) {
	s.fetches.Add(1)
	tok := wechat.Token{AccessToken: s.emu.IssueToken()}
	if s.lifetime != 0 {
		tok.Expiry = time.Now().Add(s.lifetime)
	}
	return tok, nil
}

// rejectingTokens also wants to hear about rejections.
type rejectingTokens struct{ *emulatorTokens }

func (s rejectingTokens) RejectToken(tok string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.rejected = append(s.rejected, tok)
}

func tokenSourceClient(t *testing.T, base string, src wechat.TokenSource, opts ...wechat.Option) *wechat.Client {
	t.Helper()
	c, err := wechat.New(append([]wechat.Option{wechat.WithBaseURLs(base), wechat.WithTokenSource(src), fastRetry}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// TestTokenSourceIsCachedAndRenewed: a source given WithTokenSource gets the
// client's caching, single flight and renewal on rejection without any code
// of its own.
func TestTokenSourceIsCachedAndRenewed(t *testing.T) {
	emu, base := startEmulator(t)
	src := &emulatorTokens{emu: emu, lifetime: 2 * time.Hour}
	c := tokenSourceClient(t, base, src)
	ctx := t.Context()
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			if _, err := c.GetMenu(ctx); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if n := src.fetches.Load(); n != 1 {
		t.Errorf("%d fetches for 8 concurrent calls, want 1", n)
	}
	emu.ExpireTokens()
	if err := c.CreateMenu(ctx, defaultButtons); err != nil {
		t.Fatalf("CreateMenu after the token expired: %v", err)
	}
	if n := src.fetches.Load(); n != 2 {
		t.Errorf("%d fetches after one rejection, want 2", n)
	}
	want := map[string]int{"menu/get": 8, "menu/create": 2}
	if diff := cmp.Diff(want, emu.Calls()); diff != "" {
		t.Errorf("calls (-want +got):\n%s", diff)
	}
}

// TestTokenSourceExpiry: a token past its expiry (less the margin) is
// replaced before it is used; one without an expiry is kept.
func TestTokenSourceExpiry(t *testing.T) {
	emu, base := startEmulator(t)
	expired := &emulatorTokens{emu: emu, lifetime: time.Nanosecond}
	c := tokenSourceClient(t, base, expired, wechat.WithTokenMargin(0))
	for range 3 {
		if _, err := c.GetMenu(t.Context()); err != nil {
			t.Fatal(err)
		}
	}
	if n := expired.fetches.Load(); n != 3 {
		t.Errorf("%d fetches of an always-expired token for 3 calls, want 3", n)
	}
	forever := &emulatorTokens{emu: emu}
	c = tokenSourceClient(t, base, forever)
	for range 3 {
		if _, err := c.GetMenu(t.Context()); err != nil {
			t.Fatal(err)
		}
	}
	if n := forever.fetches.Load(); n != 1 {
		t.Errorf("%d fetches of a token without expiry for 3 calls, want 1", n)
	}
}

// TestTokenRejectionReachesTheSource: a TokenRejecter hears which token
// WeChat rejected.
func TestTokenRejectionReachesTheSource(t *testing.T) {
	emu, base := startEmulator(t)
	src := rejectingTokens{&emulatorTokens{emu: emu}}
	c := tokenSourceClient(t, base, src)
	if _, err := c.GetMenu(t.Context()); err != nil {
		t.Fatal(err)
	}
	emu.ExpireTokens()
	if _, err := c.GetMenu(t.Context()); err != nil {
		t.Fatal(err)
	}
	if len(src.rejected) != 1 || src.fetches.Load() != 2 {
		t.Errorf("rejected %d tokens, fetched %d; want 1 rejection and 2 fetches", len(src.rejected), src.fetches.Load())
	}
}

// TestStaticTokenSourceReportsRejection: a static token cannot be renewed,
// so a rejection is reported after one call.
func TestStaticTokenSourceReportsRejection(t *testing.T) {
	emu, base := startEmulator(t)
	c := tokenSourceClient(t, base, wechat.StaticTokenSource(emu.IssueToken()))
	emu.ExpireTokens()
	_, err := c.GetMenu(t.Context())
	if !wechat.IsCode(err, wechat.CodeAccessTokenExpired) {
		t.Fatalf("err = %v, want errcode 42001", err)
	}
	if n := emu.Calls()["menu/get"]; n != 1 {
		t.Errorf("menu/get called %d times, want 1", n)
	}
}

func TestReuseTokenSourceWrapsOnce(t *testing.T) {
	inner := wechat.ReuseTokenSource(wechat.StaticTokenSource("static-token-value"), time.Minute)
	if outer := wechat.ReuseTokenSource(inner, time.Minute); outer != inner {
		t.Error("ReuseTokenSource wrapped a cache in another cache")
	}
}

// failingSource fails until told otherwise.
type failingSource struct{ err error }

func (s failingSource) Token(context.Context) (wechat.Token, error) { return wechat.Token{}, s.err }

func TestTokenSourceErrorsReachTheCaller(t *testing.T) {
	emu, base := startEmulator(t)
	boom := errors.New("token service unavailable")
	c := tokenSourceClient(t, base, failingSource{boom})
	if _, err := c.GetMenu(t.Context()); !errors.Is(err, boom) {
		t.Fatalf("err = %v, want the source's error", err)
	}
	if n := emu.Calls()["menu/get"]; n != 0 {
		t.Errorf("menu/get called %d times without a token", n)
	}
	empty := tokenSourceClient(t, base, failingSource{nil})
	if _, err := empty.GetMenu(t.Context()); err == nil {
		t.Fatal("an empty token from a source was used")
	}
}

package wechat_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/wxmenu/wxmenu/wechat"
)

// redirectOutcome is what a call through a redirecting API host led to.
type redirectOutcome struct {
	APIRequests    int  // requests that reached the redirecting host
	TargetContacts int  // requests that reached the redirect target
	Status         int  // StatusCode of the UnexpectedResponseError, 0 if none
	OutcomeUnknown bool // errors.Is(err, wechat.ErrOutcomeUnknown)
}

// TestRedirectsAreNeverFollowed: an API host answering a redirect does not
// get the request resent elsewhere: not the stable_token body with the
// secret, not the legacy token query, not a mutation, and not through a
// caller's own http.Client. The 3xx is an unexpected response, tried once,
// and a refused mutation is not "outcome unknown".
func TestRedirectsAreNeverFollowed(t *testing.T) {
	const secret = "redirect-test-app-secret"
	const token = "redirect-test-access-token"
	tests := []struct {
		name   string
		status int
		opts   []wechat.Option
		call   func(context.Context, *wechat.Client) error
	}{
		{
			name:   "stable_token body",
			status: http.StatusTemporaryRedirect,
			opts:   []wechat.Option{wechat.WithCredentials("wxredirect", secret)},
			call:   func(ctx context.Context, c *wechat.Client) error { _, err := c.GetMenu(ctx); return err },
		},
		{
			name:   "legacy token query",
			status: http.StatusFound,
			opts:   []wechat.Option{wechat.WithCredentials("wxredirect", secret), wechat.WithLegacyToken()},
			call:   func(ctx context.Context, c *wechat.Client) error { _, err := c.GetMenu(ctx); return err },
		},
		{
			name:   "mutation",
			status: http.StatusPermanentRedirect,
			opts:   []wechat.Option{wechat.WithStaticToken(token)},
			call:   func(ctx context.Context, c *wechat.Client) error { return c.CreateMenu(ctx, defaultButtons) },
		},
		{
			name:   "mutation by GET",
			status: http.StatusMovedPermanently,
			opts:   []wechat.Option{wechat.WithStaticToken(token)},
			call:   func(ctx context.Context, c *wechat.Client) error { return c.DeleteMenu(ctx) },
		},
		{
			name:   "caller's http client",
			status: http.StatusTemporaryRedirect,
			opts:   []wechat.Option{wechat.WithStaticToken(token), wechat.WithHTTPClient(&http.Client{})},
			call:   func(ctx context.Context, c *wechat.Client) error { return c.CreateMenu(ctx, defaultButtons) },
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var mu sync.Mutex
			var referers []string // where the leak would show: ?access_token=...
			target := newFakeServer(t, func(w http.ResponseWriter, r *http.Request) {
				mu.Lock()
				referers = append(referers, r.Referer())
				mu.Unlock()
				canned(http.StatusOK, wechatJSON, []byte(`{"errcode":0,"errmsg":"ok"}`))(w, r)
			})
			api := newFakeServer(t, func(w http.ResponseWriter, r *http.Request) {
				http.Redirect(w, r, target.URL+r.URL.RequestURI(), tt.status)
			})
			opts := append([]wechat.Option{wechat.WithBaseURLs(api.URL), fastRetry}, tt.opts...)
			c, err := wechat.New(opts...)
			if err != nil {
				t.Fatal(err)
			}

			err = tt.call(t.Context(), c)

			got := redirectOutcome{
				APIRequests:    len(api.requests()),
				TargetContacts: len(target.requests()),
				OutcomeUnknown: errors.Is(err, wechat.ErrOutcomeUnknown),
			}
			var unexpected *wechat.UnexpectedResponseError
			if errors.As(err, &unexpected) {
				got.Status = unexpected.StatusCode
			}
			want := redirectOutcome{APIRequests: 1, Status: tt.status}
			if diff := cmp.Diff(want, got); diff != "" {
				mu.Lock()
				defer mu.Unlock()
				t.Errorf("(-want +got):\n%s\nerror: %v\nreferers seen by the target: %q", diff, err, referers)
			}
			if err == nil || !strings.Contains(err.Error(), "redirect to http://") {
				t.Errorf("error %v does not report the redirect", err)
			}
			for _, s := range []string{secret, token} {
				if err != nil && strings.Contains(err.Error(), s) {
					t.Errorf("error leaks a credential: %v", err)
				}
			}
		})
	}
}

// TestWithHTTPClientLeavesCallersClientAlone: the no-redirect policy is set
// on a copy; the caller's client keeps its own.
func TestWithHTTPClientLeavesCallersClientAlone(t *testing.T) {
	hc := &http.Client{}
	if _, err := wechat.New(wechat.WithStaticToken("t"), wechat.WithHTTPClient(hc)); err != nil {
		t.Fatal(err)
	}
	if hc.CheckRedirect != nil {
		t.Errorf("WithHTTPClient changed the caller's CheckRedirect")
	}
}

package wechat_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/wxmenu/wxmenu/wechat"
	"github.com/wxmenu/wxmenu/wechat/wechattest"
)

// flaky answers the first n requests to path with errcode -1 and passes the
// rest to next.
func flaky(path string, n int32, next http.Handler) http.Handler {
	var seen atomic.Int32
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == path && seen.Add(1) <= n {
			canned(http.StatusOK, wechatJSON, []byte(`{"errcode":-1,"errmsg":"system error"}`))(w, r)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// clientFor is a credentialed client for an emulator served by handler.
func clientFor(t *testing.T, handler http.Handler, opts ...wechat.Option) *wechat.Client {
	t.Helper()
	srv := httptest.NewServer(handler)
	t.Cleanup(srv.Close)
	all := append([]wechat.Option{
		wechat.WithBaseURLs(srv.URL),
		wechat.WithCredentials(wechattest.DefaultAppID, wechattest.DefaultSecret),
		fastRetry,
	}, opts...)
	c, err := wechat.New(all...)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// TestBusyIsRetried: errcode -1 is retried for reads and for mutations that
// are safe to resend (menu/create replaces the default menu), and the call
// then succeeds.
func TestBusyIsRetried(t *testing.T) {
	emu := wechattest.New(wechattest.Config{Seed: 1})
	h := flaky("/cgi-bin/menu/get", 2, flaky("/cgi-bin/menu/create", 2, emu))
	c := clientFor(t, h)
	ctx := t.Context()
	if _, err := c.GetMenu(ctx); err != nil {
		t.Fatalf("GetMenu after two busy answers: %v", err)
	}
	if err := c.CreateMenu(ctx, defaultButtons); err != nil {
		t.Fatalf("CreateMenu after two busy answers: %v", err)
	}
	if emu.Menus().Default == nil {
		t.Error("no default menu after CreateMenu succeeded")
	}
}

// TestBusyAddConditionalIsNotResent: -1 on addconditional is reported as
// ErrOutcomeUnknown after one attempt, since resending could leave a
// duplicate menu at the top priority if WeChat had in fact created it.
func TestBusyAddConditionalIsNotResent(t *testing.T) {
	c, emu := setup(t)
	ctx := t.Context()
	if err := c.CreateMenu(ctx, defaultButtons); err != nil {
		t.Fatal(err)
	}
	emu.SetFaults(wechattest.Faults{BusyRate: 1, Endpoints: []string{"menu/addconditional"}})
	_, err := c.AddConditional(ctx, vipButtons, vipRule)
	if !errors.Is(err, wechat.ErrOutcomeUnknown) {
		t.Errorf("AddConditional: err = %v, want ErrOutcomeUnknown", err)
	}
	if n := emu.Calls()["menu/addconditional"]; n != 1 {
		t.Errorf("menu/addconditional sent %d times, want 1", n)
	}
}

// TestBusyGivesUpAfterMaxAttempts: with WeChat busy on every call, each
// retried endpoint is tried exactly maxAttempts times and the -1 is returned.
func TestBusyGivesUpAfterMaxAttempts(t *testing.T) {
	c, emu := setup(t)
	ctx := t.Context()
	emu.SetFaults(wechattest.Faults{BusyRate: 1, Endpoints: []string{"menu/get", "menu/create"}})
	_, err := c.GetMenu(ctx)
	if apiErrorCode(err) != -1 {
		t.Errorf("GetMenu: err = %v, want errcode -1", err)
	}
	err = c.CreateMenu(ctx, defaultButtons)
	if apiErrorCode(err) != -1 || errors.Is(err, wechat.ErrOutcomeUnknown) {
		t.Errorf("CreateMenu: err = %v, want errcode -1 with a known outcome", err)
	}
	calls := emu.Calls()
	if calls["menu/get"] != 3 || calls["menu/create"] != 3 {
		t.Errorf("calls = %v, want 3 attempts of each", calls)
	}
}

// TestLostResponseIsNeverResent: a mutation whose response is lost after
// WeChat applied it is sent once and reported as ErrOutcomeUnknown.
func TestLostResponseIsNeverResent(t *testing.T) {
	tests := []struct {
		endpoint string
		call     func(context.Context, *wechat.Client, string) error
		wantCond int // conditional menus after the call
	}{
		{"menu/addconditional", func(ctx context.Context, c *wechat.Client, _ string) error {
			_, err := c.AddConditional(ctx, vipButtons, vipRule)
			return err
		}, 2},
		{"menu/delconditional", func(ctx context.Context, c *wechat.Client, id string) error {
			return c.DelConditional(ctx, id)
		}, 0},
		{"menu/create", func(ctx context.Context, c *wechat.Client, _ string) error {
			return c.CreateMenu(ctx, iosButtons)
		}, 1},
		{"menu/delete", func(ctx context.Context, c *wechat.Client, _ string) error {
			return c.DeleteMenu(ctx)
		}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.endpoint, func(t *testing.T) {
			c, emu := setup(t)
			ctx := t.Context()
			if err := c.CreateMenu(ctx, defaultButtons); err != nil {
				t.Fatal(err)
			}
			id, err := c.AddConditional(ctx, iosButtons, iosRule)
			if err != nil {
				t.Fatal(err)
			}
			before := emu.Calls()[tt.endpoint]
			emu.SetFaults(wechattest.Faults{DropRate: 1, Endpoints: []string{tt.endpoint}})
			err = tt.call(ctx, c, id)
			if !errors.Is(err, wechat.ErrOutcomeUnknown) {
				t.Fatalf("err = %v, want ErrOutcomeUnknown", err)
			}
			if n := emu.Calls()[tt.endpoint] - before; n != 1 {
				t.Errorf("%s sent %d times, want exactly once", tt.endpoint, n)
			}
			if n := len(emu.Menus().Conditional); n != tt.wantCond {
				t.Errorf("%d conditional menus, want %d (the call took effect)", n, tt.wantCond)
			}
		})
	}
}

// TestServerErrorAfterSend: HTTP 502 is retried for reads; for a mutation it
// may have been applied behind the proxy, so it is not resent.
func TestServerErrorAfterSend(t *testing.T) {
	c, emu := setup(t)
	ctx := t.Context()
	if err := c.CreateMenu(ctx, defaultButtons); err != nil {
		t.Fatal(err)
	}
	emu.SetFaults(wechattest.Faults{HTTP502Rate: 1, Endpoints: []string{"menu/get", "menu/addconditional"}})
	set, err := c.GetMenu(ctx)
	var unexpected *wechat.UnexpectedResponseError
	if set != nil || !errors.As(err, &unexpected) || unexpected.StatusCode != http.StatusBadGateway {
		t.Errorf("GetMenu = %v, %v; want no set and an HTTP 502 error", set, err)
	}
	_, err = c.AddConditional(ctx, vipButtons, vipRule)
	if !errors.Is(err, wechat.ErrOutcomeUnknown) || !errors.As(err, &unexpected) {
		t.Errorf("AddConditional: err = %v, want ErrOutcomeUnknown wrapping the 502", err)
	}
	calls := emu.Calls()
	if calls["menu/get"] != 3 || calls["menu/addconditional"] != 1 {
		t.Errorf("calls = %v, want 3 menu/get attempts and 1 addconditional", calls)
	}
}

// TestReadsRetriedAfterLostResponse: a read whose connection dies after
// the request was read is simply retried.
func TestReadsRetriedAfterLostResponse(t *testing.T) {
	srv := newFakeServer(t, hangUp)
	c := staticClient(t, srv.URL)
	_, err := c.GetMenu(t.Context())
	if err == nil || errors.Is(err, wechat.ErrOutcomeUnknown) {
		t.Fatalf("err = %v, want a plain transport error", err)
	}
	if n := len(srv.requests()); n != 3 {
		t.Errorf("%d requests, want 3 attempts", n)
	}
}

// TestTimeoutAfterSend: a mutation that times out after it was sent has an
// unknown outcome.
func TestTimeoutAfterSend(t *testing.T) {
	c, emu := setup(t, wechat.WithHTTPClient(&http.Client{Timeout: 300 * time.Millisecond}))
	ctx := t.Context()
	if err := c.CreateMenu(ctx, defaultButtons); err != nil {
		t.Fatal(err)
	}
	emu.SetFaults(wechattest.Faults{Latency: 5 * time.Second, Endpoints: []string{"menu/addconditional"}})
	_, err := c.AddConditional(ctx, vipButtons, vipRule)
	if !errors.Is(err, wechat.ErrOutcomeUnknown) {
		t.Fatalf("err = %v, want ErrOutcomeUnknown", err)
	}
	if n := emu.Calls()["menu/addconditional"]; n != 1 {
		t.Errorf("addconditional sent %d times, want once", n)
	}
}

// cancelOnLog cancels a context when the client logs its first request,
// which happens after the answer was read and before any backoff.
type cancelOnLog struct{ cancel context.CancelFunc }

func (h cancelOnLog) Enabled(context.Context, slog.Level) bool  { return true }
func (h cancelOnLog) Handle(context.Context, slog.Record) error { h.cancel(); return nil }
func (h cancelOnLog) WithAttrs([]slog.Attr) slog.Handler        { return h }
func (h cancelOnLog) WithGroup(string) slog.Handler             { return h }

func TestContextCancelStopsBackoff(t *testing.T) {
	emu, base := startEmulator(t)
	emu.SetFaults(wechattest.Faults{BusyRate: 1, Endpoints: []string{"menu/get"}})
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	c := staticClient(t, base, wechat.WithStaticToken(emu.IssueToken()),
		wechat.WithRetry(5, time.Hour, time.Hour), wechat.WithLogger(slog.New(cancelOnLog{cancel})))
	_, err := c.GetMenu(ctx)
	if !errors.Is(err, context.Canceled) || apiErrorCode(err) != -1 {
		t.Fatalf("err = %v, want the -1 and the cancellation", err)
	}
	if n := emu.Calls()["menu/get"]; n != 1 {
		t.Errorf("%d menu/get calls, want 1", n)
	}
}

// closedURL is the base URL of a listener that no longer accepts: dialing it
// is refused, so nothing can be sent.
func closedURL(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	return "http://" + addr
}

// logRecords collects the client's debug log.
func logRecords(buf *bytes.Buffer) *slog.Logger {
	return slog.New(slog.NewTextHandler(buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
}

// TestFailover: with the first base URL refusing connections, calls (a
// mutation included: it was provably not sent) go to the second, and later
// calls start there.
func TestFailover(t *testing.T) {
	emu, good := startEmulator(t)
	var log bytes.Buffer
	c, err := wechat.New(
		wechat.WithBaseURLs(closedURL(t), good),
		wechat.WithCredentials(wechattest.DefaultAppID, wechattest.DefaultSecret),
		wechat.WithLogger(logRecords(&log)), fastRetry)
	if err != nil {
		t.Fatal(err)
	}
	ctx := t.Context()
	if err := c.CreateMenu(ctx, defaultButtons); err != nil {
		t.Fatalf("CreateMenu via failover: %v", err)
	}
	if _, err := c.GetMenu(ctx); err != nil {
		t.Fatal(err)
	}
	want := map[string]int{"cgi-bin/stable_token": 1, "menu/create": 1, "menu/get": 1}
	if diff := cmp.Diff(want, emu.Calls()); diff != "" {
		t.Errorf("emulator calls (-want +got):\n%s", diff)
	}
	// Only the very first request met the dead host.
	if n := strings.Count(log.String(), "connection refused"); n != 1 {
		t.Errorf("%d refused connections logged, want 1:\n%s", n, log.String())
	}
	if n := strings.Count(log.String(), "msg=\"wechat request\""); n != 4 {
		t.Errorf("%d requests logged, want 4 (1 refused + token + create + get):\n%s", n, log.String())
	}
}

// TestNoFailoverOnAPIError: an API error is an answer; the next host is not
// asked.
func TestNoFailoverOnAPIError(t *testing.T) {
	quota := newFakeServer(t, canned(http.StatusOK, wechatJSON, []byte(`{"errcode":45009,"errmsg":"reach max api daily quota limit"}`)))
	backup := newFakeServer(t, canned(http.StatusOK, wechatJSON, fixture(t, "menu_get_two_conditional.json")))
	c, err := wechat.New(wechat.WithBaseURLs(quota.URL, backup.URL), wechat.WithStaticToken("t"), fastRetry)
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.GetMenu(t.Context())
	var apiErr *wechat.APIError
	if !errors.As(err, &apiErr) || apiErr.Code != wechat.CodeDailyQuota {
		t.Fatalf("err = %v, want the quota error", err)
	}
	if n := len(backup.requests()); n != 0 {
		t.Errorf("backup host got %d requests, want 0", n)
	}
}

func TestAllHostsDown(t *testing.T) {
	c, err := wechat.New(wechat.WithBaseURLs(closedURL(t), closedURL(t)), wechat.WithStaticToken("t"), fastRetry)
	if err != nil {
		t.Fatal(err)
	}
	err = c.CreateMenu(t.Context(), defaultButtons)
	if err == nil || errors.Is(err, wechat.ErrOutcomeUnknown) {
		t.Fatalf("err = %v, want a connection error with a known outcome (nothing was sent)", err)
	}
	if !strings.Contains(err.Error(), "after 3 attempts") {
		t.Errorf("err = %v, want it to say it was attempted 3 times", err)
	}
}

package wechat_test

import (
	"context"
	"errors"
	"net"
	"net/http"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/wxmenu/wxmenu/wechat"
	"github.com/wxmenu/wxmenu/wechat/wechattest"
)

// silentURL is the base URL of a loopback listener that accepts every
// connection and never answers: a host that is up but hung.
func silentURL(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var conns []net.Conn
	done := make(chan struct{})
	go func() {
		defer close(done)
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			conns = append(conns, c) // held open, never read or written
		}
	}()
	t.Cleanup(func() {
		l.Close()
		<-done
		for _, c := range conns {
			c.Close()
		}
	})
	return "http://" + l.Addr().String()
}

// TestDefaultClientGivesUpOnASilentHost: with the default HTTP client (no
// WithHTTPClient) a host that accepts and never answers fails the call on
// its own (the response-header timeout), with a message naming the host,
// instead of waiting for the caller's deadline. t.Context has none.
func TestDefaultClientGivesUpOnASilentHost(t *testing.T) {
	if testing.Short() {
		t.Skip("waits for the response-header timeout")
	}
	base := silentURL(t)
	c, err := wechat.New(wechat.WithBaseURLs(base), wechat.WithStaticToken("tok-5ecret-xyz"), wechat.WithRetry(1, 0, 0))
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.GetMenu(t.Context())
	if err == nil {
		t.Fatal("GetMenu on a silent host succeeded")
	}
	if want := hostOf(base) + " timed out after"; !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), "waiting for response headers") {
		t.Errorf("error %q does not say %q and what was waited for", err, want)
	}
	if strings.Contains(err.Error(), "5ecret") {
		t.Errorf("error %q shows the token", err)
	}
}

// TestDefaultClientFailsOverFromASilentHost: a read that meets a hung first
// host is answered by the second one.
func TestDefaultClientFailsOverFromASilentHost(t *testing.T) {
	if testing.Short() {
		t.Skip("waits for the response-header timeout")
	}
	_, good := startEmulator(t)
	c, err := wechat.New(wechat.WithBaseURLs(silentURL(t), good),
		wechat.WithCredentials(wechattest.DefaultAppID, wechattest.DefaultSecret), wechat.WithRetry(1, 0, 0))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.GetMenu(t.Context()); err != nil {
		t.Fatalf("GetMenu with a hung first host: %v", err)
	}
}

// TestRefusedHostIsNamed: a closed port fails at once, and the error names
// the host that refused.
func TestRefusedHostIsNamed(t *testing.T) {
	base := closedURL(t)
	c, err := wechat.New(wechat.WithBaseURLs(base), wechat.WithStaticToken("tok-5ecret-xyz"), wechat.WithRetry(1, 0, 0))
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.GetMenu(t.Context())
	if err == nil || !strings.Contains(err.Error(), strings.TrimPrefix(base, "http://")) || !strings.Contains(err.Error(), "refused") {
		t.Errorf("GetMenu on a closed port: %v, want an error naming the host and the refusal", err)
	}
}

// hangGuard bounds a call that should end on its own, so that a regression
// fails the test instead of hanging it. It is far beyond any wait the client
// is configured for: it catches a hang, it measures nothing.
const hangGuard = 60 * time.Second

// hostOf is the host:port of a base URL, as errors name it.
func hostOf(base string) string { return strings.TrimPrefix(base, "http://") }

// TestSilentHostsAreAllNamed: with the default client, a read whose every
// host accepts and never answers ends on its own (the retry budget stops it
// before the hang guard), and the error names each host and what was waited
// for, not only the last one.
func TestSilentHostsAreAllNamed(t *testing.T) {
	if testing.Short() {
		t.Skip("waits for the response-header timeout of two hosts")
	}
	t.Parallel()
	a, b := silentURL(t), silentURL(t)
	c, err := wechat.New(wechat.WithBaseURLs(a, b), wechat.WithStaticToken("tok-5ecret-xyz"))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(t.Context(), hangGuard)
	defer cancel()
	_, err = c.GetMenu(ctx)
	if err == nil {
		t.Fatal("GetMenu on two silent hosts succeeded")
	}
	for _, want := range []*regexp.Regexp{
		regexp.MustCompile(regexp.QuoteMeta(hostOf(a)) + ` timed out after [0-9.]+m?s waiting for response headers`),
		regexp.MustCompile(regexp.QuoteMeta(hostOf(b)) + ` timed out after [0-9.]+m?s waiting for response headers`),
		regexp.MustCompile(`retry budget`),
	} {
		if !want.MatchString(err.Error()) {
			t.Errorf("error does not match %q:\n%v", want, err)
		}
	}
	if ctx.Err() != nil {
		t.Errorf("the hang guard ended the call, not the client: %v", err)
	}
	if strings.Contains(err.Error(), "5ecret") {
		t.Errorf("error %q shows the token", err)
	}
}

// TestCallerDeadlineNamesTheHost: when the caller's deadline (wxmenu's
// --timeout) ends a wait, the error says so in the words of the context's
// cause, names the host and what was awaited, and still is a
// context.DeadlineExceeded for callers that test for one.
func TestCallerDeadlineNamesTheHost(t *testing.T) {
	base := silentURL(t)
	c, err := wechat.New(wechat.WithBaseURLs(base), wechat.WithStaticToken("tok-5ecret-xyz"))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name  string
		cause error
		want  string
	}{
		{"with a cause", errors.New("timed out after 300ms"), "wechat: menu/get: timed out after 300ms waiting for " + hostOf(base) + " (response headers)"},
		{"without a cause", nil, "wechat: menu/get: context deadline exceeded waiting for " + hostOf(base) + " (response headers)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeoutCause(t.Context(), 300*time.Millisecond, tt.cause)
			defer cancel()
			_, err := c.GetMenu(ctx)
			if err == nil {
				t.Fatal("GetMenu on a silent host succeeded")
			}
			if diff := cmp.Diff(tt.want, err.Error()); diff != "" {
				t.Errorf("error (-want +got):\n%s", diff)
			}
			if !errors.Is(err, context.DeadlineExceeded) {
				t.Errorf("error %v is not a context.DeadlineExceeded", err)
			}
		})
	}
}

// TestConnectTimeoutIsNamed: a host whose connection cannot be made in time
// (here a dialer that reports the timeout at once) is named with "a
// connection" as what was waited for, and the next host is tried.
func TestConnectTimeoutIsNamed(t *testing.T) {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.DialContext = func(ctx context.Context, network, addr string) (net.Conn, error) {
		return nil, &net.OpError{Op: "dial", Net: network, Err: os.ErrDeadlineExceeded}
	}
	a, b := closedURL(t), closedURL(t)
	c, err := wechat.New(wechat.WithBaseURLs(a, b), wechat.WithStaticToken("tok-5ecret-xyz"),
		wechat.WithHTTPClient(&http.Client{Transport: tr}), wechat.WithRetry(1, 0, 0))
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.GetMenu(t.Context())
	if err == nil {
		t.Fatal("GetMenu succeeded")
	}
	for _, want := range []string{hostOf(a) + " timed out after", hostOf(b) + " timed out after", "waiting for a connection"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error does not say %q:\n%v", want, err)
		}
	}
}

package wechat_test

import (
	"net"
	"strings"
	"testing"

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
	host := strings.TrimPrefix(base, "http://")
	if !strings.Contains(err.Error(), host) || !strings.Contains(err.Error(), "timeout") {
		t.Errorf("error %q does not name the host %s and the timeout", err, host)
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

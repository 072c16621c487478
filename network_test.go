package main

import (
	"bytes"
	"net"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/wxmenu/wxmenu/wechat/wechattest"
)

// closedAddr is a loopback address nothing listens on: dialing it is
// refused at once.
func closedAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	return addr
}

// TestUnreachableHostIsNamed: when no base URL can be reached, plan fails
// with a message that names the host it could not reach.
func TestUnreachableHostIsNamed(t *testing.T) {
	addr := closedAddr(t)
	t.Setenv("XDG_STATE_HOME", t.TempDir())
	code, _, stderr := runCLI(t, "plan", "-f", "examples/basic/menus.yaml", "--appid", wechattest.DefaultAppID,
		"--secret", wechattest.DefaultSecret, "--api-base", "http://"+addr)
	if code != 1 || !strings.Contains(stderr, addr) || !strings.Contains(stderr, "refused") {
		t.Errorf("exit %d, want 1 and an error naming %s:\n%s", code, addr, stderr)
	}
	if strings.Contains(stderr, wechattest.DefaultSecret) {
		t.Error("the error shows the secret")
	}
}

// TestFailoverToTheSecondHost: with the first base URL refusing, plan is
// answered by the second.
func TestFailoverToTheSecondHost(t *testing.T) {
	srv := httptest.NewServer(wechattest.New(wechattest.Config{Seed: 1}))
	t.Cleanup(srv.Close)
	t.Setenv("XDG_STATE_HOME", t.TempDir())
	code, stdout, stderr := runCLI(t, "plan", "-f", "examples/basic/menus.yaml", "--appid", wechattest.DefaultAppID,
		"--secret", wechattest.DefaultSecret, "--api-base", "http://"+closedAddr(t)+","+srv.URL)
	if code != 0 || !strings.Contains(stdout, "wxmenu plan for account") {
		t.Errorf("exit %d, want a plan from the second host:\n%s%s", code, stdout, stderr)
	}
}

// silentAddr is a loopback listener that accepts every connection and never
// answers: a host that is up but hung.
func silentAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var conns []net.Conn
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			conns = append(conns, c) // held open, never read or written
			mu.Unlock()
		}
	}()
	t.Cleanup(func() {
		l.Close()
		mu.Lock()
		defer mu.Unlock()
		for _, c := range conns {
			c.Close()
		}
	})
	return l.Addr().String()
}

// runCLIGuarded is runCLI that fails the test instead of hanging when the
// command has not ended after hangGuard: a bound against a hang, far beyond
// what the command is meant to take, never a measurement.
func runCLIGuarded(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	const hangGuard = 60 * time.Second
	type result struct {
		code           int
		stdout, stderr string
	}
	done := make(chan result, 1)
	go func() {
		var out, errw bytes.Buffer
		code := run(append([]string{"wxmenu"}, args...), strings.NewReader(""), &out, &errw)
		done <- result{code, out.String(), errw.String()}
	}()
	select {
	case r := <-done:
		return r.code, r.stdout, r.stderr
	case <-time.After(hangGuard):
		t.Fatalf("wxmenu %s has not ended after %v", args[0], hangGuard) // the other arguments may hold a secret
		return 0, "", ""
	}
}

// TestSilentHostsAreNamed: a plan whose --api-base hosts all accept and
// never answer ends on its own (by default, within the client's retry
// budget), naming each host and what it waited for.
func TestSilentHostsAreNamed(t *testing.T) {
	if testing.Short() {
		t.Skip("waits for the response-header timeout of two hosts")
	}
	a, b := silentAddr(t), silentAddr(t)
	t.Setenv("XDG_STATE_HOME", t.TempDir())
	code, _, stderr := runCLIGuarded(t, "plan", "-f", "examples/basic/menus.yaml", "--appid", wechattest.DefaultAppID,
		"--secret", wechattest.DefaultSecret, "--api-base", "http://"+a+",http://"+b)
	if code != 1 {
		t.Errorf("exit %d, want 1", code)
	}
	for _, want := range []string{a + " timed out after", b + " timed out after", "waiting for response headers", "hint: "} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr does not say %q:\n%s", want, stderr)
		}
	}
	if strings.Contains(stderr, wechattest.DefaultSecret) {
		t.Error("the error shows the secret")
	}
}

// TestTimeoutNamesTheHost: --timeout ending a wait on a silent host says
// how long it allowed and which host it was waiting for, not "context
// deadline exceeded".
func TestTimeoutNamesTheHost(t *testing.T) {
	addr := silentAddr(t)
	t.Setenv("XDG_STATE_HOME", t.TempDir())
	code, _, stderr := runCLIGuarded(t, "plan", "-f", "examples/basic/menus.yaml", "--appid", wechattest.DefaultAppID,
		"--secret", wechattest.DefaultSecret, "--api-base", "http://"+addr, "--timeout", "1s")
	if code != 1 {
		t.Errorf("exit %d, want 1", code)
	}
	if want := "timed out after 1s waiting for " + addr + " (response headers)"; !strings.Contains(stderr, want) {
		t.Errorf("stderr does not say %q:\n%s", want, stderr)
	}
	if strings.Contains(stderr, "deadline exceeded") {
		t.Errorf("stderr says deadline exceeded:\n%s", stderr)
	}
}

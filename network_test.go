package main

import (
	"net"
	"net/http/httptest"
	"strings"
	"testing"

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

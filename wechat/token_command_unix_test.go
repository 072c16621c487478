//go:build unix

package wechat_test

import (
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"golang.org/x/term"

	"github.com/wxmenu/wxmenu/wechat"
)

// script writes an executable shell script and returns its path.
func script(t *testing.T, body string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "wechat-token")
	if err := os.WriteFile(path, []byte("#!/bin/sh\n"+body), 0o755); err != nil {
		t.Fatal(err)
	}
	return path
}

// gone waits a little for the process pid to end: killed, or a zombie
// waiting for init to reap it.
func gone(pid int) bool {
	for range 50 {
		stat, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
		if err == nil && strings.Contains(string(stat), ") Z ") {
			return true
		}
		if err != nil && syscall.Kill(pid, 0) == syscall.ESRCH {
			return true
		}
		time.Sleep(100 * time.Millisecond)
	}
	return false
}

// readPid reads the pid a script wrote.
func readPid(t *testing.T, file string) int {
	t.Helper()
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	pid, err := strconv.Atoi(strings.TrimSpace(string(b)))
	if err != nil {
		t.Fatal(err)
	}
	return pid
}

// TestCommandTokenSourceOutputCapped: a command printing far more than a
// token is stopped at the cap, with a clear error, holding no more than
// the cap in memory however much it prints.
func TestCommandTokenSourceOutputCapped(t *testing.T) {
	// 100 MB of "y\n"; the head keeps it from running forever if the cap
	// does not stop it.
	src, err := wechat.CommandTokenSource([]string{script(t, "yes | head -c 100000000\n")}, time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	_, err = src.Token(t.Context())
	runtime.ReadMemStats(&after)
	want := `wechat: token command "wechat-token" printed more than 65536 bytes`
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("err = %v, want it to contain %q", err, want)
	}
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 4<<20 {
		t.Errorf("reading the command's output allocated %d bytes, want at most 4 MiB for a 64 KiB cap", alloc)
	}
}

// skipOnTerminal skips a test of a command's process group: run from a
// terminal, a command stays in the terminal's foreground group, so that it
// may prompt, and only it is killed.
func skipOnTerminal(t *testing.T) {
	if term.IsTerminal(int(os.Stdin.Fd())) || term.IsTerminal(int(os.Stderr.Fd())) {
		t.Skip("on a terminal a command is not in a process group of its own")
	}
}

// TestCommandTokenSourceTimeoutKillsChildren: a command that hangs is
// killed on timeout with its process group.
func TestCommandTokenSourceTimeoutKillsChildren(t *testing.T) {
	skipOnTerminal(t)
	pidFile := filepath.Join(t.TempDir(), "pid")
	src, err := wechat.CommandTokenSource([]string{script(t, "sleep 60 &\necho $! > "+pidFile+"\nwait\n")}, 300*time.Millisecond)
	if err != nil {
		t.Fatal(err)
	}
	_, err = src.Token(t.Context())
	if want := `wechat: token command "wechat-token": timed out after 300ms`; err == nil || err.Error() != want {
		t.Errorf("err = %v, want %q", err, want)
	}
	if pid := readPid(t, pidFile); !gone(pid) {
		syscall.Kill(pid, syscall.SIGKILL)
		t.Errorf("the command's child %d outlived the timeout", pid)
	}
}

// TestCommandTokenSourceBackgroundChild: a command that prints its token
// and exits, leaving a child that still holds standard output, gives its
// token; the child is killed.
func TestCommandTokenSourceBackgroundChild(t *testing.T) {
	skipOnTerminal(t)
	emu, base := startEmulator(t)
	pidFile := filepath.Join(t.TempDir(), "pid")
	src, err := wechat.CommandTokenSource([]string{script(t, "echo "+emu.IssueToken()+"\nsleep 60 &\necho $! > "+pidFile+"\n")}, 10*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tokenSourceClient(t, base, src).GetMenu(t.Context()); err != nil {
		t.Fatal(err)
	}
	if pid := readPid(t, pidFile); !gone(pid) {
		syscall.Kill(pid, syscall.SIGKILL)
		t.Errorf("the command's background child %d outlived the command", pid)
	}
}

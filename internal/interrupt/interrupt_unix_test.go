//go:build unix

package interrupt_test

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/wxmenu/wxmenu/internal/interrupt"
	"github.com/wxmenu/wxmenu/internal/runcmd"
)

// TestMain makes the test binary, with INTERRUPT_TEST_PIDFILE set, a
// program that runs a hung command under interrupt.Context, as wxmenu runs
// a token command: its child writes its pid to that file, and then sleeps.
func TestMain(m *testing.M) {
	pidFile := os.Getenv("INTERRUPT_TEST_PIDFILE")
	if pidFile == "" {
		os.Exit(m.Run())
	}
	ctx, stop := interrupt.Context(context.Background(), os.Stderr)
	_, err := runcmd.Run(ctx, runcmd.Command{
		Argv:      []string{"sh", "-c", "sleep 41 & echo $! > " + pidFile + "; wait; echo tok"},
		MaxOutput: 64,
	})
	stop()
	fmt.Fprintln(os.Stderr, err)
	os.Exit(0)
}

// startHung starts the program of TestMain and returns it with the pid of
// its command's child, once that runs.
func startHung(t *testing.T) (*exec.Cmd, int) {
	t.Helper()
	pidFile := filepath.Join(t.TempDir(), "pid")
	cmd := exec.Command(os.Args[0])
	cmd.Env = append(os.Environ(), "INTERRUPT_TEST_PIDFILE="+pidFile)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	for range 3000 {
		if b, err := os.ReadFile(pidFile); err == nil && strings.HasSuffix(string(b), "\n") {
			pid, err := strconv.Atoi(strings.TrimSpace(string(b)))
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { syscall.Kill(pid, syscall.SIGKILL) })
			return cmd, pid
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatal("the command's child never started")
	return nil, 0
}

// gone waits a little for the process pid to end: killed, or a zombie
// waiting for its new parent to reap it.
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

// TestHangupEndsCommands: a hangup (the terminal closed), like SIGTERM,
// stops the run, and the command it was waiting for is killed with its
// process group, not left running with no timeout.
func TestHangupEndsCommands(t *testing.T) {
	for _, sig := range []syscall.Signal{syscall.SIGHUP, syscall.SIGTERM} {
		t.Run(sig.String(), func(t *testing.T) {
			cmd, child := startHung(t)
			cmd.Process.Signal(sig)
			cmd.Wait()
			if !gone(child) {
				t.Errorf("the command's child %d outlived the %v", child, sig)
			}
		})
	}
}

// TestKillAll: the programs still running are killed, with their groups,
// before a second signal's exit at once.
func TestKillAll(t *testing.T) {
	pidFile := filepath.Join(t.TempDir(), "pid")
	done := make(chan error, 1)
	go func() {
		_, err := runcmd.Run(context.Background(), runcmd.Command{Argv: []string{"sh", "-c", "sleep 41 & echo $! > " + pidFile + "; wait"}, MaxOutput: 64})
		done <- err
	}()
	var child int
	for range 3000 {
		if b, err := os.ReadFile(pidFile); err == nil && strings.HasSuffix(string(b), "\n") {
			child, _ = strconv.Atoi(strings.TrimSpace(string(b)))
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	if child == 0 {
		t.Fatal("the command's child never started")
	}
	runcmd.KillAll()
	if err := <-done; err == nil {
		t.Error("a killed command succeeded")
	}
	if !gone(child) {
		syscall.Kill(child, syscall.SIGKILL)
		t.Errorf("the command's child %d outlived KillAll", child)
	}
}

package main

import (
	"bytes"
	"encoding/json"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/wxmenu/wxmenu/internal/cmdline"
)

// waitExit waits for cmd, failing the test (and killing cmd) if it has not
// exited within a generous bound: the guard against a hang, not a speed
// check.
func waitExit(t *testing.T, cmd *exec.Cmd) int {
	t.Helper()
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		return exitCode(t, err)
	case <-time.After(30 * time.Second):
		_ = cmd.Process.Kill()
		<-done
		t.Fatalf("%v did not exit within 30s", cmd.Args)
	}
	return -1
}

// waitBlockedInFIFOOpen waits until a thread of cmd is blocked opening a
// named pipe (Linux shows wait_for_partner in /proc/PID/task/*/wchan), so
// the signal lands after wxmenu's handlers are set up; without /proc it
// waits a second.
func waitBlockedInFIFOOpen(t *testing.T, cmd *exec.Cmd) {
	t.Helper()
	tasks := filepath.Join("/proc", strconv.Itoa(cmd.Process.Pid), "task")
	if _, err := os.Stat(tasks); err != nil {
		time.Sleep(time.Second)
		return
	}
	for i := 0; i < 3000; i++ {
		chans, _ := filepath.Glob(filepath.Join(tasks, "*", "wchan"))
		for _, c := range chans {
			if b, _ := os.ReadFile(c); strings.TrimSpace(string(b)) == "wait_for_partner" {
				return
			}
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatal("wxmenu never blocked opening the named pipe")
}

// TestSignalStopsFIFORead: validate -f on a named pipe nobody writes blocks
// in open; SIGINT and SIGTERM still stop it.
func TestSignalStopsFIFORead(t *testing.T) {
	bin := wxmenuBinary(t)
	for _, sig := range []syscall.Signal{syscall.SIGINT, syscall.SIGTERM} {
		t.Run(sig.String(), func(t *testing.T) {
			dir := t.TempDir()
			fifo := filepath.Join(dir, "menus.yaml")
			if err := syscall.Mkfifo(fifo, 0o600); err != nil {
				t.Skip("no named pipes here:", err)
			}
			cmd := exec.Command(bin, "validate", "-f", fifo)
			cmd.Env = cliEnv(dir, "")
			var stderr bytes.Buffer
			cmd.Stderr = &stderr
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			waitBlockedInFIFOOpen(t, cmd)
			_ = cmd.Process.Signal(sig)
			if code := waitExit(t, cmd); code != cmdline.ExitError {
				t.Errorf("exit %d, want %d\n%s", code, cmdline.ExitError, stderr.String())
			}
			if !strings.Contains(stderr.String(), "wxmenu: error: reading "+fifo+": interrupted") {
				t.Errorf("stderr lacks the interrupted error:\n%s", stderr.String())
			}
		})
	}
}

// TestCtrlCAtPrompt types Ctrl-C on a pseudo-terminal at the "Only 'yes'"
// prompt: apply is cancelled at once, without waiting for Enter.
func TestCtrlCAtPrompt(t *testing.T) {
	if _, err := exec.LookPath("script"); err != nil {
		t.Skip("script(1) is not installed; it provides the pseudo-terminal")
	}
	bin := wxmenuBinary(t)
	menus := filepath.Join(packageDir, "examples", "basic", "menus.yaml")
	// script(1) runs the command through $SHELL -c; exec makes wxmenu the
	// terminal's foreground process itself, so Ctrl-C reaches wxmenu alone and
	// not also a shell that dash would let die of it (exit 130).
	cmd := exec.Command("script", "-qefc", "exec "+bin+" --sandbox apply -f "+menus, "/dev/null")
	cmd.Env = append(cliEnv(t.TempDir(), ""), "SHELL=/bin/sh")
	stdin, err := cmd.StdinPipe() // kept open: no Enter ever comes
	if err != nil {
		t.Fatal(err)
	}
	defer stdin.Close()
	out := &syncBuffer{}
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	for i := 0; !strings.Contains(out.String(), "Only 'yes' is accepted"); i++ {
		if i == 3000 {
			_ = cmd.Process.Kill()
			t.Fatalf("no prompt:\n%s", out.String())
		}
		time.Sleep(10 * time.Millisecond)
	}
	_, _ = io.WriteString(stdin, "\x03") // Ctrl-C: the terminal sends SIGINT
	if code := waitExit(t, cmd); code != cmdline.ExitDeclined {
		t.Errorf("exit %d, want %d\n%s", code, cmdline.ExitDeclined, out.String())
	}
	if !strings.Contains(out.String(), "nothing was changed") {
		t.Errorf("output lacks the cancellation:\n%s", out.String())
	}
}

// TestInterruptDuringApply sends SIGINT while apply's first call is in
// flight: the call is finished, apply stops before the next step and says
// it was interrupted, with what was done and not done. A second SIGINT
// exits at once.
func TestInterruptDuringApply(t *testing.T) {
	bin := wxmenuBinary(t)
	work := t.TempDir()
	srv := startSandbox(t, bin, filepath.Join(t.TempDir(), "state.json"), "--demo")
	c := &wxmenuCLI{t: t, bin: bin, dir: work, stateHome: filepath.Join(work, "xdg"), base: srv.base}
	menus := filepath.Join(packageDir, "examples", "basic", "menus.yaml")

	start := func(latency time.Duration) (*exec.Cmd, *bytes.Buffer, *bytes.Buffer, int) {
		srv.setLatency(0)
		srv.control("POST", "seed-demo", "")
		before := srv.mutatingCalls()
		srv.setLatency(latency)
		cmd, stdout, stderr := c.command("apply", "-f", menus, "--auto-approve", "--audit-log", "audit.jsonl")
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		for i := 0; srv.mutatingCalls() == before; i++ {
			if i == 3000 {
				_ = cmd.Process.Kill()
				t.Fatal("apply never made its first call")
			}
			time.Sleep(10 * time.Millisecond)
		}
		return cmd, stdout, stderr, before
	}

	t.Run("once", func(t *testing.T) {
		cmd, stdout, stderr, before := start(500 * time.Millisecond)
		_ = cmd.Process.Signal(syscall.SIGINT)
		code := waitExit(t, cmd)
		out := stdout.String() + stderr.String()
		if code != cmdline.ExitPartial {
			t.Errorf("exit %d, want %d\n%s", code, cmdline.ExitPartial, out)
		}
		for _, want := range []string{
			"apply stopped after 1 of 4 steps: interrupted",
			"1. menu/create default menu: done",
			"2. menu/addconditional staff: not_run",
		} {
			if !strings.Contains(out, want) {
				t.Errorf("output lacks %q:\n%s", want, out)
			}
		}
		if strings.Contains(out, "re-read") {
			t.Errorf("output claims a re-read:\n%s", out)
		}
		if got := srv.mutatingCalls() - before; got != 1 {
			t.Errorf("%d calls reached the account, want the 1 in flight", got)
		}
		srv.setLatency(0)
		c.converge(menus)
	})

	t.Run("twice", func(t *testing.T) {
		// Long enough for two signals while the call is in flight, and
		// below the client's response-header timeout
		// (wechat.DefaultResponseHeaderTimeout), or the reads before it
		// would time out instead of being slow.
		cmd, stdout, stderr, _ := start(2 * time.Second)
		_ = cmd.Process.Signal(syscall.SIGINT)
		time.Sleep(100 * time.Millisecond)
		_ = cmd.Process.Signal(syscall.SIGINT)
		code := waitExit(t, cmd)
		out := stdout.String() + stderr.String()
		if code != 130 {
			t.Errorf("exit %d, want 130\n%s", code, out)
		}
		if !strings.Contains(out, "interrupted again; exiting at once") {
			t.Errorf("output lacks the second interrupt:\n%s", out)
		}
		srv.setLatency(0)
		c.converge(menus)
	})
}

// syncBuffer is a bytes.Buffer safe for a writer and a reader at once.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// TestInterruptWhilePlanning sends SIGINT while plan's read of the account
// (menu/get) is in flight: plan stops at once and says it was interrupted
// and that nothing was changed (plan never changes anything), with exit 1
// (README, Exit codes) and no hint about credentials or the network,
// which have nothing to do with it.
func TestInterruptWhilePlanning(t *testing.T) {
	bin := wxmenuBinary(t)
	work := t.TempDir()
	srv := startSandbox(t, bin, filepath.Join(t.TempDir(), "state.json"), "--demo")
	c := &wxmenuCLI{t: t, bin: bin, dir: work, stateHome: filepath.Join(work, "xdg"), base: srv.base}
	menus := filepath.Join(packageDir, "examples", "basic", "menus.yaml")
	for _, args := range [][]string{
		{"plan", "-f", menus},
		{"apply", "-f", menus, "--auto-approve"},
	} {
		t.Run(args[0], func(t *testing.T) {
			srv.control("POST", "faults", `{"latency":30000000000,"endpoints":["menu/get"]}`)
			defer srv.setLatency(0)
			before := menuGets(srv)
			cmd, stdout, stderr := c.command(args...)
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			for i := 0; menuGets(srv) == before; i++ {
				if i == 3000 {
					_ = cmd.Process.Kill()
					t.Fatal("wxmenu never read the account")
				}
				time.Sleep(10 * time.Millisecond)
			}
			_ = cmd.Process.Signal(syscall.SIGINT)
			code := waitExit(t, cmd)
			out := stdout.String() + stderr.String()
			if code != cmdline.ExitError {
				t.Errorf("exit %d, want %d\n%s", code, cmdline.ExitError, out)
			}
			if !strings.Contains(stderr.String(), "wxmenu: error: interrupted") || !strings.Contains(stderr.String(), "nothing was changed") {
				t.Errorf("stderr does not say it was interrupted and nothing was changed:\n%s", out)
			}
			for _, bad := range []string{"context canceled", "credentials", "hint:"} {
				if strings.Contains(out, bad) {
					t.Errorf("output has %q:\n%s", bad, out)
				}
			}
			if n := srv.mutatingCalls(); n != 0 {
				t.Errorf("%d mutating calls reached the account", n)
			}
		})
	}
}

// menuGets is how many menu/get calls the sandbox received.
func menuGets(s *sandboxProc) int {
	s.t.Helper()
	var calls map[string]int
	if err := json.Unmarshal(s.control("GET", "calls", ""), &calls); err != nil {
		s.t.Fatal(err)
	}
	return calls["menu/get"]
}

// TestTimeoutStopsFIFORead: -f on a named pipe nobody writes blocks in
// open; the command's --timeout (given after the command, before it, or
// as WXMENU_TIMEOUT) still ends it (validate and a project too), for one menus file and for a project
// whose account's file is the pipe, with an error that says the time ran
// out.
func TestTimeoutStopsFIFORead(t *testing.T) {
	bin := wxmenuBinary(t)
	dir := t.TempDir()
	fifo := filepath.Join(dir, "menus.yaml")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skip("no named pipes here:", err)
	}
	project := filepath.Join(dir, "wxmenu.yaml")
	if err := os.WriteFile(project, []byte("accounts:\n  - {name: a, appid: wx1234567890aaaaaa, file: menus.yaml, secret_env: A_SECRET}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		env  []string
		args []string
	}{
		{"plan", nil, []string{"--sandbox", "plan", "-f", fifo, "--timeout", "300ms"}},
		{"apply", nil, []string{"--sandbox", "apply", "-f", fifo, "--auto-approve", "--timeout", "300ms"}},
		{"trymatch", nil, []string{"--sandbox", "trymatch", "-f", fifo, "--timeout", "300ms", "o_demo_vip"}},
		// validate is offline and lists no --timeout of its own (see
		// papercut_offline_help.txtar); the global flag and the variable hold.
		{"validate", []string{"WXMENU_TIMEOUT=300ms"}, []string{"validate", "-f", fifo}},
		{"global flag", nil, []string{"--timeout", "300ms", "validate", "-f", fifo}},
		{"environment", []string{"WXMENU_TIMEOUT=300ms"}, []string{"--sandbox", "plan", "-f", fifo}},
		{"project", nil, []string{"--sandbox", "plan", "--config", project, "--timeout", "300ms"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cmd := exec.Command(bin, tt.args...)
			cmd.Env = append(cliEnv(t.TempDir(), ""), tt.env...)
			var stdout, stderr bytes.Buffer
			cmd.Stdout, cmd.Stderr = &stdout, &stderr
			start := time.Now()
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			code := waitExit(t, cmd)
			out := stdout.String() + stderr.String()
			if code != cmdline.ExitError {
				t.Errorf("exit %d, want %d\n%s", code, cmdline.ExitError, out)
			}
			if !strings.Contains(out, "menus.yaml: timed out") || !strings.Contains(out, "--timeout") {
				t.Errorf("output does not say reading the file timed out:\n%s", out)
			}
			if strings.Contains(out, "interrupted") {
				t.Errorf("a timeout reads as an interrupt:\n%s", out)
			}
			if d := time.Since(start); d > 15*time.Second {
				t.Errorf("took %v with --timeout 300ms", d)
			}
		})
	}
}

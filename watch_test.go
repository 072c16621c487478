package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestWatchMetricsFollowAnOutsideWrite runs `wxmenu watch` against a
// standalone sandbox: its /metrics show the account in sync, then, after a
// write wxmenu did not make, changed_outside and one detected drift; SIGTERM
// ends it after the sweep in flight, with exit 0.
func TestWatchMetricsFollowAnOutsideWrite(t *testing.T) {
	bin := wxmenuBinary(t)
	dir := t.TempDir()
	sb := startSandbox(t, bin, filepath.Join(dir, "state.json"))
	write := func(name, data string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(data), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	write("menus.yaml", "default:\n  button:\n    - {type: view, name: 官网, url: \"https://www.example.com/\"}\n"+
		"conditional:\n  - name: vip\n    matchrule: {tag_id: \"101\"}\n    button:\n      - {type: click, name: 会员, key: VIP}\n")
	write("outside.yaml", "default:\n  button:\n    - {type: view, name: 官网, url: \"https://www.example.com/\"}\n")
	wx := func(args ...string) {
		t.Helper()
		cmd := exec.Command(bin, args...)
		cmd.Dir, cmd.Env = dir, cliEnv(dir, sb.base)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("wxmenu %v: %v\n%s", args, err, out)
		}
	}
	wx("apply", "-f", "menus.yaml", "--auto-approve", "--audit-log", "audit.jsonl")

	cmd := exec.Command(bin, "watch", "-f", "menus.yaml", "--audit-log", "audit.jsonl", "--interval", "1s", "--listen", "127.0.0.1:0")
	cmd.Dir, cmd.Env = dir, cliEnv(dir, sb.base)
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill() })
	// The log, line by line; the address comes from its first line.
	lines := make(chan string, 100)
	go func() {
		logs := bufio.NewScanner(stderr)
		for logs.Scan() {
			lines <- logs.Text()
		}
		close(lines)
	}()
	var log strings.Builder
	addr := ""
	deadline := time.After(30 * time.Second)
	for addr == "" {
		select {
		case line, ok := <-lines:
			if !ok {
				t.Fatalf("watch ended before it served:\n%s", log.String())
			}
			log.WriteString(line + "\n")
			if m := regexp.MustCompile(`serving /metrics and /healthz" address=(\S+)`).FindStringSubmatch(line); m != nil {
				addr = m[1]
			}
		case <-deadline:
			t.Fatalf("watch never said where it serves:\n%s", log.String())
		}
	}
	rest := make(chan string)
	go func() {
		var b strings.Builder
		for line := range lines {
			b.WriteString(line + "\n")
		}
		rest <- b.String()
	}()

	// waitMetric polls /metrics until it holds line (the sweeps run every
	// second; the bound guards against a hang, it is not a speed check).
	waitMetric := func(line string) {
		t.Helper()
		var body string
		for range 300 {
			if resp, err := http.Get("http://" + addr + "/metrics"); err == nil {
				b, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				if body = string(b); strings.Contains(body, line) {
					return
				}
			}
			time.Sleep(100 * time.Millisecond)
		}
		t.Fatalf("/metrics never showed %q; last:\n%s", line, body)
	}
	waitMetric(`wxmenu_account_status{account="menus.yaml",status="in_sync"} 1`)
	resp, err := http.Get("http://" + addr + "/healthz")
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("/healthz after a sweep: %v %v", resp, err)
	}
	resp.Body.Close()

	wx("apply", "-f", "outside.yaml", "--auto-approve") // no audit log: an outside write
	waitMetric(`wxmenu_account_status{account="menus.yaml",status="changed_outside"} 1`)
	waitMetric(`wxmenu_drift_detected_total{account="menus.yaml",kind="changed_outside"} 1`)

	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if code := waitExit(t, cmd); code != 0 {
		t.Errorf("watch exited %d after SIGTERM, want 0", code)
	}
	if tail := <-rest; !strings.Contains(tail, "msg=stopped") || !strings.Contains(tail, `to=changed_outside`) {
		t.Errorf("watch's log lacks the change and the stop:\n%s%s", log.String(), tail)
	}
}

// TestWatchStopsBetweenAccounts: SIGTERM during a sweep ends watch after
// the calls in flight: it starts no other account, records no status for
// the accounts it did not check (no "error" for them, no notification),
// and exits 0.
func TestWatchStopsBetweenAccounts(t *testing.T) {
	const n = 30
	bin, dir := wxmenuBinary(t), t.TempDir()
	var project strings.Builder
	project.WriteString("accounts:\n")
	serveArgs := []string{"--demo"}
	var secrets []string
	for i := range n {
		appID, secret := fmt.Sprintf("wx%016d", i+1), fmt.Sprintf("watch-secret-%06d-0123456789", i+1)
		serveArgs = append(serveArgs, "--account", appID+":"+secret)
		fmt.Fprintf(&project, "  - {name: acct-%02d, appid: %s, file: menus.yaml, secret_env: S%02d}\n", i+1, appID, i+1)
		secrets = append(secrets, fmt.Sprintf("S%02d=%s", i+1, secret))
	}
	menus, err := os.ReadFile("examples/basic/menus.yaml")
	if err != nil {
		t.Fatal(err)
	}
	for name, data := range map[string][]byte{"wxmenu.yaml": []byte(project.String()), "menus.yaml": menus} {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	sb := startSandbox(t, bin, "", serveArgs...)
	sb.setLatency(200 * time.Millisecond) // a sweep of one account at a time takes seconds
	menuGets := func() int {
		var calls map[string]int
		if err := json.Unmarshal(sb.control(http.MethodGet, "calls", ""), &calls); err != nil {
			t.Fatal(err)
		}
		return calls["menu/get"]
	}

	cmd := exec.Command(bin, "watch", "--config", "wxmenu.yaml", "--interval", "1h", "--parallel", "1", "--state", "state.json")
	cmd.Dir, cmd.Env = dir, append(cliEnv(dir, sb.base), secrets...)
	var logs bytes.Buffer
	cmd.Stderr = &logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill() })
	// Readiness, not timing: the sweep has begun once an account was read.
	for i := 0; menuGets() == 0; i++ {
		if i == 600 {
			t.Fatalf("watch never read an account:\n%s", logs.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if code := waitExit(t, cmd); code != 0 {
		t.Errorf("watch exited %d after SIGTERM, want 0:\n%s", code, logs.String())
	}
	if got := menuGets(); got >= n {
		t.Errorf("watch read %d accounts after SIGTERM came during the first; want it to stop starting accounts", got)
	}
	var state struct {
		Accounts map[string]struct {
			Status string `json:"status"`
		} `json:"accounts"`
	}
	if data, err := os.ReadFile(filepath.Join(dir, "state.json")); err == nil {
		if err := json.Unmarshal(data, &state); err != nil {
			t.Fatal(err)
		}
	}
	for name, s := range state.Accounts {
		if s.Status == "error" {
			t.Errorf("the state records %s as an error: accounts the stop kept from being checked have no status", name)
		}
	}
}

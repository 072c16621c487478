package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/wxmenu/wxmenu/internal/cmdline"

	"github.com/wxmenu/wxmenu/reconcile/audit"
	"github.com/wxmenu/wxmenu/reconcile/plans"
	"github.com/wxmenu/wxmenu/wechat/wechattest"
)

// The crash tests run the real binary against a standalone sandbox and
// SIGKILL it (or the sandbox) part way through an apply. Whatever the
// moment, the files left behind must be whole, and plan and apply again
// must converge.

// packageDir is the repository root, where go test starts.
var packageDir, _ = os.Getwd()

// wxmenuBinary returns the path of a wxmenu executable: testscript.Main (in
// main_test.go) puts this test binary on $PATH under that name, so the
// subprocess runs the real command line without a separate build.
func wxmenuBinary(t testing.TB) string {
	t.Helper()
	bin, err := exec.LookPath("wxmenu")
	if err != nil {
		t.Fatalf("wxmenu is not on PATH (testscript.Main sets it up): %v", err)
	}
	return bin
}

// cliEnv is the environment of every wxmenu process a test starts: the
// sandbox's credentials, a private state directory, nothing inherited that
// could point wxmenu elsewhere.
func cliEnv(stateHome, apiBase string) []string {
	var env []string
	for _, kv := range os.Environ() {
		if strings.HasPrefix(kv, "WECHAT_") || strings.HasPrefix(kv, "WXMENU_") || strings.HasPrefix(kv, "XDG_STATE_HOME=") {
			continue
		}
		env = append(env, kv)
	}
	return append(env,
		"WECHAT_APPID="+wechattest.DefaultAppID,
		"WECHAT_APPSECRET="+wechattest.DefaultSecret,
		"WECHAT_API_BASE="+apiBase,
		"XDG_STATE_HOME="+stateHome,
		"NO_COLOR=1",
	)
}

// sandboxProc is a `wxmenu sandbox serve` subprocess.
type sandboxProc struct {
	t     testing.TB
	cmd   *exec.Cmd
	base  string // http://127.0.0.1:port
	state string
	out   *bytes.Buffer
}

// startSandbox starts the standalone sandbox on a free loopback port with
// its state in stateFile (none if ""), and waits until it listens.
func startSandbox(t testing.TB, bin, stateFile string, extra ...string) *sandboxProc {
	t.Helper()
	addrFile := filepath.Join(t.TempDir(), "addr")
	args := []string{"sandbox", "serve", "--addr", "127.0.0.1:0", "--addr-file", addrFile}
	if stateFile != "" {
		args = append(args, "--state", stateFile)
	}
	args = append(args, extra...)
	cmd := exec.Command(bin, args...)
	cmd.Env = cliEnv(t.TempDir(), "")
	out := &bytes.Buffer{}
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	s := &sandboxProc{t: t, cmd: cmd, state: stateFile, out: out}
	t.Cleanup(s.kill)
	// Readiness, not timing: the address file appears once it listens.
	for range 400 {
		if b, err := os.ReadFile(addrFile); err == nil && len(b) > 0 {
			s.base = "http://" + strings.TrimSpace(string(b))
			return s
		}
		time.Sleep(25 * time.Millisecond)
	}
	t.Fatalf("the sandbox did not start listening:\n%s", out)
	return nil
}

// kill SIGKILLs the sandbox (if still running) and reaps it.
func (s *sandboxProc) kill() {
	if s.cmd.ProcessState != nil {
		return
	}
	_ = s.cmd.Process.Kill()
	_ = s.cmd.Wait()
}

// control calls the sandbox's control surface and fails on anything but 200.
func (s *sandboxProc) control(method, path, body string) []byte {
	s.t.Helper()
	req, err := http.NewRequest(method, s.base+"/_emulator/"+path, strings.NewReader(body))
	if err != nil {
		s.t.Fatal(err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		s.t.Fatalf("%s /_emulator/%s: %v", method, path, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != http.StatusOK {
		s.t.Fatalf("%s /_emulator/%s: HTTP %d %s %v", method, path, resp.StatusCode, data, err)
	}
	return data
}

// setLatency delays every /cgi-bin call by d (0: no faults).
func (s *sandboxProc) setLatency(d time.Duration) {
	s.t.Helper()
	s.control(http.MethodPost, "faults", fmt.Sprintf(`{"latency":%d}`, d.Nanoseconds()))
}

// mutatingCalls is how many mutating menu calls the sandbox received.
func (s *sandboxProc) mutatingCalls() int {
	s.t.Helper()
	var calls map[string]int
	if err := json.Unmarshal(s.control(http.MethodGet, "calls", ""), &calls); err != nil {
		s.t.Fatal(err)
	}
	return calls["menu/create"] + calls["menu/delete"] + calls["menu/addconditional"] + calls["menu/delconditional"]
}

// wxmenuCLI runs wxmenu commands in dir against one sandbox.
type wxmenuCLI struct {
	t         *testing.T
	bin, dir  string
	stateHome string
	base      string
}

// command returns an unstarted wxmenu process.
func (c *wxmenuCLI) command(args ...string) (*exec.Cmd, *bytes.Buffer, *bytes.Buffer) {
	cmd := exec.Command(c.bin, args...)
	cmd.Dir = c.dir
	cmd.Env = cliEnv(c.stateHome, c.base)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	return cmd, &stdout, &stderr
}

// run runs wxmenu to completion and returns its exit code and output.
func (c *wxmenuCLI) run(args ...string) (int, string) {
	c.t.Helper()
	cmd, stdout, stderr := c.command(args...)
	code := exitCode(c.t, cmd.Run())
	return code, stdout.String() + stderr.String()
}

// expect runs wxmenu and fails the test unless it exits with want.
func (c *wxmenuCLI) expect(want int, args ...string) string {
	c.t.Helper()
	code, out := c.run(args...)
	if code != want {
		c.t.Fatalf("wxmenu %s: exit %d, want %d\n%s", strings.Join(args, " "), code, want, out)
	}
	return out
}

// converge plans and applies with no faults and checks that a drift check
// then finds nothing.
func (c *wxmenuCLI) converge(menus string) {
	c.t.Helper()
	code, out := c.run("plan", "-f", menus, "--out", "plan.json", "--detailed-exitcode")
	if code != 0 && code != 2 {
		c.t.Fatalf("plan after the crash: exit %d\n%s", code, out)
	}
	c.expect(0, "apply", "--audit-log", "audit.jsonl", "plan.json")
	c.expect(0, "plan", "-f", menus, "--detailed-exitcode")
}

func exitCode(t *testing.T, err error) int {
	t.Helper()
	var ee *exec.ExitError
	switch {
	case err == nil:
		return 0
	case errors.As(err, &ee):
		return ee.ExitCode()
	}
	t.Fatal(err)
	return -1
}

// checkAuditLines checks that every line of the audit log is a whole JSON
// record and returns the events in order.
func countEvents(events []string, event string) int {
	n := 0
	for _, e := range events {
		if e == event {
			n++
		}
	}
	return n
}

func checkAuditLines(t *testing.T, path string) []string {
	t.Helper()
	data, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		t.Fatal(err)
	}
	if len(data) > 0 && data[len(data)-1] != '\n' {
		t.Errorf("audit log ends in a torn line: %q", data[max(0, len(data)-80):])
	}
	var events []string
	for line := range strings.Lines(string(data)) {
		var r audit.Record
		dec := json.NewDecoder(strings.NewReader(line))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&r); err != nil || r.Event == "" {
			t.Errorf("audit line is not a whole record (%v): %q", err, line)
			continue
		}
		events = append(events, r.Event)
	}
	return events
}

// checkNoTempFiles fails the test if an atomic write left its temporary
// file in dir.
func checkNoTempFiles(t *testing.T, dir string) {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".") && strings.Contains(e.Name(), ".tmp-") {
			t.Errorf("temporary file left behind: %s", filepath.Join(dir, e.Name()))
		}
	}
}

// checkStateFile checks that the sandbox's state file is a whole state.
func checkStateFile(t *testing.T, path string) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var st struct {
		Version     int               `json:"version"`
		Conditional []json.RawMessage `json:"conditional_menus"`
	}
	if err := json.Unmarshal(data, &st); err != nil || st.Version != 1 || st.Conditional == nil {
		t.Errorf("state file %s is not a whole state (%v):\n%s", path, err, data)
	}
}

// checkNoPlanOrWhole checks that plan.json, if present, is a whole plan.
func checkNoPlanOrWhole(t *testing.T, path string) {
	t.Helper()
	if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) {
		return
	}
	if _, err := plans.ReadFile(path); err != nil {
		t.Errorf("%s is not a whole plan: %v", path, err)
	}
}

func crashKills() int {
	if os.Getenv("WXMENU_SOAK") == "1" {
		return 25
	}
	return 5
}

func TestKilledApplyLeavesWholeFilesAndConverges(t *testing.T) {
	bin := wxmenuBinary(t)
	work, stateDir := t.TempDir(), t.TempDir()
	srv := startSandbox(t, bin, filepath.Join(stateDir, "state.json"), "--demo")
	c := &wxmenuCLI{t: t, bin: bin, dir: work, stateHome: filepath.Join(work, "xdg"), base: srv.base}
	menus := filepath.Join(packageDir, "examples", "basic", "menus.yaml")
	audit := filepath.Join(work, "audit.jsonl")

	// With this latency the apply takes about 7 × latency: a token, a read,
	// four steps and the verification read.
	const latency = 120 * time.Millisecond
	const applyTime = 7 * latency
	kills := crashKills()
	r := rand.New(rand.NewPCG(20250611, 7))
	var outcomes []string
	for i := range kills {
		srv.setLatency(0)
		srv.control(http.MethodPost, "seed-demo", "")
		srv.setLatency(latency)
		eventsBefore := len(checkAuditLines(t, audit))
		callsBefore := srv.mutatingCalls()

		cmd, _, _ := c.command("apply", "-f", menus, "--auto-approve", "--audit-log", audit)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		// Delays spread over the whole apply: kill i lands in the i-th
		// slice of it, at a seeded point.
		delay := time.Duration((float64(i) + r.Float64()) / float64(kills) * float64(applyTime))
		time.Sleep(delay)
		_ = cmd.Process.Kill()
		err := cmd.Wait()
		var ee *exec.ExitError
		killed := errors.As(err, &ee) && !ee.Exited()

		events := checkAuditLines(t, audit)[eventsBefore:]
		// Write-ahead: every call that reached the account, the one in
		// flight at the kill included, has its intent on record.
		if sent, intents := srv.mutatingCalls()-callsBefore, countEvents(events, "intent"); intents < sent {
			t.Errorf("kill %d: %d calls reached the account, the audit log has %d intents: %v", i, sent, intents, events)
		}
		outcomes = append(outcomes, fmt.Sprintf("kill %d at %v: killed=%v audit=%v", i, delay.Round(time.Millisecond), killed, events))
		checkNoTempFiles(t, work)
		checkStateFile(t, srv.state)

		srv.setLatency(0)
		c.converge(menus)
		checkNoTempFiles(t, work)
		checkNoPlanOrWhole(t, filepath.Join(work, "plan.json"))
	}
	t.Logf("%d kills:\n%s", kills, strings.Join(outcomes, "\n"))

	// A killed `plan --out` leaves the previous plan or none, never part
	// of one, and no temporary file.
	srv.control(http.MethodPost, "seed-demo", "")
	srv.setLatency(latency)
	for i := range 3 {
		cmd, _, _ := c.command("plan", "-f", menus, "--out", "plan.json")
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		time.Sleep(time.Duration((float64(i) + r.Float64()) / 3 * float64(3*latency)))
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		checkNoTempFiles(t, work)
		checkNoPlanOrWhole(t, filepath.Join(work, "plan.json"))
	}
	srv.setLatency(0)
	c.converge(menus)

	srv.kill()
	checkNoTempFiles(t, stateDir)
	checkStateFile(t, srv.state)
}

func TestKilledSandboxKeepsItsStateAndConverges(t *testing.T) {
	bin := wxmenuBinary(t)
	work, stateDir := t.TempDir(), t.TempDir()
	state := filepath.Join(stateDir, "state.json")
	srv := startSandbox(t, bin, state, "--demo")
	c := &wxmenuCLI{t: t, bin: bin, dir: work, stateHome: filepath.Join(work, "xdg"), base: srv.base}
	menus := filepath.Join(packageDir, "examples", "basic", "menus.yaml")

	srv.setLatency(150 * time.Millisecond)
	cmd, stdout, stderr := c.command("apply", "-f", menus, "--auto-approve", "--audit-log", "audit.jsonl")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if cmd.ProcessState == nil {
			_ = cmd.Process.Kill()
			_ = cmd.Wait()
		}
	})
	// Kill the server once the apply's second mutating call has arrived:
	// the first has changed the account and the second is in flight.
	for i := 0; srv.mutatingCalls() < 2; i++ {
		if i == 1000 {
			t.Fatalf("the apply never reached its second step")
		}
		time.Sleep(10 * time.Millisecond)
	}
	srv.kill()
	code := exitCode(t, cmd.Wait())
	out := stdout.String() + stderr.String()
	if !slices.Contains([]int{cmdline.ExitError, cmdline.ExitPartial}, code) {
		t.Errorf("apply against a killed server: exit %d, want %d or %d\n%s", code, cmdline.ExitError, cmdline.ExitPartial, out)
	}
	if strings.Contains(out, "panic") || strings.Contains(out, "goroutine ") {
		t.Errorf("apply panicked:\n%s", out)
	}
	t.Logf("apply against the killed server: exit %d: %s", code, strings.TrimSpace(stderr.String()))
	checkStateFile(t, state)
	checkAuditLines(t, filepath.Join(work, "audit.jsonl"))
	// A server killed inside its own atomic save would leave a temporary
	// file (harmless: the state file itself is whole); note it if so.
	entries, _ := os.ReadDir(stateDir)
	for _, e := range entries {
		if strings.Contains(e.Name(), ".tmp-") {
			t.Logf("the killed server left %s", e.Name())
		}
	}

	// The restarted server carries on from its saved state.
	srv2 := startSandbox(t, bin, state)
	c.base = srv2.base
	c.converge(menus)
	if code, out := c.run("plan", "-f", menus, "--detailed-exitcode"); code != 0 {
		t.Errorf("after restart and apply: plan exit %d\n%s", code, out)
	}
}

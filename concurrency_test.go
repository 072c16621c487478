package main

import (
	"bytes"
	"net/http"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/wxmenu/wxmenu/internal/cmdline"
)

// The concurrency tests start two applies of one saved plan together on one
// machine (one lock directory) against a slow sandbox, so they overlap.
// Exactly one may apply; the other must change nothing.

// applyResult is how one wxmenu process ended.
type applyResult struct {
	code   int
	output string
}

// applyTogether starts one apply per argument list at once and waits for
// all of them.
func applyTogether(t *testing.T, c *wxmenuCLI, argLists ...[]string) []applyResult {
	t.Helper()
	type proc struct {
		cmd            *exec.Cmd
		stdout, stderr *bytes.Buffer
	}
	var procs []proc
	for _, args := range argLists {
		cmd, stdout, stderr := c.command(args...)
		procs = append(procs, proc{cmd, stdout, stderr})
	}
	for _, p := range procs {
		if err := p.cmd.Start(); err != nil {
			t.Fatal(err)
		}
	}
	var out []applyResult
	for _, p := range procs {
		code := exitCode(t, p.cmd.Wait())
		out = append(out, applyResult{code, p.stdout.String() + p.stderr.String()})
	}
	return out
}

// winnerAndLoser checks that exactly one result is a successful apply and
// returns the other.
func winnerAndLoser(t *testing.T, results []applyResult) applyResult {
	t.Helper()
	if len(results) != 2 {
		t.Fatalf("%d results", len(results))
	}
	codes := []int{results[0].code, results[1].code}
	i := slices.Index(codes, cmdline.ExitOK)
	if i < 0 || slices.Index(codes[i+1:], cmdline.ExitOK) >= 0 {
		t.Fatalf("exit codes %v, want exactly one 0:\n--- first\n%s--- second\n%s", codes, results[0].output, results[1].output)
	}
	if !strings.Contains(results[i].output, "Apply complete") {
		t.Errorf("the apply that exited 0 did not complete:\n%s", results[i].output)
	}
	return results[1-i]
}

func TestConcurrentAppliesOfOnePlan(t *testing.T) {
	bin := wxmenuBinary(t)
	work := t.TempDir()
	srv := startSandbox(t, bin, filepath.Join(t.TempDir(), "state.json"), "--demo")
	c := &wxmenuCLI{t: t, bin: bin, dir: work, stateHome: filepath.Join(work, "xdg"), base: srv.base}
	menus := filepath.Join(packageDir, "examples", "basic", "menus.yaml")
	audit := filepath.Join(work, "audit.jsonl")

	// planFresh restores the demo account and saves a plan for it; the
	// applies then run with every call delayed, so they overlap.
	planFresh := func() {
		t.Helper()
		srv.setLatency(0)
		srv.control(http.MethodPost, "seed-demo", "")
		c.expect(cmdline.ExitChanges, "plan", "-f", menus, "--out", "plan.json", "--detailed-exitcode")
		srv.setLatency(150 * time.Millisecond)
	}
	// applied counts the mutating calls the sandbox received, to prove the
	// loser made none.
	mutations := func() int {
		t.Helper()
		srv.setLatency(0)
		return srv.mutatingCalls()
	}

	t.Run("lock held", func(t *testing.T) {
		planFresh()
		before := mutations()
		srv.setLatency(150 * time.Millisecond)
		args := []string{"apply", "--audit-log", audit, "plan.json"}
		loser := winnerAndLoser(t, applyTogether(t, c, args, args))
		if loser.code != cmdline.ExitError || !strings.Contains(loser.output, "holds the lock") {
			t.Errorf("the other apply: exit %d, want %d and \"holds the lock\":\n%s", loser.code, cmdline.ExitError, loser.output)
		}
		if got := mutations() - before; got != 4 {
			t.Errorf("%d mutating calls, want the plan's 4 (one apply only)", got)
		}
		c.expect(cmdline.ExitOK, "plan", "-f", menus, "--detailed-exitcode")
	})

	t.Run("lock timeout then stale", func(t *testing.T) {
		planFresh()
		before := mutations()
		srv.setLatency(150 * time.Millisecond)
		args := []string{"apply", "--lock-timeout", "1m", "--audit-log", audit, "plan.json"}
		loser := winnerAndLoser(t, applyTogether(t, c, args, args))
		if loser.code != cmdline.ExitStale || !strings.Contains(loser.output, "plan is stale") {
			t.Errorf("the waiting apply: exit %d, want %d and \"plan is stale\":\n%s", loser.code, cmdline.ExitStale, loser.output)
		}
		if got := mutations() - before; got != 4 {
			t.Errorf("%d mutating calls, want the plan's 4 (one apply only)", got)
		}
		c.expect(cmdline.ExitOK, "plan", "-f", menus, "--detailed-exitcode")
	})

	t.Run("applied twice in a row", func(t *testing.T) {
		planFresh()
		srv.setLatency(0)
		c.expect(cmdline.ExitOK, "apply", "--audit-log", audit, "plan.json")
		before := mutations()
		out := c.expect(cmdline.ExitStale, "apply", "--audit-log", audit, "plan.json")
		if !strings.Contains(out, "plan is stale") {
			t.Errorf("second apply:\n%s", out)
		}
		if got := mutations() - before; got != 0 {
			t.Errorf("the refused apply made %d mutating calls", got)
		}
	})

	events := checkAuditLines(t, audit)
	if n := countEvent(events, "apply_done"); n != 3 {
		t.Errorf("audit log has %d apply_done records, want 3 (one per subtest): %v", n, events)
	}
	if n := countEvent(events, "apply_start"); n != 3 {
		t.Errorf("audit log has %d apply_start records, want 3 (refused applies write none): %v", n, events)
	}
}

func countEvent(events []string, name string) int {
	n := 0
	for _, e := range events {
		if e == name {
			n++
		}
	}
	return n
}

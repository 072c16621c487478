package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// TestSandboxPlanScale plans projects of 2,500 and 10,000 platform
// accounts (one menus file shared by all) in --sandbox, through the whole
// chain (component token, the authorizer list read in pages of 500, an
// authorizer token and the grant per account). It checks what a
// quadratic run would break without timing anything: the memory allocated
// per account (the emulator's included: it runs in this process) must not
// grow with the number of accounts as a per-call save of the whole state
// or a per-call scan of every account made it grow, and the state file
// stays within 2 KiB per account. The figures are logged.
func TestSandboxPlanScale(t *testing.T) {
	scaleTest(t, "plans 12,500 accounts")
	menus, err := os.ReadFile("examples/basic/menus.yaml")
	if err != nil {
		t.Fatal(err)
	}
	perAccount := map[int]float64{}
	for _, n := range []int{2500, 10000} {
		dir := t.TempDir()
		var project strings.Builder
		project.WriteString("accounts:\n")
		for i := range n {
			fmt.Fprintf(&project, "  - {name: store-%05d, appid: wx%016d, file: menus.yaml, platform: true}\n", i+1, i+1)
		}
		project.WriteString("platform: {component_appid: wxfedcba9876543210, component_secret_env: COMPONENT_SECRET, verify_ticket_env: COMPONENT_VERIFY_TICKET}\n")
		for name, data := range map[string]string{"menus.yaml": string(menus), "wxmenu.yaml": project.String()} {
			if err := os.WriteFile(filepath.Join(dir, name), []byte(data), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		t.Chdir(dir)
		t.Setenv("XDG_STATE_HOME", filepath.Join(dir, "state"))

		var stdout, stderr bytes.Buffer
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		code := run([]string{"wxmenu", "--sandbox", "plan", "--allow-many-deletes"}, nil, &stdout, &stderr)
		runtime.ReadMemStats(&after)
		if want := fmt.Sprintf("%d accounts: %d with changes, 0 no changes\n", n, n); code != 0 || !strings.HasSuffix(stdout.String(), want) {
			t.Fatalf("%d accounts: exit %d, want 0 and %q last\n%s", n, code, want, stderr.Bytes())
		}
		state, err := os.Stat(filepath.Join(dir, "state", "wxmenu", "sandbox.json"))
		if err != nil {
			t.Fatal(err)
		}
		perAccount[n] = float64(after.TotalAlloc-before.TotalAlloc) / float64(n)
		t.Logf("%d accounts: %.0f KiB allocated per account, state file %d bytes (%d per account)", n, perAccount[n]/1024, state.Size(), state.Size()/int64(n))
		if state.Size() > int64(n)*2048 {
			t.Errorf("%d accounts: the state file has %d bytes, more than 2 KiB per account", n, state.Size())
		}
	}
	if ratio := perAccount[10000] / perAccount[2500]; ratio > 2 {
		t.Errorf("allocation per account grew %.1f× from 2,500 to 10,000 accounts (a quadratic run grows 4×), want at most 2×", ratio)
	}
}

// scaleTest skips a test of thousands of accounts under -short, and under
// the race detector, which makes it many times slower and finds nothing
// the rest of the suite does not: .ci/run runs these without it.
func scaleTest(t *testing.T, what string) {
	t.Helper()
	if testing.Short() || raceDetector {
		t.Skipf("%s; run it without -short and -race", what)
	}
}

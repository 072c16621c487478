package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"math"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/wxmenu/wxmenu/reconcile/fleet"
)

// The parameters of BenchmarkAuthorizerTokensPlanProcess, as flags of the
// test binary.
var (
	authorizersCount    = flag.Int("authorizers.accounts", 10000, "BenchmarkAuthorizerTokensPlanProcess: platform accounts in the project")
	authorizersLatency  = flag.Duration("authorizers.latency", 50*time.Millisecond, "BenchmarkAuthorizerTokensPlanProcess: the emulator's latency fault, added to every API call")
	authorizersParallel = flag.Int("authorizers.parallel", 0, "BenchmarkAuthorizerTokensPlanProcess: wxmenu plan --parallel (0: wxmenu's default)")
)

// The accounts of the benchmark's project are a platform's stores, each
// the example platform's template (examples/platform/templates/shop.yaml)
// with its own values.
const (
	benchTemplates = "templates:\n  shop: menus.yaml\n"
	benchAccount   = "  - {name: store-%05d, appid: wx%016d, platform: true, template: shop, vars: {store_id: \"%05[1]d\", mp_appid: wx1111111111111111, vip_tag: \"101\"}}\n"
)

// BenchmarkAuthorizerTokensPlanProcess measures `wxmenu plan` of a
// platform's many authorizers whose tokens come from the platform's
// authorizer_token_command, end to end with the real processes:
// `wxmenu sandbox serve` in memory with the platform and one --account per
// authorizer, its latency fault adding a fixed delay to every API call, a
// token of each account issued beforehand (tokens/issue) and printed by
// the command (awk over a file of them, for the appids it reads on
// standard input). One iteration is one whole plan run of the built
// binary; the set-up is not timed. Everything listens on 127.0.0.1.
//
//	go test -run '^$' -bench AuthorizerTokensPlanProcess -benchtime 1x .   # 10,000 accounts, 50 ms, default --parallel
//
// It reports the wall time against the latency bound (wall/bound,
// bound-ms), the API calls per account (calls/account) from the
// emulator's call log, the run's one-off calls (oneoff-calls), and the
// peak memory and CPU time of the wxmenu plan process (maxRSS-MiB,
// cpu-ms/op). The latency bound is what a perfect runner needs when each
// account's calls are strictly serial and at most --parallel accounts are
// in flight: ⌈accounts / parallel⌉ × calls per account × latency, plus the
// one-off calls (none are expected: the command replaces the component
// token and the authorizer list) × latency. The targets are wall/bound ≤
// 1.15 and maxRSS-MiB < 200.
func BenchmarkAuthorizerTokensPlanProcess(b *testing.B) {
	n, latency, parallel := *authorizersCount, *authorizersLatency, *authorizersParallel
	if n < 1 || latency < 0 || parallel < 0 {
		b.Fatalf("-authorizers.accounts %d, -authorizers.latency %v, -authorizers.parallel %d: want at least 1 account, no negative latency or parallel", n, latency, parallel)
	}
	bin, dir, srv := newAuthorizerBench(b, n, latency)

	args := []string{"plan", "--config", filepath.Join(dir, "wxmenu.yaml"), "--allow-many-deletes"}
	if parallel > 0 {
		args = append(args, "--parallel", fmt.Sprint(parallel))
	} else {
		parallel = fleet.DefaultParallel // what app.go gives --parallel
	}
	before := emulatorCalls(srv)
	var (
		plans          int
		wall, cpu      time.Duration
		maxRSS         int64 // bytes
		stdout, stderr bytes.Buffer
	)
	for b.Loop() {
		stdout.Reset()
		stderr.Reset()
		plan := exec.Command(bin, args...)
		plan.Dir, plan.Env = dir, cliEnv(filepath.Join(dir, "state"), srv.base)
		plan.Stdout, plan.Stderr = &stdout, &stderr
		start := time.Now()
		err := plan.Run()
		wall += time.Since(start)
		// 2: the plan has changes (the demo menus are not the template).
		if code := plan.ProcessState.ExitCode(); err != nil && code != 0 && code != 2 {
			b.Fatalf("wxmenu plan: %v\n%s", err, stderr.Bytes())
		}
		plans++
		cpu += plan.ProcessState.UserTime() + plan.ProcessState.SystemTime()
		if ru, ok := plan.ProcessState.SysUsage().(*syscall.Rusage); ok {
			rss := int64(ru.Maxrss) * 1024 // KiB on Linux
			if runtime.GOOS == "darwin" {
				rss = int64(ru.Maxrss) // bytes on macOS
			}
			maxRSS = max(maxRSS, rss)
		}
	}
	b.StopTimer()
	after := emulatorCalls(srv)
	if want := fmt.Sprintf("%d accounts: %d with changes, 0 no changes", n, n); !strings.Contains(stdout.String(), want) {
		lines := strings.Split(strings.TrimSpace(stdout.String()), "\n")
		b.Fatalf("wxmenu plan said %q, want %q", lines[len(lines)-1], want)
	}

	perAccount, oneOff := 0, 0
	var perEndpoint []string
	for ep, c := range after {
		d := (c - before[ep]) / plans
		if d <= 0 {
			continue
		}
		perEndpoint = append(perEndpoint, fmt.Sprintf("%s=%d", ep, d))
		if strings.HasPrefix(ep, "component/") {
			oneOff += d
		} else {
			perAccount += d
		}
	}
	slices.Sort(perEndpoint)
	calls := float64(perAccount) / float64(n)
	waves := math.Ceil(float64(n) / float64(parallel))
	bound := time.Duration((waves*calls + float64(oneOff)) * float64(latency))
	perPlan := wall / time.Duration(plans)

	b.ReportMetric(float64(perPlan)/float64(bound), "wall/bound")
	b.ReportMetric(float64(bound)/float64(time.Millisecond), "bound-ms")
	b.ReportMetric(calls, "calls/account")
	b.ReportMetric(float64(oneOff), "oneoff-calls")
	b.ReportMetric(float64(maxRSS)/(1<<20), "maxRSS-MiB")
	b.ReportMetric(float64(cpu)/float64(plans)/float64(time.Millisecond), "cpu-ms/op")
	b.Logf("accounts %d, parallel %d, latency %v, %d CPUs; %d plan(s)", n, parallel, latency, runtime.NumCPU(), plans)
	b.Logf("calls per plan: %s", strings.Join(perEndpoint, ", "))
	b.Logf("latency bound %v (⌈%d/%d⌉ × %.2f calls × %v + %d one-off × %v); wall %v = %.3f × bound (target ≤ 1.15)",
		bound.Round(time.Millisecond), n, parallel, calls, latency, oneOff, latency, perPlan.Round(time.Millisecond), float64(perPlan)/float64(bound))
	b.Logf("wxmenu plan: max RSS %.1f MiB (target < 200), CPU %v per plan (user+system)", float64(maxRSS)/(1<<20), (cpu / time.Duration(plans)).Round(time.Millisecond))
}

// newAuthorizerBench sets up BenchmarkAuthorizerTokensPlanProcess: the
// sandbox with n authorizers and latency, and in dir the project, its
// menus file, the accounts' tokens and bin/tokens printing them.
func newAuthorizerBench(t testing.TB, n int, latency time.Duration) (bin, dir string, srv *sandboxProc) {
	t.Helper()
	bin, dir = wxmenuBinary(t), t.TempDir()

	serveArgs := []string{"--platform", "wxfedcba9876543210:component-secret-0123456789"}
	var project strings.Builder
	project.WriteString(benchTemplates + "accounts:\n")
	appIDs := make([]string, n)
	for i := range n {
		appIDs[i] = fmt.Sprintf("wx%016d", i+1)
		serveArgs = append(serveArgs, "--account", appIDs[i]+":bench-secret-0123456789")
		fmt.Fprintf(&project, benchAccount, i+1, i+1)
	}
	project.WriteString("platform:\n  component_appid: wxfedcba9876543210\n  authorizer_token_command: [./bin/tokens]\n")
	srv = startSandbox(t, bin, "", serveArgs...)

	// A token of every account, from the emulator, for the command to print.
	var tokens strings.Builder
	for _, id := range appIDs {
		var issued struct {
			AccessToken string `json:"access_token"`
		}
		if err := json.Unmarshal(srv.control(http.MethodPost, "tokens/issue?appid="+id, ""), &issued); err != nil || issued.AccessToken == "" {
			t.Fatalf("tokens/issue for %s: %v", id, err)
		}
		fmt.Fprintf(&tokens, "%s %s\n", id, issued.AccessToken)
	}
	menus, err := os.ReadFile("examples/platform/templates/shop.yaml")
	if err != nil {
		t.Fatal(err)
	}
	command := `#!/bin/sh
exec awk 'NR == FNR { token[$1] = $2; next } ($1 in token) { printf "{\"appid\": \"%s\", \"access_token\": \"%s\", \"expires_in\": 7200}\n", $1, token[$1] }' tokens.txt -
`
	for name, data := range map[string]string{"menus.yaml": string(menus), "wxmenu.yaml": project.String(), "tokens.txt": tokens.String(), "bin/tokens": command} {
		path := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(data), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	srv.setLatency(latency)
	return bin, dir, srv
}

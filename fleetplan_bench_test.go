package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"math"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/wxmenu/wxmenu/reconcile/fleet"
)

// The parameters of BenchmarkFleetPlanProcess, as flags of the test binary.
var (
	fleetAccounts = flag.Int("fleet.accounts", 1000, "BenchmarkFleetPlanProcess: accounts in the project")
	fleetLatency  = flag.Duration("fleet.latency", 50*time.Millisecond, "BenchmarkFleetPlanProcess: added to every request by the proxy")
	fleetParallel = flag.Int("fleet.parallel", 0, "BenchmarkFleetPlanProcess: wxmenu plan --parallel (0: wxmenu's default)")
)

// BenchmarkFleetPlanProcess measures `wxmenu plan` over a large project
// end to end, with the real processes: it starts `wxmenu sandbox serve`
// with many accounts, puts a loopback proxy in front of it that adds a
// fixed latency to every request, and times `wxmenu plan --config` of
// every account at the given --parallel (one iteration is one whole plan
// run; the set-up is not timed). The wxmenu processes are this test
// binary, which testscript.Main puts on PATH under that name. Besides ns/op it reports the wall time
// against the latency bound (wall/bound, bound-ms), the round trips per
// account from the emulator's call log (roundtrips/account), the round
// trip measured in the proxy and the wall time against the bound
// recomputed with it (rt-ms, wall/measured), and the peak memory and CPU
// time of the wxmenu plan process (maxRSS-MiB, cpu-ms/op).
//
//	go test -run '^$' -bench FleetPlanProcess .     # 1,000 accounts, 50 ms, default --parallel
//	go test -run '^$' -bench FleetPlanProcess -benchtime 1x -fleet.accounts 200 -fleet.parallel 32 .
//
// The latency bound is ⌈accounts / parallel⌉ × round trips per account ×
// latency: what a perfect runner needs when each account's calls are
// strictly serial and at most parallel accounts are in flight. Everything
// listens on 127.0.0.1 only.
func BenchmarkFleetPlanProcess(b *testing.B) {
	n, latency, parallel := *fleetAccounts, *fleetLatency, *fleetParallel
	if n < 1 || latency < 0 || parallel < 0 {
		b.Fatalf("-fleet.accounts %d, -fleet.latency %v, -fleet.parallel %d: want at least 1 account, no negative latency or parallel", n, latency, parallel)
	}
	f := newBenchFleet(b, n, latency)
	bin, dir, config, srv := f.bin, f.dir, f.config, f.srv

	args := []string{"plan", "--config", config, "--allow-many-deletes"}
	if parallel > 0 {
		args = append(args, "--parallel", fmt.Sprint(parallel))
	} else {
		parallel = fleet.DefaultParallel // what app.go gives --parallel
	}
	env := f.env

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
		plan.Dir, plan.Env = dir, env
		plan.Stdout, plan.Stderr = &stdout, &stderr
		start := time.Now()
		err := plan.Run()
		wall += time.Since(start)
		// 2: the plan has changes (the demo menus are not menus.yaml).
		if code := plan.ProcessState.ExitCode(); err != nil && code != 0 && code != 2 {
			b.Fatalf("wxmenu plan: %v\n%s%s", err, stdout.Bytes(), stderr.Bytes())
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

	total := 0
	var perEndpoint []string
	for ep, c := range after {
		if d := c - before[ep]; d > 0 {
			total += d
			perEndpoint = append(perEndpoint, fmt.Sprintf("%s=%d", ep, d/plans))
		}
	}
	slices.Sort(perEndpoint)
	trips := float64(total) / float64(plans) / float64(n)
	waves := math.Ceil(float64(n) / float64(parallel))
	bound := time.Duration(waves * trips * float64(latency))
	perPlan := wall / time.Duration(plans)
	lines := strings.Split(strings.TrimSpace(stdout.String()), "\n")

	b.ReportMetric(float64(perPlan)/float64(bound), "wall/bound")
	b.ReportMetric(float64(bound)/float64(time.Millisecond), "bound-ms")
	b.ReportMetric(trips, "roundtrips/account")
	if rt, proxied := f.proxyStats().since(proxyStats{}); proxied > 0 {
		measured := time.Duration(waves * trips * float64(rt))
		b.ReportMetric(float64(rt)/float64(time.Millisecond), "rt-ms")
		b.ReportMetric(float64(perPlan)/float64(measured), "wall/measured")
	}
	b.ReportMetric(float64(maxRSS)/(1<<20), "maxRSS-MiB")
	b.ReportMetric(float64(cpu)/float64(plans)/float64(time.Millisecond), "cpu-ms/op")

	// sandbox serve's CPU time: its start-up and every plan.
	_ = srv.cmd.Process.Signal(os.Interrupt)
	_ = srv.cmd.Wait()
	serveCPU := srv.cmd.ProcessState.UserTime() + srv.cmd.ProcessState.SystemTime()

	b.Logf("accounts %d, parallel %d, latency %v, %d CPUs; %d plan(s)", n, parallel, latency, runtime.NumCPU(), plans)
	b.Logf("wxmenu said: %s", lines[len(lines)-1])
	if s := strings.TrimSpace(stderr.String()); s != "" {
		b.Logf("wxmenu plan's stderr: %s", s)
	}
	b.Logf("round trips per plan %d (%.2f per account: %s)", total/plans, trips, strings.Join(perEndpoint, ", "))
	b.Logf("latency bound %v (⌈%d/%d⌉ × %.2f × %v); wall %v = %.3f × bound (target ≤ 1.25)",
		bound.Round(time.Millisecond), n, parallel, trips, latency, perPlan.Round(time.Millisecond), float64(perPlan)/float64(bound))
	b.Logf("wxmenu plan: max RSS %.1f MiB, CPU %v per plan (user+system); sandbox serve CPU %v (its start-up and the plans)",
		float64(maxRSS)/(1<<20), (cpu / time.Duration(plans)).Round(time.Millisecond), serveCPU.Round(time.Millisecond))
}

// benchFleet is the set-up the process benchmarks share: a project of
// accounts AppSecret accounts sharing one menus file (examples/basic), each
// secret in its own variable; `wxmenu sandbox serve` in memory with one
// --account per account (every one seeded with the demo menus); and a
// loopback proxy in front of it that waits latency before passing on each
// request. Everything listens on 127.0.0.1; the test's clean-up stops it.
type benchFleet struct {
	bin, dir string
	config   string   // the project file
	env      []string // of a wxmenu process: the proxy as API base, every secret
	srv      *sandboxProc
	// inProxy sums the time requests spent in the proxy (the latency, the
	// emulator, and any scheduling delay on a busy machine); proxied
	// counts them.
	inProxy, proxied atomic.Int64
}

func newBenchFleet(b *testing.B, accounts int, latency time.Duration) *benchFleet {
	b.Helper()
	f := &benchFleet{bin: wxmenuBinary(b), dir: b.TempDir()}
	menus, err := os.ReadFile("examples/basic/menus.yaml")
	if err != nil {
		b.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(f.dir, "menus.yaml"), menus, 0o644); err != nil {
		b.Fatal(err)
	}

	var project strings.Builder
	project.WriteString("accounts:\n")
	serveArgs := []string{"--demo"}
	var secrets []string
	for i := range accounts {
		appID, secret := fmt.Sprintf("wx%016d", i+1), fmt.Sprintf("bench-secret-%06d-0123456789", i+1)
		serveArgs = append(serveArgs, "--account", appID+":"+secret)
		fmt.Fprintf(&project, "  - {name: acct-%04d, appid: %s, file: menus.yaml, secret_env: S%04d}\n", i+1, appID, i+1)
		secrets = append(secrets, fmt.Sprintf("S%04d=%s", i+1, secret))
	}
	f.config = filepath.Join(f.dir, "wxmenu.yaml")
	if err := os.WriteFile(f.config, []byte(project.String()), 0o644); err != nil {
		b.Fatal(err)
	}

	// The emulator, in memory (no --state), every account seeded.
	f.srv = startSandbox(b, f.bin, "", serveArgs...)
	emu, err := url.Parse(f.srv.base)
	if err != nil {
		b.Fatal(err)
	}

	// The proxy: every request waits latency, then goes to the emulator.
	rp := httputil.NewSingleHostReverseProxy(emu)
	transport := &http.Transport{MaxIdleConnsPerHost: 1024, MaxIdleConns: 1024}
	rp.Transport = transport
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	proxy := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		time.Sleep(latency)
		rp.ServeHTTP(w, r)
		f.inProxy.Add(int64(time.Since(start)))
		f.proxied.Add(1)
	})}
	go proxy.Serve(ln)
	b.Cleanup(func() {
		proxy.Close()
		transport.CloseIdleConnections()
	})
	f.env = append(cliEnv(filepath.Join(f.dir, "state"), "http://"+ln.Addr().String()), secrets...)
	return f
}

// proxyStats is the proxy's counts so far.
type proxyStats struct {
	in       time.Duration // the time requests spent in the proxy
	requests int64
}

func (f *benchFleet) proxyStats() proxyStats {
	return proxyStats{time.Duration(f.inProxy.Load()), f.proxied.Load()}
}

// since is the mean round trip measured in the proxy between prev and s,
// and how many requests there were.
func (s proxyStats) since(prev proxyStats) (time.Duration, int64) {
	n := s.requests - prev.requests
	if n <= 0 {
		return 0, 0
	}
	return (s.in - prev.in) / time.Duration(n), n
}

// emulatorCalls reads the sandbox's call counts by endpoint (from the
// emulator itself, not through the proxy).
func emulatorCalls(srv *sandboxProc) map[string]int {
	srv.t.Helper()
	var calls map[string]int
	if err := json.Unmarshal(srv.control(http.MethodGet, "calls", ""), &calls); err != nil {
		srv.t.Fatal(err)
	}
	return calls
}

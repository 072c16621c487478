package main

import (
	"bufio"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"net/http"
	"os"
	"os/exec"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/wxmenu/wxmenu/reconcile/fleet"
)

// The parameters of BenchmarkWatchProcess, as flags of the test binary.
var (
	watchAccounts = flag.Int("watch.accounts", 1000, "BenchmarkWatchProcess: accounts in the project")
	watchLatency  = flag.Duration("watch.latency", 50*time.Millisecond, "BenchmarkWatchProcess: added to every request by the proxy")
	watchSweeps   = flag.Int("watch.sweeps", 10, "BenchmarkWatchProcess: sweeps to let wxmenu watch run")
	watchParallel = flag.Int("watch.parallel", 0, "BenchmarkWatchProcess: wxmenu watch --parallel (0: wxmenu's default)")
)

// BenchmarkWatchProcess measures one long-running `wxmenu watch` over a
// large project, with the real processes and the set-up of
// BenchmarkFleetPlanProcess (newBenchFleet: `wxmenu sandbox serve` with one
// --account per account, a loopback proxy adding a fixed latency to every
// request). One iteration is one whole watch process: started with
// --interval 1s --listen 127.0.0.1:0, left to run -watch.sweeps sweeps,
// then stopped with SIGTERM, after which it must exit 0.
//
//	go test -run '^$' -bench WatchProcess -benchtime 1x .   # 1,000 accounts, 50 ms, 10 sweeps, default --parallel
//
// Each sweep is read from watch's log on stderr (msg=sweep accounts=N
// changes=N duration=D); right after its line, while watch waits out its
// interval, the benchmark reads the emulator's call log, the proxy's
// counts, the process's VmRSS (/proc/PID/status) and /metrics
// (wxmenu_sweep_duration_seconds, the Go heap and goroutines). A sweep's
// latency bound is ⌈accounts / parallel⌉ × its round trips per account
// (from the call log) × the round trip measured in the proxy during it.
// The criteria, reported as metrics:
//
//   - sweep time within 1.2× the bound: sweep1/bound (sweep 1 also fetches
//     every token) and worst/bound (the worst of the sweeps after it);
//   - tokens fetched only when they expire: tokens-sweep1 (cgi-bin/token
//     and cgi-bin/stable_token calls; N expected) and tokens-after (every
//     sweep after; 0 expected, the emulator's tokens last 7200 s);
//   - RSS flat: rss-first-MiB, rss-last-MiB and rss-max-MiB, after the
//     sweeps, and rss-MiB/sweep, the least-squares trend of the sweeps
//     after the first (the heap reaches its working size in them).
//
// Everything listens on 127.0.0.1 only.
func BenchmarkWatchProcess(b *testing.B) {
	n, latency, sweeps, parallel := *watchAccounts, *watchLatency, *watchSweeps, *watchParallel
	if n < 1 || latency < 0 || sweeps < 1 || parallel < 0 {
		b.Fatalf("-watch.accounts %d, -watch.latency %v, -watch.sweeps %d, -watch.parallel %d: want at least 1 account and 1 sweep, no negative latency or parallel",
			n, latency, sweeps, parallel)
	}
	if _, err := os.Stat("/proc/self/status"); err != nil {
		b.Skipf("the RSS after each sweep is read from /proc/PID/status: %v", err)
	}
	f := newBenchFleet(b, n, latency)
	args := []string{"watch", "--config", f.config, "--interval", "1s", "--listen", "127.0.0.1:0"}
	if parallel > 0 {
		args = append(args, "--parallel", fmt.Sprint(parallel))
	} else {
		parallel = fleet.DefaultParallel // what app.go gives --parallel
	}
	waves := math.Ceil(float64(n) / float64(parallel))

	var runs [][]watchSweep
	for b.Loop() {
		runs = append(runs, runWatch(b, f, args, sweeps))
	}
	b.StopTimer()

	// The last run's sweeps are reported (with -benchtime 1x, the only
	// one), one row per quantity: go test keeps 10 lines of a benchmark's
	// log.
	run := runs[len(runs)-1]
	rows := make([]strings.Builder, 7)
	var ratios, rss []float64
	var tokensAfter, minG, maxG int
	var tripsAfter float64
	var boundAfter time.Duration
	for i, s := range run {
		trips := float64(s.calls) / float64(n)
		bound := time.Duration(waves * trips * float64(s.rt))
		ratios, rss = append(ratios, float64(s.duration)/float64(bound)), append(rss, s.rss/(1<<20))
		for r, v := range []string{
			s.duration.String(), fmt.Sprintf("%.2f", trips), fmt.Sprintf("%.1f", float64(s.rt)/float64(time.Millisecond)),
			bound.Round(time.Millisecond).String(), fmt.Sprintf("%.3f", ratios[i]), fmt.Sprint(s.tokens),
			fmt.Sprintf("%.1f/%.1f", rss[i], s.heap/(1<<20)),
		} {
			fmt.Fprintf(&rows[r], " %9s", v)
		}
		if d := s.gauge - s.duration; d < -time.Millisecond || d > time.Millisecond {
			b.Errorf("sweep %d: the log says %v, /metrics' wxmenu_sweep_duration_seconds %v", i+1, s.duration, s.gauge)
		}
		if i == 0 {
			minG, maxG = s.goroutines, s.goroutines
		}
		minG, maxG = min(minG, s.goroutines), max(maxG, s.goroutines)
		if i > 0 {
			tokensAfter += s.tokens
			tripsAfter += trips
			boundAfter += bound
		}
	}
	b.Logf("accounts %d, parallel %d, latency %v, %d sweeps, %d CPUs; %d watch process(es): wxmenu %s",
		n, parallel, latency, len(run), runtime.NumCPU(), len(runs), strings.Join(args, " "))
	for r, label := range []string{
		"duration, sweeps 1..   ", "round trips/account    ", "round trip in proxy ms ",
		"latency bound          ", "duration/bound         ", "token calls            ", "RSS/Go heap in use MiB ",
	} {
		b.Log(label + rows[r].String())
	}
	b.ReportMetric(ratios[0], "sweep1/bound")
	b.ReportMetric(float64(run[0].duration)/float64(time.Millisecond), "sweep1-ms")
	b.ReportMetric(float64(run[0].tokens), "tokens-sweep1")
	worst, worstAt := 0.0, 0
	if later := len(run) - 1; later > 0 {
		for i, r := range ratios[1:] {
			if r > worst {
				worst, worstAt = r, i+2
			}
		}
		b.ReportMetric(worst, "worst/bound")
		b.ReportMetric(float64(boundAfter)/float64(later)/float64(time.Millisecond), "bound-ms")
		b.ReportMetric(tripsAfter/float64(later), "roundtrips/account")
		b.ReportMetric(float64(tokensAfter), "tokens-after")
	}
	b.ReportMetric(rss[0], "rss-first-MiB")
	b.ReportMetric(rss[len(rss)-1], "rss-last-MiB")
	b.ReportMetric(slices.Max(rss), "rss-max-MiB")
	// The heap grows to its working size during the first sweeps; growth
	// that goes on shows as the trend of the sweeps after the first.
	slope := math.NaN()
	if len(rss) >= 3 {
		slope = trend(rss[1:])
		b.ReportMetric(slope, "rss-MiB/sweep")
	}
	b.Logf("sweep time: sweep 1 %.3f × bound, worst of sweeps 2..%d %.3f (sweep %d; target ≤ 1.2); token calls: %d in sweep 1 (want %d), %d after (want 0); RSS after sweep 1 %.1f MiB, after sweep %d %.1f MiB, max %.1f, trend of sweeps 2..%d %+.2f MiB a sweep; goroutines %d..%d",
		ratios[0], len(run), worst, worstAt, run[0].tokens, n, tokensAfter, rss[0], len(rss), rss[len(rss)-1], slices.Max(rss), len(run), slope, minG, maxG)
}

// trend is the least-squares slope of ys over their index.
func trend(ys []float64) float64 {
	var sx, sy, sxx, sxy float64
	for i, y := range ys {
		x := float64(i)
		sx, sy, sxx, sxy = sx+x, sy+y, sxx+x*x, sxy+x*y
	}
	n := float64(len(ys))
	return (n*sxy - sx*sy) / (n*sxx - sx*sx)
}

// watchSweep is one sweep of a watch process, as read right after its
// log line.
type watchSweep struct {
	duration   time.Duration // from the log line
	gauge      time.Duration // wxmenu_sweep_duration_seconds
	calls      int           // every call the emulator received during the sweep
	tokens     int           // of them, cgi-bin/token and cgi-bin/stable_token
	endpoints  string        // the calls by endpoint
	rt         time.Duration // the mean round trip measured in the proxy
	rss        float64       // VmRSS, bytes
	heap       float64       // go_memstats_heap_inuse_bytes
	goroutines int           // go_goroutines
}

var (
	sweepLine   = regexp.MustCompile(`\bmsg=sweep accounts=(\d+) changes=(\d+) duration=(\S+)`)
	servingLine = regexp.MustCompile(`msg="serving /metrics and /healthz" address=(\S+)`)
)

// runWatch runs one watch process for sweeps sweeps and SIGTERMs it.
func runWatch(b *testing.B, f *benchFleet, args []string, sweeps int) []watchSweep {
	b.Helper()
	cmd := exec.Command(f.bin, args...)
	cmd.Dir, cmd.Env = f.dir, f.env
	stderr, err := cmd.StderrPipe()
	if err != nil {
		b.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	defer func() {
		if cmd.ProcessState == nil {
			_ = cmd.Process.Kill()
			_ = cmd.Wait()
		}
	}()
	lines := make(chan string, 4096)
	go func() {
		logs := bufio.NewScanner(stderr)
		for logs.Scan() {
			lines <- logs.Text()
		}
		close(lines)
	}()
	var tail []string // the last lines, for failures
	next := func(within time.Duration) string {
		select {
		case line, ok := <-lines:
			if !ok {
				b.Fatalf("wxmenu watch ended early:\n%s", strings.Join(tail, "\n"))
			}
			if tail = append(tail, line); len(tail) > 20 {
				tail = tail[1:]
			}
			return line
		case <-time.After(within):
			b.Fatalf("wxmenu watch logged nothing for %v:\n%s", within, strings.Join(tail, "\n"))
		}
		return ""
	}

	// The guard against a hang, not a speed check: a sweep is a few
	// seconds, a line at most a sweep and an interval apart.
	const quiet = 5 * time.Minute
	addr := ""
	for addr == "" {
		if m := servingLine.FindStringSubmatch(next(quiet)); m != nil {
			addr = m[1]
		}
	}
	calls, proxy := emulatorCalls(f.srv), f.proxyStats()
	var out []watchSweep
	for len(out) < sweeps {
		m := sweepLine.FindStringSubmatch(next(quiet))
		if m == nil {
			continue
		}
		// watch now waits out its interval (0.9 s to 1.1 s): read it all
		// before the next sweep starts.
		seen := time.Now()
		s := watchSweep{rss: vmRSS(b, cmd.Process.Pid)}
		if s.duration, err = time.ParseDuration(m[3]); err != nil {
			b.Fatalf("sweep line %q: %v", m[0], err)
		}
		metrics := scrapeMetrics(b, addr)
		s.gauge = time.Duration(metrics["wxmenu_sweep_duration_seconds"] * float64(time.Second))
		s.heap, s.goroutines = metrics["go_memstats_heap_inuse_bytes"], int(metrics["go_goroutines"])
		now, p := emulatorCalls(f.srv), f.proxyStats()
		var per []string
		for ep, c := range now {
			if d := c - calls[ep]; d > 0 {
				s.calls += d
				per = append(per, fmt.Sprintf("%s=%d", ep, d))
				if ep == "cgi-bin/token" || ep == "cgi-bin/stable_token" {
					s.tokens += d
				}
			}
		}
		slices.Sort(per)
		s.endpoints = strings.Join(per, " ")
		s.rt, _ = p.since(proxy)
		calls, proxy = now, p
		if took := time.Since(seen); took > 800*time.Millisecond {
			b.Logf("sweep %d: reading it took %v, the next sweep may have started", len(out)+1, took)
		}
		out = append(out, s)
	}

	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		b.Fatal(err)
	}
	stopped := false
	for line := range lines { // until stderr closes; next's guard is not needed: watch exits or the test times out
		stopped = stopped || strings.Contains(line, "msg=stopped")
		if tail = append(tail, line); len(tail) > 20 {
			tail = tail[1:]
		}
	}
	err = cmd.Wait()
	if code := cmd.ProcessState.ExitCode(); err != nil || code != 0 || !stopped {
		b.Fatalf("wxmenu watch after SIGTERM: exit %d, %v, said it stopped: %v:\n%s", code, err, stopped, strings.Join(tail, "\n"))
	}
	return out
}

// vmRSS is the resident set of process pid, in bytes.
func vmRSS(b *testing.B, pid int) float64 {
	b.Helper()
	status, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		b.Fatal(err)
	}
	for _, line := range strings.Split(string(status), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			kb, err := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 64)
			if err != nil {
				b.Fatalf("VmRSS %q: %v", rest, err)
			}
			return kb * 1024
		}
	}
	b.Fatalf("/proc/%d/status has no VmRSS", pid)
	return 0
}

// scrapeMetrics reads the unlabelled samples of watch's /metrics.
func scrapeMetrics(b *testing.B, addr string) map[string]float64 {
	b.Helper()
	resp, err := http.Get("http://" + addr + "/metrics")
	if err != nil {
		b.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err == nil && resp.StatusCode != http.StatusOK {
		err = errors.New(resp.Status)
	}
	if err != nil {
		b.Fatalf("GET /metrics: %v", err)
	}
	out := map[string]float64{}
	for _, line := range strings.Split(string(body), "\n") {
		name, value, ok := strings.Cut(line, " ")
		if !ok || strings.HasPrefix(line, "#") || strings.Contains(name, "{") {
			continue
		}
		if v, err := strconv.ParseFloat(value, 64); err == nil {
			out[name] = v
		}
	}
	if _, ok := out["wxmenu_sweep_duration_seconds"]; !ok {
		b.Fatalf("/metrics has no wxmenu_sweep_duration_seconds:\n%s", body)
	}
	return out
}

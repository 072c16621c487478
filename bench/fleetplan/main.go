// Command fleetplan measures `wxmenu plan` over a large project: it starts
// `wxmenu sandbox serve` with many accounts, puts a loopback proxy in front
// of it that adds a fixed latency to every request, plans every account at
// the given --parallel and reports the wall time against the latency
// bound, the round trips per account (from the emulator's call log) and
// the peak memory (max RSS) of the wxmenu process.
//
//	go run ./bench/fleetplan                      # 1,000 accounts, 50 ms, default --parallel
//	go run ./bench/fleetplan -accounts 200 -parallel 32
//
// The latency bound is ⌈accounts / parallel⌉ × round trips per account ×
// latency: what a perfect runner needs when each account's calls are
// strictly serial and at most parallel accounts are in flight. Everything
// listens on 127.0.0.1 only.
package main

import (
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
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"time"
)

func main() {
	accounts := flag.Int("accounts", 1000, "accounts in the project")
	latency := flag.Duration("latency", 50*time.Millisecond, "added to every request by the proxy")
	parallel := flag.Int("parallel", 0, "wxmenu --parallel (0: wxmenu's default)")
	wxmenu := flag.String("wxmenu", "", "the wxmenu binary (default: build this checkout)")
	menus := flag.String("menus", "examples/basic/menus.yaml", "the menus file of every account")
	flag.Parse()
	if err := run(*accounts, *latency, *parallel, *wxmenu, *menus); err != nil {
		fmt.Fprintln(os.Stderr, "fleetplan:", err)
		os.Exit(1)
	}
}

func run(n int, latency time.Duration, parallel int, bin, menus string) error {
	dir, err := os.MkdirTemp("", "wxmenu-fleetplan-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	if bin == "" {
		bin = filepath.Join(dir, "wxmenu")
		if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
			return fmt.Errorf("building wxmenu: %v\n%s", err, out)
		}
	}
	menuBytes, err := os.ReadFile(menus)
	if err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dir, "menus.yaml"), menuBytes, 0o644); err != nil {
		return err
	}

	// The project: n AppSecret accounts sharing one menus file, each secret
	// in its own variable.
	var project strings.Builder
	project.WriteString("accounts:\n")
	serveArgs := []string{"sandbox", "serve", "--addr", "127.0.0.1:0", "--addr-file", filepath.Join(dir, "addr"), "--demo"}
	env := append(os.Environ(), "NO_COLOR=1", "XDG_STATE_HOME="+filepath.Join(dir, "state"))
	for i := range n {
		appID, secret := fmt.Sprintf("wx%016d", i+1), fmt.Sprintf("bench-secret-%06d-0123456789", i+1)
		serveArgs = append(serveArgs, "--account", appID+":"+secret)
		fmt.Fprintf(&project, "  - {name: acct-%04d, appid: %s, file: menus.yaml, secret_env: S%04d}\n", i+1, appID, i+1)
		env = append(env, fmt.Sprintf("S%04d=%s", i+1, secret))
	}
	if err := os.WriteFile(filepath.Join(dir, "wxmenu.yaml"), []byte(project.String()), 0o644); err != nil {
		return err
	}

	serve := exec.Command(bin, serveArgs...)
	serve.Stderr = os.Stderr
	if err := serve.Start(); err != nil {
		return err
	}
	defer func() {
		if serve.ProcessState == nil {
			serve.Process.Kill()
			serve.Wait()
		}
	}()
	var emuAddr string
	for start := time.Now(); emuAddr == ""; time.Sleep(20 * time.Millisecond) {
		if b, err := os.ReadFile(filepath.Join(dir, "addr")); err == nil && strings.TrimSpace(string(b)) != "" {
			emuAddr = strings.TrimSpace(string(b))
		} else if time.Since(start) > 30*time.Second {
			return fmt.Errorf("sandbox serve wrote no address")
		}
	}
	emu := &url.URL{Scheme: "http", Host: strings.TrimPrefix(emuAddr, "http://")}

	// The proxy: every request waits latency, then goes to the emulator.
	rp := httputil.NewSingleHostReverseProxy(emu)
	rp.Transport = &http.Transport{MaxIdleConnsPerHost: 1024, MaxIdleConns: 1024}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	defer ln.Close()
	// inProxy sums the time requests spent in the proxy (the latency,
	// the emulator, and any scheduling delay on a busy machine).
	var inProxy, proxied atomic.Int64
	go http.Serve(ln, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		time.Sleep(latency)
		rp.ServeHTTP(w, r)
		inProxy.Add(int64(time.Since(start)))
		proxied.Add(1)
	}))

	before, err := calls(emu)
	if err != nil {
		return err
	}
	args := []string{"plan", "--config", filepath.Join(dir, "wxmenu.yaml"), "--allow-many-deletes"}
	if parallel > 0 {
		args = append(args, "--parallel", fmt.Sprint(parallel))
	}
	plan := exec.Command(bin, args...)
	plan.Dir = dir
	plan.Env = append(env, "WECHAT_API_BASE=http://"+ln.Addr().String())
	var stdout strings.Builder
	plan.Stdout = &stdout
	plan.Stderr = os.Stderr
	start := time.Now()
	err = plan.Run()
	wall := time.Since(start)
	if code := plan.ProcessState.ExitCode(); err != nil && code != 0 && code != 2 {
		return fmt.Errorf("wxmenu plan: %v", err)
	}
	after, err := calls(emu)
	if err != nil {
		return err
	}
	lines := strings.Split(strings.TrimSpace(stdout.String()), "\n")
	summary := lines[len(lines)-1]

	total := 0
	var perEndpoint []string
	for ep, c := range after {
		if d := c - before[ep]; d > 0 {
			total += d
			perEndpoint = append(perEndpoint, fmt.Sprintf("%s=%d", ep, d))
		}
	}
	slices.Sort(perEndpoint)
	if parallel == 0 {
		parallel = defaultParallel(bin)
	}
	trips := float64(total) / float64(n)
	waves := math.Ceil(float64(n) / float64(parallel))
	bound := time.Duration(waves * trips * float64(latency))
	var maxRSS int64
	if ru, ok := plan.ProcessState.SysUsage().(*syscall.Rusage); ok {
		maxRSS = ru.Maxrss // KiB on Linux
	}
	cpu := plan.ProcessState.UserTime() + plan.ProcessState.SystemTime()
	serve.Process.Signal(os.Interrupt)
	serve.Wait()
	serveCPU := serve.ProcessState.UserTime() + serve.ProcessState.SystemTime()
	fmt.Printf("accounts %d, parallel %d, latency %v\n", n, parallel, latency)
	fmt.Printf("wxmenu said: %s\n", summary)
	fmt.Printf("round trips %d (%.2f per account: %s)\n", total, trips, strings.Join(perEndpoint, ", "))
	fmt.Printf("latency bound %v (⌈%d/%d⌉ × %.2f × %v)\n", bound.Round(time.Millisecond), n, parallel, trips, latency)
	fmt.Printf("wall %v = %.3f × bound (target ≤ 1.25)\n", wall.Round(time.Millisecond), float64(wall)/float64(bound))
	if proxied.Load() > 0 {
		rt := time.Duration(inProxy.Load() / proxied.Load())
		measured := time.Duration(waves * trips * float64(rt))
		fmt.Printf("measured round trip %v (latency + emulator + scheduling): bound with it %v, wall %.3f × that\n",
			rt.Round(100*time.Microsecond), measured.Round(time.Millisecond), float64(wall)/float64(measured))
	}
	fmt.Printf("wxmenu plan: max RSS %.1f MiB, CPU %v (user+system); sandbox serve CPU %v; %d CPUs\n", float64(maxRSS)/1024, cpu.Round(time.Millisecond), serveCPU.Round(time.Millisecond), runtime.NumCPU())
	return nil
}

// calls reads the emulator's call counts (not through the proxy).
func calls(emu *url.URL) (map[string]int, error) {
	resp, err := http.Get(emu.String() + "/_emulator/calls")
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	var out map[string]int
	return out, json.NewDecoder(resp.Body).Decode(&out)
}

// defaultParallel reads wxmenu's default --parallel from its help.
func defaultParallel(bin string) int {
	out, _ := exec.Command(bin, "plan", "--help").CombinedOutput()
	if m := regexp.MustCompile(`--parallel .*\(default: (\d+)\)`).FindSubmatch(out); m != nil {
		if n, _ := strconv.Atoi(string(m[1])); n > 0 {
			return n
		}
	}
	return 1
}

package fleet_test

import (
	"context"
	"fmt"
	"math"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/wxmenu/wxmenu/reconcile"
	"github.com/wxmenu/wxmenu/reconcile/account"
	"github.com/wxmenu/wxmenu/reconcile/fleet"
	"github.com/wxmenu/wxmenu/reconcile/project"
	"github.com/wxmenu/wxmenu/wechat/wechattest"
)

// BenchmarkFleetPlan1000 plans 1,000 accounts at the default parallelism
// against the emulator served over loopback HTTP (as `wxmenu sandbox
// serve` serves it) behind a loopback proxy that delays every request by
// 50 ms, and reports the wall time against the latency bound
// ⌈accounts / parallel⌉ × round trips per account × 50 ms (round trips:
// stable_token and menu/get), and the heap in use after the run.
//
//	go test ./reconcile/fleet -run '^$' -bench FleetPlan1000 -benchtime 1x
func BenchmarkFleetPlan1000(b *testing.B) {
	const accounts, delay, roundTrips = 1000, 50 * time.Millisecond, 2
	dir := b.TempDir()
	menus, err := os.ReadFile("../../examples/basic/menus.yaml")
	if err != nil {
		b.Fatal(err)
	}
	var cfg wechattest.Config
	var src strings.Builder
	env := map[string]string{}
	src.WriteString("accounts:\n")
	for i := range accounts {
		appID, name := fmt.Sprintf("wx%016d", i+1), fmt.Sprintf("acct-%04d", i+1)
		secret := fmt.Sprintf("secret-%04d-0123456789abcdef", i+1)
		cfg.Accounts = append(cfg.Accounts, wechattest.AccountConfig{AppID: appID, Secret: secret})
		env[fmt.Sprintf("S%04d", i+1)] = secret
		fmt.Fprintf(&src, "  - {name: %s, appid: %s, file: menus.yaml, secret_env: S%04d}\n", name, appID, i+1)
	}
	os.WriteFile(filepath.Join(dir, "menus.yaml"), menus, 0o644)
	os.WriteFile(filepath.Join(dir, "wxmenu.yaml"), []byte(src.String()), 0o644)
	proj, err := project.Load(filepath.Join(dir, "wxmenu.yaml"))
	if err != nil {
		b.Fatal(err)
	}
	emu := wechattest.New(cfg)
	emu.SeedDemoAll()
	emuAddr := serveLoopback(b, emu)
	target, _ := url.Parse("http://" + emuAddr)
	proxy := httputil.NewSingleHostReverseProxy(target)
	transport := http.DefaultTransport.(*http.Transport).Clone()
	transport.MaxIdleConnsPerHost = 64
	proxy.Transport = transport
	proxyAddr := serveLoopback(b, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		time.Sleep(delay)
		proxy.ServeHTTP(w, r)
	}))
	bound := time.Duration(math.Ceil(float64(accounts)/float64(fleet.DefaultParallel))) * roundTrips * delay
	b.ResetTimer()
	for range b.N {
		fl := account.Open(account.Spec{Project: proj, APIBases: []string{"http://" + proxyAddr}, ReadOnly: true, Getenv: func(k string) string { return env[k] }})
		start := time.Now()
		rep := fleet.Plan(context.Background(), fleet.Options{Accounts: proj.Accounts,
			Plan: reconcile.PlanOptions{MaxConditional: 100, Safety: reconcile.SafetyOptions{MaxDeletes: 10, MaxDeleteShare: 0.5}},
			Open: fl.Open})
		wall := time.Since(start)
		for _, o := range rep.Outcomes {
			if o.Result.Status != reconcile.StatusChanges {
				b.Fatalf("%s: %s %v", o.Name, o.Result.Status, o.Result.Err)
			}
		}
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		b.ReportMetric(wall.Seconds(), "wall-s")
		b.ReportMetric(bound.Seconds(), "bound-s")
		b.ReportMetric(wall.Seconds()/bound.Seconds(), "x-bound")
		b.ReportMetric(float64(ms.HeapInuse)/(1<<20), "heap-MiB")
		runtime.KeepAlive(rep)
	}
}

func serveLoopback(b *testing.B, h http.Handler) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	go srv.Serve(l)
	b.Cleanup(func() { srv.Close() })
	return l.Addr().String()
}

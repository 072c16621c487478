package account

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/wxmenu/wxmenu/internal/atomicfile"
	"github.com/wxmenu/wxmenu/internal/errtext"
	"github.com/wxmenu/wxmenu/wechat/wechattest"
)

// ServeSpec configures Serve.
type ServeSpec struct {
	Addr          string // HOST:PORT, loopback only
	AppID, Secret string // what the emulator accepts ("" for its defaults)
	StatePath     string // load and save the state here ("" keeps it in memory)
	Demo          bool   // seed the demo account when the state is empty
	AddrFile      string // write the address listened on here
	// Quotas are ENDPOINT=N daily quotas, e.g. "menu/delconditional=0".
	Quotas         []string
	MaxConditional int
	// Accounts are further APPID:SECRET accounts; Platform, if set, is
	// COMPONENT_APPID:COMPONENT_SECRET, making every account an authorizer.
	Accounts []string
	Platform string
	// LockWait is how long to wait for another run that has the state
	// open (0: DefaultSandboxLockWait).
	LockWait time.Duration
}

// Serve serves the emulator over HTTP until ctx is done, announcing its
// address on out.
func Serve(ctx context.Context, spec ServeSpec, out io.Writer) error {
	host, _, err := net.SplitHostPort(spec.Addr)
	if err != nil {
		return errtext.Errorf("use HOST:PORT, e.g. 127.0.0.1:8808", "bad --addr %q: %v", spec.Addr, err)
	}
	if ip := net.ParseIP(host); host != "localhost" && (ip == nil || !ip.IsLoopback()) {
		return errtext.Errorf("use 127.0.0.1 or [::1]; the emulator's control surface must not be reachable from other machines", "refusing to listen on %s: not a loopback address", host)
	}
	cfg := wechattest.Config{AppID: spec.AppID, Secret: spec.Secret}
	if err := addServeAccounts(&cfg, spec); err != nil {
		return err
	}
	var emu *wechattest.Emulator
	if spec.StatePath != "" {
		// Held until the emulator's state is saved for the last time.
		lock, err := lockSandbox(ctx, spec.StatePath, spec.LockWait, out, "wxmenu sandbox serve")
		if err != nil {
			return err
		}
		defer lock.Unlock()
		emu, err = wechattest.Load(spec.StatePath, cfg)
		if err != nil {
			return errtext.Errorf(fmt.Sprintf("remove %s and %s to start empty", spec.StatePath, wechattest.JournalPath(spec.StatePath)), "loading emulator state: %v", err)
		}
	} else {
		emu = wechattest.New(cfg)
	}
	emu.SetMaxConditional(spec.MaxConditional)
	for _, q := range spec.Quotas {
		endpoint, n, ok := strings.Cut(q, "=")
		limit, err := strconv.Atoi(n)
		if !ok || err != nil || limit < 0 {
			return errtext.Errorf("use --quota menu/delconditional=0", "bad --quota %q", q)
		}
		emu.SetQuota(endpoint, limit)
	}
	if spec.Demo && allEmpty(emu) {
		emu.SeedDemoAll()
	}
	l, err := net.Listen("tcp", spec.Addr)
	if err != nil {
		return errtext.Errorf("", "listening on %s: %v", spec.Addr, err)
	}
	if f := spec.AddrFile; f != "" {
		if err := atomicfile.Write(f, func(w io.Writer) error { _, err := io.WriteString(w, l.Addr().String()); return err }); err != nil {
			l.Close()
			return errtext.Errorf("", "writing %s: %v", f, errtext.PathReason(err))
		}
	}
	fmt.Fprintf(out, "wxmenu sandbox: WeChat menu API emulator on http://%s (appid %s%s); Ctrl-C to stop\n", l.Addr(), cmp.Or(cfg.AppID, wechattest.DefaultAppID), serveExtras(spec))
	// Timeouts and a connection cap, so a slow or idle client (slowloris)
	// cannot hold the emulator's connections forever.
	var opts wechattest.ServerOptions
	srv := wechattest.NewServer(emu, opts)
	go func() {
		<-ctx.Done()
		shut, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		srv.Shutdown(shut)
	}()
	if err := wechattest.Serve(srv, l, opts); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return errtext.Errorf("", "serving: %v", err)
	}
	// Every change is durable already; this folds the journal into the
	// state file so that the file alone holds the state.
	if err := emu.Close(); err != nil {
		return errtext.Errorf("", "saving emulator state: %v", err)
	}
	return nil
}

// addServeAccounts adds sandbox serve's --account and --platform to cfg.
func addServeAccounts(cfg *wechattest.Config, spec ServeSpec) error {
	for _, pair := range spec.Accounts {
		id, secret, ok := strings.Cut(pair, ":")
		if !ok || id == "" || secret == "" {
			return errtext.Errorf("use --account APPID:SECRET, e.g. --account wx1234567890abcdef:test-secret", "bad --account: want APPID:SECRET")
		}
		cfg.Accounts = append(cfg.Accounts, wechattest.AccountConfig{AppID: id, Secret: secret})
	}
	if spec.Platform != "" {
		id, secret, ok := strings.Cut(spec.Platform, ":")
		if !ok || id == "" || secret == "" {
			return errtext.Errorf("use --platform COMPONENT_APPID:COMPONENT_SECRET", "bad --platform: want COMPONENT_APPID:COMPONENT_SECRET")
		}
		cfg.Platform = &wechattest.PlatformConfig{ComponentAppID: id, ComponentSecret: secret}
	}
	return nil
}

func allEmpty(emu *wechattest.Emulator) bool {
	for _, id := range emu.AppIDs() {
		if m := emu.Account(id).Menus(); m.Default != nil || len(m.Conditional) > 0 {
			return false
		}
	}
	return true
}

// serveExtras words the further accounts and the platform for the
// announcement line (never a secret).
func serveExtras(spec ServeSpec) string {
	s := ""
	if n := len(spec.Accounts); n > 0 {
		s += fmt.Sprintf(" and %d more accounts", n)
	}
	if spec.Platform != "" {
		id, _, _ := strings.Cut(spec.Platform, ":")
		s += ", platform " + id + " (ticket: GET /_emulator/platform/ticket)"
	}
	return s
}

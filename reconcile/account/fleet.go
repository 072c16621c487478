package account

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/wxmenu/wxmenu/internal/errtext"
	"github.com/wxmenu/wxmenu/reconcile/project"
	"github.com/wxmenu/wxmenu/wechat"
	"github.com/wxmenu/wxmenu/wechat/wechattest"
)

// SandboxComponentAppID is the component appid the sandbox platform uses
// when the project has no platform block.
const SandboxComponentAppID = "wxsandboxcomponent0"

// FleetSpec says how to open the accounts of a project.
type FleetSpec struct {
	Project     *project.Project
	APIBases    []string
	LegacyToken bool
	ReadOnly    bool
	// Getenv reads credentials' environment variables; nil is os.Getenv.
	Getenv func(string) string
	// Sandbox serves every account of the project from one embedded
	// emulator kept in SandboxState (see OpenFleet).
	Sandbox      bool
	SandboxState string
	Notices      io.Writer
	// Options are added to every client and to the platform (tests).
	Options []wechat.Option
}

// Fleet opens the accounts of one project. It is safe for concurrent use:
// the one Platform (and its component token) is shared by every platform
// account of the run.
type Fleet struct {
	spec  FleetSpec
	bases []string
	srv   *http.Server
	// sandbox stands in for every kind of credentials.
	sandbox *wechattest.Emulator

	hc           *http.Client
	platformOnce sync.Once
	platform     *wechat.Platform
	platformErr  error
	refreshOnce  sync.Once
	refreshErr   error
}

// OpenFleet prepares to open the project's accounts. With Sandbox, one
// emulator serves every account of the project (accounts it has not seen
// before are seeded with the demo menus) on a loopback port, and stands
// in for each kind of credentials so that no variable is needed:
// secret_env and token_command accounts get the emulator's app secret
// (the variable is not read, the command not run); platform accounts go
// through the real chain against the emulator's platform, with the
// emulator's current verify ticket and component secret.
func OpenFleet(spec FleetSpec) (*Fleet, error) {
	if spec.Getenv == nil {
		spec.Getenv = os.Getenv
	}
	// One HTTP client for every account of the run, keeping enough idle
	// connections for the accounts in flight: the default transport keeps
	// two per host, so a parallel run would open a connection per call.
	transport := http.DefaultTransport.(*http.Transport).Clone()
	transport.MaxIdleConnsPerHost = 64
	f := &Fleet{spec: spec, bases: spec.APIBases, hc: &http.Client{Timeout: 30 * time.Second, Transport: transport}}
	if !spec.Sandbox {
		return f, nil
	}
	emu, err := openFleetSandbox(spec)
	if err != nil {
		return nil, err
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fail("", "starting the sandbox: %v", err)
	}
	f.srv = &http.Server{Handler: emu, ReadHeaderTimeout: 10 * time.Second}
	go f.srv.Serve(l)
	f.sandbox, f.bases = emu, []string{"http://" + l.Addr().String()}
	return f, nil
}

func openFleetSandbox(spec FleetSpec) (*wechattest.Emulator, error) {
	path := spec.SandboxState
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fail("", "creating the sandbox state directory: %v", errtext.PathReason(err))
	}
	known := map[string]bool{}
	data, err := os.ReadFile(path)
	fresh := errors.Is(err, os.ErrNotExist)
	if err == nil {
		var st struct {
			Accounts []struct {
				AppID string `json:"appid"`
			} `json:"accounts"`
		}
		json.Unmarshal(data, &st) // Load below reports a bad file
		for _, a := range st.Accounts {
			known[a.AppID] = true
		}
	}
	cfg := wechattest.Config{StatePath: path, Platform: &wechattest.PlatformConfig{ComponentAppID: componentAppID(spec.Project), ComponentSecret: wechattest.DefaultSecret}}
	for _, a := range spec.Project.Accounts {
		cfg.Accounts = append(cfg.Accounts, wechattest.AccountConfig{AppID: a.AppID, Secret: wechattest.DefaultSecret})
	}
	emu, err := wechattest.Load(path, cfg)
	if err != nil {
		return nil, fail("reset it with: wxmenu sandbox reset", "loading sandbox state %s: %v", path, err)
	}
	seeded := 0
	for _, a := range spec.Project.Accounts {
		if !known[a.AppID] {
			emu.Account(a.AppID).SeedDemo()
			seeded++
		}
	}
	if fresh {
		emu.SeedDemo()
	}
	if seeded > 0 || fresh {
		if err := emu.Save(path); err != nil {
			return nil, fail("", "saving sandbox state: %v", err)
		}
		if spec.Notices != nil {
			fmt.Fprintf(spec.Notices, "wxmenu: seeded %d sandbox accounts with the demo menus in %s\n", seeded, path)
		}
	}
	return emu, nil
}

func componentAppID(p *project.Project) string {
	if p.Platform != nil && p.Platform.ComponentAppID != "" {
		return p.Platform.ComponentAppID
	}
	return SandboxComponentAppID
}

// Close stops the sandbox server, if any.
func (f *Fleet) Close() {
	if f != nil && f.srv != nil {
		f.srv.Close()
	}
}

// Sandbox is the emulator serving the run, nil outside --sandbox.
func (f *Fleet) Sandbox() *wechattest.Emulator { return f.sandbox }

func (f *Fleet) options() []wechat.Option {
	opts := append([]wechat.Option{wechat.WithBaseURLs(f.bases...), wechat.WithHTTPClient(f.hc)}, f.spec.Options...)
	return opts
}

// Open opens one account of the project. For a platform account it also
// checks, before anything is planned, that the account granted the
// platform permission set 15 (menu management).
func (f *Fleet) Open(ctx context.Context, a project.Account) (*Account, error) {
	opts := f.options()
	if f.spec.ReadOnly {
		opts = append(opts, wechat.WithReadOnly())
	}
	switch {
	case a.Platform:
		src, err := f.authorizerSource(ctx, a)
		if err != nil {
			return nil, err
		}
		opts = append(opts, wechat.WithTokenSource(src))
	case f.sandbox != nil:
		opts = append(opts, wechat.WithCredentials(a.AppID, wechattest.DefaultSecret))
	case a.SecretEnv != "":
		secret := f.spec.Getenv(a.SecretEnv)
		if secret == "" {
			return nil, fail("export "+a.SecretEnv+" with the account's AppSecret, or run with --sandbox", "account %s: %s is not set", a.Name, a.SecretEnv)
		}
		opts = append(opts, wechat.WithCredentials(a.AppID, secret))
		if f.spec.LegacyToken {
			opts = append(opts, wechat.WithLegacyToken())
		}
	default:
		src, err := wechat.CommandTokenSource(f.commandArgv(a.TokenCommand), 0)
		if err != nil {
			return nil, fail("token_command is [PROGRAM, ARGS...], relative to the project file", "account %s: token_command: %v", a.Name, err)
		}
		opts = append(opts, wechat.WithTokenSource(src))
	}
	client, err := wechat.New(opts...)
	if err != nil {
		return nil, fail("", "account %s: %v", a.Name, err)
	}
	return &Account{Client: client, AppID: a.AppID}, nil
}

// commandArgv resolves a relative program path ("./bin/token") against
// the project file's directory; bare names are looked up on PATH.
func (f *Fleet) commandArgv(argv []string) []string {
	out := append([]string(nil), argv...)
	if p := out[0]; !filepath.IsAbs(p) && (filepath.Base(p) != p) {
		out[0] = filepath.Join(f.spec.Project.Dir, p)
		if !filepath.IsAbs(out[0]) && filepath.Base(out[0]) == out[0] {
			out[0] = "." + string(filepath.Separator) + out[0]
		}
	}
	return out
}

// Platform is the project's platform, made once per run from the component
// secret and the verify ticket.
func (f *Fleet) Platform() (*wechat.Platform, error) {
	f.platformOnce.Do(func() {
		p := f.spec.Project.Platform
		cfg := wechat.PlatformConfig{ComponentAppID: componentAppID(f.spec.Project)}
		switch {
		case f.sandbox != nil:
			cfg.ComponentSecret, cfg.VerifyTicket = wechattest.DefaultSecret, f.sandbox.Ticket()
		case p == nil:
			f.platformErr = fail("add platform: to the project file", "the project has no platform")
			return
		default:
			cfg.ComponentSecret, cfg.VerifyTicket = f.spec.Getenv(p.ComponentSecretEnv), f.spec.Getenv(p.VerifyTicketEnv)
			if cfg.ComponentSecret == "" {
				f.platformErr = fail("export "+p.ComponentSecretEnv+" with the platform's component secret (AppSecret of the third-party platform)", "platform: %s is not set", p.ComponentSecretEnv)
				return
			}
			if cfg.VerifyTicket == "" {
				f.platformErr = fail("export "+p.VerifyTicketEnv+" with the latest component_verify_ticket your platform's authorization-event URL received (WeChat pushes it every 10 minutes; a CLI cannot receive it)", "platform: %s is not set", p.VerifyTicketEnv)
				return
			}
		}
		f.platform, f.platformErr = wechat.NewPlatform(cfg, f.options()...)
		if f.platformErr != nil {
			f.platformErr = fail("", "platform: %v", f.platformErr)
		}
	})
	return f.platform, f.platformErr
}

// authorizerSource is a platform account's token source, after checking
// its grant of permission set 15.
func (f *Fleet) authorizerSource(ctx context.Context, a project.Account) (wechat.TokenSource, error) {
	plat, err := f.Platform()
	if err != nil {
		return nil, err
	}
	refresh := ""
	if a.RefreshTokenEnv != "" && f.sandbox == nil {
		if refresh = f.spec.Getenv(a.RefreshTokenEnv); refresh == "" {
			return nil, fail("export "+a.RefreshTokenEnv+" with the account's authorizer_refresh_token, or remove refresh_token_env to read it from the authorizer list", "account %s: %s is not set", a.Name, a.RefreshTokenEnv)
		}
	} else {
		// The refresh tokens of every authorizer are read once, in bulk
		// (api_get_authorizer_list, 500 a page), for all platform accounts.
		f.refreshOnce.Do(func() { _, f.refreshErr = plat.AuthorizerList(ctx) })
		if f.refreshErr != nil {
			return nil, platformError(a, "reading the authorizer list", f.refreshErr)
		}
	}
	info, err := plat.AuthorizerInfo(ctx, a.AppID)
	if err != nil {
		return nil, platformError(a, "reading the authorization", err)
	}
	if !info.HasPermissionSet(wechat.PermissionSetMenu) {
		return nil, fail("ask the account's administrator to authorize the platform again with permission set 15 (自定义菜单权限) granted",
			"account %s has not granted the platform permission set %d (menu management), like WeChat's 61007", a.Name, wechat.PermissionSetMenu)
	}
	return plat.AuthorizerTokenSource(a.AppID, refresh), nil
}

// platformError words a platform failure with the hint of its code.
func platformError(a project.Account, doing string, err error) error {
	hint := ""
	if ae := (*wechat.APIError)(nil); errors.As(err, &ae) {
		hint = ae.Hint()
	}
	return errtext.Errorf(hint, "account %s: %s: %w", a.Name, doing, err)
}

// Authorizers lists the platform's authorizers (api_get_authorizer_list),
// remembering their refresh tokens for the accounts opened afterwards.
func (f *Fleet) Authorizers(ctx context.Context) ([]wechat.Authorizer, error) {
	plat, err := f.Platform()
	if err != nil {
		return nil, err
	}
	var list []wechat.Authorizer
	f.refreshOnce.Do(func() { list, f.refreshErr = plat.AuthorizerList(ctx) })
	if list == nil && f.refreshErr == nil {
		list, f.refreshErr = plat.AuthorizerList(ctx)
	}
	if f.refreshErr != nil {
		return nil, platformError(project.Account{Name: "(platform)"}, "reading the authorizer list", f.refreshErr)
	}
	return list, nil
}

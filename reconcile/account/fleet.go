package account

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"github.com/wxmenu/wxmenu/internal/errtext"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/wxmenu/wxmenu/reconcile/project"
	"github.com/wxmenu/wxmenu/wechat"
	"github.com/wxmenu/wxmenu/wechat/wechattest"
)

// SandboxComponentAppID is the component appid the sandbox platform uses
// when the project has no platform block.
const SandboxComponentAppID = "wxsandboxcomponent0"

// Spec says how to open the accounts of a run: those of Project or, when
// Project is nil, the one account of a menus file (-f, see Single), whose
// credentials are AppID with Secret or AccessToken (the flags and WECHAT_*
// variables).
type Spec struct {
	Project *project.Project
	// Accounts are the accounts the run opens: the platform's
	// authorizer_token_command is asked for the tokens of the platform
	// accounts among them (of all the project's when nil), and of no
	// other.
	Accounts []project.Account
	// AppID, Secret and AccessToken are the credentials of the account of
	// a menus file; a project's accounts name their own.
	AppID, Secret, AccessToken string
	APIBases                   []string
	LegacyToken                bool
	// ReadOnly makes every client refuse every mutating call.
	ReadOnly bool
	// Getenv reads credentials' environment variables; nil is os.Getenv.
	Getenv func(string) string
	// Sandbox serves every account from one embedded emulator kept in
	// SandboxState (see Open).
	Sandbox      bool
	SandboxState string
	// SandboxLockWait is how long to wait for another run that has the
	// sandbox state open (0: DefaultSandboxLockWait).
	SandboxLockWait time.Duration
	// Notices receives notes for people (the sandbox accounts seeded, a
	// credential given as a flag); nil discards them.
	Notices io.Writer
	// Logger, if set, receives every client's debug log of every HTTP call
	// (wechat.WithLogger).
	Logger *slog.Logger
	// Transport, if set, wraps the HTTP transport every client shares (a
	// terminal's status line).
	Transport func(http.RoundTripper) http.RoundTripper
	// Options are added to every client and to the platform (tests).
	Options []wechat.Option
}

// Single is the one account of a run on a menus file (-f): unnamed, its
// appid the flags' (the sandbox's with Sandbox), opened with the flags'
// credentials.
func (s Spec) Single(file string) project.Account {
	appID := s.AppID
	if s.Sandbox {
		appID = wechattest.DefaultAppID
	}
	return project.Account{AppID: appID, File: file, Path: file}
}

// Opener opens the accounts of one run. It is safe for concurrent use:
// the one HTTP client, the sandbox and the one Platform (and its component
// token) are shared by every account of the run.
type Opener struct {
	spec  Spec
	bases []string
	hc    *http.Client

	startSandbox func() error         // serveSandbox, once
	sandbox      *wechattest.Emulator // stands in for every kind of credentials
	srv          *http.Server

	platform    func() (*wechat.Platform, error)               // newPlatform, once
	tokens      func() (*wechat.AuthorizerTokenCommand, error) // newAuthorizerTokens, once
	refreshOnce sync.Once
	refreshErr  error
}

// Open prepares to open the accounts spec describes, warning on
// spec.Notices about a credential given as a flag. Nothing is read or
// started until an account is opened: a run that fails before (a menus
// file that does not load) leaves no sandbox state behind.
//
// With Sandbox, one emulator serves every account (accounts it has not
// seen before are seeded with the demo menus) on a loopback port, and
// stands in for each kind of credentials so that no variable is needed:
// the account of a menus file is the sandbox's own, secret_env and
// token_command accounts get the emulator's app secret (the variable is
// not read, the command not run); platform accounts go through the real
// chain against the emulator's platform, with the emulator's current
// verify ticket and component secret (the platform's
// authorizer_token_command is not run either).
func Open(spec Spec) *Opener {
	if spec.Getenv == nil {
		spec.Getenv = os.Getenv
	}
	warnFlagSecrets(spec)
	// One HTTP client for every account of the run, keeping enough idle
	// connections for the accounts in flight: the default transport keeps
	// two per host, so a parallel run would open a connection per call.
	hc := wechat.DefaultHTTPClient()
	hc.Transport.(*http.Transport).MaxIdleConnsPerHost = 64
	if spec.Transport != nil {
		hc.Transport = spec.Transport(hc.Transport)
	}
	o := &Opener{spec: spec, bases: spec.APIBases, hc: hc}
	o.startSandbox, o.platform, o.tokens = sync.OnceValue(o.serveSandbox), sync.OnceValues(o.newPlatform), sync.OnceValues(o.newAuthorizerTokens)
	return o
}

// serveSandbox serves the sandbox (with Sandbox) for every account of the
// run, holding the lock of its state (lockSandbox) until Close.
func (o *Opener) serveSandbox() error {
	if !o.spec.Sandbox {
		return nil
	}
	var emu *wechattest.Emulator
	var err error
	if o.spec.Project == nil {
		emu, err = openSandbox(context.Background(), o.spec.SandboxState, o.spec.SandboxLockWait, o.spec.Notices)
	} else {
		emu, err = openProjectSandbox(o.spec)
	}
	if err != nil {
		return err
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		_ = emu.Close() // and release the state
		return errtext.Errorf("", "starting the sandbox: %v", err)
	}
	o.srv = &http.Server{Handler: emu, ReadHeaderTimeout: 10 * time.Second}
	go o.srv.Serve(l)
	o.sandbox, o.bases = emu, []string{"http://" + l.Addr().String()}
	return nil
}

func openProjectSandbox(spec Spec) (*wechattest.Emulator, error) {
	cfg := wechattest.Config{Platform: &wechattest.PlatformConfig{ComponentAppID: componentAppID(spec.Project), ComponentSecret: wechattest.DefaultSecret}}
	for _, a := range spec.Project.Accounts {
		cfg.Accounts = append(cfg.Accounts, wechattest.AccountConfig{AppID: a.AppID, Secret: wechattest.DefaultSecret})
	}
	return loadSandbox(context.Background(), spec.SandboxState, spec.SandboxLockWait, cfg, spec.Notices, func(emu *wechattest.Emulator, prior []byte, fresh bool) string {
		var st struct {
			Accounts []struct {
				AppID string `json:"appid"`
			} `json:"accounts"`
		}
		json.Unmarshal(prior, &st) // Load reports a bad file
		known := map[string]bool{}
		for _, a := range st.Accounts {
			known[a.AppID] = true
		}
		var unseeded []string
		for _, a := range spec.Project.Accounts {
			if !known[a.AppID] {
				unseeded = append(unseeded, a.AppID)
			}
		}
		if len(unseeded) > 0 {
			emu.SeedDemoAccounts(unseeded...) // one save for all
		}
		seeded := len(unseeded)
		if fresh {
			emu.SeedDemo()
		}
		if seeded == 0 && !fresh {
			return ""
		}
		return fmt.Sprintf("seeded %d sandbox accounts with the demo menus in %s", seeded, spec.SandboxState)
	})
}

func componentAppID(p *project.Project) string {
	if p != nil && p.Platform != nil && p.Platform.ComponentAppID != "" {
		return p.Platform.ComponentAppID
	}
	return SandboxComponentAppID
}

// Close stops the sandbox server, if any, writes the sandbox's journal
// into its state file and releases the state for the next run. Every change is already durable in the journal, so a
// failure to compact loses nothing and is not reported.
func (o *Opener) Close() {
	if o != nil && o.srv != nil {
		o.srv.Close()
		_ = o.sandbox.Close()
	}
}

func (o *Opener) options() []wechat.Option {
	opts := []wechat.Option{wechat.WithBaseURLs(o.bases...), wechat.WithHTTPClient(o.hc)}
	if o.spec.Logger != nil {
		opts = append(opts, wechat.WithLogger(o.spec.Logger))
	}
	return append(opts, o.spec.Options...)
}

// Open opens one account of the run: its client, from its kind of
// credentials. For a platform account it also checks, before anything is
// planned, that the account granted the platform permission set 15 (menu
// management).
func (o *Opener) Open(ctx context.Context, a project.Account) (*wechat.Client, error) {
	if err := o.startSandbox(); err != nil {
		return nil, err
	}
	opts := o.options()
	if o.spec.ReadOnly {
		opts = append(opts, wechat.WithReadOnly())
	}
	switch {
	case a.Platform:
		src, err := o.authorizerSource(ctx, a)
		if err != nil {
			return nil, err
		}
		opts = append(opts, wechat.WithTokenSource(src))
	case o.sandbox != nil:
		opts = append(opts, wechat.WithCredentials(a.AppID, wechattest.DefaultSecret))
	case o.spec.Project == nil:
		creds, err := o.spec.credentials()
		if err != nil {
			return nil, err
		}
		opts = append(opts, creds...)
	case a.SecretEnv != "":
		secret := o.spec.Getenv(a.SecretEnv)
		if secret == "" {
			return nil, errtext.Errorf("export "+a.SecretEnv+" with the account's AppSecret, or run with --sandbox", "account %s: %s is not set", a.Name, a.SecretEnv)
		}
		opts = append(opts, wechat.WithCredentials(a.AppID, secret))
		if o.spec.LegacyToken {
			opts = append(opts, wechat.WithLegacyToken())
		}
	default:
		src, err := wechat.CommandTokenSource(o.commandArgv(a.TokenCommand), 0)
		if err != nil {
			return nil, errtext.Errorf("token_command is [PROGRAM, ARGS...], relative to the project file", "account %s: token_command: %v", a.Name, err)
		}
		opts = append(opts, wechat.WithTokenSource(src))
	}
	client, err := wechat.New(opts...)
	if err != nil && a.Name != "" {
		err = fmt.Errorf("account %s: %w", a.Name, err)
	}
	return client, err
}

// credentials are the client options of the account of a menus file: a
// static access token, or the app's credentials.
func (s Spec) credentials() ([]wechat.Option, error) {
	switch {
	case s.AccessToken != "" && s.AppID == "":
		return nil, errtext.Errorf("set WECHAT_APPID (or --appid) to the account the token belongs to", "--access-token needs --appid: plans, audit records and locks name the account")
	case s.AccessToken != "":
		return []wechat.Option{wechat.WithStaticToken(s.AccessToken)}, nil
	case s.AppID != "" && s.Secret != "":
		if s.LegacyToken {
			return []wechat.Option{wechat.WithCredentials(s.AppID, s.Secret), wechat.WithLegacyToken()}, nil
		}
		return []wechat.Option{wechat.WithCredentials(s.AppID, s.Secret)}, nil
	case s.AppID != "":
		return nil, errtext.Errorf("or set WECHAT_ACCESS_TOKEN to an access token of "+s.AppID+", or try wxmenu with --sandbox",
			"--appid is set but no secret: set WECHAT_APPSECRET (or --secret) to the app secret")
	case s.Secret != "":
		return nil, errtext.Errorf("set WECHAT_APPID (or --appid) to the account the secret belongs to",
			"a secret is set but no --appid: set WECHAT_APPID to the account")
	}
	return nil, errtext.Errorf("set WECHAT_APPID and WECHAT_APPSECRET (or WECHAT_ACCESS_TOKEN), or try wxmenu with --sandbox", "no credentials for the WeChat API")
}

// commandArgv resolves a relative program path ("./bin/token") against
// the project file's directory; bare names are looked up on PATH.
func (o *Opener) commandArgv(argv []string) []string {
	out := append([]string(nil), argv...)
	if p := out[0]; !filepath.IsAbs(p) && (filepath.Base(p) != p) {
		out[0] = filepath.Join(o.spec.Project.Dir, p)
		if !filepath.IsAbs(out[0]) && filepath.Base(out[0]) == out[0] {
			out[0] = "." + string(filepath.Separator) + out[0]
		}
	}
	return out
}

// newAuthorizerTokens is the platform's authorizer_token_command, serving
// the platform accounts of the run.
func (o *Opener) newAuthorizerTokens() (*wechat.AuthorizerTokenCommand, error) {
	accounts := o.spec.Accounts
	if accounts == nil {
		accounts = o.spec.Project.Accounts
	}
	var appIDs []string
	for _, a := range accounts {
		if a.Platform {
			appIDs = append(appIDs, a.AppID)
		}
	}
	tokens, err := wechat.NewAuthorizerTokenCommand(o.commandArgv(o.spec.Project.Platform.AuthorizerTokenCommand), appIDs, 0)
	if err != nil {
		return nil, errtext.Errorf("authorizer_token_command is [PROGRAM, ARGS...], relative to the project file", "platform: authorizer_token_command: %v", err)
	}
	return tokens, nil
}

// newPlatform makes the project's platform from the component secret and
// the verify ticket.
func (o *Opener) newPlatform() (*wechat.Platform, error) {
	if err := o.startSandbox(); err != nil {
		return nil, err
	}
	p := o.spec.Project.Platform
	cfg := wechat.PlatformConfig{ComponentAppID: componentAppID(o.spec.Project)}
	switch {
	case o.sandbox != nil:
		cfg.ComponentSecret, cfg.VerifyTicket = wechattest.DefaultSecret, o.sandbox.Ticket()
	case p == nil:
		return nil, errtext.Errorf("add platform: to the project file", "the project has no platform")
	case p.ComponentSecretEnv == "" || p.VerifyTicketEnv == "":
		return nil, errtext.Errorf("add component_secret_env and verify_ticket_env to platform: in the project file",
			"platform: reading the authorizer list needs the component token, from the component secret and the verify ticket (authorizer_token_command gives only the accounts' tokens)")
	default:
		cfg.ComponentSecret, cfg.VerifyTicket = o.spec.Getenv(p.ComponentSecretEnv), o.spec.Getenv(p.VerifyTicketEnv)
		if cfg.ComponentSecret == "" {
			return nil, errtext.Errorf("export "+p.ComponentSecretEnv+" with the platform's component secret (AppSecret of the third-party platform)", "platform: %s is not set", p.ComponentSecretEnv)
		}
		if cfg.VerifyTicket == "" {
			return nil, errtext.Errorf("export "+p.VerifyTicketEnv+" with the latest component_verify_ticket your platform's authorization-event URL received (WeChat pushes it every 10 minutes; a CLI cannot receive it)", "platform: %s is not set", p.VerifyTicketEnv)
		}
	}
	plat, err := wechat.NewPlatform(cfg, o.options()...)
	if err != nil {
		return nil, errtext.Errorf("", "platform: %v", err)
	}
	return plat, nil
}

// authorizerSource is a platform account's token source, after checking
// its grant of permission set 15; or, when the platform's
// authorizer_token_command gives the tokens, its source from the command
// (no component token: WeChat's 61007 on the first menu call then says
// what the check would have).
func (o *Opener) authorizerSource(ctx context.Context, a project.Account) (wechat.TokenSource, error) {
	if p := o.spec.Project.Platform; o.sandbox == nil && p != nil && p.AuthorizerTokenCommand != nil {
		tokens, err := o.tokens()
		if err != nil {
			return nil, err
		}
		return tokens.TokenSource(a.AppID), nil
	}
	plat, err := o.platform()
	if err != nil {
		return nil, err
	}
	refresh := ""
	if a.RefreshTokenEnv != "" && o.sandbox == nil {
		if refresh = o.spec.Getenv(a.RefreshTokenEnv); refresh == "" {
			return nil, errtext.Errorf("export "+a.RefreshTokenEnv+" with the account's authorizer_refresh_token, or remove refresh_token_env to read it from the authorizer list", "account %s: %s is not set", a.Name, a.RefreshTokenEnv)
		}
	} else {
		// The refresh tokens of every authorizer are read once, in bulk
		// (api_get_authorizer_list, 500 a page), for all platform accounts.
		o.refreshOnce.Do(func() { _, o.refreshErr = plat.AuthorizerList(ctx) })
		if o.refreshErr != nil {
			return nil, platformError(a, "reading the authorizer list", o.refreshErr)
		}
	}
	info, err := plat.AuthorizerInfo(ctx, a.AppID)
	if err != nil {
		return nil, platformError(a, "reading the authorization", err)
	}
	if !info.HasPermissionSet(wechat.PermissionSetMenu) {
		return nil, errtext.Errorf("ask the account's administrator to authorize the platform again with permission set 15 (自定义菜单权限) granted",
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
	return &errtext.Error{Err: fmt.Errorf("account %s: %s: %w", a.Name, doing, err), Hint: hint}
}

// Authorizers lists the platform's authorizers (api_get_authorizer_list),
// remembering their refresh tokens for the accounts opened afterwards.
func (o *Opener) Authorizers(ctx context.Context) ([]wechat.Authorizer, error) {
	plat, err := o.platform()
	if err != nil {
		return nil, err
	}
	list, err := plat.AuthorizerList(ctx)
	if err != nil {
		return nil, platformError(project.Account{Name: "(platform)"}, "reading the authorizer list", err)
	}
	o.refreshOnce.Do(func() {}) // the accounts opened afterwards need not read it again
	return list, nil
}

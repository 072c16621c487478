package account

import (
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/wxmenu/wxmenu/internal/errtext"
	"github.com/wxmenu/wxmenu/wechat"
	"github.com/wxmenu/wxmenu/wechat/wechattest"
)

// SplitBases splits a comma-separated list of API base URLs.
func SplitBases(list string) []string {
	var bases []string
	for _, b := range strings.Split(list, ",") {
		if b = strings.TrimSpace(b); b != "" {
			bases = append(bases, strings.TrimRight(b, "/"))
		}
	}
	return bases
}

// StateDir is where wxmenu keeps local state (the sandbox account, the
// apply locks): $XDG_STATE_HOME/wxmenu, else ~/.local/state/wxmenu.
func StateDir() string {
	if d := os.Getenv("XDG_STATE_HOME"); d != "" {
		return filepath.Join(d, "wxmenu")
	}
	if home, err := os.UserHomeDir(); err == nil {
		return filepath.Join(home, ".local", "state", "wxmenu")
	}
	return filepath.Join(os.TempDir(), "wxmenu")
}

// fail is a failure to open an account, with a hint for people.
func fail(hint, format string, args ...any) error { return errtext.Errorf(hint, format, args...) }

// Spec says which account to open and how.
type Spec struct {
	// AppID names the account; with Secret it is the credential pair.
	AppID, Secret string
	// AccessToken, if set, is used as is (e.g. a third-party
	// authorizer_access_token); AppID must name its account.
	AccessToken string
	// APIBases are the API base URLs, tried in order.
	APIBases []string
	// LegacyToken fetches tokens with GET cgi-bin/token.
	LegacyToken bool
	// Sandbox opens the embedded emulator's account kept in SandboxState,
	// served on a loopback port for the life of the account.
	Sandbox      bool
	SandboxState string
	// ReadOnly makes the client refuse every mutating call.
	ReadOnly bool
	// Notices receives notes for people (the sandbox demo account being
	// created); nil discards them.
	Notices io.Writer
	// Logger, if set, receives the client's debug log of every HTTP call
	// (wechat.WithLogger).
	Logger *slog.Logger
	// HTTPClient, if set, replaces the client's default HTTP client (see
	// wechat.DefaultHTTPClient, whose timeouts it should keep).
	HTTPClient *http.Client
}

// Account is an opened account.
type Account struct {
	Client *wechat.Client
	// AppID is the account's appid (the sandbox's for Sandbox).
	AppID string
	srv   *http.Server
}

// LockName names the account's apply lock: its appid, or "access-token"
// when none is known.
func (a *Account) LockName() string {
	if a.AppID != "" {
		return a.AppID
	}
	return "access-token"
}

// Close stops the sandbox server, if any.
func (a *Account) Close() {
	if a != nil && a.srv != nil {
		a.srv.Close()
	}
}

// Open opens the account spec describes, warning on spec.Notices about a
// credential given as a flag.
func Open(spec Spec) (*Account, error) {
	WarnFlagSecrets(spec.Notices, spec)
	opts := []wechat.Option{}
	if spec.ReadOnly {
		opts = append(opts, wechat.WithReadOnly())
	}
	if spec.Logger != nil {
		opts = append(opts, wechat.WithLogger(spec.Logger))
	}
	if spec.HTTPClient != nil {
		opts = append(opts, wechat.WithHTTPClient(spec.HTTPClient))
	}
	acct := &Account{}
	switch {
	case spec.Sandbox:
		emu, err := OpenSandbox(spec.SandboxState, spec.Notices)
		if err != nil {
			return nil, err
		}
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return nil, fail("", "starting the sandbox: %v", err)
		}
		acct.srv = &http.Server{Handler: emu, ReadHeaderTimeout: 10 * time.Second}
		go acct.srv.Serve(l)
		acct.AppID = wechattest.DefaultAppID
		opts = append(opts, wechat.WithBaseURLs("http://"+l.Addr().String()), wechat.WithCredentials(wechattest.DefaultAppID, wechattest.DefaultSecret))
	case spec.AccessToken != "" && spec.AppID == "":
		return nil, fail("set WECHAT_APPID (or --appid) to the account the token belongs to", "--access-token needs --appid: plans, audit records and locks name the account")
	case spec.AccessToken != "":
		acct.AppID = spec.AppID
		opts = append(opts, wechat.WithBaseURLs(spec.APIBases...), wechat.WithStaticToken(spec.AccessToken))
	case spec.AppID != "" && spec.Secret != "":
		acct.AppID = spec.AppID
		opts = append(opts, wechat.WithBaseURLs(spec.APIBases...), wechat.WithCredentials(spec.AppID, spec.Secret))
		if spec.LegacyToken {
			opts = append(opts, wechat.WithLegacyToken())
		}
	case spec.AppID != "":
		return nil, fail("or set WECHAT_ACCESS_TOKEN to an access token of "+spec.AppID+", or try wxmenu with --sandbox",
			"--appid is set but no secret: set WECHAT_APPSECRET (or --secret) to the app secret")
	case spec.Secret != "":
		return nil, fail("set WECHAT_APPID (or --appid) to the account the secret belongs to",
			"a secret is set but no --appid: set WECHAT_APPID to the account")
	default:
		return nil, fail("set WECHAT_APPID and WECHAT_APPSECRET (or WECHAT_ACCESS_TOKEN), or try wxmenu with --sandbox", "no credentials for the WeChat API")
	}
	client, err := wechat.New(opts...)
	if err != nil {
		acct.Close()
		return nil, fail("", "%v", err)
	}
	acct.Client = client
	return acct, nil
}

// OpenSandbox loads the --sandbox account from path, seeding the demo
// account (and saying so on notices) the first time.
func OpenSandbox(path string, notices io.Writer) (*wechattest.Emulator, error) {
	if notices == nil {
		notices = io.Discard
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fail("", "creating the sandbox state directory: %v", errtext.PathReason(err))
	}
	_, statErr := os.Stat(path)
	emu, err := wechattest.Load(path, wechattest.Config{StatePath: path})
	if err != nil {
		return nil, fail("reset it with: wxmenu sandbox reset", "loading sandbox state %s: %v", path, err)
	}
	if errors.Is(statErr, os.ErrNotExist) {
		emu.SeedDemo()
		if err := emu.Save(path); err != nil {
			return nil, fail("", "saving sandbox state: %v", err)
		}
		fmt.Fprintf(notices, "wxmenu: created the sandbox demo account in %s\n", path)
	}
	return emu, nil
}

// ResetSandbox removes the sandbox state at path and seeds the demo account
// again.
func ResetSandbox(path string) error {
	if err := os.Remove(path); err != nil && !errors.Is(err, os.ErrNotExist) {
		return fail("", "removing %s: %v", path, errtext.PathReason(err))
	}
	_, err := OpenSandbox(path, io.Discard)
	return err
}

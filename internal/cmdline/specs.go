package cmdline

import (
	"context"
	"io"
	"log/slog"
	"os"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/wxmenu/wxmenu/internal/buildinfo"
	"github.com/wxmenu/wxmenu/internal/termstatus"
	"github.com/wxmenu/wxmenu/reconcile"
	"github.com/wxmenu/wxmenu/reconcile/account"
	"github.com/wxmenu/wxmenu/reconcile/fleet"
	"github.com/wxmenu/wxmenu/reconcile/project"
	"github.com/wxmenu/wxmenu/wechat"
)

// The command's flags as the plain values of reconcile/account,
// reconcile/fleet and reconcile: what to open and how to run.

// DebugLogger logs every HTTP call to w when verbose (--verbose) or
// logLevel (WXMENU_LOG) is debug; otherwise it is nil, logging nothing.
func DebugLogger(verbose bool, logLevel string, w io.Writer) *slog.Logger {
	if !verbose && !strings.EqualFold(logLevel, "debug") {
		return nil
	}
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: slog.LevelDebug}))
}

// AccountSpec is the account the command's flags name. stderr receives
// the notices, the debug log (DebugLogger), and otherwise, on a terminal,
// the status line of a call that takes long; the two never mix.
func AccountSpec(c *cli.Context, readOnly bool, stderr io.Writer) account.Spec {
	logger := DebugLogger(Bool(c, "verbose"), os.Getenv("WXMENU_LOG"), stderr)
	hc := wechat.DefaultHTTPClient()
	hc.Transport = termstatus.Transport(hc.Transport, termstatus.New(stderr, logger == nil && IsTerminal(stderr)))
	return account.Spec{Logger: logger, HTTPClient: hc,
		AppID: String(c, "appid"), Secret: String(c, "secret"), AccessToken: String(c, "access-token"),
		APIBases: account.SplitBases(String(c, "api-base")), LegacyToken: Bool(c, "legacy-token"),
		Sandbox: Bool(c, "sandbox"), SandboxState: account.SandboxStatePath(String(c, "sandbox-state")), ReadOnly: readOnly, Notices: stderr,
	}
}

// Session is the session of an opened account, with the command's lock
// flags; apply gives it its audit log (reconcile.OpenAudit).
func Session(c *cli.Context, acct *account.Account) *reconcile.Session {
	return &reconcile.Session{Client: acct.Client, AppID: acct.AppID, Account: acct.LockName(),
		LockDir: account.LockDir(c.String("lock-dir")), LockWait: c.Duration("lock-timeout"), ToolVersion: buildinfo.ToolVersion()}
}

// RunOptions are the options of apply on one account: the plan's safety
// flags (PlanOptions), which apply's convergence check honours too.
func RunOptions(c *cli.Context, file string) reconcile.RunOptions {
	plan := PlanOptions(c, file)
	return reconcile.RunOptions{Plan: plan, Apply: reconcile.ApplyOptions{MaxConditional: c.Int("max-conditional"), Safety: plan.Safety}}
}

// FleetSpec is how to open the accounts of project p; notices receives
// notes for people (the sandbox accounts seeded).
func FleetSpec(c *cli.Context, p *project.Project, readOnly bool, notices io.Writer) account.FleetSpec {
	return account.FleetSpec{Project: p, APIBases: account.SplitBases(String(c, "api-base")), LegacyToken: Bool(c, "legacy-token"),
		ReadOnly: readOnly, Sandbox: Bool(c, "sandbox"), SandboxState: account.SandboxStatePath(String(c, "sandbox-state")), Notices: notices}
}

// FleetOptions are the options of a fleet run over accounts, each opened
// by fl, with the command's plan, safety, lock and audit flags.
func FleetOptions(c *cli.Context, accounts []project.Account, fl *account.Fleet) fleet.Options {
	return fleet.Options{Accounts: accounts, Parallel: Int(c, "parallel"),
		Open: func(ctx context.Context, a project.Account) (reconcile.MenuAPI, error) {
			acct, err := fl.Open(ctx, a)
			if err != nil {
				return nil, err // not acct.Client: a nil *wechat.Client is a non-nil MenuAPI
			}
			return acct.Client, nil
		},
		Plan: PlanOptions(c, ""), MaxConditional: c.Int("max-conditional"), LockDir: account.LockDir(c.String("lock-dir")), LockWait: c.Duration("lock-timeout"),
		AuditPath: c.String("audit-log"), ToolVersion: buildinfo.ToolVersion(), SkipStale: c.Bool("skip-stale"), Authorizers: fl.Authorizers}
}

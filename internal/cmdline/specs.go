package cmdline

import (
	"io"
	"log/slog"
	"net/http"
	"os"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/wxmenu/wxmenu/internal/buildinfo"
	"github.com/wxmenu/wxmenu/internal/termstatus"
	"github.com/wxmenu/wxmenu/reconcile"
	"github.com/wxmenu/wxmenu/reconcile/account"
	"github.com/wxmenu/wxmenu/reconcile/fleet"
	"github.com/wxmenu/wxmenu/reconcile/project"
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
	line := termstatus.New(stderr, logger == nil && IsTerminal(stderr))
	return account.Spec{Logger: logger, Transport: func(rt http.RoundTripper) http.RoundTripper { return termstatus.Transport(rt, line) },
		AppID: String(c, "appid"), Secret: String(c, "secret"), AccessToken: String(c, "access-token"),
		APIBases: account.SplitBases(String(c, "api-base")), LegacyToken: Bool(c, "legacy-token"),
		Sandbox: Bool(c, "sandbox"), SandboxState: account.SandboxStatePath(String(c, "sandbox-state")), ReadOnly: readOnly, Notices: stderr,
	}
}

// Session is the session of an opened account a, with the command's lock
// flags; apply gives it its audit log (reconcile.OpenAudit).
func Session(c *cli.Context, api reconcile.MenuAPI, a project.Account) *reconcile.Session {
	return &reconcile.Session{Client: api, AppID: a.AppID, Account: a.Name,
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
func FleetSpec(c *cli.Context, p *project.Project, readOnly bool, notices io.Writer) account.Spec {
	return account.Spec{Project: p, APIBases: account.SplitBases(String(c, "api-base")), LegacyToken: Bool(c, "legacy-token"),
		ReadOnly: readOnly, Sandbox: Bool(c, "sandbox"), SandboxState: account.SandboxStatePath(String(c, "sandbox-state")), Notices: notices}
}

// FleetOptions are the options of a fleet run over accounts, each opened
// by fl, with the command's plan, safety, lock and audit flags.
func FleetOptions(c *cli.Context, accounts []project.Account, fl *account.Opener) fleet.Options {
	return fleet.Options{Accounts: accounts, Parallel: Int(c, "parallel"), Open: fl.Open,
		Plan: PlanOptions(c, ""), LockDir: account.LockDir(c.String("lock-dir")), LockWait: c.Duration("lock-timeout"),
		AuditPath: c.String("audit-log"), ToolVersion: buildinfo.ToolVersion(), SkipStale: c.Bool("skip-stale"), Authorizers: fl.Authorizers}
}

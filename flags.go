package main

import (
	"io"
	"log/slog"
	"net/http"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/urfave/cli/v2"
	"golang.org/x/term"

	"github.com/wxmenu/wxmenu/internal/buildinfo"
	"github.com/wxmenu/wxmenu/internal/termstatus"
	"github.com/wxmenu/wxmenu/reconcile"
	"github.com/wxmenu/wxmenu/reconcile/account"
	"github.com/wxmenu/wxmenu/reconcile/fleet"
	"github.com/wxmenu/wxmenu/reconcile/plans"
	"github.com/wxmenu/wxmenu/reconcile/render"
)

// flags are a command line as one value, parsed once (parse); nothing
// below package main sees urfave/cli.
type flags struct {
	command                    string // the words after "wxmenu", e.g. "sandbox reset"
	args                       []string
	file, config, changedFiles string
	accounts                   []string // --account: a project's accounts to run on
	out, format, markdownDir   string
	force, detailed            bool
	autoApprove, bootstrap     bool
	projectSchema              bool
	timeout                    time.Duration
	account                    account.Spec   // -f's credentials, API bases, sandbox
	run                        fleet.Options  // of every run: the rails and cap of plan and apply, locks, audit log
	render                     render.Options // colour, the flags printed commands repeat
	serve                      account.ServeSpec
}

// parse reads every flag of c's command, the global ones wherever they
// were set (lookupSet). stdout decides colour; stderr receives notices,
// the debug log of --verbose (or WXMENU_LOG=debug) and otherwise, on a
// terminal, the status line of a call that takes long: the two never mix.
func parse(c *cli.Context, stdout, stderr io.Writer, globals []string) *flags {
	str := func(name string) string { return lookupSet(c, name).String(name) }
	flag := func(name string) bool { return lookupSet(c, name).Bool(name) }
	var logger *slog.Logger
	if flag("verbose") || strings.EqualFold(os.Getenv("WXMENU_LOG"), "debug") {
		logger = slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	line := termstatus.New(stderr, logger == nil && isTerminal(stderr))
	return &flags{
		command: commandPath(c), args: c.Args().Slice(),
		file: c.String("file"), config: str("config"), changedFiles: str("changed-files"),
		accounts: lookupSet(c, "account").StringSlice("account"),
		out:      c.String("out"), format: c.String("format"), markdownDir: c.String("out-markdown-dir"),
		force: c.Bool("force"), detailed: c.Bool("detailed-exitcode"), autoApprove: c.Bool("auto-approve"),
		bootstrap: c.Bool("bootstrap-platform"), projectSchema: c.Bool("project"), timeout: lookupSet(c, "timeout").Duration("timeout"),
		render: render.Options{Globals: globals, Color: !flag("no-color") && os.Getenv("NO_COLOR") == "" && os.Getenv("TERM") != "dumb" && isTerminal(stdout)},
		account: account.Spec{AppID: str("appid"), Secret: str("secret"), AccessToken: str("access-token"),
			APIBases: account.SplitBases(str("api-base")), LegacyToken: flag("legacy-token"),
			Sandbox: flag("sandbox"), SandboxState: account.SandboxStatePath(str("sandbox-state")), Notices: stderr, Logger: logger,
			Transport: func(rt http.RoundTripper) http.RoundTripper { return termstatus.Transport(rt, line) }},
		run: fleet.Options{Plan: reconcile.PlanOptions{MaxConditional: c.Int("max-conditional"), Safety: reconcile.SafetyOptions{
			AllowEmpty: c.Bool("allow-empty"), AllowDeleteAll: c.Bool("allow-delete-all"),
			AllowProtected: c.Bool("allow-protected"), AllowManyDeletes: c.Bool("allow-many-deletes"),
			MaxDeletes: c.Int("max-deletes"), MaxDeleteShare: c.Float64("max-delete-share"),
		}, Provenance: plans.ProvenanceFromEnv(os.Getenv)}, Parallel: lookupSet(c, "parallel").Int("parallel"),
			LockDir: account.LockDir(c.String("lock-dir")), LockWait: c.Duration("lock-timeout"), AuditPath: c.String("audit-log"),
			ToolVersion: buildinfo.ToolVersion(), SkipStale: c.Bool("skip-stale"), ReplaceFiles: c.Bool("force")},
		// sandbox serve's own flags, never the global ones of the same name
		serve: account.ServeSpec{Addr: c.String("addr"), AppID: c.String("appid"), Secret: c.String("secret"),
			StatePath: c.String("state"), Demo: c.Bool("demo"), AddrFile: c.String("addr-file"), Quotas: c.StringSlice("quota"),
			MaxConditional: c.Int("max-conditional"), Accounts: c.StringSlice("account"), Platform: c.String("platform")},
	}
}

// lookupSet is the innermost context where flag name was set on the
// command line, or the app's (whose value then comes from the environment
// or the default): urfave/cli reads the app's flags only before the
// command, so a command has its own copy of each global flag it takes.
func lookupSet(c *cli.Context, name string) *cli.Context {
	root := c
	for _, ctx := range c.Lineage() {
		if ctx.Command == nil {
			continue // the empty context urfave/cli puts above the app's
		}
		if root = ctx; slices.Contains(ctx.LocalFlagNames(), name) {
			return ctx
		}
	}
	return root
}

// commandPath is the command's words after "wxmenu", e.g. "sandbox reset",
// or "" for the app itself.
func commandPath(c *cli.Context) string {
	var words []string
	for _, ctx := range c.Lineage() {
		if ctx.Command != nil && ctx.Command.Name != "" && (ctx.App == nil || ctx.Command.Name != ctx.App.Name) {
			words = append([]string{ctx.Command.Name}, words...)
		}
	}
	return strings.Join(words, " ")
}

// isTerminal reports whether v is a terminal (not merely a character
// device: /dev/null is one, and must not count).
func isTerminal(v any) bool {
	f, ok := v.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

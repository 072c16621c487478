// Command wxmenu keeps WeChat Official Account menus in git: plan shows the
// smallest set of API calls that makes an account match menus.yaml, apply
// makes them and proves the account converged.
//
// This file is the command line only: flags, environment, output streams and
// exit codes. The work is done by packages reconcile and wechat.
package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/urfave/cli/v2"
	"golang.org/x/term"

	"github.com/wxmenu/wxmenu/reconcile"
	"github.com/wxmenu/wxmenu/reconcile/audit"
	"github.com/wxmenu/wxmenu/reconcile/canon"
	"github.com/wxmenu/wxmenu/reconcile/desired"
	"github.com/wxmenu/wxmenu/reconcile/plans"
	"github.com/wxmenu/wxmenu/reconcile/render"
	"github.com/wxmenu/wxmenu/wechat"
	"github.com/wxmenu/wxmenu/wechat/wechattest"
)

// Exit codes. 0 and 1 are the usual; the others are documented in README.md.
const (
	exitOK       = 0
	exitError    = 1
	exitChanges  = 2 // plan --detailed-exitcode: the plan has changes
	exitStale    = 3 // apply refused a stale plan; nothing was changed
	exitPartial  = 4 // apply stopped part way, or the account did not converge
	exitDeclined = 5 // apply was not confirmed
)

func main() {
	os.Exit(run(os.Args, os.Stdin, os.Stdout, os.Stderr))
}

// cliError is an error with an exit code and an optional hint line.
type cliError struct {
	code int
	err  error
	hint string
}

func (e *cliError) Error() string { return e.err.Error() }
func (e *cliError) Unwrap() error { return e.err }

// errHasChanges carries exit code 2 of plan --detailed-exitcode; it is not
// an error for the user and is never printed.
var errHasChanges = errors.New("the plan has changes")

func fail(code int, hint string, format string, args ...any) error {
	return &cliError{code: code, err: fmt.Errorf(format, args...), hint: hint}
}

// env is what every command needs from the process.
type env struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	// unknownCommand is set by the app's CommandNotFound hook, which
	// cannot return an error itself.
	unknownCommand string
	// applyJSONWritten records that apply --format json wrote its document.
	applyJSONWritten bool
}

func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	e := &env{stdin: stdin, stdout: stdout, stderr: stderr}
	app := newApp(e)
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	err := app.RunContext(ctx, args)
	if err == nil && e.unknownCommand != "" {
		err = fail(exitError, "run 'wxmenu --help' to list the commands", "unknown command %q", e.unknownCommand)
	}
	return e.report(err)
}

// report prints err as `wxmenu: error: …` lines (never a stack trace) and
// returns the exit code.
func (e *env) report(err error) int {
	if err == nil {
		return exitOK
	}
	var ce *cliError
	code, hint := exitError, ""
	if errors.As(err, &ce) {
		code, hint = ce.code, ce.hint
		if errors.Is(ce.err, errHasChanges) {
			return code
		}
	}
	var diags desired.Diagnostics
	if errors.As(err, &diags) {
		for _, d := range diags {
			fmt.Fprintf(e.stderr, "wxmenu: error: %s\n", d.String())
		}
		if len(diags) > 1 {
			fmt.Fprintf(e.stderr, "wxmenu: %d problems found\n", len(diags))
		}
		return code
	}
	fmt.Fprintf(e.stderr, "wxmenu: error: %s\n", err)
	if hint != "" {
		fmt.Fprintf(e.stderr, "hint: %s\n", hint)
	}
	return code
}

func toolVersion() string {
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return "0.1.0-dev"
}

// globalFlags are accepted before or after the command name. urfave/cli
// only looks at the app's flags before the command, so every command gets
// its own copy and globalString/globalBool look through the lineage.
func globalFlags() []cli.Flag {
	return []cli.Flag{
		&cli.StringFlag{Name: "appid", Usage: "account `APPID`", EnvVars: []string{"WECHAT_APPID"}},
		&cli.StringFlag{Name: "secret", Usage: "app `SECRET` (prefer the environment variable)", EnvVars: []string{"WECHAT_APPSECRET"}},
		&cli.StringFlag{Name: "access-token", Usage: "use this access `TOKEN` as is (e.g. a third-party authorizer_access_token)", EnvVars: []string{"WECHAT_ACCESS_TOKEN"}},
		&cli.StringFlag{Name: "api-base", Usage: "API base `URLS`, comma-separated, tried in order when one cannot be reached", EnvVars: []string{"WECHAT_API_BASE"}, Value: "https://api.weixin.qq.com,https://api2.weixin.qq.com"},
		&cli.BoolFlag{Name: "legacy-token", Usage: "fetch tokens with GET cgi-bin/token instead of cgi-bin/stable_token"},
		&cli.BoolFlag{Name: "sandbox", Usage: "run against the embedded emulator (no credentials needed)", EnvVars: []string{"WXMENU_SANDBOX"}},
		&cli.StringFlag{Name: "sandbox-state", Usage: "emulator state `FILE` for --sandbox (default: $XDG_STATE_HOME/wxmenu/sandbox.json)", EnvVars: []string{"WXMENU_SANDBOX_STATE"}},
		&cli.BoolFlag{Name: "no-color", Usage: "never colour output (NO_COLOR is honoured too)"},
		&cli.DurationFlag{Name: "timeout", Usage: "give up after `DURATION`", Value: 5 * time.Minute, EnvVars: []string{"WXMENU_TIMEOUT"}},
	}
}

func withGlobal(flags ...cli.Flag) []cli.Flag { return append(flags, globalFlags()...) }

// lookupSet returns the innermost context where flag name was set on the
// command line, or c itself (whose value then comes from env or default).
func lookupSet(c *cli.Context, name string) *cli.Context {
	for _, ctx := range c.Lineage() {
		for _, n := range ctx.LocalFlagNames() {
			if n == name {
				return ctx
			}
		}
	}
	return c
}

func globalString(c *cli.Context, name string) string { return lookupSet(c, name).String(name) }
func globalBool(c *cli.Context, name string) bool     { return lookupSet(c, name).Bool(name) }
func globalDuration(c *cli.Context, name string) time.Duration {
	return lookupSet(c, name).Duration(name)
}

func newApp(e *env) *cli.App {
	return &cli.App{
		Name:    "wxmenu",
		Usage:   "manage WeChat Official Account menus from git: plan, review, apply",
		Version: toolVersion(),
		Description: "wxmenu reads menus.yaml (the default menu and the conditional menus in priority order),\n" +
			"compares it with the live account and prints the smallest set of WeChat API calls that makes\n" +
			"the account match. Try it with no credentials:\n\n" +
			"   wxmenu --sandbox apply -f examples/basic/menus.yaml --auto-approve",
		Reader:                 e.stdin,
		Writer:                 e.stdout,
		ErrWriter:              e.stderr,
		Flags:                  globalFlags(),
		Suggest:                true,
		UseShortOptionHandling: false,
		HideHelpCommand:        true,
		ExitErrHandler:         func(*cli.Context, error) {}, // run() reports errors itself
		OnUsageError: func(c *cli.Context, err error, _ bool) error {
			return fail(exitError, "run 'wxmenu "+c.Command.Name+" --help' for usage", "%s", strings.ToLower(err.Error()))
		},
		Commands: []*cli.Command{
			validateCommand(e),
			planCommand(e),
			applyCommand(e),
			exportCommand(e),
			schemaCommand(e),
			trymatchCommand(e),
			sandboxCommand(e),
		},
		CommandNotFound: func(c *cli.Context, name string) { e.unknownCommand = name },
	}
}

func fileFlag(required bool) *cli.StringFlag {
	return &cli.StringFlag{Name: "file", Aliases: []string{"f"}, Usage: "desired-state `FILE` (menus.yaml)", Required: required, EnvVars: []string{"WXMENU_FILE"}}
}

func validateCommand(e *env) *cli.Command {
	return &cli.Command{
		Name:      "validate",
		Usage:     "check a menus.yaml offline (no network)",
		UsageText: "wxmenu validate -f menus.yaml",
		Flags:     withGlobal(fileFlag(true)),
		Action: func(c *cli.Context) error {
			if err := noArgs(c); err != nil {
				return err
			}
			ds, err := loadDesired(c.String("file"))
			if err != nil {
				return err
			}
			fmt.Fprintf(e.stdout, "%s is valid: %s\n", ds.Path, describeDesired(ds))
			return nil
		},
	}
}

func describeDesired(ds *desired.State) string {
	if ds.Default == nil && len(ds.Conditional) == 0 {
		return "no menus (the account would be emptied)"
	}
	s := "default menu with " + count(len(ds.Default.Buttons), "button") + ", " + count(len(ds.Conditional), "conditional menu")
	if len(ds.Unmanaged) > 0 {
		s += ", " + count(len(ds.Unmanaged), "unmanaged rule")
	}
	return s
}

// count is "1 button", "2 buttons".
func count(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

func loadDesired(path string) (*desired.State, error) {
	ds, err := desired.LoadFile(path)
	if err != nil {
		var diags desired.Diagnostics
		if errors.As(err, &diags) {
			return nil, err
		}
		if errors.Is(err, os.ErrNotExist) {
			return nil, fail(exitError, "pass the desired-state file with -f, e.g. -f menus.yaml", "cannot read %s: no such file", path)
		}
		return nil, fail(exitError, "", "cannot read %s: %v", path, unwrapPathError(err))
	}
	return ds, nil
}

func unwrapPathError(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

func noArgs(c *cli.Context) error {
	if c.NArg() > 0 {
		return fail(exitError, "flags go before arguments; run 'wxmenu "+c.Command.Name+" --help'", "unexpected argument %q", c.Args().First())
	}
	return nil
}

// safetyFlags are the overrides of the plan's safety rails.
func safetyFlags() []cli.Flag {
	return []cli.Flag{
		&cli.BoolFlag{Name: "allow-empty", Usage: "allow a desired state with no menus at all"},
		&cli.BoolFlag{Name: "allow-delete-all", Usage: "allow menu/delete (removes the default and every conditional menu)"},
		&cli.BoolFlag{Name: "allow-protected", Usage: "allow deleting or recreating menus marked protect"},
		&cli.BoolFlag{Name: "allow-many-deletes", Usage: "allow more deletes than --max-deletes / --max-delete-share"},
		&cli.IntFlag{Name: "max-deletes", Usage: "delete rail: most deletes allowed without --allow-many-deletes", Value: 10},
		&cli.Float64Flag{Name: "max-delete-share", Usage: "delete rail: largest share of live conditional menus deleted without --allow-many-deletes", Value: 0.5},
		&cli.IntFlag{Name: "max-conditional", Usage: "the account's conditional-menu cap (65305); WeChat does not document it", Value: wechat.DefaultMaxConditional},
	}
}

// checkRailFlags refuses rail settings that would silently mean something
// else (the plan engine reads 0 as "use the default").
func checkRailFlags(c *cli.Context) error {
	if n := c.Int("max-deletes"); n < 1 {
		return fail(exitError, "the rail never applies below 3 deletes; to allow more, pass --allow-many-deletes", "--max-deletes must be at least 1, got %d", n)
	}
	if f := c.Float64("max-delete-share"); f <= 0 || f > 1 {
		return fail(exitError, "use a share between 0 and 1, e.g. --max-delete-share 0.25", "--max-delete-share must be above 0 and at most 1, got %g", f)
	}
	if n := c.Int("max-conditional"); n < 1 {
		return fail(exitError, "", "--max-conditional must be at least 1, got %d", n)
	}
	return nil
}

func planOptions(c *cli.Context, appID, file string) reconcile.PlanOptions {
	return reconcile.PlanOptions{
		AppID:          appID,
		DesiredFile:    file,
		ToolVersion:    toolVersion(),
		Now:            time.Now().UTC().Truncate(time.Second),
		MaxConditional: c.Int("max-conditional"),
		Safety: reconcile.SafetyOptions{
			AllowEmpty:       c.Bool("allow-empty"),
			AllowDeleteAll:   c.Bool("allow-delete-all"),
			AllowProtected:   c.Bool("allow-protected"),
			AllowManyDeletes: c.Bool("allow-many-deletes"),
			MaxDeletes:       c.Int("max-deletes"),
			MaxDeleteShare:   c.Float64("max-delete-share"),
		},
	}
}

func planCommand(e *env) *cli.Command {
	return &cli.Command{
		Name:  "plan",
		Usage: "show the API calls that make the account match menus.yaml (read-only)",
		UsageText: "wxmenu plan -f menus.yaml [--out plan.json] [--format text|markdown|json] [--detailed-exitcode]\n\n" +
			"Examples:\n" +
			"   wxmenu --sandbox plan -f examples/basic/menus.yaml\n" +
			"   wxmenu plan -f menus.yaml --out plan.json --format markdown > plan.md\n" +
			"   wxmenu plan -f menus.yaml --detailed-exitcode   # drift check: exit 2 when the account differs",
		Flags: withGlobal(append([]cli.Flag{
			fileFlag(true),
			&cli.StringFlag{Name: "out", Aliases: []string{"o"}, Usage: "save the plan to `PLAN.json` for apply"},
			&cli.StringFlag{Name: "format", Usage: "output `FORMAT`: text, markdown or json", Value: "text"},
			&cli.BoolFlag{Name: "detailed-exitcode", Usage: "exit 2 when the plan has changes, 0 when it has none"},
		}, safetyFlags()...)...),
		Action: func(c *cli.Context) error {
			if err := noArgs(c); err != nil {
				return err
			}
			render, err := renderer(c.String("format"), e, c)
			if err != nil {
				return err
			}
			if err := checkRailFlags(c); err != nil {
				return err
			}
			ds, err := loadDesired(c.String("file"))
			if err != nil {
				return err
			}
			// plan never writes to the account: its client refuses every
			// mutating call, so a drift check cannot change anything.
			return withAccount(c, e, true, func(ctx context.Context, acct *account) error {
				return runPlan(ctx, c, e, acct, ds, render)
			})
		},
	}
}

// runPlan reads the account once, renders the plan, and saves it when
// asked; a plan blocked by a safety rail is rendered but never saved.
func runPlan(ctx context.Context, c *cli.Context, e *env, acct *account, ds *desired.State, render func(*plans.Plan) error) error {
	live, err := acct.readMenus(ctx)
	if err != nil {
		return err
	}
	p, perr := reconcile.NewPlan(live, ds, planOptions(c, acct.appID, c.String("file")))
	if p == nil {
		return fail(exitError, "", "planning: %v", perr)
	}
	if err := render(p); err != nil {
		return err
	}
	if perr != nil {
		return safetyFailure(perr)
	}
	if out := c.String("out"); out != "" {
		if err := writeFileAtomic(out, func(w io.Writer) error { return plans.Write(w, p) }); err != nil {
			return fail(exitError, "", "writing %s: %v", out, unwrapPathError(err))
		}
		fmt.Fprintf(e.stderr, "wxmenu: plan saved to %s; apply it with: wxmenu apply %s\n", out, out)
	}
	if c.Bool("detailed-exitcode") && p.HasChanges() {
		return &cliError{code: exitChanges, err: errHasChanges}
	}
	return nil
}

func safetyFailure(err error) error {
	var se *reconcile.SafetyError
	if errors.As(err, &se) {
		var flags []string
		for _, v := range se.Violations {
			flags = append(flags, "--"+v.Override)
		}
		return fail(exitError, "if this is intended, plan again with "+strings.Join(dedupe(flags), " ")+" (the override is recorded in the plan and the audit log)", "%w", err)
	}
	return fail(exitError, "", "planning: %v", err)
}

func dedupe(s []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, v := range s {
		if !seen[v] {
			seen[v] = true
			out = append(out, v)
		}
	}
	return out
}

func readError(err error) error {
	return fail(exitError, "the account was not read, so nothing can be compared; check credentials and network (wxmenu never treats a failed read as an empty account)", "reading the account: %v", err)
}

func useColor(c *cli.Context, w io.Writer) bool {
	if globalBool(c, "no-color") || os.Getenv("NO_COLOR") != "" || os.Getenv("TERM") == "dumb" {
		return false
	}
	return isTerminal(w)
}

// isTerminal reports whether v is a terminal (not merely a character
// device: /dev/null is one, and must not count).
func isTerminal(v any) bool {
	f, ok := v.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

func renderer(format string, e *env, c *cli.Context) (func(*plans.Plan) error, error) {
	switch format {
	case "text":
		return func(p *plans.Plan) error {
			return render.Text(e.stdout, p, render.Options{Color: useColor(c, e.stdout)})
		}, nil
	case "markdown", "md":
		return func(p *plans.Plan) error { return render.Markdown(e.stdout, p) }, nil
	case "json":
		return func(p *plans.Plan) error { return render.JSON(e.stdout, p) }, nil
	}
	return nil, fail(exitError, "use --format text, markdown or json", "unknown format %q", format)
}

func applyCommand(e *env) *cli.Command {
	return &cli.Command{
		Name:  "apply",
		Usage: "make the calls of a reviewed plan, then prove the account matches",
		UsageText: "wxmenu apply [flags] PLAN.json\n   wxmenu apply -f menus.yaml [--auto-approve]\n\n" +
			"Examples:\n" +
			"   wxmenu apply --audit-log audit.jsonl plan.json   # the plan reviewed in the pull request\n" +
			"   wxmenu --sandbox apply -f examples/basic/menus.yaml --auto-approve\n\n" +
			"A saved plan needs no confirmation: it was reviewed. apply refuses it (exit 3) when the account\n" +
			"or menus.yaml changed since it was made. Flags go before PLAN.json.",
		Flags: withGlobal(append([]cli.Flag{
			fileFlag(false),
			&cli.BoolFlag{Name: "auto-approve", Usage: "with -f: apply without asking"},
			&cli.StringFlag{Name: "audit-log", Usage: "append a JSON line per step to `FILE`", EnvVars: []string{"WXMENU_AUDIT_LOG"}},
			&cli.StringFlag{Name: "lock-dir", Usage: "`DIR` for the per-account lock files (default: $XDG_STATE_HOME/wxmenu/locks)", EnvVars: []string{"WXMENU_LOCK_DIR"}},
			&cli.DurationFlag{Name: "lock-timeout", Usage: "wait up to `DURATION` for another apply on this machine to finish", Value: 0},
			&cli.StringFlag{Name: "format", Usage: "output `FORMAT`: text (progress for people) or json (one result document for machines)", Value: "text"},
		}, safetyFlags()...)...),
		Action: func(c *cli.Context) error { return runApply(c, e) },
	}
}

func runApply(c *cli.Context, e *env) error {
	if f := c.String("format"); f != "text" && f != "json" {
		return fail(exitError, "use --format text or json", "unknown format %q", f)
	}
	err := applyCommandLine(c, e)
	if err != nil && c.String("format") == "json" && !e.applyJSONWritten {
		// Refused before apply started (bad input, safety rail, lock,
		// failed read): machines still get their one document.
		e.writeApplyJSON(&plans.Plan{}, &reconcile.ApplyResult{}, err)
	}
	return err
}

// applyCommandLine reads apply's arguments and files, then applies.
func applyCommandLine(c *cli.Context, e *env) error {
	if err := checkRailFlags(c); err != nil {
		return err
	}
	file := c.String("file")
	var saved *plans.Plan
	switch {
	case c.NArg() > 1:
		return fail(exitError, "flags go before PLAN.json", "apply takes one plan file, got %d arguments", c.NArg())
	case c.NArg() == 1:
		path := c.Args().First()
		if strings.HasPrefix(path, "-") {
			return fail(exitError, "flags go before PLAN.json", "unexpected flag %q", path)
		}
		p, err := readPlanFile(path)
		if err != nil {
			return err
		}
		saved = p
		if file == "" {
			file = p.DesiredFile
		}
	case file == "":
		return fail(exitError, "apply a reviewed plan (wxmenu apply plan.json) or plan and apply in one go (wxmenu apply -f menus.yaml)", "nothing to apply")
	}
	if saved == nil && !c.Bool("auto-approve") && !isTerminal(e.stdin) {
		return fail(exitError, "pass --auto-approve to apply without a question, or apply a saved plan", "apply -f needs confirmation, and standard input is not a terminal")
	}
	ds, err := loadDesired(file)
	if err != nil {
		return err
	}
	return withAccount(c, e, false, func(ctx context.Context, acct *account) error {
		return applyToAccount(ctx, c, e, acct, ds, saved, file)
	})
}

// applyToAccount holds the account's lock, plans if no saved plan was
// given, and applies.
func applyToAccount(ctx context.Context, c *cli.Context, e *env, acct *account, ds *desired.State, saved *plans.Plan, file string) error {
	lockDir := c.String("lock-dir")
	if lockDir == "" {
		lockDir = filepath.Join(stateDir(), "locks")
	}
	lock, err := reconcile.LockAccount(ctx, lockDir, acct.lockName(), c.Duration("lock-timeout"))
	if errors.Is(err, reconcile.ErrLocked) {
		return fail(exitError, "wait for it to finish, or pass --lock-timeout 5m to wait", "%v", err)
	}
	if err != nil {
		return fail(exitError, "", "taking the apply lock: %v", err)
	}
	defer lock.Unlock()

	jsonOut := c.String("format") == "json"
	plan := saved
	var justRead *wechat.MenuSet
	if plan == nil {
		live, err := acct.readMenus(ctx)
		if err != nil {
			return err
		}
		p, perr := reconcile.NewPlan(live, ds, planOptions(c, acct.appID, file))
		if p == nil {
			return fail(exitError, "", "planning: %v", perr)
		}
		// Seal the plan as WritePlan would, so the audit log names it.
		if err := plans.Write(io.Discard, p); err != nil {
			return fail(exitError, "", "planning: %v", err)
		}
		if !jsonOut {
			if err := render.Text(e.stdout, p, render.Options{Color: useColor(c, e.stdout)}); err != nil {
				return err
			}
		}
		if perr != nil {
			return safetyFailure(perr)
		}
		if !p.HasChanges() {
			if jsonOut {
				return e.writeApplyJSON(p, &reconcile.ApplyResult{}, nil)
			}
			return nil
		}
		if c.Bool("auto-approve") {
			// Nothing happened between the read and now: apply may use it
			// as its first read instead of reading again.
			justRead = live
		} else {
			fmt.Fprint(e.stdout, "\nApply these changes to "+displayAccount(acct.appID)+"? Only 'yes' is accepted: ")
			answer, _ := bufio.NewReader(e.stdin).ReadString('\n')
			if strings.TrimSpace(answer) != "yes" {
				return fail(exitDeclined, "", "apply cancelled; nothing was changed")
			}
		}
		plan = p
	}

	var auditLog *audit.Log
	if path := c.String("audit-log"); path != "" {
		auditLog, err = audit.Open(path, toolVersion())
		if err != nil {
			return fail(exitError, "", "opening the audit log: %v", unwrapPathError(err))
		}
	}
	opts := reconcile.ApplyOptions{
		AppID:          acct.appID,
		Desired:        ds,
		Live:           justRead,
		MaxConditional: c.Int("max-conditional"),
		Audit:          auditLog,
	}
	if !jsonOut {
		color := useColor(c, e.stdout)
		opts.Progress = func(ev reconcile.ProgressEvent) {
			if ev.Index == 0 && ev.Result == nil {
				// Printed only once the plan passed its checks.
				fmt.Fprintf(e.stdout, "\nApplying %d steps to %s\n", ev.Total, displayAccount(plan.AppID))
			}
			printProgress(e.stdout, ev, color)
		}
	}
	res, err := reconcile.Apply(ctx, acct.client, plan, opts)
	if cerr := auditLog.Close(); cerr != nil && err == nil {
		// The account changed, but its record may be incomplete.
		err = &reconcile.PartialError{Done: res.Done(), Total: len(plan.Steps), Err: fmt.Errorf("closing the audit log: %w", cerr)}
	}
	if jsonOut {
		if werr := e.writeApplyJSON(plan, res, err); werr != nil {
			return werr
		}
	}
	return applyOutcome(e, plan, res, err, !jsonOut)
}

// applyJSON is apply's --format json document.
type applyJSON struct {
	AppID      string          `json:"appid"`
	PlanDigest string          `json:"plan_digest"`
	Result     string          `json:"result"` // applied, no_changes, blocked, stale, partial, not_converged, error
	Reads      int             `json:"reads"`
	Steps      []applyJSONStep `json:"steps"`
	Error      string          `json:"error,omitempty"`
}

type applyJSONStep struct {
	Action      plans.Action  `json:"action"`
	Endpoint    string        `json:"endpoint"`
	Name        string        `json:"name,omitempty"`
	MenuID      string        `json:"menuid,omitempty"`
	MenuIDAfter string        `json:"menuid_after,omitempty"`
	Outcome     plans.Outcome `json:"outcome"`
	Reread      bool          `json:"reread,omitempty"`
	Error       string        `json:"error,omitempty"`
}

// writeApplyJSON writes apply's --format json document, once.
func (e *env) writeApplyJSON(plan *plans.Plan, res *reconcile.ApplyResult, err error) error {
	e.applyJSONWritten = true
	doc := applyJSON{AppID: plan.AppID, PlanDigest: plan.Checksum, Reads: res.Reads, Steps: []applyJSONStep{}}
	var stale *reconcile.StaleError
	var partial *reconcile.PartialError
	var notConv *reconcile.NotConvergedError
	switch {
	case err == nil && !plan.HasChanges():
		doc.Result = "no_changes"
	case err == nil:
		doc.Result = "applied"
	case errors.As(err, &stale):
		doc.Result = "stale"
	case errors.As(err, &partial):
		doc.Result = "partial"
	case errors.As(err, &notConv):
		doc.Result = "not_converged"
	case errors.As(err, new(*reconcile.SafetyError)):
		doc.Result = "blocked"
	default:
		doc.Result = "error"
	}
	if err != nil {
		doc.Error = err.Error()
	}
	for _, s := range res.Steps {
		js := applyJSONStep{Action: s.Step.Action, Endpoint: s.Step.Action.Endpoint(), Name: s.Step.Name,
			MenuID: s.Step.MenuID, MenuIDAfter: s.MenuID, Outcome: s.Outcome, Reread: s.Reread}
		if s.Err != nil {
			js.Error = s.Err.Error()
		}
		doc.Steps = append(doc.Steps, js)
	}
	enc := json.NewEncoder(e.stdout)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(doc)
}

func displayAccount(appID string) string {
	if appID == "" {
		return "the account"
	}
	return "account " + appID
}

func readPlanFile(path string) (*plans.Plan, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fail(exitError, "make one with: wxmenu plan -f menus.yaml --out "+path, "cannot read plan %s: %v", path, unwrapPathError(err))
	}
	defer f.Close()
	p, err := plans.Read(f)
	if err != nil {
		return nil, fail(exitError, "make a new plan with: wxmenu plan -f menus.yaml --out "+path, "%s: %v", path, err)
	}
	return p, nil
}

func printProgress(w io.Writer, ev reconcile.ProgressEvent, color bool) {
	if ev.Result == nil {
		return
	}
	r := ev.Result
	status := string(r.Outcome)
	switch r.Outcome {
	case plans.OutcomeDone:
		status = paint(color, "32", "done")
	case plans.OutcomeAlreadyDone:
		status = paint(color, "33", "already done")
	case plans.OutcomeFailed:
		status = paint(color, "31", "failed")
	}
	extra := ""
	if r.MenuID != "" {
		extra = " (menuid " + r.MenuID + ")"
	}
	if r.Reread {
		extra += " [response lost; account re-read]"
	}
	name := ev.Step.Name
	if name == "" {
		name = "default menu"
	}
	fmt.Fprintf(w, "  [%d/%d] %-20s %s: %s%s\n", ev.Index+1, ev.Total, ev.Step.Action.Endpoint(), name, status, extra)
}

func paint(on bool, code, s string) string {
	if !on {
		return s
	}
	return "\x1b[" + code + "m" + s + "\x1b[0m"
}

// applyOutcome turns apply's result into the exit code and, when verbose,
// the summary lines for people.
func applyOutcome(e *env, plan *plans.Plan, res *reconcile.ApplyResult, err error, verbose bool) error {
	var stale *reconcile.StaleError
	var partial *reconcile.PartialError
	var notConv *reconcile.NotConvergedError
	switch {
	case err == nil:
		if verbose {
			fmt.Fprintf(e.stdout, "Apply complete: %d steps applied; the account matches %s (verified by reading it back).\n", len(plan.Steps), plan.DesiredFile)
		}
		return nil
	case errors.As(err, &stale):
		return fail(exitStale, "make a new plan (wxmenu plan -f "+plan.DesiredFile+" --out plan.json), review it and apply that", "%v; nothing was changed", err)
	case errors.As(err, &partial):
		for i, s := range res.Steps {
			if !verbose {
				break
			}
			if i == 0 {
				fmt.Fprintln(e.stdout, "\nWhat apply did:")
			}
			name := s.Step.Name
			if name == "" {
				name = "default menu"
			}
			line := fmt.Sprintf("  %d. %s %s: %s", i+1, s.Step.Action.Endpoint(), name, s.Outcome)
			if s.Err != nil {
				line += " (" + s.Err.Error() + ")"
			}
			fmt.Fprintln(e.stdout, line)
		}
		if partial.Done == 0 && !errors.Is(err, wechat.ErrOutcomeUnknown) && !slices.ContainsFunc(res.Steps, func(s reconcile.StepResult) bool { return s.Reread }) {
			// WeChat refused the first call: the account is as it was.
			return fail(exitError, "", "%v; nothing was changed", err)
		}
		return fail(exitPartial, "the account is between the old and the new state; run plan and apply again to converge", "%v", err)
	case errors.As(err, &notConv):
		return fail(exitPartial, "run 'wxmenu plan' to see what differs; someone may have changed the account during apply", "%v", err)
	}
	return fail(exitError, "", "%v", err)
}

func exportCommand(e *env) *cli.Command {
	return &cli.Command{
		Name:      "export",
		Usage:     "write the live account as menus.yaml",
		UsageText: "wxmenu export [--out menus.yaml]\n\nExample:\n   wxmenu --sandbox export --out menus.yaml && wxmenu --sandbox plan -f menus.yaml   # no changes",
		Flags:     withGlobal(&cli.StringFlag{Name: "out", Aliases: []string{"o"}, Usage: "write to `FILE` instead of standard output"}),
		Action: func(c *cli.Context) error {
			if err := noArgs(c); err != nil {
				return err
			}
			return withAccount(c, e, true, func(ctx context.Context, acct *account) error {
				live, err := acct.readMenus(ctx)
				if err != nil {
					return err
				}
				return writeExport(c, e, live)
			})
		},
	}
}

// writeExport writes the live account as YAML to --out (atomically) or
// standard output.
func writeExport(c *cli.Context, e *env, live *wechat.MenuSet) error {
	data, err := desired.Export(live)
	if err != nil {
		return fail(exitError, "", "exporting: %v", err)
	}
	if out := c.String("out"); out != "" {
		if err := writeFileAtomic(out, func(w io.Writer) error { _, err := w.Write(data); return err }); err != nil {
			return fail(exitError, "", "writing %s: %v", out, unwrapPathError(err))
		}
		fmt.Fprintf(e.stderr, "wxmenu: exported %s to %s\n", count(len(live.Conditional), "conditional menu"), out)
		return nil
	}
	_, err = e.stdout.Write(data)
	return err
}

func schemaCommand(e *env) *cli.Command {
	return &cli.Command{
		Name:      "schema",
		Usage:     "print the JSON Schema of menus.yaml (for yaml-language-server)",
		UsageText: "wxmenu schema > menus.schema.json\n\nThen start menus.yaml with:\n   # yaml-language-server: $schema=./menus.schema.json",
		Flags:     withGlobal(),
		Action: func(c *cli.Context) error {
			if err := noArgs(c); err != nil {
				return err
			}
			_, err := e.stdout.Write(desired.Schema())
			return err
		},
	}
}

func trymatchCommand(e *env) *cli.Command {
	return &cli.Command{
		Name:      "trymatch",
		Usage:     "show which menu a follower sees (menu/trymatch)",
		UsageText: "wxmenu trymatch [-f menus.yaml] USER\n\nUSER is an OpenID or a WeChat ID.\n\nExample:\n   wxmenu --sandbox trymatch -f examples/basic/menus.yaml o_demo_vip",
		Flags:     withGlobal(fileFlag(false)),
		Action: func(c *cli.Context) error {
			if c.NArg() != 1 {
				return fail(exitError, "wxmenu trymatch [-f menus.yaml] USER", "trymatch takes one user (an OpenID or WeChat ID)")
			}
			user := c.Args().First()
			var ds *desired.State
			if f := c.String("file"); f != "" {
				var err error
				if ds, err = loadDesired(f); err != nil {
					return err
				}
			}
			return withAccount(c, e, true, func(ctx context.Context, acct *account) error {
				buttons, err := acct.client.TryMatch(ctx, user)
				if err != nil {
					return fail(exitError, "", "trymatch %s: %v", user, err)
				}
				fmt.Fprintf(e.stdout, "%s sees %s\n", user, matchedMenu(ds, buttons))
				for _, line := range render.ButtonLines(buttons) {
					fmt.Fprintln(e.stdout, "  "+line)
				}
				return nil
			})
		},
	}
}

// matchedMenu names the declared menu whose buttons a user is shown.
func matchedMenu(ds *desired.State, buttons []wechat.Button) string {
	if ds == nil {
		return "this menu (pass -f menus.yaml to name it):"
	}
	got := canon.CanonicalButtons(buttons)
	var names []string
	for _, m := range ds.Conditional {
		if canon.CanonicalButtons(m.Buttons) == got {
			names = append(names, fmt.Sprintf("conditional menu %q (%s)", m.Name, canon.DescribeRule(m.MatchRule)))
		}
	}
	if ds.Default != nil && canon.CanonicalButtons(ds.Default.Buttons) == got {
		names = append(names, "the default menu")
	}
	switch len(names) {
	case 0:
		return "a menu that " + ds.Path + " does not declare (run plan to see the drift):"
	case 1:
		return names[0] + ":"
	}
	return strings.Join(names, " or ") + " (they have the same buttons):"
}

func sandboxCommand(e *env) *cli.Command {
	return &cli.Command{
		Name:  "sandbox",
		Usage: "the WeChat menu API emulator",
		Subcommands: []*cli.Command{
			{
				Name:  "serve",
				Usage: "serve the emulator over HTTP on a loopback address",
				UsageText: "wxmenu sandbox serve --addr 127.0.0.1:8808 [--appid ID --secret S] [--state FILE] [--demo]\n\n" +
					"It speaks WeChat's wire format under /cgi-bin/... and offers a control surface under /_emulator/...\n" +
					"Example:\n   wxmenu sandbox serve --addr 127.0.0.1:8808 --demo &\n" +
					"   WECHAT_API_BASE=http://127.0.0.1:8808 WECHAT_APPID=" + wechattest.DefaultAppID + " WECHAT_APPSECRET=... wxmenu plan -f menus.yaml",
				// No global flags: serve is the emulator, not a client of an
				// account, and its credentials never come from WECHAT_*
				// variables (which may hold a real account's secret).
				Flags: []cli.Flag{
					&cli.StringFlag{Name: "addr", Usage: "listen on `HOST:PORT` (loopback only)", Value: "127.0.0.1:8808"},
					&cli.StringFlag{Name: "appid", Usage: "the `APPID` the emulator accepts", Value: wechattest.DefaultAppID},
					&cli.StringFlag{Name: "secret", Usage: "the app `SECRET` the emulator accepts (default: the documented sandbox secret)"},
					&cli.StringFlag{Name: "state", Usage: "load and save the emulator state in `FILE`"},
					&cli.BoolFlag{Name: "demo", Usage: "seed the demo account when the state is empty"},
					&cli.StringFlag{Name: "addr-file", Usage: "write the address actually listened on to `FILE` (useful with port 0)"},
					&cli.StringSliceFlag{Name: "quota", Usage: "set a daily quota, `ENDPOINT=N` (e.g. menu/delconditional=0); repeatable"},
					&cli.IntFlag{Name: "max-conditional", Usage: "the conditional-menu cap (65305 past it)", Value: wechat.DefaultMaxConditional},
				},
				Action: func(c *cli.Context) error { return serveSandbox(c, e) },
			},
			{
				Name:      "reset",
				Usage:     "reset the --sandbox account to the demo account",
				UsageText: "wxmenu sandbox reset [--sandbox-state FILE]",
				Flags:     withGlobal(),
				Action: func(c *cli.Context) error {
					path := sandboxStatePath(c)
					if err := os.Remove(path); err != nil && !errors.Is(err, os.ErrNotExist) {
						return fail(exitError, "", "removing %s: %v", path, unwrapPathError(err))
					}
					if _, err := openSandbox(path, io.Discard); err != nil {
						return err
					}
					fmt.Fprintf(e.stdout, "sandbox account reset to the demo account (%s)\n", path)
					return nil
				},
			},
		},
	}
}

func serveSandbox(c *cli.Context, e *env) error {
	if err := noArgs(c); err != nil {
		return err
	}
	addr := c.String("addr")
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fail(exitError, "use HOST:PORT, e.g. 127.0.0.1:8808", "bad --addr %q: %v", addr, err)
	}
	if ip := net.ParseIP(host); host != "localhost" && (ip == nil || !ip.IsLoopback()) {
		return fail(exitError, "use 127.0.0.1 or [::1]; the emulator's control surface must not be reachable from other machines", "refusing to listen on %s: not a loopback address", host)
	}
	cfg := wechattest.Config{AppID: c.String("appid"), Secret: c.String("secret")}
	var emu *wechattest.Emulator
	if path := c.String("state"); path != "" {
		emu, err = wechattest.Load(path, cfg)
		if err != nil {
			return fail(exitError, "remove the file to start empty", "loading emulator state: %v", err)
		}
	} else {
		emu = wechattest.New(cfg)
	}
	emu.SetMaxConditional(c.Int("max-conditional"))
	for _, q := range c.StringSlice("quota") {
		endpoint, n, ok := strings.Cut(q, "=")
		limit, err := strconv.Atoi(n)
		if !ok || err != nil || limit < 0 {
			return fail(exitError, "use --quota menu/delconditional=0", "bad --quota %q", q)
		}
		emu.SetQuota(endpoint, limit)
	}
	if c.Bool("demo") {
		if m := emu.Menus(); m.Default == nil && len(m.Conditional) == 0 {
			emu.SeedDemo()
		}
	}
	l, err := net.Listen("tcp", addr)
	if err != nil {
		return fail(exitError, "", "listening on %s: %v", addr, err)
	}
	if f := c.String("addr-file"); f != "" {
		if err := writeFileAtomic(f, func(w io.Writer) error { _, err := io.WriteString(w, l.Addr().String()); return err }); err != nil {
			l.Close()
			return fail(exitError, "", "writing %s: %v", f, unwrapPathError(err))
		}
	}
	appID := cfg.AppID
	if appID == "" {
		appID = wechattest.DefaultAppID
	}
	fmt.Fprintf(e.stdout, "wxmenu sandbox: WeChat menu API emulator on http://%s (appid %s); Ctrl-C to stop\n", l.Addr(), appID)
	srv := &http.Server{Handler: emu, ReadHeaderTimeout: 10 * time.Second}
	go func() {
		<-c.Context.Done()
		shut, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		srv.Shutdown(shut)
	}()
	if err := srv.Serve(l); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fail(exitError, "", "serving: %v", err)
	}
	return nil
}

// stateDir is where wxmenu keeps local state: the sandbox account and the
// apply locks.
func stateDir() string {
	if d := os.Getenv("XDG_STATE_HOME"); d != "" {
		return filepath.Join(d, "wxmenu")
	}
	if home, err := os.UserHomeDir(); err == nil {
		return filepath.Join(home, ".local", "state", "wxmenu")
	}
	return filepath.Join(os.TempDir(), "wxmenu")
}

func sandboxStatePath(c *cli.Context) string {
	if p := globalString(c, "sandbox-state"); p != "" {
		return p
	}
	return filepath.Join(stateDir(), "sandbox.json")
}

// account is a connected WeChat account: a client, and for --sandbox the
// embedded emulator serving it on a loopback port.
type account struct {
	client *wechat.Client
	appID  string
	token  string // only for a static token; used to name the lock, never printed
	srv    *http.Server
}

func (a *account) Close() {
	if a.srv != nil {
		a.srv.Close()
	}
}

func (a *account) lockName() string {
	if a.appID != "" {
		return a.appID
	}
	return "access-token"
}

// openSandbox loads the --sandbox account from path, seeding the demo
// account (and saying so on stderr) the first time.
func openSandbox(path string, stderr io.Writer) (*wechattest.Emulator, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fail(exitError, "", "creating the sandbox state directory: %v", unwrapPathError(err))
	}
	_, statErr := os.Stat(path)
	emu, err := wechattest.Load(path, wechattest.Config{StatePath: path})
	if err != nil {
		return nil, fail(exitError, "reset it with: wxmenu sandbox reset", "loading sandbox state %s: %v", path, err)
	}
	if errors.Is(statErr, os.ErrNotExist) {
		emu.SeedDemo()
		if err := emu.Save(path); err != nil {
			return nil, fail(exitError, "", "saving sandbox state: %v", err)
		}
		fmt.Fprintf(stderr, "wxmenu: created the sandbox demo account in %s\n", path)
	}
	return emu, nil
}

// withAccount connects to the account (embedded sandbox or WeChat) and runs
// f within the command's --timeout.
func withAccount(c *cli.Context, e *env, readOnly bool, f func(ctx context.Context, acct *account) error) error {
	ctx, cancel := context.WithTimeout(c.Context, globalDuration(c, "timeout"))
	defer cancel()
	acct, err := connect(c, e, readOnly)
	if err != nil {
		return err
	}
	defer acct.Close()
	return f(ctx, acct)
}

// readMenus reads the account once. A failed read is an error, never an
// empty account.
func (a *account) readMenus(ctx context.Context) (*wechat.MenuSet, error) {
	live, err := a.client.GetMenu(ctx)
	if err != nil {
		return nil, readError(err)
	}
	return live, nil
}

func connect(c *cli.Context, e *env, readOnly bool) (*account, error) {
	opts := []wechat.Option{}
	if readOnly {
		opts = append(opts, wechat.WithReadOnly())
	}
	acct := &account{}
	if globalBool(c, "sandbox") {
		emu, err := openSandbox(sandboxStatePath(c), e.stderr)
		if err != nil {
			return nil, err
		}
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return nil, fail(exitError, "", "starting the sandbox: %v", err)
		}
		acct.srv = &http.Server{Handler: emu, ReadHeaderTimeout: 10 * time.Second}
		go acct.srv.Serve(l)
		acct.appID = wechattest.DefaultAppID
		opts = append(opts, wechat.WithBaseURLs("http://"+l.Addr().String()), wechat.WithCredentials(wechattest.DefaultAppID, wechattest.DefaultSecret))
	} else {
		appID, secret, token := globalString(c, "appid"), globalString(c, "secret"), globalString(c, "access-token")
		var bases []string
		for _, b := range strings.Split(globalString(c, "api-base"), ",") {
			if b = strings.TrimSpace(b); b != "" {
				bases = append(bases, strings.TrimRight(b, "/"))
			}
		}
		opts = append(opts, wechat.WithBaseURLs(bases...))
		switch {
		case token != "" && appID == "":
			return nil, fail(exitError, "set WECHAT_APPID (or --appid) to the account the token belongs to", "--access-token needs --appid: plans, audit records and locks name the account")
		case token != "":
			acct.appID = appID
			acct.token = token
			opts = append(opts, wechat.WithStaticToken(token))
		case appID != "" && secret != "":
			acct.appID = appID
			opts = append(opts, wechat.WithCredentials(appID, secret))
			if globalBool(c, "legacy-token") {
				opts = append(opts, wechat.WithLegacyToken())
			}
		default:
			return nil, fail(exitError, "set WECHAT_APPID and WECHAT_APPSECRET (or WECHAT_ACCESS_TOKEN), or try wxmenu with --sandbox", "no credentials for the WeChat API")
		}
	}
	client, err := wechat.New(opts...)
	if err != nil {
		acct.Close()
		return nil, fail(exitError, "", "%v", err)
	}
	acct.client = client
	return acct, nil
}

// writeFileAtomic writes path through a temporary file in the same
// directory and renames it into place, so a failed or killed command never
// leaves a partial file behind.
func writeFileAtomic(path string, write func(io.Writer) error) error {
	var buf bytes.Buffer
	if err := write(&buf); err != nil {
		return err
	}
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(buf.Bytes()); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

package main

import (
	"errors"
	"fmt"
	"github.com/wxmenu/wxmenu/internal/suggest"
	"slices"
	"strings"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/wxmenu/wxmenu/internal/buildinfo"
	"github.com/wxmenu/wxmenu/internal/cmdline"
	"github.com/wxmenu/wxmenu/reconcile"
	"github.com/wxmenu/wxmenu/reconcile/fleet"
	"github.com/wxmenu/wxmenu/wechat"
	"github.com/wxmenu/wxmenu/wechat/wechattest"
)

// defaultAPIBase is WeChat's API and its second host.
const defaultAPIBase = "https://api.weixin.qq.com,https://api2.weixin.qq.com"

// newApp is wxmenu's command line: each command's name, usage and flags,
// and its action (env.action: whether it takes arguments, and runs within
// --timeout). Errors are run's to report; a usage error is usageError's.
func newApp(e *env) *cli.App {
	app := &cli.App{
		Name:    "wxmenu",
		Usage:   "manage WeChat Official Account menus from git: plan, review, apply",
		Version: buildinfo.Current().String(),
		Description: "wxmenu reads menus.yaml (the default menu and the conditional menus in priority order),\n" +
			"compares it with the live account and prints the smallest set of WeChat API calls that makes\n" +
			"the account match. Try it with no credentials:\n\n" +
			"   wxmenu --sandbox apply -f examples/basic/menus.yaml --auto-approve",
		Flags: globalFlags(), HideHelpCommand: true, EnableBashCompletion: true,
		ExitErrHandler: func(*cli.Context, error) {},
		Commands: []*cli.Command{{
			Name: "validate", Usage: "check a menus.yaml offline (no network)", UsageText: "wxmenu validate -f menus.yaml",
			// offline: no credential or network flags
			Flags:  append([]cli.Flag{fileFlag(), maxConditionalFlag()}, globals("config", "account")...),
			Action: e.action(e.validate, true, true), // its arguments are a mistaken -f, which it hints at
		}, {
			Name:  "plan",
			Usage: "show the API calls that make the account match menus.yaml (read-only)",
			UsageText: "wxmenu plan -f menus.yaml [--out plan.json] [--format text|markdown|json|html] [--detailed-exitcode]\n\n" +
				"Examples:\n" +
				"   wxmenu --sandbox plan -f examples/basic/menus.yaml\n" +
				"   wxmenu plan -f menus.yaml --out plan.json --format markdown > plan.md\n" +
				"   wxmenu plan -f menus.yaml --format html > preview.html   # phones per audience, before and after\n" +
				"   wxmenu plan -f menus.yaml --detailed-exitcode   # drift check: exit 2 when the account differs\n\n" +
				"A blocked plan is still printed (with why and the override) and exits 1.",
			Flags: with(append([]cli.Flag{
				fileFlag(),
				&cli.StringFlag{Name: "out", Aliases: []string{"o"}, Usage: "save the plan to `PLAN.json` for apply (never over menus.yaml or another file that is not a plan)"},
				&cli.BoolFlag{Name: "force", Usage: "let --out replace an existing file that is not a wxmenu plan"},
				formatFlag(),
				&cli.StringFlag{Name: "out-markdown-dir", Usage: "with a project and --format markdown (an error otherwise): write the comment parts to `DIR`/plan-part-N.md"},
				&cli.BoolFlag{Name: "detailed-exitcode", Usage: "exit 2 when the plan has changes, 0 when it has none"},
				restoreFlag("plan back to the menus the apply `ID` left (wxmenu history lists the IDs)"), auditLogFlag(),
				&cli.StringFlag{Name: "live", Usage: "plan against the snapshot `FILE` (export --snapshot) instead of reading the accounts: no credentials, no network; the plan says so and apply refuses it"},
			}, safetyFlags()...)...),
			Action: e.action(e.plan, false, true),
		}, {
			Name:  "apply",
			Usage: "make the calls of a reviewed plan, then prove the account matches",
			UsageText: "wxmenu apply [flags] PLAN.json\n   wxmenu apply -f menus.yaml [--auto-approve]\n\n" +
				"Examples:\n" +
				"   wxmenu apply --audit-log audit.jsonl plan.json   # the plan reviewed in the pull request\n" +
				"   wxmenu --sandbox apply -f examples/basic/menus.yaml --auto-approve\n\n" +
				"A saved plan needs no confirmation: it was reviewed. apply refuses it (exit 3) when the account\n" +
				"or menus.yaml changed since it was made. Flags go before PLAN.json.",
			Flags: with(append([]cli.Flag{
				fileFlag(),
				&cli.BoolFlag{Name: "auto-approve", Usage: "with -f: apply without asking"},
				auditLogFlag(),
				&cli.StringFlag{Name: "lock-dir", Usage: "`DIR` for the per-account lock files (default: $XDG_STATE_HOME/wxmenu/locks)", EnvVars: []string{"WXMENU_LOCK_DIR"}},
				&cli.DurationFlag{Name: "lock-timeout", Usage: "wait up to `DURATION` for another apply on this machine to finish", Value: 0},
				&cli.StringFlag{Name: "format", Usage: "output `FORMAT`: text (progress for people) or json (one result document for machines)", Value: "text"},
				&cli.BoolFlag{Name: "skip-stale", Usage: "with a saved project plan: apply the accounts whose plans are fresh even if others are stale or blocked"},
				&cli.StringFlag{Name: "wave", Usage: "with a project's rollout: apply the waves up to and including `NAME`, then stop (the later waves are reported as not started)"},
			}, safetyFlags()...)...),
			Action: e.action(e.apply, true, true), // the saved plan
		}, {
			Name:  "drift",
			Usage: "say per account whether it matches its file, and if not what happened and to whom (read-only)",
			UsageText: "wxmenu drift [-f menus.yaml | --config wxmenu.yaml] [--audit-log FILE] [--format text|markdown|json] [--state FILE] [--notify URL]...\n\n" +
				"Statuses: in_sync; pending (the file changed since the last apply); console (a menu published in the console);\n" +
				"changed_outside (the menus differ from what the last apply left); drifted (differs, and no apply is recorded);\n" +
				"error. Exit 0 when every account is in sync, 2 on drift or pending, 1 on an error.\n\n" +
				"Example:\n   wxmenu drift --audit-log audit.jsonl --state drift-state.json --notify wecom+https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=KEY",
			Flags: with(fileFlag(), auditLogFlag(),
				&cli.StringFlag{Name: "format", Usage: "output `FORMAT`: text, markdown or json", Value: "text"},
				&cli.StringFlag{Name: "state", Usage: "keep each account's last status in `FILE`, so --notify posts only changes"},
				&cli.StringSliceFlag{Name: "notify", Usage: "post status changes to `URL` (JSON; wecom+https://… a WeCom group robot, slack+https://… Slack); repeatable, needs --state"}),
			Action: e.action(e.drift, false, true),
		}, {
			Name:  "watch",
			Usage: "check drift on every account at an interval, serve /metrics and /healthz, notify changes (read-only unless --self-heal)",
			UsageText: "wxmenu watch [--config wxmenu.yaml | -f menus.yaml] [--interval 15m] [--listen 127.0.0.1:9464] [--state FILE] [--notify URL]... [--once] [--self-heal]\n\n" +
				"For hosts behind WeChat's IP whitelists: one small process instead of CI runners. SIGTERM ends it after the sweep\n" +
				"in flight (exit 0). --once runs one sweep and exits with drift's exit code.",
			Flags: with(fileFlag(), auditLogFlag(),
				&cli.DurationFlag{Name: "interval", Usage: "time between sweeps, `DURATION` (a tenth of it at random added or taken, so hosts do not sweep in step)", Value: 15 * time.Minute},
				&cli.StringFlag{Name: "listen", Usage: "serve /metrics and /healthz on `HOST:PORT` (loopback unless --listen-non-loopback; \"\" serves none)", Value: "127.0.0.1:9464"},
				&cli.BoolFlag{Name: "listen-non-loopback", Usage: "let --listen serve other machines (the metrics name every account)"},
				&cli.StringFlag{Name: "state", Usage: "keep each account's last status in `FILE` across restarts"},
				&cli.StringSliceFlag{Name: "notify", Usage: "post status changes to `URL` (JSON; wecom+https://… a WeCom group robot, slack+https://… Slack); repeatable"},
				&cli.BoolFlag{Name: "once", Usage: "one sweep, then exit 0 in sync, 2 drift, 1 error"},
				&cli.BoolFlag{Name: "self-heal", Usage: "revert accounts with self_heal: true to the state their last apply left (through the rails); pause one after 3 reverts in a row"}),
			Action: e.action(e.watch, false, false),
		}, {
			Name: "history", Usage: "list the applies the audit log records, newest first, with the IDs --restore takes (offline)",
			UsageText: "wxmenu history --audit-log FILE [--config wxmenu.yaml [--account NAME] | -f menus.yaml] [--format text|json]\n\n" +
				"Example:\n   wxmenu history --audit-log audit.jsonl\n   wxmenu plan -f menus.yaml --restore ID --audit-log audit.jsonl --out plan.json",
			Flags: append([]cli.Flag{fileFlag(), auditLogFlag(),
				&cli.StringFlag{Name: "format", Usage: "output `FORMAT`: text or json", Value: "text"}},
				globals("config", "account", "appid", "sandbox")...),
			Action: e.action(e.history, false, false),
		}, {
			Name: "show", Usage: "render a saved plan for review (offline)", UsageText: "wxmenu show [--format text|markdown|json|html] PLAN.json",
			Flags:  append([]cli.Flag{formatFlag()}, globals("no-color", "lang")...),
			Action: e.action(e.show, true, false), // the plan file
		}, {
			Name: "export", Usage: "write the live account as menus.yaml",
			UsageText: "wxmenu export [--out menus.yaml]\n\n" +
				"Without --out, in a folder with a wxmenu.yaml project (or with --config), it writes each account's file.\n\n" +
				"Example:\n   wxmenu --sandbox export --out menus.yaml && wxmenu --sandbox plan -f menus.yaml   # no changes\n" +
				"   wxmenu export --snapshot snapshot.json   # then, without credentials: wxmenu plan --live snapshot.json -f menus.yaml",
			Flags: with(&cli.StringFlag{Name: "out", Aliases: []string{"o"}, Usage: "write to `FILE` instead of standard output; never over a file that exists without --force"},
				&cli.BoolFlag{Name: "force", Usage: "let --out (or, with a project, each account's file) replace a file that exists"},
				&cli.BoolFlag{Name: "bootstrap-platform", Usage: "with --config: add the platform's authorizers to the project, exporting each to accounts/APPID.yaml"},
				&cli.StringFlag{Name: "template", Usage: "with --bootstrap-platform: bind each new authorizer whose live menus are the template `NAME` rendered for it to that template instead of exporting its file"},
				restoreFlag("write the menus the apply `ID` left (from the audit log) instead of the live account's"), auditLogFlag(),
				&cli.StringFlag{Name: "snapshot", Usage: "instead of menus.yaml, save what a plan reads from the account (or every account of the project) to `FILE`, for plan --live"}),
			Action: e.action(e.export, false, true),
		}, {
			Name: "render", Usage: "print each account's desired state as menus.yaml, its template rendered (offline)",
			UsageText: "wxmenu render [--config wxmenu.yaml] [--account GLOB] [--out-dir DIR]\n\n" +
				"Each account's menus, as plan compares them with the live account: a template with the account's vars\n" +
				"filled in, or its own menus file. Every account is validated as validate does.\n\n" +
				"Example:\n   wxmenu render --config examples/platform/wxmenu.yaml --account store-0001",
			Flags: append([]cli.Flag{
				&cli.StringFlag{Name: "out-dir", Usage: "write each account to `DIR`/NAME.yaml instead of standard output"},
				maxConditionalFlag(),
			}, globals("config", "account")...),
			Action: e.action(e.render, false, false),
		}, {
			Name: "fmt", Usage: "rewrite menus.yaml and wxmenu.yaml in one canonical layout, keeping comments (offline)",
			UsageText: "wxmenu fmt [--check] [FILE...]\n\n" +
				"Without FILE: the project file (./wxmenu.yaml, or --config) and each account's file.\n" +
				"It lists the files it rewrote. --check rewrites nothing: it lists the files that are not formatted,\n" +
				"each with what would change, and exits 1 if there are any.\n\n" +
				"Example:\n   wxmenu fmt --check examples/basic/menus.yaml",
			Flags:  append([]cli.Flag{&cli.BoolFlag{Name: "check", Usage: "rewrite nothing: list the files that are not formatted, with a diff, and exit 1 if any"}}, globals("config")...),
			Action: e.action(e.format, true, false), // the files
		}, {
			Name: "schema", Usage: "print the JSON Schema of menus.yaml (for yaml-language-server)",
			UsageText: "wxmenu schema > menus.schema.json\n\nThen start menus.yaml with:\n   # yaml-language-server: $schema=./menus.schema.json",
			Flags:     []cli.Flag{&cli.BoolFlag{Name: "project", Usage: "print the schema of the project file, wxmenu.yaml"}},
			Action:    e.action(e.schema, false, false),
		}, {
			Name: "trymatch", Usage: "show which menu a follower sees (menu/trymatch)",
			UsageText: "wxmenu trymatch [-f menus.yaml] USER\n\nUSER is an OpenID or a WeChat ID.\n\nExample:\n   wxmenu --sandbox trymatch -f examples/basic/menus.yaml o_demo_vip",
			Flags:     with(fileFlag()),
			Action:    e.action(e.trymatch, true, true), // the user
		}, {
			Name: "sandbox", Usage: "the WeChat menu API emulator", Subcommands: []*cli.Command{{
				Name: "serve", Usage: "serve the emulator over HTTP on a loopback address",
				UsageText: "wxmenu sandbox serve --addr 127.0.0.1:8808 [--appid ID --secret S] [--state FILE] [--demo]\n\n" +
					"It speaks WeChat's wire format under /cgi-bin/... and offers a control surface under /_emulator/...\n" +
					"Example:\n   wxmenu sandbox serve --addr 127.0.0.1:8808 --demo &\n" +
					"   WECHAT_API_BASE=http://127.0.0.1:8808 WECHAT_APPID=" + wechattest.DefaultAppID + " WECHAT_APPSECRET=... wxmenu plan -f menus.yaml",
				// Not the global flags: serve is the emulator, not a client of an
				// account, and its credentials never come from WECHAT_* variables
				// (which may hold a real account's secret).
				Flags: []cli.Flag{
					&cli.StringFlag{Name: "addr", Usage: "listen on `HOST:PORT` (loopback only)", Value: "127.0.0.1:8808"},
					&cli.StringFlag{Name: "appid", Usage: "the `APPID` the emulator accepts", Value: wechattest.DefaultAppID},
					&cli.StringFlag{Name: "secret", Usage: "the app `SECRET` the emulator accepts (default: the documented sandbox secret)"},
					&cli.StringFlag{Name: "state", Usage: "load and save the emulator state in `FILE`"},
					&cli.BoolFlag{Name: "demo", Usage: "seed the demo account when the state is empty"},
					&cli.StringFlag{Name: "addr-file", Usage: "write the address actually listened on to `FILE` (useful with port 0)"},
					&cli.StringSliceFlag{Name: "quota", Usage: "set a daily quota, `ENDPOINT=N` (e.g. menu/delconditional=0); repeatable"},
					&cli.IntFlag{Name: "max-conditional", Usage: "the conditional-menu cap, `N` (65305 past it)", Value: wechat.DefaultMaxConditional},
					&cli.StringSliceFlag{Name: "account", Usage: "serve a further account `APPID:SECRET`; repeatable"},
					&cli.StringFlag{Name: "platform", Usage: "be the third-party platform `COMPONENT_APPID:COMPONENT_SECRET` of every account"},
				},
				Action: e.action(e.sandboxServe, false, false),
			}, {
				Name: "reset", Usage: "reset the --sandbox account to the demo account", UsageText: "wxmenu sandbox reset [--sandbox-state FILE]",
				Flags:  globals("sandbox-state"),
				Action: e.action(e.sandboxReset, true, false),
			}},
		}},
	}
	app.Reader, app.Writer, app.ErrWriter = e.stdin, e.stdout, e.stderr
	app.CommandNotFound = func(c *cli.Context, name string) { e.unknownCommand = name }
	app.OnUsageError = usageError
	app.BashComplete = e.complete
	for _, cmd := range app.Commands {
		for _, c := range append(cmd.Subcommands, cmd) {
			c.OnUsageError = usageError
			c.BashComplete = e.complete
		}
	}
	return app
}

// globalFlags are accepted before the command name, and those a command
// uses (globals) after it too: see lookupSet.
func globalFlags() []cli.Flag {
	return []cli.Flag{
		&cli.StringFlag{Name: "appid", Usage: "account `APPID`", EnvVars: []string{"WECHAT_APPID"}},
		&cli.StringFlag{Name: "secret", Usage: "app `SECRET` (prefer the environment variable)", EnvVars: []string{"WECHAT_APPSECRET"}},
		&cli.StringFlag{Name: "access-token", Usage: "use this access `TOKEN` as is (e.g. a third-party authorizer_access_token)", EnvVars: []string{"WECHAT_ACCESS_TOKEN"}},
		&cli.StringFlag{Name: "api-base", Usage: "API base `URLS`, comma-separated, tried in order when one cannot be reached", EnvVars: []string{"WECHAT_API_BASE"}, Value: defaultAPIBase},
		&cli.BoolFlag{Name: "legacy-token", Usage: "fetch tokens with GET cgi-bin/token instead of cgi-bin/stable_token"},
		&cli.BoolFlag{Name: "sandbox", Usage: "run against the embedded emulator (no credentials needed)", EnvVars: []string{"WXMENU_SANDBOX"}},
		&cli.StringFlag{Name: "sandbox-state", Usage: "emulator state `FILE` for --sandbox (default: $XDG_STATE_HOME/wxmenu/sandbox.json)", EnvVars: []string{"WXMENU_SANDBOX_STATE"}},
		&cli.BoolFlag{Name: "no-color", Usage: "never colour output (NO_COLOR is honoured too)"},
		&cli.StringFlag{Name: "lang", Usage: "the `LANGUAGE` of plans, comments, previews and reports: en or zh-CN (default: the project's lang:, else $WXMENU_LANG, else the locale)"},
		&cli.DurationFlag{Name: "timeout", Usage: "give up after `DURATION`, counted from the start of the command (reading -f, the lock, the calls and any prompt)", Value: 5 * time.Minute, EnvVars: []string{"WXMENU_TIMEOUT"}},
		&cli.BoolFlag{Name: "verbose", Usage: "log every HTTP call (method, URL without secrets, status, errcode, duration) to standard error; WXMENU_LOG=debug does the same"},
		&cli.StringFlag{Name: "config", Usage: "project `FILE` listing the accounts (default: ./wxmenu.yaml when -f is not given)", EnvVars: []string{"WXMENU_CONFIG"}},
		&cli.StringSliceFlag{Name: "account", Usage: "with a project: only the accounts named `NAME` (a glob such as 'shop-*'); repeatable"},
		&cli.IntFlag{Name: "parallel", Usage: "with a project: run at most `N` accounts at once", Value: fleet.DefaultParallel},
		&cli.StringFlag{Name: "changed-files", Usage: "with a project: only the accounts whose menus file is listed in `FILE` (one path a line, as git diff --name-only prints them: relative to the root of the git repository holding the project file, else to the working directory; the project file listed selects every account)"},
	}
}

// globals are the global flags named (all when none is) as a command's
// own, so that its help lists those it uses. They read no environment
// variable (the usage names it): only the app's copies do, or
// WXMENU_SANDBOX=false would set the command's copy and hide the flag of
// `wxmenu --sandbox plan`, given to the app's copy.
func globals(names ...string) []cli.Flag {
	var flags []cli.Flag
	for _, f := range globalFlags() {
		if len(names) > 0 && !slices.Contains(names, f.Names()[0]) {
			continue
		}
		switch f := f.(type) {
		case *cli.StringFlag:
			f.Usage, f.EnvVars = withEnv(f.Usage, f.EnvVars), nil
		case *cli.BoolFlag:
			f.Usage, f.EnvVars = withEnv(f.Usage, f.EnvVars), nil
		case *cli.DurationFlag:
			f.Usage, f.EnvVars = withEnv(f.Usage, f.EnvVars), nil
		}
		flags = append(flags, f)
	}
	return flags
}

func withEnv(usage string, vars []string) string {
	for _, v := range vars {
		usage += " [$" + v + "]"
	}
	return usage
}

// with is a command's own flags followed by every global flag.
func with(flags ...cli.Flag) []cli.Flag { return append(flags, globals()...) }

// fileFlag is -f, the desired-state file; commands that need one say so
// themselves (fileArg), to hint at a forgotten -f.
func fileFlag() *cli.StringFlag {
	return &cli.StringFlag{Name: "file", Aliases: []string{"f"}, Usage: "desired-state `FILE` (menus.yaml)", EnvVars: []string{"WXMENU_FILE"}}
}

// auditLogFlag is the audit log apply writes and drift, history and
// restore read.
func auditLogFlag() cli.Flag {
	return &cli.StringFlag{Name: "audit-log", Usage: "the audit log `FILE` (JSON lines): apply appends a record per step, drift, history and restore read it", EnvVars: []string{"WXMENU_AUDIT_LOG"}}
}

// restoreFlag is --restore of plan and export.
func restoreFlag(usage string) cli.Flag {
	return &cli.StringFlag{Name: "restore", Usage: usage}
}

// formatFlag is the --format of plan and show.
func formatFlag() cli.Flag {
	return &cli.StringFlag{Name: "format", Usage: "output `FORMAT`: text, markdown, json or html (a self-contained page)", Value: "text"}
}

// safetyFlags are the overrides and thresholds of the plan's safety rails,
// which plan and apply share.
func safetyFlags() []cli.Flag {
	return []cli.Flag{
		&cli.BoolFlag{Name: "allow-empty", Usage: "allow a desired state with no menus at all"},
		&cli.BoolFlag{Name: "allow-delete-all", Usage: "allow menu/delete (removes the default and every conditional menu)"},
		&cli.BoolFlag{Name: "allow-protected", Usage: "allow deleting or recreating menus marked protect"},
		&cli.BoolFlag{Name: "allow-many-deletes", Usage: "allow more followers to lose their menu than --max-deletes / --max-delete-share"},
		&cli.IntFlag{Name: "max-deletes", Usage: "loss rail: most audiences (`N`) losing their personalized menu (or menus removed for good) without --allow-many-deletes", Value: reconcile.DefaultMaxDeletes},
		&cli.Float64Flag{Name: "max-delete-share", Usage: "loss rail: largest `SHARE` (0 to 1) of those audiences (or live menus) without --allow-many-deletes", Value: reconcile.DefaultMaxDeleteShare},
		maxConditionalFlag(),
	}
}

// maxConditionalFlag is the account's conditional-menu cap.
func maxConditionalFlag() cli.Flag {
	return &cli.IntFlag{Name: "max-conditional", Usage: "the account's conditional-menu cap, `N` (65305 past it); WeChat does not document it", Value: wechat.DefaultMaxConditional}
}

// usageError turns urfave/cli's flag parsing error into one lowercase
// line, the command's usage line and a did-you-mean that names only flags
// of the same command (or says which command has the flag), never the
// whole help.
func usageError(c *cli.Context, err error, _ bool) error {
	path, cmd, flags := commandPath(c), c.Command, c.App.Flags
	usage, help := "wxmenu [global flags] COMMAND [flags]", "wxmenu --help"
	if path != "" {
		flags, help = cmd.Flags, "wxmenu "+path+" --help"
		if usage, _, _ = strings.Cut(cmd.UsageText, "\n"); usage == "" {
			usage = "wxmenu " + path + " [flags]"
		}
	}
	e := &cmdline.Error{Code: cmdline.ExitError, Usage: "usage: " + usage, Hint: help + " lists every flag"}
	msg := err.Error()
	name, unknown := strings.CutPrefix(msg, "flag provided but not defined: ")
	name = strings.TrimLeft(name, "-")
	if !unknown {
		e.Err = errors.New(strings.ToLower(msg[:1]) + msg[1:])
		return e
	}
	e.Err = fmt.Errorf("unknown flag %s", dashed(name))
	if s := suggest.Closest(name, flagNames(flags)); s != "" {
		e.Hint = "did you mean " + dashed(s) + "? (" + help + " lists every flag)"
	} else if other := commandWithFlag(c.App.Commands, "", name); other != "" && other != path {
		e.Hint = dashed(name) + " is a flag of the " + other + " command; " + help + " lists the flags of this one"
	}
	return e
}

// unknownCommand is the error for a command name that is not one of app's,
// with a did-you-mean when one is close.
func unknownCommand(name string, app *cli.App) error {
	var names []string
	for _, cmd := range app.VisibleCommands() {
		names = append(names, cmd.Names()...)
	}
	hint := "run 'wxmenu --help' to list the commands"
	if s := suggest.Closest(name, names); s != "" {
		hint = "did you mean " + s + "? (wxmenu " + s + " --help shows how to use it)"
	}
	return cmdline.Fail(cmdline.ExitError, hint, "unknown command %q", name)
}

// dashed writes a flag name as it is documented: --file, -f.
func dashed(name string) string {
	if len(name) == 1 {
		return "-" + name
	}
	return "--" + name
}

func flagNames(flags []cli.Flag) []string {
	var names []string
	for _, f := range flags {
		names = append(names, f.Names()...)
	}
	return names
}

// commandWithFlag is the path of the first command under cmds that has the
// flag, "" when none has.
func commandWithFlag(cmds []*cli.Command, prefix, name string) string {
	for _, cmd := range cmds {
		path := strings.TrimSpace(prefix + " " + cmd.Name)
		if slices.Contains(flagNames(cmd.Flags), name) {
			return path
		}
		if p := commandWithFlag(cmd.Subcommands, path, name); p != "" {
			return p
		}
	}
	return ""
}

package cmdline

import (
	"github.com/urfave/cli/v2"

	"github.com/wxmenu/wxmenu/internal/buildinfo"
	"github.com/wxmenu/wxmenu/wechat/wechattest"
)

// Actions are what wxmenu's commands do: package main's, which read the
// flags, run the work and print the results. App gives each its command.
type Actions struct {
	Validate, Plan, Apply, Show, Export, Schema, TryMatch cli.ActionFunc
	// SandboxServe and SandboxReset are `wxmenu sandbox serve` and reset.
	SandboxServe, SandboxReset cli.ActionFunc
}

// App is wxmenu's command line: each command's name, usage, flags and
// whether it takes arguments, running the action a gives it. Errors are
// the caller's to report: the app prints none itself (only the command
// line's own errors, through UsageError, never the whole help).
func App(a Actions) *cli.App {
	app := &cli.App{
		Name:    "wxmenu",
		Usage:   "manage WeChat Official Account menus from git: plan, review, apply",
		Version: buildinfo.Current().String(),
		Description: "wxmenu reads menus.yaml (the default menu and the conditional menus in priority order),\n" +
			"compares it with the live account and prints the smallest set of WeChat API calls that makes\n" +
			"the account match. Try it with no credentials:\n\n" +
			"   wxmenu --sandbox apply -f examples/basic/menus.yaml --auto-approve",
		Flags: GlobalFlags(), HideHelpCommand: true, EnableBashCompletion: true,
		ExitErrHandler: func(*cli.Context, error) {}, // the caller reports errors
		Commands: []*cli.Command{validateCommand(a.Validate), planCommand(a.Plan), applyCommand(a.Apply), showCommand(a.Show),
			exportCommand(a.Export), schemaCommand(a.Schema), trymatchCommand(a.TryMatch), sandboxCommand(a.SandboxServe, a.SandboxReset)},
	}
	Install(app, ExitError) // the error first, a usage line, a did-you-mean; never the whole help
	return app
}

// FormatFlag is the --format of plan and show.
func FormatFlag() cli.Flag {
	return &cli.StringFlag{Name: "format", Usage: "output `FORMAT`: text, markdown, json or html (a self-contained page)", Value: "text"}
}

func validateCommand(action cli.ActionFunc) *cli.Command {
	return &cli.Command{Name: "validate", Usage: "check a menus.yaml offline (no network)", UsageText: "wxmenu validate -f menus.yaml",
		// offline: no credential or network flags
		Flags:  append([]cli.Flag{FileFlag(), MaxConditionalFlag()}, Globals("config", "account")...),
		Action: action, // its arguments are a mistaken -f, which it hints at
	}
}

func planCommand(action cli.ActionFunc) *cli.Command {
	return &cli.Command{
		Name:  "plan",
		Usage: "show the API calls that make the account match menus.yaml (read-only)",
		UsageText: "wxmenu plan -f menus.yaml [--out plan.json] [--format text|markdown|json|html] [--detailed-exitcode]\n\n" +
			"Examples:\n" +
			"   wxmenu --sandbox plan -f examples/basic/menus.yaml\n" +
			"   wxmenu plan -f menus.yaml --out plan.json --format markdown > plan.md\n" +
			"   wxmenu plan -f menus.yaml --format html > preview.html   # phones per audience, before and after\n" +
			"   wxmenu plan -f menus.yaml --detailed-exitcode   # drift check: exit 2 when the account differs\n\n" +
			"A blocked plan is still printed (with why and the override) and exits 1.",
		Flags: With(append([]cli.Flag{
			FileFlag(),
			&cli.StringFlag{Name: "out", Aliases: []string{"o"}, Usage: "save the plan to `PLAN.json` for apply (never over menus.yaml or another file that is not a plan)"},
			&cli.BoolFlag{Name: "force", Usage: "let --out replace an existing file that is not a wxmenu plan"},
			FormatFlag(),
			&cli.StringFlag{Name: "out-markdown-dir", Usage: "with a project and --format markdown (an error otherwise): write the comment parts to `DIR`/plan-part-N.md"},
			&cli.BoolFlag{Name: "detailed-exitcode", Usage: "exit 2 when the plan has changes, 0 when it has none"},
		}, SafetyFlags()...)...),
		Action: NoArgs(action),
	}
}

func showCommand(action cli.ActionFunc) *cli.Command {
	return &cli.Command{Name: "show", Usage: "render a saved plan for review (offline)", UsageText: "wxmenu show [--format text|markdown|json|html] PLAN.json",
		Flags:  append([]cli.Flag{FormatFlag()}, Globals("no-color")...),
		Action: action, // the plan file, read with ShowArgs
	}
}

func applyCommand(action cli.ActionFunc) *cli.Command {
	return &cli.Command{
		Name:  "apply",
		Usage: "make the calls of a reviewed plan, then prove the account matches",
		UsageText: "wxmenu apply [flags] PLAN.json\n   wxmenu apply -f menus.yaml [--auto-approve]\n\n" +
			"Examples:\n" +
			"   wxmenu apply --audit-log audit.jsonl plan.json   # the plan reviewed in the pull request\n" +
			"   wxmenu --sandbox apply -f examples/basic/menus.yaml --auto-approve\n\n" +
			"A saved plan needs no confirmation: it was reviewed. apply refuses it (exit 3) when the account\n" +
			"or menus.yaml changed since it was made. Flags go before PLAN.json.",
		Flags: With(append([]cli.Flag{
			FileFlag(),
			&cli.BoolFlag{Name: "auto-approve", Usage: "with -f: apply without asking"},
			&cli.StringFlag{Name: "audit-log", Usage: "append a JSON line per step to `FILE`", EnvVars: []string{"WXMENU_AUDIT_LOG"}},
			&cli.StringFlag{Name: "lock-dir", Usage: "`DIR` for the per-account lock files (default: $XDG_STATE_HOME/wxmenu/locks)", EnvVars: []string{"WXMENU_LOCK_DIR"}},
			&cli.DurationFlag{Name: "lock-timeout", Usage: "wait up to `DURATION` for another apply on this machine to finish", Value: 0},
			&cli.StringFlag{Name: "format", Usage: "output `FORMAT`: text (progress for people) or json (one result document for machines)", Value: "text"},
			&cli.BoolFlag{Name: "skip-stale", Usage: "with a saved project plan: apply the accounts whose plans are fresh even if others are stale or blocked"},
		}, SafetyFlags()...)...),
		Action: action, // the saved plan, read with ApplyInput (and fleet.ApplyInput)
	}
}

func exportCommand(action cli.ActionFunc) *cli.Command {
	return &cli.Command{
		Name: "export", Usage: "write the live account as menus.yaml",
		UsageText: "wxmenu export [--out menus.yaml]\n\n" +
			"Without --out, in a folder with a wxmenu.yaml project (or with --config), it writes each account's file.\n\n" +
			"Example:\n   wxmenu --sandbox export --out menus.yaml && wxmenu --sandbox plan -f menus.yaml   # no changes",
		Flags: With(&cli.StringFlag{Name: "out", Aliases: []string{"o"}, Usage: "write to `FILE` instead of standard output; never over a file that exists without --force"},
			&cli.BoolFlag{Name: "force", Usage: "let --out (or, with a project, each account's file) replace a file that exists"},
			&cli.BoolFlag{Name: "bootstrap-platform", Usage: "with --config: add the platform's authorizers to the project, exporting each to accounts/APPID.yaml"}),
		Action: NoArgs(action),
	}
}

func schemaCommand(action cli.ActionFunc) *cli.Command {
	return &cli.Command{
		Name: "schema", Usage: "print the JSON Schema of menus.yaml (for yaml-language-server)",
		UsageText: "wxmenu schema > menus.schema.json\n\nThen start menus.yaml with:\n   # yaml-language-server: $schema=./menus.schema.json",
		Flags:     []cli.Flag{&cli.BoolFlag{Name: "project", Usage: "print the schema of the project file, wxmenu.yaml"}},
		Action:    NoArgs(action),
	}
}

func trymatchCommand(action cli.ActionFunc) *cli.Command {
	return &cli.Command{
		Name: "trymatch", Usage: "show which menu a follower sees (menu/trymatch)",
		UsageText: "wxmenu trymatch [-f menus.yaml] USER\n\nUSER is an OpenID or a WeChat ID.\n\nExample:\n   wxmenu --sandbox trymatch -f examples/basic/menus.yaml o_demo_vip",
		Flags:     With(FileFlag()),
		Action:    action, // the user
	}
}

func sandboxCommand(serveAction, resetAction cli.ActionFunc) *cli.Command {
	serve := &cli.Command{
		Name: "serve", Usage: "serve the emulator over HTTP on a loopback address",
		UsageText: "wxmenu sandbox serve --addr 127.0.0.1:8808 [--appid ID --secret S] [--state FILE] [--demo]\n\n" +
			"It speaks WeChat's wire format under /cgi-bin/... and offers a control surface under /_emulator/...\n" +
			"Example:\n   wxmenu sandbox serve --addr 127.0.0.1:8808 --demo &\n" +
			"   WECHAT_API_BASE=http://127.0.0.1:8808 WECHAT_APPID=" + wechattest.DefaultAppID + " WECHAT_APPSECRET=... wxmenu plan -f menus.yaml",
		Flags:  ServeFlags(),
		Action: NoArgs(serveAction),
	}
	reset := &cli.Command{
		Name: "reset", Usage: "reset the --sandbox account to the demo account", UsageText: "wxmenu sandbox reset [--sandbox-state FILE]",
		Flags:  Globals("sandbox-state"),
		Action: resetAction,
	}
	return &cli.Command{Name: "sandbox", Usage: "the WeChat menu API emulator", Subcommands: []*cli.Command{serve, reset}}
}

package cmdline

import (
	"os"
	"slices"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/wxmenu/wxmenu/reconcile"
	"github.com/wxmenu/wxmenu/reconcile/fleet"
	"github.com/wxmenu/wxmenu/reconcile/plans"
	"github.com/wxmenu/wxmenu/wechat"
)

// GlobalFlags are accepted before the command name, and those a command
// uses (see Globals) after it too. urfave/cli only looks at the app's flags
// before the command, so a command gets its own copy and String/Bool look
// through the lineage.
func GlobalFlags() []cli.Flag {
	return []cli.Flag{
		&cli.StringFlag{Name: "appid", Usage: "account `APPID`", EnvVars: []string{"WECHAT_APPID"}},
		&cli.StringFlag{Name: "secret", Usage: "app `SECRET` (prefer the environment variable)", EnvVars: []string{"WECHAT_APPSECRET"}},
		&cli.StringFlag{Name: "access-token", Usage: "use this access `TOKEN` as is (e.g. a third-party authorizer_access_token)", EnvVars: []string{"WECHAT_ACCESS_TOKEN"}},
		&cli.StringFlag{Name: "api-base", Usage: "API base `URLS`, comma-separated, tried in order when one cannot be reached", EnvVars: []string{"WECHAT_API_BASE"}, Value: "https://api.weixin.qq.com,https://api2.weixin.qq.com"},
		&cli.BoolFlag{Name: "legacy-token", Usage: "fetch tokens with GET cgi-bin/token instead of cgi-bin/stable_token"},
		&cli.BoolFlag{Name: "sandbox", Usage: "run against the embedded emulator (no credentials needed)", EnvVars: []string{"WXMENU_SANDBOX"}},
		&cli.StringFlag{Name: "sandbox-state", Usage: "emulator state `FILE` for --sandbox (default: $XDG_STATE_HOME/wxmenu/sandbox.json)", EnvVars: []string{"WXMENU_SANDBOX_STATE"}},
		&cli.BoolFlag{Name: "no-color", Usage: "never colour output (NO_COLOR is honoured too)"},
		&cli.DurationFlag{Name: "timeout", Usage: "give up after `DURATION`, counted from the start of the command (reading -f, the lock, the calls and any prompt)", Value: 5 * time.Minute, EnvVars: []string{"WXMENU_TIMEOUT"}},
		&cli.BoolFlag{Name: "verbose", Usage: "log every HTTP call (method, URL without secrets, status, errcode, duration) to standard error; WXMENU_LOG=debug does the same"},
		&cli.StringFlag{Name: "config", Usage: "project `FILE` listing the accounts (default: ./wxmenu.yaml when -f is not given)", EnvVars: []string{"WXMENU_CONFIG"}},
		&cli.StringSliceFlag{Name: "account", Usage: "with a project: only the accounts named `NAME` (a glob such as 'shop-*'); repeatable"},
		&cli.IntFlag{Name: "parallel", Usage: "with a project: run at most `N` accounts at once", Value: fleet.DefaultParallel},
		&cli.StringFlag{Name: "changed-files", Usage: "with a project: only the accounts whose menus file is listed in `FILE` (one path a line, as git diff --name-only prints them: relative to the root of the git repository holding the project file, else to the working directory; the project file listed selects every account)"},
	}
}

// commandCopies are the global flags as a command's own: without their
// environment variables (named in the usage instead), so that a command's
// copy is set only by the command line. Otherwise WXMENU_SANDBOX=false would
// set the command's copy and hide `wxmenu --sandbox plan`'s flag, given to
// the app's copy; the app's copies read the environment.
func commandCopies() []cli.Flag {
	flags := GlobalFlags()
	for _, f := range flags {
		switch f := f.(type) {
		case *cli.StringFlag:
			f.Usage, f.EnvVars = withEnv(f.Usage, f.EnvVars), nil
		case *cli.BoolFlag:
			f.Usage, f.EnvVars = withEnv(f.Usage, f.EnvVars), nil
		case *cli.DurationFlag:
			f.Usage, f.EnvVars = withEnv(f.Usage, f.EnvVars), nil
		}
	}
	return flags
}

func withEnv(usage string, vars []string) string {
	for _, v := range vars {
		usage += " [$" + v + "]"
	}
	return usage
}

// Globals are the global flags a command uses, so that its help lists only
// those: Globals() is every one, Globals("sandbox-state") one.
func Globals(names ...string) []cli.Flag {
	all := commandCopies()
	if len(names) == 0 {
		return all
	}
	var some []cli.Flag
	for _, f := range all {
		if slices.Contains(names, f.Names()[0]) {
			some = append(some, f)
		}
	}
	return some
}

// With is a command's own flags followed by every global flag.
func With(flags ...cli.Flag) []cli.Flag { return append(flags, commandCopies()...) }

// lookupSet returns the innermost context where flag name was set on the
// command line, or the app's (whose value then comes from the environment or
// the default).
func lookupSet(c *cli.Context, name string) *cli.Context {
	root := c
	for _, ctx := range c.Lineage() {
		if ctx.Command == nil {
			continue // the empty context urfave/cli puts above the app's
		}
		root = ctx
		if slices.Contains(ctx.LocalFlagNames(), name) {
			return ctx
		}
	}
	return root
}

// String is a global string flag wherever it was set.
func String(c *cli.Context, name string) string { return lookupSet(c, name).String(name) }

// Bool is a global bool flag wherever it was set.
func Bool(c *cli.Context, name string) bool { return lookupSet(c, name).Bool(name) }

// StringSlice is a global string-slice flag wherever it was set.
func StringSlice(c *cli.Context, name string) []string { return lookupSet(c, name).StringSlice(name) }

// Int is a global int flag wherever it was set.
func Int(c *cli.Context, name string) int { return lookupSet(c, name).Int(name) }

// Duration is a global duration flag wherever it was set.
func Duration(c *cli.Context, name string) time.Duration { return lookupSet(c, name).Duration(name) }

// FileFlag is -f, the desired-state file. Commands check that it is set
// themselves (File), to hint at a forgotten -f.
func FileFlag() *cli.StringFlag {
	return &cli.StringFlag{Name: "file", Aliases: []string{"f"}, Usage: "desired-state `FILE` (menus.yaml)", EnvVars: []string{"WXMENU_FILE"}}
}

// File is the -f of a command that needs one (FileArg).
func File(c *cli.Context) (string, error) {
	return FileArg(CommandPath(c), c.String("file"), c.Args().Slice())
}

// FileArg is file, the -f of command; without it, the error hints at the
// command with -f added (before the argument given instead, if any).
func FileArg(command, file string, args []string) (string, error) {
	if file != "" {
		return file, nil
	}
	arg := "menus.yaml"
	if len(args) > 0 {
		arg = shellQuote(args[0])
		return "", Fail(1, "add -f before the file: wxmenu "+command+" -f "+arg, "%s takes the desired-state file with -f", command)
	}
	return "", Fail(1, "wxmenu "+command+" -f "+arg, "missing -f FILE: %s needs the desired-state file, or a wxmenu.yaml project here", command)
}

// SafetyFlags are the overrides of the plan's safety rails.
func SafetyFlags() []cli.Flag {
	return []cli.Flag{
		&cli.BoolFlag{Name: "allow-empty", Usage: "allow a desired state with no menus at all"},
		&cli.BoolFlag{Name: "allow-delete-all", Usage: "allow menu/delete (removes the default and every conditional menu)"},
		&cli.BoolFlag{Name: "allow-protected", Usage: "allow deleting or recreating menus marked protect"},
		&cli.BoolFlag{Name: "allow-many-deletes", Usage: "allow more followers to lose their menu than --max-deletes / --max-delete-share"},
		&cli.IntFlag{Name: "max-deletes", Usage: "loss rail: most audiences (`N`) losing their personalized menu (or menus removed for good) without --allow-many-deletes", Value: reconcile.DefaultMaxDeletes},
		&cli.Float64Flag{Name: "max-delete-share", Usage: "loss rail: largest `SHARE` (0 to 1) of those audiences (or live menus) without --allow-many-deletes", Value: reconcile.DefaultMaxDeleteShare},
		MaxConditionalFlag(),
	}
}

// MaxConditionalFlag is the account's conditional-menu cap.
func MaxConditionalFlag() cli.Flag {
	return &cli.IntFlag{Name: "max-conditional", Usage: "the account's conditional-menu cap, `N` (65305 past it); WeChat does not document it", Value: wechat.DefaultMaxConditional}
}

// PlanOptions reads the safety flags.
func PlanOptions(c *cli.Context, file string) reconcile.PlanOptions {
	return reconcile.PlanOptions{DesiredFile: file, MaxConditional: c.Int("max-conditional"), Safety: reconcile.SafetyOptions{
		AllowEmpty: c.Bool("allow-empty"), AllowDeleteAll: c.Bool("allow-delete-all"),
		AllowProtected: c.Bool("allow-protected"), AllowManyDeletes: c.Bool("allow-many-deletes"),
		MaxDeletes: c.Int("max-deletes"), MaxDeleteShare: c.Float64("max-delete-share"),
	}, Provenance: plans.ProvenanceFromEnv(os.Getenv)}
}

// Install gives every command of app (and the app) the error handling of
// UsageError instead of urfave/cli's, which prints the whole help before
// the error.
func Install(app *cli.App, code int) {
	handler := func(c *cli.Context, err error, _ bool) error { return UsageError(c, err, code) }
	app.OnUsageError = handler
	var walk func([]*cli.Command)
	walk = func(cmds []*cli.Command) {
		for _, cmd := range cmds {
			cmd.OnUsageError = handler
			walk(cmd.Subcommands)
		}
	}
	walk(app.Commands)
}

// CommandNames are the names of app's commands, for a did-you-mean.
func CommandNames(app *cli.App) []string {
	var names []string
	for _, cmd := range app.Commands {
		if !cmd.Hidden {
			names = append(names, cmd.Names()...)
		}
	}
	return names
}

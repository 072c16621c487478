package cmdline

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/wxmenu/wxmenu/internal/suggest"
	"github.com/wxmenu/wxmenu/reconcile"
	"github.com/wxmenu/wxmenu/reconcile/desired"
	"github.com/wxmenu/wxmenu/reconcile/plans"
	"github.com/wxmenu/wxmenu/reconcile/project"
	"github.com/wxmenu/wxmenu/reconcile/render"
)

// ApplyInput reads the arguments of apply on one account: the saved plan
// (args[0], if any) and the desired-state file (file, the -f, else the
// file the saved plan was made from). A saved plan needs no confirmation
// (it was reviewed); planning and applying in one go asks first, so it
// needs autoApprove (--auto-approve) or an interactive standard input.
func ApplyInput(args []string, file string, autoApprove, interactive bool) (saved *plans.Plan, desiredFile string, err error) {
	switch {
	case len(args) > 1:
		return nil, "", Fail(ExitError, "flags go before PLAN.json", "apply takes one plan file, got %d arguments", len(args))
	case len(args) == 1 && strings.HasPrefix(args[0], "-"):
		return nil, "", Fail(ExitError, "flags go before PLAN.json", "unexpected flag %q", args[0])
	case len(args) == 1:
		f, err := plans.ReadFile(args[0])
		if err != nil {
			return nil, "", err
		}
		if saved = f.Single(); saved == nil {
			return nil, "", Fail(ExitError, "apply it without -f: wxmenu apply "+shellQuote(args[0]), "%s is the plan of a project, not of one menus file", args[0])
		}
		if file == "" {
			file = saved.DesiredFile
		}
	case file == "":
		return nil, "", Fail(ExitError, "make a plan (wxmenu plan -f menus.yaml --out plan.json), review it and apply it (wxmenu apply plan.json), or plan and apply in one go (wxmenu apply -f menus.yaml)", "nothing to apply")
	}
	if saved == nil && !autoApprove && !interactive {
		return nil, "", Fail(ExitError, "pass --auto-approve to apply without a question, or apply a saved plan", "apply -f needs confirmation, and standard input is not a terminal")
	}
	return saved, file, nil
}

// ApplyFormat checks apply's --format: text (progress for people) or json
// (one result document).
func ApplyFormat(format string) (jsonOut bool, err error) {
	if format != "text" && format != "json" {
		return false, Fail(ExitError, "use --format text or json", "unknown format %q", format)
	}
	return format == "json", nil
}

// ShowArgs reads the arguments of show: one plan file, with --format
// before it (format) or, as terraform show takes it, after it.
func ShowArgs(args []string, format string) (planFile, planFormat string, err error) {
	if len(args) == 3 && args[1] == "--format" { // show PLAN.json --format F
		args, format = args[:1], args[2]
	}
	if len(args) != 1 || strings.HasPrefix(args[0], "-") {
		return "", "", Fail(ExitError, "wxmenu show [--format text|markdown|json|html] PLAN.json", "show takes one plan file, got %q", args)
	}
	return args[0], format, nil
}

// ValidateInput reads the arguments of validate. With no argument and no
// -f (file), it is the project (project.Find; config is --config) when
// there is one; otherwise the one menus file given with -f. Arguments are
// never a project's: validate with arguments reads no project file, and
// says how to give the menus file.
func ValidateInput(args []string, file, config string) (p *project.Project, menusFile string, err error) {
	if len(args) == 0 {
		if p, err := project.Find(file, config); p != nil || err != nil {
			return p, "", err
		}
	}
	if menusFile, err = FileArg("validate", file, args); err != nil {
		return nil, "", err
	}
	if len(args) > 0 {
		return nil, "", Fail(ExitError, "validate checks one file, given with -f", "unexpected argument %q", args[0])
	}
	return nil, menusFile, nil
}

// TryMatchInput reads the arguments of trymatch: exactly one follower
// (an OpenID or WeChat ID) and, when file (-f) is given, the menus file
// that names the menu they see, loaded before any call is made.
func TryMatchInput(ctx context.Context, args []string, file string) (user string, ds *desired.State, err error) {
	if len(args) != 1 {
		return "", nil, Fail(ExitError, "wxmenu trymatch [-f menus.yaml] USER", "trymatch takes one user (an OpenID or WeChat ID)")
	}
	if file != "" {
		if ds, err = desired.LoadContext(ctx, file); err != nil {
			return "", nil, err
		}
	}
	return args[0], ds, nil
}

// RunError is the error of a run of app that ended with err, in which
// app's CommandNotFound saw unknownCommand ("" for none): a command name
// that is not one of app's fails the run (UnknownCommand).
func RunError(app *cli.App, err error, unknownCommand string) error {
	if err == nil && unknownCommand != "" {
		return UnknownCommand(unknownCommand, CommandNames(app))
	}
	return err
}

// UnknownCommand is the error for a command name that is not one of
// commands, with a did-you-mean when one is close.
func UnknownCommand(name string, commands []string) error {
	hint := "run 'wxmenu --help' to list the commands"
	if s := suggest.Closest(name, commands); s != "" {
		hint = "did you mean " + s + "? (wxmenu " + s + " --help shows how to use it)"
	}
	return Fail(ExitError, hint, "unknown command %q", name)
}

// NoArgs is an action that takes no arguments, only flags.
func NoArgs(action cli.ActionFunc) cli.ActionFunc {
	return func(c *cli.Context) error {
		if c.NArg() > 0 {
			return Fail(ExitError, "flags go before arguments; run 'wxmenu "+CommandPath(c)+" --help'", "unexpected argument %q", c.Args().First())
		}
		return action(c)
	}
}

// CheckMarkdownDir refuses plan's dir (--out-markdown-dir) where it would
// write nothing: it writes the Markdown comment parts of a project's plan,
// so it needs format (--format) markdown and no menus file (-f, whose
// plan goes to standard output). A flag silently ignored leaves a CI job
// posting comment parts that were never written.
func CheckMarkdownDir(dir, format, file string) error {
	switch {
	case dir == "":
		return nil
	case format != "markdown":
		return Fail(ExitError, "add --format markdown, or drop --out-markdown-dir",
			"--out-markdown-dir needs --format markdown: it writes the Markdown comment parts")
	case file != "":
		return Fail(ExitError, "with -f the Markdown goes to standard output: redirect it to a file, or drop -f to plan the project",
			"--out-markdown-dir writes a project's comment parts, not the plan of one menus file (-f)")
	}
	return nil
}

// PlanInput is what plan on one account takes from its flags, each
// checked before anything is read, so that a mistyped flag costs no call.
type PlanInput struct {
	// Show renders the plan in the --format asked for.
	Show func(io.Writer, *plans.Plan) error
	// File is the menus file (-f, see File).
	File string
	// Options are the plan's safety rails (PlanOptions).
	Options reconcile.PlanOptions
	// Out is where --out saves the plan ("" for nowhere): never the menus
	// file, nor a file that is not a plan without --force (plans.CheckOut).
	Out string
	// Detailed is --detailed-exitcode (DetailedExit).
	Detailed bool
}

// ReadPlanInput reads and checks plan's flags; color colours the text
// format, and the commands the plan prints repeat globals (HintGlobals).
func ReadPlanInput(c *cli.Context, color bool, globals []string) (PlanInput, error) {
	show, err := PlanRenderer(c.String("format"), render.Options{Color: color, Globals: globals})
	if err != nil {
		return PlanInput{}, err
	}
	file, err := File(c)
	if err != nil {
		return PlanInput{}, err
	}
	in := PlanInput{Show: show, File: file, Options: PlanOptions(c, file), Out: c.String("out"), Detailed: c.Bool("detailed-exitcode")}
	if err := in.Options.Check(); err != nil {
		return PlanInput{}, err
	}
	if in.Out != "" {
		if err := plans.CheckOut(in.Out, file, c.Bool("force")); err != nil {
			return PlanInput{}, err
		}
	}
	return in, nil
}

// Done shows the plan of r, a plan made with in, and when it passed its
// checks and Out is set, saves it there and says how to apply it (the
// hint repeats globals): a blocked plan is shown, never saved. It returns
// the plan's exit: ExitFor a plan that failed, else DetailedExit.
func (in PlanInput) Done(stdout, stderr io.Writer, r *reconcile.Result, globals []string) error {
	if r.Plan != nil {
		if err := in.Show(stdout, r.Plan); err != nil {
			return err
		}
	}
	if r.Err != nil {
		return ExitFor(r)
	}
	if in.Out != "" {
		f, err := plans.NewFile("", r.Plan.ToolVersion, r.Plan.CreatedAt, []plans.AccountPlan{{Plan: r.Plan}})
		if err == nil {
			err = WriteOut(stdout, in.Out, func(w io.Writer) error { return plans.WriteFile(w, f) })
		}
		if err != nil {
			return err
		}
		fmt.Fprintf(stderr, "wxmenu: plan saved to %s; apply it with: %s\n", in.Out, WithGlobals("wxmenu apply "+shellQuote(in.Out), globals))
	}
	return DetailedExit(in.Detailed, r.Plan.HasChanges())
}

// PlanRenderer is the renderer of a plan in format (--format of plan and
// show, render.ForFormatWith), or an error that lists the formats.
func PlanRenderer(format string, opts render.Options) (func(io.Writer, *plans.Plan) error, error) {
	show, err := render.ForFormatWith(format, opts)
	if err != nil {
		return nil, Fail(ExitError, "use --format text, markdown, json or html", "%v", err)
	}
	return show, nil
}

// AskYes asks question on out and reads the answer from in: only "yes"
// (spaces aside) agrees. An interrupt (ctx done) or the end of in declines
// at once.
func AskYes(ctx context.Context, in io.Reader, out io.Writer, question string) bool {
	fmt.Fprint(out, question+" Only 'yes' is accepted: ")
	answer, err := reconcile.ReadLine(ctx, in)
	return err == nil && strings.TrimSpace(answer) == "yes"
}

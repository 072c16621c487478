package cmdline

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/urfave/cli/v2"

	"github.com/wxmenu/wxmenu/reconcile"
)

// walk calls f on every command of app with its path ("sandbox serve").
func walk(cmds []*cli.Command, prefix string, f func(path string, cmd *cli.Command)) {
	for _, cmd := range cmds {
		path := strings.TrimSpace(prefix + " " + cmd.Name)
		f(path, cmd)
		walk(cmd.Subcommands, path, f)
	}
}

// TestCommandShape checks what every command must get right: no flag
// name twice (a command's own flags and its copies of the global ones),
// a usage line that starts with the command, and, for every command that
// talks to an account, hints that repeat --sandbox.
func TestCommandShape(t *testing.T) {
	app := App(Actions{})
	n := 0
	walk(app.Commands, "", func(path string, cmd *cli.Command) {
		if len(cmd.Subcommands) > 0 {
			return // a group: sandbox
		}
		n++
		seen := map[string]bool{}
		talks := false
		for _, name := range flagNames(cmd.Flags) {
			if seen[name] {
				t.Errorf("wxmenu %s: flag %s twice", path, dashed(name))
			}
			seen[name] = true
			talks = talks || name == "sandbox" || name == "sandbox-state"
		}
		if line := UsageLine(cmd, path); !strings.HasPrefix(line, "wxmenu "+path+" ") && line != "wxmenu "+path {
			t.Errorf("wxmenu %s: usage line %q does not start with the command", path, line)
		}
		if talks && !hintCommand.MatchString("wxmenu "+path) {
			t.Errorf("wxmenu %s takes --sandbox, but hints naming it would not repeat it (hintCommand)", path)
		}
	})
	if n != 9 {
		t.Errorf("%d commands, want 9", n)
	}
}

// TestCommandActions runs each command line and records the action it
// reached, with its arguments, or the error of a command that takes none.
func TestCommandActions(t *testing.T) {
	var ran string
	record := func(name string) cli.ActionFunc {
		return func(c *cli.Context) error {
			ran = strings.TrimSpace(name + " " + strings.Join(c.Args().Slice(), " "))
			return nil
		}
	}
	actions := Actions{Validate: record("validate"), Plan: record("plan"), Apply: record("apply"), Show: record("show"),
		Export: record("export"), Schema: record("schema"), TryMatch: record("trymatch"),
		SandboxServe: record("sandbox serve"), SandboxReset: record("sandbox reset")}
	tests := []struct {
		args []string
		want string // the action and its arguments, or the error
	}{
		{[]string{"validate", "m.yaml"}, "validate m.yaml"}, // which validate hints at (-f)
		{[]string{"plan", "-f", "m.yaml"}, "plan"},
		{[]string{"plan", "m.yaml"}, `error: unexpected argument "m.yaml"`},
		{[]string{"apply", "plan.json"}, "apply plan.json"},
		{[]string{"show", "plan.json"}, "show plan.json"},
		{[]string{"export", "--out", "m.yaml"}, "export"},
		{[]string{"export", "m.yaml"}, `error: unexpected argument "m.yaml"`},
		{[]string{"schema"}, "schema"},
		{[]string{"schema", "x"}, `error: unexpected argument "x"`},
		{[]string{"trymatch", "o_user"}, "trymatch o_user"},
		{[]string{"sandbox", "serve", "--addr", "127.0.0.1:0"}, "sandbox serve"},
		{[]string{"sandbox", "serve", "now"}, `error: unexpected argument "now"`},
		{[]string{"sandbox", "reset"}, "sandbox reset"},
	}
	for _, tt := range tests {
		ran = ""
		app := App(actions)
		app.Writer, app.ErrWriter = io.Discard, io.Discard
		err := app.Run(append([]string{"wxmenu"}, tt.args...))
		got := ran
		if err != nil {
			got = "error: " + err.Error()
		}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("wxmenu %s (-want +got):\n%s", strings.Join(tt.args, " "), diff)
		}
	}
}

// TestReadPlanInput covers plan's checks of its flags, made before the
// account is read.
func TestReadPlanInput(t *testing.T) {
	dir := t.TempDir()
	menus := filepath.Join(dir, "menus.yaml")
	notPlan := filepath.Join(dir, "notes.txt")
	for _, f := range []string{menus, notPlan} {
		if err := os.WriteFile(f, []byte("x: 1\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	type result struct {
		File, Out  string
		MaxDeletes int
		Err        string // the message, then the hint
	}
	tests := []struct {
		name string
		args []string
		want result
	}{
		{"-f and --out", []string{"-f", menus, "--out", filepath.Join(dir, "plan.json"), "--max-deletes", "7"},
			result{File: menus, Out: filepath.Join(dir, "plan.json"), MaxDeletes: 7}},
		{"the defaults", []string{"-f", menus}, result{File: menus, MaxDeletes: reconcile.DefaultMaxDeletes}},
		{"no -f", nil, result{Err: "missing -f FILE: plan needs the desired-state file, or a wxmenu.yaml project here\nhint: wxmenu plan -f menus.yaml"}},
		{"a bad --format comes first", []string{"--format", "pdf"}, result{Err: "hint: use --format text, markdown, json or html"}},
		{"a bad rail", []string{"-f", menus, "--max-deletes", "0"}, result{Err: "--max-deletes must be at least 1, got 0"}},
		{"--out over the menus file", []string{"-f", menus, "--out", menus}, result{Err: " is the desired-state file the plan is made from\nhint: save the plan to a file of its own: --out "}},
		{"--out over a file that is not a plan", []string{"-f", menus, "--out", notPlan}, result{Err: "--force"}},
		{"--out over a file that is not a plan, --force", []string{"-f", menus, "--out", notPlan, "--force"}, result{File: menus, Out: notPlan, MaxDeletes: reconcile.DefaultMaxDeletes}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got result
			app := App(Actions{Plan: func(c *cli.Context) error {
				in, err := ReadPlanInput(c, false, nil)
				if err != nil {
					return err
				}
				if in.Show == nil {
					t.Error("no renderer")
				}
				got = result{File: in.File, Out: in.Out, MaxDeletes: in.Options.Safety.MaxDeletes}
				return nil
			}})
			app.Writer, app.ErrWriter = io.Discard, io.Discard
			if err := app.RunContext(context.Background(), append([]string{"wxmenu", "plan"}, tt.args...)); err != nil {
				// The error is checked for the words that say what is
				// wrong; its full wording is the package's that made it.
				if msg := describe(err); !strings.Contains(msg, tt.want.Err) || tt.want.Err == "" {
					t.Fatalf("error %q, want one with %q", msg, tt.want.Err)
				}
				return
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

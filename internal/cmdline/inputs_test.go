package cmdline

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/wxmenu/wxmenu/internal/errtext"
	"github.com/wxmenu/wxmenu/reconcile"
	"github.com/wxmenu/wxmenu/reconcile/desired"
	"github.com/wxmenu/wxmenu/reconcile/plans"
	"github.com/wxmenu/wxmenu/reconcile/project"
	"github.com/wxmenu/wxmenu/reconcile/render"
)

// describe is an error as Report prints it: message and hint.
func describe(err error) string {
	if err == nil {
		return ""
	}
	s := err.Error()
	if h := errtext.Hint(err); h != "" {
		s += "\nhint: " + h
	}
	return s
}

func TestApplyInput(t *testing.T) {
	dir := t.TempDir()
	digest := "sha256:" + strings.Repeat("0", 64)
	saved := &plans.Plan{FormatVersion: plans.FormatVersion, AppID: "wx1234567890abcdef", DesiredFile: "menus.yaml", DesiredDigest: digest, LiveDigest: digest}
	if err := plans.Seal(saved); err != nil {
		t.Fatal(err)
	}
	file, err := plans.NewFile("", "test", time.Time{}, []plans.AccountPlan{{Plan: saved}})
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := plans.WriteFile(&buf, file); err != nil {
		t.Fatal(err)
	}
	planFile := filepath.Join(dir, "plan.json")
	if err := os.WriteFile(planFile, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	missing := filepath.Join(dir, "missing.json")
	_, unreadable := plans.ReadFile(missing) // passed on as plans words it
	if unreadable == nil {
		t.Fatal("plans.ReadFile read a missing file")
	}

	type result struct {
		Saved bool   // a saved plan was read
		File  string // the desired-state file
		Err   string
	}
	tests := []struct {
		name                     string
		args                     []string
		file                     string
		autoApprove, interactive bool
		want                     result
	}{
		{name: "a saved plan: its file, no confirmation", args: []string{planFile}, want: result{Saved: true, File: "menus.yaml"}},
		{name: "a saved plan with -f: that file", args: []string{planFile}, file: "other.yaml", want: result{Saved: true, File: "other.yaml"}},
		{name: "a saved plan that cannot be read", args: []string{missing}, want: result{Err: describe(unreadable)}},
		{name: "two arguments", args: []string{planFile, "more"}, want: result{Err: "apply takes one plan file, got 2 arguments\nhint: flags go before PLAN.json"}},
		{name: "a flag after the plan", args: []string{"--auto-approve"}, want: result{Err: "unexpected flag \"--auto-approve\"\nhint: flags go before PLAN.json"}},
		{name: "nothing", want: result{Err: "nothing to apply\nhint: make a plan (wxmenu plan -f menus.yaml --out plan.json), review it and apply it (wxmenu apply plan.json), or plan and apply in one go (wxmenu apply -f menus.yaml)"}},
		{name: "-f with --auto-approve", file: "m.yaml", autoApprove: true, want: result{File: "m.yaml"}},
		{name: "-f on a terminal: it asks", file: "m.yaml", interactive: true, want: result{File: "m.yaml"}},
		{name: "-f with no one to ask", file: "m.yaml", want: result{
			Err: "apply -f needs confirmation, and standard input is not a terminal\nhint: pass --auto-approve to apply without a question, or apply a saved plan"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, file, err := ApplyInput(tt.args, tt.file, tt.autoApprove, tt.interactive)
			got := result{Saved: p != nil, File: file, Err: describe(err)}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
			if p != nil && p.PlanDigest != saved.PlanDigest {
				t.Errorf("read plan %s, want %s", p.PlanDigest, saved.PlanDigest)
			}
		})
	}
}

func TestApplyFormat(t *testing.T) {
	type result struct {
		JSON bool
		Err  string
	}
	tests := []struct {
		format string
		want   result
	}{
		{"text", result{}},
		{"json", result{JSON: true}},
		{"markdown", result{Err: "unknown format \"markdown\"\nhint: use --format text or json"}},
		{"JSON", result{Err: "unknown format \"JSON\"\nhint: use --format text or json"}},
	}
	for _, tt := range tests {
		jsonOut, err := ApplyFormat(tt.format)
		if diff := cmp.Diff(tt.want, result{JSON: jsonOut, Err: describe(err)}); diff != "" {
			t.Errorf("ApplyFormat(%q) (-want +got):\n%s", tt.format, diff)
		}
	}
}

func TestShowArgs(t *testing.T) {
	type result struct{ File, Format, Err string }
	usage := "\nhint: wxmenu show [--format text|markdown|json|html] PLAN.json"
	tests := []struct {
		args []string
		want result
	}{
		{[]string{"plan.json"}, result{File: "plan.json", Format: "text"}},
		{[]string{"plan.json", "--format", "html"}, result{File: "plan.json", Format: "html"}}, // as terraform show
		{nil, result{Err: `show takes one plan file, got []` + usage}},
		{[]string{"a.json", "b.json"}, result{Err: `show takes one plan file, got ["a.json" "b.json"]` + usage}},
		{[]string{"plan.json", "--format"}, result{Err: `show takes one plan file, got ["plan.json" "--format"]` + usage}},
		{[]string{"--no-color"}, result{Err: `show takes one plan file, got ["--no-color"]` + usage}},
	}
	for _, tt := range tests {
		file, format, err := ShowArgs(tt.args, "text")
		if diff := cmp.Diff(tt.want, result{file, format, describe(err)}); diff != "" {
			t.Errorf("ShowArgs(%q) (-want +got):\n%s", tt.args, diff)
		}
	}
}

func TestUnknownCommand(t *testing.T) {
	commands := []string{"validate", "plan", "apply", "show"}
	tests := []struct{ name, want string }{
		{"pln", "unknown command \"pln\"\nhint: did you mean plan? (wxmenu plan --help shows how to use it)"},
		{"deploy", "unknown command \"deploy\"\nhint: run 'wxmenu --help' to list the commands"},
	}
	for _, tt := range tests {
		err := UnknownCommand(tt.name, commands)
		if diff := cmp.Diff(tt.want, describe(err)); diff != "" {
			t.Errorf("UnknownCommand(%q) (-want +got):\n%s", tt.name, diff)
		}
		if code := Report(&bytes.Buffer{}, err, nil, func(s string) string { return s }); code != ExitError {
			t.Errorf("UnknownCommand(%q) exits %d, want %d", tt.name, code, ExitError)
		}
	}
}

func TestDebugLogger(t *testing.T) {
	tests := []struct {
		verbose  bool
		logLevel string
		want     bool
	}{
		{false, "", false},
		{false, "info", false},
		{true, "", true},
		{false, "debug", true},
		{false, "DEBUG", true},
	}
	for _, tt := range tests {
		var buf bytes.Buffer
		logger := DebugLogger(tt.verbose, tt.logLevel, &buf)
		if (logger != nil) != tt.want {
			t.Errorf("DebugLogger(%v, %q) logs: %v, want %v", tt.verbose, tt.logLevel, logger != nil, tt.want)
			continue
		}
		if logger != nil {
			logger.Debug("call")
			if !bytes.Contains(buf.Bytes(), []byte("level=DEBUG msg=call")) {
				t.Errorf("DebugLogger(%v, %q) wrote %q, want the debug record", tt.verbose, tt.logLevel, buf.String())
			}
		}
	}
}

func TestAskYes(t *testing.T) {
	tests := []struct {
		answer string
		want   bool
	}{
		{"yes\n", true},
		{"  yes \n", true},
		{"yes", false}, // cut off by the end of input: not an answer
		{"y\n", false},
		{"YES\n", false},
		{"yes please\n", false},
		{"", false}, // no answer at all
	}
	for _, tt := range tests {
		var out bytes.Buffer
		if got := AskYes(context.Background(), strings.NewReader(tt.answer), &out, "Apply?"); got != tt.want {
			t.Errorf("answer %q: %v, want %v", tt.answer, got, tt.want)
		}
		if diff := cmp.Diff("Apply? Only 'yes' is accepted: ", out.String()); diff != "" {
			t.Errorf("the question (-want +got):\n%s", diff)
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if AskYes(ctx, blockingReader{}, io.Discard, "Apply?") {
		t.Error("an interrupted question agreed")
	}
}

// blockingReader never answers, like a terminal nobody types into.
type blockingReader struct{}

func (blockingReader) Read([]byte) (int, error) { select {} }

// TestValidateInput covers which files validate works on: the project
// found without arguments, else the -f file; arguments skip the project.
func TestValidateInput(t *testing.T) {
	fleetDir, err := filepath.Abs(filepath.Join("..", "..", "examples", "fleet"))
	if err != nil {
		t.Fatal(err)
	}
	config := filepath.Join(fleetDir, "wxmenu.yaml")
	missing := filepath.Join(t.TempDir(), "wxmenu.yaml")
	_, unreadable := project.Load(missing)
	if unreadable == nil {
		t.Fatal("project.Load read a missing file")
	}
	type result struct{ Project, File, Err string }
	const withF = "validate takes the desired-state file with -f\nhint: add -f before the file: wxmenu validate -f m.yaml"
	tests := []struct {
		name         string
		dir          string // the working directory, "" for an empty one
		args         []string
		file, config string
		want         result
	}{
		{name: "--config", config: config, want: result{Project: config}},
		{name: "a project here", dir: fleetDir, want: result{Project: "wxmenu.yaml"}},
		{name: "a --config that is missing", config: missing, want: result{Err: describe(unreadable)}},
		{name: "-f", file: "m.yaml", want: result{File: "m.yaml"}},
		{name: "-f beats --config", file: "m.yaml", config: config, want: result{File: "m.yaml"}},
		{name: "-f beats a project here", dir: fleetDir, file: "m.yaml", want: result{File: "m.yaml"}},
		{name: "nothing", want: result{Err: "missing -f FILE: validate needs the desired-state file, or a wxmenu.yaml project here\nhint: wxmenu validate -f menus.yaml"}},
		{name: "an argument", args: []string{"m.yaml"}, want: result{Err: withF}},
		{name: "an argument skips --config", args: []string{"m.yaml"}, config: config, want: result{Err: withF}},
		{name: "an argument skips a --config that is missing", args: []string{"m.yaml"}, config: missing, want: result{Err: withF}},
		{name: "an argument skips a project here", dir: fleetDir, args: []string{"m.yaml"}, want: result{Err: withF}},
		{name: "an argument to quote", args: []string{"my menus.yaml"}, want: result{
			Err: "validate takes the desired-state file with -f\nhint: add -f before the file: wxmenu validate -f 'my menus.yaml'"}},
		{name: "-f and an argument", file: "m.yaml", args: []string{"x.yaml"}, want: result{
			Err: "unexpected argument \"x.yaml\"\nhint: validate checks one file, given with -f"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := tt.dir
			if dir == "" {
				dir = t.TempDir()
			}
			t.Chdir(dir)
			p, file, err := ValidateInput(tt.args, tt.file, tt.config)
			got := result{File: file, Err: describe(err)}
			if p != nil {
				got.Project = p.Path
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

// TestTryMatchInput covers trymatch's arguments: one user, checked before
// the -f file is read.
func TestTryMatchInput(t *testing.T) {
	menus := filepath.Join("..", "..", "examples", "basic", "menus.yaml")
	missing := filepath.Join(t.TempDir(), "menus.yaml")
	_, unreadable := desired.LoadContext(context.Background(), missing)
	if unreadable == nil {
		t.Fatal("desired.LoadContext read a missing file")
	}
	type result struct {
		User, Menus string // the user, the file loaded
		Err         string
	}
	const oneUser = "trymatch takes one user (an OpenID or WeChat ID)\nhint: wxmenu trymatch [-f menus.yaml] USER"
	tests := []struct {
		name string
		args []string
		file string
		want result
	}{
		{"a user", []string{"o_user"}, "", result{User: "o_user"}},
		{"a user and -f", []string{"o_user"}, menus, result{User: "o_user", Menus: menus}},
		{"a user and a missing -f", []string{"o_user"}, missing, result{Err: describe(unreadable)}},
		{"no user", nil, "", result{Err: oneUser}},
		{"two users", []string{"o_a", "o_b"}, "", result{Err: oneUser}},
		{"two users are refused before -f is read", []string{"o_a", "o_b"}, missing, result{Err: oneUser}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			user, ds, err := TryMatchInput(context.Background(), tt.args, tt.file)
			got := result{User: user, Err: describe(err)}
			if ds != nil {
				got.Menus = ds.Path
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

// TestRunError checks that a command name the app does not know fails a
// run that otherwise succeeded, and only such a run.
func TestRunError(t *testing.T) {
	app := App(Actions{})
	failed := errors.New("it failed")
	tests := []struct {
		name    string
		err     error
		unknown string
		want    string
	}{
		{"a run that succeeded", nil, "", ""},
		{"a run that failed", failed, "", "it failed"},
		{"an unknown command", nil, "plna", "unknown command \"plna\"\nhint: did you mean plan? (wxmenu plan --help shows how to use it)"},
		{"an unknown command in a run that failed", failed, "plna", "it failed"},
	}
	for _, tt := range tests {
		if diff := cmp.Diff(tt.want, describe(RunError(app, tt.err, tt.unknown))); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tt.name, diff)
		}
	}
}

// TestPlanInputDone covers what plan does with its plan: shows it, saves
// one that passed its checks to --out, and exits by --detailed-exitcode.
func TestPlanInputDone(t *testing.T) {
	changes := sealedPlan(t, "wx1234567890abcdef", true)
	none := sealedPlan(t, "wx1234567890abcdef", false)
	blocked := reconcile.Failed(changes, errors.New("the plan is blocked"))
	failed := reconcile.Failed(nil, errors.New("the account could not be read"))
	dir := t.TempDir()
	out := filepath.Join(dir, "plan.json")
	saved := "wxmenu: plan saved to " + out + "; apply it with: wxmenu --sandbox apply " + out + "\n"
	type result struct {
		Stdout, Stderr, Exit string
		Saved                bool // the plan was saved to --out
	}
	tests := []struct {
		name string
		r    *reconcile.Result
		in   PlanInput
		want result
	}{
		{"changes", &reconcile.Result{Status: reconcile.StatusChanges, Plan: changes}, PlanInput{}, result{Stdout: "plan shown\n", Exit: "exit 0"}},
		{"changes, --detailed-exitcode", &reconcile.Result{Status: reconcile.StatusChanges, Plan: changes}, PlanInput{Detailed: true},
			result{Stdout: "plan shown\n", Exit: "exit 2, has changes"}},
		{"no changes, --detailed-exitcode", &reconcile.Result{Status: reconcile.StatusNoChanges, Plan: none}, PlanInput{Detailed: true},
			result{Stdout: "plan shown\n", Exit: "exit 0"}},
		{"changes, --out", &reconcile.Result{Status: reconcile.StatusChanges, Plan: changes}, PlanInput{Out: out},
			result{Stdout: "plan shown\n", Stderr: saved, Exit: "exit 0", Saved: true}},
		{"blocked, --out", blocked, PlanInput{Out: out, Detailed: true}, result{Stdout: "plan shown\n", Exit: exitOf(ExitFor(blocked))}},
		{"no plan", failed, PlanInput{Out: out}, result{Exit: exitOf(ExitFor(failed))}},
		{"--out that cannot be written", &reconcile.Result{Status: reconcile.StatusChanges, Plan: changes}, PlanInput{Out: filepath.Join(dir, "missing", "plan.json")},
			result{Stdout: "plan shown\n", Exit: "exit 1: writing " + filepath.Join(dir, "missing", "plan.json") + ": no such file or directory"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			os.Remove(out)
			var stdout, stderr bytes.Buffer
			in := tt.in
			in.Show = func(w io.Writer, p *plans.Plan) error { _, err := io.WriteString(w, "plan shown\n"); return err }
			got := result{Exit: exitOf(in.Done(&stdout, &stderr, tt.r, []string{"--sandbox"}))}
			got.Stdout, got.Stderr = stdout.String(), stderr.String()
			if f, err := plans.ReadFile(out); err == nil {
				got.Saved = f.Single() != nil && f.Single().PlanDigest == tt.r.Plan.PlanDigest
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

// TestPlanRenderer checks that --format picks a plan's renderer, with
// the options given, and that an unknown one lists the formats.
func TestPlanRenderer(t *testing.T) {
	p := sealedPlan(t, "wx1234567890abcdef", true)
	opts := render.Options{Color: true, SavedAs: "plan.json"}
	rendered := func(f func(io.Writer, *plans.Plan) error) string {
		var b bytes.Buffer
		if err := f(&b, p); err != nil {
			t.Fatal(err)
		}
		return b.String()
	}
	text := rendered(func(w io.Writer, p *plans.Plan) error { return render.Text(w, p, opts) })
	if !strings.Contains(text, "\x1b[") {
		t.Fatal("the text plan is not coloured: nothing shows the options are passed on")
	}
	tests := []struct{ format, want string }{
		{"text", text},
		{"json", rendered(render.JSON)},
		{"html", rendered(render.HTML)},
		{"pdf", "unknown format \"pdf\"\nhint: use --format text, markdown, json or html"},
	}
	for _, tt := range tests {
		show, err := PlanRenderer(tt.format, opts)
		got := describe(err)
		if err == nil {
			got = rendered(show)
		}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("--format %s (-want +got):\n%s", tt.format, diff)
		}
	}
}

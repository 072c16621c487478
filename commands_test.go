package main

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/urfave/cli/v2"

	"github.com/wxmenu/wxmenu/reconcile"
	"github.com/wxmenu/wxmenu/reconcile/account"
	"github.com/wxmenu/wxmenu/reconcile/desired"
	"github.com/wxmenu/wxmenu/reconcile/fleet"
	"github.com/wxmenu/wxmenu/reconcile/plans"
	"github.com/wxmenu/wxmenu/reconcile/project"
	"github.com/wxmenu/wxmenu/reconcile/render"
	"github.com/wxmenu/wxmenu/wechat"
	"github.com/wxmenu/wxmenu/wechat/wechattest"
)

// cleanEnv unsets the variables the flags read, so that only the command
// line sets them, and keeps local state in a directory of the test's.
func cleanEnv(t *testing.T) string {
	for _, k := range []string{"WECHAT_APPID", "WECHAT_APPSECRET", "WECHAT_ACCESS_TOKEN", "WECHAT_API_BASE", "WXMENU_SANDBOX",
		"WXMENU_SANDBOX_STATE", "WXMENU_LOCK_DIR", "WXMENU_AUDIT_LOG", "WXMENU_TIMEOUT", "WXMENU_CONFIG", "WXMENU_FILE", "WXMENU_LOG", "NO_COLOR"} {
		t.Setenv(k, "") // restored after the test
		os.Unsetenv(k)
	}
	state := t.TempDir()
	t.Setenv("XDG_STATE_HOME", state)
	return state
}

// walk calls f on every command of cmds with its path ("sandbox serve").
func walk(cmds []*cli.Command, prefix string, f func(path string, cmd *cli.Command)) {
	for _, cmd := range cmds {
		path := strings.TrimSpace(prefix + " " + cmd.Name)
		f(path, cmd)
		walk(cmd.Subcommands, path, f)
	}
}

// parsed is the flags value of `wxmenu ARGS`, as its command's action
// would see it; nothing runs.
func parsed(t *testing.T, args ...string) *flags {
	t.Helper()
	var got *flags
	app := newApp(&env{stdin: strings.NewReader(""), stdout: io.Discard, stderr: io.Discard})
	walk(app.Commands, "", func(_ string, cmd *cli.Command) {
		cmd.Action = func(c *cli.Context) error { got = parse(c, io.Discard, io.Discard); return nil }
	})
	if err := app.Run(append([]string{"wxmenu"}, args...)); err != nil || got == nil {
		t.Fatalf("wxmenu %q: %v", args, err)
	}
	return got
}

// TestCommandShape checks what every command must get right: no flag
// name twice (a command's own flags and its copies of the global ones),
// a usage line that starts with the command, and, for every command that
// talks to an account, hints that repeat --sandbox.
func TestCommandShape(t *testing.T) {
	app := newApp(&env{})
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
		if line, _, _ := strings.Cut(cmd.UsageText, "\n"); !strings.HasPrefix(line, "wxmenu "+path+" ") && line != "wxmenu "+path {
			t.Errorf("wxmenu %s: usage line %q does not start with the command", path, line)
		}
		if talks && !strings.Contains(render.WithGlobals("wxmenu "+path, []string{"--sandbox"}), "--sandbox") {
			t.Errorf("wxmenu %s takes --sandbox, but hints naming it would not repeat it", path)
		}
	})
	if n != 14 {
		t.Errorf("%d commands, want 14", n)
	}
}

// TestParse checks that the flags reach their one value: global flags
// before the command or after it, the environment, and the defaults.
func TestParse(t *testing.T) {
	state := cleanEnv(t)
	defaultBases := []string{"https://api.weixin.qq.com", "https://api2.weixin.qq.com"}
	sandboxState := filepath.Join(state, "wxmenu", "sandbox.json")
	ignore := cmpopts.IgnoreFields(account.Spec{}, "Transport", "Notices", "Logger")
	specs := []struct {
		args []string
		want account.Spec
	}{
		{[]string{"apply", "--appid", "wx1234567890abcdef"}, account.Spec{AppID: "wx1234567890abcdef", APIBases: defaultBases, SandboxState: sandboxState}},
		{[]string{"--sandbox", "--sandbox-state", "s.json", "apply", "--legacy-token", "--api-base", "http://127.0.0.1:1/"},
			account.Spec{Sandbox: true, SandboxState: "s.json", LegacyToken: true, APIBases: []string{"http://127.0.0.1:1"}}},
		{[]string{"apply", "--access-token", "tok", "--secret", "s"}, account.Spec{AccessToken: "tok", Secret: "s", APIBases: defaultBases, SandboxState: sandboxState}},
	}
	for _, tt := range specs {
		got := parsed(t, tt.args...).account
		if diff := cmp.Diff(tt.want, got, ignore); diff != "" {
			t.Errorf("wxmenu %q (-want +got):\n%s", tt.args, diff)
		}
		if got.Transport == nil || got.Notices == nil || got.Logger != nil {
			t.Errorf("wxmenu %q: transport set %v, notices set %v, a logger without --verbose %v", tt.args, got.Transport != nil, got.Notices != nil, got.Logger != nil)
		}
	}

	// The options of a run: one value for plan and apply, for 1 account or many.
	type run struct {
		Parallel, MaxConditional, MaxDeletes int
		LockDir, AuditLog                    string
		LockWait                             time.Duration
		SkipStale, AllowEmpty                bool
	}
	runs := []struct {
		args []string
		want run
	}{
		{[]string{"apply"}, run{Parallel: fleet.DefaultParallel, MaxConditional: wechat.DefaultMaxConditional, MaxDeletes: reconcile.DefaultMaxDeletes,
			LockDir: filepath.Join(state, "wxmenu", "locks")}},
		{[]string{"--parallel", "3", "apply", "--lock-dir", "l", "--lock-timeout", "2s", "--audit-log", "a.jsonl", "--skip-stale", "--max-conditional", "7", "--max-deletes", "9", "--allow-empty"},
			run{Parallel: 3, MaxConditional: 7, MaxDeletes: 9, LockDir: "l", LockWait: 2 * time.Second, AuditLog: "a.jsonl", SkipStale: true, AllowEmpty: true}},
		{[]string{"plan", "-f", "m.yaml", "--max-deletes", "7"}, run{Parallel: fleet.DefaultParallel, MaxConditional: wechat.DefaultMaxConditional, MaxDeletes: 7,
			LockDir: filepath.Join(state, "wxmenu", "locks")}},
	}
	for _, tt := range runs {
		fl := parsed(t, tt.args...)
		o := fl.run
		got := run{Parallel: o.Parallel, MaxConditional: o.Plan.MaxConditional, MaxDeletes: o.Plan.Safety.MaxDeletes, LockDir: o.LockDir,
			AuditLog: o.AuditPath, LockWait: o.LockWait, SkipStale: o.SkipStale, AllowEmpty: o.Plan.Safety.AllowEmpty}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("wxmenu %q (-want +got):\n%s", tt.args, diff)
		}
	}

	// sandbox serve's own flags, never the global ones of the same name.
	t.Setenv("WECHAT_APPID", "wxfromtheenvironment")
	serves := []struct {
		args []string
		want account.ServeSpec
	}{
		{nil, account.ServeSpec{Addr: "127.0.0.1:8808", AppID: wechattest.DefaultAppID, MaxConditional: wechat.DefaultMaxConditional}},
		{[]string{"--addr", "127.0.0.1:0", "--appid", "wx1234567890abcdef", "--secret", "s", "--state", "st.json", "--demo", "--addr-file", "addr",
			"--quota", "menu/create=1", "--quota", "menu/delconditional=0", "--max-conditional", "5", "--account", "wxabcdef1234567890:s2", "--platform", "wxc:cs"},
			account.ServeSpec{Addr: "127.0.0.1:0", AppID: "wx1234567890abcdef", Secret: "s", StatePath: "st.json", Demo: true, AddrFile: "addr",
				Quotas: []string{"menu/create=1", "menu/delconditional=0"}, MaxConditional: 5, Accounts: []string{"wxabcdef1234567890:s2"}, Platform: "wxc:cs"}},
	}
	for _, tt := range serves {
		if diff := cmp.Diff(tt.want, parsed(t, append([]string{"sandbox", "serve"}, tt.args...)...).serve); diff != "" {
			t.Errorf("wxmenu sandbox serve %q (-want +got):\n%s", tt.args, diff)
		}
	}
}

// TestVerboseLogs checks that --verbose, or WXMENU_LOG=debug, logs every
// call at debug level, and nothing else does.
func TestVerboseLogs(t *testing.T) {
	tests := []struct {
		args     []string
		logLevel string
		want     bool
	}{
		{[]string{"plan"}, "", false},
		{[]string{"plan"}, "info", false},
		{[]string{"plan", "--verbose"}, "", true},
		{[]string{"--verbose", "plan"}, "", true},
		{[]string{"plan"}, "debug", true},
		{[]string{"plan"}, "DEBUG", true},
	}
	for _, tt := range tests {
		cleanEnv(t)
		t.Setenv("WXMENU_LOG", tt.logLevel)
		var buf bytes.Buffer
		var logger = parsed(t, tt.args...).account.Logger
		if app := newApp(&env{stdout: io.Discard, stderr: &buf}); logger != nil {
			walk(app.Commands, "", func(_ string, cmd *cli.Command) {
				cmd.Action = func(c *cli.Context) error { parse(c, io.Discard, &buf).account.Logger.Debug("call"); return nil }
			})
			app.Run(append([]string{"wxmenu"}, tt.args...))
		}
		if (logger != nil) != tt.want || tt.want && !strings.Contains(buf.String(), "level=DEBUG msg=call") {
			t.Errorf("wxmenu %q with WXMENU_LOG=%q: logger %v, wrote %q; want a debug log: %v", tt.args, tt.logLevel, logger != nil, buf.String(), tt.want)
		}
	}
}

// TestInputErrors runs command lines that cannot run: each says why and
// how to go on, before anything is read (there are no credentials: a
// command that got as far as the account would say so).
func TestInputErrors(t *testing.T) {
	cleanEnv(t)
	dir := t.TempDir()
	t.Chdir(dir)
	menus := filepath.Join(dir, "menus.yaml")
	notPlan := filepath.Join(dir, "notes.txt")
	for _, f := range []string{menus, notPlan} {
		if err := os.WriteFile(f, []byte("x: 1\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	fleetConfig := filepath.Join(packageDir, "examples", "fleet", "wxmenu.yaml")
	missingConfig := filepath.Join(dir, "missing", "wxmenu.yaml")
	_, missingProject := project.Load(missingConfig)
	_, missingMenus := desired.LoadContext(context.Background(), "missing.yaml")
	basic := filepath.Join(packageDir, "examples", "basic", "menus.yaml")
	withF := "wxmenu: error: validate takes the desired-state file with -f\nhint: add -f before the file: wxmenu validate -f m.yaml\n"
	oneUser := "wxmenu: error: trymatch takes one user (an OpenID or WeChat ID)\nhint: wxmenu trymatch [-f menus.yaml] USER\n"
	showUsage := "\nhint: wxmenu show [--format text|markdown|json|html] PLAN.json\n"
	tests := []struct {
		args []string
		want string // standard error
	}{
		{[]string{"pln"}, "wxmenu: error: unknown command \"pln\"\nhint: did you mean plan? (wxmenu plan --help shows how to use it)\n"},
		{[]string{"deploy"}, "wxmenu: error: unknown command \"deploy\"\nhint: run 'wxmenu --help' to list the commands\n"},
		{[]string{"plan", "m.yaml"}, "wxmenu: error: unexpected argument \"m.yaml\"\nhint: flags go before arguments; run 'wxmenu plan --help'\n"},
		{[]string{"export", "m.yaml"}, "wxmenu: error: unexpected argument \"m.yaml\"\nhint: flags go before arguments; run 'wxmenu export --help'\n"},
		{[]string{"schema", "x"}, "wxmenu: error: unexpected argument \"x\"\nhint: flags go before arguments; run 'wxmenu schema --help'\n"},
		{[]string{"sandbox", "serve", "now"}, "wxmenu: error: unexpected argument \"now\"\nhint: flags go before arguments; run 'wxmenu sandbox serve --help'\n"},
		// plan checks its flags in this order, before the account is read
		{[]string{"plan", "--format", "pdf"}, "wxmenu: error: unknown format \"pdf\"\nhint: use --format text, markdown, json or html\n"},
		{[]string{"plan"}, "wxmenu: error: missing -f FILE: plan needs the desired-state file, or a wxmenu.yaml project here\nhint: wxmenu plan -f menus.yaml\n"},
		{[]string{"plan", "-f", menus, "--max-deletes", "0"}, "wxmenu: error: --max-deletes must be at least 1, got 0\nhint: the rail never applies below 3 lost audiences; to allow more, pass --allow-many-deletes\n"},
		{[]string{"plan", "-f", menus, "--out", menus}, "wxmenu: error: --out " + menus + " is the desired-state file the plan is made from\nhint: save the plan to a file of its own: --out " + filepath.Join(dir, "plan.json") + "\n"},
		{[]string{"plan", "-f", menus, "--out", notPlan}, "wxmenu: error: --out " + notPlan + " exists and is not a wxmenu plan; it was left as it is\nhint: save the plan to a new file (--out " + filepath.Join(dir, "plan.json") + "), or pass --force to replace " + notPlan + "\n"},
		{[]string{"plan", "-f", basic, "--out", notPlan, "--force"}, "wxmenu: error: no credentials for the WeChat API\nhint: set WECHAT_APPID and WECHAT_APPSECRET (or WECHAT_ACCESS_TOKEN), or try wxmenu with --sandbox\n"},
		{[]string{"apply", "--format", "markdown", "plan.json"}, "wxmenu: error: unknown format \"markdown\"\nhint: use --format text or json\n"},
		{[]string{"apply", "--format", "JSON", "plan.json"}, "wxmenu: error: unknown format \"JSON\"\nhint: use --format text or json\n"},
		{[]string{"show"}, "wxmenu: error: show takes one plan file, got []" + showUsage},
		{[]string{"show", "a.json", "b.json"}, "wxmenu: error: show takes one plan file, got [\"a.json\" \"b.json\"]" + showUsage},
		{[]string{"show", "plan.json", "--format"}, "wxmenu: error: show takes one plan file, got [\"plan.json\" \"--format\"]" + showUsage},
		{[]string{"show", "plan.json", "--format", "pdf"}, "wxmenu: error: unknown format \"pdf\"\nhint: use --format text, markdown, json or html\n"},
		{[]string{"validate"}, "wxmenu: error: missing -f FILE: validate needs the desired-state file, or a wxmenu.yaml project here\nhint: wxmenu validate -f menus.yaml\n"},
		{[]string{"validate", "m.yaml"}, withF},
		{[]string{"validate", "--config", fleetConfig, "m.yaml"}, withF}, // an argument is never a project's
		{[]string{"validate", "--config", missingConfig, "m.yaml"}, withF},
		{[]string{"validate", "my menus.yaml"}, "wxmenu: error: validate takes the desired-state file with -f\nhint: add -f before the file: wxmenu validate -f 'my menus.yaml'\n"},
		{[]string{"validate", "-f", "m.yaml", "x.yaml"}, "wxmenu: error: unexpected argument \"x.yaml\"\nhint: validate checks one file, given with -f\n"},
		{[]string{"validate", "--config", missingConfig}, "wxmenu: error: " + missingProject.Error() + "\nhint: " + missingProject.(interface{ ErrorHint() string }).ErrorHint() + "\n"},
		{[]string{"trymatch"}, oneUser},
		{[]string{"trymatch", "o_a", "o_b", "-f", "missing.yaml"}, oneUser}, // before -f is read
		{[]string{"trymatch", "-f", "missing.yaml", "o_user"}, "wxmenu: error: " + missingMenus.Error() + "\nhint: " + missingMenus.(interface{ ErrorHint() string }).ErrorHint() + "\n"},
	}
	for _, tt := range tests {
		code, stdout, stderr := runCLI(t, tt.args...)
		if diff := cmp.Diff(tt.want, stderr); diff != "" || code != 1 || stdout != "" {
			t.Errorf("wxmenu %q: exit %d, stdout %q (want exit 1, nothing on stdout); stderr (-want +got):\n%s", tt.args, code, stdout, diff)
		}
	}
}

// TestValidateFindsTheProject: validate without arguments checks the
// project named by --config or found here, and -f wins over both.
func TestValidateFindsTheProject(t *testing.T) {
	cleanEnv(t)
	fleetDir := filepath.Join(packageDir, "examples", "fleet")
	menus := filepath.Join(packageDir, "examples", "basic", "menus.yaml")
	summary := "3 accounts: 3 valid, 0 with problems (0 problems)\n"
	tests := []struct {
		dir  string
		args []string
		want string // the last line of standard output
	}{
		{t.TempDir(), []string{"validate", "--config", filepath.Join(fleetDir, "wxmenu.yaml")}, summary},
		{fleetDir, []string{"validate"}, summary},
		{fleetDir, []string{"validate", "-f", menus}, menus + " is valid: "},
		{t.TempDir(), []string{"validate", "-f", menus, "--config", filepath.Join(fleetDir, "wxmenu.yaml")}, menus + " is valid: "},
	}
	for _, tt := range tests {
		t.Chdir(tt.dir)
		code, stdout, stderr := runCLI(t, tt.args...)
		if code != 0 || !strings.HasPrefix(stdout[strings.LastIndex(strings.TrimSuffix(stdout, "\n"), "\n")+1:], tt.want) {
			t.Errorf("wxmenu %q in %s: exit %d, stdout %q, stderr %q; want a last line starting %q", tt.args, tt.dir, code, stdout, stderr, tt.want)
		}
	}
}

// TestPlanOut covers what plan does with --out: it saves a plan that
// passed its checks and says how to apply it, in a command that runs as
// written; a blocked plan is shown, never saved, and exits by its error.
func TestPlanOut(t *testing.T) {
	cleanEnv(t)
	dir := t.TempDir()
	t.Chdir(dir)
	menus := filepath.Join(packageDir, "examples", "basic", "menus.yaml")
	empty := filepath.Join(dir, "empty.yaml")
	if err := os.WriteFile(empty, []byte("default:\n  button:\n    - {type: click, name: only, key: ONLY}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	spaced := filepath.Join(dir, "my plans", "plan.json")
	if err := os.Mkdir(filepath.Dir(spaced), 0o755); err != nil {
		t.Fatal(err)
	}
	fleetConfig := filepath.Join(packageDir, "examples", "fleet", "wxmenu.yaml")
	type result struct {
		Code   int
		Stderr string // its last line
		Saved  int    // the accounts of the saved plan, -1 for none
	}
	tests := []struct {
		name string
		args []string
		out  string
		want result
	}{
		{"a menus file", []string{"--sandbox", "plan", "-f", menus, "--detailed-exitcode"}, filepath.Join(dir, "plan.json"),
			result{2, "wxmenu: plan saved to " + filepath.Join(dir, "plan.json") + "; apply it with: wxmenu --sandbox apply " + filepath.Join(dir, "plan.json"), 1}},
		{"a blocked plan", []string{"--sandbox", "plan", "-f", empty, "--detailed-exitcode"}, filepath.Join(dir, "blocked.json"),
			result{1, "hint: if this is intended, plan again with --allow-many-deletes (the override is recorded in the plan and the audit log)", -1}},
		{"a directory that is missing", []string{"--sandbox", "plan", "-f", menus}, filepath.Join(dir, "missing", "plan.json"),
			result{1, "wxmenu: error: writing " + filepath.Join(dir, "missing", "plan.json") + ": no such file or directory", -1}},
		{"a project, to a path with a space", []string{"--sandbox", "plan", "--config", fleetConfig}, spaced,
			result{0, "wxmenu: plan of 3 accounts saved to " + spaced + "; apply it with: wxmenu --sandbox apply '" + spaced + "'", 3}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, stdout, stderr := runCLI(t, append(tt.args, "--out", tt.out)...)
			lines := strings.Split(strings.TrimSuffix(stderr, "\n"), "\n")
			got := result{Code: code, Stderr: lines[len(lines)-1], Saved: -1}
			if f, err := plans.ReadFile(tt.out); err == nil {
				got.Saved = len(f.Accounts)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
			if !strings.Contains(stdout, "Plan:") && !strings.Contains(stdout, "=== ") {
				t.Errorf("the plan is not shown:\n%s", stdout)
			}
		})
	}
}

// TestExportOut covers where export writes one account: standard output,
// or --out and a line saying so; never over a file that exists unless
// --force, never leaving a temporary file.
func TestExportOut(t *testing.T) {
	cleanEnv(t)
	dir := t.TempDir()
	t.Chdir(dir)
	notes := filepath.Join(dir, "notes.txt")
	if err := os.WriteFile(notes, []byte("my notes\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, exported, _ := runCLI(t, "--sandbox", "export")
	if !strings.Contains(exported, "\ndefault:\n") {
		t.Fatalf("export to standard output: %q", exported)
	}
	type result struct {
		Code           int
		Stdout, Stderr string
		File           string
	}
	tests := []struct {
		name string
		args []string
		out  string
		want result
	}{
		{"--out", nil, filepath.Join(dir, "menus.yaml"), result{Stderr: "wxmenu: exported 3 conditional menus to " + filepath.Join(dir, "menus.yaml") + "\n", File: exported}},
		{"--out that exists", nil, notes, result{Code: 1, File: "my notes\n",
			Stderr: "wxmenu: error: --out " + notes + " exists; export leaves it as it is\nhint: export to a new file (wxmenu --sandbox export --out " +
				filepath.Join(dir, "exported.yaml") + "), or add --force to replace " + notes + "\n"}},
		{"--out that exists, --force", []string{"--force"}, notes, result{Stderr: "wxmenu: exported 3 conditional menus to " + notes + "\n", File: exported}},
		{"--out that cannot be written", nil, filepath.Join(notes, "menus.yaml"), result{Code: 1,
			Stderr: "wxmenu: error: creating the directory of " + filepath.Join(notes, "menus.yaml") + ": not a directory\n"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, stdout, stderr := runCLI(t, append([]string{"--sandbox", "export", "--out", tt.out}, tt.args...)...)
			b, _ := os.ReadFile(tt.out) // none when it could not be written
			if diff := cmp.Diff(tt.want, result{code, stdout, stderr, string(b)}); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
	if left, _ := filepath.Glob(filepath.Join(dir, ".*.tmp-*")); len(left) > 0 {
		t.Errorf("temporary files left behind: %v", left)
	}
}

func TestSchema(t *testing.T) {
	for args, want := range map[string][]byte{"schema": desired.Schema(), "schema --project": project.Schema()} {
		code, stdout, stderr := runCLI(t, strings.Fields(args)...)
		if code != 0 || stdout != string(want) || stderr != "" {
			t.Errorf("wxmenu %s: exit %d, stderr %q, %d bytes; want the schema", args, code, stderr, len(stdout))
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
		if got := askYes(context.Background(), strings.NewReader(tt.answer), &out, "Apply?"); got != tt.want {
			t.Errorf("answer %q: %v, want %v", tt.answer, got, tt.want)
		}
		if diff := cmp.Diff("Apply? Only 'yes' is accepted: ", out.String()); diff != "" {
			t.Errorf("the question (-want +got):\n%s", diff)
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if askYes(ctx, blockingReader{}, io.Discard, "Apply?") {
		t.Error("an interrupted question agreed")
	}
}

// blockingReader never answers, like a terminal nobody types into.
type blockingReader struct{}

func (blockingReader) Read([]byte) (int, error) { select {} }

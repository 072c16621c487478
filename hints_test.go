package main

import (
	"bytes"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/urfave/cli/v2"

	"github.com/wxmenu/wxmenu/reconcile/desired"
	"github.com/wxmenu/wxmenu/reconcile/plans"
)

// hintScenario is a mistake a user can make, run in a scratch directory
// holding menus.yaml (the basic example), notes.txt, a truncated plan and
// plans of formats 1 and 2. prepare runs first, to set up a state (e.g. a stale plan).
type hintScenario struct {
	name    string
	prepare [][]string
	args    []string
}

var hintScenarios = []hintScenario{
	{name: "apply given menus.yaml without -f", args: []string{"--sandbox", "apply", "menus.yaml"}},
	{name: "apply a missing plan", args: []string{"--sandbox", "apply", "plan.json"}},
	{name: "apply a truncated plan", args: []string{"--sandbox", "apply", "broken.json"}},
	{name: "apply a format-1 plan", args: []string{"--sandbox", "apply", "old.json"}},
	{name: "apply a format-2 plan", args: []string{"--sandbox", "apply", "old2.json"}},
	{name: "plan --out its own -f", args: []string{"--sandbox", "plan", "-f", "menus.yaml", "--out", "menus.yaml"}},
	{name: "plan --out a file that is not a plan", args: []string{"--sandbox", "plan", "-f", "menus.yaml", "--out", "notes.txt"}},
	{name: "plan --out a new file", args: []string{"--sandbox", "plan", "-f", "menus.yaml", "--out", "saved.json"}},
	{name: "plan without -f", args: []string{"--sandbox", "plan", "menus.yaml"}},
	{name: "validate without -f", args: []string{"validate", "menus.yaml"}},
	{name: "a misspelled flag", args: []string{"--sandbox", "plan", "-fiel", "menus.yaml"}},
	{name: "a misspelled global flag", args: []string{"--sandbx", "plan", "-f", "menus.yaml"}},
	{name: "a misspelled command", args: []string{"--sandbox", "pln"}},
	{name: "a flag of another command", args: []string{"--sandbox", "plan", "--auto-approve", "-f", "menus.yaml"}},
	{name: "apply with nothing to apply", args: []string{"--sandbox", "apply"}},
	{name: "apply -f without a terminal", args: []string{"--sandbox", "apply", "-f", "menus.yaml"}},
	{name: "a flag after the argument", args: []string{"--sandbox", "apply", "plan.json", "--auto-approve"}},
	{name: "a stale plan", prepare: [][]string{
		{"--sandbox", "plan", "-f", "menus.yaml", "--out", "plan.json"},
		{"--sandbox", "apply", "-f", "menus.yaml", "--auto-approve"},
	}, args: []string{"--sandbox", "apply", "plan.json"}},
	{name: "a plan applied to another file", prepare: [][]string{
		{"--sandbox", "plan", "-f", "menus.yaml", "--out", "plan.json"},
	}, args: []string{"--sandbox", "apply", "-f", "notes-menus.yaml", "plan.json"}},
	{name: "only --appid", args: []string{"plan", "-f", "menus.yaml", "--appid", "wx0123456789abcdef"}},
	{name: "an unknown format", args: []string{"--sandbox", "plan", "-f", "menus.yaml", "--format", "html5"}},
	// A project's accounts: each "To apply" line plans that account of
	// that project, and a stale project plan is planned again as a whole.
	{name: "a project's plan", args: []string{"--sandbox", "plan", "--config", "proj.yaml"}},
	{name: "a stale project plan", prepare: [][]string{
		{"--sandbox", "plan", "--config", "proj.yaml", "--out", "plan.json"},
		{"--sandbox", "apply", "--config", "proj.yaml", "--auto-approve"},
	}, args: []string{"--sandbox", "apply", "plan.json"}},
	{name: "--out-markdown-dir without --format markdown", args: []string{"--sandbox", "plan", "-f", "menus.yaml", "--out-markdown-dir", "md"}},
	{name: "--out-markdown-dir with -f", args: []string{"--sandbox", "plan", "-f", "menus.yaml", "--format", "markdown", "--out-markdown-dir", "md"}},
	{name: "export --out a menus.yaml that exists", args: []string{"--sandbox", "export", "--out", "menus.yaml"}},
	{name: "export --out a file that is not menus", args: []string{"--sandbox", "export", "--out", "notes.txt"}},
}

// hintCommandRE finds a wxmenu command in a hint; hintCommands keeps its
// words up to the first one that is prose.
var hintCommandRE = regexp.MustCompile(`wxmenu(?: [^ ;,()']+)+`)

var commandWords = []string{"plan", "apply", "validate", "export", "schema", "trymatch", "sandbox", "reset", "serve"}

func hintCommands(text string) [][]string {
	var cmds [][]string
	for _, m := range hintCommandRE.FindAllString(text, -1) {
		words := strings.Fields(m)[1:]
		var args []string
		for i, w := range words {
			isValue := i > 0 && strings.HasPrefix(words[i-1], "-") && slices.Contains([]string{"-f", "--file", "--out", "-o", "--sandbox-state", "--config", "--account"}, words[i-1])
			if !strings.HasPrefix(w, "-") && !strings.ContainsAny(w, "./") && !slices.Contains(commandWords, w) && !isValue {
				break
			}
			args = append(args, strings.TrimSuffix(w, "?"))
		}
		if slices.ContainsFunc(args, func(a string) bool { return slices.Contains(commandWords, a) }) || slices.Contains(args, "--help") {
			cmds = append(cmds, args)
		}
	}
	return cmds
}

// snapshot is every file under dir (the sandbox state excepted) and its
// content.
func snapshot(t *testing.T, dir string) map[string]string {
	t.Helper()
	files := map[string]string{}
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && d.Name() == ".state" {
			return filepath.SkipDir
		}
		if !d.IsDir() {
			b, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			rel, _ := filepath.Rel(dir, path)
			files[rel] = string(b)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// TestEveryHintIsSafeToRun makes each mistake of hintScenarios, runs every
// command its hints (and the "apply it with" note) name, as written, in the
// same directory against the sandbox, and checks that the command is
// understood, does what it says and destroys no file.
func TestEveryHintIsSafeToRun(t *testing.T) {
	basic, err := os.ReadFile("examples/basic/menus.yaml")
	if err != nil {
		t.Fatal(err)
	}
	other, err := os.ReadFile("examples/tags-and-platforms/menus.yaml")
	if err != nil {
		t.Fatal(err)
	}
	seen := 0
	for _, sc := range hintScenarios {
		t.Run(sc.name, func(t *testing.T) {
			dir := t.TempDir()
			t.Chdir(dir)
			t.Setenv("XDG_STATE_HOME", filepath.Join(dir, ".state"))
			for _, k := range []string{"WECHAT_APPID", "WECHAT_APPSECRET", "WECHAT_ACCESS_TOKEN", "WXMENU_SANDBOX", "WXMENU_FILE", "WECHAT_API_BASE"} {
				t.Setenv(k, "") // restored after the test
				os.Unsetenv(k)
			}
			for name, content := range map[string][]byte{
				"menus.yaml": basic, "notes-menus.yaml": other, "notes.txt": []byte("my notes\n"),
				"broken.json": []byte(`{"format_version": 3, "steps": [`), "old.json": []byte(`{"format_version": 1, "steps": []}`),
				"proj.yaml": []byte("accounts:\n  - {name: shop, appid: wx00000000000000a1, file: menus.yaml, secret_env: SHOP_SECRET}\n  - {name: brand, appid: wx00000000000000b2, file: menus.yaml, secret_env: BRAND_SECRET}\n"),
				"old2.json": []byte(`{"format_version": 2, "steps": [], "plan_digest": "sha256:28fe002c4b9d9dffe66c07dd4c6f7eb6cb725de9eb0221d374c8f837b520e284"}`),
			} {
				if err := os.WriteFile(name, content, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			for _, p := range sc.prepare {
				if code, _, stderr := runCLI(t, p...); code != 0 {
					t.Fatalf("prepare %v: exit %d\n%s", p, code, stderr)
				}
			}
			code, stdout, stderr := runCLI(t, sc.args...)
			var hints []string
			for _, line := range strings.Split(stderr+"\n"+stdout, "\n") {
				if strings.HasPrefix(line, "hint: ") || strings.Contains(line, "apply it with: ") || strings.HasPrefix(line, "To apply: ") {
					hints = append(hints, line)
				}
			}
			if code != 0 && len(hints) == 0 {
				t.Fatalf("exit %d with no hint:\n%s", code, stderr)
			}
			for _, h := range hints {
				for _, args := range hintCommands(h) {
					seen++
					checkHintCommand(t, dir, h, args)
				}
			}
		})
	}
	if seen < 15 {
		t.Errorf("ran %d hint commands, want at least 15: the scenarios or hintCommands lost some", seen)
	}
}

func checkHintCommand(t *testing.T, dir, hint string, args []string) {
	t.Helper()
	before := snapshot(t, dir)
	wasPlan := map[string]bool{}
	for name := range before {
		wasPlan[name] = plans.IsPlanFile(filepath.Join(dir, name))
	}
	code, stdout, stderr := runCLI(t, args...)
	t.Logf("hint %q: ran %v: exit %d", hint, args, code)
	for _, bad := range []string{"unknown flag", "unexpected argument", "unknown command", "takes the desired-state file", "missing -f", "cannot read plan", "not a wxmenu plan", "is the desired-state file"} {
		if strings.Contains(stderr, bad) {
			t.Errorf("hint %q: %v is not understood as written:\n%s", hint, args, stderr)
		}
	}
	out := ""
	for i, a := range args {
		if (a == "--out" || a == "-o") && i+1 < len(args) {
			out = args[i+1]
		}
	}
	after := snapshot(t, dir)
	for name, content := range before {
		changed, ok := after[name]
		switch {
		case !ok:
			t.Errorf("hint %q: %v deleted %s", hint, args, name)
		case changed != content && !(name == out && wasPlan[name]):
			t.Errorf("hint %q: %v changed %s, which was not a plan it was told to replace", hint, args, name)
		}
	}
	switch {
	case slices.Contains(args, "--help"):
		if code != 0 || !strings.Contains(stdout, "USAGE") {
			t.Errorf("hint %q: %v printed no help (exit %d)", hint, args, code)
		}
	case out != "" && slices.Contains(args, "export"):
		// export --out writes a new menus.yaml that plan can read.
		if _, existed := before[out]; existed || code != 0 {
			t.Errorf("hint %q: %v did not export to a new file %s (exit %d):\n%s", hint, args, out, code, stderr)
		} else if _, err := desired.Load(filepath.Join(dir, out)); err != nil {
			t.Errorf("hint %q: %v exported a file that does not load: %v", hint, args, err)
		}
	case out != "":
		if code != 0 || !plans.IsPlanFile(filepath.Join(dir, out)) {
			t.Errorf("hint %q: %v did not save a plan to %s (exit %d):\n%s", hint, args, out, code, stderr)
		}
	case slices.Contains(args, "apply") && code != 0:
		// apply -f asks first; without a terminal it refuses and changes nothing.
		if !strings.Contains(stderr, "needs confirmation") {
			t.Errorf("hint %q: %v failed (exit %d):\n%s", hint, args, code, stderr)
		}
	case code != 0:
		t.Errorf("hint %q: %v failed (exit %d):\n%s", hint, args, code, stderr)
	}
	if !bytes.Contains([]byte(strings.Join(args, " ")), []byte("--sandbox")) && slices.ContainsFunc(args, func(a string) bool { return a == "plan" || a == "apply" || a == "export" }) {
		t.Errorf("hint %q: %v talks to an account without the --sandbox of the command that printed it", hint, args)
	}
}

// TestHintStringsNameRealFlags greps the source for the commands hints and
// messages print ("wxmenu plan -f … --out …") and checks that each flag
// they name exists on that command, so a renamed flag cannot leave a hint
// behind that fails as written. TestEveryHintIsSafeToRun runs the hints
// that the scenarios reach.
func TestHintStringsNameRealFlags(t *testing.T) {
	app := newApp(&env{stdin: strings.NewReader(""), stdout: io.Discard, stderr: io.Discard})
	flagsOf := func(cmd *cli.Command) []string {
		var names []string
		for _, f := range append(cmd.Flags, app.Flags...) {
			names = append(names, f.Names()...)
		}
		return append(names, "help", "h")
	}
	var sources []string
	for _, pattern := range []string{"*.go", "internal/*/*.go", "reconcile/*.go", "reconcile/*/*.go"} {
		m, _ := filepath.Glob(pattern)
		sources = append(sources, m...)
	}
	literal := regexp.MustCompile(`"[^"\n]*wxmenu [a-z]+[^"\n]*"`)
	checked := 0
	for _, path := range sources {
		if strings.HasSuffix(path, "_test.go") {
			continue
		}
		src, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		for _, lit := range literal.FindAllString(string(src), -1) {
			for _, args := range hintCommands(strings.Trim(lit, `"`)) {
				var cmd *cli.Command
				for _, a := range args {
					if cmd == nil && !strings.HasPrefix(a, "-") {
						cmd = app.Command(a)
					} else if cmd != nil && cmd.Subcommands != nil && !strings.HasPrefix(a, "-") {
						if sub := cmd.Command(a); sub != nil {
							cmd = sub
						}
					}
				}
				if cmd == nil {
					continue // "wxmenu --help", or prose
				}
				for _, a := range args {
					if !strings.HasPrefix(a, "-") {
						continue
					}
					name, _, _ := strings.Cut(strings.TrimLeft(a, "-"), "=")
					checked++
					if !slices.Contains(flagsOf(cmd), name) {
						t.Errorf("%s: %s names %s, which 'wxmenu %s' does not have", path, lit, a, cmd.Name)
					}
				}
			}
		}
	}
	if checked < 10 {
		t.Errorf("checked %d flags in hint strings, want at least 10: the grep lost them", checked)
	}
}

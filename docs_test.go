package main

// The documentation's tests: README.md is a short guide, its links and those
// of docs/ and CONTRIBUTING.md lead somewhere, and every command block the
// documentation shows works. A block either runs, in a scratch directory
// against the sandbox, a standalone emulator or an emulated account (with
// the fakes of the recipe tests where it downloads a release), or, when it
// cannot run inside the tests (the test suite itself, benchmarks, cutting
// a release), is listed in docsNotRun and its commands are checked against
// the tree instead.

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/wxmenu/wxmenu/internal/cmdline"
	"github.com/wxmenu/wxmenu/wechat/wechattest"
)

// readmeMaxLines bounds the README: the user's guide stays a guide, and
// reference goes to docs/.
const readmeMaxLines = 250

// docFiles are the documentation files, README.md first.
func docFiles(t *testing.T) []string {
	t.Helper()
	pages, err := filepath.Glob("docs/*.md")
	if err != nil {
		t.Fatal(err)
	}
	if len(pages) == 0 {
		t.Fatal("docs/ has no pages")
	}
	return append([]string{"README.md", "CONTRIBUTING.md"}, pages...)
}

func readDoc(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestReadmeIsShort(t *testing.T) {
	readme := readDoc(t, "README.md")
	if n := strings.Count(readme, "\n"); n > readmeMaxLines {
		t.Errorf("README.md has %d lines, want at most %d: move reference to docs/", n, readmeMaxLines)
	}
}

// TestReadmeTestCommandIsCIs checks that the test command the README's quick
// start shows is the one .ci/run runs.
func TestReadmeTestCommandIsCIs(t *testing.T) {
	var cmd string
	for _, b := range commandBlocks(t, "README.md") {
		if first := b.commands()[0].text; strings.HasPrefix(first, "go test") {
			cmd = first
			break
		}
	}
	if cmd == "" {
		t.Fatal("README.md shows no test command (a block starting with go test)")
	}
	ci := readDoc(t, ".ci/run")
	_, after, ok := strings.Cut(ci, "(the README's test command)")
	if !ok {
		t.Fatal(`.ci/run has no step marked "(the README's test command)"`)
	}
	for _, line := range strings.Split(after, "\n") {
		if strings.HasPrefix(line, "go test") {
			if line != cmd {
				t.Errorf(".ci/run runs %q as the README's test command; the README shows %q", line, cmd)
			}
			return
		}
	}
	t.Errorf(".ci/run does not run the README's test command %q", cmd)
}

// TestReadmeHasWhatTheProgramCites checks the README sections wxmenu's own
// messages send people to (`see the README, "Many accounts"`), and that its
// exit-code table lists every exit code.
func TestReadmeHasWhatTheProgramCites(t *testing.T) {
	readme := readDoc(t, "README.md")
	cite := regexp.MustCompile(`see the README, \\?"([^"\\]+)\\?"`)
	cited := 0
	err := filepath.WalkDir(".", func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && path != "." && (strings.HasPrefix(d.Name(), ".") || d.Name() == "testdata") {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		for _, m := range cite.FindAllStringSubmatch(readDoc(t, path), -1) {
			cited++
			if !strings.Contains(readme, "\n## "+m[1]+"\n") {
				t.Errorf("%s sends people to the README's %q, which has no such section", path, m[1])
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if cited == 0 {
		t.Error(`no message cites a README section (see the README, "…"): is the pattern out of date?`)
	}
	_, table, ok := strings.Cut(readme, "\n## Exit codes\n")
	if !ok {
		t.Fatal("README.md has no ## Exit codes section")
	}
	for _, code := range []int{cmdline.ExitOK, cmdline.ExitError, cmdline.ExitChanges, cmdline.ExitStale, cmdline.ExitPartial, cmdline.ExitDeclined, 130} {
		if !strings.Contains(table, fmt.Sprintf("\n| %d | ", code)) {
			t.Errorf("the README's exit codes do not list %d", code)
		}
	}
}

// TestDocsLinks follows every relative link and image of the documentation:
// the file exists and a #fragment names a heading of it. Every page of
// docs/ is linked from the README.
func TestDocsLinks(t *testing.T) {
	linkRE := regexp.MustCompile(`\]\(([^()\s]+)\)`)
	fromReadme := map[string]bool{}
	for _, doc := range docFiles(t) {
		for n, line := range proseLines(readDoc(t, doc)) {
			for _, m := range linkRE.FindAllStringSubmatch(line, -1) {
				target := m[1]
				if strings.Contains(target, "://") || strings.HasPrefix(target, "mailto:") {
					continue
				}
				path, frag, _ := strings.Cut(target, "#")
				resolved := doc
				if path != "" {
					resolved = filepath.Join(filepath.Dir(doc), path)
				}
				if _, err := os.Stat(resolved); err != nil {
					t.Errorf("%s:%d: link %s: %v", doc, n, target, err)
					continue
				}
				if doc == "README.md" {
					fromReadme[filepath.ToSlash(resolved)] = true
				}
				if frag != "" && !slices.Contains(headingAnchors(readDoc(t, resolved)), frag) {
					t.Errorf("%s:%d: link %s: %s has no heading #%s", doc, n, target, resolved, frag)
				}
			}
		}
	}
	pages, _ := filepath.Glob("docs/*.md")
	for _, p := range pages {
		if !fromReadme[filepath.ToSlash(p)] {
			t.Errorf("README.md does not link %s", p)
		}
	}
}

// proseLines returns the lines outside fenced blocks, inline code removed,
// by line number.
func proseLines(doc string) map[int]string {
	code := regexp.MustCompile("`[^`]*`")
	out := map[int]string{}
	fenced := false
	for i, line := range strings.Split(doc, "\n") {
		if strings.HasPrefix(line, "```") {
			fenced = !fenced
			continue
		}
		if !fenced {
			out[i+1] = code.ReplaceAllString(line, "")
		}
	}
	return out
}

// headingAnchors returns the anchors GitHub gives the headings of doc.
func headingAnchors(doc string) []string {
	var anchors []string
	seen := map[string]int{}
	fenced := false
	for _, line := range strings.Split(doc, "\n") {
		if strings.HasPrefix(line, "```") {
			fenced = !fenced
		}
		if fenced || !strings.HasPrefix(line, "#") {
			continue
		}
		text := strings.TrimSpace(strings.TrimLeft(line, "#"))
		var b strings.Builder
		for _, r := range strings.ToLower(text) {
			switch {
			case unicode.IsLetter(r) || unicode.IsDigit(r) || r == '-' || r == '_':
				b.WriteRune(r)
			case r == ' ':
				b.WriteByte('-')
			}
		}
		a := b.String()
		if n := seen[a]; n > 0 {
			anchors = append(anchors, fmt.Sprintf("%s-%d", a, n))
		} else {
			anchors = append(anchors, a)
		}
		seen[a]++
	}
	return anchors
}

// ---- command blocks ----

// docBlock is one command block (a fence marked sh, bash, shell or console)
// of a documentation file.
type docBlock struct {
	file string
	line int // the line of the opening fence
	text string
}

// docCommand is one command of a block: its text (continuation lines
// included, the trailing comment removed), its comment, and its line.
type docCommand struct {
	text, comment string
	line          int
}

// key names a block in docsNotRun: its file and its first command.
func (b docBlock) key() string { return b.file + ": " + b.commands()[0].text }

// commands splits the block into commands, joining lines that end in a
// backslash.
func (b docBlock) commands() []docCommand {
	var out []docCommand
	var cur []string
	start := 0
	for i, line := range strings.Split(strings.TrimSuffix(b.text, "\n"), "\n") {
		if len(cur) == 0 {
			if strings.TrimSpace(line) == "" {
				continue
			}
			start = b.line + 1 + i
		}
		cur = append(cur, line)
		if strings.HasSuffix(line, `\`) {
			continue
		}
		text, comment := splitComment(strings.Join(cur, "\n"))
		out = append(out, docCommand{text: strings.TrimSpace(text), comment: comment, line: start})
		cur = nil
	}
	return out
}

// splitComment splits a shell command from its trailing comment: a # that
// starts a word outside quotes.
func splitComment(s string) (cmd, comment string) {
	var quote rune
	prev := ' '
	for i, r := range s {
		switch {
		case quote != 0:
			if r == quote {
				quote = 0
			}
		case r == '\'' || r == '"':
			quote = r
		case r == '#' && unicode.IsSpace(prev):
			return s[:i], strings.TrimSpace(s[i+1:])
		}
		prev = r
	}
	return s, ""
}

// wantExit is the exit code a command's comment promises ("… exit 3 …"),
// else 0.
func (c docCommand) wantExit() int {
	if m := regexp.MustCompile(`\bexit (\d+)\b`).FindStringSubmatch(c.comment); m != nil {
		n, _ := strconv.Atoi(m[1])
		return n
	}
	return 0
}

var commandFence = regexp.MustCompile("^```(sh|bash|shell|console)\\s*$")

// commandBlocks returns the command blocks of a documentation file. A fence
// without a language that holds commands is an error: it would escape
// these tests.
func commandBlocks(t *testing.T, file string) []docBlock {
	t.Helper()
	var blocks []docBlock
	var cur *docBlock
	var body []string
	sc := bufio.NewScanner(strings.NewReader(readDoc(t, file)))
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		switch {
		case cur == nil && strings.HasPrefix(line, "```"):
			cur, body = &docBlock{file: file, line: n}, nil
			if !commandFence.MatchString(line) {
				cur.file = "" // not a command block; kept to find its end
				if line == "```" {
					cur.line = -n // unmarked: checked below
				}
			}
		case cur != nil && line == "```":
			if cur.file != "" {
				cur.text = strings.Join(body, "\n") + "\n"
				blocks = append(blocks, *cur)
			} else if cur.line < 0 {
				for _, l := range body {
					if looksLikeCommand(l) {
						t.Errorf("%s:%d: a block without a language shows the command %q: mark it ```sh", file, -cur.line, l)
						break
					}
				}
			}
			cur = nil
		case cur != nil:
			body = append(body, line)
		}
	}
	if cur != nil {
		t.Errorf("%s:%d: the block is not closed", file, cur.line)
	}
	return blocks
}

func looksLikeCommand(line string) bool {
	for _, p := range []string{"wxmenu ", "./wxmenu ", "go ", "curl ", "$ "} {
		if strings.HasPrefix(line, p) {
			return true
		}
	}
	return false
}

// docsNotRun lists the blocks that cannot run inside the tests, by
// docBlock.key, and why. Their commands are checked by checkNotRun.
var docsNotRun = map[string]string{
	"README.md: go test -race ./...":       "the test suite itself (TestReadmeTestCommandIsCIs checks it is CI's)",
	"CONTRIBUTING.md: go test -race ./...": "the test suite, CI and golden-file rewrites",
	"CONTRIBUTING.md: go test ./reconcile/fleet -run '^$' -bench FleetPlan1000 -benchtime 1x": "a benchmark",
	"CONTRIBUTING.md: go test -run '^$' -bench FleetPlanProcess .":                            "a benchmark of 1,000 accounts",
	"CONTRIBUTING.md: go test -run '^$' -bench WatchProcess -benchtime 1x .":                  "a benchmark of 1,000 accounts over 10 sweeps",
	"CONTRIBUTING.md: go test -run '^$' -bench AuthorizerTokensPlanProcess -benchtime 1x .":   "a benchmark of 10,000 accounts",
	"CONTRIBUTING.md: go install github.com/goreleaser/goreleaser/v2@v2.15.1":                 "it cuts and publishes a release",
}

// docsSetup prepares what one file's blocks need besides the scratch
// directory and the sandbox.
type docsSetup struct {
	// account: an emulated account, its credentials in WECHAT_*.
	account bool
	// consoleMenu: the account's menu was published in the console.
	consoleMenu string
	// release: a wxmenu release to download (the recipe tests' fake curl)
	// and a sudo that installs under the scratch directory.
	release bool
	// terminal: run on a pseudo-terminal, answering yes.
	terminal bool
	// replace: placeholders the reader fills in, and what the test uses.
	replace []string
}

var docsSetups = map[string]docsSetup{
	"docs/installation.md": {release: true},
	"docs/real-account.md": {account: true, replace: []string{
		"WECHAT_APPID=wx...", "WECHAT_APPID=" + wechattest.DefaultAppID,
		"WECHAT_APPSECRET=...", "WECHAT_APPSECRET=" + wechattest.DefaultSecret,
	}},
	"docs/migrating-from-console.md": {account: true, terminal: true,
		consoleMenu: `{"button": [{"type": "view", "name": "官网", "url": "https://www.example.com/"}]}`},
}

// docsPort is the port the documentation's emulator servers listen on; the
// test replaces it with a free one.
const docsPort = "127.0.0.1:8808"

// fakeSudo installs into $DOCS_PREFIX instead of /usr/local.
const fakeSudo = `#!/usr/bin/env bash
args=()
for a in "$@"; do args+=("${a/#\/usr\/local\//$DOCS_PREFIX/}"); done
exec "${args[@]}"
`

// TestDocsCommandBlocks runs every command block of the documentation, each
// file's blocks in order in one shell (a later block may use the server an
// earlier one started), in a scratch directory holding a copy of examples/,
// with the test binary as wxmenu (for `go run .` and `go build`) and a
// private sandbox. Each command must exit as its comment says ("exit 3"),
// else 0. The blocks in docsNotRun are checked instead.
func TestDocsCommandBlocks(t *testing.T) {
	covered := map[string]bool{}
	for _, file := range docFiles(t) {
		var run []docBlock
		for _, b := range commandBlocks(t, file) {
			if why, ok := docsNotRun[b.key()]; ok {
				covered[b.key()] = true
				t.Run(fmt.Sprintf("%s:%d", file, b.line), func(t *testing.T) {
					t.Logf("not run: %s; checked against the tree", why)
					checkNotRun(t, b)
				})
				continue
			}
			run = append(run, b)
		}
		if len(run) > 0 {
			t.Run(file, func(t *testing.T) { runDocBlocks(t, file, run, docsSetups[file]) })
		}
	}
	for key := range docsNotRun {
		if !covered[key] {
			t.Errorf("docsNotRun lists %q, which no documentation file shows", key)
		}
	}
}

func runDocBlocks(t *testing.T, file string, blocks []docBlock, setup docsSetup) {
	if setup.terminal {
		if _, err := exec.LookPath("script"); err != nil {
			t.Skip("script(1) is not installed; it provides the pseudo-terminal")
		}
	}
	wx := wxmenuBinary(t)
	dir := t.TempDir()
	if err := os.CopyFS(filepath.Join(dir, "examples"), os.DirFS("examples")); err != nil {
		t.Fatal(err)
	}
	env := cliEnv(filepath.Join(dir, ".state"), "")
	env = slices.DeleteFunc(env, func(kv string) bool {
		return strings.HasPrefix(kv, "WECHAT_") || strings.HasPrefix(kv, "HOME=") || strings.HasPrefix(kv, "PATH=")
	})
	path := os.Getenv("PATH")
	home := filepath.Join(dir, ".home")
	if err := os.Mkdir(home, 0o755); err != nil {
		t.Fatal(err)
	}
	env = append(env, "HOME="+home)

	port := freePort(t)
	replace := append([]string{docsPort, port, "go run . ", "wxmenu ", "go build -o wxmenu .", `ln -s "` + wx + `" wxmenu`}, setup.replace...)

	if setup.account {
		emu := wechattest.New(wechattest.Config{Seed: 5})
		if setup.consoleMenu == "" {
			emu.SeedDemo()
		}
		srv := httptest.NewServer(emu)
		t.Cleanup(srv.Close)
		if setup.consoleMenu != "" {
			resp, err := http.Post(srv.URL+"/_emulator/console-menu", "application/json", strings.NewReader(setup.consoleMenu))
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("setting the console menu: %s", resp.Status)
			}
		}
		env = append(env, "WECHAT_API_BASE="+srv.URL,
			"WECHAT_APPID="+wechattest.DefaultAppID, "WECHAT_APPSECRET="+wechattest.DefaultSecret)
	}
	if setup.release {
		h := newCIHarness(t)
		h.release("v0.1.0", "linux_amd64")
		prefix := filepath.Join(dir, ".prefix")
		fakes := filepath.Join(dir, ".fakes")
		for _, d := range []string{filepath.Join(prefix, "bin"), fakes} {
			if err := os.MkdirAll(d, 0o755); err != nil {
				t.Fatal(err)
			}
		}
		if err := os.WriteFile(filepath.Join(fakes, "sudo"), []byte(fakeSudo), 0o755); err != nil {
			t.Fatal(err)
		}
		env = append(env, "DOCS_PREFIX="+prefix, "FAKE_LOG="+h.logDir, "FAKE_ROUTES="+h.routesFile)
		// What the block installs comes first, the fakes next; the
		// test binary's wxmenu is not on PATH, so --version runs the
		// installed one.
		path = strings.Join([]string{filepath.Join(prefix, "bin"), fakes, h.fakeDir, systemPath}, string(filepath.ListSeparator))
	}
	env = append(env, "PATH="+path)

	script := docsScript(blocks, strings.NewReplacer(replace...), port)
	scriptFile := filepath.Join(dir, ".docs.sh")
	if err := os.WriteFile(scriptFile, []byte(script), 0o644); err != nil {
		t.Fatal(err)
	}
	// A bound against a hung command, not a timing assertion.
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "bash", scriptFile)
	if setup.terminal {
		cmd = exec.CommandContext(ctx, "script", "-qefc", "bash "+scriptFile, "/dev/null")
		cmd.Stdin = strings.NewReader("yes\n")
	}
	cmd.Dir, cmd.Env, cmd.WaitDelay = dir, env, 10*time.Second
	out, err := cmd.CombinedOutput()
	var ee *exec.ExitError
	if err != nil && !errors.As(err, &ee) {
		t.Fatalf("running %s's blocks: %v\n%s", file, err, out)
	}
	if err != nil || !strings.Contains(string(out), "docs: all commands done") {
		t.Errorf("%s: a command failed (%v); the commands, as run, and their output:\n%s", file, err, out)
		return
	}
	t.Logf("the commands, as run, and their output:\n%s", out)
}

// docsScript turns blocks into one bash script that echoes each command,
// runs it and checks its exit code. A command ending in & starts a server:
// the script waits until something listens on port, and kills it at the
// end.
func docsScript(blocks []docBlock, r *strings.Replacer, port string) string {
	var b strings.Builder
	_, portNum, _ := strings.Cut(port, ":")
	fmt.Fprintf(&b, `trap 'kill $(jobs -p) 2>/dev/null; wait' EXIT
docs_check() {
  if [ "$2" != "$1" ]; then echo "docs: $3: exit $2, want $1" >&2; exit 1; fi
}
docs_wait() {
  for _ in $(seq 200); do (exec 3<>/dev/tcp/127.0.0.1/%s) 2>/dev/null && return 0; sleep 0.05; done
  echo "docs: $1: nothing listens on %s" >&2; exit 1
}
`, portNum, port)
	for _, blk := range blocks {
		for _, c := range blk.commands() {
			text := r.Replace(c.text)
			where := fmt.Sprintf("%s:%d", blk.file, c.line)
			fmt.Fprintf(&b, "printf '%%s\\n' %s\n", shellQuote("+ "+text))
			if bg, ok := strings.CutSuffix(text, "&"); ok && !strings.HasSuffix(bg, "&") {
				fmt.Fprintf(&b, "%s\ndocs_wait %s\n", text, shellQuote(where))
				continue
			}
			fmt.Fprintf(&b, "%s\ndocs_check %d $? %s\n", text, c.wantExit(), shellQuote(where))
		}
	}
	b.WriteString("echo 'docs: all commands done'\n")
	return b.String()
}

func shellQuote(s string) string { return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'" }

func freePort(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

// checkNotRun checks the commands of a block the tests cannot run against
// the tree: the packages, benchmarks, tests and flags named exist, the
// files named are there, and the tool versions are those of .ci/run.
func checkNotRun(t *testing.T, b docBlock) {
	ci := readDoc(t, ".ci/run")
	for _, c := range b.commands() {
		words := shellWords(c.text)
		is := func(prefix ...string) bool {
			return len(words) >= len(prefix) && slices.Equal(words[:len(prefix)], prefix)
		}
		switch {
		case is("go", "test"):
			checkGoTest(t, b.file, c, words[2:], ci)
		case is("go", "run") && len(words) >= 3:
			if _, err := os.Stat(filepath.Join(words[2], "main.go")); err != nil {
				t.Errorf("%s:%d: go run %s: no main package there: %v", b.file, c.line, words[2], err)
			}
		case is("bash") && len(words) == 2:
			if _, err := os.Stat(words[1]); err != nil {
				t.Errorf("%s:%d: %v", b.file, c.line, err)
			}
		case is("go", "install") && len(words) == 3:
			mod, version, _ := strings.Cut(words[2], "@")
			tool := filepath.Base(strings.TrimSuffix(mod, "/v2"))
			if !regexp.MustCompile(`(?m)^` + tool + `_version=` + regexp.QuoteMeta(version) + `$`).MatchString(ci) {
				t.Errorf("%s:%d: installs %s %s; .ci/run pins another version", b.file, c.line, tool, version)
			}
		case is("goreleaser") || is("GITHUB_TOKEN=...", "goreleaser"):
			if _, err := os.Stat(".goreleaser.yaml"); err != nil {
				t.Errorf("%s:%d: %v", b.file, c.line, err)
			}
		case is("git", "tag"):
			// Tagging is git's; nothing in the tree to check.
		default:
			t.Errorf("%s:%d: %q is neither run nor checked: teach checkNotRun about it", b.file, c.line, c.text)
		}
	}
}

// checkGoTest checks a go test command: its packages exist, a -bench or
// -run pattern names a benchmark or test of them, and -update is a flag
// each of them defines. The suite's own command must be the one CI runs.
func checkGoTest(t *testing.T, file string, c docCommand, args []string, ci string) {
	where := fmt.Sprintf("%s:%d", file, c.line)
	var pkgs, flags []string
	var bench, run string
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "." || strings.HasPrefix(a, "./"):
			pkgs = append(pkgs, a)
		case a == "-bench" || a == "-run" || a == "-benchtime":
			if i+1 < len(args) {
				if a == "-bench" {
					bench = args[i+1]
				} else if a == "-run" {
					run = args[i+1]
				}
				i++
			}
		case strings.HasPrefix(a, "-"):
			flags = append(flags, a)
		}
	}
	if slices.Equal(pkgs, []string{"./..."}) && !slices.Contains(strings.Split(ci, "\n"), c.text) {
		t.Errorf("%s: %q is not a command .ci/run runs", where, c.text)
	}
	var funcs []string
	for _, p := range pkgs {
		var dirs []string
		if base, ok := strings.CutSuffix(p, "/..."); ok {
			filepath.WalkDir(base, func(path string, d os.DirEntry, err error) error {
				if err == nil && d.IsDir() {
					dirs = append(dirs, path)
				}
				return err
			})
		} else if fi, err := os.Stat(p); err == nil && fi.IsDir() {
			dirs = []string{p}
		}
		if len(dirs) == 0 {
			t.Errorf("%s: package %s does not exist", where, p)
		}
		for _, d := range dirs {
			files, _ := filepath.Glob(filepath.Join(d, "*_test.go"))
			if strings.HasSuffix(p, "/...") && len(files) == 0 {
				continue
			}
			if len(files) == 0 {
				t.Errorf("%s: package %s has no tests", where, p)
			}
			updates := false
			for _, f := range files {
				src := readDoc(t, f)
				updates = updates || strings.Contains(src, `flag.Bool("update"`) || strings.Contains(src, `/reconcile/internal/golden"`)
				parsed, err := parser.ParseFile(token.NewFileSet(), f, src, parser.SkipObjectResolution)
				if err != nil {
					t.Fatal(err)
				}
				for _, decl := range parsed.Decls {
					if fn, ok := decl.(*ast.FuncDecl); ok && fn.Recv == nil {
						funcs = append(funcs, fn.Name.Name)
					}
				}
			}
			if slices.Contains(flags, "-update") && !updates {
				t.Errorf("%s: %s: package ./%s defines no -update flag", where, c.text, filepath.ToSlash(filepath.Clean(d)))
			}
		}
	}
	for _, pat := range []struct{ flag, re, prefix string }{{"-bench", bench, "Benchmark"}, {"-run", run, "Test"}} {
		if pat.re == "" || pat.re == "^$" {
			continue
		}
		re, err := regexp.Compile(pat.re)
		if err != nil {
			t.Errorf("%s: %s %s: %v", where, pat.flag, pat.re, err)
			continue
		}
		if !slices.ContainsFunc(funcs, func(f string) bool { return strings.HasPrefix(f, pat.prefix) && re.MatchString(f) }) {
			t.Errorf("%s: %s %s matches no %s function of %v", where, pat.flag, pat.re, pat.prefix, pkgs)
		}
	}
}

// shellWords splits a command into words, honouring single and double
// quotes (enough for the documentation's commands).
func shellWords(s string) []string {
	var words []string
	var cur strings.Builder
	in := false
	var quote rune
	for _, r := range s {
		switch {
		case quote != 0 && r == quote:
			quote = 0
		case quote != 0:
			cur.WriteRune(r)
		case r == '\'' || r == '"':
			quote, in = r, true
		case unicode.IsSpace(r) || r == '\\':
			if in {
				words = append(words, cur.String())
				cur.Reset()
				in = false
			}
		default:
			cur.WriteRune(r)
			in = true
		}
	}
	if in {
		words = append(words, cur.String())
	}
	return words
}

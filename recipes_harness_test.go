package main

// A small CI runner for the recipe tests (recipes_test.go): it reads the
// GitHub Actions and GitLab CI recipes with yaml.v3, decides which jobs an
// event starts (job `if:` and GitLab `rules:`), and runs their shell steps
// with bash (GitHub) or sh (GitLab) the way the platforms do, with the CI
// variables set. wxmenu talks to an in-process emulator over loopback;
// the platforms' own services are replaced by fakes on PATH:
//   - curl and gh answer from a route table and record every call, with any
//     body file they were given, so the test can check what would have been
//     posted (gh's --jq runs the real jq over the route's JSON; gh run
//     download copies the artifacts of a run's directory);
//   - apk records what the GitLab recipe would install.
// The release archive the recipes download is built by the test: a
// wrapper named wxmenu that runs this test binary as wxmenu.
// The handful of actions the GitHub recipe uses (checkout, cache,
// upload-artifact, download-artifact) are emulated, and this repository's
// own action (wxmenu/wxmenu, action.yml) runs step by step (action_test.go);
// any other action fails the test, so a recipe change is never silently
// skipped.

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http/httptest"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/wxmenu/wxmenu/wechat/wechattest"
)

// systemPath is the PATH of the steps besides the fakes and what the recipe
// installs. It must not contain the test's own wxmenu: the install step has
// to put wxmenu on PATH for the later steps to find it.
const systemPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

// fakeTool is one script for curl, gh and apk (by the name it is called
// as): it records its arguments (NUL-separated) and any body file (a
// comment's body, an issue's description), then answers from $FAKE_ROUTES,
// lines of "GLOB<TAB>FILE" matched against "TOOL ARGS..." joined by
// spaces; FILE is written to curl's -o file (or, with -O, the URL's last
// segment) or to stdout (through jq -r when gh is given --jq). For gh run
// download, FILE is the run's artifacts, a directory per artifact: those
// --name or --pattern select are copied into --dir as gh does (each into a
// directory of its name unless one --name is given), and none selected
// fails like gh's "no valid artifacts found to download". A FILE of
// "!MESSAGE" is a refusal, an HTTP error: the tool prints MESSAGE on
// standard error and fails as it does (curl -f exits 22; gh exits 1 and,
// --jq or not, prints the error's JSON body on standard output).
const fakeTool = `#!/usr/bin/env bash
set -euo pipefail
tool="$(basename "$0")"
# Calls may run at once (wxmenu runs the accounts' token commands in
# parallel): each claims its number with mkdir, which only one can win, and
# the count is replaced whole (a rename), never read half written.
n=$(( $(cat "$FAKE_LOG/count" 2>/dev/null || echo 0) + 1 ))
until mkdir "$FAKE_LOG/$(printf '%03d' "$n").claim" 2>/dev/null; do n=$((n + 1)); done
printf '%s\n' "$n" > "$FAKE_LOG/count.$$"
mv -f "$FAKE_LOG/count.$$" "$FAKE_LOG/count"
id="$(printf '%03d' "$n")"
printf '%s\0' "$tool" "$@" > "$FAKE_LOG/$id.args"
out=""; jqexpr=""; prev=""; remote_name=""; dir="."; names=(); patterns=()
for a in "$@"; do
  case "$prev" in
    -o|--output) out="$a" ;;
    --jq) jqexpr="$a" ;;
    -D|--dir) dir="$a" ;;
    -n|--name) names+=("$a") ;;
    -p|--pattern) patterns+=("$a") ;;
  esac
  # curl -O (alone or among short flags, as in -fsSLO) names the file
  # after the URL.
  if [ "$tool" = curl ] && [[ "$a" =~ ^-[A-Za-z]*O[A-Za-z]*$ ]]; then remote_name=1; fi
  case "$a" in
    body=@*) cp "${a#body=@}" "$FAKE_LOG/$id.body" ;;
    body@*) cp "${a#body@}" "$FAKE_LOG/$id.body" ;;
    description@*) cp "${a#description@}" "$FAKE_LOG/$id.body" ;;
  esac
  # curl --header @- reads headers from standard input: that is the body.
  if [ "$tool" = curl ] && [ "$a" = "@-" ] && { [ "$prev" = -H ] || [ "$prev" = --header ]; }; then cat > "$FAKE_LOG/$id.body"; fi
  prev="$a"
done
if [ -n "$remote_name" ] && [ -z "$out" ]; then out="${prev##*/}"; fi
if [ "$tool" = apk ]; then exit 0; fi
joined="$tool $*"
while IFS=$'\t' read -r pat file; do
  # shellcheck disable=SC2053
  if [[ "$joined" == $pat ]]; then
    if [[ "$file" == '!'* ]]; then
      echo "${file#!}" >&2
      if [ "$tool" = curl ]; then exit 22; fi
      jq -cn --arg m "${file#!}" '{message: $m}'
      exit 1
    fi
    if [ "$tool" = gh ] && [ "${1:-} ${2:-}" = "run download" ]; then
      found=""
      for art in "$file"/*/; do
        [ -d "$art" ] || continue
        art="${art%/}"; name="${art##*/}"; want=""
        if [ ${#names[@]} -eq 0 ] && [ ${#patterns[@]} -eq 0 ]; then want=1; fi
        for n in "${names[@]}"; do if [ "$name" = "$n" ]; then want=1; fi; done
        # shellcheck disable=SC2053
        for p in "${patterns[@]}"; do if [[ "$name" == $p ]]; then want=1; fi; done
        if [ -z "$want" ]; then continue; fi
        dest="$dir/$name"
        if [ ${#names[@]} -eq 1 ] && [ ${#patterns[@]} -eq 0 ]; then dest="$dir"; fi
        mkdir -p "$dest"
        cp -R "$art/." "$dest/"
        found=1
      done
      if [ -z "$found" ]; then echo "no valid artifacts found to download" >&2; exit 1; fi
      exit 0
    fi
    if [ -n "$jqexpr" ]; then jq -r "$jqexpr" < "$file"
    elif [ -n "$out" ]; then cp "$file" "$out"
    else cat "$file"; fi
    exit 0
  fi
done < "$FAKE_ROUTES"
echo "fake $tool: no route for: $joined" >&2
if [ "$tool" = curl ]; then exit 22; fi
exit 1
`

// fakeCall is one recorded call of a fake tool.
type fakeCall struct {
	Args []string // the tool name, then its arguments
	Body string   // the body file it was given, if any
}

// ciHarness is what both recipe tests share: the emulated account, the
// fakes, the release the recipes download, and the artifacts of past runs.
type ciHarness struct {
	t          *testing.T
	root       string
	emu        *wechattest.Emulator
	apiBase    string
	fakeDir    string
	logDir     string
	routesFile string
	routes     []string // GLOB<TAB>FILE lines, most specific first
	wxmenu     string   // the test binary's wxmenu
	callsSeen  int
	seq        int // names scratch directories
}

func newCIHarness(t *testing.T) *ciHarness {
	t.Helper()
	if _, err := exec.LookPath("jq"); err != nil {
		t.Fatal("the recipe tests need jq (the GitLab recipe installs it with apk, and gh --jq is emulated with it): apt-get install jq")
	}
	wx, err := exec.LookPath("wxmenu")
	if err != nil {
		t.Fatalf("the test binary's wxmenu is not on PATH (set up by TestMain): %v", err)
	}
	emu := wechattest.New(wechattest.Config{Seed: 11})
	emu.SeedDemo()
	srv := httptest.NewServer(emu)
	t.Cleanup(srv.Close)
	root := t.TempDir()
	h := &ciHarness{
		t: t, root: root, emu: emu, apiBase: srv.URL, wxmenu: wx,
		fakeDir: filepath.Join(root, "fakes"), logDir: filepath.Join(root, "calls"),
		routesFile: filepath.Join(root, "routes"),
	}
	for _, d := range []string{h.fakeDir, h.logDir} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	for _, name := range []string{"curl", "gh", "apk"} {
		if err := os.WriteFile(filepath.Join(h.fakeDir, name), []byte(fakeTool), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	h.writeRoutes()
	return h
}

// file writes content under the harness root and returns its path.
func (h *ciHarness) file(name, content string) string {
	h.t.Helper()
	p := filepath.Join(h.root, "files", name)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		h.t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		h.t.Fatal(err)
	}
	return p
}

// route answers calls matching glob with the file at path; later routes
// take precedence over earlier ones with the same glob. A route added
// later is tried first, so a narrower glob added after a broad one wins.
func (h *ciHarness) route(glob, path string) {
	h.t.Helper()
	kept := h.routes[:0]
	for _, r := range h.routes {
		if !strings.HasPrefix(r, glob+"\t") {
			kept = append(kept, r)
		}
	}
	h.routes = append([]string{glob + "\t" + path}, kept...)
	h.writeRoutes()
}

// refuse makes calls matching glob fail with message, as the forge
// refuses a request (a write the token may not make, an endpoint its kind
// of token cannot read).
func (h *ciHarness) refuse(glob, message string) {
	h.t.Helper()
	h.route(glob, "!"+message)
}

func (h *ciHarness) writeRoutes() {
	h.t.Helper()
	if err := os.WriteFile(h.routesFile, []byte(strings.Join(h.routes, "\n")+"\n"), 0o644); err != nil {
		h.t.Fatal(err)
	}
}

// calls returns the fake-tool calls made since the last call of calls.
func (h *ciHarness) calls() []fakeCall {
	h.t.Helper()
	var out []fakeCall
	for n := h.callsSeen + 1; ; n++ {
		id := fmt.Sprintf("%03d", n)
		args, err := os.ReadFile(filepath.Join(h.logDir, id+".args"))
		if errors.Is(err, os.ErrNotExist) {
			break
		}
		if err != nil {
			h.t.Fatal(err)
		}
		c := fakeCall{Args: strings.Split(strings.TrimSuffix(string(args), "\x00"), "\x00")}
		if body, err := os.ReadFile(filepath.Join(h.logDir, id+".body")); err == nil {
			c.Body = string(body)
		}
		out = append(out, c)
		h.callsSeen = n
	}
	return out
}

// release builds the archive and checksums file of a wxmenu release as
// GoReleaser names them (.goreleaser.yaml) and routes their download URLs.
// The archive holds a wrapper that runs the test binary as wxmenu.
func (h *ciHarness) release(version, platform string) (archive, checksums string) {
	h.t.Helper()
	v := strings.TrimPrefix(version, "v")
	var buf bytes.Buffer
	gz := gzip.NewWriter(&buf)
	tw := tar.NewWriter(gz)
	for _, f := range []struct {
		name string
		mode int64
		body string
	}{
		{"README.md", 0o644, "wxmenu\n"},
		{"wxmenu", 0o755, "#!/bin/sh\nexec '" + h.wxmenu + "' \"$@\"\n"},
	} {
		if err := tw.WriteHeader(&tar.Header{Name: f.name, Mode: f.mode, Size: int64(len(f.body)), Typeflag: tar.TypeReg}); err != nil {
			h.t.Fatal(err)
		}
		if _, err := tw.Write([]byte(f.body)); err != nil {
			h.t.Fatal(err)
		}
	}
	if err := tw.Close(); err != nil {
		h.t.Fatal(err)
	}
	if err := gz.Close(); err != nil {
		h.t.Fatal(err)
	}
	name := fmt.Sprintf("wxmenu_%s_%s.tar.gz", v, platform)
	sum := sha256.Sum256(buf.Bytes())
	archive = h.file("release/"+name, buf.String())
	sums := fmt.Sprintf("%s  wxmenu_%s_darwin_arm64.tar.gz\n%s  %s\n", strings.Repeat("0", 64), v, hex.EncodeToString(sum[:]), name)
	checksums = h.file("release/checksums.txt", sums)
	base := "https://github.com/wxmenu/wxmenu/releases/download/v" + v + "/"
	h.route("curl * "+base+name, archive)
	h.route("curl * "+base+"wxmenu_"+v+"_checksums.txt", checksums)
	return archive, checksums
}

// cli runs the test binary's wxmenu against the emulated account (to change
// the account behind the pipelines' back, or to check it).
func (h *ciHarness) cli(dir string, args ...string) (int, string) {
	h.t.Helper()
	cmd := exec.Command(h.wxmenu, args...)
	cmd.Dir = dir
	cmd.Env = []string{
		"PATH=" + systemPath, "HOME=" + h.root, "XDG_STATE_HOME=" + filepath.Join(h.root, "cli-state"), "NO_COLOR=1",
		"WECHAT_APPID=" + wechattest.DefaultAppID, "WECHAT_APPSECRET=" + wechattest.DefaultSecret, "WECHAT_API_BASE=" + h.apiBase,
	}
	out, err := cmd.CombinedOutput()
	var ee *exec.ExitError
	if err != nil && !errors.As(err, &ee) {
		h.t.Fatalf("wxmenu %v: %v", args, err)
	}
	return cmd.ProcessState.ExitCode(), string(out)
}

// mutatingCalls counts the emulator's calls that change the account.
func (h *ciHarness) mutatingCalls() int {
	n := 0
	for ep, c := range h.emu.Calls() {
		switch ep {
		case "menu/create", "menu/delete", "menu/addconditional", "menu/delconditional":
			n += c
		}
	}
	return n
}

// workspace is a fresh checkout: a directory holding the given files.
func (h *ciHarness) workspace(name string, files map[string]string) string {
	h.t.Helper()
	dir := filepath.Join(h.root, "ws", name)
	for f, content := range files {
		p := filepath.Join(dir, f)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			h.t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			h.t.Fatal(err)
		}
	}
	return dir
}

// runShell runs a script with the given interpreter in dir and returns its
// exit code and combined output.
func (h *ciHarness) runShell(dir string, env []string, interpreter []string, script string) (int, string) {
	h.t.Helper()
	f, err := os.CreateTemp(h.root, "step-*.sh")
	if err != nil {
		h.t.Fatal(err)
	}
	if _, err := f.WriteString(script); err != nil {
		h.t.Fatal(err)
	}
	f.Close()
	// A bound against a hung step, not a timing assertion.
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, interpreter[0], append(interpreter[1:], f.Name())...)
	cmd.Dir = dir
	cmd.Env = env
	out, err := cmd.CombinedOutput()
	var ee *exec.ExitError
	if err != nil && !errors.As(err, &ee) {
		h.t.Fatalf("running a step: %v", err)
	}
	return cmd.ProcessState.ExitCode(), string(out)
}

// baseEnv is what every step sees besides the platform's variables.
func (h *ciHarness) baseEnv(home string) []string {
	return []string{
		"HOME=" + home, "XDG_STATE_HOME=" + filepath.Join(home, ".state"), "NO_COLOR=1", "LANG=C.UTF-8",
		"FAKE_LOG=" + h.logDir, "FAKE_ROUTES=" + h.routesFile,
		// Points the recipes' wxmenu at the emulator; a real pipeline uses
		// the default, WeChat's API.
		"WECHAT_API_BASE=" + h.apiBase,
	}
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	b, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Dir(to), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(to, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

// ---- expressions ----

// exprToken is a token of a GitHub Actions expression or a GitLab rules:if.
type exprToken struct {
	kind string // "op", "str", "ident", "var"
	text string
}

func tokenizeExpr(src string) ([]exprToken, error) {
	var toks []exprToken
	for i := 0; i < len(src); {
		c := src[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n':
			i++
		case strings.HasPrefix(src[i:], "==") || strings.HasPrefix(src[i:], "!=") || strings.HasPrefix(src[i:], "&&") || strings.HasPrefix(src[i:], "||"):
			toks = append(toks, exprToken{"op", src[i : i+2]})
			i += 2
		case c == '!' || c == '(' || c == ')':
			toks = append(toks, exprToken{"op", string(c)})
			i++
		case c == '\'' || c == '"':
			var b strings.Builder
			j := i + 1
			for ; j < len(src); j++ {
				if src[j] == c {
					if c == '\'' && j+1 < len(src) && src[j+1] == '\'' { // '' escapes ' in GitHub
						b.WriteByte(c)
						j++
						continue
					}
					break
				}
				b.WriteByte(src[j])
			}
			if j >= len(src) {
				return nil, fmt.Errorf("unterminated string in %q", src)
			}
			toks = append(toks, exprToken{"str", b.String()})
			i = j + 1
		default:
			j := i
			if c == '$' {
				j++
			}
			for j < len(src) && (src[j] == '_' || src[j] == '-' || src[j] == '.' || src[j] >= 'a' && src[j] <= 'z' || src[j] >= 'A' && src[j] <= 'Z' || src[j] >= '0' && src[j] <= '9') {
				j++
			}
			if j == i || (c == '$' && j == i+1) {
				return nil, fmt.Errorf("unsupported character %q in %q", c, src)
			}
			kind := "ident"
			if c == '$' {
				kind = "var"
			}
			toks = append(toks, exprToken{kind, src[i:j]})
			i = j
		}
	}
	return toks, nil
}

// exprParser evaluates == != && || ! ( ) over operands resolved by
// operand: the subset of both platforms' expression languages the recipes
// use. Anything else is an error, so that the test learns of it.
type exprParser struct {
	toks    []exprToken
	pos     int
	operand func(exprToken, bool) (any, error) // the bool: followed by "(" (a function call)
}

func evalExpr(src string, operand func(exprToken, bool) (any, error)) (any, error) {
	toks, err := tokenizeExpr(src)
	if err != nil {
		return nil, err
	}
	p := &exprParser{toks: toks, operand: operand}
	v, err := p.or()
	if err == nil && p.pos != len(p.toks) {
		err = fmt.Errorf("unexpected %q in %q", p.toks[p.pos].text, src)
	}
	return v, err
}

func (p *exprParser) peek(op string) bool {
	return p.pos < len(p.toks) && p.toks[p.pos].kind == "op" && p.toks[p.pos].text == op
}

func (p *exprParser) or() (any, error) {
	v, err := p.and()
	for err == nil && p.peek("||") {
		p.pos++
		var r any
		if r, err = p.and(); err == nil {
			v = truthy(v) || truthy(r)
		}
	}
	return v, err
}

func (p *exprParser) and() (any, error) {
	v, err := p.unary()
	for err == nil && p.peek("&&") {
		p.pos++
		var r any
		if r, err = p.unary(); err == nil {
			v = truthy(v) && truthy(r)
		}
	}
	return v, err
}

func (p *exprParser) unary() (any, error) {
	if p.peek("!") {
		p.pos++
		v, err := p.unary()
		return !truthy(v), err
	}
	l, err := p.primary()
	if err != nil {
		return nil, err
	}
	for _, op := range []string{"==", "!="} {
		if p.peek(op) {
			p.pos++
			r, err := p.primary()
			if err != nil {
				return nil, err
			}
			// GitHub compares strings case-insensitively; the recipes never
			// rely on case.
			eq := strings.EqualFold(exprString(l), exprString(r))
			return eq == (op == "=="), nil
		}
	}
	return l, nil
}

func (p *exprParser) primary() (any, error) {
	if p.pos >= len(p.toks) {
		return nil, errors.New("unexpected end of expression")
	}
	tok := p.toks[p.pos]
	p.pos++
	switch {
	case tok.kind == "op" && tok.text == "(":
		v, err := p.or()
		if err != nil {
			return nil, err
		}
		if !p.peek(")") {
			return nil, errors.New("missing )")
		}
		p.pos++
		return v, nil
	case tok.kind == "str":
		return tok.text, nil
	case tok.kind == "ident" || tok.kind == "var":
		call := p.peek("(")
		if call {
			p.pos++
			if !p.peek(")") {
				return nil, fmt.Errorf("%s: only functions without arguments are supported", tok.text)
			}
			p.pos++
		}
		return p.operand(tok, call)
	}
	return nil, fmt.Errorf("unexpected %q", tok.text)
}

func truthy(v any) bool {
	switch v := v.(type) {
	case bool:
		return v
	case string:
		return v != ""
	case nil:
		return false
	}
	return true
}

func exprString(v any) string {
	switch v := v.(type) {
	case nil:
		return ""
	case string:
		return v
	case bool:
		return strconv.FormatBool(v)
	}
	return fmt.Sprint(v)
}

// lookupPath walks a dotted path through nested maps; missing is nil.
func lookupPath(ctx map[string]any, path string) any {
	var cur any = ctx
	for _, part := range strings.Split(path, ".") {
		m, ok := cur.(map[string]any)
		if !ok {
			return nil
		}
		cur = m[part]
	}
	return cur
}

// ---- GitHub Actions ----

type ghWorkflow struct {
	On          map[string]yaml.Node `yaml:"on"`
	Permissions yaml.Node            `yaml:"permissions"`
	Concurrency yaml.Node            `yaml:"concurrency"`
	Env         map[string]string    `yaml:"env"`
	Jobs        map[string]ghJob     `yaml:"jobs"`
}

type ghJob struct {
	If          string            `yaml:"if"`
	RunsOn      string            `yaml:"runs-on"`
	Environment string            `yaml:"environment"`
	Permissions map[string]string `yaml:"permissions"`
	Concurrency struct {
		Group            string `yaml:"group"`
		CancelInProgress bool   `yaml:"cancel-in-progress"`
	} `yaml:"concurrency"`
	Env   map[string]string `yaml:"env"`
	Steps []ghStep          `yaml:"steps"`
}

type ghStep struct {
	ID    string            `yaml:"id"`
	Name  string            `yaml:"name"`
	If    string            `yaml:"if"`
	Uses  string            `yaml:"uses"`
	Run   string            `yaml:"run"`
	Env   map[string]string `yaml:"env"`
	With  map[string]string `yaml:"with"`
	Shell string            `yaml:"shell"` // a composite action's run steps
	// ContinueOnError: a failed step does not fail the job (its outcome is
	// failure, its conclusion success).
	ContinueOnError bool `yaml:"continue-on-error"`
}

func (s ghStep) label() string {
	if s.Name != "" {
		return s.Name
	}
	if s.Uses != "" {
		return s.Uses
	}
	return s.ID
}

// ghEvent is what starts a workflow run.
type ghEvent struct {
	Name    string // pull_request, push, schedule, workflow_dispatch
	RunID   string
	SHA     string
	RefName string
	PR      int
	PRHead  string
	Fork    bool // a pull request from a fork: no secrets reach its jobs
	Inputs  map[string]string
	Files   map[string]string // the checkout
}

// context is the expression context of a run: github, secrets, inputs,
// runner, env, steps.
func (r *ghRunner) context(ev ghEvent) map[string]any {
	github := map[string]any{
		"repository":   r.repo,
		"event_name":   ev.Name,
		"sha":          ev.SHA,
		"ref_name":     ev.RefName,
		"run_id":       ev.RunID,
		"token":        r.token,
		"workflow":     "wxmenu",
		"workflow_ref": r.repo + "/" + r.workflowPath + "@refs/heads/main",
		"event":        map[string]any{"repository": map[string]any{"default_branch": "main"}},
	}
	if ev.Name == "pull_request" {
		headRepo := r.repo
		if ev.Fork {
			headRepo = "someone/" + path.Base(r.repo)
		}
		github["event"].(map[string]any)["pull_request"] = map[string]any{
			"number": strconv.Itoa(ev.PR), "head": map[string]any{"sha": ev.PRHead, "repo": map[string]any{"fork": ev.Fork, "full_name": headRepo}},
		}
	}
	inputs := map[string]any{}
	for k, v := range ev.Inputs {
		inputs[k] = v
	}
	// GitHub gives a pull request from a fork no secrets.
	secrets := map[string]any{}
	for k, v := range r.secrets {
		if !ev.Fork {
			secrets[k] = v
		}
	}
	vars := map[string]any{}
	for k, v := range r.vars {
		vars[k] = v
	}
	return map[string]any{
		"github": github, "secrets": secrets, "inputs": inputs, "vars": vars,
		"runner": map[string]any{"os": "Linux", "arch": "X64", "temp": "/tmp"},
		"env":    map[string]any{}, "steps": map[string]any{},
	}
}

// ghRunner runs jobs of the GitHub recipe.
type ghRunner struct {
	h            *ciHarness
	wf           ghWorkflow
	repo         string
	workflowPath string // where the user put the recipe: deliberately not wxmenu.yml
	token        string
	secrets      map[string]string            // repository secrets: every job reads them
	envSecrets   map[string]map[string]string // environment -> its secrets: only jobs naming it read them
	vars         map[string]string            // repository variables
	artifacts    map[string]map[string]string // run id -> artifact name -> directory
	lastEnv      []string                     // the environment of the last run step
}

// ghJobResult is what a job run left behind.
type ghJobResult struct {
	Failed    bool
	Steps     map[string]string            // step id -> outcome
	Outputs   map[string]map[string]string // step id -> outputs
	Ran       []string                     // steps run, by label
	Env       map[string][]string          // run step label -> its environment (NAME=value)
	Log       string
	Summary   string
	Workspace string
}

func ghEval(ctx map[string]any, jobFailed bool, src string) (any, error) {
	return evalExpr(src, func(tok exprToken, call bool) (any, error) {
		if call {
			switch tok.text {
			case "always":
				return true, nil
			case "success":
				return !jobFailed, nil
			case "failure":
				return jobFailed, nil
			case "cancelled":
				return false, nil
			}
			return nil, fmt.Errorf("function %s() is not emulated", tok.text)
		}
		if tok.kind != "ident" {
			return nil, fmt.Errorf("%s is not a GitHub expression", tok.text)
		}
		switch tok.text {
		case "true":
			return true, nil
		case "false":
			return false, nil
		case "null":
			return nil, nil
		}
		return lookupPath(ctx, tok.text), nil
	})
}

// ghInterpolate replaces each ${{ expr }} in s.
func ghInterpolate(t *testing.T, ctx map[string]any, s string) string {
	t.Helper()
	var b strings.Builder
	for {
		i := strings.Index(s, "${{")
		if i < 0 {
			b.WriteString(s)
			return b.String()
		}
		j := strings.Index(s[i:], "}}")
		if j < 0 {
			t.Fatalf("unterminated ${{ in %q", s)
		}
		v, err := ghEval(ctx, false, s[i+3:i+j])
		if err != nil {
			t.Fatalf("evaluating %q: %v", s[i:i+j+2], err)
		}
		b.WriteString(s[:i] + exprString(v))
		s = s[i+j+2:]
	}
}

// ghIf evaluates an if: condition; without a status function GitHub
// implies success() &&.
func ghIf(t *testing.T, ctx map[string]any, jobFailed bool, cond string) bool {
	t.Helper()
	if cond == "" {
		return !jobFailed
	}
	cond = strings.TrimSpace(cond)
	if strings.HasPrefix(cond, "${{") && strings.HasSuffix(cond, "}}") {
		cond = cond[3 : len(cond)-2]
	}
	if !strings.Contains(cond, "always()") && !strings.Contains(cond, "failure()") && !strings.Contains(cond, "success()") && !strings.Contains(cond, "cancelled()") {
		cond = "success() && (" + cond + ")"
	}
	v, err := ghEval(ctx, jobFailed, cond)
	if err != nil {
		t.Fatalf("if: %s: %v", cond, err)
	}
	return truthy(v)
}

// jobsFor returns the jobs an event starts, sorted.
func (r *ghRunner) jobsFor(ev ghEvent) []string {
	r.h.t.Helper()
	ctx := r.context(ev)
	var names []string
	for name, j := range r.wf.Jobs {
		if ghIf(r.h.t, ctx, false, j.If) {
			names = append(names, name)
		}
	}
	sort.Strings(names)
	return names
}

// runJob runs one job of the workflow for ev in a fresh workspace.
func (r *ghRunner) runJob(name string, ev ghEvent) ghJobResult {
	h := r.h
	t := h.t
	t.Helper()
	job, ok := r.wf.Jobs[name]
	if !ok {
		t.Fatalf("no job %s", name)
	}
	ws := h.workspace(ev.RunID+"-"+name, ev.Files)
	home := filepath.Join(h.root, "home", ev.RunID+"-"+name)
	runnerDir := filepath.Join(h.root, "runner", ev.RunID+"-"+name)
	for _, d := range []string{home, runnerDir} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	pathFile := filepath.Join(runnerDir, "path")
	envFile := filepath.Join(runnerDir, "env")
	summaryFile := filepath.Join(runnerDir, "summary.md")
	for _, f := range []string{pathFile, envFile, summaryFile} {
		if err := os.WriteFile(f, nil, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	jf := ghJobFiles{ws: ws, home: home, runnerDir: runnerDir, pathFile: pathFile, envFile: envFile, summaryFile: summaryFile}
	ctx := r.context(ev)
	// runner.temp is the job's RUNNER_TEMP.
	ctx["runner"].(map[string]any)["temp"] = runnerDir
	// An environment's secrets reach only the jobs that name it, and win
	// over a repository secret of the same name.
	for k, v := range r.envSecrets[job.Environment] {
		ctx["secrets"].(map[string]any)[k] = v
	}
	env := map[string]string{}
	for k, v := range r.wf.Env {
		env[k] = ghInterpolate(t, ctx, v)
	}
	for k, v := range job.Env {
		env[k] = ghInterpolate(t, ctx, v)
	}
	res := ghJobResult{Steps: map[string]string{}, Outputs: map[string]map[string]string{}, Env: map[string][]string{}, Workspace: ws}
	steps := ctx["steps"].(map[string]any)
	var log strings.Builder
	for i, st := range job.Steps {
		envCtx := map[string]any{}
		for k, v := range env {
			envCtx[k] = v
		}
		ctx["env"] = envCtx
		if !ghIf(t, ctx, res.Failed, st.If) {
			if st.ID != "" {
				steps[st.ID] = map[string]any{"outcome": "skipped", "outputs": map[string]any{}}
				res.Steps[st.ID] = "skipped"
			}
			continue
		}
		res.Ran = append(res.Ran, st.label())
		outputFile := filepath.Join(runnerDir, fmt.Sprintf("output-%d", i))
		if err := os.WriteFile(outputFile, nil, 0o644); err != nil {
			t.Fatal(err)
		}
		ok := true
		switch {
		case st.Uses != "":
			with := map[string]string{}
			for k, v := range st.With {
				with[k] = ghInterpolate(t, ctx, v)
			}
			var msg string
			if isWxmenuAction(st.Uses) {
				stEnv := map[string]string{}
				for k, v := range st.Env {
					stEnv[k] = ghInterpolate(t, ctx, v)
				}
				r.lastEnv = nil
				ok, msg = r.runAction(jf, env, stEnv, with, outputFile, ev)
				// The environment of the Action's last shell step.
				res.Env[st.label()] = r.lastEnv
			} else {
				ok, msg = r.action(st.Uses, with, ws, ev)
			}
			fmt.Fprintf(&log, "--- %s\n%s\n", st.label(), msg)
		case st.Run != "":
			stEnv := map[string]string{}
			for k, v := range st.Env {
				stEnv[k] = ghInterpolate(t, ctx, v)
			}
			code, out := r.runScript(jf, env, stEnv, outputFile, ghInterpolate(t, ctx, st.Run), ev)
			res.Env[st.label()] = r.lastEnv
			fmt.Fprintf(&log, "--- %s (exit %d)\n%s", st.label(), code, out)
			ok = code == 0
		default:
			t.Fatalf("step %d of job %s has neither run nor uses", i, name)
		}
		outputs := parseKeyValues(readFile(t, outputFile))
		outCtx := map[string]any{}
		for k, v := range outputs {
			outCtx[k] = v
		}
		outcome := "success"
		if !ok {
			outcome = "failure"
			if !st.ContinueOnError {
				res.Failed = true
			}
		}
		if st.ID != "" {
			steps[st.ID] = map[string]any{"outcome": outcome, "outputs": outCtx}
			res.Steps[st.ID] = outcome
			res.Outputs[st.ID] = outputs
		}
	}
	res.Log = log.String()
	res.Summary = readFile(t, summaryFile)
	return res
}

// ghJobFiles are a job's workspace, home and the runner's files.
type ghJobFiles struct {
	ws, home, runnerDir            string
	pathFile, envFile, summaryFile string
}

// runScript runs a run step's script with bash, as GitHub's default shell
// on Linux runners does: job env is the job's environment (updated from
// GITHUB_ENV), stepEnv the step's own env: block, already interpolated.
func (r *ghRunner) runScript(jf ghJobFiles, env, stepEnv map[string]string, outputFile, script string, ev ghEvent) (int, string) {
	h := r.h
	t := h.t
	t.Helper()
	procEnv := h.baseEnv(jf.home)
	var paths []string
	for _, line := range strings.Split(strings.TrimSpace(readFile(t, jf.pathFile)), "\n") {
		if line != "" {
			paths = append([]string{line}, paths...)
		}
	}
	procEnv = append(procEnv, "PATH="+strings.Join(append(append([]string{h.fakeDir}, paths...), systemPath), ":"))
	for k, v := range parseKeyValues(readFile(t, jf.envFile)) {
		env[k] = v
	}
	vars := map[string]string{
		"CI": "true", "GITHUB_ACTIONS": "true", "GITHUB_REPOSITORY": r.repo, "GITHUB_SHA": ev.SHA,
		"GITHUB_REF_NAME": ev.RefName, "GITHUB_EVENT_NAME": ev.Name, "GITHUB_RUN_ID": ev.RunID, "GITHUB_SERVER_URL": "https://github.com",
		"GITHUB_WORKFLOW_REF": r.repo + "/" + r.workflowPath + "@refs/heads/main", "GITHUB_WORKSPACE": jf.ws,
		"GITHUB_OUTPUT": outputFile, "GITHUB_PATH": jf.pathFile, "GITHUB_ENV": jf.envFile, "GITHUB_STEP_SUMMARY": jf.summaryFile,
		"RUNNER_OS": "Linux", "RUNNER_ARCH": "X64", "RUNNER_TEMP": jf.runnerDir,
	}
	for k, v := range env {
		vars[k] = v
	}
	for k, v := range stepEnv {
		vars[k] = v
	}
	for k, v := range vars {
		procEnv = append(procEnv, k+"="+v)
	}
	r.lastEnv = procEnv
	return h.runShell(jf.ws, procEnv, []string{"bash", "--noprofile", "--norc", "-eo", "pipefail"}, script)
}

// action emulates the actions the recipe uses.
func (r *ghRunner) action(uses string, with map[string]string, ws string, ev ghEvent) (bool, string) {
	t := r.h.t
	t.Helper()
	name, _, _ := strings.Cut(uses, "@")
	switch name {
	case "actions/checkout", "actions/cache":
		// The workspace is already the checkout; the cache always misses,
		// so every job runs the install step.
		return true, ""
	case "actions/upload-artifact":
		src := filepath.Join(ws, with["path"])
		if _, err := os.Stat(src); err != nil {
			if with["if-no-files-found"] == "error" {
				return false, "no file at " + with["path"]
			}
			return true, "nothing to upload"
		}
		if r.artifacts[ev.RunID] == nil {
			r.artifacts[ev.RunID] = map[string]string{}
		}
		dir := filepath.Join(r.h.root, "artifacts", ev.RunID, with["name"])
		copyFile(t, src, filepath.Join(dir, filepath.Base(src)))
		r.artifacts[ev.RunID][with["name"]] = dir
		return true, "uploaded " + with["name"]
	case "actions/download-artifact":
		run := with["run-id"]
		if run == "" {
			run = ev.RunID
		} else if with["github-token"] == "" {
			return false, "run-id needs github-token"
		}
		dir, ok := r.artifacts[run][with["name"]]
		if !ok {
			return false, fmt.Sprintf("no artifact %q in run %q", with["name"], run)
		}
		entries, err := os.ReadDir(dir)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range entries {
			copyFile(t, filepath.Join(dir, e.Name()), filepath.Join(ws, e.Name()))
		}
		return true, "downloaded " + with["name"] + " from run " + run
	}
	t.Fatalf("the recipe uses %s, which the test does not emulate: teach ghRunner.action", uses)
	return false, ""
}

// parseKeyValues reads GITHUB_OUTPUT and GITHUB_ENV files (key=value, and
// key<<DELIM heredocs).
func parseKeyValues(s string) map[string]string {
	out := map[string]string{}
	lines := strings.Split(s, "\n")
	for i := 0; i < len(lines); i++ {
		line := lines[i]
		if k, delim, ok := strings.Cut(line, "<<"); ok && !strings.Contains(k, "=") {
			var val []string
			for i++; i < len(lines) && lines[i] != delim; i++ {
				val = append(val, lines[i])
			}
			out[k] = strings.Join(val, "\n")
			continue
		}
		if k, v, ok := strings.Cut(line, "="); ok {
			out[k] = v
		}
	}
	return out
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// ---- GitLab CI ----

// glJob is the part of a GitLab job the runner needs.
type glJob struct {
	Stage        string   `yaml:"stage"`
	Script       []string `yaml:"script"`
	BeforeScript []string `yaml:"before_script"`
	Rules        []struct {
		If           string    `yaml:"if"`
		When         string    `yaml:"when"`
		AllowFailure yaml.Node `yaml:"allow_failure"`
	} `yaml:"rules"`
	Needs []struct {
		Job       string `yaml:"job"`
		Artifacts bool   `yaml:"artifacts"`
	} `yaml:"needs"`
	ResourceGroup string    `yaml:"resource_group"`
	Interruptible *bool     `yaml:"interruptible"`
	AllowFailure  yaml.Node `yaml:"allow_failure"`
	Artifacts     struct {
		When  string   `yaml:"when"`
		Paths []string `yaml:"paths"`
	} `yaml:"artifacts"`
	Variables map[string]string `yaml:"variables"`
}

// glPipeline is the recipe: its global parts and its jobs.
type glPipeline struct {
	Variables map[string]string
	Default   struct {
		Image        string   `yaml:"image"`
		BeforeScript []string `yaml:"before_script"`
	}
	Stages []string
	Jobs   map[string]glJob
}

// glReserved are the top-level keys that are not jobs.
var glReserved = map[string]bool{"variables": true, "default": true, "stages": true, "workflow": true, "include": true, "image": true, "services": true, "before_script": true, "after_script": true, "cache": true}

func loadGitLabPipeline(t *testing.T, path string) glPipeline {
	t.Helper()
	var raw map[string]yaml.Node
	if err := yaml.Unmarshal([]byte(readFile(t, path)), &raw); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	p := glPipeline{Jobs: map[string]glJob{}}
	decode := func(key string, v any) {
		if n, ok := raw[key]; ok {
			if err := n.Decode(v); err != nil {
				t.Fatalf("%s: %s: %v", path, key, err)
			}
		}
	}
	decode("variables", &p.Variables)
	decode("default", &p.Default)
	decode("stages", &p.Stages)
	for name := range raw {
		if glReserved[name] || strings.HasPrefix(name, ".") {
			continue
		}
		var j glJob
		decode(name, &j)
		p.Jobs[name] = j
	}
	return p
}

// glJobToken is the CI_JOB_TOKEN of every job.
const glJobToken = "glcbt-recipe-test-job-token"

// glEvent is what starts a pipeline.
type glEvent struct {
	Source     string // merge_request_event, push, schedule
	PipelineID string
	SHA        string
	Branch     string // CI_COMMIT_BRANCH (not set in merge request pipelines)
	MR         int
	Files      map[string]string
	// Fork: a merge request from a fork, whose pipeline runs in the fork
	// (project 77) with none of the project's variables, or, InParent, in
	// the project, where protected variables still do not reach its ref.
	Fork, InParent bool
}

// glRunner runs jobs of the GitLab recipe.
type glRunner struct {
	h         *ciHarness
	p         glPipeline
	settings  map[string]string            // the project's CI/CD variables
	protected map[string]bool              // those given only to protected branches (never to a merge request's ref)
	artifacts map[string]map[string]string // pipeline id -> job -> directory
}

func (r *glRunner) vars(ev glEvent) map[string]string {
	v := map[string]string{
		"CI": "true", "GITLAB_CI": "true", "CI_PIPELINE_SOURCE": ev.Source, "CI_PIPELINE_ID": ev.PipelineID,
		"CI_PIPELINE_URL": "https://gitlab.example.com/acme/menus/-/pipelines/" + ev.PipelineID,
		"CI_JOB_URL":      "https://gitlab.example.com/acme/menus/-/jobs/9" + ev.PipelineID,
		"CI_COMMIT_SHA":   ev.SHA, "CI_COMMIT_SHORT_SHA": ev.SHA[:8], "CI_DEFAULT_BRANCH": "main",
		"CI_API_V4_URL": "https://gitlab.example.com/api/v4", "CI_PROJECT_ID": "42", "CI_PROJECT_PATH": "acme/menus",
	}
	if ev.Branch != "" {
		v["CI_COMMIT_BRANCH"] = ev.Branch
		v["CI_COMMIT_REF_NAME"] = ev.Branch
	}
	v["CI_JOB_TOKEN"] = glJobToken
	if ev.MR != 0 {
		v["CI_MERGE_REQUEST_IID"] = strconv.Itoa(ev.MR)
		v["CI_COMMIT_REF_NAME"] = fmt.Sprintf("refs/merge-requests/%d/head", ev.MR)
		v["CI_MERGE_REQUEST_PROJECT_ID"] = "42"
		v["CI_MERGE_REQUEST_SOURCE_PROJECT_ID"] = "42"
		v["CI_MERGE_REQUEST_TARGET_BRANCH_NAME"] = "main"
		if ev.Fork {
			v["CI_MERGE_REQUEST_SOURCE_PROJECT_ID"] = "77"
			if !ev.InParent {
				v["CI_PROJECT_ID"], v["CI_PROJECT_PATH"] = "77", "someone/menus"
			}
		}
	}
	for k, val := range r.p.Variables {
		v[k] = val
	}
	if ev.Fork && !ev.InParent {
		return v // the fork's pipeline: none of the project's variables
	}
	for k, val := range r.settings {
		// A merge request's ref is never a protected branch.
		if ev.MR != 0 && r.protected[k] {
			continue
		}
		v[k] = val
	}
	return v
}

// glRule returns how a job is started for ev: "" when it is not in the
// pipeline, else on_success or manual.
func (r *glRunner) glRule(name string, ev glEvent) string {
	t := r.h.t
	t.Helper()
	vars := r.vars(ev)
	for _, rule := range r.p.Jobs[name].Rules {
		v, err := evalExpr(rule.If, func(tok exprToken, call bool) (any, error) {
			if tok.kind != "var" || call {
				return nil, fmt.Errorf("%s: only $VARIABLES and strings are emulated", tok.text)
			}
			val, ok := vars[strings.TrimPrefix(tok.text, "$")]
			if !ok {
				return nil, nil
			}
			return val, nil
		})
		if err != nil {
			t.Fatalf("%s: rules: if: %s: %v", name, rule.If, err)
		}
		// `changes:` is taken as matched: every test event changes menus.yaml.
		if truthy(v) {
			if rule.When == "never" {
				return ""
			}
			if rule.When == "" {
				return "on_success"
			}
			return rule.When
		}
	}
	return ""
}

// jobsFor returns the jobs in the pipeline for ev, with how each starts.
func (r *glRunner) jobsFor(ev glEvent) map[string]string {
	out := map[string]string{}
	for name := range r.p.Jobs {
		if w := r.glRule(name, ev); w != "" {
			out[name] = w
		}
	}
	return out
}

type glJobResult struct {
	Code      int
	Log       string
	Workspace string
	Env       []string // the job's environment (NAME=value)
}

// runJob runs a job's before_script and script in one sh, as the runner
// does, in a fresh checkout holding the artifacts of the jobs it needs.
func (r *glRunner) runJob(name string, ev glEvent) glJobResult {
	h := r.h
	t := h.t
	t.Helper()
	job := r.p.Jobs[name]
	ws := h.workspace("gl-"+ev.PipelineID+"-"+name, ev.Files)
	for _, n := range job.Needs {
		if !n.Artifacts {
			continue
		}
		dir := r.artifacts[ev.PipelineID][n.Job]
		entries, _ := os.ReadDir(dir)
		for _, e := range entries {
			copyFile(t, filepath.Join(dir, e.Name()), filepath.Join(ws, e.Name()))
		}
	}
	home := filepath.Join(h.root, "home", "gl-"+ev.PipelineID+"-"+name)
	if err := os.MkdirAll(home, 0o755); err != nil {
		t.Fatal(err)
	}
	env := append(h.baseEnv(home), "PATH="+h.fakeDir+":"+systemPath, "CI_PROJECT_DIR="+ws)
	for k, v := range r.vars(ev) {
		env = append(env, k+"="+v)
	}
	for k, v := range job.Variables {
		env = append(env, k+"="+v)
	}
	before := job.BeforeScript
	if before == nil {
		before = r.p.Default.BeforeScript
	}
	script := strings.Join(append(append([]string{}, before...), job.Script...), "\n") + "\n"
	// The alpine image's shell is busybox sh; dash, Debian's sh, is as
	// strict about bashisms. -e: a failing line fails the job.
	code, out := h.runShell(ws, env, []string{"sh", "-e"}, script)
	if job.Artifacts.When == "always" || code == 0 {
		dir := filepath.Join(h.root, "gl-artifacts", ev.PipelineID, name)
		for _, p := range job.Artifacts.Paths {
			if _, err := os.Stat(filepath.Join(ws, p)); err == nil {
				copyFile(t, filepath.Join(ws, p), filepath.Join(dir, p))
			}
		}
		if r.artifacts[ev.PipelineID] == nil {
			r.artifacts[ev.PipelineID] = map[string]string{}
		}
		r.artifacts[ev.PipelineID][name] = dir
	}
	return glJobResult{Code: code, Log: out, Workspace: ws, Env: env}
}

// allowedExitCodes returns a job's allow_failure: exit_codes.
func (j glJob) allowedExitCodes(t *testing.T) []int {
	t.Helper()
	var af struct {
		ExitCodes []int `yaml:"exit_codes"`
	}
	if j.AllowFailure.Kind == yaml.MappingNode {
		if err := j.AllowFailure.Decode(&af); err != nil {
			t.Fatal(err)
		}
	}
	return af.ExitCodes
}

package main

// The GitHub Action (action.yml) is run here the way the recipe tests run
// the recipes (recipes_harness_test.go): a workflow step `uses:
// wxmenu/wxmenu@…` runs the action's own steps, its shell steps with bash
// against the emulator, its release download from the fake release server,
// and its outputs read back through the workflow's steps context.

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"gopkg.in/yaml.v3"

	"github.com/wxmenu/wxmenu/wechat/wechattest"
)

const actionFile = "action.yml"

// ghAction is the part of action.yml the runner needs.
type ghAction struct {
	Inputs map[string]struct {
		Required bool   `yaml:"required"`
		Default  string `yaml:"default"`
	} `yaml:"inputs"`
	Outputs map[string]struct {
		Value string `yaml:"value"`
	} `yaml:"outputs"`
	Runs struct {
		Using string   `yaml:"using"`
		Steps []ghStep `yaml:"steps"`
	} `yaml:"runs"`
}

func loadAction(t *testing.T) ghAction {
	t.Helper()
	var a ghAction
	if err := yaml.Unmarshal([]byte(readFile(t, actionFile)), &a); err != nil {
		t.Fatalf("%s: %v", actionFile, err)
	}
	if a.Runs.Using != "composite" {
		t.Fatalf("%s: runs.using = %q, want composite", actionFile, a.Runs.Using)
	}
	return a
}

// isWxmenuAction tells whether a step's uses: is this repository's action.
func isWxmenuAction(uses string) bool {
	name, _, _ := strings.Cut(uses, "@")
	return name == "wxmenu/wxmenu" || uses == "./"
}

// runAction runs action.yml as GitHub runs a composite action: its inputs
// from with: and their defaults, its own steps context, the job's
// environment plus the calling step's env: (stepEnv), and its outputs
// written to the calling step's GITHUB_OUTPUT.
func (r *ghRunner) runAction(jf ghJobFiles, env, stepEnv, with map[string]string, outputFile string, ev ghEvent) (bool, string) {
	t := r.h.t
	t.Helper()
	a := loadAction(t)
	inputs := map[string]any{}
	for name, in := range a.Inputs {
		inputs[name] = in.Default
	}
	for name, v := range with {
		if _, ok := a.Inputs[name]; !ok {
			t.Fatalf("with: %s is not an input of %s", name, actionFile)
		}
		inputs[name] = v
	}
	actionPath, err := filepath.Abs(".")
	if err != nil {
		t.Fatal(err)
	}
	ctx := r.context(ev)
	ctx["runner"].(map[string]any)["temp"] = jf.runnerDir
	ctx["inputs"] = inputs
	ctx["github"].(map[string]any)["action_path"] = actionPath
	envCtx := map[string]any{}
	for k, v := range env {
		envCtx[k] = v
	}
	for k, v := range stepEnv {
		envCtx[k] = v
	}
	ctx["env"] = envCtx
	steps := ctx["steps"].(map[string]any)
	var log strings.Builder
	failed := false
	for i, st := range a.Runs.Steps {
		if !ghIf(t, ctx, failed, st.If) {
			if st.ID != "" {
				steps[st.ID] = map[string]any{"outcome": "skipped", "outputs": map[string]any{}}
			}
			continue
		}
		label := ghInterpolate(t, ctx, st.label())
		out := filepath.Join(jf.runnerDir, fmt.Sprintf("action-output-%d-%d", r.h.seq, i))
		r.h.seq++
		if err := os.WriteFile(out, nil, 0o644); err != nil {
			t.Fatal(err)
		}
		ok := true
		switch {
		case st.Uses != "":
			w := map[string]string{}
			for k, v := range st.With {
				w[k] = ghInterpolate(t, ctx, v)
			}
			var msg string
			ok, msg = r.action(st.Uses, w, jf.ws, ev)
			fmt.Fprintf(&log, "  --- %s\n%s\n", label, msg)
		case st.Run != "":
			if st.Shell != "bash" {
				t.Fatalf("%s: step %q: shell %q; the test runs bash only", actionFile, label, st.Shell)
			}
			stEnv := map[string]string{"GITHUB_ACTION_PATH": actionPath}
			for k, v := range stepEnv {
				stEnv[k] = v
			}
			for k, v := range st.Env {
				stEnv[k] = ghInterpolate(t, ctx, v)
			}
			code, o := r.runScript(jf, env, stEnv, out, ghInterpolate(t, ctx, st.Run), ev)
			fmt.Fprintf(&log, "  --- %s (exit %d)\n%s", label, code, o)
			ok = code == 0
		default:
			t.Fatalf("%s: step %d has neither run nor uses", actionFile, i)
		}
		outCtx := map[string]any{}
		for k, v := range parseKeyValues(readFile(t, out)) {
			outCtx[k] = v
		}
		outcome := "success"
		if !ok {
			outcome = "failure"
			failed = true
		}
		if st.ID != "" {
			steps[st.ID] = map[string]any{"outcome": outcome, "outputs": outCtx}
		}
	}
	// GitHub evaluates the outputs whether or not a step failed.
	var outputs strings.Builder
	for name, o := range a.Outputs {
		fmt.Fprintf(&outputs, "%s<<EOF_ACTION\n%s\nEOF_ACTION\n", name, ghInterpolate(t, ctx, o.Value))
	}
	f, err := os.OpenFile(outputFile, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.WriteString(outputs.String()); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	return !failed, log.String()
}

// actionWorkflow is a workflow of one job per entry: checkout, the action
// with the given inputs and the secrets, and a step that runs wxmenu from
// PATH, as a step after the action can.
func actionWorkflow(jobs map[string]map[string]string, secrets ...string) ghWorkflow {
	wf := ghWorkflow{Jobs: map[string]ghJob{}}
	env := map[string]string{}
	for _, s := range secrets {
		env[s] = "${{ secrets." + s + " }}"
	}
	for name, with := range jobs {
		wf.Jobs[name] = ghJob{RunsOn: "ubuntu-latest", Steps: []ghStep{
			{Uses: "actions/checkout@v4"},
			{ID: "wxmenu", Uses: "wxmenu/wxmenu@v1", With: with, Env: env},
			{ID: "after", Name: "wxmenu on PATH", Run: "wxmenu --version"},
		}}
	}
	return wf
}

const actionTestVersion = "v0.1.0"

func TestActionRuns(t *testing.T) {
	t.Parallel()
	h := newCIHarness(t)
	archive, _ := h.release(actionTestVersion, "linux_amd64")
	base, change, outOfBand, blocked := menuFiles(t)
	wf := actionWorkflow(map[string]map[string]string{
		"plan":   {"version": actionTestVersion, "command": "plan", "file": "menus.yaml", "args": "--out plan.json"},
		"apply":  {"version": actionTestVersion, "command": "apply", "args": "--audit-log audit.jsonl\nplan.json"},
		"drift":  {"version": actionTestVersion, "command": "drift", "file": "menus.yaml"},
		"export": {"version": actionTestVersion, "command": "export", "file": "menus.yaml", "args": "--snapshot snapshot.json"},
	}, "WECHAT_APPID", "WECHAT_APPSECRET")
	r := &ghRunner{
		h: h, wf: wf, repo: "acme/menus", workflowPath: ".github/workflows/menus.yml", token: "ghs_recipe_test_token",
		secrets:   map[string]string{"WECHAT_APPID": wechattest.DefaultAppID, "WECHAT_APPSECRET": wechattest.DefaultSecret},
		artifacts: map[string]map[string]string{},
	}
	run := 0
	runJob := func(t *testing.T, job string, files map[string]string) ghJobResult {
		t.Helper()
		h.t = t
		run++
		res := r.runJob(job, ghEvent{Name: "push", RunID: fmt.Sprint(500 + run), SHA: strings.Repeat("c", 40), RefName: "main", Files: files})
		noSecretIn(t, job+" log", res.Log)
		noSecretIn(t, job+" summary", res.Summary)
		return res
	}
	wantOutputs := func(t *testing.T, res ghJobResult, command, code, changes string) {
		t.Helper()
		got := res.Outputs["wxmenu"]
		if got["exit-code"] != code || got["has-changes"] != changes {
			t.Errorf("outputs exit-code=%q has-changes=%q, want %s and %s\n%s", got["exit-code"], got["has-changes"], code, changes, res.Log)
		}
		// plan: one part, the summary; apply, drift and export: none.
		if dir := got["markdown-dir"]; (command == "plan") == (dir == "") {
			t.Errorf("markdown-dir = %q after %s", dir, command)
		} else if dir != "" {
			if part := readFile(t, filepath.Join(dir, "plan-part-1.md")); part != res.Summary {
				t.Errorf("the summary is not part 1 of markdown-dir:\n%s\n---\n%s", res.Summary, part)
			}
			if _, err := os.Stat(filepath.Join(dir, "plan-part-2.md")); err == nil {
				t.Errorf("one account's plan has a second part")
			}
		}
	}
	mustPass := func(t *testing.T, res ghJobResult) {
		t.Helper()
		if res.Failed || res.Steps["after"] != "success" {
			t.Fatalf("job failed (steps %v):\n%s", res.Steps, res.Log)
		}
	}
	// The account is base's to begin with.
	if code, out := h.cli(h.workspace("setup", map[string]string{"menus.yaml": base}), "apply", "-f", "menus.yaml", "--auto-approve"); code != 0 {
		t.Fatalf("setting the account up: exit %d\n%s", code, out)
	}

	var planFile string
	t.Run("plan with changes: has-changes, the Markdown in the summary, the step passes", func(t *testing.T) {
		before := h.mutatingCalls()
		res := runJob(t, "plan", map[string]string{"menus.yaml": change})
		mustPass(t, res)
		wantOutputs(t, res, "plan", "2", "true")
		if !strings.Contains(res.Summary, "CHECKIN_DAILY") || !strings.HasPrefix(res.Summary, "<!--") {
			t.Errorf("the summary is not the plan's Markdown:\n%s", res.Summary)
		}
		if n := h.mutatingCalls() - before; n != 0 {
			t.Errorf("plan changed the account (%d calls)", n)
		}
		var downloads []string
		for _, c := range argsOf(h.calls(), "curl") {
			downloads = append(downloads, c[len(c)-1])
		}
		if len(downloads) != 2 || !strings.HasSuffix(downloads[0], filepath.Base(archive)) || !strings.HasSuffix(downloads[1], "_checksums.txt") {
			t.Errorf("downloads %v, want the archive then the checksums file", downloads)
		}
		planFile = readFile(t, filepath.Join(res.Workspace, "plan.json"))
	})
	if planFile == "" {
		t.Fatal("no plan to apply")
	}

	t.Run("apply of the saved plan, then drift in sync", func(t *testing.T) {
		res := runJob(t, "apply", map[string]string{"menus.yaml": change, "plan.json": planFile})
		mustPass(t, res)
		wantOutputs(t, res, "apply", "0", "false")
		if _, err := os.Stat(filepath.Join(res.Workspace, "audit.jsonl")); err != nil {
			t.Errorf("args did not reach apply (no audit log): %v", err)
		}
		if res.Summary != "" {
			t.Errorf("apply wrote to the summary:\n%s", res.Summary)
		}
		if code := checkDrift(t, h, change); code != 0 {
			t.Errorf("the account does not match after apply (exit %d)", code)
		}
		res = runJob(t, "drift", map[string]string{"menus.yaml": change})
		mustPass(t, res)
		wantOutputs(t, res, "drift", "0", "false")
	})

	t.Run("export --snapshot: the account's snapshot, read-only, in the log only", func(t *testing.T) {
		before := h.mutatingCalls()
		res := runJob(t, "export", map[string]string{"menus.yaml": change})
		mustPass(t, res)
		wantOutputs(t, res, "export", "0", "false")
		if n := h.mutatingCalls() - before; n != 0 {
			t.Errorf("export changed the account (%d calls)", n)
		}
		snap := readFile(t, filepath.Join(res.Workspace, "snapshot.json"))
		if !strings.Contains(snap, `"kind": "wxmenu-snapshot"`) || !strings.Contains(snap, wechattest.DefaultAppID) {
			t.Errorf("snapshot.json is not the account's snapshot:\n%s", snap)
		}
		noSecretIn(t, "the snapshot", snap)
		if res.Summary != "" {
			t.Errorf("export wrote to the summary:\n%s", res.Summary)
		}
	})

	t.Run("a stale plan fails the step with its exit code", func(t *testing.T) {
		res := runJob(t, "apply", map[string]string{"menus.yaml": change, "plan.json": planFile})
		if !res.Failed || res.Steps["after"] != "skipped" {
			t.Errorf("the job did not stop at the action (steps %v)", res.Steps)
		}
		wantOutputs(t, res, "apply", "3", "false")
	})

	t.Run("drift: exit 2 is has-changes, not a failure", func(t *testing.T) {
		outOfBandChange(t, h, outOfBand)
		res := runJob(t, "drift", map[string]string{"menus.yaml": change})
		mustPass(t, res)
		wantOutputs(t, res, "drift", "2", "true")
		if !strings.Contains(res.Summary, "### wxmenu drift: 1 account: 1 drifted") {
			t.Errorf("the summary is not drift's Markdown:\n%s", res.Summary)
		}
	})

	t.Run("a blocked plan fails the step, and its Markdown is still in the summary", func(t *testing.T) {
		res := runJob(t, "plan", map[string]string{"menus.yaml": blocked})
		if !res.Failed {
			t.Fatalf("a blocked plan passed:\n%s", res.Log)
		}
		wantOutputs(t, res, "plan", "1", "false")
		if !strings.Contains(res.Summary, "--allow-protected") {
			t.Errorf("the summary does not say what blocks the plan:\n%s", res.Summary)
		}
	})
}

// TestActionInstall checks what the action refuses before wxmenu runs: a
// download that does not match the checksums file, a version that is not
// pinned, a command it does not know; and that inputs are never code.
func TestActionInstall(t *testing.T) {
	t.Parallel()
	h := newCIHarness(t)
	archive, _ := h.release(actionTestVersion, "linux_amd64")
	base, _, _, _ := menuFiles(t)
	newRunner := func(with map[string]string) *ghRunner {
		return &ghRunner{
			h: h, wf: actionWorkflow(map[string]map[string]string{"job": with}, "WECHAT_APPID", "WECHAT_APPSECRET"),
			repo: "acme/menus", workflowPath: ".github/workflows/menus.yml", token: "ghs_recipe_test_token",
			secrets:   map[string]string{"WECHAT_APPID": wechattest.DefaultAppID, "WECHAT_APPSECRET": wechattest.DefaultSecret},
			artifacts: map[string]map[string]string{},
		}
	}
	run := 0
	runJob := func(t *testing.T, with map[string]string) ghJobResult {
		t.Helper()
		h.t = t
		run++
		res := newRunner(with).runJob("job", ghEvent{Name: "push", RunID: fmt.Sprint(600 + run), SHA: strings.Repeat("d", 40), RefName: "main", Files: map[string]string{"menus.yaml": base}})
		noSecretIn(t, "log", res.Log)
		return res
	}
	apiCalls := func() int {
		n := 0
		for _, c := range h.emu.Calls() {
			n += c
		}
		return n
	}

	t.Run("a download that does not match the checksums file stops the action", func(t *testing.T) {
		tampered := h.file("release/tampered.tar.gz", readFile(t, archive)+"x")
		h.route("curl * https://github.com/wxmenu/wxmenu/releases/download/"+actionTestVersion+"/"+filepath.Base(archive), tampered)
		defer h.route("curl * https://github.com/wxmenu/wxmenu/releases/download/"+actionTestVersion+"/"+filepath.Base(archive), archive)
		before := apiCalls()
		res := runJob(t, map[string]string{"version": actionTestVersion, "command": "plan", "file": "menus.yaml"})
		if !res.Failed || res.Steps["after"] != "skipped" {
			t.Fatalf("a tampered archive did not stop the job (steps %v):\n%s", res.Steps, res.Log)
		}
		if !strings.Contains(res.Log, "FAILED") {
			t.Errorf("the log does not show the checksum failure:\n%s", res.Log)
		}
		if got := res.Outputs["wxmenu"]["exit-code"]; got != "" {
			t.Errorf("exit-code = %q: wxmenu ran", got)
		}
		if n := apiCalls() - before; n != 0 {
			t.Errorf("%d calls to the account after a failed install", n)
		}
		// Nothing is left where the cache would save it.
		matches, _ := filepath.Glob(filepath.Join(h.root, "home", "*", ".cache", "wxmenu", actionTestVersion, "wxmenu"))
		if len(matches) != 0 {
			t.Errorf("a binary was installed from the tampered archive: %v", matches)
		}
	})

	// The cache is shared, and not trusted: whatever a job finds there, a
	// binary or an archive (with a checksums file to match), is refused
	// unless the archive matches the release's checksums file, and the
	// binary run is the one extracted from it.
	t.Run("a tampered cache is never run", func(t *testing.T) {
		v := strings.TrimPrefix(actionTestVersion, "v")
		name := filepath.Base(archive)
		evil := tarGz(t, map[string]string{"wxmenu": "#!/bin/sh\ntouch \"$HOME/tampered-wxmenu-ran\"\necho tampered\n"})
		sum := sha256.Sum256([]byte(evil))
		for _, tc := range []struct {
			what   string
			cached map[string]string
			refuse bool // the job fails; else it installs the release and runs it
		}{
			{"a cached binary", map[string]string{"wxmenu": "#!/bin/sh\ntouch \"$HOME/tampered-wxmenu-ran\"\necho tampered\n"}, false},
			{"a cached archive and checksums file", map[string]string{name: evil, "checksums.txt": hex.EncodeToString(sum[:]) + "  " + name + "\n", "wxmenu_" + v + "_checksums.txt": hex.EncodeToString(sum[:]) + "  " + name + "\n"}, true},
		} {
			t.Run(tc.what, func(t *testing.T) {
				home := filepath.Join(h.root, "home", fmt.Sprint(600+run+1)+"-job")
				dir := filepath.Join(home, ".cache", "wxmenu", actionTestVersion)
				if err := os.MkdirAll(dir, 0o755); err != nil {
					t.Fatal(err)
				}
				for f, body := range tc.cached {
					if err := os.WriteFile(filepath.Join(dir, f), []byte(body), 0o755); err != nil {
						t.Fatal(err)
					}
				}
				res := runJob(t, map[string]string{"version": actionTestVersion, "command": "plan", "file": "menus.yaml"})
				if _, err := os.Stat(filepath.Join(home, "tampered-wxmenu-ran")); err == nil || strings.Contains(res.Log, "tampered") {
					t.Errorf("the job ran the cached wxmenu:\n%s", res.Log)
				}
				if tc.refuse {
					if !res.Failed || !strings.Contains(res.Log, "FAILED") || res.Outputs["wxmenu"]["exit-code"] != "" {
						t.Errorf("a tampered cached archive was not refused (steps %v):\n%s", res.Steps, res.Log)
					}
					return
				}
				if code := res.Outputs["wxmenu"]["exit-code"]; res.Failed || (code != "0" && code != "2") || !strings.Contains(res.Log, name+": OK") {
					t.Errorf("want the checked release installed and run (plan exit 0 or 2), got %q:\n%s", res.Outputs["wxmenu"]["exit-code"], res.Log)
				}
			})
		}
	})

	for _, tc := range []struct {
		name string
		with map[string]string
		want string
	}{
		{"an unpinned version", map[string]string{"version": "latest", "command": "plan", "file": "menus.yaml"}, "version must be a release such as v0.1.0"},
		{"a path as the version", map[string]string{"version": "v0.1.0/../../x", "command": "plan", "file": "menus.yaml"}, "version must be a release"},
		{"an unknown command", map[string]string{"version": actionTestVersion, "command": "sandbox", "file": "menus.yaml"}, "command must be plan, apply, drift or export"},
	} {
		t.Run(tc.name+" fails before any download", func(t *testing.T) {
			h.calls()
			res := runJob(t, tc.with)
			if !res.Failed || !strings.Contains(res.Log, tc.want) {
				t.Errorf("want a failure saying %q:\n%s", tc.want, res.Log)
			}
			if c := argsOf(h.calls(), "curl"); len(c) != 0 {
				t.Errorf("downloaded %v", c)
			}
		})
	}

	t.Run("inputs are arguments, never shell code", func(t *testing.T) {
		res := runJob(t, map[string]string{
			"version": actionTestVersion, "command": "plan",
			"file":    `menus.yaml"; touch injected-file; echo "`,
			"account": "$(touch injected-account)",
			"args":    "--out plan.json; touch injected-args `touch injected-tick` *",
		})
		matches, _ := filepath.Glob(filepath.Join(res.Workspace, "injected*"))
		if len(matches) != 0 {
			t.Errorf("an input ran as code: %v\n%s", matches, res.Log)
		}
		if !res.Failed || res.Outputs["wxmenu"]["exit-code"] != "1" {
			t.Errorf("want wxmenu to refuse the odd arguments (exit 1), got %q:\n%s", res.Outputs["wxmenu"]["exit-code"], res.Log)
		}
	})

	t.Run("args are not globbed", func(t *testing.T) {
		// Globbed, menus.y* would be menus.yaml, which plan --out refuses.
		res := runJob(t, map[string]string{"version": actionTestVersion, "command": "plan", "file": "menus.yaml", "args": "--out menus.y*"})
		if res.Failed {
			t.Fatalf("job failed:\n%s", res.Log)
		}
		if _, err := os.Stat(filepath.Join(res.Workspace, "menus.y*")); err != nil {
			t.Errorf("the plan was not saved under the literal name: %v", err)
		}
	})
}

// TestActionProjectPlan plans accounts of a project (examples/fleet): the
// Markdown parts are in markdown-dir and, in order, in the summary.
func TestActionProjectPlan(t *testing.T) {
	t.Parallel()
	h := newCIHarness(t)
	fe := newFleetEmulator(t, h)
	h.release(actionTestVersion, "linux_amd64")
	base := fleetFiles(t, nil)
	if code, out := fe.cli(t, h, base, "apply", "--auto-approve", "--allow-many-deletes"); code != 0 {
		t.Fatalf("setting the accounts up: exit %d\n%s", code, out)
	}
	changed := fleetFiles(t, map[string][2]string{
		"accounts/brand.yaml":    {"key: CONTACT}", "key: CONTACT_US}"},
		"accounts/client-a.yaml": {"key: CHECKIN}", "key: CHECKIN_DAILY}"},
	})
	var names []string
	secrets := map[string]string{}
	for _, m := range []map[string]string{fe.secrets, fe.vars} {
		for name, v := range m {
			names = append(names, name)
			secrets[name] = v
		}
	}
	r := &ghRunner{
		h: h, wf: actionWorkflow(map[string]map[string]string{
			"plan": {"version": actionTestVersion, "command": "plan", "config": "wxmenu.yaml", "account": "brand\nshop-*", "args": "--out plan.json"},
		}, names...),
		repo: "acme/menus", workflowPath: ".github/workflows/menus.yml", token: "ghs_recipe_test_token",
		secrets: secrets, artifacts: map[string]map[string]string{},
	}
	res := r.runJob("plan", ghEvent{Name: "push", RunID: "701", SHA: strings.Repeat("e", 40), RefName: "main", Files: changed})
	if res.Failed {
		t.Fatalf("job failed:\n%s", res.Log)
	}
	out := res.Outputs["wxmenu"]
	if out["exit-code"] != "2" || out["has-changes"] != "true" {
		t.Errorf("outputs %v, want exit-code 2 and has-changes true", out)
	}
	dir := out["markdown-dir"]
	if dir == "" {
		t.Fatalf("no markdown-dir:\n%s", res.Log)
	}
	part := readFile(t, filepath.Join(dir, "plan-part-1.md"))
	if !strings.Contains(res.Summary, part) {
		t.Errorf("the summary does not hold part 1:\n%s", res.Summary)
	}
	// --account brand --account 'shop-*': client-a's change is not planned.
	if !strings.Contains(part, "CONTACT_US") || strings.Contains(part, "CHECKIN_DAILY") {
		t.Errorf("part 1 does not plan brand alone of the changed accounts:\n%s", part)
	}
	for _, s := range fe.secrets {
		if strings.Contains(res.Log, s) || strings.Contains(res.Summary, s) {
			t.Errorf("a credential is in the log or summary")
		}
	}
}

// TestActionShellcheck runs shellcheck on the action's scripts as bash runs
// them (actionlint checks workflows, not an action's metadata).
func TestActionShellcheck(t *testing.T) {
	if _, err := exec.LookPath("shellcheck"); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("shellcheck is not installed (.ci/run installs it)")
		}
		t.Skip("shellcheck is not installed (apt-get install shellcheck)")
	}
	a := loadAction(t)
	dir := t.TempDir()
	for i, st := range a.Runs.Steps {
		if st.Run == "" {
			continue
		}
		if strings.Contains(st.Run, "${{") {
			t.Errorf("step %q puts an expression in its script: pass it through env:", st.label())
		}
		path := filepath.Join(dir, fmt.Sprintf("step-%d.sh", i))
		if err := os.WriteFile(path, []byte("#!/usr/bin/env bash\nset -eo pipefail\n"+st.Run), 0o644); err != nil {
			t.Fatal(err)
		}
		if out, err := exec.Command("shellcheck", "--shell=bash", "--severity=style", path).CombinedOutput(); err != nil {
			t.Errorf("shellcheck of step %q:\n%s", st.label(), out)
		}
	}
}

// TestActionsPinnedBySHA checks that the Action, this repository's
// workflows and the GitHub recipes use third-party actions by full commit
// SHA, with the version in a comment, one commit per action everywhere, and
// that the workflows keep their permissions narrow. The recipes use this
// repository's own Action at the release their WXMENU_VERSION installs (a
// release commit cannot name its own SHA; the header says how to pin it).
func TestActionsPinnedBySHA(t *testing.T) {
	files, err := filepath.Glob(".github/workflows/*.yml")
	if err != nil || len(files) == 0 {
		t.Fatalf("no workflows in .github/workflows: %v", err)
	}
	recipes := []string{githubRecipe, githubFleetRecipe}
	pinned := regexp.MustCompile(`^\s*(?:- )?uses: ([\w.-]+/[\w./-]+)@([0-9a-f]{40} # v\d+\.\d+\.\d+)$`)
	pins := map[string]string{} // action -> "sha # version"
	where := map[string]string{}
	own := regexp.MustCompile(`^\s*(?:- )?uses: wxmenu/wxmenu@(v\d+\.\d+\.\d+)(?: # .*)?$`)
	for _, f := range append(append([]string{actionFile}, files...), recipes...) {
		version := ""
		if slices.Contains(recipes, f) {
			var wf ghWorkflow
			if err := yaml.Unmarshal([]byte(readFile(t, f)), &wf); err != nil {
				t.Fatalf("%s: %v", f, err)
			}
			version = wf.Env["WXMENU_VERSION"]
			// The install script is the Action's only: every job that runs
			// wxmenu uses the Action before it does.
			if text := readFile(t, f); strings.Contains(text, "releases/download") || strings.Contains(text, "sha256sum") {
				t.Errorf("%s installs wxmenu itself: use the wxmenu Action", f)
			}
			runs := regexp.MustCompile(`(?m)(^|[;&|(\s])wxmenu [a-z]`)
			for name, job := range wf.Jobs {
				installed := false
				for _, st := range job.Steps {
					installed = installed || isWxmenuAction(st.Uses)
					if st.Run != "" && runs.MatchString(st.Run) && !installed {
						t.Errorf("%s: job %s runs wxmenu in step %q before any step uses the wxmenu Action", f, name, st.label())
					}
				}
			}
		}
		for i, line := range strings.Split(readFile(t, f), "\n") {
			if !strings.Contains(line, "uses:") || strings.HasPrefix(strings.TrimSpace(line), "#") {
				continue
			}
			if m := own.FindStringSubmatch(line); m != nil && version != "" {
				if m[1] != version {
					t.Errorf("%s:%d: the wxmenu Action at %s, but WXMENU_VERSION is %s: keep them equal", f, i+1, m[1], version)
				}
				continue
			}
			m := pinned.FindStringSubmatch(line)
			if m == nil {
				t.Errorf("%s:%d: %q is not pinned by commit SHA with its version in a comment", f, i+1, strings.TrimSpace(line))
				continue
			}
			at := fmt.Sprintf("%s:%d", f, i+1)
			if prev, ok := pins[m[1]]; ok && prev != m[2] {
				t.Errorf("%s: %s@%s, but %s pins %s", at, m[1], m[2], where[m[1]], prev)
				continue
			}
			pins[m[1]], where[m[1]] = m[2], at
		}
	}
	for _, f := range recipes {
		if !strings.Contains(readFile(t, f), "uses: actions/checkout@") {
			t.Errorf("%s uses no actions/checkout: is the pin check reading the recipe?", f)
		}
	}
	var ci, release ghWorkflow
	for f, wf := range map[string]*ghWorkflow{".github/workflows/ci.yml": &ci, ".github/workflows/release.yml": &release} {
		if err := yaml.Unmarshal([]byte(readFile(t, f)), wf); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
	}
	var perms map[string]string
	if err := ci.Permissions.Decode(&perms); err != nil || len(perms) != 1 || perms["contents"] != "read" {
		t.Errorf("ci.yml permissions %v (%v), want contents: read only", perms, err)
	}
	if !strings.Contains(readFile(t, ".github/workflows/ci.yml"), "run: bash .ci/run") {
		t.Errorf("ci.yml does not run .ci/run")
	}
	want := map[string]string{"contents": "write", "packages": "write", "id-token": "write", "attestations": "write"}
	if diff := cmp.Diff(want, release.Jobs["release"].Permissions); diff != "" {
		t.Errorf("release job permissions (-want +got):\n%s", diff)
	}
}

// tarGz is a gzipped tar archive of executable files.
func tarGz(t *testing.T, files map[string]string) string {
	t.Helper()
	var buf bytes.Buffer
	gz := gzip.NewWriter(&buf)
	tw := tar.NewWriter(gz)
	for name, body := range files {
		if err := tw.WriteHeader(&tar.Header{Name: name, Mode: 0o755, Size: int64(len(body)), Typeflag: tar.TypeReg}); err != nil {
			t.Fatal(err)
		}
		if _, err := tw.Write([]byte(body)); err != nil {
			t.Fatal(err)
		}
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := gz.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.String()
}

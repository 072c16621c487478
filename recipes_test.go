package main

// The CI recipes in examples/ are run here, step by step, against the
// emulator (the runner is in recipes_harness_test.go): a recipe that cannot
// work as copied fails this test. .ci/run also lints them (actionlint with
// shellcheck).

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/santhosh-tekuri/jsonschema/v6"
	"gopkg.in/yaml.v3"

	"github.com/wxmenu/wxmenu/wechat/wechattest"
)

const (
	githubRecipe = "examples/github-actions/wxmenu.yml"
	gitlabRecipe = "examples/gitlab-ci/.gitlab-ci.yml"
)

// pinnedVersion matches a concrete release version: a recipe never
// installs "latest".
var pinnedVersion = regexp.MustCompile(`^v[0-9]+\.[0-9]+\.[0-9]+$`)

// menuFiles are the states of menus.yaml the scenarios use: as shipped, a
// reviewed change, a change made behind the pipeline's back, and one that
// recreates the protected menu (a plan blocked by a safety rail).
func menuFiles(t *testing.T) (base, change, outOfBand, blocked string) {
	t.Helper()
	base = readFile(t, "examples/basic/menus.yaml")
	for _, s := range []string{"key: CHECKIN}", "VIP_CONTACT"} {
		if !strings.Contains(base, s) {
			t.Fatalf("examples/basic/menus.yaml no longer contains %q: adapt the recipe tests", s)
		}
	}
	change = strings.Replace(base, "key: CHECKIN}", "key: CHECKIN_DAILY}", 1)
	outOfBand = strings.Replace(base, "key: CHECKIN}", "key: SIGN_IN}", 1)
	blocked = strings.Replace(base, "VIP_CONTACT", "VIP_HELP", 1)
	return base, change, outOfBand, blocked
}

func loadGitHubRecipe(t *testing.T) ghWorkflow {
	t.Helper()
	var wf ghWorkflow
	if err := yaml.Unmarshal([]byte(readFile(t, githubRecipe)), &wf); err != nil {
		t.Fatalf("%s: %v", githubRecipe, err)
	}
	return wf
}

// noSecretIn fails when a credential appears in s.
func noSecretIn(t *testing.T, what, s string) {
	t.Helper()
	for _, secret := range []string{wechattest.DefaultSecret, "ghs_recipe_test_token", "glpat-recipe-test-token", glJobToken} {
		if strings.Contains(s, secret) {
			t.Errorf("%s contains the credential %q", what, secret)
		}
	}
}

// checkDrift plans the file against the account: 0 when it matches.
func checkDrift(t *testing.T, h *ciHarness, content string) int {
	t.Helper()
	h.seq++
	dir := h.workspace(fmt.Sprintf("check-%d", h.seq), map[string]string{"menus.yaml": content})
	code, out := h.cli(dir, "plan", "-f", "menus.yaml", "--detailed-exitcode")
	if code != 0 && code != 2 {
		t.Fatalf("checking the account: exit %d\n%s", code, out)
	}
	return code
}

// outOfBand changes the account behind the pipelines' back.
func outOfBandChange(t *testing.T, h *ciHarness, content string) {
	t.Helper()
	h.seq++
	dir := h.workspace(fmt.Sprintf("oob-%d", h.seq), map[string]string{"menus.yaml": content})
	if code, out := h.cli(dir, "apply", "-f", "menus.yaml", "--auto-approve"); code != 0 {
		t.Fatalf("changing the account: exit %d\n%s", code, out)
	}
}

func argsOf(calls []fakeCall, tool string) [][]string {
	var out [][]string
	for _, c := range calls {
		if c.Args[0] == tool {
			out = append(out, c.Args)
		}
	}
	return out
}

// TestGitHubRecipeRuns runs the GitHub Actions recipe through a pull
// request, its merge, a stale merge and its manual apply, the drift check,
// a blocked plan and a tampered download.
func TestGitHubRecipeRuns(t *testing.T) {
	t.Parallel()
	h := newCIHarness(t)
	wf := loadGitHubRecipe(t)
	version := wf.Env["WXMENU_VERSION"]
	if !pinnedVersion.MatchString(version) {
		t.Fatalf("WXMENU_VERSION = %q, want a pinned release like v1.2.3", version)
	}
	h.release(version, "linux_amd64")
	r := &ghRunner{
		h: h, wf: wf, repo: "acme/menus", workflowPath: ".github/workflows/menus-sync.yml",
		token:     "ghs_recipe_test_token",
		secrets:   map[string]string{"WECHAT_APPID": wechattest.DefaultAppID, "WECHAT_APPSECRET": wechattest.DefaultSecret},
		artifacts: map[string]map[string]string{},
	}
	base, change, outOfBand, blocked := menuFiles(t)
	const (
		head1 = "1111111111111111111111111111111111111111"
		head2 = "2222222222222222222222222222222222222222"
		head3 = "3333333333333333333333333333333333333333"
		head4 = "4444444444444444444444444444444444444444"
		main1 = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
		main2 = "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"
	)
	noComments := h.file("gh/no-comments.json", "[]")
	ok := h.file("gh/ok.json", "{}")
	h.route("gh api -X POST *", ok)
	h.route("gh api -X PATCH *", ok)
	// The GITHUB_TOKEN is an app's token, which GET /user refuses; its
	// comments are github-actions[bot]'s.
	h.refuse("gh api user *", ghUserRefused)
	releaseCalls := func(calls []fakeCall) int {
		n := 0
		for _, a := range argsOf(calls, "curl") {
			if strings.HasPrefix(a[len(a)-1], "https://github.com/wxmenu/wxmenu/releases/download/"+version+"/") {
				n++
			}
		}
		return n
	}
	mustJobs := func(ev ghEvent, want ...string) {
		h.t.Helper()
		if diff := cmp.Diff(want, r.jobsFor(ev)); diff != "" {
			h.t.Fatalf("%s: jobs (-want +got):\n%s", ev.Name, diff)
		}
	}
	mustPass := func(res ghJobResult) {
		h.t.Helper()
		if res.Failed {
			h.t.Fatalf("job failed:\n%s", res.Log)
		}
	}

	var planMarkdown string
	t.Run("pull request: plan, artifact, new sticky comment", func(t *testing.T) {
		h.t = t
		h.route("gh api repos/acme/menus/issues/7/comments *", noComments)
		ev := ghEvent{Name: "pull_request", RunID: "101", SHA: "f1", RefName: "7/merge", PR: 7, PRHead: head1, Files: map[string]string{"menus.yaml": base}}
		mustJobs(ev, "plan")
		before := h.mutatingCalls()
		res := r.runJob("plan", ev)
		mustPass(res)
		if got := res.Outputs["plan"]["exit-code"]; got != "2" {
			t.Errorf("plan exit code %q, want 2 (changes)", got)
		}
		if h.mutatingCalls() != before {
			t.Error("the plan job changed the account")
		}
		if _, ok := r.artifacts["101"]["wxmenu-plan-"+head1]; !ok {
			t.Errorf("no artifact wxmenu-plan-%s in run 101: %v", head1, r.artifacts["101"])
		}
		planMarkdown = actionPlanPart(t, res, "plan")
		if !strings.HasPrefix(planMarkdown, "<!-- wxmenu-plan:") || !strings.Contains(res.Summary, "**wxmenu plan**") {
			t.Errorf("the plan's Markdown or the job summary lacks the plan:\n%s\n---\n%s", planMarkdown, res.Summary)
		}
		calls := h.calls()
		if n := releaseCalls(calls); n != 2 {
			t.Errorf("%d downloads from the release, want the archive and the checksums file", n)
		}
		gh := argsOf(calls, "gh")
		if len(gh) != 3 || !isWhoami(gh[0]) || !slices.Contains(gh[1], "--paginate") || gh[2][3] != "POST" || gh[2][4] != "repos/acme/menus/issues/7/comments" {
			t.Fatalf("gh calls %q, want the token's user, the comment lookup and a POST of a new comment", gh)
		}
		if body := calls[len(calls)-1].Body; body != planMarkdown {
			t.Errorf("posted comment differs from the plan's Markdown:\n%s", cmp.Diff(planMarkdown, body))
		}
		noSecretIn(t, "the plan job's log", res.Log+res.Summary+planMarkdown)
	})

	t.Run("another push to the pull request updates the sticky comment", func(t *testing.T) {
		h.t = t
		existing, _ := json.Marshal([]map[string]any{
			ghComment(12, "octocat", "looks good"),
			ghComment(555, githubBot, planMarkdown),
		})
		h.route("gh api repos/acme/menus/issues/7/comments *", h.file("gh/comments-7.json", string(existing)))
		ev := ghEvent{Name: "pull_request", RunID: "102", SHA: "f2", RefName: "7/merge", PR: 7, PRHead: head2, Files: map[string]string{"menus.yaml": base}}
		mustPass(r.runJob("plan", ev))
		gh := argsOf(h.calls(), "gh")
		if len(gh) != 3 || !isWhoami(gh[0]) || gh[2][3] != "PATCH" || gh[2][4] != "repos/acme/menus/issues/comments/555" {
			t.Fatalf("gh calls %q, want a PATCH of comment 555", gh)
		}
	})

	// Anyone who can comment can post a comment that starts with the plan's
	// marker, before the job runs: the job must never take it for its own.
	forged := func() []map[string]any {
		marker, _, _ := strings.Cut(planMarkdown, "\n")
		return []map[string]any{
			ghComment(901, "mallory", marker+"\n**wxmenu plan**: no changes."),
			ghComment(902, "mallory", "<!-- wxmenu-plan part 1/1 -->\n**wxmenu plan**: no changes."),
			ghComment(903, "mallory", "<!-- wxmenu-plan part 7/7 -->\nfake"),
		}
	}
	planWithComments := func(t *testing.T, run string, pr int, comments []map[string]any) ([]issueWrite, ghJobResult) {
		t.Helper()
		b, _ := json.Marshal(comments)
		h.route(fmt.Sprintf("gh api repos/acme/menus/issues/%d/comments *", pr), h.file(fmt.Sprintf("gh/comments-%d.json", pr), string(b)))
		ev := ghEvent{Name: "pull_request", RunID: run, SHA: "f" + run, RefName: fmt.Sprintf("%d/merge", pr), PR: pr, PRHead: head2, Files: map[string]string{"menus.yaml": base}}
		res := r.runJob("plan", ev)
		if res.Failed {
			t.Errorf("the plan job failed:\n%s", res.Log)
		}
		noSecretIn(t, "the plan job's log", res.Log+res.Summary)
		return ghIssueWrites(h.calls()), res
	}
	t.Run("an outsider's comments with the plan's marker are left alone: the job posts its own", func(t *testing.T) {
		h.t = t
		writes, res := planWithComments(t, "131", 11, forged())
		if diff := cmp.Diff([]string{"POST issues/11/comments"}, writeList(writes)); diff != "" {
			t.Fatalf("comment writes (-want +got):\n%s", diff)
		}
		if body := writes[0].Body; body != actionPlanPart(t, res, "plan") {
			t.Errorf("posted %q, want the plan's Markdown", body)
		}
	})

	t.Run("with its own comment after forged ones, the job updates its own", func(t *testing.T) {
		h.t = t
		writes, _ := planWithComments(t, "132", 11, append(forged(), ghComment(560, githubBot, planMarkdown)))
		if diff := cmp.Diff([]string{"PATCH issues/comments/560"}, writeList(writes)); diff != "" {
			t.Fatalf("comment writes (-want +got):\n%s", diff)
		}
	})

	t.Run("with a personal access token, the comments of the token's user are the job's", func(t *testing.T) {
		h.t = t
		h.route("gh api user *", h.file("gh/user.json", `{"login":"menu-bot","type":"User"}`))
		defer h.refuse("gh api user *", ghUserRefused)
		writes, _ := planWithComments(t, "133", 11, append(forged(), ghComment(561, githubBot, planMarkdown), ghComment(562, "menu-bot", planMarkdown)))
		if diff := cmp.Diff([]string{"PATCH issues/comments/562"}, writeList(writes)); diff != "" {
			t.Fatalf("comment writes (-want +got):\n%s", diff)
		}
	})

	t.Run("merge: apply the reviewed artifact of the last plan", func(t *testing.T) {
		h.t = t
		h.route("gh api repos/acme/menus/commits/"+main1+"/pulls *", h.file("gh/pulls-main1.json", `[{"number":7,"head":{"sha":"`+head2+`"}}]`))
		// Only this workflow's own file name (not wxmenu.yml) finds the run.
		h.route("gh run list --workflow menus-sync.yml --commit "+head2+" *", h.file("gh/runs-head2.json", `[{"databaseId":102}]`))
		ev := ghEvent{Name: "push", RunID: "103", SHA: main1, RefName: "main", Files: map[string]string{"menus.yaml": base}}
		mustJobs(ev, "apply", "snapshot")
		res := r.runJob("apply", ev)
		mustPass(res)
		if got := res.Outputs["apply"]["exit-code"]; got != "0" {
			t.Errorf("apply exit code %q, want 0\n%s", got, res.Log)
		}
		if res.Steps["replan"] != "skipped" {
			t.Errorf("re-plan step %q after a successful apply", res.Steps["replan"])
		}
		if _, ok := r.artifacts["103"]["wxmenu-audit-103"]; !ok {
			t.Error("no audit log artifact")
		}
		if code := checkDrift(t, h, base); code != 0 {
			t.Errorf("after the apply, plan exits %d, want 0 (no changes)", code)
		}
		h.calls()
	})

	t.Run("schedule: drift check passes on a converged account, and writes no issue", func(t *testing.T) {
		h.t = t
		routeGitHubDrift(h, "menus-sync.yml", []string{"103"}, nil)
		ev := ghEvent{Name: "schedule", RunID: "104", SHA: main1, RefName: "main", Files: map[string]string{"menus.yaml": base}}
		mustJobs(ev, "drift", "snapshot")
		before := h.mutatingCalls()
		res := r.runJob("drift", ev)
		mustPass(res)
		if h.mutatingCalls() != before {
			t.Error("the drift check changed the account")
		}
		if !strings.Contains(res.Log, "the audit log of run 103") || !strings.Contains(res.Summary, "1 in_sync") {
			t.Errorf("want run 103's audit log read and the account in sync:\n%s\n%s", res.Log, res.Summary)
		}
		if w := ghIssueWrites(h.calls()); len(w) != 0 {
			t.Errorf("issue writes %q for an account in sync", writeList(w))
		}
	})

	var hint string
	t.Run("stale merge: re-plan posted on the pull request with the manual apply command", func(t *testing.T) {
		h.t = t
		h.route("gh api repos/acme/menus/issues/8/comments *", noComments)
		prEv := ghEvent{Name: "pull_request", RunID: "105", SHA: "f3", RefName: "8/merge", PR: 8, PRHead: head3, Files: map[string]string{"menus.yaml": change}}
		mustPass(r.runJob("plan", prEv))
		outOfBandChange(t, h, outOfBand)
		h.calls()
		h.route("gh api repos/acme/menus/commits/"+main2+"/pulls *", h.file("gh/pulls-main2.json", `[{"number":8,"head":{"sha":"`+head3+`"}}]`))
		h.route("gh run list --workflow menus-sync.yml --commit "+head3+" *", h.file("gh/runs-head3.json", `[{"databaseId":105}]`))
		ev := ghEvent{Name: "push", RunID: "106", SHA: main2, RefName: "main", Files: map[string]string{"menus.yaml": change}}
		res := r.runJob("apply", ev)
		if !res.Failed {
			t.Errorf("a stale apply must fail its job:\n%s", res.Log)
		}
		if got := res.Outputs["apply"]["exit-code"] + "/" + res.Outputs["replan"]["exit-code"]; got != "3/2" {
			t.Fatalf("apply/re-plan exit codes %s, want 3/2\n%s", got, res.Log)
		}
		if _, ok := r.artifacts["106"]["wxmenu-replan"]; !ok {
			t.Error("the re-plan was not saved in the run")
		}
		calls := h.calls()
		gh := argsOf(calls, "gh")
		last := gh[len(gh)-1]
		if last[3] != "POST" || last[4] != "repos/acme/menus/issues/8/comments" {
			t.Fatalf("gh calls %q, want the re-plan posted on pull request 8", gh)
		}
		body := calls[len(calls)-1].Body
		if !strings.Contains(body, "wxmenu apply refused the reviewed plan") || !strings.Contains(body, "<!-- wxmenu-plan:") {
			t.Errorf("the comment lacks the explanation or the new plan:\n%s", body)
		}
		m := regexp.MustCompile("(?m)^gh workflow run .*$").FindString(body)
		if want := "gh workflow run menus-sync.yml --repo acme/menus --ref main -f plan_run=106"; m != want {
			t.Errorf("manual apply command %q, want %q", m, want)
		}
		hint = m
		if !strings.Contains(res.Summary, "wxmenu apply refused the reviewed plan") {
			t.Error("the job summary does not explain the stale plan")
		}
		if !strings.Contains(res.Log, "::error::the reviewed plan is stale") {
			t.Errorf("no error annotation:\n%s", res.Log)
		}
	})

	t.Run("manual dispatch from the comment's command applies the re-plan", func(t *testing.T) {
		h.t = t
		// gh workflow run FILE --repo R --ref REF -f plan_run=ID starts a
		// workflow_dispatch run with that input.
		f := strings.Fields(hint)
		if len(f) != 10 || f[6] != "--ref" || f[8] != "-f" {
			t.Fatalf("cannot read the command %q", hint)
		}
		name, value, _ := strings.Cut(f[9], "=")
		if _, ok := wf.On["workflow_dispatch"]; !ok {
			t.Fatal("no workflow_dispatch trigger")
		}
		ev := ghEvent{Name: "workflow_dispatch", RunID: "107", SHA: main2, RefName: f[7], Inputs: map[string]string{name: value}, Files: map[string]string{"menus.yaml": change}}
		mustJobs(ev, "apply", "snapshot")
		res := r.runJob("apply", ev)
		mustPass(res)
		if got := res.Outputs["apply"]["exit-code"]; got != "0" {
			t.Errorf("apply exit code %q, want 0\n%s", got, res.Log)
		}
		if code := checkDrift(t, h, change); code != 0 {
			t.Errorf("after the manual apply, plan exits %d, want 0", code)
		}
		h.calls()
	})

	t.Run("manual dispatch refuses a plan_run that is not a run id", func(t *testing.T) {
		h.t = t
		ev := ghEvent{Name: "workflow_dispatch", RunID: "108", SHA: main2, RefName: "main", Inputs: map[string]string{"plan_run": "106; true"}, Files: map[string]string{"menus.yaml": change}}
		before := h.mutatingCalls()
		res := r.runJob("apply", ev)
		if !res.Failed || res.Steps["apply"] != "skipped" || h.mutatingCalls() != before {
			t.Errorf("want the job to fail before applying:\n%s", res.Log)
		}
		h.calls()
	})

	// The drift check tracks drift in one issue instead of failing: runs
	// 103 and 107 applied (107 last), 106 was refused as stale, 108 never
	// applied, 109 is the drift check itself.
	const title = "wxmenu drift: menus.yaml"
	var issueBody string
	t.Run("manual dispatch without plan_run is the drift check: drift opens exactly one issue", func(t *testing.T) {
		h.t = t
		outOfBandChange(t, h, outOfBand)
		routeGitHubDrift(h, "menus-sync.yml", []string{"106", "103"}, []string{"109", "108", "107"})
		ev := ghEvent{Name: "workflow_dispatch", RunID: "109", SHA: main2, RefName: "main", Inputs: map[string]string{"plan_run": ""}, Files: map[string]string{"menus.yaml": change}}
		mustJobs(ev, "drift", "snapshot")
		before := h.mutatingCalls()
		res := r.runJob("drift", ev)
		mustPass(res)
		if h.mutatingCalls() != before {
			t.Error("the drift check changed the account")
		}
		if !strings.Contains(res.Log, "the audit log of run 107") || strings.Contains(res.Log, "the audit log of run 103") {
			t.Errorf("want the newest apply's audit log (run 107) only:\n%s", res.Log)
		}
		if !strings.Contains(res.Summary, "1 changed_outside") {
			t.Errorf("the summary lacks the drift report:\n%s", res.Summary)
		}
		writes := ghIssueWrites(h.calls())
		if diff := cmp.Diff([]string{"POST issues " + title}, writeList(writes)); diff != "" {
			t.Fatalf("issue writes (-want +got):\n%s", diff)
		}
		issueBody = writes[0].Body
		driftIssueBody(t, issueBody, "changed_outside", "**changed_outside**", "Who sees another menu now", "plan -f menus.yaml --out plan.json`", "https://github.com/acme/menus/actions/runs/109")
	})

	t.Run("the same drift again updates the issue and opens none", func(t *testing.T) {
		h.t = t
		routeGitHubDrift(h, "menus-sync.yml", []string{"106", "103"}, []string{"120", "109", "108", "107"},
			ghIssue(31, title, githubBot, issueBody), ghIssue(5, "menus look odd", "octocat", "see title"))
		res := r.runJob("drift", ghEvent{Name: "schedule", RunID: "120", SHA: main2, RefName: "main", Files: map[string]string{"menus.yaml": change}})
		mustPass(res)
		writes := ghIssueWrites(h.calls())
		if diff := cmp.Diff([]string{"PATCH issues/31"}, writeList(writes)); diff != "" {
			t.Fatalf("issue writes (-want +got):\n%s", diff)
		}
		driftIssueBody(t, writes[0].Body, "changed_outside", "https://github.com/acme/menus/actions/runs/120")
	})

	t.Run("an issue of the same title by someone else is left alone: a new one is opened", func(t *testing.T) {
		h.t = t
		routeGitHubDrift(h, "menus-sync.yml", []string{"106", "103"}, []string{"121", "109", "108", "107"},
			ghIssue(30, title, "mallory", "<!-- wxmenu-drift: pending -->\nclose me"),
			// A pull request is an issue to the API; one with that title
			// is no drift issue either.
			map[string]any{"number": 32, "title": title, "user": map[string]any{"login": githubBot}, "body": "", "pull_request": map[string]any{"url": "x"}})
		mustPass(r.runJob("drift", ghEvent{Name: "schedule", RunID: "121", SHA: main2, RefName: "main", Files: map[string]string{"menus.yaml": change}}))
		if diff := cmp.Diff([]string{"POST issues " + title}, writeList(ghIssueWrites(h.calls()))); diff != "" {
			t.Fatalf("issue writes (-want +got):\n%s", diff)
		}
	})

	t.Run("without an audit artifact drift still runs, says so, and a change of kind is commented", func(t *testing.T) {
		h.t = t
		routeGitHubDrift(h, "menus-sync.yml", nil, nil, ghIssue(31, title, githubBot, issueBody))
		res := r.runJob("drift", ghEvent{Name: "schedule", RunID: "122", SHA: main2, RefName: "main", Files: map[string]string{"menus.yaml": change}})
		mustPass(res)
		if !strings.Contains(res.Log, "::warning::no audit log of an apply found") {
			t.Errorf("no warning about the missing audit log:\n%s", res.Log)
		}
		writes := ghIssueWrites(h.calls())
		if diff := cmp.Diff([]string{"PATCH issues/31", "POST issues/31/comments"}, writeList(writes)); diff != "" {
			t.Fatalf("issue writes (-want +got):\n%s", diff)
		}
		driftIssueBody(t, writes[0].Body, "drifted", "**drifted**", "Without an audit log")
		if !strings.Contains(writes[1].Body, "Now **drifted** (was **changed_outside**)") {
			t.Errorf("comment on the change of kind:\n%s", writes[1].Body)
		}
	})

	t.Run("recovery closes the issue with a comment", func(t *testing.T) {
		h.t = t
		outOfBandChange(t, h, change)
		routeGitHubDrift(h, "menus-sync.yml", []string{"106", "103"}, []string{"123", "109", "108", "107"},
			ghIssue(30, title, "mallory", "close me"), ghIssue(31, title, githubBot, issueBody))
		res := r.runJob("drift", ghEvent{Name: "schedule", RunID: "123", SHA: main2, RefName: "main", Files: map[string]string{"menus.yaml": change}})
		mustPass(res)
		writes := ghIssueWrites(h.calls())
		if diff := cmp.Diff([]string{"POST issues/31/comments", "PATCH issues/31 state=closed"}, writeList(writes)); diff != "" {
			t.Fatalf("issue writes (-want +got):\n%s", diff)
		}
		if !strings.Contains(writes[0].Body, "matches its file again") {
			t.Errorf("closing comment:\n%s", writes[0].Body)
		}
	})

	t.Run("a drift check that cannot read the account fails, after its issue says so", func(t *testing.T) {
		h.t = t
		routeGitHubDrift(h, "menus-sync.yml", nil, nil)
		saved := r.secrets
		r.secrets = map[string]string{"WECHAT_APPID": wechattest.DefaultAppID, "WECHAT_APPSECRET": "a-wrong-secret-0123456789"}
		defer func() { r.secrets = saved }()
		res := r.runJob("drift", ghEvent{Name: "schedule", RunID: "124", SHA: main2, RefName: "main", Files: map[string]string{"menus.yaml": change}})
		if !res.Failed || res.Outputs["drift"]["exit-code"] != "1" || !strings.Contains(res.Log, "::error::wxmenu drift failed (exit 1)") {
			t.Errorf("want the job failed with drift's exit 1:\n%s", res.Log)
		}
		writes := ghIssueWrites(h.calls())
		if diff := cmp.Diff([]string{"POST issues " + title}, writeList(writes)); diff != "" {
			t.Fatalf("issue writes (-want +got):\n%s", diff)
		}
		driftIssueBody(t, writes[0].Body, "error", "**error**", "40125")
		noSecretIn(t, "the drift job's log", res.Log+res.Summary)
	})

	t.Run("blocked plan: its Markdown is posted, then the job fails", func(t *testing.T) {
		h.t = t
		h.route("gh api repos/acme/menus/issues/9/comments *", noComments)
		ev := ghEvent{Name: "pull_request", RunID: "110", SHA: "f4", RefName: "9/merge", PR: 9, PRHead: head4, Files: map[string]string{"menus.yaml": blocked}}
		res := r.runJob("plan", ev)
		if !res.Failed || res.Outputs["plan"]["exit-code"] != "1" {
			t.Fatalf("want a failed job with plan exit 1, got failed=%v code=%q\n%s", res.Failed, res.Outputs["plan"]["exit-code"], res.Log)
		}
		if _, ok := r.artifacts["110"]; ok {
			t.Error("a blocked plan was uploaded for apply")
		}
		calls := h.calls()
		gh := argsOf(calls, "gh")
		if len(gh) != 3 || !isWhoami(gh[0]) || gh[2][3] != "POST" {
			t.Fatalf("gh calls %q, want the blocked plan posted", gh)
		}
		if body := calls[len(calls)-1].Body; body != actionPlanPart(t, res, "plan") || body == "" {
			t.Errorf("posted %q, want the blocked plan's Markdown", body)
		}
	})

	t.Run("a download that does not match the checksums file stops the job", func(t *testing.T) {
		h.t = t
		archive, _ := h.release(version, "linux_amd64")
		tampered := h.file("release/tampered.tar.gz", readFile(t, archive)+"x")
		h.route("curl * https://github.com/wxmenu/wxmenu/releases/download/"+version+"/wxmenu_"+strings.TrimPrefix(version, "v")+"_linux_amd64.tar.gz", tampered)
		h.route("gh api repos/acme/menus/issues/10/comments *", noComments)
		ev := ghEvent{Name: "pull_request", RunID: "111", SHA: "f5", RefName: "10/merge", PR: 10, PRHead: head4, Files: map[string]string{"menus.yaml": base}}
		res := r.runJob("plan", ev)
		// The Action's install step fails: wxmenu never runs (no exit-code).
		if !res.Failed || res.Steps["plan"] != "failure" || res.Outputs["plan"]["exit-code"] != "" || !strings.Contains(res.Log, "did NOT match") {
			t.Errorf("want the job to stop at install:\n%s", res.Log)
		}
		if gh := argsOf(h.calls(), "gh"); len(gh) != 0 {
			t.Errorf("gh called after a failed install: %q", gh)
		}
		h.release(version, "linux_amd64")
	})

	t.Run("secrets kept in the environment only: plan fails with no credentials until the job names it, as the header says", func(t *testing.T) {
		h.t = t
		h.route("gh api repos/acme/menus/issues/11/comments *", noComments)
		envOnly := *r
		envOnly.secrets = map[string]string{}
		envOnly.envSecrets = map[string]map[string]string{"wechat-production": r.secrets}
		ev := ghEvent{Name: "pull_request", RunID: "112", SHA: "f6", RefName: "11/merge", PR: 11, PRHead: head4, Files: map[string]string{"menus.yaml": base}}
		res := envOnly.runJob("plan", ev)
		if !res.Failed || res.Outputs["plan"]["exit-code"] != "1" || !strings.Contains(res.Log, "no credentials") {
			t.Errorf("want the plan to fail with no credentials, got code %q:\n%s", res.Outputs["plan"]["exit-code"], res.Log)
		}
		h.calls()
		// The header's remedy: the plan job names the environment too.
		envOnly.wf.Jobs = maps.Clone(r.wf.Jobs)
		plan := envOnly.wf.Jobs["plan"]
		plan.Environment = "wechat-production"
		envOnly.wf.Jobs["plan"] = plan
		ev.RunID = "113"
		res = envOnly.runJob("plan", ev)
		mustPass(res)
		noSecretIn(t, "the plan job's log", res.Log+res.Summary)
		h.calls()
	})
}

// TestGitHubRecipeForkPlans runs the plans of pull requests from forks:
// the trusted snapshot job of a push keeps the account's snapshot as an
// artifact, and a fork's plan job, with no secrets, plans against the
// newest one and shows it in the job summary; without one it warns and
// passes. A pull request from the repository itself is planned live.
func TestGitHubRecipeForkPlans(t *testing.T) {
	t.Parallel()
	h := newCIHarness(t)
	wf := loadGitHubRecipe(t)
	h.release(wf.Env["WXMENU_VERSION"], "linux_amd64")
	r := &ghRunner{
		h: h, wf: wf, repo: "acme/menus", workflowPath: ".github/workflows/menus-sync.yml",
		token:     "ghs_recipe_test_token",
		secrets:   map[string]string{"WECHAT_APPID": wechattest.DefaultAppID, "WECHAT_APPSECRET": wechattest.DefaultSecret},
		artifacts: map[string]map[string]string{},
	}
	base, change, _, _ := menuFiles(t)
	h.route("gh api -X POST *", h.file("gh/ok.json", "{}"))
	h.refuse("gh api user *", ghUserRefused)
	const head = "5555555555555555555555555555555555555555"
	// The default branch's runs, by event, newest first; gh run download
	// copies a run's artifacts as the harness kept them.
	routeRuns := func(push, schedule []string) {
		t.Helper()
		for event, ids := range map[string][]string{"push": push, "schedule": schedule, "workflow_dispatch": nil} {
			list := []map[string]any{}
			for _, id := range ids {
				list = append(list, map[string]any{"databaseId": mustAtoi(t, id)})
				h.route("gh run download "+id+" *", filepath.Join(h.root, "artifacts", id))
			}
			b, _ := json.Marshal(list)
			h.route("gh run list --workflow menus-sync.yml --branch main --event "+event+" *", h.file("gh/fork-runs-"+event+".json", string(b)))
		}
	}
	forkEv := func(run string) ghEvent {
		return ghEvent{Name: "pull_request", RunID: run, SHA: "f" + run, RefName: "20/merge", PR: 20, PRHead: head, Fork: true, Files: map[string]string{"menus.yaml": change}}
	}
	// noCredentials fails when a run step of the job had WeChat
	// credentials in its environment, or the job called the account.
	noCredentials := func(t *testing.T, res ghJobResult, callsBefore int) {
		t.Helper()
		for step, env := range res.Env {
			for _, kv := range env {
				name, _, _ := strings.Cut(kv, "=")
				if strings.HasPrefix(name, "WECHAT_APP") || name == "WECHAT_ACCESS_TOKEN" {
					t.Errorf("step %q of a fork's plan had %s in its environment", step, name)
				}
			}
		}
		if n := totalCalls(h); n != callsBefore {
			t.Errorf("a fork's plan made %d calls to the account, want none", n-callsBefore)
		}
		noSecretIn(t, "the fork's plan job", res.Log+res.Summary)
	}

	t.Run("fork, no snapshot yet: a clear warning, and the job passes", func(t *testing.T) {
		h.t = t
		routeRuns(nil, nil)
		ev := forkEv("201")
		if diff := cmp.Diff([]string{"plan"}, r.jobsFor(ev)); diff != "" {
			t.Fatalf("jobs (-want +got):\n%s", diff)
		}
		before := totalCalls(h)
		res := r.runJob("plan", ev)
		if res.Failed {
			t.Fatalf("job failed:\n%s", res.Log)
		}
		if !strings.Contains(res.Log, "::warning::no wxmenu-snapshot artifact on main yet") || !strings.Contains(res.Summary, "no wxmenu-snapshot artifact on main yet") {
			t.Errorf("want a warning in the log and the summary:\n%s\n---\n%s", res.Log, res.Summary)
		}
		if res.Steps["plan"] != "skipped" || res.Steps["forkplan"] != "skipped" || len(r.artifacts["201"]) != 0 {
			t.Errorf("steps %v, artifacts %v: want no plan", res.Steps, r.artifacts["201"])
		}
		noCredentials(t, res, before)
		if gh := argsOf(h.calls(), "gh"); slices.ContainsFunc(gh, func(a []string) bool { return slices.Contains(a, "POST") || isWhoami(a) }) {
			t.Errorf("a fork's job tried to comment: %q", gh)
		}
	})

	t.Run("fork, a listed run whose snapshot expired: the same warning", func(t *testing.T) {
		h.t = t
		// Run 199 exists but kept no artifact (expired).
		if err := os.MkdirAll(filepath.Join(h.root, "artifacts", "199"), 0o755); err != nil {
			t.Fatal(err)
		}
		routeRuns([]string{"199"}, nil)
		res := r.runJob("plan", forkEv("202"))
		if res.Failed || !strings.Contains(res.Log, "::warning::no wxmenu-snapshot artifact on main yet") || res.Steps["forkplan"] != "skipped" {
			t.Errorf("want a warning and no plan, got steps %v:\n%s", res.Steps, res.Log)
		}
		h.calls()
	})

	t.Run("push: the trusted snapshot job keeps the account as an artifact", func(t *testing.T) {
		h.t = t
		ev := ghEvent{Name: "push", RunID: "203", SHA: "cccccccccccccccccccccccccccccccccccccccc", RefName: "main", Files: map[string]string{"menus.yaml": base}}
		if diff := cmp.Diff([]string{"apply", "snapshot"}, r.jobsFor(ev)); diff != "" {
			t.Fatalf("jobs (-want +got):\n%s", diff)
		}
		before := h.mutatingCalls()
		res := r.runJob("snapshot", ev)
		if res.Failed {
			t.Fatalf("job failed:\n%s", res.Log)
		}
		if h.mutatingCalls() != before {
			t.Error("the snapshot job changed the account")
		}
		dir, ok := r.artifacts["203"]["wxmenu-snapshot"]
		if !ok {
			t.Fatalf("no artifact wxmenu-snapshot in run 203: %v", r.artifacts["203"])
		}
		snap := readFile(t, filepath.Join(dir, "snapshot.json"))
		if !strings.Contains(snap, `"wxmenu-snapshot"`) {
			t.Errorf("the artifact is not a snapshot:\n%s", snap)
		}
		noSecretIn(t, "the snapshot job", res.Log+snap)
		h.calls()
		// The schedule takes one too (the only trigger on a quiet branch).
		if diff := cmp.Diff([]string{"drift", "snapshot"}, r.jobsFor(ghEvent{Name: "schedule", RunID: "204", RefName: "main"})); diff != "" {
			t.Errorf("schedule jobs (-want +got):\n%s", diff)
		}
	})

	t.Run("fork: planned against the newest snapshot, with no secrets, in the job summary only", func(t *testing.T) {
		h.t = t
		routeRuns([]string{"203", "199"}, nil)
		ev := forkEv("205")
		before := totalCalls(h)
		res := r.runJob("plan", ev)
		if res.Failed {
			t.Fatalf("job failed:\n%s", res.Log)
		}
		if got := res.Outputs["forkplan"]["exit-code"]; got != "2" {
			t.Errorf("fork plan exit code %q, want 2 (changes)\n%s", got, res.Log)
		}
		if res.Steps["plan"] != "skipped" {
			t.Error("the live plan step ran for a fork")
		}
		for _, want := range []string{"comes from a fork", "saved by run 203", "cannot comment", "**wxmenu plan**", "+ 签到 [click] key=CHECKIN_DAILY", "Made from the snapshot"} {
			if !strings.Contains(res.Summary, want) {
				t.Errorf("the job summary lacks %q:\n%s", want, res.Summary)
			}
		}
		noCredentials(t, res, before)
		gh := argsOf(h.calls(), "gh")
		if slices.ContainsFunc(gh, func(a []string) bool { return slices.Contains(a, "POST") || slices.Contains(a, "PATCH") || isWhoami(a) }) {
			t.Errorf("a fork's job tried to comment: %q", gh)
		}
		if !slices.ContainsFunc(gh, func(a []string) bool { return len(a) > 3 && a[1] == "run" && a[2] == "download" && a[3] == "203" }) {
			t.Errorf("gh calls %q: want run 203's snapshot downloaded", gh)
		}
		// The plan is kept for the merge, where apply refuses it (made
		// from a snapshot) and re-plans from the live account.
		dir, ok := r.artifacts["205"]["wxmenu-plan-"+head]
		if !ok {
			t.Fatalf("no plan artifact in run 205: %v", r.artifacts["205"])
		}
		if code, out := h.cli(res.Workspace, "apply", filepath.Join(dir, "plan.json")); code != 3 || !strings.Contains(out, "made from the snapshot") {
			t.Errorf("apply of the fork's plan: exit %d, want 3 (refused)\n%s", code, out)
		}
	})

	t.Run("a pull request from the repository itself is planned live and commented, as before", func(t *testing.T) {
		h.t = t
		h.route("gh api repos/acme/menus/issues/21/comments *", h.file("gh/no-comments.json", "[]"))
		ev := ghEvent{Name: "pull_request", RunID: "206", SHA: "f206", RefName: "21/merge", PR: 21, PRHead: head, Files: map[string]string{"menus.yaml": change}}
		res := r.runJob("plan", ev)
		if res.Failed {
			t.Fatalf("job failed:\n%s", res.Log)
		}
		if res.Outputs["plan"]["exit-code"] != "2" || res.Steps["snapshot"] != "skipped" || res.Steps["forkplan"] != "skipped" {
			t.Errorf("steps %v, outputs %v: want the live plan only", res.Steps, res.Outputs)
		}
		if strings.Contains(res.Summary, "snapshot") {
			t.Errorf("a live plan's summary mentions a snapshot:\n%s", res.Summary)
		}
		gh := argsOf(h.calls(), "gh")
		if len(gh) != 3 || gh[2][3] != "POST" || gh[2][4] != "repos/acme/menus/issues/21/comments" {
			t.Errorf("gh calls %q, want the sticky comment posted", gh)
		}
		if slices.ContainsFunc(gh, func(a []string) bool { return a[1] == "run" }) {
			t.Errorf("a same-repository plan looked for a snapshot: %q", gh)
		}
	})
}

// actionPlanPart reads part 1 of the plan the wxmenu Action step id wrote
// (its output markdown-dir): the Markdown the recipe posts.
func actionPlanPart(t *testing.T, res ghJobResult, id string) string {
	t.Helper()
	dir := res.Outputs[id]["markdown-dir"]
	if dir == "" {
		t.Fatalf("step %s set no markdown-dir (outputs %v):\n%s", id, res.Outputs[id], res.Log)
	}
	return readFile(t, filepath.Join(dir, "plan-part-1.md"))
}

// totalCalls counts every call the emulated account received.
func totalCalls(h *ciHarness) int {
	n := 0
	for _, c := range h.emu.Calls() {
		n += c
	}
	return n
}

// TestGitHubRecipeConcurrency evaluates the concurrency groups the way
// GitHub does for each event: plans cancel each other per pull request only,
// applies share one group that never cancels and cannot collapse to a
// constant shared with anything else, the drift check has its own.
func TestGitHubRecipeConcurrency(t *testing.T) {
	wf := loadGitHubRecipe(t)
	if wf.Concurrency.Kind != 0 {
		t.Error("a workflow-level concurrency group puts plans, applies and drift checks in one queue, where a new run cancels a waiting apply")
	}
	r := &ghRunner{h: &ciHarness{t: t}, wf: wf, repo: "acme/menus", workflowPath: ".github/workflows/x.yml", secrets: map[string]string{}}
	group := func(job string, ev ghEvent) string {
		t.Helper()
		return ghInterpolate(t, r.context(ev), wf.Jobs[job].Concurrency.Group)
	}
	pr := func(n int) ghEvent { return ghEvent{Name: "pull_request", PR: n, RunID: "1"} }
	push := ghEvent{Name: "push", RunID: "2", RefName: "main"}
	dispatch := ghEvent{Name: "workflow_dispatch", RunID: "3", Inputs: map[string]string{"plan_run": "2"}}
	schedule := ghEvent{Name: "schedule", RunID: "4"}

	if g1, g2 := group("plan", pr(7)), group("plan", pr(8)); g1 == g2 || g1 != group("plan", pr(7)) {
		t.Errorf("plan groups %q and %q: want one group per pull request", g1, g2)
	}
	if !wf.Jobs["plan"].Concurrency.CancelInProgress {
		t.Error("a new push to a pull request should cancel its older plan")
	}
	apply := group("apply", push)
	if apply != group("apply", dispatch) || !strings.Contains(apply, "acme/menus") {
		t.Errorf("apply groups %q (push) and %q (dispatch): want one group per repository", apply, group("apply", dispatch))
	}
	if wf.Jobs["apply"].Concurrency.CancelInProgress {
		t.Error("an apply must never be cancelled")
	}
	for _, src := range []string{wf.Jobs["apply"].Concurrency.Group, wf.Jobs["drift"].Concurrency.Group} {
		if strings.Contains(src, "secrets.") || strings.Contains(src, "vars.") {
			t.Errorf("group %q is keyed on a secret or variable, which can be empty", src)
		}
	}
	drift := group("drift", schedule)
	if drift == apply || drift == group("plan", pr(7)) || apply == group("plan", pr(7)) {
		t.Errorf("groups must differ: plan %q, apply %q, drift %q", group("plan", pr(7)), apply, drift)
	}
	// Credentials come from secrets only.
	text := readFile(t, githubRecipe)
	for _, m := range regexp.MustCompile(`WECHAT_APP(ID|SECRET): (.*)`).FindAllStringSubmatch(text, -1) {
		if !strings.HasPrefix(m[2], "${{ secrets.WECHAT_APP") {
			t.Errorf("credential %q not taken from secrets", m[0])
		}
	}
	if strings.Contains(text, "wxmenu.yml") {
		t.Error("the recipe names its own file; it must work under any name")
	}
	if strings.Contains(text, "@latest") {
		t.Error("the recipe installs @latest")
	}
}

// TestGitHubRecipesCredentials checks which jobs of the GitHub recipes read
// secrets, and that the header says how to store them so that every one of
// those jobs can: a secret kept only in an environment reaches only the jobs
// that name it.
func TestGitHubRecipesCredentials(t *testing.T) {
	for _, tc := range []struct {
		file string
		want []string // the jobs that read credentials
	}{
		{githubRecipe, []string{"apply", "drift", "plan", "snapshot"}},
		{githubFleetRecipe, []string{"apply", "canary", "drift", "plan", "snapshot"}},
	} {
		text := readFile(t, tc.file)
		var wf struct {
			Jobs map[string]yaml.Node `yaml:"jobs"`
		}
		if err := yaml.Unmarshal([]byte(text), &wf); err != nil {
			t.Fatalf("%s: %v", tc.file, err)
		}
		var readers []string
		environments := map[string]string{}
		for name, node := range wf.Jobs {
			b, err := yaml.Marshal(&node)
			if err != nil {
				t.Fatal(err)
			}
			if regexp.MustCompile(`secrets\.[A-Z]`).Match(b) {
				readers = append(readers, name)
			}
			var job ghJob
			if err := node.Decode(&job); err != nil {
				t.Fatalf("%s: job %s: %v", tc.file, name, err)
			}
			environments[name] = job.Environment
		}
		sort.Strings(readers)
		if diff := cmp.Diff(tc.want, readers); diff != "" {
			t.Errorf("%s: jobs that read secrets (-want +got):\n%s", tc.file, diff)
		}
		// The header, as one line of text.
		var header []string
		for _, line := range strings.Split(text, "\n") {
			if !strings.HasPrefix(line, "#") {
				break
			}
			header = append(header, strings.TrimSpace(strings.TrimPrefix(line, "#")))
		}
		says := strings.Join(header, " ")
		for _, name := range readers {
			if env := environments[name]; env != "" {
				if !strings.Contains(says, "`"+env+"` environment") {
					t.Errorf("%s: job %s runs in the environment %s, which the header does not name", tc.file, name, env)
				}
				continue
			}
			// A job without an environment reads repository secrets only:
			// the header must say to keep them there, or how to give the job
			// the environment.
			if !strings.Contains(says, "Repository secrets") || !strings.Contains(says, "add `environment: wechat-production` to the plan and drift jobs") &&
				!strings.Contains(says, "add `environment: wechat-read` to the plan, canary, drift and snapshot jobs") {
				t.Errorf("%s: job %s reads secrets without an environment, and the header does not say to keep them as repository secrets or how to give it the environment:\n%s", tc.file, name, says)
			}
		}
	}
}

// TestGitLabRecipeRuns runs the GitLab recipe: merge request plan and
// sticky note, apply on the default branch, a stale apply with its manual
// re-plan job, the drift check and a blocked plan.
func TestGitLabRecipeRuns(t *testing.T) {
	t.Parallel()
	h := newCIHarness(t)
	p := loadGitLabPipeline(t, gitlabRecipe)
	version := p.Variables["WXMENU_VERSION"]
	if !pinnedVersion.MatchString(version) {
		t.Fatalf("WXMENU_VERSION = %q, want a pinned release like v1.2.3", version)
	}
	if !strings.HasPrefix(p.Default.Image, "alpine:") {
		t.Fatalf("default image %q: the runner emulates alpine's sh and apk; adapt the test to a new image", p.Default.Image)
	}
	h.release(version, "linux_amd64")
	r := &glRunner{
		h: h, p: p,
		settings:  map[string]string{"WECHAT_APPID": wechattest.DefaultAppID, "WECHAT_APPSECRET": wechattest.DefaultSecret, "GITLAB_API_TOKEN": "glpat-recipe-test-token"},
		artifacts: map[string]map[string]string{},
	}
	base, change, outOfBand, blocked := menuFiles(t)
	api := "https://gitlab.example.com/api/v4/projects/42"
	ok := h.file("gl/ok.json", "{}")
	h.route("curl * -X POST *", ok)
	h.route("curl * -X PUT *", ok)
	emptyNotes := h.file("gl/no-notes.json", "[]")
	h.route("curl * https://gitlab.example.com/api/v4/user", h.file("gl/user.json", fmt.Sprintf(`{"id":%d,"username":"project_42_bot_1"}`, gitlabBotID)))
	if _, err := exec.LookPath("uname"); err != nil {
		t.Fatal(err)
	}
	// The runner's machine is what uname -m says; the test serves the
	// amd64 archive, so it needs an amd64 machine.
	if out, _ := exec.Command("uname", "-m").Output(); strings.TrimSpace(string(out)) != "x86_64" {
		t.Skipf("the GitLab install step picks the archive by uname -m (%s); the test serves linux_amd64", out)
	}
	mustJobs := func(ev glEvent, want map[string]string) {
		h.t.Helper()
		if diff := cmp.Diff(want, r.jobsFor(ev)); diff != "" {
			h.t.Fatalf("%s: jobs (-want +got):\n%s", ev.Source, diff)
		}
	}
	tokenHeader := "PRIVATE-TOKEN: glpat-recipe-test-token"
	var planMarkdown string

	t.Run("merge request: plan and a new note", func(t *testing.T) {
		h.t = t
		h.route("curl * "+api+"/merge_requests/5/notes?*", emptyNotes)
		ev := glEvent{Source: "merge_request_event", PipelineID: "201", SHA: "c1c1c1c1c1c1", MR: 5, Files: map[string]string{"menus.yaml": base}}
		mustJobs(ev, map[string]string{"plan": "on_success"})
		before := h.mutatingCalls()
		res := r.runJob("plan", ev)
		if res.Code != 0 {
			t.Fatalf("plan job exit %d:\n%s", res.Code, res.Log)
		}
		if h.mutatingCalls() != before {
			t.Error("the plan job changed the account")
		}
		planMarkdown = readFile(t, filepath.Join(res.Workspace, "plan.md"))
		calls := h.calls()
		if apk := argsOf(calls, "apk"); len(apk) != 1 || !slices.Contains(apk[0], "jq") || !slices.Contains(apk[0], "curl") {
			t.Errorf("apk calls %q: the recipe must install the curl and jq it uses", apk)
		}
		curls := argsOf(calls, "curl")
		if len(curls) != 5 || curls[2][len(curls[2])-1] != "https://gitlab.example.com/api/v4/user" {
			t.Fatalf("curl calls %q, want 2 downloads, the token's user, the note lookup and the new note", curls)
		}
		post := curls[4]
		if !slices.Contains(post, "POST") || post[len(post)-1] != api+"/merge_requests/5/notes" || !slices.Contains(post, tokenHeader) {
			t.Errorf("last curl call %q, want a POST of a note on MR 5 with the API token", post)
		}
		if body := calls[len(calls)-1].Body; body != planMarkdown || !strings.HasPrefix(body, "<!-- wxmenu-plan:") {
			t.Errorf("posted note differs from plan.md:\n%s", cmp.Diff(planMarkdown, body))
		}
		if _, err := os.Stat(filepath.Join(h.root, "gl-artifacts", "201", "plan", "plan.json")); err != nil {
			t.Errorf("plan.json not kept as an artifact: %v", err)
		}
		noSecretIn(t, "the plan job's log", res.Log+planMarkdown)
	})

	t.Run("another push to the merge request updates its note", func(t *testing.T) {
		h.t = t
		notes, _ := json.Marshal([]map[string]any{glNote(3, 5, "please review"), glNote(77, gitlabBotID, planMarkdown)})
		h.route("curl * "+api+"/merge_requests/5/notes?*", h.file("gl/notes-5.json", string(notes)))
		ev := glEvent{Source: "merge_request_event", PipelineID: "202", SHA: "c2c2c2c2c2c2", MR: 5, Files: map[string]string{"menus.yaml": base}}
		if res := r.runJob("plan", ev); res.Code != 0 {
			t.Fatalf("plan job exit %d:\n%s", res.Code, res.Log)
		}
		curls := argsOf(h.calls(), "curl")
		last := curls[len(curls)-1]
		if !slices.Contains(last, "PUT") || last[len(last)-1] != api+"/merge_requests/5/notes/77" {
			t.Errorf("last curl call %q, want a PUT of note 77", last)
		}
	})

	// Anyone who can comment can post a note that starts with the plan's
	// marker, before the job runs: the job must never take it for its own.
	// GitLab refuses a Reporter's token any change to another's note.
	forged := func() []map[string]any {
		marker, _, _ := strings.Cut(planMarkdown, "\n")
		return []map[string]any{
			glNote(901, 5, marker+"\n**wxmenu plan**: no changes."),
			glNote(902, 5, "<!-- wxmenu-plan part 1/1 -->\n**wxmenu plan**: no changes."),
			glNote(903, 5, "<!-- wxmenu-plan part 7/7 -->\nfake"),
		}
	}
	planWithNotes := func(t *testing.T, pipeline string, mr int, notes []map[string]any) []issueWrite {
		t.Helper()
		b, _ := json.Marshal(notes)
		h.route(fmt.Sprintf("curl * %s/merge_requests/%d/notes?*", api, mr), h.file(fmt.Sprintf("gl/notes-%d.json", mr), string(b)))
		refuseOthersNotes(h, api, mr, notes)
		ev := glEvent{Source: "merge_request_event", PipelineID: pipeline, SHA: "c" + pipeline + "c" + pipeline + "c" + pipeline, MR: mr, Files: map[string]string{"menus.yaml": base}}
		res := r.runJob("plan", ev)
		if res.Code != 0 {
			t.Errorf("plan job exit %d:\n%s", res.Code, res.Log)
		}
		noSecretIn(t, "the plan job's log", res.Log)
		return glIssueWrites(h.calls(), api)
	}
	t.Run("an outsider's notes with the plan's marker are left alone: the job posts its own", func(t *testing.T) {
		h.t = t
		writes := planWithNotes(t, "231", 11, forged())
		if diff := cmp.Diff([]string{"POST merge_requests/11/notes"}, writeList(writes)); diff != "" {
			t.Fatalf("note writes (-want +got):\n%s", diff)
		}
		if !strings.HasPrefix(writes[0].Body, "<!-- wxmenu-plan:") || strings.Contains(writes[0].Body, "no changes.") {
			t.Errorf("posted %q, want the plan", writes[0].Body)
		}
	})

	t.Run("with its own note after forged ones, the job updates its own", func(t *testing.T) {
		h.t = t
		writes := planWithNotes(t, "232", 11, append(forged(), glNote(78, gitlabBotID, planMarkdown)))
		if diff := cmp.Diff([]string{"PUT merge_requests/11/notes/78"}, writeList(writes)); diff != "" {
			t.Fatalf("note writes (-want +got):\n%s", diff)
		}
	})

	// GitLab returns at most 100 notes a page: on a long merge request the
	// job's note is on a later page, and must still be updated, not posted
	// again.
	t.Run("with more than 100 notes, the job finds its own on a later page and updates it", func(t *testing.T) {
		h.t = t
		var first []map[string]any
		for i := 0; i < 100; i++ {
			first = append(first, glNote(1000+i, 5, fmt.Sprintf("comment %d", i)))
		}
		page1, _ := json.Marshal(first)
		// pages runs the plan job with these notes: a full first page, then
		// the second (the narrower route, added last, wins for page 2).
		pages := func(t *testing.T, pipeline string, second []map[string]any) []issueWrite {
			t.Helper()
			b, _ := json.Marshal(second)
			h.route("curl * "+api+"/merge_requests/12/notes?*", h.file("gl/notes-12.json", string(page1)))
			h.route("curl * "+api+"/merge_requests/12/notes?*&page=2", h.file("gl/notes-12-page-2-"+pipeline+".json", string(b)))
			refuseOthersNotes(h, api, 12, append(slices.Clone(first), second...))
			ev := glEvent{Source: "merge_request_event", PipelineID: pipeline, SHA: "c" + pipeline + "c" + pipeline + "c" + pipeline, MR: 12, Files: map[string]string{"menus.yaml": base}}
			res := r.runJob("plan", ev)
			if res.Code != 0 {
				t.Errorf("plan job exit %d:\n%s", res.Code, res.Log)
			}
			noSecretIn(t, "the plan job's log", res.Log)
			return glIssueWrites(h.calls(), api)
		}
		if diff := cmp.Diff([]string{"POST merge_requests/12/notes"}, writeList(pages(t, "233", []map[string]any{}))); diff != "" {
			t.Fatalf("note writes with no note of its own (-want +got):\n%s", diff)
		}
		writes := pages(t, "234", []map[string]any{glNote(1100, 5, "one more"), glNote(79, gitlabBotID, planMarkdown)})
		if diff := cmp.Diff([]string{"PUT merge_requests/12/notes/79"}, writeList(writes)); diff != "" {
			t.Fatalf("note writes with its note on page 2 (-want +got):\n%s", diff)
		}
	})

	artifactURL := func(mr string) string {
		return "curl * " + api + "/jobs/artifacts/refs%2Fmerge-requests%2F" + mr + "%2Fhead/raw/plan.json?job=plan"
	}
	t.Run("default branch: apply the plan of the merged merge request", func(t *testing.T) {
		h.t = t
		h.route("curl * "+api+"/repository/commits/d1d1d1d1d1d1/merge_requests", h.file("gl/mrs-d1.json", `[{"iid":5,"state":"merged"}]`))
		h.route(artifactURL("5"), filepath.Join(h.root, "gl-artifacts", "202", "plan", "plan.json"))
		ev := glEvent{Source: "push", PipelineID: "203", SHA: "d1d1d1d1d1d1", Branch: "main", Files: map[string]string{"menus.yaml": base}}
		mustJobs(ev, map[string]string{"apply": "on_success", "apply-replan": "manual", "snapshot": "always"})
		res := r.runJob("apply", ev)
		if res.Code != 0 {
			t.Fatalf("apply job exit %d:\n%s", res.Code, res.Log)
		}
		if _, err := os.Stat(filepath.Join(h.root, "gl-artifacts", "203", "apply", "audit.jsonl")); err != nil {
			t.Errorf("no audit log artifact: %v", err)
		}
		if code := checkDrift(t, h, base); code != 0 {
			t.Errorf("after the apply, plan exits %d, want 0", code)
		}
		h.calls()
	})

	t.Run("stale apply: re-plan note, then the manual job applies it", func(t *testing.T) {
		h.t = t
		h.route("curl * "+api+"/merge_requests/6/notes?*", emptyNotes)
		mrEv := glEvent{Source: "merge_request_event", PipelineID: "204", SHA: "c3c3c3c3c3c3", MR: 6, Files: map[string]string{"menus.yaml": change}}
		if res := r.runJob("plan", mrEv); res.Code != 0 {
			t.Fatalf("plan job exit %d:\n%s", res.Code, res.Log)
		}
		outOfBandChange(t, h, outOfBand)
		h.calls()
		h.route("curl * "+api+"/repository/commits/d2d2d2d2d2d2/merge_requests", h.file("gl/mrs-d2.json", `[{"iid":4,"state":"closed"},{"iid":6,"state":"merged"}]`))
		h.route(artifactURL("6"), filepath.Join(h.root, "gl-artifacts", "204", "plan", "plan.json"))
		ev := glEvent{Source: "push", PipelineID: "205", SHA: "d2d2d2d2d2d2", Branch: "main", Files: map[string]string{"menus.yaml": change}}
		res := r.runJob("apply", ev)
		if res.Code != 3 {
			t.Fatalf("stale apply job exit %d, want 3:\n%s", res.Code, res.Log)
		}
		if !slices.Contains(p.Jobs["apply"].allowedExitCodes(t), 3) {
			t.Error("apply exits 3 on a stale plan, which allow_failure: exit_codes must name (the manual job needs it)")
		}
		calls := h.calls()
		curls := argsOf(calls, "curl")
		last := curls[len(curls)-1]
		if !slices.Contains(last, "POST") || last[len(last)-1] != api+"/merge_requests/6/notes" {
			t.Fatalf("last curl call %q, want the re-plan posted on MR 6", last)
		}
		body := calls[len(calls)-1].Body
		if !strings.Contains(body, "apply-replan") || !strings.Contains(body, "<!-- wxmenu-plan:") {
			t.Errorf("the note lacks the manual job or the new plan:\n%s", body)
		}
		manual := r.runJob("apply-replan", ev)
		if manual.Code != 0 {
			t.Fatalf("apply-replan exit %d:\n%s", manual.Code, manual.Log)
		}
		if code := checkDrift(t, h, change); code != 0 {
			t.Errorf("after apply-replan, plan exits %d, want 0", code)
		}
		h.calls()
	})

	// The drift check tracks drift in one issue instead of failing:
	// pipeline 203 applied, 205's apply was refused and its apply-replan
	// applied.
	pipelines, jobs := []string{"205", "203"}, map[string][]string{"203": {"plan", "apply"}, "205": {"apply", "apply-replan"}}
	const title = "wxmenu drift: menus.yaml"
	drift := func(t *testing.T, pipeline string) (glJobResult, []issueWrite) {
		t.Helper()
		ev := glEvent{Source: "schedule", PipelineID: pipeline, SHA: "d2d2d2d2d2d2", Branch: "main", Files: map[string]string{"menus.yaml": change}}
		mustJobs(ev, map[string]string{"drift": "on_success", "snapshot": "always"})
		before := h.mutatingCalls()
		res := r.runJob("drift", ev)
		if h.mutatingCalls() != before {
			t.Error("the drift check changed the account")
		}
		noSecretIn(t, "the drift job's log", res.Log)
		return res, glIssueWrites(h.calls(), api)
	}
	t.Run("schedule: drift check of a converged account writes no issue", func(t *testing.T) {
		h.t = t
		routeGitLabDrift(h, api, pipelines, jobs)
		res, writes := drift(t, "206")
		if res.Code != 0 || !strings.Contains(res.Log, "1 in_sync") {
			t.Fatalf("drift on a converged account: exit %d\n%s", res.Code, res.Log)
		}
		for _, want := range []string{"the audit log of job 92031 (pipeline 203)", "the audit log of job 92051 (pipeline 205)"} {
			if !strings.Contains(res.Log, want) {
				t.Errorf("the log lacks %q:\n%s", want, res.Log)
			}
		}
		if len(writes) != 0 {
			t.Errorf("issue writes %q", writeList(writes))
		}
	})

	var issueBody string
	t.Run("schedule: drift opens exactly one issue, and the job passes", func(t *testing.T) {
		h.t = t
		outOfBandChange(t, h, outOfBand)
		routeGitLabDrift(h, api, pipelines, jobs)
		res, writes := drift(t, "210")
		if res.Code != 0 || !strings.Contains(res.Log, "tracked in the issue \"wxmenu drift: menus.yaml\"") {
			t.Errorf("drift: exit %d, want 0 and a message\n%s", res.Code, res.Log)
		}
		if diff := cmp.Diff([]string{"POST issues " + title}, writeList(writes)); diff != "" {
			t.Fatalf("issue writes (-want +got):\n%s", diff)
		}
		issueBody = writes[0].Body
		driftIssueBody(t, issueBody, "changed_outside", "**changed_outside**", "Who sees another menu now", "plan -f menus.yaml --out plan.json`")
	})

	t.Run("the same drift again updates the issue and opens none", func(t *testing.T) {
		h.t = t
		routeGitLabDrift(h, api, pipelines, jobs, glIssue(12, gitlabBotID, title, issueBody), glIssue(13, 5, "menus look odd", "see title"))
		res, writes := drift(t, "211")
		if res.Code != 0 {
			t.Fatalf("exit %d:\n%s", res.Code, res.Log)
		}
		if diff := cmp.Diff([]string{"PUT issues/12"}, writeList(writes)); diff != "" {
			t.Fatalf("issue writes (-want +got):\n%s", diff)
		}
		driftIssueBody(t, writes[0].Body, "changed_outside")
	})

	t.Run("an issue of the same title by someone else is left alone: a new one is opened", func(t *testing.T) {
		h.t = t
		routeGitLabDrift(h, api, pipelines, jobs, glIssue(11, 5, title, "<!-- wxmenu-drift: pending -->\nclose me"))
		if res, writes := drift(t, "212"); res.Code != 0 || !slices.Equal(writeList(writes), []string{"POST issues " + title}) {
			t.Fatalf("exit %d, issue writes %q; want 0 and a new issue:\n%s", res.Code, writeList(writes), res.Log)
		}
	})

	t.Run("without an audit artifact drift still runs, says so, and a change of kind is noted", func(t *testing.T) {
		h.t = t
		routeGitLabDrift(h, api, nil, nil, glIssue(12, gitlabBotID, title, issueBody))
		res, writes := drift(t, "213")
		if res.Code != 0 || !strings.Contains(res.Log, "no audit log of an apply found") {
			t.Fatalf("exit %d, want 0 and a word on the missing audit log:\n%s", res.Code, res.Log)
		}
		if diff := cmp.Diff([]string{"PUT issues/12", "POST issues/12/notes"}, writeList(writes)); diff != "" {
			t.Fatalf("issue writes (-want +got):\n%s", diff)
		}
		driftIssueBody(t, writes[0].Body, "drifted", "Without an audit log")
		if !strings.Contains(writes[1].Body, "Now **drifted** (was **changed_outside**)") {
			t.Errorf("note on the change of kind:\n%s", writes[1].Body)
		}
	})

	t.Run("recovery closes the issue with a note", func(t *testing.T) {
		h.t = t
		outOfBandChange(t, h, change)
		routeGitLabDrift(h, api, pipelines, jobs, glIssue(11, 5, title, "close me"), glIssue(12, gitlabBotID, title, issueBody))
		res, writes := drift(t, "214")
		if res.Code != 0 {
			t.Fatalf("exit %d:\n%s", res.Code, res.Log)
		}
		if diff := cmp.Diff([]string{"POST issues/12/notes", "PUT issues/12 state_event=close"}, writeList(writes)); diff != "" {
			t.Fatalf("issue writes (-want +got):\n%s", diff)
		}
		outOfBandChange(t, h, outOfBand) // as the blocked plan below expects
	})

	t.Run("blocked plan: its Markdown is posted, then the job fails", func(t *testing.T) {
		h.t = t
		h.route("curl * "+api+"/merge_requests/7/notes?*", emptyNotes)
		ev := glEvent{Source: "merge_request_event", PipelineID: "207", SHA: "c4c4c4c4c4c4", MR: 7, Files: map[string]string{"menus.yaml": blocked}}
		res := r.runJob("plan", ev)
		if res.Code != 1 {
			t.Fatalf("blocked plan job exit %d, want 1:\n%s", res.Code, res.Log)
		}
		calls := h.calls()
		if body := calls[len(calls)-1].Body; body == "" || body != readFile(t, filepath.Join(res.Workspace, "plan.md")) {
			t.Errorf("the blocked plan was not posted: %q", body)
		}
	})
}

// TestGitLabRecipeShape checks what the runner above cannot see: one
// resource group for every job that applies, interruptible plans only.
func TestGitLabRecipeShape(t *testing.T) {
	p := loadGitLabPipeline(t, gitlabRecipe)
	for _, name := range []string{"apply", "apply-replan"} {
		j := p.Jobs[name]
		if j.ResourceGroup == "" || strings.Contains(j.ResourceGroup, "$") || j.ResourceGroup != p.Jobs["apply"].ResourceGroup {
			t.Errorf("%s: resource_group %q, want the fixed group of apply", name, j.ResourceGroup)
		}
		if j.Interruptible == nil || *j.Interruptible {
			t.Errorf("%s must be interruptible: false", name)
		}
	}
	if j := p.Jobs["plan"]; j.Interruptible == nil || !*j.Interruptible {
		t.Error("plan should be interruptible, so a new push to the merge request cancels it")
	}
	if diff := cmp.Diff([]string{"plan", "apply", "drift"}, p.Stages); diff != "" {
		t.Errorf("stages (-want +got):\n%s", diff)
	}
	text := readFile(t, gitlabRecipe)
	if strings.Contains(text, "@latest") {
		t.Error("the recipe installs @latest")
	}
	if regexp.MustCompile(`(?i)masked, protected|mark (them|it) protected\b[^.]*\bplan`).MatchString(text) {
		t.Error("the recipe tells users to protect the variables merge-request plans need")
	}
}

// gitlabSchema is GitLab's CI configuration schema (see
// testdata/gitlab-ci/README.md for where it comes from).
const gitlabSchema = "testdata/gitlab-ci/ci.schema.json"

func compileGitLabSchema(t *testing.T) *jsonschema.Schema {
	t.Helper()
	f, err := os.Open(gitlabSchema)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	doc, err := jsonschema.UnmarshalJSON(f)
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	if err := c.AddResource("https://gitlab.com/.gitlab-ci.yml", doc); err != nil {
		t.Fatal(err)
	}
	s, err := c.Compile("https://gitlab.com/.gitlab-ci.yml")
	if err != nil {
		t.Fatalf("compiling %s: %v", gitlabSchema, err)
	}
	return s
}

// yamlAsJSON decodes YAML into the values the validator takes.
func yamlAsJSON(t *testing.T, data []byte) any {
	t.Helper()
	var v any
	if err := yaml.Unmarshal(data, &v); err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	out, err := jsonschema.UnmarshalJSON(strings.NewReader(string(b)))
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestGitLabRecipeSchema validates the GitLab recipe offline against
// GitLab's published CI schema, and checks that the check can fail.
func TestGitLabRecipeSchema(t *testing.T) {
	s := compileGitLabSchema(t)
	data := []byte(readFile(t, gitlabRecipe))
	if err := s.Validate(yamlAsJSON(t, data)); err != nil {
		t.Fatalf("%s does not match GitLab's CI schema: %v", gitlabRecipe, err)
	}
	for name, broken := range map[string]string{
		"misspelled keyword": strings.Replace(string(data), "  resource_group: wxmenu-apply\n", "  resource-group: wxmenu-apply\n", 1),
		"bad allow_failure":  strings.Replace(string(data), "exit_codes: [3]", "exit_codes: three", 1),
	} {
		if broken == string(data) {
			t.Fatalf("%s: the recipe changed; pick another breakage", name)
		}
		if err := s.Validate(yamlAsJSON(t, []byte(broken))); err == nil {
			t.Errorf("%s: the schema accepts a broken recipe", name)
		}
	}
}

// TestGitLabRecipeShellcheck runs shellcheck over each job's script as the
// runner assembles it (before_script, then script) in sh dialect (alpine's
// busybox sh). actionlint does the same for the GitHub recipe in .ci/run.
func TestGitLabRecipeShellcheck(t *testing.T) {
	if _, err := exec.LookPath("shellcheck"); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("shellcheck is not installed (.ci/run installs it)")
		}
		t.Skip("shellcheck is not installed (apt-get install shellcheck)")
	}
	p := loadGitLabPipeline(t, gitlabRecipe)
	var names []string
	for name := range p.Jobs {
		names = append(names, name)
	}
	sort.Strings(names)
	dir := t.TempDir()
	for _, name := range names {
		j := p.Jobs[name]
		before := j.BeforeScript
		if before == nil {
			before = p.Default.BeforeScript
		}
		script := "#!/bin/sh\nset -e\n" + strings.Join(append(append([]string{}, before...), j.Script...), "\n") + "\n"
		path := filepath.Join(dir, name+".sh")
		if err := os.WriteFile(path, []byte(script), 0o644); err != nil {
			t.Fatal(err)
		}
		out, err := exec.Command("shellcheck", "--shell=sh", "--severity=style", path).CombinedOutput()
		if err != nil {
			t.Errorf("shellcheck %s job:\n%s", name, out)
		}
	}
}

// ---- the drift jobs' issues ----

// githubBot is the login of the GITHUB_TOKEN, which opens the GitHub
// recipes' drift issues.
const githubBot = "github-actions[bot]"

// ghUserRefused is what GET /user answers a GITHUB_TOKEN.
const ghUserRefused = "gh: Resource not accessible by integration (HTTP 403)"

// isWhoami tells the call that asks GitHub for the token's user.
func isWhoami(args []string) bool {
	return len(args) >= 3 && args[0] == "gh" && args[1] == "api" && args[2] == "user"
}

// ghComment is a comment as GitHub's issue comments API lists it.
func ghComment(id int, author, body string) map[string]any {
	return map[string]any{"id": id, "user": map[string]any{"login": author, "type": "User"}, "body": body}
}

// ghIssue is an open issue as GitHub's issues API lists it.
func ghIssue(number int, title, author, body string) map[string]any {
	return map[string]any{"number": number, "title": title, "state": "open", "user": map[string]any{"login": author, "type": "User"}, "body": body}
}

// routeGitHubDrift answers the GitHub drift job's calls: the runs of
// pushes and of manual dispatches on main (newest first; gh run download
// copies each one's artifacts as the harness kept them) and the open
// issues. The fake serves issues whatever the query's creator filter, so
// the recipe's own check of each issue's author is what is tested.
func routeGitHubDrift(h *ciHarness, workflow string, push, dispatch []string, issues ...map[string]any) {
	h.t.Helper()
	runs := func(name string, ids []string) string {
		list := []map[string]any{}
		for _, id := range ids {
			n, err := strconv.Atoi(id)
			if err != nil {
				h.t.Fatal(err)
			}
			list = append(list, map[string]any{"databaseId": n, "headBranch": "main"})
			h.route("gh run download "+id+" *", filepath.Join(h.root, "artifacts", id))
		}
		b, _ := json.Marshal(list)
		return h.file("gh/"+name, string(b))
	}
	h.route("gh run list --workflow "+workflow+" --branch main --event push *", runs("runs-push.json", push))
	h.route("gh run list --workflow "+workflow+" --branch main --event workflow_dispatch *", runs("runs-dispatch.json", dispatch))
	if issues == nil {
		issues = []map[string]any{}
	}
	b, _ := json.Marshal(issues)
	h.route("gh api repos/acme/menus/issues?state=open&*", h.file("gh/open-issues.json", string(b)))
}

// issueWrite is one write of a drift job to an issue: the method and path
// (with the state it sets, if any), the title it gives and the body.
type issueWrite struct {
	What, Title, Body string
}

func (w issueWrite) String() string {
	if w.Title != "" {
		return w.What + " " + w.Title
	}
	return w.What
}

func writeList(ws []issueWrite) []string {
	out := []string{}
	for _, w := range ws {
		out = append(out, w.String())
	}
	return out
}

// ghIssueWrites are the gh api calls with a method (-X): the writes.
func ghIssueWrites(calls []fakeCall) []issueWrite {
	var out []issueWrite
	for _, c := range calls {
		a := c.Args
		if a[0] != "gh" || len(a) < 5 || a[1] != "api" || a[2] != "-X" {
			continue
		}
		w := issueWrite{What: a[3] + " " + strings.TrimPrefix(a[4], "repos/acme/menus/"), Body: c.Body}
		for _, arg := range a[5:] {
			if v, ok := strings.CutPrefix(arg, "title="); ok {
				w.Title = v
			}
			if v, ok := strings.CutPrefix(arg, "state="); ok {
				w.What += " state=" + v
			}
		}
		out = append(out, w)
	}
	return out
}

// glNote is a note as GitLab's notes API lists it.
func glNote(id, author int, body string) map[string]any {
	return map[string]any{"id": id, "author": map[string]any{"id": author, "username": fmt.Sprintf("user%d", author)}, "body": body, "system": false}
}

// refuseOthersNotes makes the fake GitLab refuse, as GitLab does a
// Reporter's token, any change to a note of the merge request that is not
// the token user's. Routed after the notes lookup (whose glob, notes?*,
// matches notes/ID too) so that the refusals are tried first.
func refuseOthersNotes(h *ciHarness, api string, mr int, notes []map[string]any) {
	h.t.Helper()
	for _, n := range notes {
		if n["author"].(map[string]any)["id"] == gitlabBotID {
			continue
		}
		for _, m := range []string{"PUT", "DELETE"} {
			h.refuse(fmt.Sprintf("curl * -X %s * %s/merge_requests/%d/notes/%d", m, api, mr, n["id"]), "curl: (22) The requested URL returned error: 403")
		}
	}
}

// glIssue is an open issue as GitLab's issues API lists it.
func glIssue(iid, author int, title, description string) map[string]any {
	return map[string]any{"iid": iid, "title": title, "state": "opened", "author": map[string]any{"id": author}, "description": description}
}

// gitlabBotID is the user of the recipes' GITLAB_API_TOKEN (a project
// access token's bot user).
const gitlabBotID = 900

// routeGitLabDrift answers the GitLab drift job's calls: the push
// pipelines of main (newest first) and their jobs, whose audit logs are
// the artifacts the harness kept, the token's user and the open issues
// (served whatever the query's author filter: the recipe's own check of
// each issue's author is what is tested).
func routeGitLabDrift(h *ciHarness, api string, pipelines []string, jobs map[string][]string, issues ...map[string]any) {
	h.t.Helper()
	list := []map[string]any{}
	for _, p := range pipelines {
		list = append(list, map[string]any{"id": mustAtoi(h.t, p), "ref": "main", "source": "push"})
		var js []map[string]any
		for i, name := range jobs[p] {
			id := fmt.Sprintf("9%s%d", p, i)
			js = append(js, map[string]any{"id": mustAtoi(h.t, id), "name": name, "status": "success"})
			file := map[string]string{"apply": "audit.jsonl", "apply-replan": "audit-replan.jsonl"}[name]
			if kept := filepath.Join(h.root, "gl-artifacts", p, name, file); file != "" {
				if _, err := os.Stat(kept); err == nil {
					h.route("curl * "+api+"/jobs/"+id+"/artifacts/"+file, kept)
				}
			}
		}
		b, _ := json.Marshal(js)
		h.route("curl * "+api+"/pipelines/"+p+"/jobs?*", h.file("gl/jobs-"+p+".json", string(b)))
	}
	b, _ := json.Marshal(list)
	h.route("curl * "+api+"/pipelines?ref=main&source=push&*", h.file("gl/pipelines.json", string(b)))
	h.route("curl * https://gitlab.example.com/api/v4/user", h.file("gl/user.json", fmt.Sprintf(`{"id":%d,"username":"project_42_bot_1"}`, gitlabBotID)))
	if issues == nil {
		issues = []map[string]any{}
	}
	b, _ = json.Marshal(issues)
	h.route("curl * "+api+"/issues?state=opened&*", h.file("gl/open-issues.json", string(b)))
}

func mustAtoi(t *testing.T, s string) int {
	t.Helper()
	n, err := strconv.Atoi(s)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// glIssueWrites are the curl calls with a method (-X): the writes.
func glIssueWrites(calls []fakeCall, api string) []issueWrite {
	var out []issueWrite
	for _, c := range calls {
		a := c.Args
		i := slices.Index(a, "-X")
		if a[0] != "curl" || i < 0 {
			continue
		}
		w := issueWrite{What: a[i+1] + " " + strings.TrimPrefix(a[len(a)-1], api+"/"), Body: c.Body}
		for _, arg := range a {
			if v, ok := strings.CutPrefix(arg, "title="); ok {
				w.Title = v
			}
			if v, ok := strings.CutPrefix(arg, "state_event="); ok {
				w.What += " state_event=" + v
			}
		}
		out = append(out, w)
	}
	return out
}

// driftIssueBody checks a drift issue's body: its status marker, the
// words it must hold, and no credential.
func driftIssueBody(t *testing.T, body, status string, want ...string) {
	t.Helper()
	if !strings.HasPrefix(body, "<!-- wxmenu-drift: "+status+" -->\n") {
		t.Errorf("the issue body does not start with the marker of %s:\n%s", status, body)
	}
	for _, w := range want {
		if !strings.Contains(body, w) {
			t.Errorf("the issue body lacks %q:\n%s", w, body)
		}
	}
	noSecretIn(t, "the issue body", body)
}

// TestGitLabRecipeForkPlans runs the single-account GitLab recipe for
// merge requests from forks: the default branch's snapshot job keeps the
// account's snapshot as an artifact, and plan-fork, with no credentials,
// downloads it with the job token, plans menus.yaml against it and posts
// the plan when the pipeline has GITLAB_API_TOKEN, saying it comes from a
// fork and from the snapshot of that time; without a snapshot it warns and
// passes. After the merge, the apply job never applies that plan: it plans
// again from the live account for review.
func TestGitLabRecipeForkPlans(t *testing.T) {
	t.Parallel()
	if out, _ := exec.Command("uname", "-m").Output(); strings.TrimSpace(string(out)) != "x86_64" {
		t.Skipf("the GitLab install step picks the archive by uname -m (%s); the test serves linux_amd64", out)
	}
	h := newCIHarness(t)
	p := loadGitLabPipeline(t, gitlabRecipe)
	h.release(p.Variables["WXMENU_VERSION"], "linux_amd64")
	settings := map[string]string{"WECHAT_APPID": wechattest.DefaultAppID, "WECHAT_APPSECRET": wechattest.DefaultSecret, "GITLAB_API_TOKEN": "glpat-recipe-test-token"}
	// The secret protected: only protected branches get it. The recipe's
	// other setting, unprotected, is the last scenario.
	r := &glRunner{h: h, p: p, settings: settings, protected: map[string]bool{"WECHAT_APPSECRET": true}, artifacts: map[string]map[string]string{}}
	base, change, _, _ := menuFiles(t)
	outOfBandChange(t, h, base)
	api := "https://gitlab.example.com/api/v4/projects/42"
	snapshotURL := api + "/jobs/artifacts/main/raw/snapshot.json?job=snapshot"
	h.route("curl * -X POST *", h.file("gl/ok.json", "{}"))
	h.route("curl * -X PUT *", h.file("gl/ok.json", "{}"))
	h.route("curl * https://gitlab.example.com/api/v4/user", h.file("gl/user.json", fmt.Sprintf(`{"id":%d,"username":"project_42_bot_1"}`, gitlabBotID)))
	h.calls()
	credentials := []string{"WECHAT_APPSECRET", "WECHAT_ACCESS_TOKEN"}
	// forkRun runs plan-fork and checks what every fork's plan must hold:
	// no call to the account, no credential in its output, and, unless
	// the project gives the secret to every pipeline, none in its
	// environment.
	forkRun := func(t *testing.T, r *glRunner, ev glEvent) (glJobResult, []fakeCall) {
		t.Helper()
		if diff := cmp.Diff(map[string]string{"plan-fork": "on_success"}, r.jobsFor(ev)); diff != "" {
			t.Fatalf("jobs (-want +got):\n%s", diff)
		}
		before := totalCalls(h)
		res := r.runJob("plan-fork", ev)
		calls := h.calls()
		if n := totalCalls(h); n != before {
			t.Errorf("a fork's plan made %d calls to the account, want none:\n%s", n-before, res.Log)
		}
		if r.protected["WECHAT_APPSECRET"] {
			for _, kv := range res.Env {
				if name, _, _ := strings.Cut(kv, "="); slices.Contains(credentials, name) {
					t.Errorf("a fork's plan had the credential %s", name)
				}
			}
		}
		noSecretIn(t, "the fork's plan job", res.Log)
		for _, c := range calls {
			noSecretIn(t, "what the fork's plan job sent", c.Body)
		}
		return res, calls
	}
	writes := func(calls []fakeCall) []fakeCall {
		var out []fakeCall
		for _, c := range calls {
			if c.Args[0] == "curl" && (slices.Contains(c.Args, "POST") || slices.Contains(c.Args, "PUT") || slices.Contains(c.Args, "DELETE")) {
				out = append(out, c)
			}
		}
		return out
	}
	forkEv := func(pipeline string, inParent bool) glEvent {
		return glEvent{Source: "merge_request_event", PipelineID: pipeline, SHA: "f" + pipeline + "f" + pipeline + "f" + pipeline, MR: 9, Fork: true, InParent: inParent, Files: map[string]string{"menus.yaml": change}}
	}

	t.Run("a merge request from a branch of the project is planned by plan, not plan-fork", func(t *testing.T) {
		h.t = t
		ev := glEvent{Source: "merge_request_event", PipelineID: "500", SHA: "c5c5c5c5c5c5", MR: 8, Files: map[string]string{"menus.yaml": change}}
		if diff := cmp.Diff(map[string]string{"plan": "on_success"}, r.jobsFor(ev)); diff != "" {
			t.Errorf("jobs (-want +got):\n%s", diff)
		}
	})

	t.Run("fork, no snapshot yet: a clear warning, and the job passes", func(t *testing.T) {
		h.t = t
		h.refuse("curl * "+snapshotURL, "curl: (22) The requested URL returned error: 404")
		res, calls := forkRun(t, r, forkEv("501", false))
		if res.Code != 0 || !strings.Contains(res.Log, "warning: no snapshot of the account on main") {
			t.Errorf("want a warning and a passing job, got exit %d:\n%s", res.Code, res.Log)
		}
		if _, err := os.Stat(filepath.Join(res.Workspace, "plan.json")); err == nil {
			t.Error("planned without a snapshot")
		}
		if w := writes(calls); len(w) != 0 {
			t.Errorf("wrote without a plan: %q", argsOf(w, "curl"))
		}
	})

	var snap string
	t.Run("default branch: the snapshot job keeps the account's snapshot as an artifact", func(t *testing.T) {
		h.t = t
		ev := glEvent{Source: "schedule", PipelineID: "502", SHA: "m5m5m5m5m5m5", Branch: "main", Files: map[string]string{"menus.yaml": base}}
		if got := r.jobsFor(ev); got["snapshot"] != "always" {
			t.Fatalf("schedule jobs %v, want the snapshot job (when: always)", got)
		}
		if got := r.jobsFor(glEvent{Source: "push", PipelineID: "502", SHA: "m5m5m5m5m5m5", Branch: "main", Files: map[string]string{"menus.yaml": base}}); got["snapshot"] != "always" {
			t.Fatalf("push jobs %v, want the snapshot job after apply, failed or not", got)
		}
		before := h.mutatingCalls()
		res := r.runJob("snapshot", ev)
		if res.Code != 0 {
			t.Fatalf("snapshot job exit %d:\n%s", res.Code, res.Log)
		}
		if h.mutatingCalls() != before {
			t.Error("the snapshot job changed the account")
		}
		path := filepath.Join(h.root, "gl-artifacts", "502", "snapshot", "snapshot.json")
		snap = readFile(t, path)
		for _, want := range []string{`"wxmenu-snapshot"`, wechattest.DefaultAppID, "CHECKIN"} {
			if !strings.Contains(snap, want) {
				t.Errorf("the snapshot lacks %s:\n%s", want, snap)
			}
		}
		noSecretIn(t, "the snapshot job", res.Log+snap)
		h.route("curl * "+snapshotURL, path)
		h.calls()
	})
	if snap == "" {
		t.Fatal("no snapshot")
	}
	var doc struct {
		TakenAt string `json:"taken_at"`
	}
	if err := json.Unmarshal([]byte(snap), &doc); err != nil || doc.TakenAt == "" {
		t.Fatalf("the snapshot has no taken_at (%v):\n%s", err, snap)
	}

	var forkPlan string
	t.Run("fork, run in the fork: planned from the snapshot, in the job log only; apply refuses that plan", func(t *testing.T) {
		h.t = t
		res, calls := forkRun(t, r, forkEv("503", false))
		if res.Code != 0 {
			t.Fatalf("plan-fork exit %d:\n%s", res.Code, res.Log)
		}
		for _, want := range []string{"no GITLAB_API_TOKEN", "comes from a fork", "without credentials from the snapshot taken at " + doc.TakenAt, "CHECKIN_DAILY", "Made from the snapshot"} {
			if !strings.Contains(res.Log, want) {
				t.Errorf("the job log lacks %q:\n%s", want, res.Log)
			}
		}
		if w := writes(calls); len(w) != 0 {
			t.Errorf("a fork's pipeline without GITLAB_API_TOKEN wrote: %q", argsOf(w, "curl"))
		}
		downloaded := false
		for _, a := range argsOf(calls, "curl") {
			if a[len(a)-1] == snapshotURL {
				downloaded = true
				if !slices.Contains(a, "JOB-TOKEN: "+glJobToken) {
					t.Errorf("the snapshot was not downloaded with the job token: %q", a)
				}
			}
		}
		if !downloaded {
			t.Errorf("the snapshot was not downloaded from the project (42) of the merge request's target: %q", argsOf(calls, "curl"))
		}
		// Kept, and refused by apply: made from a snapshot.
		forkPlan = filepath.Join(h.root, "gl-artifacts", "503", "plan-fork", "plan.json")
		before := h.mutatingCalls()
		h.seq++
		dir := h.workspace(fmt.Sprintf("fork-apply-%d", h.seq), map[string]string{"menus.yaml": change})
		if code, out := h.cli(dir, "apply", forkPlan); code != 3 || !strings.Contains(out, "snapshot") {
			t.Errorf("apply of the fork's plan: exit %d, want 3 (refused)\n%s", code, out)
		}
		if h.mutatingCalls() != before {
			t.Error("apply of a plan made from a snapshot changed the account")
		}
	})

	// Anyone can post a note that starts with the plan's marker: the
	// marker of the plan the fork's pipeline kept above.
	marker, _, _ := strings.Cut(readFile(t, filepath.Join(h.root, "gl-artifacts", "503", "plan-fork", "plan.md")), "\n")
	if !strings.HasPrefix(marker, "<!-- wxmenu-plan:") {
		t.Fatalf("plan-fork's plan.md starts with %q, not the plan's marker", marker)
	}
	forged := []map[string]any{glNote(901, 5, marker+"\n**wxmenu plan**: no changes.")}
	routeNotes := func(notes []map[string]any) {
		b, _ := json.Marshal(notes)
		h.route("curl * "+api+"/merge_requests/9/notes?*", h.file("gl/notes-9.json", string(b)))
		refuseOthersNotes(h, api, 9, notes)
	}
	var forkNote string
	t.Run("fork, run in the project: the note says it was planned without credentials from the snapshot of its time; an outsider's marker is left alone", func(t *testing.T) {
		h.t = t
		routeNotes(forged)
		res, calls := forkRun(t, r, forkEv("504", true))
		if res.Code != 0 {
			t.Fatalf("plan-fork exit %d:\n%s", res.Code, res.Log)
		}
		w := writes(calls)
		if len(w) != 1 || w[0].Args[len(w[0].Args)-1] != api+"/merge_requests/9/notes" || !slices.Contains(w[0].Args, "POST") {
			t.Fatalf("note writes %q, want one new note", argsOf(w, "curl"))
		}
		forkNote = w[0].Body
		plan := readFile(t, filepath.Join(res.Workspace, "plan.md"))
		if !strings.HasPrefix(plan, marker+"\n") || forkNote != plan {
			t.Errorf("the note is not plan.md, starting with the marker %q:\n%s", marker, cmp.Diff(plan, forkNote))
		}
		for _, want := range []string{"comes from a fork", "without credentials from the snapshot taken at " + doc.TakenAt, "CHECKIN_DAILY", "Made from the snapshot"} {
			if !strings.Contains(forkNote, want) {
				t.Errorf("the note lacks %q:\n%s", want, forkNote)
			}
		}
	})

	t.Run("another push to the fork's merge request updates the job's own note", func(t *testing.T) {
		h.t = t
		routeNotes(append(forged, glNote(88, gitlabBotID, forkNote)))
		_, calls := forkRun(t, r, forkEv("505", true))
		w := writes(calls)
		if len(w) != 1 || w[0].Args[len(w[0].Args)-1] != api+"/merge_requests/9/notes/88" || !slices.Contains(w[0].Args, "PUT") {
			t.Fatalf("note writes %q, want a PUT of note 88", argsOf(w, "curl"))
		}
	})

	t.Run("a snapshot whose time is not a timestamp: the job does not show it, and wxmenu refuses the snapshot", func(t *testing.T) {
		h.t = t
		var m map[string]any
		if err := json.Unmarshal([]byte(snap), &m); err != nil {
			t.Fatal(err)
		}
		m["taken_at"] = "[click](https://evil.example) @everyone"
		b, _ := json.Marshal(m)
		h.route("curl * "+snapshotURL, h.file("gl/snapshot-odd-time.json", string(b)))
		t.Cleanup(func() {
			h.route("curl * "+snapshotURL, filepath.Join(h.root, "gl-artifacts", "502", "snapshot", "snapshot.json"))
		})
		res, calls := forkRun(t, r, forkEv("506", false))
		if strings.Contains(res.Log, "taken at [click") || !strings.Contains(res.Log, "the snapshot taken at an unknown time") {
			t.Errorf("the job showed the snapshot's time, or did not say it is unknown:\n%s", res.Log)
		}
		if res.Code != 1 || !strings.Contains(res.Log, "invalid snapshot") {
			t.Errorf("plan-fork exit %d, want 1: wxmenu refuses an edited snapshot\n%s", res.Code, res.Log)
		}
		if w := writes(calls); len(w) != 0 {
			t.Errorf("wrote: %q", argsOf(w, "curl"))
		}
	})

	t.Run("fork, run in the project that leaves the secret unprotected: wxmenu still never calls the account", func(t *testing.T) {
		h.t = t
		open := &glRunner{h: h, p: p, settings: settings, protected: map[string]bool{}, artifacts: map[string]map[string]string{}}
		routeNotes(forged)
		res, calls := forkRun(t, open, forkEv("507", true))
		if !slices.Contains(res.Env, "WECHAT_APPSECRET="+wechattest.DefaultSecret) {
			t.Fatal("the job did not get the unprotected secret: the scenario tests nothing")
		}
		if res.Code != 0 {
			t.Fatalf("plan-fork exit %d:\n%s", res.Code, res.Log)
		}
		if w := writes(calls); len(w) != 1 || !strings.Contains(w[0].Body, "Made from the snapshot") {
			t.Errorf("note writes %q, want one note with the plan from the snapshot", argsOf(w, "curl"))
		}
	})

	t.Run("the merge of the fork's merge request: apply plans again for review instead", func(t *testing.T) {
		h.t = t
		h.route("curl * "+api+"/repository/commits/e5e5e5e5e5e5/merge_requests", h.file("gl/mrs-e5.json", `[{"iid":9,"state":"merged","project_id":42,"target_project_id":42,"source_project_id":77}]`))
		// Were the fork's plan where apply looks for one, it is not taken.
		h.route("curl * "+api+"/jobs/artifacts/refs%2Fmerge-requests%2F9%2Fhead/raw/plan.json?job=*", forkPlan)
		ev := glEvent{Source: "push", PipelineID: "508", SHA: "e5e5e5e5e5e5", Branch: "main", Files: map[string]string{"menus.yaml": change}}
		before := h.mutatingCalls()
		res := r.runJob("apply", ev)
		if res.Code != 3 {
			t.Fatalf("apply after a fork's merge: exit %d, want 3 (re-planned for review):\n%s", res.Code, res.Log)
		}
		if h.mutatingCalls() != before {
			t.Error("apply changed the account without a reviewed plan of the live account")
		}
		calls := h.calls()
		for _, a := range argsOf(calls, "curl") {
			if strings.Contains(a[len(a)-1], "/raw/plan.json") {
				t.Errorf("apply downloaded the fork's plan: %q", a)
			}
		}
		w := writes(calls)
		if len(w) != 1 || w[0].Args[len(w[0].Args)-1] != api+"/merge_requests/9/notes" {
			t.Fatalf("writes %q, want the re-plan posted on MR 9", argsOf(w, "curl"))
		}
		for _, want := range []string{"comes from a fork", "apply-replan", "<!-- wxmenu-plan:", "CHECKIN_DAILY"} {
			if !strings.Contains(w[0].Body, want) {
				t.Errorf("the note lacks %q:\n%s", want, w[0].Body)
			}
		}
		if strings.Contains(w[0].Body, "Made from the snapshot") {
			t.Errorf("the re-plan was made from the snapshot:\n%s", w[0].Body)
		}
		noSecretIn(t, "the apply job", res.Log+w[0].Body)
		manual := r.runJob("apply-replan", ev)
		if manual.Code != 0 {
			t.Fatalf("apply-replan exit %d:\n%s", manual.Code, manual.Log)
		}
		if code := checkDrift(t, h, change); code != 0 {
			t.Errorf("after apply-replan, plan exits %d, want 0", code)
		}
	})
}

// TestGitLabRecipesRefuseATamperedCache runs the install lines of both
// GitLab recipes with a cache another pipeline filled (the cache key is
// shared by unprotected pipelines): a cached binary is never run, and a
// cached archive is run only when it matches the checksums file of the
// release, downloaded by every job.
func TestGitLabRecipesRefuseATamperedCache(t *testing.T) {
	t.Parallel()
	if out, _ := exec.Command("uname", "-m").Output(); strings.TrimSpace(string(out)) != "x86_64" {
		t.Skipf("the GitLab install step picks the archive by uname -m (%s); the test serves linux_amd64", out)
	}
	const evilBinary = "#!/bin/sh\ntouch \"$HOME/tampered-wxmenu-ran\"\necho tampered\n"
	evil := tarGz(t, map[string]string{"wxmenu": evilBinary})
	sum := sha256.Sum256([]byte(evil))
	for _, recipe := range []string{gitlabRecipe, gitlabFleetRecipe} {
		h := newCIHarness(t)
		p := loadGitLabPipeline(t, recipe)
		version := p.Variables["WXMENU_VERSION"]
		v := strings.TrimPrefix(version, "v")
		archive, _ := h.release(version, "linux_amd64")
		name := filepath.Base(archive)
		poisoned := hex.EncodeToString(sum[:]) + "  " + name + "\n"
		p.Jobs["install"] = glJob{Script: []string{"wxmenu --version"}}
		r := &glRunner{h: h, p: p, settings: map[string]string{}, protected: map[string]bool{}, artifacts: map[string]map[string]string{}}
		for i, tc := range []struct {
			what   string
			cached map[string]string
			refuse bool // the job fails; else it installs the release and runs it
		}{
			{"a cached binary", map[string]string{"wxmenu": evilBinary}, false},
			{"a cached archive and checksums file", map[string]string{name: evil, "checksums.txt": poisoned, "archive.sha256": poisoned, "wxmenu_" + v + "_checksums.txt": poisoned}, true},
		} {
			t.Run(filepath.Base(recipe)+": "+tc.what, func(t *testing.T) {
				h.t = t
				pipeline := fmt.Sprint(900 + i)
				dir := filepath.Join(h.root, "ws", "gl-"+pipeline+"-install", ".wxmenu", version)
				if err := os.MkdirAll(dir, 0o755); err != nil {
					t.Fatal(err)
				}
				for f, body := range tc.cached {
					if err := os.WriteFile(filepath.Join(dir, f), []byte(body), 0o755); err != nil {
						t.Fatal(err)
					}
				}
				res := r.runJob("install", glEvent{Source: "push", PipelineID: pipeline, SHA: "a9a9a9a9a9a9", Branch: "main"})
				home := filepath.Join(h.root, "home", "gl-"+pipeline+"-install")
				if _, err := os.Stat(filepath.Join(home, "tampered-wxmenu-ran")); err == nil || strings.Contains(res.Log, "tampered") {
					t.Errorf("the job ran the cached wxmenu:\n%s", res.Log)
				}
				if tc.refuse {
					if res.Code == 0 || !strings.Contains(res.Log, "FAILED") {
						t.Errorf("a tampered cached archive was not refused (exit %d):\n%s", res.Code, res.Log)
					}
					return
				}
				if res.Code != 0 || !strings.Contains(res.Log, name+": OK") || !strings.Contains(res.Log, "wxmenu version") {
					t.Errorf("want the checked release installed and run, got exit %d:\n%s", res.Code, res.Log)
				}
			})
		}
	}
}

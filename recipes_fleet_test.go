package main

// The fleet recipes (examples/github-actions/wxmenu-fleet.yml and
// examples/gitlab-ci/fleet.gitlab-ci.yml) run here through the recipe
// harness (recipes_harness_test.go) against one emulator serving the
// accounts of examples/fleet: an AppSecret account, a token-command
// account and a platform authorizer.

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
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

const (
	githubFleetRecipe = "examples/github-actions/wxmenu-fleet.yml"
	gitlabFleetRecipe = "examples/gitlab-ci/fleet.gitlab-ci.yml"

	fleetShopAppID      = "wx1234567890abcdef"
	fleetBrandAppID     = "wxabcdef1234567890"
	fleetClientAppID    = "wx0123456789abcdef"
	fleetComponentAppID = "wxfedcba9876543210"
	fleetShopSecret     = "shop-sh-secret-0123456789"
	fleetBrandSecret    = "brand-secret-0123456789"
	fleetComponentSec   = "component-secret-0123456789"
)

// fleetEmulator puts the accounts of examples/fleet on the harness's
// emulator (replacing its single account), behind an effect recorder.
type fleetEmulator struct {
	emu     *wechattest.Emulator
	rec     *wechattest.EffectRecorder
	secrets map[string]string // the recipe's secrets, by name
	vars    map[string]string // the recipe's variables (not secret), by name
}

// The team's token service of the fleet's token_command (bin/wechat-token),
// faked by the harness's curl.
const (
	fleetTokenService    = "https://tokens.example.test"
	fleetTokenServiceKey = "tsk-recipe-test-key-0123456789"
)

func newFleetEmulator(t *testing.T, h *ciHarness) *fleetEmulator {
	t.Helper()
	emu := wechattest.New(wechattest.Config{Seed: 9, Accounts: []wechattest.AccountConfig{
		{AppID: fleetShopAppID, Secret: fleetShopSecret},
		{AppID: fleetBrandAppID, Secret: fleetBrandSecret},
		{AppID: fleetClientAppID, Secret: "client-a-secret-never-used-0123"},
	}, Platform: &wechattest.PlatformConfig{ComponentAppID: fleetComponentAppID, ComponentSecret: fleetComponentSec}})
	emu.SeedDemoAll()
	rec := wechattest.NewEffectRecorder(emu)
	srv := httptest.NewServer(rec)
	t.Cleanup(srv.Close)
	h.emu, h.apiBase = emu, srv.URL
	// The token service answers brand with its access token and client-a,
	// an authorizer of the platform, with its authorizer_access_token.
	for account, token := range map[string]string{
		"brand":    fleetToken(t, srv.URL+"/cgi-bin/token?grant_type=client_credential&appid="+fleetBrandAppID+"&secret="+fleetBrandSecret, "", "access_token"),
		"client-a": fleetAuthorizerToken(t, srv.URL, emu.Ticket()),
	} {
		answer, _ := json.Marshal(map[string]any{"access_token": token, "expires_in": 7200})
		h.file("tokens/"+account+".json", string(answer))
	}
	fe := &fleetEmulator{emu: emu, rec: rec,
		secrets: map[string]string{"SHOP_SH_SECRET": fleetShopSecret, "WECHAT_TOKEN_SERVICE_KEY": fleetTokenServiceKey},
		vars:    map[string]string{"WECHAT_TOKEN_SERVICE": fleetTokenService},
	}
	fe.serveToken(h, "brand")
	fe.serveToken(h, "client-a")
	return fe
}

// fleetTokenRequest is bin/wechat-token's request for account's token.
func fleetTokenRequest(account string) string {
	return "curl -fsS --retry 2 --header @- " + fleetTokenService + "/token?account=" + account
}

// serveToken makes the token service hand out account's token.
func (fe *fleetEmulator) serveToken(h *ciHarness, account string) {
	h.t.Helper()
	h.route(fleetTokenRequest(account), filepath.Join(h.root, "files", "tokens", account+".json"))
}

// tokenRequests returns the accounts whose tokens calls asked the token
// service for, and checks that each request sent the service's key on
// curl's standard input (--header @-), never on its command line.
func (fe *fleetEmulator) tokenRequests(t *testing.T, calls []fakeCall) []string {
	t.Helper()
	var accounts []string
	for _, c := range calls {
		joined := strings.Join(c.Args, " ")
		if strings.Contains(joined, fleetTokenServiceKey) {
			t.Errorf("the token service's key is on a command line: %q", joined)
		}
		account, ok := strings.CutPrefix(joined, fleetTokenRequest(""))
		if !ok {
			continue
		}
		if want := "Authorization: Bearer " + fleetTokenServiceKey + "\n"; c.Body != want {
			t.Errorf("the request for %s's token sent the headers %q, want %q", account, c.Body, want)
		}
		accounts = append(accounts, account)
	}
	return accounts
}

// refuseToken makes the token service refuse account's token, as it does
// when it cannot refresh it (for a platform's authorizer: WeChat refused
// the platform, e.g. 61004, the service's IP is not whitelisted).
func (fe *fleetEmulator) refuseToken(h *ciHarness, account string) {
	h.t.Helper()
	h.refuse(fleetTokenRequest(account), "curl: (22) The requested URL returned error: 503")
}

// fleetToken reads field from the emulator's answer to a GET (body "") or a
// POST of body.
func fleetToken(t *testing.T, url, body, field string) string {
	t.Helper()
	var resp *http.Response
	var err error
	if body == "" {
		resp, err = http.Get(url)
	} else {
		resp, err = http.Post(url, "application/json", strings.NewReader(body))
	}
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var answer map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&answer); err != nil {
		t.Fatal(err)
	}
	v, _ := answer[field].(string)
	if v == "" {
		t.Fatalf("no %s from %s: %v", field, url, answer)
	}
	return v
}

// fleetAuthorizerToken walks the platform's chain as the token service
// does: component token, the authorizer's refresh token, its access token.
func fleetAuthorizerToken(t *testing.T, base, ticket string) string {
	t.Helper()
	ct := fleetToken(t, base+"/cgi-bin/component/api_component_token", fmt.Sprintf(`{"component_appid":%q,"component_appsecret":%q,"component_verify_ticket":%q}`, fleetComponentAppID, fleetComponentSec, ticket), "component_access_token")
	resp, err := http.Post(base+"/cgi-bin/component/api_get_authorizer_list?component_access_token="+ct, "application/json", strings.NewReader(fmt.Sprintf(`{"component_appid":%q,"offset":0,"count":500}`, fleetComponentAppID)))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var list struct {
		List []struct {
			AppID   string `json:"authorizer_appid"`
			Refresh string `json:"refresh_token"`
		} `json:"list"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&list); err != nil {
		t.Fatal(err)
	}
	for _, a := range list.List {
		if a.AppID == fleetClientAppID {
			return fleetToken(t, base+"/cgi-bin/component/api_authorizer_token?component_access_token="+ct, fmt.Sprintf(`{"component_appid":%q,"authorizer_appid":%q,"authorizer_refresh_token":%q}`, fleetComponentAppID, a.AppID, a.Refresh), "authorizer_access_token")
		}
	}
	t.Fatalf("client-a is not an authorizer of the platform: %+v", list)
	return ""
}

// fleetFiles is the checkout: examples/fleet with edits (file -> old ->
// new). The token command runs through sh, since a checkout written by
// the harness has no executable bits.
func fleetFiles(t *testing.T, edits map[string][2]string) map[string]string {
	t.Helper()
	files := map[string]string{}
	for _, f := range []string{"wxmenu.yaml", "accounts/shop-sh.yaml", "accounts/brand.yaml", "accounts/client-a.yaml", "bin/wechat-token"} {
		files[f] = readFile(t, filepath.Join("examples/fleet", f))
	}
	for _, account := range []string{"brand", "client-a"} {
		if !strings.Contains(files["wxmenu.yaml"], "[./bin/wechat-token, "+account+"]") {
			t.Fatalf("examples/fleet/wxmenu.yaml no longer has token_command: [./bin/wechat-token, %s]: adapt the fleet recipe tests", account)
		}
	}
	files["wxmenu.yaml"] = strings.ReplaceAll(files["wxmenu.yaml"], `[./bin/wechat-token, `, `[sh, bin/wechat-token, `)
	for f, e := range edits {
		if !strings.Contains(files[f], e[0]) {
			t.Fatalf("%s no longer contains %q: adapt the fleet recipe tests", f, e[0])
		}
		files[f] = strings.Replace(files[f], e[0], e[1], 1)
	}
	return files
}

// fleetCLI runs the test binary's wxmenu on a checkout with the recipe's
// secrets, to set the accounts up or check them.
func (fe *fleetEmulator) cli(t *testing.T, h *ciHarness, files map[string]string, args ...string) (int, string) {
	t.Helper()
	h.seq++
	dir := h.workspace(fmt.Sprintf("fleet-cli-%d", h.seq), files)
	cmd := exec.Command(h.wxmenu, args...)
	cmd.Dir = dir
	cmd.Env = append(h.baseEnv(filepath.Join(h.root, "cli-home")), "PATH="+h.fakeDir+":"+systemPath)
	for k, v := range fe.secrets {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	for k, v := range fe.vars {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	out, err := cmd.CombinedOutput()
	if _, ok := err.(*exec.ExitError); err != nil && !ok {
		t.Fatal(err)
	}
	return cmd.ProcessState.ExitCode(), string(out)
}

// effects counts the emulator's effects per account and endpoint since
// from.
func (fe *fleetEmulator) effects(from int) map[string]int {
	out := map[string]int{}
	for _, e := range fe.rec.Effects()[from:] {
		out[e.AppID+" "+e.Endpoint]++
	}
	return out
}

func noFleetSecretIn(t *testing.T, what, s string, secrets map[string]string) {
	t.Helper()
	for name, v := range secrets {
		if strings.Contains(s, v) {
			t.Errorf("%s contains the secret %s", what, name)
		}
	}
	noSecretIn(t, what, s)
}

// expandJob returns the workflow with the job's ${{ matrix.NAME }} and
// ${{ needs.JOB.outputs.NAME }} replaced by values: what GitHub does when
// it starts one job of a matrix after the jobs it needs.
func expandJob(t *testing.T, path string, values map[string]string) ghWorkflow {
	t.Helper()
	src := readFile(t, path)
	for k, v := range values {
		src = strings.ReplaceAll(src, "${{ "+k+" }}", v)
	}
	var wf ghWorkflow
	if err := yaml.Unmarshal([]byte(src), &wf); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return wf
}

// ghJobOutputs evaluates a job's outputs: block from its steps' outputs.
func ghJobOutputs(t *testing.T, path, job string, res ghJobResult) map[string]string {
	t.Helper()
	var raw struct {
		Jobs map[string]struct {
			Outputs map[string]string `yaml:"outputs"`
		} `yaml:"jobs"`
	}
	if err := yaml.Unmarshal([]byte(readFile(t, path)), &raw); err != nil {
		t.Fatal(err)
	}
	steps := map[string]any{}
	for id, outs := range res.Outputs {
		m := map[string]any{}
		for k, v := range outs {
			m[k] = v
		}
		steps[id] = map[string]any{"outputs": m}
	}
	out := map[string]string{}
	for k, v := range raw.Jobs[job].Outputs {
		out[k] = ghInterpolate(t, map[string]any{"steps": steps}, v)
	}
	return out
}

// prFiles is the answer of the pull request files API.
func prFiles(h *ciHarness, name string, paths ...string) string {
	var files []map[string]string
	for _, p := range paths {
		files = append(files, map[string]string{"filename": p, "status": "modified"})
	}
	b, _ := json.Marshal(files)
	return h.file("gh/"+name, string(b))
}

// TestGitHubFleetRecipeRuns runs the fleet workflow: a pull request plans
// only the accounts it changed and posts its comment parts, a push updates
// them and removes a part no longer needed, a project-file change plans
// every account (one failing), the merge applies per account (one failing
// first), and the drift check reads every account.
func TestGitHubFleetRecipeRuns(t *testing.T) {
	t.Parallel()
	h := newCIHarness(t)
	fe := newFleetEmulator(t, h)
	var wf ghWorkflow
	if err := yaml.Unmarshal([]byte(readFile(t, githubFleetRecipe)), &wf); err != nil {
		t.Fatal(err)
	}
	version := wf.Env["WXMENU_VERSION"]
	if !pinnedVersion.MatchString(version) {
		t.Fatalf("WXMENU_VERSION = %q, want a pinned release", version)
	}
	h.release(version, "linux_amd64")
	r := &ghRunner{h: h, wf: wf, repo: "acme/menus", workflowPath: ".github/workflows/fleet.yml",
		token: "ghs_recipe_test_token", secrets: fe.secrets, vars: fe.vars, artifacts: map[string]map[string]string{}}
	// The recipe passes the project's credentials, and no access token or
	// verify ticket: those come from the token service.
	text := readFile(t, githubFleetRecipe)
	for name := range fe.secrets {
		if !strings.Contains(text, "${{ secrets."+name+" }}") {
			t.Errorf("the recipe does not pass the secret %s", name)
		}
	}
	for name := range fe.vars {
		if !strings.Contains(text, "${{ vars."+name+" }}") {
			t.Errorf("the recipe does not pass the variable %s", name)
		}
	}
	for _, m := range regexp.MustCompile(`\$\{\{ secrets\.(\w+) \}\}`).FindAllStringSubmatch(text, -1) {
		if _, ok := fe.secrets[m[1]]; !ok {
			t.Errorf("the recipe passes the secret %s, which is none of the project's credentials", m[1])
		}
	}

	base := fleetFiles(t, nil)
	if code, out := fe.cli(t, h, base, "apply", "--auto-approve", "--allow-many-deletes"); code != 0 {
		t.Fatalf("setting the accounts up: exit %d\n%s", code, out)
	}
	changed := fleetFiles(t, map[string][2]string{
		"accounts/brand.yaml":    {"key: CONTACT}", "key: CONTACT_US}"},
		"accounts/client-a.yaml": {"key: CHECKIN}", "key: CHECKIN_DAILY}"},
	})
	ok := h.file("gh/ok.json", "{}")
	h.route("gh api -X POST *", ok)
	h.route("gh api -X PATCH *", ok)
	h.route("gh api -X DELETE *", ok)
	h.refuse("gh api user *", ghUserRefused)
	const head1, head2, main1 = "1111111111111111111111111111111111111111", "2222222222222222222222222222222222222222", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	mustPass := func(t *testing.T, res ghJobResult) {
		t.Helper()
		if res.Failed {
			t.Fatalf("job failed:\n%s", res.Log)
		}
	}

	var part1 string
	t.Run("pull request plans only the accounts it changed", func(t *testing.T) {
		h.t = t
		h.route("gh api repos/acme/menus/pulls/7/files *", prFiles(h, "files-7.json", "accounts/brand.yaml", "accounts/client-a.yaml", "README.md"))
		h.route("gh api repos/acme/menus/issues/7/comments *", h.file("gh/none.json", "[]"))
		ev := ghEvent{Name: "pull_request", RunID: "201", SHA: "f1", RefName: "7/merge", PR: 7, PRHead: head1, Files: changed}
		if diff := cmp.Diff([]string{"plan"}, r.jobsFor(ev)); diff != "" {
			t.Fatalf("jobs (-want +got):\n%s", diff)
		}
		before := len(fe.rec.Effects())
		res := r.runJob("plan", ev)
		mustPass(t, res)
		if got := res.Outputs["plan"]["exit-code"]; got != "2" {
			t.Errorf("plan exit %q, want 2", got)
		}
		if n := len(fe.rec.Effects()) - before; n != 0 {
			t.Errorf("the plan job changed %d things", n)
		}
		if _, ok := r.artifacts["201"]["wxmenu-plan-"+head1]; !ok {
			t.Errorf("no plan artifact: %v", r.artifacts["201"])
		}
		calls := h.calls()
		var posts []fakeCall
		for _, c := range calls {
			if c.Args[0] == "gh" && slices.Contains(c.Args, "POST") {
				posts = append(posts, c)
			}
		}
		if len(posts) != 1 {
			t.Fatalf("%d comments posted, want 1:\n%q", len(posts), argsOf(calls, "gh"))
		}
		part1 = posts[0].Body
		if !strings.HasPrefix(part1, "<!-- wxmenu-plan part 1/1 -->") {
			t.Errorf("the comment does not start with its part marker:\n%s", part1)
		}
		for _, want := range []string{"2 accounts", "brand", "client-a", "CONTACT_US", "CHECKIN_DAILY"} {
			if !strings.Contains(part1, want) {
				t.Errorf("the comment lacks %q:\n%s", want, part1)
			}
		}
		if strings.Contains(part1, "shop-sh") {
			t.Errorf("an account the pull request did not change was planned:\n%s", part1)
		}
		noFleetSecretIn(t, "the plan job", res.Log+res.Summary+part1, fe.secrets)
	})

	t.Run("a push updates the comment in place and removes a part no longer needed", func(t *testing.T) {
		h.t = t
		old, _ := json.Marshal([]map[string]any{
			ghComment(11, "octocat", "<!-- not ours --> looks good"),
			ghComment(555, githubBot, part1),
			ghComment(556, githubBot, "<!-- wxmenu-plan part 2/2 -->\nan older, longer plan"),
		})
		h.route("gh api repos/acme/menus/issues/7/comments *", h.file("gh/comments-7.json", string(old)))
		ev := ghEvent{Name: "pull_request", RunID: "202", SHA: "f2", RefName: "7/merge", PR: 7, PRHead: head2, Files: changed}
		mustPass(t, r.runJob("plan", ev))
		var writes []string
		for _, a := range argsOf(h.calls(), "gh") {
			if slices.Contains(a, "-X") {
				writes = append(writes, a[3]+" "+a[4])
			}
		}
		want := []string{"PATCH repos/acme/menus/issues/comments/555", "DELETE repos/acme/menus/issues/comments/556"}
		if diff := cmp.Diff(want, writes); diff != "" {
			t.Errorf("comment writes (-want +got):\n%s", diff)
		}
	})

	// Anyone who can comment can post comments that start with a part
	// marker, before the job runs: the job must never take them for its
	// own, neither to update (part 1/1) nor to delete (a fake part 7/7).
	forged := []map[string]any{
		ghComment(901, "mallory", "<!-- wxmenu-plan part 1/1 -->\n**wxmenu plan**: no changes."),
		ghComment(902, "mallory", "<!-- wxmenu-plan part 7/7 -->\nfake"),
	}
	commentWrites := func(t *testing.T, run string, comments []map[string]any) []string {
		t.Helper()
		b, _ := json.Marshal(comments)
		h.route("gh api repos/acme/menus/pulls/12/files *", prFiles(h, "files-12.json", "accounts/brand.yaml", "accounts/client-a.yaml"))
		h.route("gh api repos/acme/menus/issues/12/comments *", h.file("gh/comments-12.json", string(b)))
		res := r.runJob("plan", ghEvent{Name: "pull_request", RunID: run, SHA: "f" + run, RefName: "12/merge", PR: 12, PRHead: head2, Files: changed})
		if res.Failed {
			t.Errorf("the plan job failed:\n%s", res.Log)
		}
		noFleetSecretIn(t, "the plan job", res.Log+res.Summary, fe.secrets)
		var writes []string
		for _, c := range h.calls() {
			if a := c.Args; a[0] == "gh" && slices.Contains(a, "-X") {
				writes = append(writes, a[3]+" "+a[4])
				if a[3] == "POST" && !strings.HasPrefix(c.Body, "<!-- wxmenu-plan part 1/1 -->\n") {
					t.Errorf("posted %q, want part 1 of the plan", c.Body)
				}
			}
		}
		return writes
	}
	t.Run("an outsider's comments with part markers are left alone: the job posts its own", func(t *testing.T) {
		h.t = t
		want := []string{"POST repos/acme/menus/issues/12/comments"}
		if diff := cmp.Diff(want, commentWrites(t, "231", forged)); diff != "" {
			t.Errorf("comment writes (-want +got):\n%s", diff)
		}
	})

	t.Run("with its own comments among forged ones, the job updates and removes only its own", func(t *testing.T) {
		h.t = t
		comments := append(slices.Clone(forged), ghComment(560, githubBot, part1), ghComment(561, githubBot, "<!-- wxmenu-plan part 2/2 -->\nolder"))
		want := []string{"PATCH repos/acme/menus/issues/comments/560", "DELETE repos/acme/menus/issues/comments/561"}
		if diff := cmp.Diff(want, commentWrites(t, "232", comments)); diff != "" {
			t.Errorf("comment writes (-want +got):\n%s", diff)
		}
	})

	t.Run("with a personal access token, the comments of the token's user are the job's", func(t *testing.T) {
		h.t = t
		h.route("gh api user *", h.file("gh/user.json", `{"login":"menu-bot","type":"User"}`))
		defer h.refuse("gh api user *", ghUserRefused)
		comments := append(slices.Clone(forged), ghComment(562, githubBot, part1), ghComment(563, "menu-bot", part1))
		want := []string{"PATCH repos/acme/menus/issues/comments/563"}
		if diff := cmp.Diff(want, commentWrites(t, "233", comments)); diff != "" {
			t.Errorf("comment writes (-want +got):\n%s", diff)
		}
	})

	t.Run("a pull request that changes no account's file plans nothing and says so", func(t *testing.T) {
		h.t = t
		h.route("gh api repos/acme/menus/pulls/9/files *", prFiles(h, "files-9.json", "accounts/README.md"))
		h.route("gh api repos/acme/menus/issues/9/comments *", h.file("gh/none.json", "[]"))
		before := len(fe.rec.Effects())
		res := r.runJob("plan", ghEvent{Name: "pull_request", RunID: "209", SHA: "f9", RefName: "9/merge", PR: 9, PRHead: "9999999999999999999999999999999999999999", Files: base})
		mustPass(t, res)
		if _, ok := r.artifacts["209"]; ok || res.Outputs["plan"]["exit-code"] != "0" {
			t.Errorf("nothing planned, yet a plan was saved: %v", r.artifacts["209"])
		}
		var body string
		for _, c := range h.calls() {
			if c.Args[0] == "gh" && slices.Contains(c.Args, "POST") {
				body = c.Body
			}
		}
		if !strings.HasPrefix(body, "<!-- wxmenu-plan part 1/1 -->") || !strings.Contains(body, "changes no account's menus file") {
			t.Errorf("comment:\n%s", body)
		}
		if len(fe.rec.Effects()) != before {
			t.Error("an account changed")
		}
	})

	t.Run("a change to wxmenu.yaml plans every account; a failing one is shown and fails the job", func(t *testing.T) {
		h.t = t
		projChange := fleetFiles(t, map[string][2]string{"wxmenu.yaml": {"# the AppSecret is read from this variable", "# the AppSecret"}})
		h.route("gh api repos/acme/menus/pulls/8/files *", prFiles(h, "files-8.json", "wxmenu.yaml"))
		h.route("gh api repos/acme/menus/issues/8/comments *", h.file("gh/none.json", "[]"))
		r.secrets = map[string]string{}
		for k, v := range fe.secrets {
			r.secrets[k] = v
		}
		r.secrets["SHOP_SH_SECRET"] = "a-wrong-secret-0123456789"
		defer func() { r.secrets = fe.secrets }()
		res := r.runJob("plan", ghEvent{Name: "pull_request", RunID: "203", SHA: "f3", RefName: "8/merge", PR: 8, PRHead: "3333333333333333333333333333333333333333", Files: projChange})
		if !res.Failed || res.Outputs["plan"]["exit-code"] != "1" {
			t.Fatalf("a failed account must fail the job with exit 1, got %q:\n%s", res.Outputs["plan"]["exit-code"], res.Log)
		}
		// The Action fails (continue-on-error), the comments are posted,
		// and the last step fails the job.
		if res.Steps["plan"] != "failure" || !slices.Contains(res.Ran, "comments") || !strings.Contains(res.Log, "::error::wxmenu plan failed (exit 1)") {
			t.Errorf("want the plan step failed, the comments posted and the last step failing: steps %v, ran %q", res.Steps, res.Ran)
		}
		if _, ok := r.artifacts["203"]; ok {
			t.Errorf("a failed plan was uploaded: %v", r.artifacts["203"])
		}
		var body string
		for _, c := range h.calls() {
			if c.Args[0] == "gh" && slices.Contains(c.Args, "POST") {
				body = c.Body
			}
		}
		for _, want := range []string{"3 accounts", "1 failed&#58; shop-sh (40125)", "brand", "client-a"} {
			if !strings.Contains(body, want) {
				t.Errorf("the comment lacks %q:\n%s", want, body)
			}
		}
		noFleetSecretIn(t, "the failing plan job", res.Log+body, map[string]string{"wrong": "a-wrong-secret-0123456789"})
	})

	t.Run("merge applies each account of the reviewed plan in its own job", func(t *testing.T) {
		h.t = t
		h.route("gh api repos/acme/menus/commits/"+main1+"/pulls *", h.file("gh/pulls-main1.json", `[{"number":7,"head":{"sha":"`+head2+`"}}]`))
		h.route("gh run list --workflow fleet.yml --commit "+head2+" *", h.file("gh/runs-head2.json", `[{"databaseId":202}]`))
		ev := ghEvent{Name: "push", RunID: "204", SHA: main1, RefName: "main", Files: changed}
		if jobs := r.jobsFor(ev); !slices.Contains(jobs, "accounts") || slices.Contains(jobs, "plan") || slices.Contains(jobs, "drift") {
			t.Fatalf("jobs on push: %v", jobs)
		}
		res := r.runJob("accounts", ev)
		mustPass(t, res)
		outs := ghJobOutputs(t, githubFleetRecipe, "accounts", res)
		// Neither is in the first rollout wave (shop-sh, the canary): no
		// canary job, both after the approval.
		if diff := cmp.Diff(map[string]string{"wave": "canary", "canary": "[]", "names": `["brand","client-a"]`, "run": "202", "artifact": "wxmenu-plan-" + head2}, outs); diff != "" {
			t.Fatalf("accounts job outputs (-want +got):\n%s", diff)
		}
		var names []string
		if err := json.Unmarshal([]byte(outs["names"]), &names); err != nil {
			t.Fatal(err)
		}
		before := len(fe.rec.Effects())
		// The token service refuses client-a's token first (it cannot
		// refresh it): client-a's job fails, brand's applies all the same;
		// a re-run, once the service answers again, applies client-a.
		fe.refuseToken(h, "client-a")
		results := map[string]ghJobResult{}
		for _, name := range names {
			vals := map[string]string{"matrix.account": name}
			for k, v := range outs {
				vals["needs.accounts.outputs."+k] = v
			}
			job := &ghRunner{h: h, wf: expandJob(t, githubFleetRecipe, vals), repo: r.repo, workflowPath: r.workflowPath, token: r.token, secrets: r.secrets, vars: r.vars, artifacts: r.artifacts}
			if g := job.wf.Jobs["apply"].Concurrency; g.Group != "wxmenu-apply-acme/menus-"+name && g.Group != "wxmenu-apply-${{ github.repository }}-"+name || g.CancelInProgress {
				t.Errorf("apply of %s: concurrency %+v, want one uncancelled group per account", name, g)
			}
			results[name] = job.runJob("apply", ghEvent{Name: "push", RunID: "204-" + name, SHA: main1, RefName: "main", Files: changed})
		}
		if results["brand"].Failed || !results["client-a"].Failed {
			t.Fatalf("want brand applied and client-a failed:\nbrand:\n%s\nclient-a:\n%s", results["brand"].Log, results["client-a"].Log)
		}
		if !strings.Contains(results["client-a"].Log, "failed: exit status 22") {
			t.Errorf("client-a's job does not say why:\n%s", results["client-a"].Log)
		}
		fe.serveToken(h, "client-a")
		vals := map[string]string{"matrix.account": "client-a"}
		for k, v := range outs {
			vals["needs.accounts.outputs."+k] = v
		}
		rerun := &ghRunner{h: h, wf: expandJob(t, githubFleetRecipe, vals), repo: r.repo, workflowPath: r.workflowPath, token: r.token, secrets: r.secrets, vars: r.vars, artifacts: r.artifacts}
		mustPass(t, rerun.runJob("apply", ghEvent{Name: "push", RunID: "204-client-a-2", SHA: main1, RefName: "main", Files: changed}))
		// Each job asked the token service for its account's token once:
		// client-a in both attempts.
		asked := fe.tokenRequests(t, h.calls())
		slices.Sort(asked)
		if diff := cmp.Diff([]string{"brand", "client-a", "client-a"}, asked); diff != "" {
			t.Errorf("token service requests (-want +got):\n%s", diff)
		}
		got := fe.effects(before)
		for k := range got {
			if !strings.HasPrefix(k, fleetBrandAppID+" ") && !strings.HasPrefix(k, fleetClientAppID+" ") {
				t.Errorf("an account outside the plan changed: %s", k)
			}
		}
		if got[fleetBrandAppID+" menu/create"] != 1 || got[fleetClientAppID+" menu/create"] != 1 {
			t.Errorf("each account's default menu must be created exactly once: %v", got)
		}
		if code, out := fe.cli(t, h, changed, "plan", "--detailed-exitcode"); code != 0 {
			t.Errorf("after the applies, plan exits %d, want 0:\n%s", code, out)
		}
		for _, name := range names {
			noFleetSecretIn(t, "apply of "+name, results[name].Log+results[name].Summary, fe.secrets)
		}
		h.calls()
	})

	// The drift check tracks each drifted account in its own issue. Run
	// 204 applied brand and client-a (client-a in its job's second
	// attempt); shop-sh was set up without an audit log.
	// What gh run download finds in run 204: each account's artifact.
	mergeRun := func(run string, jobs ...string) {
		for _, job := range jobs {
			for name, dir := range r.artifacts[job] {
				copyFile(t, filepath.Join(dir, "audit.jsonl"), filepath.Join(h.root, "artifacts", run, name, "audit.jsonl"))
			}
		}
	}
	mergeRun("204", "204-brand", "204-client-a-2")
	const shopTitle, clientTitle = "wxmenu drift: shop-sh", "wxmenu drift: client-a"
	drift := func(t *testing.T, run string, issues ...map[string]any) (ghJobResult, []issueWrite) {
		t.Helper()
		routeGitHubDrift(h, "fleet.yml", []string{"204"}, nil, issues...)
		ev := ghEvent{Name: "schedule", RunID: run, SHA: main1, RefName: "main", Files: changed}
		if diff := cmp.Diff([]string{"drift", "snapshot"}, r.jobsFor(ev)); diff != "" {
			t.Fatalf("jobs (-want +got):\n%s", diff)
		}
		before := len(fe.rec.Effects())
		res := r.runJob("drift", ev)
		mustPass(t, res)
		if len(fe.rec.Effects()) != before {
			t.Error("the drift check changed an account")
		}
		noFleetSecretIn(t, "the drift job", res.Log+res.Summary, fe.secrets)
		return res, ghIssueWrites(h.calls())
	}
	bodies := map[string]string{}
	t.Run("the drift check reads every account and opens one issue per drifted account", func(t *testing.T) {
		h.t = t
		fe.emu.Account(fleetShopAppID).SeedDemo()
		fe.emu.Account(fleetClientAppID).SeedDemo()
		res, writes := drift(t, "205", ghIssue(40, shopTitle, "octocat", "<!-- wxmenu-drift: drifted -->\nmine"))
		if !strings.Contains(res.Summary, "3 accounts: 1 in_sync, 1 changed_outside, 1 drifted") {
			t.Errorf("summary:\n%s", res.Summary)
		}
		if !strings.Contains(res.Log, "the audit logs of run 204") {
			t.Errorf("run 204's audit logs were not read:\n%s", res.Log)
		}
		if diff := cmp.Diff([]string{"POST issues " + shopTitle, "POST issues " + clientTitle}, writeList(writes)); diff != "" {
			t.Fatalf("issue writes (-want +got):\n%s", diff)
		}
		bodies["shop-sh"], bodies["client-a"] = writes[0].Body, writes[1].Body
		driftIssueBody(t, bodies["shop-sh"], "drifted", "**drifted**", "--account shop-sh")
		driftIssueBody(t, bodies["client-a"], "changed_outside", "**changed_outside**", "Who sees another menu now", "--account client-a")
		if strings.Contains(bodies["shop-sh"], "client-a") || strings.Contains(bodies["client-a"], "shop-sh") {
			t.Errorf("an issue tells of another account:\n%s\n---\n%s", bodies["shop-sh"], bodies["client-a"])
		}
	})

	ours := func() []map[string]any {
		return []map[string]any{
			ghIssue(40, shopTitle, "octocat", "mine"),
			ghIssue(41, shopTitle, githubBot, bodies["shop-sh"]),
			ghIssue(42, clientTitle, githubBot, bodies["client-a"]),
		}
	}
	t.Run("the same drift again updates each issue and opens none", func(t *testing.T) {
		h.t = t
		_, writes := drift(t, "206", ours()...)
		if diff := cmp.Diff([]string{"PATCH issues/41", "PATCH issues/42"}, writeList(writes)); diff != "" {
			t.Fatalf("issue writes (-want +got):\n%s", diff)
		}
	})

	t.Run("recovery closes the issues", func(t *testing.T) {
		h.t = t
		if code, out := fe.cli(t, h, changed, "apply", "--account", "shop-sh", "--account", "client-a", "--auto-approve", "--allow-many-deletes"); code != 0 {
			t.Fatalf("restoring the accounts: exit %d\n%s", code, out)
		}
		_, writes := drift(t, "207", ours()...)
		want := []string{"POST issues/41/comments", "PATCH issues/41 state=closed", "POST issues/42/comments", "PATCH issues/42 state=closed"}
		if diff := cmp.Diff(want, writeList(writes)); diff != "" {
			t.Fatalf("issue writes (-want +got):\n%s", diff)
		}
	})

	// examples/fleet's rollout: shop-sh is the canary wave, everyone else
	// follows. A merge that changes shop-sh and brand applies shop-sh in a
	// canary job first, then brand in an apply job (after the approval),
	// both from the one reviewed plan file.
	t.Run("a merge applies the canary first, then the rest from the same plan", func(t *testing.T) {
		h.t = t
		const head3, main2 = "3131313131313131313131313131313131313131", "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"
		waves := fleetFiles(t, map[string][2]string{
			"accounts/brand.yaml":    {"key: CONTACT}", "key: CONTACT_HELP}"},
			"accounts/client-a.yaml": {"key: CHECKIN}", "key: CHECKIN_DAILY}"},
			"accounts/shop-sh.yaml":  {"key: CHECKIN}", "key: CHECKIN_SH}"},
		})
		h.route("gh api repos/acme/menus/pulls/13/files *", prFiles(h, "files-13.json", "accounts/brand.yaml", "accounts/shop-sh.yaml"))
		h.route("gh api repos/acme/menus/issues/13/comments *", h.file("gh/none.json", "[]"))
		mustPass(t, r.runJob("plan", ghEvent{Name: "pull_request", RunID: "301", SHA: "f31", RefName: "13/merge", PR: 13, PRHead: head3, Files: waves}))
		h.route("gh api repos/acme/menus/commits/"+main2+"/pulls *", h.file("gh/pulls-main2.json", `[{"number":13,"head":{"sha":"`+head3+`"}}]`))
		h.route("gh run list --workflow fleet.yml --commit "+head3+" *", h.file("gh/runs-head3.json", `[{"databaseId":301}]`))
		push := ghEvent{Name: "push", RunID: "302", SHA: main2, RefName: "main", Files: waves}
		if jobs := r.jobsFor(push); !slices.Contains(jobs, "accounts") {
			t.Fatalf("jobs on push: %v", jobs)
		}
		res := r.runJob("accounts", push)
		mustPass(t, res)
		outs := ghJobOutputs(t, githubFleetRecipe, "accounts", res)
		if diff := cmp.Diff(map[string]string{"wave": "canary", "canary": `["shop-sh"]`, "names": `["brand"]`, "run": "301", "artifact": "wxmenu-plan-" + head3}, outs); diff != "" {
			t.Fatalf("accounts job outputs (-want +got):\n%s", diff)
		}
		job := func(account string) *ghRunner {
			vals := map[string]string{"matrix.account": account}
			for k, v := range outs {
				vals["needs.accounts.outputs."+k] = v
			}
			return &ghRunner{h: h, wf: expandJob(t, githubFleetRecipe, vals), repo: r.repo, workflowPath: r.workflowPath, token: r.token, secrets: r.secrets, vars: r.vars, artifacts: r.artifacts}
		}
		// The apply jobs wait for every canary: GitHub starts them only
		// after the canary jobs, none of them failed or cancelled.
		var raw struct {
			Jobs struct {
				Apply struct {
					Needs []string `yaml:"needs"`
					If    string   `yaml:"if"`
				} `yaml:"apply"`
			} `yaml:"jobs"`
		}
		if err := yaml.Unmarshal([]byte(readFile(t, githubFleetRecipe)), &raw); err != nil {
			t.Fatal(err)
		}
		if a := raw.Jobs.Apply; !slices.Contains(a.Needs, "canary") || !strings.Contains(a.If, "needs.canary.result == 'success' || needs.canary.result == 'skipped'") {
			t.Errorf("the apply jobs do not wait for the canaries: needs %v, if %q", a.Needs, a.If)
		}
		if g := job("shop-sh").wf.Jobs["canary"].Concurrency; g.Group != "wxmenu-apply-${{ github.repository }}-shop-sh" || g.CancelInProgress {
			t.Errorf("canary concurrency %+v, want the account's uncancelled apply group", g)
		}

		// A canary that fails (its secret is wrong) fails its job, saying
		// the rest does not start, and changes nothing.
		before := len(fe.rec.Effects())
		bad := job("shop-sh")
		bad.secrets = map[string]string{}
		for k, v := range r.secrets {
			bad.secrets[k] = v
		}
		bad.secrets["SHOP_SH_SECRET"] = "a-wrong-secret-0123456789"
		failed := bad.runJob("canary", ghEvent{Name: "push", RunID: "302-shop-sh", SHA: main2, RefName: "main", Files: waves})
		if !failed.Failed || !strings.Contains(failed.Log, "the canary shop-sh did not apply (exit 1): the rest of the rollout does not start") {
			t.Errorf("a failed canary must fail its job and say so:\n%s", failed.Log)
		}
		if n := len(fe.rec.Effects()) - before; n != 0 {
			t.Errorf("the failed canary changed %d things", n)
		}

		// Re-run: the canary applies shop-sh alone.
		canary := job("shop-sh").runJob("canary", ghEvent{Name: "push", RunID: "302-shop-sh-2", SHA: main2, RefName: "main", Files: waves})
		mustPass(t, canary)
		for k := range fe.effects(before) {
			if !strings.HasPrefix(k, fleetShopAppID+" ") {
				t.Errorf("the canary job changed another account: %s", k)
			}
		}
		if fe.effects(before)[fleetShopAppID+" menu/create"] != 1 {
			t.Errorf("the canary did not apply shop-sh: %v", fe.effects(before))
		}
		if _, ok := r.artifacts["302-shop-sh-2"]["wxmenu-audit-302-shop-sh-2-shop-sh"]; !ok {
			t.Errorf("no audit log of the canary: %v", r.artifacts["302-shop-sh-2"])
		}
		// After the approval: brand, from the same plan file.
		mid := len(fe.rec.Effects())
		mustPass(t, job("brand").runJob("apply", ghEvent{Name: "push", RunID: "302-brand", SHA: main2, RefName: "main", Files: waves}))
		for k := range fe.effects(mid) {
			if !strings.HasPrefix(k, fleetBrandAppID+" ") {
				t.Errorf("the apply job of brand changed another account: %s", k)
			}
		}
		if code, out := fe.cli(t, h, waves, "plan", "--detailed-exitcode"); code != 0 {
			t.Errorf("after the canary and the apply, plan exits %d, want 0:\n%s", code, out)
		}
		noFleetSecretIn(t, "the canary and apply jobs", canary.Log+canary.Summary+failed.Log, fe.secrets)
	})

	// The plan artifact is data: its first wave becomes the canary's
	// --wave and a job output, so anything but a wave name fails the
	// accounts job, which then starts nothing. An observed account is
	// never a canary, and a canary job fails unless the report says its
	// account applied.
	t.Run("the plan's wave is checked, observed accounts are no canaries, a canary not applied fails", func(t *testing.T) {
		h.t = t
		const head4, main4 = "4141414141414141414141414141414141414141", "cccccccccccccccccccccccccccccccccccccccc"
		files := fleetFiles(t, map[string][2]string{
			"accounts/brand.yaml":   {"key: CONTACT}", "key: CONTACT_DESK}"},
			"accounts/shop-sh.yaml": {"key: CHECKIN}", "key: CHECKIN_SH_V2}"},
		})
		h.route("gh api repos/acme/menus/pulls/14/files *", prFiles(h, "files-14.json", "accounts/brand.yaml", "accounts/shop-sh.yaml"))
		h.route("gh api repos/acme/menus/issues/14/comments *", h.file("gh/none.json", "[]"))
		mustPass(t, r.runJob("plan", ghEvent{Name: "pull_request", RunID: "401", SHA: "f41", RefName: "14/merge", PR: 14, PRHead: head4, Files: files}))
		artifact := "wxmenu-plan-" + head4
		planFile := filepath.Join(r.artifacts["401"][artifact], "plan.json")
		// accountsJob runs the accounts job of a push whose reviewed plan
		// is plan, edited by edit, as the artifact of run.
		accountsJob := func(t *testing.T, run string, edit func(map[string]any)) (ghJobResult, map[string]string) {
			t.Helper()
			b := []byte(readFile(t, planFile)) // nil edit: the plan as made
			if edit != nil {
				var p map[string]any
				if err := json.Unmarshal(b, &p); err != nil {
					t.Fatal(err)
				}
				edit(p)
				b, _ = json.MarshalIndent(p, "", "  ")
			}
			dir := filepath.Join(h.root, "artifacts", run, artifact)
			if err := os.MkdirAll(dir, 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(dir, "plan.json"), b, 0o644); err != nil {
				t.Fatal(err)
			}
			r.artifacts[run] = map[string]string{artifact: dir}
			h.route("gh api repos/acme/menus/commits/"+main4+"/pulls *", h.file("gh/pulls-main4.json", `[{"number":14,"head":{"sha":"`+head4+`"}}]`))
			h.route("gh run list --workflow fleet.yml --commit "+head4+" *", h.file("gh/runs-head4-"+run+".json", `[{"databaseId":`+run+`}]`))
			res := r.runJob("accounts", ghEvent{Name: "push", RunID: run + "-push", SHA: main4, RefName: "main", Files: files})
			return res, ghJobOutputs(t, githubFleetRecipe, "accounts", res)
		}
		for i, wave := range []string{"canary --api-base https://127.0.0.1:1", "canary\ncanary=[\"brand\"]", "Canary", "canary;x"} {
			before := len(fe.rec.Effects())
			res, outs := accountsJob(t, fmt.Sprintf("41%d", i), func(p map[string]any) { p["waves"].([]any)[0] = wave })
			if !res.Failed {
				t.Errorf("wave %q: the accounts job passed, want it to fail:\n%s", wave, res.Log)
			}
			if outs["wave"] != "" || outs["canary"] != "" || outs["names"] != "" {
				t.Errorf("wave %q: the accounts job set outputs %v, want none (no canary or apply job starts)", wave, outs)
			}
			if strings.Contains(res.Log, "api-base") {
				t.Errorf("wave %q: the log repeats the plan's wave:\n%s", wave, res.Log)
			}
			if n := len(fe.rec.Effects()) - before; n != 0 {
				t.Errorf("wave %q: %d things changed", wave, n)
			}
		}

		// shop-sh, the canary wave's account, observed: no canary job.
		res, outs := accountsJob(t, "420", func(p map[string]any) {
			for _, a := range p["accounts"].([]any) {
				if a := a.(map[string]any); a["name"] == "shop-sh" {
					a["mode"] = "observe"
				}
			}
		})
		mustPass(t, res)
		if outs["canary"] != "[]" || strings.Contains(outs["names"], "shop-sh") {
			t.Errorf("an observed account in the canary wave: canary %s, names %s; want no canary and no apply job for it", outs["canary"], outs["names"])
		}

		// The real plan: shop-sh is the canary, brand waits.
		res, outs = accountsJob(t, "430", nil)
		mustPass(t, res)
		if outs["wave"] != "canary" || outs["canary"] != `["shop-sh"]` || outs["names"] != `["brand"]` {
			t.Fatalf("accounts job outputs %v", outs)
		}
		job := func(account string) *ghRunner {
			vals := map[string]string{"matrix.account": account}
			for k, v := range outs {
				vals["needs.accounts.outputs."+k] = v
			}
			return &ghRunner{h: h, wf: expandJob(t, githubFleetRecipe, vals), repo: r.repo, workflowPath: r.workflowPath, token: r.token, secrets: r.secrets, vars: r.vars, artifacts: r.artifacts}
		}
		if args := job("shop-sh").wf.Jobs["canary"].Steps; !slices.ContainsFunc(args, func(s ghStep) bool { return strings.Contains(s.With["args"], "--wave=canary ") }) {
			t.Errorf("the canary job does not pass the wave as one argument --wave=NAME: %+v", args)
		}
		// A canary job for an account the report does not say applied (brand
		// is of a later wave: wxmenu reports it not started and exits 0)
		// fails, and changes nothing.
		before := len(fe.rec.Effects())
		notApplied := job("brand").runJob("canary", ghEvent{Name: "push", RunID: "430-brand", SHA: main4, RefName: "main", Files: files})
		if !notApplied.Failed || !strings.Contains(notApplied.Log, "the canary brand was not applied (status changes): the rest of the rollout does not start") {
			t.Errorf("a canary not applied must fail its job and say so:\n%s", notApplied.Log)
		}
		if strings.Contains(notApplied.Log, "applied the canary") {
			t.Errorf("the job says it applied the canary:\n%s", notApplied.Log)
		}
		if n := len(fe.rec.Effects()) - before; n != 0 {
			t.Errorf("the canary job of brand changed %d things", n)
		}
		// The canary of the wave applies and passes.
		ok := job("shop-sh").runJob("canary", ghEvent{Name: "push", RunID: "430-shop-sh", SHA: main4, RefName: "main", Files: files})
		mustPass(t, ok)
		if !strings.Contains(ok.Log, "applied the canary shop-sh (applied)") {
			t.Errorf("the canary job does not report the account applied:\n%s", ok.Log)
		}
		if fe.effects(before)[fleetShopAppID+" menu/create"] != 1 {
			t.Errorf("the canary did not apply shop-sh: %v", fe.effects(before))
		}
		noFleetSecretIn(t, "the accounts and canary jobs", res.Log+notApplied.Log+ok.Log, fe.secrets)
	})
}

// TestGitHubFleetRecipeForkPlans runs the plans of pull requests from forks
// in the fleet workflow: the trusted snapshot job of a push keeps the
// project's snapshot as an artifact, and a fork's plan job, with no secrets,
// plans the accounts it changed against the newest one and shows the plan in
// the job summary; without one it warns and passes.
func TestGitHubFleetRecipeForkPlans(t *testing.T) {
	t.Parallel()
	h := newCIHarness(t)
	fe := newFleetEmulator(t, h)
	var wf ghWorkflow
	if err := yaml.Unmarshal([]byte(readFile(t, githubFleetRecipe)), &wf); err != nil {
		t.Fatal(err)
	}
	h.release(wf.Env["WXMENU_VERSION"], "linux_amd64")
	r := &ghRunner{h: h, wf: wf, repo: "acme/menus", workflowPath: ".github/workflows/fleet.yml",
		token: "ghs_recipe_test_token", secrets: fe.secrets, vars: fe.vars, artifacts: map[string]map[string]string{}}
	base := fleetFiles(t, nil)
	if code, out := fe.cli(t, h, base, "apply", "--auto-approve", "--allow-many-deletes"); code != 0 {
		t.Fatalf("setting the accounts up: exit %d\n%s", code, out)
	}
	changed := fleetFiles(t, map[string][2]string{"accounts/client-a.yaml": {"key: CHECKIN}", "key: CHECKIN_DAILY}"}})
	h.route("gh api -X POST *", h.file("gh/ok.json", "{}"))
	h.refuse("gh api user *", ghUserRefused)
	h.route("gh api repos/acme/menus/pulls/30/files *", prFiles(h, "files-30.json", "accounts/client-a.yaml"))
	h.calls()
	const head = "6666666666666666666666666666666666666666"
	routeRuns := func(t *testing.T, push []string) {
		t.Helper()
		for event, ids := range map[string][]string{"push": push, "schedule": nil, "workflow_dispatch": nil} {
			list := []map[string]any{}
			for _, id := range ids {
				list = append(list, map[string]any{"databaseId": mustAtoi(t, id)})
				h.route("gh run download "+id+" *", filepath.Join(h.root, "artifacts", id))
			}
			b, _ := json.Marshal(list)
			h.route("gh run list --workflow fleet.yml --branch main --event "+event+" *", h.file("gh/fleet-fork-runs-"+event+".json", string(b)))
		}
	}
	forkEv := func(run string) ghEvent {
		return ghEvent{Name: "pull_request", RunID: run, SHA: "f" + run, RefName: "30/merge", PR: 30, PRHead: head, Fork: true, Files: changed}
	}
	// noCredentials fails when a step of the job had a credential in its
	// environment, or the job read an account or asked the token service.
	noCredentials := func(t *testing.T, res ghJobResult, calls []fakeCall, callsBefore int) {
		t.Helper()
		for step, env := range res.Env {
			for _, kv := range env {
				name, _, _ := strings.Cut(kv, "=")
				if _, ok := fe.secrets[name]; ok || strings.HasPrefix(name, "WECHAT_") && name != "WECHAT_API_BASE" {
					t.Errorf("step %q of a fork's plan had %s in its environment", step, name)
				}
			}
		}
		if n := totalCalls(h); n != callsBefore {
			t.Errorf("a fork's plan made %d calls to the accounts, want none", n-callsBefore)
		}
		if got := fe.tokenRequests(t, calls); len(got) != 0 {
			t.Errorf("a fork's plan asked the token service for %v", got)
		}
		if gh := argsOf(calls, "gh"); slices.ContainsFunc(gh, func(a []string) bool { return slices.Contains(a, "POST") || slices.Contains(a, "PATCH") || isWhoami(a) }) {
			t.Errorf("a fork's job tried to comment: %q", gh)
		}
		noFleetSecretIn(t, "the fork's plan job", res.Log+res.Summary, fe.secrets)
	}

	t.Run("fork, no snapshot yet: a clear warning, and the job passes", func(t *testing.T) {
		h.t = t
		routeRuns(t, nil)
		ev := forkEv("301")
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
		if res.Steps["plan"] != "skipped" || res.Steps["forkplan"] != "skipped" || len(r.artifacts["301"]) != 0 {
			t.Errorf("steps %v, artifacts %v: want no plan", res.Steps, r.artifacts["301"])
		}
		noCredentials(t, res, h.calls(), before)
	})

	t.Run("push: the trusted snapshot job keeps every account as an artifact", func(t *testing.T) {
		h.t = t
		ev := ghEvent{Name: "push", RunID: "303", SHA: "cccccccccccccccccccccccccccccccccccccccc", RefName: "main", Files: base}
		if jobs := r.jobsFor(ev); !slices.Contains(jobs, "snapshot") || slices.Contains(jobs, "plan") {
			t.Fatalf("push jobs %v, want the snapshot job and no plan", jobs)
		}
		if diff := cmp.Diff([]string{"drift", "snapshot"}, r.jobsFor(ghEvent{Name: "schedule", RunID: "304", RefName: "main"})); diff != "" {
			t.Errorf("schedule jobs (-want +got):\n%s", diff)
		}
		before := len(fe.rec.Effects())
		res := r.runJob("snapshot", ev)
		if res.Failed {
			t.Fatalf("job failed:\n%s", res.Log)
		}
		if len(fe.rec.Effects()) != before {
			t.Error("the snapshot job changed an account")
		}
		dir, ok := r.artifacts["303"]["wxmenu-snapshot"]
		if !ok {
			t.Fatalf("no artifact wxmenu-snapshot in run 303: %v", r.artifacts["303"])
		}
		snap := readFile(t, filepath.Join(dir, "snapshot.json"))
		for _, want := range []string{`"wxmenu-snapshot"`, fleetShopAppID, fleetBrandAppID, fleetClientAppID} {
			if !strings.Contains(snap, want) {
				t.Errorf("the snapshot lacks %s:\n%s", want, snap)
			}
		}
		noFleetSecretIn(t, "the snapshot job", res.Log+res.Summary+snap, fe.secrets)
		h.calls()
	})

	t.Run("fork: the accounts it changed planned against the newest snapshot, with no secrets, in the job summary only", func(t *testing.T) {
		h.t = t
		routeRuns(t, []string{"303"})
		before := totalCalls(h)
		res := r.runJob("plan", forkEv("305"))
		if res.Failed {
			t.Fatalf("job failed:\n%s", res.Log)
		}
		if got := res.Outputs["forkplan"]["exit-code"]; got != "2" {
			t.Errorf("fork plan exit code %q, want 2 (changes)\n%s", got, res.Log)
		}
		if res.Steps["plan"] != "skipped" {
			t.Error("the live plan step ran for a fork")
		}
		for _, want := range []string{"comes from a fork", "saved by run 303", "cannot comment", "client-a", "CHECKIN_DAILY", "Made from the snapshot"} {
			if !strings.Contains(res.Summary, want) {
				t.Errorf("the job summary lacks %q:\n%s", want, res.Summary)
			}
		}
		if strings.Contains(res.Summary, "shop-sh") {
			t.Errorf("an account the pull request did not change was planned:\n%s", res.Summary)
		}
		calls := h.calls()
		noCredentials(t, res, calls, before)
		if !slices.ContainsFunc(argsOf(calls, "gh"), func(a []string) bool { return len(a) > 3 && a[1] == "run" && a[2] == "download" && a[3] == "303" }) {
			t.Errorf("gh calls %q: want run 303's snapshot downloaded", argsOf(calls, "gh"))
		}
		// Kept for the merge, where apply refuses it: made from a snapshot.
		dir, ok := r.artifacts["305"]["wxmenu-plan-"+head]
		if !ok {
			t.Fatalf("no plan artifact in run 305: %v", r.artifacts["305"])
		}
		effects := len(fe.rec.Effects())
		if code, out := fe.cli(t, h, changed, "apply", "--account", "client-a", filepath.Join(dir, "plan.json")); code != 3 || !strings.Contains(out, "snapshot") {
			t.Errorf("apply of the fork's plan: exit %d, want 3 (refused)\n%s", code, out)
		}
		if len(fe.rec.Effects()) != effects {
			t.Error("apply of a plan made from a snapshot changed an account")
		}
		h.calls()
	})
}

// TestGitLabFleetRecipeForkPlans runs the plans of merge requests from
// forks: the default branch's snapshot job keeps the accounts' snapshot as
// an artifact, and plan-fork, with none of the credentials, downloads it
// with the job token, plans every account against it and posts the plan
// when the pipeline has GITLAB_API_TOKEN, saying it comes from a snapshot
// of that time; without one it warns and passes. After the merge, the
// apply job never looks for that plan: it plans the accounts the merge
// request changed again from the live accounts, posts that plan for
// review and applies nothing (exit 3, as for a stale plan).
func TestGitLabFleetRecipeForkPlans(t *testing.T) {
	t.Parallel()
	if out, _ := exec.Command("uname", "-m").Output(); strings.TrimSpace(string(out)) != "x86_64" {
		t.Skipf("the GitLab install step picks the archive by uname -m (%s); the test serves linux_amd64", out)
	}
	h := newCIHarness(t)
	fe := newFleetEmulator(t, h)
	p := loadGitLabPipeline(t, gitlabFleetRecipe)
	h.release(p.Variables["WXMENU_VERSION"], "linux_amd64")
	// The credentials are protected: only protected branches get them.
	settings := map[string]string{"GITLAB_API_TOKEN": "glpat-recipe-test-token"}
	protected := map[string]bool{}
	for k, v := range fe.secrets {
		settings[k], protected[k] = v, true
	}
	for k, v := range fe.vars {
		settings[k] = v
	}
	r := &glRunner{h: h, p: p, settings: settings, protected: protected, artifacts: map[string]map[string]string{}}
	base := fleetFiles(t, nil)
	if code, out := fe.cli(t, h, base, "apply", "--auto-approve", "--allow-many-deletes"); code != 0 {
		t.Fatalf("setting the accounts up: exit %d\n%s", code, out)
	}
	changed := fleetFiles(t, map[string][2]string{"accounts/client-a.yaml": {"key: CHECKIN}", "key: CHECKIN_DAILY}"}})
	api := "https://gitlab.example.com/api/v4/projects/42"
	snapshotURL := api + "/jobs/artifacts/main/raw/snapshot.json?job=snapshot"
	h.route("curl * -X POST *", h.file("gl/ok.json", "{}"))
	h.route("curl * https://gitlab.example.com/api/v4/user", h.file("gl/user.json", fmt.Sprintf(`{"id":%d,"username":"project_42_bot_1"}`, gitlabBotID)))
	h.calls()
	// forkRun runs plan-fork and checks what every fork's plan must hold:
	// no credential in its environment or output, no call to an account
	// or the token service.
	forkRun := func(t *testing.T, ev glEvent) (glJobResult, []fakeCall) {
		t.Helper()
		if diff := cmp.Diff(map[string]string{"plan-fork": "on_success"}, r.jobsFor(ev)); diff != "" {
			t.Fatalf("jobs (-want +got):\n%s", diff)
		}
		before := totalCalls(h)
		res := r.runJob("plan-fork", ev)
		calls := h.calls()
		if n := totalCalls(h); n != before {
			t.Errorf("a fork's plan made %d calls to the accounts, want none", n-before)
		}
		if got := fe.tokenRequests(t, calls); len(got) != 0 {
			t.Errorf("a fork's plan asked the token service for %v", got)
		}
		for _, kv := range res.Env {
			if name, _, _ := strings.Cut(kv, "="); protected[name] {
				t.Errorf("a fork's plan had the protected variable %s", name)
			}
		}
		noFleetSecretIn(t, "the fork's plan job", res.Log, fe.secrets)
		return res, calls
	}

	t.Run("fork, no snapshot yet: a clear warning, and the job passes", func(t *testing.T) {
		h.t = t
		h.refuse("curl * "+snapshotURL, "curl: (22) The requested URL returned error: 404")
		res, calls := forkRun(t, glEvent{Source: "merge_request_event", PipelineID: "401", SHA: "f4f4f4f4f4f4", MR: 9, Fork: true, Files: changed})
		if res.Code != 0 || !strings.Contains(res.Log, "warning: no snapshot of the accounts on main") {
			t.Errorf("want a warning and a passing job, got exit %d:\n%s", res.Code, res.Log)
		}
		if _, err := os.Stat(filepath.Join(res.Workspace, "plan.json")); err == nil {
			t.Error("planned without a snapshot")
		}
		for _, a := range argsOf(calls, "curl") {
			if slices.Contains(a, "POST") {
				t.Errorf("posted without a plan: %q", a)
			}
		}
	})

	var snap string
	t.Run("default branch: the snapshot job keeps every account as an artifact", func(t *testing.T) {
		h.t = t
		ev := glEvent{Source: "schedule", PipelineID: "402", SHA: "m4m4m4m4m4m4", Branch: "main", Files: base}
		if got := r.jobsFor(ev); got["snapshot"] != "always" {
			t.Fatalf("schedule jobs %v, want the snapshot job (when: always)", got)
		}
		if got := r.jobsFor(glEvent{Source: "push", PipelineID: "402", SHA: "m4m4m4m4m4m4", Branch: "main", Files: base}); got["snapshot"] != "always" {
			t.Fatalf("push jobs %v, want the snapshot job after apply, failed or not", got)
		}
		before := len(fe.rec.Effects())
		res := r.runJob("snapshot", ev)
		if res.Code != 0 {
			t.Fatalf("snapshot job exit %d:\n%s", res.Code, res.Log)
		}
		if len(fe.rec.Effects()) != before {
			t.Error("the snapshot job changed an account")
		}
		path := filepath.Join(h.root, "gl-artifacts", "402", "snapshot", "snapshot.json")
		snap = readFile(t, path)
		for _, want := range []string{`"wxmenu-snapshot"`, fleetShopAppID, fleetBrandAppID, fleetClientAppID} {
			if !strings.Contains(snap, want) {
				t.Errorf("the snapshot lacks %s:\n%s", want, snap)
			}
		}
		noFleetSecretIn(t, "the snapshot job", res.Log+snap, fe.secrets)
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

	t.Run("fork, run in the fork: planned from the snapshot, in the job log only", func(t *testing.T) {
		h.t = t
		res, calls := forkRun(t, glEvent{Source: "merge_request_event", PipelineID: "403", SHA: "f5f5f5f5f5f5", MR: 9, Fork: true, Files: changed})
		if res.Code != 0 {
			t.Fatalf("plan-fork exit %d:\n%s", res.Code, res.Log)
		}
		for _, want := range []string{"no GITLAB_API_TOKEN", "comes from a fork", "taken at " + doc.TakenAt, "client-a", "CHECKIN_DAILY", "Made from the snapshot"} {
			if !strings.Contains(res.Log, want) {
				t.Errorf("the job log lacks %q:\n%s", want, res.Log)
			}
		}
		for _, a := range argsOf(calls, "curl") {
			if slices.Contains(a, "POST") {
				t.Errorf("a fork's pipeline without GITLAB_API_TOKEN posted: %q", a)
			}
			if a[len(a)-1] == snapshotURL && !slices.Contains(a, "JOB-TOKEN: "+glJobToken) {
				t.Errorf("the snapshot was not downloaded with the job token: %q", a)
			}
		}
		// Kept, and refused by apply: made from a snapshot.
		plan := filepath.Join(h.root, "gl-artifacts", "403", "plan-fork", "plan.json")
		effects := len(fe.rec.Effects())
		if code, out := fe.cli(t, h, changed, "apply", "--account", "client-a", plan); code != 3 || !strings.Contains(out, "snapshot") {
			t.Errorf("apply of the fork's plan: exit %d, want 3 (refused)\n%s", code, out)
		}
		if len(fe.rec.Effects()) != effects {
			t.Error("apply of a plan made from a snapshot changed an account")
		}
		h.calls()
	})

	t.Run("fork, run in this project: the note says it was planned from the snapshot of its time, without credentials; an outsider's marker is left alone", func(t *testing.T) {
		h.t = t
		forged := []map[string]any{glNote(901, 5, "<!-- wxmenu-plan part 1/1 -->\n**wxmenu plan**: no changes.")}
		b, _ := json.Marshal(forged)
		h.route("curl * "+api+"/merge_requests/9/notes?*", h.file("gl/notes-9.json", string(b)))
		refuseOthersNotes(h, api, 9, forged)
		res, calls := forkRun(t, glEvent{Source: "merge_request_event", PipelineID: "404", SHA: "f6f6f6f6f6f6", MR: 9, Fork: true, InParent: true, Files: changed})
		if res.Code != 0 {
			t.Fatalf("plan-fork exit %d:\n%s", res.Code, res.Log)
		}
		var posts []fakeCall
		for _, c := range calls {
			if c.Args[0] == "curl" && (slices.Contains(c.Args, "POST") || slices.Contains(c.Args, "PUT") || slices.Contains(c.Args, "DELETE")) {
				posts = append(posts, c)
			}
		}
		if len(posts) != 1 || !slices.Contains(posts[0].Args, api+"/merge_requests/9/notes") || !slices.Contains(posts[0].Args, "POST") {
			t.Fatalf("note writes %q, want one new note", argsOf(posts, "curl"))
		}
		body := posts[0].Body
		if !strings.HasPrefix(body, "<!-- wxmenu-plan part 1/1 -->\n") {
			t.Errorf("the note does not start with its part marker:\n%s", body)
		}
		for _, want := range []string{"comes from a fork", "without credentials from the snapshot taken at " + doc.TakenAt, "client-a", "CHECKIN_DAILY", "Made from the snapshot"} {
			if !strings.Contains(body, want) {
				t.Errorf("the note lacks %q:\n%s", want, body)
			}
		}
		noFleetSecretIn(t, "the fork's note", body, fe.secrets)
	})

	t.Run("the merge of the fork's merge request: apply plans the accounts it changed again, from the live accounts, for review", func(t *testing.T) {
		h.t = t
		h.route("curl * "+api+"/repository/commits/e5e5e5e5e5e5/merge_requests", h.file("gl/mrs-e5.json", `[{"iid":9,"state":"merged","project_id":42,"target_project_id":42,"source_project_id":77}]`))
		diffs, _ := json.Marshal([]map[string]string{{"old_path": "accounts/client-a.yaml", "new_path": "accounts/client-a.yaml"}})
		h.route("curl * "+api+"/merge_requests/9/diffs?*", h.file("gl/diffs-9.json", string(diffs)))
		ev := glEvent{Source: "push", PipelineID: "405", SHA: "e5e5e5e5e5e5", Branch: "main", Files: changed}
		if got := r.jobsFor(ev); got["apply"] != "on_success" {
			t.Fatalf("push jobs %v, want apply", got)
		}
		h.calls()
		effects := len(fe.rec.Effects())
		res := r.runJob("apply", ev)
		calls := h.calls()
		// The fleet's stale-plan path: nothing applied, the accounts
		// named, exit 3.
		if res.Code != 3 {
			t.Fatalf("apply after a fork's merge: exit %d, want 3 (planned again for review, nothing applied):\n%s", res.Code, res.Log)
		}
		if len(fe.rec.Effects()) != effects {
			t.Error("apply changed an account without a reviewed plan of the live accounts")
		}
		for _, want := range []string{"comes from a fork", "client-a"} {
			if !strings.Contains(res.Log, want) {
				t.Errorf("the apply log lacks %q:\n%s", want, res.Log)
			}
		}
		for _, a := range argsOf(calls, "curl") {
			if strings.Contains(a[len(a)-1], "/raw/plan.json") {
				t.Errorf("apply looked for a plan of the fork's merge request: %q", a)
			}
		}
		// Planned from the live accounts: it asked for client-a's token.
		if asked := fe.tokenRequests(t, calls); !slices.Contains(asked, "client-a") {
			t.Errorf("the re-plan did not read client-a live (token requests %v)", asked)
		}
		var posts []fakeCall
		for _, c := range calls {
			if c.Args[0] == "curl" && (slices.Contains(c.Args, "POST") || slices.Contains(c.Args, "PUT") || slices.Contains(c.Args, "DELETE")) {
				posts = append(posts, c)
			}
		}
		if len(posts) != 1 || !slices.Contains(posts[0].Args, api+"/merge_requests/9/notes") || !slices.Contains(posts[0].Args, "POST") {
			t.Fatalf("note writes %q, want the new plan posted on MR 9", argsOf(posts, "curl"))
		}
		body := posts[0].Body
		for _, want := range []string{"comes from a fork", "Nothing was changed", "<!-- wxmenu-plan part 1/1 -->", "client-a", "CHECKIN_DAILY", "a merge request from a branch of this project"} {
			if !strings.Contains(body, want) {
				t.Errorf("the note lacks %q:\n%s", want, body)
			}
		}
		if strings.HasPrefix(body, "<!-- wxmenu-plan part") {
			t.Errorf("the note starts with a part marker: the merge request's plan notes would take it for one of theirs:\n%s", body)
		}
		for _, not := range []string{"Made from the snapshot", "brand", "shop-sh"} {
			if strings.Contains(body, not) {
				t.Errorf("the note has %q: planned from the snapshot, or an account the merge request did not change:\n%s", not, body)
			}
		}
		noFleetSecretIn(t, "the apply job", res.Log+body, fe.secrets)
	})

	t.Run("the merge of a fork's merge request whose accounts already match: the job says so and passes", func(t *testing.T) {
		h.t = t
		if code, out := fe.cli(t, h, changed, "apply", "--account", "client-a", "--auto-approve"); code != 0 {
			t.Fatalf("applying client-a by hand: exit %d\n%s", code, out)
		}
		h.calls()
		effects := len(fe.rec.Effects())
		res := r.runJob("apply", glEvent{Source: "push", PipelineID: "406", SHA: "e5e5e5e5e5e5", Branch: "main", Files: changed})
		if res.Code != 0 {
			t.Fatalf("apply exit %d, want 0 (nothing left to apply):\n%s", res.Code, res.Log)
		}
		if len(fe.rec.Effects()) != effects {
			t.Error("apply changed an account")
		}
		var posts []string
		for _, c := range h.calls() {
			if c.Args[0] == "curl" && slices.Contains(c.Args, "POST") {
				posts = append(posts, c.Body)
			}
		}
		if len(posts) != 1 || !strings.Contains(posts[0], "comes from a fork") || !strings.Contains(posts[0], "already match their files") {
			t.Errorf("notes posted %q, want one saying the accounts already match", posts)
		}
	})

	// Run in the project by a member, a fork's pipeline gets every
	// unprotected variable, and validate and plan run the commands of the
	// fork's accounts_from: plan-fork drops every credential first.
	t.Run("fork, run in the project that leaves the credentials unprotected: wxmenu's commands see none", func(t *testing.T) {
		h.t = t
		open := &glRunner{h: h, p: p, settings: settings, protected: map[string]bool{}, artifacts: map[string]map[string]string{}}
		files := fleetFiles(t, map[string][2]string{"wxmenu.yaml": {"\nrollout:", "\naccounts_from:\n  - command: [sh, bin/leak]\nrollout:"}})
		files["bin/leak"] = "env > \"$CI_PROJECT_DIR/leaked-env.txt\"\n"
		h.route("curl * "+api+"/merge_requests/10/notes?*", h.file("gl/notes-10.json", "[]"))
		res := open.runJob("plan-fork", glEvent{Source: "merge_request_event", PipelineID: "409", SHA: "f9f9f9f9f9f9", MR: 10, Fork: true, InParent: true, Files: files})
		h.calls()
		for name, value := range fe.secrets {
			if !slices.Contains(res.Env, name+"="+value) {
				t.Fatalf("the job did not get the unprotected %s: the scenario tests nothing", name)
			}
		}
		leaked, err := os.ReadFile(filepath.Join(res.Workspace, "leaked-env.txt"))
		if err != nil {
			t.Fatalf("the fork's accounts_from command did not run (%v): the scenario tests nothing\n%s", err, res.Log)
		}
		names := map[string]bool{"WECHAT_TOKEN_SERVICE": true, "GITLAB_API_TOKEN": true, "CI_JOB_TOKEN": true}
		for name := range fe.secrets {
			names[name] = true
		}
		for _, kv := range strings.Split(string(leaked), "\n") {
			if name, _, _ := strings.Cut(kv, "="); names[name] {
				t.Errorf("the fork's accounts_from command saw %s", name)
			}
		}
		noFleetSecretIn(t, "the fork's commands", string(leaked)+res.Log, fe.secrets)
	})
}

// TestGitLabFleetRecipeSchema validates the GitLab fleet recipe against
// GitLab's published CI schema, and shellchecks each job's script as the
// runner assembles it.
func TestGitLabFleetRecipeSchema(t *testing.T) {
	s := compileGitLabSchema(t)
	data := readFile(t, gitlabFleetRecipe)
	if err := s.Validate(yamlAsJSON(t, []byte(data))); err != nil {
		t.Fatalf("%s does not match GitLab's CI schema: %v", gitlabFleetRecipe, err)
	}
	broken := strings.Replace(data, "  resource_group: wxmenu-apply\n", "  resource-group: wxmenu-apply\n", 1)
	if broken == data {
		t.Fatal("the recipe changed; pick another breakage")
	}
	if err := s.Validate(yamlAsJSON(t, []byte(broken))); err == nil {
		t.Error("the schema accepts a broken recipe")
	}
	if _, err := exec.LookPath("shellcheck"); err != nil {
		t.Skip("shellcheck is not installed (apt-get install shellcheck)")
	}
	p := loadGitLabPipeline(t, gitlabFleetRecipe)
	dir := t.TempDir()
	for name, j := range p.Jobs {
		before := j.BeforeScript
		if before == nil {
			before = p.Default.BeforeScript
		}
		path := filepath.Join(dir, name+".sh")
		script := "#!/bin/sh\nset -e\n" + strings.Join(append(append([]string{}, before...), j.Script...), "\n") + "\n"
		if err := os.WriteFile(path, []byte(script), 0o644); err != nil {
			t.Fatal(err)
		}
		if out, err := exec.Command("shellcheck", "--shell=sh", "--severity=style", path).CombinedOutput(); err != nil {
			t.Errorf("shellcheck %s job:\n%s", name, out)
		}
	}
}

// TestGitLabFleetRecipeRuns runs the GitLab fleet pipeline: a merge
// request plans the accounts it changed and posts its note parts, a push
// updates them, the merge applies each account on its own (a stale one is
// named, the others applied), and the drift check reads every account.
func TestGitLabFleetRecipeRuns(t *testing.T) {
	t.Parallel()
	if out, _ := exec.Command("uname", "-m").Output(); strings.TrimSpace(string(out)) != "x86_64" {
		t.Skipf("the GitLab install step picks the archive by uname -m (%s); the test serves linux_amd64", out)
	}
	h := newCIHarness(t)
	fe := newFleetEmulator(t, h)
	p := loadGitLabPipeline(t, gitlabFleetRecipe)
	if v := p.Variables["WXMENU_VERSION"]; !pinnedVersion.MatchString(v) {
		t.Fatalf("WXMENU_VERSION = %q, want a pinned release", v)
	}
	h.release(p.Variables["WXMENU_VERSION"], "linux_amd64")
	settings := map[string]string{"GITLAB_API_TOKEN": "glpat-recipe-test-token"}
	for k, v := range fe.secrets {
		settings[k] = v
	}
	for k, v := range fe.vars {
		settings[k] = v
	}
	r := &glRunner{h: h, p: p, settings: settings, artifacts: map[string]map[string]string{}}
	base := fleetFiles(t, nil)
	if code, out := fe.cli(t, h, base, "apply", "--auto-approve", "--allow-many-deletes"); code != 0 {
		t.Fatalf("setting the accounts up: exit %d\n%s", code, out)
	}
	changed := fleetFiles(t, map[string][2]string{
		"accounts/shop-sh.yaml":  {"key: CHECKIN}", "key: CHECKIN_DAILY}"},
		"accounts/client-a.yaml": {"key: CHECKIN}", "key: CHECKIN_DAILY}"},
	})
	api := "https://gitlab.example.com/api/v4/projects/42"
	ok := h.file("gl/ok.json", "{}")
	for _, m := range []string{"POST", "PUT", "DELETE"} {
		h.route("curl * -X "+m+" *", ok)
	}
	diffs, _ := json.Marshal([]map[string]string{
		{"old_path": "accounts/shop-sh.yaml", "new_path": "accounts/shop-sh.yaml"},
		{"old_path": "accounts/client-a.yaml", "new_path": "accounts/client-a.yaml"},
		{"old_path": "docs/notes.md", "new_path": "docs/notes.md"},
	})
	h.route("curl * "+api+"/merge_requests/5/diffs?*", h.file("gl/diffs-5.json", string(diffs)))
	h.route("curl * "+api+"/merge_requests/6/diffs?*", h.file("gl/diffs-6.json", string(diffs)))
	h.route("curl * https://gitlab.example.com/api/v4/user", h.file("gl/user.json", fmt.Sprintf(`{"id":%d,"username":"project_42_bot_1"}`, gitlabBotID)))
	writes := func(calls []fakeCall) []string {
		var out []string
		for _, a := range argsOf(calls, "curl") {
			if i := slices.Index(a, "-X"); i >= 0 {
				out = append(out, a[i+1]+" "+strings.TrimPrefix(a[len(a)-1], api))
			}
		}
		return out
	}

	var part1 string
	t.Run("merge request plans the accounts it changed and posts a note", func(t *testing.T) {
		h.t = t
		h.route("curl * "+api+"/merge_requests/5/notes?*", h.file("gl/no-notes.json", "[]"))
		ev := glEvent{Source: "merge_request_event", PipelineID: "301", SHA: "c1c1c1c1c1c1", MR: 5, Files: changed}
		if diff := cmp.Diff(map[string]string{"plan": "on_success"}, r.jobsFor(ev)); diff != "" {
			t.Fatalf("jobs (-want +got):\n%s", diff)
		}
		before := len(fe.rec.Effects())
		res := r.runJob("plan", ev)
		if res.Code != 0 {
			t.Fatalf("plan job exit %d:\n%s", res.Code, res.Log)
		}
		if len(fe.rec.Effects()) != before {
			t.Error("the plan job changed an account")
		}
		calls := h.calls()
		if diff := cmp.Diff([]string{"POST /merge_requests/5/notes"}, writes(calls)); diff != "" {
			t.Fatalf("note writes (-want +got):\n%s", diff)
		}
		part1 = calls[len(calls)-1].Body
		for _, want := range []string{"<!-- wxmenu-plan part 1/1 -->", "2 accounts", "shop-sh", "client-a", "CHECKIN_DAILY"} {
			if !strings.Contains(part1, want) {
				t.Errorf("the note lacks %q:\n%s", want, part1)
			}
		}
		if strings.Contains(part1, "brand") {
			t.Errorf("an account the merge request did not change was planned:\n%s", part1)
		}
		if _, err := os.Stat(filepath.Join(h.root, "gl-artifacts", "301", "plan", "plan.json")); err != nil {
			t.Errorf("plan.json not kept: %v", err)
		}
		noFleetSecretIn(t, "the plan job", res.Log+part1, fe.secrets)
	})

	t.Run("a push updates the note and deletes a part no longer needed", func(t *testing.T) {
		h.t = t
		notes, _ := json.Marshal([]map[string]any{glNote(3, 5, "please review"), glNote(77, gitlabBotID, part1), glNote(78, gitlabBotID, "<!-- wxmenu-plan part 2/2 -->\nolder")})
		h.route("curl * "+api+"/merge_requests/5/notes?*", h.file("gl/notes-5.json", string(notes)))
		ev := glEvent{Source: "merge_request_event", PipelineID: "302", SHA: "c2c2c2c2c2c2", MR: 5, Files: changed}
		if res := r.runJob("plan", ev); res.Code != 0 {
			t.Fatalf("plan job exit %d:\n%s", res.Code, res.Log)
		}
		if diff := cmp.Diff([]string{"PUT /merge_requests/5/notes/77", "DELETE /merge_requests/5/notes/78"}, writes(h.calls())); diff != "" {
			t.Errorf("note writes (-want +got):\n%s", diff)
		}
	})

	// Anyone who can comment can post notes that start with a part marker,
	// before the job runs: the job must never take them for its own,
	// neither to update (part 1/1) nor to delete (a fake part 7/7). GitLab
	// refuses a Reporter's token any change to another's note.
	forged := []map[string]any{
		glNote(901, 5, "<!-- wxmenu-plan part 1/1 -->\n**wxmenu plan**: no changes."),
		glNote(902, 5, "<!-- wxmenu-plan part 7/7 -->\nfake"),
	}
	noteWrites := func(t *testing.T, pipeline string, notes []map[string]any) []string {
		t.Helper()
		b, _ := json.Marshal(notes)
		h.route("curl * "+api+"/merge_requests/6/notes?*", h.file("gl/notes-6.json", string(b)))
		refuseOthersNotes(h, api, 6, notes)
		ev := glEvent{Source: "merge_request_event", PipelineID: pipeline, SHA: "c" + pipeline + "c" + pipeline + "c" + pipeline, MR: 6, Files: changed}
		res := r.runJob("plan", ev)
		if res.Code != 0 {
			t.Errorf("plan job exit %d:\n%s", res.Code, res.Log)
		}
		noFleetSecretIn(t, "the plan job", res.Log, fe.secrets)
		calls := h.calls()
		for _, c := range calls {
			if c.Args[0] == "curl" && slices.Contains(c.Args, "POST") && !strings.HasPrefix(c.Body, "<!-- wxmenu-plan part 1/1 -->\n") {
				t.Errorf("posted %q, want part 1 of the plan", c.Body)
			}
		}
		return writes(calls)
	}
	t.Run("an outsider's notes with part markers are left alone: the job posts its own", func(t *testing.T) {
		h.t = t
		if diff := cmp.Diff([]string{"POST /merge_requests/6/notes"}, noteWrites(t, "331", forged)); diff != "" {
			t.Errorf("note writes (-want +got):\n%s", diff)
		}
	})

	t.Run("with its own notes among forged ones, the job updates and removes only its own", func(t *testing.T) {
		h.t = t
		notes := append(slices.Clone(forged), glNote(80, gitlabBotID, part1), glNote(81, gitlabBotID, "<!-- wxmenu-plan part 2/2 -->\nolder"))
		if diff := cmp.Diff([]string{"PUT /merge_requests/6/notes/80", "DELETE /merge_requests/6/notes/81"}, noteWrites(t, "332", notes)); diff != "" {
			t.Errorf("note writes (-want +got):\n%s", diff)
		}
	})

	t.Run("merge applies each account on its own; a stale one is named", func(t *testing.T) {
		h.t = t
		h.route("curl * "+api+"/repository/commits/m1m1m1m1m1m1/merge_requests", h.file("gl/mrs.json", `[{"iid":5,"state":"merged"}]`))
		h.route("curl * "+api+"/jobs/artifacts/refs%2Fmerge-requests%2F5%2Fhead/raw/plan.json?job=plan", filepath.Join(h.root, "gl-artifacts", "302", "plan", "plan.json"))
		// client-a changes in the console after the review.
		fe.emu.Account(fleetClientAppID).SeedDemo()
		ev := glEvent{Source: "push", PipelineID: "303", SHA: "m1m1m1m1m1m1", Branch: "main", Files: changed}
		if diff := cmp.Diff(map[string]string{"apply": "on_success", "snapshot": "always"}, r.jobsFor(ev)); diff != "" {
			t.Fatalf("jobs (-want +got):\n%s", diff)
		}
		before := len(fe.rec.Effects())
		res := r.runJob("apply", ev)
		if res.Code != 3 {
			t.Fatalf("apply job exit %d, want 3 (one account stale):\n%s", res.Code, res.Log)
		}
		for _, want := range []string{"stale: client-a", "1 applied"} {
			if !strings.Contains(res.Log, want) {
				t.Errorf("the apply log lacks %q:\n%s", want, res.Log)
			}
		}
		got := fe.effects(before)
		for k := range got {
			if !strings.HasPrefix(k, fleetShopAppID+" ") {
				t.Errorf("an account other than shop-sh changed: %s", k)
			}
		}
		if got[fleetShopAppID+" menu/create"] != 1 {
			t.Errorf("shop-sh's default menu must be created once: %v", got)
		}
		if _, err := os.Stat(filepath.Join(h.root, "gl-artifacts", "303", "apply", "audit.jsonl")); err != nil {
			t.Errorf("no audit log kept: %v", err)
		}
		noFleetSecretIn(t, "the apply job", res.Log, fe.secrets)
		if asked := fe.tokenRequests(t, h.calls()); !slices.Contains(asked, "client-a") {
			t.Errorf("the apply job did not ask the token service for client-a's token: %v", asked)
		}
	})

	// The drift check tracks each drifted account in its own issue.
	// Pipeline 303 applied shop-sh; client-a was refused as stale.
	const shopTitle, clientTitle = "wxmenu drift: shop-sh", "wxmenu drift: client-a"
	drift := func(t *testing.T, pipeline string, issues ...map[string]any) (glJobResult, []issueWrite) {
		t.Helper()
		routeGitLabDrift(h, api, []string{"303"}, map[string][]string{"303": {"apply"}}, issues...)
		ev := glEvent{Source: "schedule", PipelineID: pipeline, SHA: "m1m1m1m1m1m1", Branch: "main", Files: changed}
		if diff := cmp.Diff(map[string]string{"drift": "on_success", "snapshot": "always"}, r.jobsFor(ev)); diff != "" {
			t.Fatalf("jobs (-want +got):\n%s", diff)
		}
		before := len(fe.rec.Effects())
		res := r.runJob("drift", ev)
		if res.Code != 0 {
			t.Fatalf("drift job exit %d, want 0 (drift is tracked in issues):\n%s", res.Code, res.Log)
		}
		if len(fe.rec.Effects()) != before {
			t.Error("the drift check changed an account")
		}
		noFleetSecretIn(t, "the drift job", res.Log, fe.secrets)
		return res, glIssueWrites(h.calls(), api)
	}
	bodies := map[string]string{}
	t.Run("the drift check reads every account and opens one issue per drifted account", func(t *testing.T) {
		h.t = t
		fe.emu.Account(fleetShopAppID).SeedDemo()
		res, writes := drift(t, "304", glIssue(20, 5, clientTitle, "<!-- wxmenu-drift: drifted -->\nmine"))
		for _, want := range []string{"the audit log of job 93030 (pipeline 303)", "3 accounts: 1 in_sync, 1 changed_outside, 1 drifted", "tracked in its issue"} {
			if !strings.Contains(res.Log, want) {
				t.Errorf("the log lacks %q:\n%s", want, res.Log)
			}
		}
		if diff := cmp.Diff([]string{"POST issues " + shopTitle, "POST issues " + clientTitle}, writeList(writes)); diff != "" {
			t.Fatalf("issue writes (-want +got):\n%s", diff)
		}
		bodies["shop-sh"], bodies["client-a"] = writes[0].Body, writes[1].Body
		driftIssueBody(t, bodies["shop-sh"], "changed_outside", "Who sees another menu now", "--account shop-sh")
		driftIssueBody(t, bodies["client-a"], "drifted", "--account client-a")
	})

	ours := func() []map[string]any {
		return []map[string]any{
			glIssue(20, 5, clientTitle, "mine"),
			glIssue(21, gitlabBotID, shopTitle, bodies["shop-sh"]),
			glIssue(22, gitlabBotID, clientTitle, bodies["client-a"]),
		}
	}
	t.Run("the same drift again updates each issue and opens none", func(t *testing.T) {
		h.t = t
		_, writes := drift(t, "305", ours()...)
		if diff := cmp.Diff([]string{"PUT issues/21", "PUT issues/22"}, writeList(writes)); diff != "" {
			t.Fatalf("issue writes (-want +got):\n%s", diff)
		}
	})

	t.Run("recovery closes the issues", func(t *testing.T) {
		h.t = t
		if code, out := fe.cli(t, h, changed, "apply", "--account", "shop-sh", "--account", "client-a", "--auto-approve", "--allow-many-deletes"); code != 0 {
			t.Fatalf("restoring the accounts: exit %d\n%s", code, out)
		}
		_, writes := drift(t, "306", ours()...)
		want := []string{"POST issues/21/notes", "PUT issues/21 state_event=close", "POST issues/22/notes", "PUT issues/22 state_event=close"}
		if diff := cmp.Diff(want, writeList(writes)); diff != "" {
			t.Fatalf("issue writes (-want +got):\n%s", diff)
		}
	})
}

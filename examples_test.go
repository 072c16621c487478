package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/wxmenu/wxmenu/reconcile/desired"
	"gopkg.in/yaml.v3"
)

// TestExampleMenusValidate loads every desired-state example: each must be
// valid as shipped.
func TestExampleMenusValidate(t *testing.T) {
	files, _ := filepath.Glob("examples/*/menus.yaml")
	if len(files) < 2 {
		t.Fatalf("want at least 2 example menus.yaml files, got %v", files)
	}
	for _, f := range files {
		if _, err := desired.LoadFile(f); err != nil {
			t.Errorf("%s: %v", f, err)
		}
	}
}

// ciJob is the part of a CI job both recipes share.
type ciJob struct {
	Script []string `yaml:"script"`
	Steps  []struct {
		Run  string `yaml:"run"`
		Uses string `yaml:"uses"`
	} `yaml:"steps"`
}

func (j ciJob) commands() string {
	var b strings.Builder
	for _, s := range j.Script {
		b.WriteString(s + "\n")
	}
	for _, s := range j.Steps {
		b.WriteString(s.Run + "\n")
	}
	return b.String()
}

// TestGitHubWorkflow parses the GitHub Actions recipe and checks the
// promises the README makes about it.
func TestGitHubWorkflow(t *testing.T) {
	var wf struct {
		On          map[string]any `yaml:"on"`
		Concurrency struct {
			Group            string `yaml:"group"`
			CancelInProgress bool   `yaml:"cancel-in-progress"`
		} `yaml:"concurrency"`
		Jobs map[string]ciJob `yaml:"jobs"`
	}
	decodeYAML(t, "examples/github-actions/wxmenu.yml", &wf)
	var triggers []string
	for k := range wf.On {
		triggers = append(triggers, k)
	}
	for _, want := range []string{"pull_request", "push", "schedule"} {
		if _, ok := wf.On[want]; !ok {
			t.Errorf("workflow is not triggered on %s (has %v)", want, triggers)
		}
	}
	if !strings.Contains(wf.Concurrency.Group, "WECHAT_APPID") || wf.Concurrency.CancelInProgress {
		t.Errorf("want one non-cancelling concurrency group per account, got %+v", wf.Concurrency)
	}
	checkJobs(t, wf.Jobs, map[string][]string{
		"plan":  {"wxmenu plan", "--out plan.json", "--format markdown", "--detailed-exitcode", "GITHUB_STEP_SUMMARY"},
		"apply": {"wxmenu apply", "plan.json", "--audit-log"},
		"drift": {"wxmenu plan", "--detailed-exitcode"},
	})
	for _, name := range []string{"drift", "plan"} {
		if strings.Contains(wf.Jobs[name].commands(), "wxmenu apply") {
			t.Errorf("%s job must not apply", name)
		}
	}
	if !usesAction(wf.Jobs["plan"], "actions/upload-artifact") || !usesAction(wf.Jobs["apply"], "actions/download-artifact") {
		t.Error("the plan must travel as an artifact from the pull request to the apply job")
	}
}

func usesAction(j ciJob, action string) bool {
	for _, s := range j.Steps {
		if strings.HasPrefix(s.Uses, action+"@") {
			return true
		}
	}
	return false
}

// TestGitLabPipeline parses the GitLab CI recipe.
func TestGitLabPipeline(t *testing.T) {
	var raw map[string]yaml.Node
	data, err := os.ReadFile("examples/gitlab-ci/.gitlab-ci.yml")
	if err != nil {
		t.Fatal(err)
	}
	if err := yaml.Unmarshal(data, &raw); err != nil {
		t.Fatalf("parse: %v", err)
	}
	jobs := map[string]ciJob{}
	for _, name := range []string{"plan", "apply", "drift"} {
		node, ok := raw[name]
		if !ok {
			t.Fatalf("no %s job", name)
		}
		var j struct {
			ciJob         `yaml:",inline"`
			ResourceGroup string `yaml:"resource_group"`
		}
		if err := node.Decode(&j); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if j.ResourceGroup == "" {
			t.Errorf("%s job has no resource_group: applies to one account must be serialised", name)
		}
		jobs[name] = j.ciJob
	}
	var stages []string
	stagesNode := raw["stages"]
	if err := stagesNode.Decode(&stages); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"plan", "apply", "drift"}, stages); diff != "" {
		t.Errorf("stages (-want +got):\n%s", diff)
	}
	checkJobs(t, jobs, map[string][]string{
		"plan":  {"wxmenu plan", "--out plan.json", "--format markdown", "--detailed-exitcode"},
		"apply": {"wxmenu apply", "plan.json", "--audit-log"},
		"drift": {"wxmenu plan", "--detailed-exitcode"},
	})
}

func checkJobs(t *testing.T, jobs map[string]ciJob, want map[string][]string) {
	t.Helper()
	for name, needles := range want {
		j, ok := jobs[name]
		if !ok {
			t.Errorf("no %s job", name)
			continue
		}
		cmds := j.commands()
		for _, n := range needles {
			if !strings.Contains(cmds, n) {
				t.Errorf("%s job: no %q in its commands:\n%s", name, n, cmds)
			}
		}
	}
}

func decodeYAML(t *testing.T, path string, v any) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := yaml.Unmarshal(data, v); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
}

package plans

import (
	"strings"

	"github.com/wxmenu/wxmenu/wechat"
)

// PriorityMenu is one conditional menu of the account after apply, in the
// order WeChat tries them.
type PriorityMenu struct {
	Name string `json:"name"`
	// MatchRule is shared with the state the plan was made from.
	MatchRule *wechat.MatchRule `json:"matchrule"`
	Unmanaged bool              `json:"unmanaged,omitempty"`
	Kept      bool              `json:"kept,omitempty"`
}

// Provenance is where a plan was made: the commit and the CI run, read
// from the CI system's variables (ProvenanceFromEnv).
type Provenance struct {
	// System is "github" or "gitlab".
	System string `json:"system"`
	Commit string `json:"commit,omitempty"`
	// Repository is GitHub's owner/name.
	Repository string `json:"repository,omitempty"`
	// RunURL links the CI run or pipeline.
	RunURL string `json:"run_url,omitempty"`
}

// ProvenanceFromEnv reads the CI variables GitHub Actions (GITHUB_SHA,
// GITHUB_RUN_ID, GITHUB_REPOSITORY, GITHUB_SERVER_URL) and GitLab CI
// (CI_COMMIT_SHA, CI_PIPELINE_URL) set; nil outside CI. getenv is
// os.Getenv in the CLI.
func ProvenanceFromEnv(getenv func(string) string) *Provenance {
	clean := func(name string) string { return strings.TrimSpace(oneLineEnv(getenv(name))) }
	if sha := clean("GITHUB_SHA"); sha != "" {
		p := &Provenance{System: "github", Commit: sha, Repository: clean("GITHUB_REPOSITORY")}
		if run := clean("GITHUB_RUN_ID"); run != "" && p.Repository != "" {
			server := clean("GITHUB_SERVER_URL")
			if server == "" {
				server = "https://github.com"
			}
			p.RunURL = strings.TrimRight(server, "/") + "/" + p.Repository + "/actions/runs/" + run
		}
		return p
	}
	if sha := clean("CI_COMMIT_SHA"); sha != "" {
		return &Provenance{System: "gitlab", Commit: sha, RunURL: clean("CI_PIPELINE_URL")}
	}
	return nil
}

func oneLineEnv(s string) string {
	if i := strings.IndexAny(s, "\r\n"); i >= 0 {
		return s[:i]
	}
	return s
}

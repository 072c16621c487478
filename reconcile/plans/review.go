package plans

import (
	"cmp"
	"strings"

	"github.com/wxmenu/wxmenu/internal/i18n"
	"github.com/wxmenu/wxmenu/wechat"
)

// Kind says what kind of menu a follower sees.
type Kind string

// Kinds of menus a follower can see.
const (
	KindNone        Kind = "none"        // the account has no menu
	KindDefault     Kind = "default"     // the default menu
	KindConditional Kind = "conditional" // a conditional menu
)

// The names the engine gives the menus that have none of their own.
const (
	DefaultMenuName = "default menu"
	ConsoleMenuName = "menu published in the console"
)

// NameIn is s's name for a reader in tr's language: the names the engine
// gives (no menu, the default menu, the console's menu) are words,
// translated; a menu's own name is data, as it is.
func (s Seen) NameIn(tr *i18n.Printer) string {
	switch {
	case s.Kind == KindNone:
		return tr.Msg("no menu")
	case s.Kind == KindDefault && s.Name == DefaultMenuName:
		return tr.Msg("default menu")
	case s.Kind == KindDefault && s.Name == ConsoleMenuName:
		return tr.Msg("menu published in the console")
	}
	return s.Name
}

// Seen is the menu a follower sees.
type Seen struct {
	Kind Kind `json:"kind"`
	// Name labels it: "default menu", "no menu", "menu published in the
	// console", a desired name, or a live menu's rule and menuid as the
	// plan's steps and kept menus name it.
	Name      string            `json:"name"`
	MenuID    string            `json:"menuid,omitempty"`
	MatchRule *wechat.MatchRule `json:"matchrule,omitempty"`
	Unmanaged bool              `json:"unmanaged,omitempty"`
	Buttons   []wechat.Button   `json:"buttons,omitempty"`
}

// Audience is a group of followers that every rule involved treats alike:
// those whose most recently applied tag is TagID ("" stands for everyone
// whose last tag is none of the listed ones, or who has none) on the
// client_platform_type values Platforms, in order (all three: any
// platform).
type Audience struct {
	TagID     string   `json:"tag_id,omitempty"`
	Platforms []string `json:"platforms"`
}

// Label describes the audience for people: "tag 101 on iOS", "tag 101
// (vip)", "everyone else on Android, others".
func (a Audience) Label(tagNames map[string]string) string {
	return a.LabelIn(nil, tagNames)
}

// LabelIn is Label worded by tr (nil: English).
func (a Audience) LabelIn(tr *i18n.Printer, tagNames map[string]string) string {
	who := tr.Msg("everyone else")
	if a.TagID != "" {
		who = wechat.MatchRule{TagID: a.TagID}.DescribeIn(tr, tagNames)
	}
	if len(a.Platforms) == 3 || len(a.Platforms) == 0 {
		return who
	}
	names := make([]string, len(a.Platforms))
	for i, p := range a.Platforms {
		names[i] = wechat.ClientPlatformLabel(tr, p)
	}
	return tr.Msg("%s on %s", who, tr.List(names))
}

// LostList words who loses a personalized menu, as the loss rail's
// message names them: the first three of lost, each as its label and the
// menu it sees after apply, then how many more; worded by tr (nil:
// English, as the plan holds the message).
func LostList(tr *i18n.Printer, lost []AudienceRow, tagNames map[string]string) string {
	var who []string
	for i, r := range lost {
		if i == 3 {
			who = append(who, tr.Msg("and %d more", len(lost)-3))
			break
		}
		who = append(who, r.Audience.LabelIn(tr, tagNames)+" → "+r.After.NameIn(tr))
	}
	return tr.List(who)
}

// AudienceRow is one line of the "who sees what" table (package audience
// computes it).
type AudienceRow struct {
	Audience Audience `json:"audience"`
	Label    string   `json:"label"`
	Before   Seen     `json:"before"`
	After    Seen     `json:"after"`
	// Changed reports whether the audience's buttons differ after apply.
	Changed bool `json:"changed"`
	// Lost reports whether the audience loses its personalized menu: it saw
	// a conditional menu and sees other buttons from the default menu, no
	// menu, or a broader conditional menu after apply.
	Lost bool `json:"lost,omitempty"`
	// Transient lists menus the audience sees during apply that it sees
	// neither before nor after.
	Transient []TransientMenu `json:"transient,omitempty"`
}

// TransientMenu is a menu an audience sees for a while during apply.
type TransientMenu struct {
	// Steps are the 1-based numbers of the steps after which the audience
	// sees Seen (consecutive).
	Steps []int `json:"steps"`
	Seen  Seen  `json:"seen"`
}

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
	clean := func(name string) string { // its first line
		line, _, _ := strings.Cut(strings.ReplaceAll(getenv(name), "\r", "\n"), "\n")
		return strings.TrimSpace(line)
	}
	if sha := clean("GITHUB_SHA"); sha != "" {
		p := &Provenance{System: "github", Commit: sha, Repository: clean("GITHUB_REPOSITORY")}
		if run := clean("GITHUB_RUN_ID"); run != "" && p.Repository != "" {
			server := cmp.Or(clean("GITHUB_SERVER_URL"), "https://github.com")
			p.RunURL = strings.TrimRight(server, "/") + "/" + p.Repository + "/actions/runs/" + run
		}
		return p
	}
	if sha := clean("CI_COMMIT_SHA"); sha != "" {
		return &Provenance{System: "gitlab", Commit: sha, RunURL: clean("CI_PIPELINE_URL")}
	}
	return nil
}

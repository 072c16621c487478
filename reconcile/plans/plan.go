package plans

import (
	"time"

	"github.com/wxmenu/wxmenu/wechat"
)

// FormatVersion is the version of the plan document. apply refuses plans of
// any other version.
const FormatVersion = 1

// Action is what one plan step does; each maps to exactly one API call.
type Action string

// The actions a plan can hold.
const (
	ActionCreateDefault  Action = "create_default"  // menu/create
	ActionAddConditional Action = "add_conditional" // menu/addconditional
	ActionDelConditional Action = "del_conditional" // menu/delconditional
	ActionDeleteAll      Action = "delete_all"      // menu/delete
)

// Endpoint returns the API endpoint the action calls, e.g. "menu/create".
func (a Action) Endpoint() string {
	switch a {
	case ActionCreateDefault:
		return "menu/create"
	case ActionAddConditional:
		return "menu/addconditional"
	case ActionDelConditional:
		return "menu/delconditional"
	case ActionDeleteAll:
		return "menu/delete"
	}
	return ""
}

// Plan is the reviewed, saved and applied unit: a versioned document that
// apply interprets. It is data only; it never holds credentials.
type Plan struct {
	FormatVersion int       `json:"format_version"`
	ToolVersion   string    `json:"tool_version"`
	CreatedAt     time.Time `json:"created_at"`
	AppID         string    `json:"appid"`
	DesiredFile   string    `json:"desired_file"`
	// DesiredDigest is DesiredState.Digest of the file the plan was made from.
	DesiredDigest string `json:"desired_digest"`
	// LiveDigest is LiveDigest of the account as read when planning
	// (menuids included), so any change to the account makes the plan stale.
	LiveDigest string `json:"live_digest"`
	// Steps run in order, each one API call.
	Steps []Step `json:"steps"`
	// Kept lists live conditional menus left as they are, newest first.
	Kept []KeptMenu `json:"kept,omitempty"`
	// Warnings are things a reviewer should know that do not block the plan.
	Warnings []string `json:"warnings,omitempty"`
	// Quota is the number of calls the steps spend per endpoint.
	Quota map[string]int `json:"quota"`
	// Checksum is the sha256 of the document with this field empty; a plan
	// whose checksum does not match was edited or truncated and is refused.
	Checksum string `json:"checksum"`
	// Overrides lists the safety overrides the plan needed (e.g.
	// "allow-delete-all"); apply records them in the audit log.
	Overrides []string `json:"overrides,omitempty"`
}

// Step is one API call of a plan.
type Step struct {
	Action Action `json:"action"`
	// Name is the menu's label: the YAML name for declared menus, a
	// generated description for live menus not in the file.
	Name string `json:"name,omitempty"`
	// MenuID is the live menuid a delete removes (empty otherwise).
	MenuID    string            `json:"menuid,omitempty"`
	MatchRule *wechat.MatchRule `json:"matchrule,omitempty"`
	// Before is the live buttons (deletes, recreations, default changes);
	// After is the buttons the call sends (creates).
	Before []wechat.Button `json:"buttons_before,omitempty"`
	After  []wechat.Button `json:"buttons_after,omitempty"`
	// Reason says why, in words a reviewer understands.
	Reason string `json:"reason"`
	// DeleteFirst marks a delete ordered before creates because a WeChat
	// limit (3 URL domains, conditional-menu count) forbids create-first.
	DeleteFirst bool `json:"delete_first,omitempty"`
}

// KeptMenu is a live conditional menu the plan leaves in place.
type KeptMenu struct {
	Name      string           `json:"name"`
	MenuID    string           `json:"menuid"`
	MatchRule wechat.MatchRule `json:"matchrule"`
	Unmanaged bool             `json:"unmanaged,omitempty"`
}

// HasChanges reports whether applying the plan makes any call.
func (p *Plan) HasChanges() bool { return len(p.Steps) > 0 }

// Sign is the step's mark in a plan for people: + create, - delete,
// ~ default menu replaced, ! delete all.
func (s Step) Sign() string {
	switch s.Action {
	case ActionAddConditional:
		return "+"
	case ActionDelConditional:
		return "-"
	case ActionCreateDefault:
		if s.Before == nil {
			return "+"
		}
		return "~"
	case ActionDeleteAll:
		return "!"
	}
	return "?"
}

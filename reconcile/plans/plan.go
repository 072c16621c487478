package plans

import (
	"time"

	"github.com/wxmenu/wxmenu/wechat"
)

// FormatVersion is the version of the plan document. apply refuses plans of
// any other version, and those of an earlier one (1: before reason codes;
// 2: digests written field by field rather than as JSON) with a hint to
// plan again.
const FormatVersion = 3

// Action is what one plan step does; each maps to exactly one API call.
type Action string

// The actions a plan can hold, and the endpoint each calls.
const (
	ActionCreateDefault  Action = "create_default"
	ActionAddConditional Action = "add_conditional"
	ActionDelConditional Action = "del_conditional"
	ActionDeleteAll      Action = "delete_all"
)

var endpoints = map[Action]string{
	ActionCreateDefault:  "menu/create",
	ActionAddConditional: "menu/addconditional",
	ActionDelConditional: "menu/delconditional",
	ActionDeleteAll:      "menu/delete",
}

// Endpoint returns the API endpoint the action calls, e.g. "menu/create";
// "" for an unknown action.
func (a Action) Endpoint() string { return endpoints[a] }

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
	// Template names the template an account's desired state was rendered
	// from, TemplateDigest is its digest and VarsDigest that of the values
	// the account gave it; all empty for a menus file. A change to either
	// makes the plan stale.
	Template       string `json:"template,omitempty"`
	TemplateDigest string `json:"template_digest,omitempty"`
	VarsDigest     string `json:"vars_digest,omitempty"`
	// Vars are the values the template's placeholders took for the
	// account, by placeholder (vars and built-ins alike): a review of many
	// accounts of one template shows their buttons with the placeholders
	// instead (Shared), so one template change reviews once.
	Vars map[string]string `json:"vars,omitempty"`
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
	// PlanDigest is the sha256 of the plan's document with this field
	// empty, set when the plan is made (Seal); a plan whose digest does not
	// match was edited or truncated and is refused. The audit log and
	// apply's JSON document name the plan by it.
	PlanDigest string `json:"plan_digest"`
	// Overrides lists the safety overrides the plan needed (e.g.
	// "allow-delete-all"); apply records them in the audit log.
	Overrides []string `json:"overrides,omitempty"`
	// Blocked lists the safety rails the plan trips that no override
	// allows. A blocked plan can be shown but is never saved or applied.
	Blocked []Violation `json:"blocked,omitempty"`

	// The review fields (review.go) say what the plan does to followers;
	// the document leaves them out when they are empty.

	// Changes is HasChanges as data, for tools reading the JSON.
	Changes bool `json:"has_changes"`
	// Counts is the number of steps per action.
	Counts map[Action]int `json:"counts,omitempty"`
	// Priority lists the conditional menus after apply in the order WeChat
	// tries them (the file's order, unmanaged menus where they stay).
	Priority []PriorityMenu `json:"priority,omitempty"`
	// Audiences is the "who sees what" table (package audience): each
	// group of followers, the menu they see now and after apply, and the
	// menus they see for a while during apply.
	Audiences []AudienceRow `json:"audiences,omitempty"`
	// Removed lists live menus that matched someone and whose matchrule no
	// menu has after apply: removed for good, not recreated.
	Removed []Seen `json:"removed,omitempty"`
	// TagNames names tag ids for people, from the file's tags: map.
	TagNames map[string]string `json:"tag_names,omitempty"`
	// Reads counts the API reads planning made per endpoint: menu/get;
	// get_current_selfmenu_info when menu/get reported no menu (46003) and
	// the console menu was looked for; tags/get when the file has a tags:
	// map.
	Reads map[string]int `json:"reads,omitempty"`
	// Provenance says where the plan was made, when CI variables say so.
	Provenance *Provenance `json:"provenance,omitempty"`
	// Snapshot is set when the plan was made from a snapshot of the
	// account (plan --live) instead of a read of it: such a plan is for
	// review only, and apply refuses it.
	Snapshot *SnapshotSource `json:"snapshot,omitempty"`
}

// SnapshotSource is the snapshot a plan was made from (plan --live): a
// pull request from a fork is planned without the account's credentials,
// from what a trusted job read earlier, so the plan shows the account as it
// was when the snapshot was taken, not as it is.
type SnapshotSource struct {
	// File is the snapshot file as given to plan --live.
	File string `json:"file"`
	// TakenAt is when the account was read into the snapshot.
	TakenAt time.Time `json:"taken_at"`
	// Digest is the snapshot file's digest, which names it.
	Digest string `json:"digest"`
}

// IsBlocked reports whether a safety rail blocks the plan.
func (p *Plan) IsBlocked() bool { return len(p.Blocked) > 0 }

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
	// ReasonCode says why, for machines; Reason is its prose (Explain),
	// in words a reviewer understands.
	ReasonCode ReasonCode `json:"reason_code"`
	Reason     string     `json:"reason"`
	// Replaces is the menuid of the live menu a create replaces (its delete
	// is the step whose ReplacedBy names this one); ReplacesRule is that
	// menu's matchrule when it differs (rule_changed).
	Replaces     string            `json:"replaces,omitempty"`
	ReplacesRule *wechat.MatchRule `json:"replaces_matchrule,omitempty"`
	// ReplacedBy is the 0-based index of the create that replaces the menu a
	// delete retires.
	ReplacedBy *int `json:"replaced_by,omitempty"`
	// Above names the menu a recreated menu must rank above.
	Above string `json:"above,omitempty"`
	// DuplicateOf names the declared menu a deleted duplicate copies.
	DuplicateOf string `json:"duplicate_of,omitempty"`
	// DeleteFirst marks a delete ordered before creates because a WeChat
	// limit (3 URL domains, conditional-menu count) forbids create-first;
	// DeleteFirstFor says which create and which limit.
	DeleteFirst    bool            `json:"delete_first,omitempty"`
	DeleteFirstFor *DeleteFirstFor `json:"delete_first_for,omitempty"`
}

// KeptMenu is a live conditional menu the plan leaves in place.
type KeptMenu struct {
	Name   string `json:"name"`
	MenuID string `json:"menuid"`
	// MatchRule is shared with the live state the plan was made from.
	MatchRule *wechat.MatchRule `json:"matchrule"`
	Unmanaged bool              `json:"unmanaged,omitempty"`
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

// Violation is one tripped safety rail.
type Violation struct {
	Rail    string `json:"rail"`    // e.g. "many-deletes"
	Message string `json:"message"` // what the plan would do, for people
	// Override is the CLI flag name (without dashes) that allows it, e.g.
	// "allow-delete-all".
	Override string `json:"override"`
}

// Outcome is what happened to one step.
type Outcome string

// Step outcomes.
const (
	OutcomeDone        Outcome = "done"
	OutcomeAlreadyDone Outcome = "already_done" // e.g. a delete that found the menu gone (65301)
	OutcomeFailed      Outcome = "failed"
	OutcomeNotRun      Outcome = "not_run"
	// OutcomeUnknown is a create whose request may have reached WeChat and
	// whose effect a re-read did not show (or no re-read was possible):
	// WeChat may still apply it, so it is never re-sent.
	OutcomeUnknown Outcome = "unknown"
)

package desired

import (
	"github.com/wxmenu/wxmenu/internal/yamlpos"
	"github.com/wxmenu/wxmenu/wechat"
)

// Pos is a position in the desired-state file, 1-based.
type Pos = yamlpos.Pos

// Diagnostic is one problem found in a desired-state file, located on the
// node that causes it, with a hint where a fix is likely; Diagnostics is
// every problem of a file, and an error.
type (
	Diagnostic  = yamlpos.Diagnostic
	Diagnostics = yamlpos.Diagnostics
)

// State is one account's menus as declared in menus.yaml.
type State struct {
	// Path is the file the state was read from, for messages.
	Path string
	// Default is the default menu; nil when the file declares none, which
	// means the account should have no menu at all (menu/delete).
	Default *Default
	// Conditional lists the conditional menus in priority order: the first
	// entry wins, so it must end up the newest on WeChat.
	Conditional []Conditional
	// Unmanaged lists matchrules of live conditional menus to leave alone.
	Unmanaged []UnmanagedRule
	// Tags names tag ids for people ("101" → "vip"), from the file's tags:
	// map. Plans show the names; planning checks them against the
	// account's tag list (tags/get). Never sent to WeChat and not part of
	// the menus' identity.
	Tags map[string]string
	// Positions locates the file's nodes for diagnostics, keyed by field
	// path such as "conditional[0].button[1].name". Parse sets it; it is nil
	// for states built in code, and never part of the menus' identity.
	Positions map[string]Pos
	// Rendered is set on a state rendered from a template (Template.Render):
	// which template and values it comes from. It is nil for a menus file,
	// and never part of the menus' identity.
	Rendered *Rendered
}

// Default is the declared default menu.
type Default struct {
	Buttons []wechat.Button
}

// Conditional is one declared conditional menu.
type Conditional struct {
	// Name is a label for people, unique in the file, never sent to WeChat.
	Name      string
	MatchRule wechat.MatchRule
	Buttons   []wechat.Button
	// Protect forbids deleting or recreating the menu without an override.
	Protect bool
}

// UnmanagedRule is a matchrule whose live menus the plan leaves alone.
type UnmanagedRule struct {
	MatchRule wechat.MatchRule
}

package plans

import (
	"cmp"
	"fmt"
	"strings"

	"github.com/wxmenu/wxmenu/wechat"
)

// ReasonCode says, for machines, why a step is in the plan; the prose
// Reason is derived from it and the step's fields (Explain).
type ReasonCode string

// Reason codes.
const (
	// create_default
	ReasonDefaultMissing ReasonCode = "default_missing" // the account has no default menu
	ReasonDefaultChanged ReasonCode = "default_changed" // its buttons differ
	// ReasonReplacesConsoleMenu: menu/get reports no menu, but followers see
	// one published in the mp.weixin.qq.com console (Before), which
	// menu/create replaces.
	ReasonReplacesConsoleMenu ReasonCode = "replaces_console_menu"
	// add_conditional
	ReasonNew                  ReasonCode = "new"                    // no live menu is replaced
	ReasonButtonsChanged       ReasonCode = "buttons_changed"        // replaces the live menu with its matchrule (Replaces)
	ReasonRuleChanged          ReasonCode = "rule_changed"           // replaces the live menu with its buttons (Replaces, ReplacesRule)
	ReasonRecreatedForPriority ReasonCode = "recreated_for_priority" // unchanged, recreated to rank above Above
	// del_conditional
	ReasonReplaced  ReasonCode = "replaced"    // retired by the create at step ReplacedBy
	ReasonDuplicate ReasonCode = "duplicate"   // a second live copy of DuplicateOf
	ReasonNotInFile ReasonCode = "not_in_file" // the file does not declare it
	ReasonDeadRule  ReasonCode = "dead_rule"   // its matchrule uses a privacy field: it matches nobody
	// delete_all
	ReasonDeleteAll ReasonCode = "delete_all" // the file declares no menu
)

// Limits a delete can be moved first for (DeleteFirstFor.Limit).
const (
	LimitURLDomains = "url_domains" // 3 URL domains across conditional menus (65316)
	LimitMenuCount  = "menu_count"  // the conditional-menu cap (65305)
)

// DeleteFirstFor says why a delete runs before a create: creating Create
// first would exceed Limit, whose value is Max.
type DeleteFirstFor struct {
	Create string `json:"create"`
	Limit  string `json:"limit"`
	Max    int    `json:"max"`
}

// Explain returns the prose reason of s in a plan for file (the desired
// file's name as the plan shows it) whose tags are named by tagNames
// (Plan.TagNames).
func (s Step) Explain(file string, tagNames map[string]string) string {
	file = cmp.Or(file, "the desired state")
	var why string
	switch s.ReasonCode {
	case ReasonDefaultMissing:
		why = "the account has no default menu"
	case ReasonDefaultChanged:
		why = "default menu changed"
	case ReasonReplacesConsoleMenu:
		why = "replaces the menu published in the console, which followers see now"
	case ReasonNew:
		why = "new"
	case ReasonButtonsChanged:
		why = "buttons changed (replaces menuid " + s.Replaces + ")"
	case ReasonRuleChanged:
		var from wechat.MatchRule
		if s.ReplacesRule != nil {
			from = *s.ReplacesRule
		}
		why = fmt.Sprintf("matchrule changed from %s (replaces menuid %s)", from.Describe(tagNames), s.Replaces)
	case ReasonRecreatedForPriority:
		why = "unchanged, recreated to restore the priority order"
		if s.Above != "" {
			why = "unchanged, recreated to stay above " + s.Above
		}
	case ReasonReplaced:
		why = "menuid " + s.MenuID + ", replaced by the new " + s.Name
	case ReasonDuplicate:
		why = "duplicate of " + s.DuplicateOf
	case ReasonNotInFile:
		why = "not in " + file
	case ReasonDeadRule:
		var fields []string
		if s.MatchRule != nil {
			fields = s.MatchRule.PrivacyFields()
		}
		why = "never matches: uses privacy field " + strings.Join(fields, ", ") + ", which WeChat no longer matches"
	case ReasonDeleteAll:
		why = file + " declares no menu"
	default:
		why = string(s.ReasonCode)
	}
	if f := s.DeleteFirstFor; f != nil {
		limit := fmt.Sprintf("%d URL domains across conditional menus", f.Max)
		if f.Limit == LimitMenuCount {
			limit = fmt.Sprintf("%d conditional menus", f.Max)
		}
		why += fmt.Sprintf("; deleted before creating %s, which would otherwise exceed WeChat's limit of %s", f.Create, limit)
	}
	return why
}

package plans

import (
	"strconv"
	"strings"

	"github.com/wxmenu/wxmenu/internal/i18n"

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
// (Plan.TagNames): the Reason a plan holds, in English.
func (s Step) Explain(file string, tagNames map[string]string) string {
	return s.ExplainIn(nil, file, tagNames)
}

// ExplainIn is Explain worded by tr (nil: English), for people reading the
// plan in tr's language; the plan itself always holds the English Reason.
func (s Step) ExplainIn(tr *i18n.Printer, file string, tagNames map[string]string) string {
	if file == "" {
		file = tr.Msg("the desired state")
	}
	var why string
	switch s.ReasonCode {
	case ReasonDefaultMissing:
		why = tr.Msg("the account has no default menu")
	case ReasonDefaultChanged:
		why = tr.Msg("default menu changed")
	case ReasonReplacesConsoleMenu:
		why = tr.Msg("replaces the menu published in the console, which followers see now")
	case ReasonNew:
		why = tr.Msg("new")
	case ReasonButtonsChanged:
		why = tr.Msg("buttons changed (replaces menuid %s)", s.Replaces)
	case ReasonRuleChanged:
		var from wechat.MatchRule
		if s.ReplacesRule != nil {
			from = *s.ReplacesRule
		}
		why = tr.Msg("matchrule changed from %s (replaces menuid %s)", from.DescribeIn(tr, tagNames), s.Replaces)
	case ReasonRecreatedForPriority:
		why = tr.Msg("unchanged, recreated to restore the priority order")
		if s.Above != "" {
			why = tr.Msg("unchanged, recreated to stay above %s", s.Above)
		}
	case ReasonReplaced:
		why = tr.Msg("menuid %s, replaced by the new %s", s.MenuID, s.Name)
	case ReasonDuplicate:
		why = tr.Msg("duplicate of %s", s.DuplicateOf)
	case ReasonNotInFile:
		why = tr.Msg("not in %s", file)
	case ReasonDeadRule:
		var fields []string
		if s.MatchRule != nil {
			fields = s.MatchRule.PrivacyFields()
		}
		why = tr.Msg("never matches: uses privacy field %s, which WeChat no longer matches", strings.Join(fields, ", "))
	case ReasonDeleteAll:
		why = tr.Msg("%s declares no menu", file)
	default:
		why = string(s.ReasonCode)
	}
	if f := s.DeleteFirstFor; f != nil {
		limit := tr.Msg("%s URL domains across conditional menus", strconv.Itoa(f.Max))
		if f.Limit == LimitMenuCount {
			limit = tr.Msg("%s conditional menus", strconv.Itoa(f.Max))
		}
		why += tr.Msg("; deleted before creating %s, which would otherwise exceed WeChat's limit of %s", f.Create, limit)
	}
	return why
}

package audience

import (
	"fmt"
	"slices"

	"github.com/wxmenu/wxmenu/reconcile/canon"
	"github.com/wxmenu/wxmenu/reconcile/plans"
	"github.com/wxmenu/wxmenu/wechat"
)

// State is an account as matching sees it.
type State struct {
	// Default is the default menu; nil when the account has no menu at all.
	Default *Menu
	// Conditional lists the conditional menus newest first: the order in
	// which WeChat tries them.
	Conditional []Menu
}

// Menu is one menu of a State.
type Menu struct {
	// Name labels the menu for people: "default menu", the desired name, or
	// for a live menu not in the file its rule and menuid, as the plan names
	// it.
	Name   string
	MenuID string // "" for a menu the plan creates (its id is not known yet)
	// Rule is a conditional menu's matchrule (nil for the default menu). It
	// points at the rule of the menu the state was made from (menu/get's,
	// a step's): a state shares its rules, and nothing changes them.
	Rule    *wechat.MatchRule
	Buttons []wechat.Button
	// Form is the canonical form of Buttons (canon.CanonicalButtons), which
	// the table compares; Replay writes it when it is "".
	Form      string
	Unmanaged bool // its matchrule is one of the file's unmanaged rules
}

// Labels of the two menus that are not conditional.
const (
	DefaultMenuName = plans.DefaultMenuName
	NoMenuName      = "no menu"
)

// view is a menu some followers see: nil for no menu.
type view struct {
	menu *Menu
	kind plans.Kind
}

// Seen is the menu of v as the plan shows it.
func (v view) Seen() plans.Seen {
	if m := v.menu; m != nil {
		return plans.Seen{Kind: v.kind, Name: m.Name, MenuID: m.MenuID, MatchRule: m.Rule, Unmanaged: m.Unmanaged, Buttons: m.Buttons}
	}
	return plans.Seen{Kind: plans.KindNone, Name: NoMenuName}
}

// sameButtons reports whether two views show the same thing: the same
// buttons, or both no menu.
func (v view) sameButtons(w view) bool {
	return (v.menu == nil) == (w.menu == nil) && (v.menu == nil || v.menu.Form == w.menu.Form)
}

// sameMenu reports whether two views are the same menu (not only the same
// buttons).
func (v view) sameMenu(w view) bool {
	return v.sameButtons(w) && v.kind == w.kind && (v.menu == nil || v.menu.Name == w.menu.Name && v.menu.MenuID == w.menu.MenuID)
}

func (s State) see(tagIDs []string, platform string) view {
	if s.Default == nil {
		// WeChat cannot hold conditional menus without a default (65303).
		return view{}
	}
	for i := range s.Conditional {
		if m := &s.Conditional[i]; m.Rule.Matches(tagIDs, platform) {
			return view{m, plans.KindConditional}
		}
	}
	return view{s.Default, plans.KindDefault}
}

// apply changes s by step, as WeChat would, and returns the menu it
// creates, if any. A created conditional menu becomes the newest;
// menu/create replaces the default menu and keeps the conditional menus
// (UNCONFIRMED, reference §1.1: the emulator makes the same choice).
func (s *State) apply(step plans.Step) (*Menu, error) {
	var made *Menu
	switch step.Action {
	case plans.ActionCreateDefault:
		made = &Menu{Name: DefaultMenuName, Buttons: step.After, Form: canon.CanonicalButtons(step.After)}
		s.Default = made
	case plans.ActionAddConditional:
		switch {
		case s.Default == nil:
			return nil, fmt.Errorf("step add_conditional %q: the account has no default menu (65303)", step.Name)
		case step.MatchRule == nil:
			return nil, fmt.Errorf("step add_conditional %q: no matchrule", step.Name)
		}
		made = &Menu{Name: step.Name, Rule: step.MatchRule, Buttons: step.After, Form: canon.CanonicalButtons(step.After)}
		s.Conditional = slices.Insert(s.Conditional, 0, *made)
	case plans.ActionDelConditional:
		i := slices.IndexFunc(s.Conditional, func(m Menu) bool { return step.MenuID != "" && m.MenuID == step.MenuID })
		if i < 0 {
			return nil, fmt.Errorf("step del_conditional %q: no conditional menu with menuid %q (65301)", step.Name, step.MenuID)
		}
		s.Conditional = slices.Delete(s.Conditional, i, i+1)
	case plans.ActionDeleteAll:
		*s = State{}
	default:
		return nil, fmt.Errorf("unknown step action %q", step.Action)
	}
	return made, nil
}

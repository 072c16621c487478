package reconcile

import (
	"context"
	"fmt"

	"github.com/wxmenu/wxmenu/reconcile/audience"
	"github.com/wxmenu/wxmenu/reconcile/desired"
	"github.com/wxmenu/wxmenu/reconcile/plans"
	"github.com/wxmenu/wxmenu/wechat"
)

// Console-published menus
//
// A menu published in the mp.weixin.qq.com console is not returned by
// menu/get, which answers 46003 as for an account with no menu, yet
// followers see it; get_current_selfmenu_info shows it with is_menu_open 1
// (reference §1.2, §1.7, §7.11; the exact menu/get answer is UNCONFIRMED
// and read here as 46003, the emulator's choice). Without a second read an
// operator migrating from the console would see "the account has no
// default menu" and apply would silently replace what followers have.
//
// So planning and export read get_current_selfmenu_info only when menu/get
// reports no menu at all: the common case still costs one read, and an
// account with API menus never pays for the second. The console menu is
// not part of the live digest (apply reads menu/get only, which cannot see
// it); a console menu changed between plan and apply is replaced all the
// same.

// SelfMenuReader reads the menu followers see however it was published
// (get_current_selfmenu_info); *wechat.Client is one. A MenuAPI that is not
// one is planned for without the console check.
type SelfMenuReader interface {
	GetCurrentSelfMenuInfo(ctx context.Context) (*wechat.SelfMenuInfo, error)
}

// LiveRead is the account as planning and export read it.
type LiveRead struct {
	// Menus is what menu/get returned.
	Menus *wechat.MenuSet
	// Console is the console-published menu followers see, set only when
	// menu/get reported no menu and get_current_selfmenu_info reported an
	// open menu with buttons.
	Console *wechat.SelfMenuInfo
	// Reads counts the calls made: 1, or 2 with the console check.
	Reads int
}

// ReadLive reads the account: menu/get, then get_current_selfmenu_info when
// menu/get reports no menu and api can read it. A failed read is a
// *ReadError, never an empty account.
func ReadLive(ctx context.Context, api MenuAPI) (*LiveRead, error) {
	live, err := api.GetMenu(ctx)
	if err != nil {
		return nil, &ReadError{Err: err}
	}
	r := &LiveRead{Menus: live, Reads: 1}
	sr, ok := api.(SelfMenuReader)
	if !ok || live.Default != nil || len(live.Conditional) > 0 {
		return r, nil
	}
	info, err := sr.GetCurrentSelfMenuInfo(ctx)
	r.Reads++
	if err != nil {
		return nil, &ReadError{Err: err}
	}
	if info.IsMenuOpen == 1 && len(info.SelfMenu.Buttons) > 0 {
		r.Console = info
	}
	return r, nil
}

// withConsoleMenu records in p, when followers see a console-published
// menu, a warning and that menu as the "before" of the default-menu create
// that replaces it, and seals p again. Without one p is left as NewPlan
// sealed it.
func withConsoleMenu(p *plans.Plan, read *LiveRead) error {
	if read.Console == nil {
		return nil
	}
	before, consoleOnly := desired.ConsoleButtons(read.Console.SelfMenu.Buttons)
	replaced := false
	for i := range p.Steps {
		if s := &p.Steps[i]; s.Action == plans.ActionCreateDefault && s.Before == nil {
			s.Before = before
			s.ReasonCode = plans.ReasonReplacesConsoleMenu
			s.Reason = s.Explain(p.DesiredFile, p.TagNames)
			replaced = true
		}
	}
	p.Warnings = append(p.Warnings, desired.ConsoleMenuWarning(consoleOnly, replaced))
	// Followers see the console menu now, not "no menu": the audience
	// table says so.
	for i := range p.Audiences {
		if b := &p.Audiences[i].Before; b.Kind == audience.KindNone {
			*b = audience.Seen{Kind: audience.KindDefault, Name: "menu published in the console", Buttons: before}
		}
	}
	return plans.Seal(p)
}

// Export is a desired-state file of the live account, as export writes it.
type Export struct {
	// Data is the file: the account's menus, or when menu/get reports none
	// the console-published menu followers see (desired.ExportConsoleMenu).
	Data []byte
	// What says what was exported, e.g. "3 conditional menus" or "the menu
	// published in the console".
	What string
	// Warnings are for the operator, e.g. console-only buttons left out.
	Warnings []string
	// Reads counts the calls made (see LiveRead).
	Reads int
}

// Export reads the account (see ReadLive) and renders it as menus.yaml, so
// that plan right after shows no changes; for a console-published menu the
// file holds what followers see and plan shows the create that replaces it.
func (s *Session) Export(ctx context.Context) (*Export, error) {
	read, err := ReadLive(ctx, s.Client)
	if err != nil {
		return nil, err
	}
	out := &Export{Reads: read.Reads}
	if read.Console != nil {
		var consoleOnly []desired.ConsoleOnlyButton
		if out.Data, consoleOnly, err = desired.ExportConsoleMenu(read.Console); err != nil {
			return nil, fmt.Errorf("exporting: %w", err)
		}
		out.What = "the menu published in the console"
		out.Warnings = []string{desired.ConsoleMenuWarning(consoleOnly, true)}
		if len(consoleOnly) > 0 {
			out.Warnings[0] += " (left out of the file, with a comment naming each)"
		}
		return out, nil
	}
	if out.Data, err = desired.Export(read.Menus); err != nil {
		return nil, fmt.Errorf("exporting: %w", err)
	}
	n := len(read.Menus.Conditional)
	out.What = fmt.Sprintf("%d conditional menus", n)
	if n == 1 {
		out.What = "1 conditional menu"
	}
	return out, nil
}

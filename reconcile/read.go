package reconcile

import (
	"context"
	"fmt"
	"maps"
	"slices"

	"github.com/wxmenu/wxmenu/reconcile/desired"
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
// account with API menus never pays for the second. The console menu is an
// input of Diff (LiveRead.Console): the "before" of the default-menu create
// that replaces it, with a warning, and the default menu of the audience
// table's "now". It is not part of the live digest, and apply does not read
// it again: Check gives Diff the console menu the reviewed plan shows
// (rederive), which is shown, never sent, and can only exist while
// menu/get reports no menu at all, which the live digest has checked. A
// console menu changed between plan and apply is replaced all the same.

// SelfMenuReader reads the menu followers see however it was published
// (get_current_selfmenu_info); *wechat.Client is one. A MenuAPI that is not
// one is planned for without the console check.
type SelfMenuReader interface {
	GetCurrentSelfMenuInfo(ctx context.Context) (*wechat.SelfMenuInfo, error)
}

// TagLister is a client that can read the account's tag list; Session.Plan
// reads it when the file has a tags: map (wechat.Client implements it).
type TagLister interface {
	GetTags(ctx context.Context) ([]wechat.Tag, error)
}

// LiveRead is what planning read from the account: the input of Diff
// beside the desired state.
type LiveRead struct {
	// Menus is what menu/get returned.
	Menus *wechat.MenuSet
	// Console is the menu published in the console that followers see, in
	// menu/create's shape (desired.ConsoleButtons), set only when menu/get
	// reported no menu and get_current_selfmenu_info an open menu with
	// buttons; ConsoleOnly lists its buttons the API cannot create.
	Console     []wechat.Button
	ConsoleOnly []desired.ConsoleOnlyButton
	// SelfMenu is what get_current_selfmenu_info returned, nil when it was
	// not read: Console is derived from it, and Export and a snapshot
	// (package snapshot) keep it as read.
	SelfMenu *wechat.SelfMenuInfo
	// Reads counts the menu reads made: 1, or 2 with the console check.
	Reads int
	// Tags is the account's tag list (tags/get), read when the file has a
	// tags: map (nil when it was not read), and TagsErr why it could not be
	// read, if it could not. The file's tag names are checked against it.
	Tags    []wechat.Tag
	TagsErr error
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
	if err != nil {
		return nil, &ReadError{Err: err}
	}
	r.setSelfMenu(info)
	return r, nil
}

// Recorded is the read of an account made from answers recorded earlier
// (a snapshot, see package snapshot): menu/get's, get_current_selfmenu_info's
// when it was read (nil when it was not) and tags/get's (nil when it was not
// read, tagsErr when it failed). The console menu is derived from them as
// ReadLive derives it, so a plan of a recorded read is the plan of the read.
func Recorded(menus *wechat.MenuSet, selfMenu *wechat.SelfMenuInfo, tags []wechat.Tag, tagsErr error) *LiveRead {
	r := &LiveRead{Menus: menus, Reads: 1, Tags: tags, TagsErr: tagsErr}
	if selfMenu != nil {
		r.setSelfMenu(selfMenu)
	}
	return r
}

// setSelfMenu records get_current_selfmenu_info's answer and the console
// menu it shows: an open menu with buttons.
func (r *LiveRead) setSelfMenu(info *wechat.SelfMenuInfo) {
	r.SelfMenu = info
	r.Reads++
	if info.IsMenuOpen == 1 && len(info.SelfMenu.Buttons) > 0 {
		r.Console, r.ConsoleOnly = desired.ConsoleButtons(info.SelfMenu.Buttons)
	}
}

// consoleMenu is the menu published in the console as read, nil when
// there is none (see setSelfMenu).
func (r *LiveRead) consoleMenu() *wechat.SelfMenuInfo {
	if r.Console == nil {
		return nil
	}
	return r.SelfMenu
}

// tagWarnings checks the file's tags: map against the account's tag list:
// a tag the account lacks, or names differently, is shown with the file's
// name but warned about.
func tagWarnings(ds *desired.State, read LiveRead) []string {
	if len(ds.Tags) == 0 {
		return nil
	}
	if read.TagsErr != nil {
		return []string{en.Msg("the account's tags could not be read (%s); the tag names in the plan are the file's, unchecked", read.TagsErr.Error())}
	}
	if read.Tags == nil {
		return nil
	}
	onAccount := map[string]string{}
	for _, t := range read.Tags {
		onAccount[t.ID] = t.Name
	}
	var out []string
	for _, id := range slices.Sorted(maps.Keys(ds.Tags)) {
		name, ok := onAccount[id]
		switch {
		case !ok:
			out = append(out, en.Msg("tags: names tag %s %q, but the account has no tag %s", id, ds.Tags[id], id))
		case name != ds.Tags[id]:
			out = append(out, en.Msg("tags: names tag %s %q, but the account calls it %q", id, ds.Tags[id], name))
		}
	}
	return out
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
	if info := read.consoleMenu(); info != nil {
		var consoleOnly []desired.ConsoleOnlyButton
		if out.Data, consoleOnly, err = desired.ExportConsoleMenu(info); err != nil {
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
	out.What = plural(len(read.Menus.Conditional), "conditional menu", "conditional menus")
	return out, nil
}

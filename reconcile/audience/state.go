package audience

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/wxmenu/wxmenu/reconcile/canon"
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

// State is an account as matching sees it.
type State struct {
	// Default is the default menu's buttons; HasDefault is false when the
	// account has no menu at all. DefaultForm is the canonical form of
	// Default (canon.CanonicalButtons), written when the state is made.
	HasDefault  bool
	Default     []wechat.Button
	DefaultForm string
	// Conditional lists the conditional menus newest first: the order in
	// which WeChat tries them.
	Conditional []StateMenu
}

// StateMenu is one conditional menu of a State.
type StateMenu struct {
	// Name labels the menu for people: the desired name, or for a live menu
	// not in the file its rule and menuid.
	Name   string
	MenuID string // "" for a menu created by the plan (its id is not known yet)
	// Rule is the menu's matchrule. It points at the rule of the menu the
	// state was made from (menu/get's, the desired state's, a step's): a
	// state shares its rules, and nothing changes them.
	Rule    *wechat.MatchRule
	Buttons []wechat.Button
	// Form is the canonical form of Buttons (canon.CanonicalButtons),
	// written once when the menu enters a state: the table compares it.
	Form      string
	Unmanaged bool // its matchrule is one of the file's unmanaged rules
}

// Follower is what matching knows of a follower.
type Follower struct {
	// TagIDs are the follower's tags in the order applied; only the last
	// (the most recent) is matched.
	TagIDs []string
	// Platform is client_platform_type: "1" iOS, "2" Android, "3" others.
	Platform string
}

// Seen is the menu a follower sees.
type Seen struct {
	Kind Kind `json:"kind"`
	// Name labels it: "default menu", "no menu", a desired name, or a live
	// menu's rule and menuid.
	Name      string            `json:"name"`
	MenuID    string            `json:"menuid,omitempty"`
	MatchRule *wechat.MatchRule `json:"matchrule,omitempty"`
	Unmanaged bool              `json:"unmanaged,omitempty"`
	Buttons   []wechat.Button   `json:"buttons,omitempty"`
}

// Labels of the two menus that are not conditional.
const (
	DefaultMenuName = "default menu"
	NoMenuName      = "no menu"
)

// MenuFor returns the menu f sees on an account in state s: the newest
// conditional menu whose rule matches f, else the default menu, else none.
func (s State) MenuFor(f Follower) Seen {
	if !s.HasDefault {
		// WeChat cannot hold conditional menus without a default (65303).
		return Seen{Kind: KindNone, Name: NoMenuName}
	}
	for _, m := range s.Conditional {
		if m.Rule.Matches(f.TagIDs, f.Platform) {
			return Seen{Kind: KindConditional, Name: m.Name, MenuID: m.MenuID, MatchRule: m.Rule, Unmanaged: m.Unmanaged, Buttons: m.Buttons}
		}
	}
	return Seen{Kind: KindDefault, Name: DefaultMenuName, Buttons: s.Default}
}

// Action is what a plan step does, named as in the plan document.
type Action string

// The four API calls a plan makes.
const (
	ActionCreateDefault  Action = "create_default"  // menu/create
	ActionAddConditional Action = "add_conditional" // menu/addconditional
	ActionDelConditional Action = "del_conditional" // menu/delconditional
	ActionDeleteAll      Action = "delete_all"      // menu/delete
)

// Step is one call of a plan, in plain values.
type Step struct {
	Action    Action
	Name      string           // label of the menu created or deleted
	MenuID    string           // del_conditional: the live menuid removed
	MatchRule wechat.MatchRule // add_conditional
	Buttons   []wechat.Button  // create_default, add_conditional
}

// Apply returns the state after step, as WeChat would leave it. A created
// conditional menu becomes the newest; menu/create replaces the default menu
// and keeps the conditional menus (UNCONFIRMED, reference §1.1: the
// emulator makes the same choice).
func (s State) Apply(step Step) (State, error) {
	next := State{HasDefault: s.HasDefault, Default: s.Default, DefaultForm: s.DefaultForm, Conditional: slices.Clone(s.Conditional)}
	switch step.Action {
	case ActionCreateDefault:
		next.HasDefault, next.Default, next.DefaultForm = true, step.Buttons, canon.CanonicalButtons(step.Buttons)
	case ActionAddConditional:
		if !s.HasDefault {
			return s, fmt.Errorf("step add_conditional %q: the account has no default menu (65303)", step.Name)
		}
		m := StateMenu{Name: step.Name, Rule: &step.MatchRule, Buttons: step.Buttons, Form: canon.CanonicalButtons(step.Buttons)}
		next.Conditional = append([]StateMenu{m}, next.Conditional...)
	case ActionDelConditional:
		i := slices.IndexFunc(next.Conditional, func(m StateMenu) bool { return step.MenuID != "" && m.MenuID == step.MenuID })
		if i < 0 {
			return s, fmt.Errorf("step del_conditional %q: no conditional menu with menuid %q (65301)", step.Name, step.MenuID)
		}
		next.Conditional = slices.Delete(next.Conditional, i, i+1)
	case ActionDeleteAll:
		next = State{}
	default:
		return s, fmt.Errorf("unknown step action %q", step.Action)
	}
	return next, nil
}

// menuIndex answers State.MenuFor for the followers of the table (one
// listed tag or none, a platform "1", "2" or "3") without scanning the
// menus: for each tag row and platform, the newest menu that matches.
type menuIndex struct {
	s State
	// tagless[p] is the newest menu with no tag that matches platform p
	// (platforms[p]), byTag[row][p] the newest with the tag of that row of
	// the tag table; -1 for none.
	tagless [3]int32
	byTag   [][3]int32
}

// newMenuIndex indexes s by the rows of tags. rows, when given, are the
// rows of s's menus as the table found them (tagTable.before, .after);
// otherwise each is looked up. A menu whose tag has no row matches none of
// the table's followers by its tag and is left out.
func newMenuIndex(s State, tags *tagTable, rows []int32) *menuIndex {
	x := &menuIndex{s: s, tagless: [3]int32{-1, -1, -1}, byTag: make([][3]int32, len(tags.tags))}
	for i := range x.byTag {
		x.byTag[i] = [3]int32{-1, -1, -1}
	}
	for i, m := range s.Conditional {
		r := m.Rule
		// Matches: an empty rule or one with a privacy field never
		// matches; what is left are the tag and the platform.
		if r.IsEmpty() || r.IsDead() {
			continue
		}
		var on [3]bool
		switch r.ClientPlatformType {
		case "":
			on = [3]bool{true, true, true}
		case "1":
			on[0] = true
		case "2":
			on[1] = true
		case "3":
			on[2] = true
		default:
			continue // matches no follower on 1, 2 or 3
		}
		var row int32
		if rows != nil {
			row = rows[i]
		} else {
			row = tags.rowOf(r)
		}
		slot := &x.tagless
		switch {
		case row >= 0:
			slot = &x.byTag[row]
		case row != noTag:
			continue
		}
		for p := range on {
			if on[p] && slot[p] < 0 {
				slot[p] = int32(i)
			}
		}
	}
	return x
}

// menuFor is s.MenuFor(Follower{TagIDs: []string{tag}, Platform:
// platforms[p]}) for the tag of row (tags.tags[row]), or with no tags
// when row is -1.
func (x *menuIndex) menuFor(row int, p int) view {
	s := x.s
	if !s.HasDefault {
		return view{Seen: Seen{Kind: KindNone, Name: NoMenuName}}
	}
	best := x.newest(row, p)
	if best < 0 {
		return view{Seen{Kind: KindDefault, Name: DefaultMenuName, Buttons: s.Default}, s.DefaultForm}
	}
	// The Seen shares the state's rule: one rule serves every audience
	// that sees the menu.
	m := &s.Conditional[best]
	return view{Seen{Kind: KindConditional, Name: m.Name, MenuID: m.MenuID, MatchRule: m.Rule, Unmanaged: m.Unmanaged, Buttons: m.Buttons}, m.Form}
}

// newest returns the index of the menu the followers of row on
// platforms[p] see (the newest that matches them), or -1 for the default
// menu.
func (x *menuIndex) newest(row int, p int) int32 {
	best := x.tagless[p]
	if row >= 0 {
		if t := x.byTag[row][p]; t >= 0 && (best < 0 || t < best) {
			best = t
		}
	}
	return best
}

// samePlatforms reports whether the followers of row see the same menu on
// every platform.
func (x *menuIndex) samePlatforms(row int) bool {
	m := x.newest(row, 0)
	return x.newest(row, 1) == m && x.newest(row, 2) == m
}

// tagTable lists the tags of the table, each once, in the table's order
// (numeric, then others as text), and the row of each menu of the two
// states it was made from.
type tagTable struct {
	tags []string         // by row
	met  map[string]int32 // tag -> the order it was met in
	rank []int32          // that order -> its row
	// before and after are the rows of the menus of the two states: noTag
	// for a menu without a tag, noRow for one whose rule cannot match.
	before, after []int32
}

// The row of a menu whose rule names no tag, and of one that cannot match.
const (
	noTag = -1
	noRow = -2
)

// rowOf returns the row of a rule's tag, noTag or noRow.
func (t *tagTable) rowOf(r *wechat.MatchRule) int32 {
	switch {
	case r.IsDead():
		return noRow
	case r.TagID == "":
		return noTag
	}
	if i, ok := t.met[r.TagID]; ok {
		return t.rank[i]
	}
	return noRow
}

// listTags returns every tag that a menu of before or after that can match,
// or a desired menu, names. afterHoldsDesired says after has every desired
// menu (Compute's), so their tags need no second look.
func listTags(before, after State, d Desired, afterHoldsDesired bool) *tagTable {
	n := max(len(before.Conditional), len(after.Conditional), len(d.Conditional))
	t := &tagTable{met: make(map[string]int32, n), tags: make([]string, 0, n)}
	// add returns the order tag r was met in, or noTag or noRow.
	add := func(r *wechat.MatchRule) int32 {
		switch {
		case r.IsDead():
			return noRow
		case r.TagID == "":
			return noTag
		}
		i, ok := t.met[r.TagID]
		if !ok {
			i = int32(len(t.tags))
			t.met[r.TagID] = i
			t.tags = append(t.tags, r.TagID)
		}
		return i
	}
	rowsOf := func(st State) []int32 {
		rows := make([]int32, len(st.Conditional))
		for i, m := range st.Conditional {
			rows[i] = add(m.Rule)
		}
		return rows
	}
	t.before, t.after = rowsOf(before), rowsOf(after)
	if !afterHoldsDesired {
		for i := range d.Conditional {
			add(d.Conditional[i].Rule)
		}
	}
	t.rank = sortTags(t.tags)
	for _, rows := range [...][]int32{t.before, t.after} {
		for i, r := range rows {
			if r >= 0 {
				rows[i] = t.rank[r]
			}
		}
	}
	return t
}

// sortTags sorts tag ids numerically, the ones that are not numbers after
// them as text; equal numbers ("7", "07") by their text. It returns where
// each tag went: rank[i] is the new place of the tag that was at i.
// tagKey is a tag as sortTags orders it: parsed once, not at every
// comparison, and with no pointer, so sorting moves plain memory.
type tagKey struct {
	n       uint64
	was     int32 // its place before the sort
	numeric bool
}

func sortTags(tags []string) (rank []int32) {
	keys := make([]tagKey, len(tags))
	for i, t := range tags {
		n, err := strconv.ParseUint(t, 10, 64)
		keys[i] = tagKey{n, int32(i), err == nil}
	}
	order := func(a, b tagKey) int {
		switch {
		case a.numeric && b.numeric && a.n != b.n:
			return cmpUint(a.n, b.n)
		case a.numeric != b.numeric:
			if a.numeric {
				return -1
			}
			return 1
		}
		return strings.Compare(tags[a.was], tags[b.was])
	}
	slices.SortFunc(keys, order) // the tags are distinct: order is total
	sorted := make([]string, len(tags))
	rank = make([]int32, len(tags))
	for i, k := range keys {
		sorted[i], rank[k.was] = tags[k.was], int32(i)
	}
	copy(tags, sorted)
	return rank
}

func cmpUint(a, b uint64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

package audience

import (
	"fmt"
	"slices"
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
	// account has no menu at all.
	HasDefault bool
	Default    []wechat.Button
	// Conditional lists the conditional menus newest first: the order in
	// which WeChat tries them.
	Conditional []StateMenu
}

// StateMenu is one conditional menu of a State.
type StateMenu struct {
	// Name labels the menu for people: the desired name, or for a live menu
	// not in the file its rule and menuid.
	Name      string
	MenuID    string // "" for a menu created by the plan (its id is not known yet)
	MatchRule wechat.MatchRule
	Buttons   []wechat.Button
	Unmanaged bool // its matchrule is one of the file's unmanaged rules
}

// Dead reports whether the menu's rule uses a privacy field, so it never
// matches anyone.
func (m StateMenu) Dead() bool { return len(m.MatchRule.PrivacyFields()) > 0 }

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
		if Matches(m.MatchRule, f) {
			rule := m.MatchRule
			return Seen{Kind: KindConditional, Name: m.Name, MenuID: m.MenuID, MatchRule: &rule, Unmanaged: m.Unmanaged, Buttons: m.Buttons}
		}
	}
	return Seen{Kind: KindDefault, Name: DefaultMenuName, Buttons: s.Default}
}

// Matches reports whether rule matches f: every set field must match, the
// tag against f's most recently applied tag only; an empty rule or one using
// a privacy field never matches (reference §3).
func Matches(rule wechat.MatchRule, f Follower) bool {
	if rule.IsEmpty() || len(rule.PrivacyFields()) > 0 {
		return false
	}
	if rule.TagID != "" && (len(f.TagIDs) == 0 || f.TagIDs[len(f.TagIDs)-1] != rule.TagID) {
		return false
	}
	return rule.ClientPlatformType == "" || rule.ClientPlatformType == f.Platform
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
	next := State{HasDefault: s.HasDefault, Default: s.Default, Conditional: slices.Clone(s.Conditional)}
	switch step.Action {
	case ActionCreateDefault:
		next.HasDefault, next.Default = true, step.Buttons
	case ActionAddConditional:
		if !s.HasDefault {
			return s, fmt.Errorf("step add_conditional %q: the account has no default menu (65303)", step.Name)
		}
		m := StateMenu{Name: step.Name, MatchRule: step.MatchRule, Buttons: step.Buttons}
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

// SameButtons reports whether a and b show the same menu (see the package
// documentation on the canonical form): canon.CanonicalButtons leaves out
// menu/get's "sub_button": [] and the fields a leaf's type does not use,
// keeps only a parent's name and sub-buttons, and gives "[]" for nil and
// empty lists alike.
func SameButtons(a, b []wechat.Button) bool {
	return canon.CanonicalButtons(a) == canon.CanonicalButtons(b)
}

// buttonKeys memoises canonical button forms for one computation: the
// table compares the same few lists (the menus of the states) thousands of
// times. A list is known by its first element and length, which stay put
// while the computation reads them.
type buttonKeys struct {
	forms map[buttonsID]string
	// interned holds each distinct form once: lists with equal buttons
	// share one string.
	interned map[string]string
	buf      []byte // reused to write each form
}

// newButtonKeys sizes the memo for about n lists.
func newButtonKeys(n int) *buttonKeys {
	return &buttonKeys{forms: make(map[buttonsID]string, n), interned: make(map[string]string, n)}
}

type buttonsID struct {
	first *wechat.Button
	n     int
}

// of returns canon.CanonicalButtons(bs), computed once per list.
func (k *buttonKeys) of(bs []wechat.Button) string {
	if len(bs) == 0 {
		return "[]"
	}
	id := buttonsID{&bs[0], len(bs)}
	if s, ok := k.forms[id]; ok {
		return s
	}
	k.buf = canon.AppendCanonicalButtons(k.buf[:0], bs)
	s, ok := k.interned[string(k.buf)]
	if !ok {
		s = string(k.buf)
		k.interned[s] = s
	}
	k.forms[id] = s
	return s
}

func (k *buttonKeys) same(a, b []wechat.Button) bool {
	if len(a) == len(b) && (len(a) == 0 || &a[0] == &b[0]) {
		return true
	}
	return k.of(a) == k.of(b)
}

// menuIndex answers State.MenuFor for the followers of the table (one tag
// or none, a platform "1", "2" or "3") without scanning the menus: for each
// tag and platform, the newest menu that matches.
type menuIndex struct {
	s State
	// tagless[p] is the newest menu with no tag that matches platform p
	// (platforms[p]), byTag[t][p] the newest with tag t; -1 for none.
	tagless [3]int
	byTag   map[string][3]int
	// rules are copies of the menus' rules for the Seen values to point
	// at: one allocation per state rather than one per audience.
	rules []wechat.MatchRule
}

func newMenuIndex(s State) *menuIndex {
	x := &menuIndex{s: s, tagless: [3]int{-1, -1, -1}, byTag: make(map[string][3]int, len(s.Conditional))}
	for i, m := range s.Conditional {
		r := m.MatchRule
		// Matches: an empty rule or one with a privacy field never
		// matches; what is left are the tag and the platform.
		if r.IsEmpty() || len(r.PrivacyFields()) > 0 {
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
		slot := &x.tagless
		var tagged [3]int
		if r.TagID != "" {
			var ok bool
			if tagged, ok = x.byTag[r.TagID]; !ok {
				tagged = [3]int{-1, -1, -1}
			}
			slot = &tagged
		}
		for p := range on {
			if on[p] && slot[p] < 0 {
				slot[p] = i
			}
		}
		if r.TagID != "" {
			x.byTag[r.TagID] = tagged
		}
	}
	return x
}

// menuFor is s.MenuFor(Follower{TagIDs: []string{tag}, Platform:
// platforms[p]}), or with no tags when tag is "".
func (x *menuIndex) menuFor(tag string, p int) Seen {
	s := x.s
	if !s.HasDefault {
		return Seen{Kind: KindNone, Name: NoMenuName}
	}
	best := x.tagless[p]
	if tag != "" {
		if t, ok := x.byTag[tag]; ok && t[p] >= 0 && (best < 0 || t[p] < best) {
			best = t[p]
		}
	}
	if best < 0 {
		return Seen{Kind: KindDefault, Name: DefaultMenuName, Buttons: s.Default}
	}
	if x.rules == nil {
		x.rules = make([]wechat.MatchRule, len(s.Conditional))
		for i, m := range s.Conditional {
			x.rules[i] = m.MatchRule
		}
	}
	m := s.Conditional[best]
	return Seen{Kind: KindConditional, Name: m.Name, MenuID: m.MenuID, MatchRule: &x.rules[best], Unmanaged: m.Unmanaged, Buttons: m.Buttons}
}

// ruleFields lists a rule's set fields as key=value, in a fixed order.
func ruleFields(r wechat.MatchRule) []string {
	var out []string
	for _, f := range [...]struct{ k, v string }{
		{"city", r.City}, {"client_platform_type", r.ClientPlatformType}, {"country", r.Country},
		{"language", r.Language}, {"province", r.Province}, {"sex", r.Sex}, {"tag_id", r.TagID},
	} {
		if f.v != "" {
			out = append(out, f.k+"="+f.v)
		}
	}
	return out
}

func canonicalRule(r wechat.MatchRule) string { return strings.Join(ruleFields(r), "\x00") }

// moreSpecificOrEqual reports whether every field set in general is set to
// the same value in specific.
func moreSpecificOrEqual(specific, general wechat.MatchRule) bool {
	have := ruleFields(specific)
	for _, f := range ruleFields(general) {
		if !slices.Contains(have, f) {
			return false
		}
	}
	return true
}

// DescribeRule returns a rule in words: `tag 101, iOS`, `Android`,
// `sex 1 (dead)`. tagNames, if given, names tag ids: `tag 101 (vip)`.
func DescribeRule(r wechat.MatchRule, tagNames map[string]string) string {
	var parts []string
	if r.TagID != "" {
		parts = append(parts, describeTag(r.TagID, tagNames))
	}
	if p := r.ClientPlatformType; p != "" {
		if name, ok := wechat.ClientPlatformName(p); ok {
			parts = append(parts, name)
		} else {
			parts = append(parts, "platform "+p)
		}
	}
	for _, f := range [...]struct{ k, v string }{
		{"sex", r.Sex}, {"country", r.Country}, {"province", r.Province}, {"city", r.City}, {"language", r.Language},
	} {
		if f.v != "" {
			parts = append(parts, f.k+" "+f.v)
		}
	}
	if len(parts) == 0 {
		return "empty matchrule"
	}
	s := strings.Join(parts, ", ")
	if len(r.PrivacyFields()) > 0 {
		s += " (dead)"
	}
	return s
}

func describeTag(id string, tagNames map[string]string) string {
	if name := tagNames[id]; name != "" {
		return "tag " + id + " (" + name + ")"
	}
	return "tag " + id
}

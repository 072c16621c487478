package plans

import (
	"maps"
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/wxmenu/wxmenu/reconcile/canon"
	"github.com/wxmenu/wxmenu/wechat"
)

// MenuIDMark stands for a menuid in a plan shared by a group of accounts
// (Shared): every account has menuids of its own.
const MenuIDMark = "…"

// Shared returns a copy of p as every account of a group shares it: the
// plan a reviewer reads, with each of its menuids replaced by MenuIDMark,
// in the menuid fields and in the text that names one ("menuid 1004" in a
// reason, a live menu's name, a rail's message), and every button list in
// its canonical form (canon.Buttons: without the fields WeChat echoes but
// ignores). Only menuids are taken out: a value of the account inside any
// other text (its appid in a URL) stays, so that account's plan is not
// shared with another, unless the account's menus were rendered from a
// template: then every value a placeholder took (Plan.Vars) is written back
// as its placeholder in the buttons, so that the accounts of a template
// share the review of its change ("https://shop.example.com/s/${store_id}").
// p is left as it is.
func Shared(p *Plan) *Plan {
	// A copy of every list Shared changes; buttons are replaced, never
	// changed (canonical), and matchrules are shared.
	s := *p
	s.Steps = slices.Clone(p.Steps)
	for i, st := range s.Steps {
		if st.DeleteFirstFor != nil {
			f := *st.DeleteFirstFor
			s.Steps[i].DeleteFirstFor = &f
		}
	}
	s.Kept, s.Priority = slices.Clone(p.Kept), slices.Clone(p.Priority)
	s.Warnings, s.Blocked = slices.Clone(p.Warnings), slices.Clone(p.Blocked)
	s.Audiences, s.Removed = slices.Clone(p.Audiences), slices.Clone(p.Removed)
	for i := range s.Audiences {
		s.Audiences[i].Transient = slices.Clone(s.Audiences[i].Transient)
	}
	ids := map[string]bool{}
	for _, st := range s.Steps {
		ids[st.MenuID], ids[st.Replaces] = true, true
	}
	for _, k := range s.Kept {
		ids[k.MenuID] = true
	}
	s.eachSeen(func(seen *Seen) { ids[seen.MenuID] = true })
	delete(ids, "")
	buttons := canonical
	if r := placeholders(p.Vars); r != nil {
		buttons = func(bs []wechat.Button) []wechat.Button { return withPlaceholders(canonical(bs), r) }
	}
	mark := func(text *string) {
		*text = menuidText.ReplaceAllStringFunc(*text, func(m string) string {
			if ids[m[len("menuid "):]] {
				return "menuid " + MenuIDMark
			}
			return m
		})
	}
	markID := func(id *string) {
		if *id != "" {
			*id = MenuIDMark
		}
	}
	for i := range s.Steps {
		st := &s.Steps[i]
		markID(&st.MenuID)
		markID(&st.Replaces)
		for _, text := range []*string{&st.Name, &st.Reason, &st.Above, &st.DuplicateOf} {
			mark(text)
		}
		if st.DeleteFirstFor != nil {
			mark(&st.DeleteFirstFor.Create)
		}
		st.Before, st.After = buttons(st.Before), buttons(st.After)
	}
	for i := range s.Kept {
		markID(&s.Kept[i].MenuID)
		mark(&s.Kept[i].Name)
	}
	for i := range s.Priority {
		mark(&s.Priority[i].Name)
	}
	for i := range s.Warnings {
		mark(&s.Warnings[i])
	}
	for i := range s.Blocked {
		mark(&s.Blocked[i].Message)
	}
	s.eachSeen(func(seen *Seen) {
		markID(&seen.MenuID)
		mark(&seen.Name)
		seen.Buttons = buttons(seen.Buttons)
	})
	return &s
}

// menuidText is a menuid named in text, as the plan's reasons and names
// write one.
var menuidText = regexp.MustCompile(`menuid [0-9A-Za-z_-]+`)

// canonical is canon.Buttons, keeping a missing list missing (a create of
// the default menu has no buttons before).
func canonical(bs []wechat.Button) []wechat.Button {
	if bs == nil {
		return nil
	}
	return canon.Buttons(bs)
}

// placeholders writes each of a template's values back as its placeholder,
// a longer value before one it contains, and a literal ${ in the text as
// the template writes one ($${), so that what it writes reads back to the
// account's own text alone: accounts whose written text is the same get,
// each with its own values, exactly the text shown. A value shorter than
// minWrittenBack characters, or with $, { or } in it, is left as it is:
// it could not be told from the text around it. nil for a plan of a menus
// file (no values).
func placeholders(vars map[string]string) *strings.Replacer {
	names := slices.Sorted(maps.Keys(vars))
	slices.SortStableFunc(names, func(a, b string) int { return len(vars[b]) - len(vars[a]) })
	var pairs []string
	for _, name := range names {
		if v := vars[name]; utf8.RuneCountInString(v) >= minWrittenBack && !strings.ContainsAny(v, "${}") {
			pairs = append(pairs, v, "${"+name+"}")
		}
	}
	if len(vars) == 0 {
		return nil
	}
	return strings.NewReplacer(append(pairs, "${", "$${")...)
}

// minWrittenBack is the shortest value placeholders writes back: "0001", a
// tag id such as "101", an appid, not a letter that every URL holds.
const minWrittenBack = 3

// withPlaceholders is a copy of bs with r applied to every button's name
// and fields.
func withPlaceholders(bs []wechat.Button, r *strings.Replacer) []wechat.Button {
	if bs == nil {
		return nil
	}
	out := make([]wechat.Button, len(bs))
	for i, b := range bs {
		b.Name = r.Replace(b.Name)
		for _, f := range wechat.ButtonFields() {
			if v := f.Value(&b); v != "" {
				f.Set(&b, r.Replace(v))
			}
		}
		b.SubButtons = withPlaceholders(b.SubButtons, r)
		out[i] = b
	}
	return out
}

// eachSeen calls f on every menu the review says someone sees.
func (p *Plan) eachSeen(f func(*Seen)) {
	for i := range p.Audiences {
		r := &p.Audiences[i]
		f(&r.Before)
		f(&r.After)
		for j := range r.Transient {
			f(&r.Transient[j].Seen)
		}
	}
	for i := range p.Removed {
		f(&p.Removed[i])
	}
}

// GroupKey is the digest that says which accounts a review shows as one
// group: plans with the same key make the same calls (actions, menu names,
// matchrules and buttons, in the same order, for the same reasons), keep
// the same menus, trip the same rails with the same overrides, warn alike,
// read alike and change the same followers' menus the same way (the
// audience table, the menus removed, the final priority order, the tag
// names). It is the sha256 of those fields of Shared(p), so it ignores
// only what differs per account without a follower or reviewer seeing it:
// menuids, the appid, the file's name and digests, when the plan was made
// and where from (a plan of a snapshot differs from one of a live read),
// and in the buttons of a template's accounts the values its placeholders
// took.
func GroupKey(p *Plan) string {
	s := Shared(p)
	doc := struct {
		Steps     []Step            `json:"steps"`
		Kept      []KeptMenu        `json:"kept"`
		Warnings  []string          `json:"warnings"`
		Quota     map[string]int    `json:"quota"`
		Overrides []string          `json:"overrides"`
		Blocked   []Violation       `json:"blocked"`
		Counts    map[Action]int    `json:"counts"`
		Priority  []PriorityMenu    `json:"priority"`
		Audiences []AudienceRow     `json:"audiences"`
		Removed   []Seen            `json:"removed"`
		TagNames  map[string]string `json:"tag_names"`
		Reads     map[string]int    `json:"reads"`
		Snapshot  bool              `json:"snapshot"`
	}{s.Steps, s.Kept, s.Warnings, s.Quota, s.Overrides, s.Blocked, s.Counts, s.Priority, s.Audiences, s.Removed, s.TagNames, s.Reads, s.Snapshot != nil}
	return canon.Digest(doc)
}

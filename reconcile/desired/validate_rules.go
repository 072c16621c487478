package desired

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/wxmenu/wxmenu/wechat"
)

// validName is the form of a conditional menu's label: safe in plans, logs
// and file names.
var validName = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]*$`)

const maxNameLen = 64

// conditionalMenus checks each conditional menu and how the menus relate:
// unique names, and rules that leave a menu unreachable.
func (v *validator) conditionalMenus() {
	firstByName := map[string]int{}
	for i, c := range v.ds.Conditional {
		path := fmt.Sprintf("conditional[%d]", i)
		what := "conditional menu " + menuLabel(c, i)
		switch {
		case c.Name == "":
			v.report(path+".name", what+" has no name",
				"add name: a label such as vip-ios; it appears in plans and is never sent to WeChat")
		case len(c.Name) > maxNameLen:
			v.report(path+".name", fmt.Sprintf("conditional menu name is %d characters; the limit is %d", len(c.Name), maxNameLen),
				"use a short label such as vip-ios")
		case !validName.MatchString(c.Name):
			v.report(path+".name", fmt.Sprintf("conditional menu name %q is not a valid label", c.Name), nameHint(c.Name))
		}
		if j, dup := firstByName[c.Name]; dup && c.Name != "" {
			v.report(path+".name",
				fmt.Sprintf("conditional menu name %q is already used%s", c.Name, v.lineRef(fmt.Sprintf("conditional[%d].name", j))),
				"names label menus in plans and logs, so each must be unique")
		} else if !dup {
			firstByName[c.Name] = i
		}
		v.matchRule(path, what, c)
		v.buttons(path, what, c.Buttons)
	}
	v.unreachableMenus()
}

func nameHint(name string) string {
	hint := fmt.Sprintf("use lowercase letters, digits, \".\", \"_\" and \"-\", starting with a letter or digit, at most %d characters", maxNameLen)
	if s := slug(name); s != "" && s != name {
		hint += fmt.Sprintf(", e.g. %q", s)
	}
	return hint
}

// slug turns a free-form name into a valid label, or "".
func slug(name string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(name) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9', r == '.', r == '_':
			b.WriteRune(r)
			dash = false
		case !dash && b.Len() > 0:
			b.WriteByte('-')
			dash = true
		}
	}
	s := strings.Trim(b.String(), "-._")
	if len(s) > maxNameLen {
		s = strings.TrimRight(s[:maxNameLen], "-._")
	}
	return s
}

// matchRule checks one conditional menu's rule against what addconditional
// accepts.
func (v *validator) matchRule(path, what string, c Conditional) {
	rule := path + ".matchrule"
	if c.MatchRule.IsEmpty() {
		problem := " has an empty matchrule; WeChat rejects it (65304)"
		if _, written := v.ds.Positions[rule]; !written && v.ds.Positions != nil {
			problem = " has no matchrule; WeChat rejects a conditional menu without one (65304)"
		}
		v.report(rule, what+problem,
			"match on tag_id and/or client_platform_type; the menu for everyone else is the default menu")
		return
	}
	if p := c.MatchRule.ClientPlatformType; p != "" {
		if _, ok := wechat.ClientPlatformName(p); !ok {
			v.report(rule+".client_platform_type", fmt.Sprintf("client_platform_type %q is not 1, 2 or 3", p),
				"use 1 for iOS, 2 for Android, 3 for other platforms")
		}
	}
	if t := c.MatchRule.TagID; t != "" {
		if _, err := strconv.ParseUint(t, 10, 64); err != nil {
			v.report(rule+".tag_id", fmt.Sprintf("tag_id %q is not a number", t),
				"use the numeric id of a user tag, as the tags API (tags/get) lists it")
		}
	}
	for _, f := range c.MatchRule.PrivacyFields() {
		v.report(rule+"."+f,
			fmt.Sprintf("matchrule field %q is no longer supported: since its privacy change WeChat rejects sex, country, province, city and language (65320)", f),
			fmt.Sprintf("remove %s and match users with tags (tag_id); live menus that still have such a rule never match any more", f))
	}
}

// unreachableMenus reports conditional menus that no user can ever see
// because an earlier menu (higher priority) covers their rule
// (firstCovering). Menus with privacy fields match nobody (they are
// reported as invalid already).
func (v *validator) unreachableMenus() {
	menus := v.ds.Conditional
	for j, i := range firstCovering(menus, func(c Conditional) wechat.MatchRule { return c.MatchRule }) {
		if i < 0 {
			continue
		}
		first := menuLabel(menus[i], i) + v.lineRef(fmt.Sprintf("conditional[%d]", i))
		path, this := fmt.Sprintf("conditional[%d].matchrule", j), menuLabel(menus[j], j)
		if menus[i].MatchRule == menus[j].MatchRule {
			v.report(path, fmt.Sprintf("conditional menu %s has the same matchrule as %s, which comes first and always wins", this, first),
				"change one of the rules, or remove one of the menus")
			continue
		}
		v.report(path, fmt.Sprintf("conditional menu %s is never shown: %s comes first and matches every user it would match", this, first),
			fmt.Sprintf("the first matching menu wins: move %s above %s, or change its rule", this, menuLabel(menus[i], i)))
	}
}

// firstCovering returns, for the rule of each menu of a priority list, the
// index of the first earlier rule that covers it (wechat.MatchRule.Covers: every user it
// matches, that one matches first, so its menu is never shown), or -1.
// Dead rules match nobody and are left out. A rule that covers b, a live
// rule, is b itself, b's tag alone or b's platform alone, so the first one
// is the earliest of at most three, found by map: linear in the rules.
func firstCovering[M any](menus []M, rule func(M) wechat.MatchRule) []int {
	out := make([]int, len(menus))
	first := make(map[wechat.MatchRule]int, len(menus))
	for j, m := range menus {
		b := rule(m)
		out[j] = -1
		if b.IsDead() {
			continue
		}
		for _, a := range [...]wechat.MatchRule{b, {TagID: b.TagID}, {ClientPlatformType: b.ClientPlatformType}} {
			if k, ok := first[a]; ok && a.Covers(b) && (out[j] < 0 || k < out[j]) {
				out[j] = k
			}
		}
		if _, seen := first[b]; !seen {
			first[b] = j
		}
	}
	return out
}

// menuLabel names a conditional menu in messages: its quoted name, or its
// number when it has none.
func menuLabel(c Conditional, i int) string {
	if c.Name != "" {
		return fmt.Sprintf("%q", c.Name)
	}
	return fmt.Sprintf("#%d", i+1)
}

// urlDomains enforces WeChat's cap on distinct URL domains across all
// conditional menus (65316). It counts what wechat.URLDomains counts (the
// plan engine and the emulator use the same count), URL by URL so that the
// diagnostic points at the first URL over the cap. UNCONFIRMED: whether
// WeChat counts host names or registrable domains; see wechat.URLDomain.
func (v *validator) urlDomains() {
	var domains []string
	first := map[string]string{} // the path of each domain's first URL
	for i, c := range v.ds.Conditional {
		walkButtons(c.Buttons, fmt.Sprintf("conditional[%d].button", i), func(path string, b wechat.Button) {
			host, ok := wechat.URLDomain(b.URL)
			if !ok {
				return
			}
			if _, seen := first[host]; !seen {
				first[host] = path + ".url"
				domains = append(domains, host)
			}
		})
	}
	if len(domains) <= wechat.MaxURLDomains {
		return
	}
	v.report(first[domains[wechat.MaxURLDomains]],
		fmt.Sprintf("conditional menus link to %d URL domains (%s); WeChat allows at most %d across all conditional menus (65316)",
			len(domains), strings.Join(domains, ", "), wechat.MaxURLDomains),
		fmt.Sprintf("serve these pages from at most %d domains", wechat.MaxURLDomains))
}

// walkButtons calls fn for every button of a tree, with its field path.
func walkButtons(buttons []wechat.Button, path string, fn func(path string, b wechat.Button)) {
	for i, b := range buttons {
		p := fmt.Sprintf("%s[%d]", path, i)
		fn(p, b)
		walkButtons(b.SubButtons, p+".sub_button", fn)
	}
}

// unmanagedRules checks the rules of live menus to leave alone.
func (v *validator) unmanagedRules() {
	seen := map[wechat.MatchRule]int{}
	declared := make(map[wechat.MatchRule]int, len(v.ds.Conditional)) // first menu with each rule
	for j := len(v.ds.Conditional) - 1; j >= 0; j-- {
		declared[v.ds.Conditional[j].MatchRule] = j
	}
	for i, u := range v.ds.Unmanaged {
		path := fmt.Sprintf("unmanaged[%d]", i)
		if u.MatchRule.IsEmpty() {
			v.report(path, "unmanaged rule is empty",
				`list the matchrule fields of the live menus to leave alone, e.g. - {tag_id: "900"}`)
			continue
		}
		if j, dup := seen[u.MatchRule]; dup {
			v.report(path, fmt.Sprintf("unmanaged rule repeats an earlier one%s", v.lineRef(fmt.Sprintf("unmanaged[%d]", j))),
				"remove one of them")
			continue
		}
		seen[u.MatchRule] = i
		if j, ok := declared[u.MatchRule]; ok {
			c := v.ds.Conditional[j]
			v.report(path,
				fmt.Sprintf("unmanaged rule is the matchrule of conditional menu %s%s; a menu is either declared or unmanaged",
					menuLabel(c, j), v.lineRef(fmt.Sprintf("conditional[%d]", j))),
				"remove the rule from unmanaged, or the menu from conditional")
		}
	}
}

package plans

import (
	"slices"
	"strconv"
	"time"

	"github.com/wxmenu/wxmenu/reconcile/canon"
	"github.com/wxmenu/wxmenu/wechat"
)

// The plan digest is a sha256 over every field of the plan but PlanDigest,
// written field by field (each field tagged with its JSON name, each string
// length-prefixed so no two plans write alike) rather than through encoding/json: NewPlan seals every
// plan, and reflecting over a plan of 1,000 menus cost more than making it.
// TestDigestCoversEveryField changes each field in turn and requires the
// digest to change, so a field added to Plan or Step cannot be left out.

func digestOf(p *Plan) string {
	var h canon.Hasher
	d := digester{&h}
	d.int("format_version", p.FormatVersion)
	d.str("tool_version", p.ToolVersion)
	d.str("created_at", p.CreatedAt.UTC().Format(time.RFC3339Nano))
	d.str("appid", p.AppID)
	d.str("desired_file", p.DesiredFile)
	d.str("desired_digest", p.DesiredDigest)
	d.str("live_digest", p.LiveDigest)
	d.int("steps", len(p.Steps))
	for _, s := range p.Steps {
		d.step(s)
	}
	d.int("kept", len(p.Kept))
	for _, k := range p.Kept {
		d.str("name", k.Name)
		d.str("menuid", k.MenuID)
		d.rule("matchrule", &k.MatchRule)
		d.bool("unmanaged", k.Unmanaged)
	}
	d.strs("warnings", p.Warnings)
	keys := make([]string, 0, len(p.Quota))
	for k := range p.Quota {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	d.int("quota", len(keys))
	for _, k := range keys {
		d.int(k, p.Quota[k])
	}
	d.strs("overrides", p.Overrides)
	d.int("blocked", len(p.Blocked))
	for _, v := range p.Blocked {
		d.str("rail", v.Rail)
		d.str("message", v.Message)
		d.str("override", v.Override)
	}
	return d.h.Sum()
}

type digester struct{ h *canon.Hasher }

func (d digester) tag(name string) { d.h.Append("\n"); d.h.Append(name) }

// s writes v length-prefixed: "<bytes>:<v>".
func (d digester) s(v string) { d.h.Field(v) }

func (d digester) str(name, v string) { d.tag(name); d.s(v) }

func (d digester) int(name string, v int) { d.tag(name); d.h.Int(v) }

func (d digester) bool(name string, v bool) { d.tag(name); d.h.Append(strconv.FormatBool(v)) }

func (d digester) strs(name string, vs []string) {
	d.int(name, len(vs))
	for _, v := range vs {
		d.s(v)
	}
}

func (d digester) step(s Step) {
	d.str("action", string(s.Action))
	d.str("name", s.Name)
	d.str("menuid", s.MenuID)
	d.rule("matchrule", s.MatchRule)
	d.buttons("buttons_before", s.Before)
	d.buttons("buttons_after", s.After)
	d.str("reason_code", string(s.ReasonCode))
	d.str("reason", s.Reason)
	d.str("replaces", s.Replaces)
	d.rule("replaces_matchrule", s.ReplacesRule)
	if s.ReplacedBy != nil {
		d.int("replaced_by", *s.ReplacedBy)
	}
	d.str("above", s.Above)
	d.str("duplicate_of", s.DuplicateOf)
	d.bool("delete_first", s.DeleteFirst)
	if f := s.DeleteFirstFor; f != nil {
		d.str("delete_first_for", f.Create)
		d.str("limit", f.Limit)
		d.int("max", f.Max)
	}
}

func (d digester) rule(name string, r *wechat.MatchRule) {
	if r == nil {
		return
	}
	d.tag(name)
	for _, v := range [...]string{r.TagID, r.ClientPlatformType, r.Sex, r.Country, r.Province, r.City, r.Language} {
		d.s(v)
	}
}

func (d digester) buttons(name string, bs []wechat.Button) {
	d.int(name, len(bs))
	for i := range bs {
		b := &bs[i]
		d.s(b.Type)
		d.s(b.Name)
		for _, f := range wechat.ButtonFields() {
			d.s(f.Value(b))
		}
		d.buttons("sub_button", b.SubButtons)
	}
}

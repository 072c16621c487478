package plans

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"hash"
	"maps"
	"slices"
	"time"

	"github.com/wxmenu/wxmenu/reconcile/audience"
	"github.com/wxmenu/wxmenu/wechat"
)

// The plan digest is a sha256 over every field of the plan but PlanDigest,
// written field by field rather than through encoding/json: NewPlan seals
// every plan, and reflecting over a plan of 1,000 menus cost more than
// making it. The encoding is prefix-free, so no two plans write alike: each
// string is length-prefixed, each number and list length is a varint, each
// optional part says whether it is there, and map keys are written as
// strings. Fields are tagged with their JSON names for whoever debugs it.
// TestDigestCoversEveryField changes each field in turn and requires the
// digest to change, so a field added to Plan or Step cannot be left out.
//
// The digester writes into its own buffer and hashes it in large chunks: a
// plan of 1,000 menus writes over 100,000 fields.

func digestOf(p *Plan) string {
	d := &digester{h: sha256.New(), buf: make([]byte, 0, digestChunk+4096)}
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
		d.rule("matchrule", k.MatchRule)
		d.bool("unmanaged", k.Unmanaged)
	}
	d.strs("warnings", p.Warnings)
	writeMap(d, "quota", p.Quota, d.n)
	d.strs("overrides", p.Overrides)
	d.int("blocked", len(p.Blocked))
	for _, v := range p.Blocked {
		d.str("rail", v.Rail)
		d.str("message", v.Message)
		d.str("override", v.Override)
	}
	d.review(p)
	return d.sum()
}

// review digests the review fields (review.go).
func (d *digester) review(p *Plan) {
	d.bool("has_changes", p.Changes)
	writeMap(d, "counts", p.Counts, d.n)
	d.int("priority", len(p.Priority))
	for _, m := range p.Priority {
		d.str("name", m.Name)
		d.rule("matchrule", m.MatchRule)
		d.bool("unmanaged", m.Unmanaged)
		d.bool("kept", m.Kept)
	}
	d.int("audiences", len(p.Audiences))
	for _, r := range p.Audiences {
		d.str("tag_id", r.Audience.TagID)
		d.strs("platforms", r.Audience.Platforms)
		d.str("label", r.Label)
		d.seen("before", r.Before)
		d.seen("after", r.After)
		d.bool("changed", r.Changed)
		d.bool("lost", r.Lost)
		d.int("transient", len(r.Transient))
		for _, t := range r.Transient {
			d.int("steps", len(t.Steps))
			for _, n := range t.Steps {
				d.n(n)
			}
			d.seen("seen", t.Seen)
		}
	}
	d.int("removed", len(p.Removed))
	for _, s := range p.Removed {
		d.seen("removed", s)
	}
	writeMap(d, "tag_names", p.TagNames, d.s)
	writeMap(d, "reads", p.Reads, d.n)
	if pv := p.Provenance; d.present("provenance", pv != nil) {
		d.s(pv.System)
		d.str("commit", pv.Commit)
		d.str("repository", pv.Repository)
		d.str("run_url", pv.RunURL)
	}
}

func (d *digester) seen(name string, s audience.Seen) {
	d.str(name, string(s.Kind))
	d.str("name", s.Name)
	d.str("menuid", s.MenuID)
	d.rule("matchrule", s.MatchRule)
	d.bool("unmanaged", s.Unmanaged)
	d.buttons("buttons", s.Buttons)
}

type digester struct {
	h   hash.Hash
	buf []byte // written since the last chunk was hashed
}

// digestChunk is how much the digester buffers before hashing.
const digestChunk = 32 << 10

// flush hashes the buffer once it holds a chunk; every writer calls it.
func (d *digester) flush() {
	if len(d.buf) >= digestChunk {
		d.h.Write(d.buf)
		d.buf = d.buf[:0]
	}
}

func (d *digester) sum() string {
	d.h.Write(d.buf)
	var sum [sha256.Size]byte
	return "sha256:" + hex.EncodeToString(d.h.Sum(sum[:0]))
}

func (d *digester) tag(name string) {
	d.buf = append(d.buf, '\n')
	d.buf = append(d.buf, name...)
}

// s writes v length-prefixed (appendField).
func (d *digester) s(v string) {
	d.buf = appendField(d.buf, v)
	d.flush()
}

func (d *digester) str(name, v string) { d.tag(name); d.s(v) }

func (d *digester) int(name string, v int) { d.tag(name); d.n(v) }

// n writes v as a varint, which ends itself: no digit of what follows can
// be read as part of it.
func (d *digester) n(v int) { d.buf = binary.AppendVarint(d.buf, int64(v)) }

// writeMap writes a map's size, then each key as a string and its value,
// in key order.
func writeMap[K ~string, V any](d *digester, name string, m map[K]V, value func(V)) {
	d.int(name, len(m))
	for _, k := range slices.Sorted(maps.Keys(m)) {
		d.s(string(k))
		value(m[k])
	}
}

// present writes an optional part's tag and whether it is there, and
// returns that.
func (d *digester) present(name string, ok bool) bool {
	d.bool(name, ok)
	return ok
}

func (d *digester) bool(name string, v bool) {
	d.tag(name)
	if v {
		d.buf = append(d.buf, 1)
	} else {
		d.buf = append(d.buf, 0)
	}
}

func (d *digester) strs(name string, vs []string) {
	d.int(name, len(vs))
	for _, v := range vs {
		d.s(v)
	}
}

func (d *digester) step(s Step) {
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
	if d.present("replaced_by", s.ReplacedBy != nil) {
		d.n(*s.ReplacedBy)
	}
	d.str("above", s.Above)
	d.str("duplicate_of", s.DuplicateOf)
	d.bool("delete_first", s.DeleteFirst)
	if f := s.DeleteFirstFor; d.present("delete_first_for", f != nil) {
		d.s(f.Create)
		d.str("limit", f.Limit)
		d.int("max", f.Max)
	}
}

func (d *digester) rule(name string, r *wechat.MatchRule) {
	if !d.present(name, r != nil) {
		return
	}
	for _, v := range [...]string{r.TagID, r.ClientPlatformType, r.Sex, r.Country, r.Province, r.City, r.Language} {
		d.buf = appendField(d.buf, v)
	}
	d.flush()
}

func (d *digester) buttons(name string, bs []wechat.Button) {
	d.tag(name)
	d.buf = appendButtons(d.buf, bs)
	d.flush()
}

// appendButtons writes every field of every button, each length-prefixed
// (appendField), and each list's length before its buttons, so no two
// lists write alike.
func appendButtons(dst []byte, bs []wechat.Button) []byte {
	dst = binary.AppendUvarint(dst, uint64(len(bs)))
	for i := range bs {
		b := &bs[i]
		dst = appendField(dst, b.Type)
		dst = appendField(dst, b.Name)
		for _, f := range wechat.ButtonFields() {
			dst = appendField(dst, f.Value(b))
		}
		dst = append(dst, '\n')
		dst = appendButtons(dst, b.SubButtons)
	}
	return dst
}

// appendField writes v after its length as a uvarint, which no value can
// be confused with: one byte for the short strings of a plan.
func appendField(dst []byte, v string) []byte {
	dst = binary.AppendUvarint(dst, uint64(len(v)))
	return append(dst, v...)
}

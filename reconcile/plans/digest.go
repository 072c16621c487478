package plans

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"hash"
	"hash/maphash"
	"maps"
	"slices"
	"sync"
	"time"

	"github.com/wxmenu/wxmenu/reconcile/audience"
	"github.com/wxmenu/wxmenu/wechat"
)

// The plan digest is a sha256 over every field of the plan but PlanDigest,
// written field by field rather than through encoding/json: NewPlan seals
// every plan, and reflecting over a plan of 1,000 menus cost more than
// making it.
//
// The encoding is prefix-free, so no two plans write alike. Fields are
// written in a fixed order, each in a form that says where it ends: a
// string is its length as a uvarint and its bytes, a number or a list's
// length a varint, a bool one byte, an optional part a byte saying whether
// it is there, a map its size and then its keys (as strings) and values in
// key order. Matchrules and buttons leave out their empty fields after a
// byte with a bit for each field that is set. A reader who knows the order
// can split the bytes back into the fields, so no field names are written
// between them: two plans that write the same bytes have the same fields.
//
// Button lists are most of a plan, and most of them appear several times:
// a step's buttons again in the audience rows of everyone who sees that
// menu. Hashing is a good part of the cost of a digest, so a non-empty
// button list is written out (0, then appendButtons) only the first time
// the plan holds such buttons; after that it is written as 1 + the number
// of that first one among the non-empty lists written out. The reader
// numbers the lists as it reads them, so it still recovers every list, and
// the bytes, being a function of the buttons alone, are the same for a plan
// made in memory (where steps and rows share their slices) and for that
// plan read back from its file (where nothing is shared). The digester
// finds an earlier list with the same buttons by a hash of the encoding,
// then compares the encodings byte for byte, so no hash collision can make
// two lists one. To skip encoding a shared slice again it also remembers
// each slice it met by its first button and length, since two slices alike
// in both hold the same buttons. What it remembers lives for one digest:
// the plan does not change during it.
//
// TestDigestCoversEveryField changes each field in turn and requires the
// digest to change, so a field added to Plan, Step or Button cannot be left
// out. The digester writes into its own buffer and hashes it in large
// chunks; digesters are kept between digests (spare), since for a plan of
// 1,000 menus their buffer and tables are larger than all else a digest
// allocates.

func digestOf(p *Plan) string {
	d := newDigester(p)
	defer d.release()
	d.n(p.FormatVersion)
	d.s(p.ToolVersion)
	d.s(p.CreatedAt.UTC().Format(time.RFC3339Nano))
	d.s(p.AppID)
	d.s(p.DesiredFile)
	d.s(p.DesiredDigest)
	d.s(p.LiveDigest)
	d.n(len(p.Steps))
	for i := range p.Steps {
		d.step(&p.Steps[i])
		d.flush()
	}
	d.n(len(p.Kept))
	for _, k := range p.Kept {
		d.s(k.Name)
		d.s(k.MenuID)
		d.rule(k.MatchRule)
		d.bool(k.Unmanaged)
		d.flush()
	}
	d.strs(p.Warnings)
	writeMap(d, p.Quota, d.n)
	d.strs(p.Overrides)
	d.n(len(p.Blocked))
	for _, v := range p.Blocked {
		d.s(v.Rail)
		d.s(v.Message)
		d.s(v.Override)
		d.flush()
	}
	d.review(p)
	return d.sum()
}

// review digests the review fields (review.go).
func (d *digester) review(p *Plan) {
	d.bool(p.Changes)
	writeMap(d, p.Counts, d.n)
	d.n(len(p.Priority))
	for _, m := range p.Priority {
		d.s(m.Name)
		d.rule(m.MatchRule)
		d.bool(m.Unmanaged)
		d.bool(m.Kept)
		d.flush()
	}
	d.n(len(p.Audiences))
	for i := range p.Audiences {
		r := &p.Audiences[i]
		d.s(r.Audience.TagID)
		d.strs(r.Audience.Platforms)
		d.s(r.Label)
		d.seen(&r.Before)
		d.seen(&r.After)
		d.bool(r.Changed)
		d.bool(r.Lost)
		d.n(len(r.Transient))
		for j := range r.Transient {
			t := &r.Transient[j]
			d.n(len(t.Steps))
			for _, n := range t.Steps {
				d.n(n)
			}
			d.seen(&t.Seen)
		}
		d.flush()
	}
	d.n(len(p.Removed))
	for i := range p.Removed {
		d.seen(&p.Removed[i])
		d.flush()
	}
	writeMap(d, p.TagNames, d.s)
	writeMap(d, p.Reads, d.n)
	if pv := p.Provenance; d.present(pv != nil) {
		d.s(pv.System)
		d.s(pv.Commit)
		d.s(pv.Repository)
		d.s(pv.RunURL)
		d.flush()
	}
}

func (d *digester) seen(s *audience.Seen) {
	d.s(string(s.Kind))
	d.s(s.Name)
	d.s(s.MenuID)
	d.rule(s.MatchRule)
	d.bool(s.Unmanaged)
	d.buttons(s.Buttons)
}

func (d *digester) step(s *Step) {
	d.s(string(s.Action))
	d.s(s.Name)
	d.s(s.MenuID)
	d.rule(s.MatchRule)
	d.buttons(s.Before)
	d.buttons(s.After)
	d.s(string(s.ReasonCode))
	d.s(s.Reason)
	d.s(s.Replaces)
	d.rule(s.ReplacesRule)
	if d.present(s.ReplacedBy != nil) {
		d.n(*s.ReplacedBy)
	}
	d.s(s.Above)
	d.s(s.DuplicateOf)
	d.bool(s.DeleteFirst)
	if f := s.DeleteFirstFor; d.present(f != nil) {
		d.s(f.Create)
		d.s(f.Limit)
		d.n(f.Max)
	}
}

type digester struct {
	h   hash.Hash
	buf []byte // written since the last chunk was hashed

	// The button lists written out so far, in order: byContent finds them
	// by a hash of their encoding (same[i] is the list before the i-th with
	// the same hash, or -1), byPlace by where they are in the plan. A list
	// is encoded again (into scratch) only when its hash comes up.
	lists     [][]wechat.Button
	same      []int32
	byContent map[uint64]int32
	byPlace   map[*wechat.Button]place
	seed      maphash.Seed
	scratch   []byte
}

// place is what byPlace knows of the list that starts at a button: its
// length and which distinct list it is. Two slices that start at the same
// button with the same length hold the same buttons.
type place struct{ n, list int32 } // a plan file holds far fewer than 2³¹ lists

// digestChunk is how much the digester buffers before hashing.
const digestChunk = 32 << 10

// spare keeps digesters, reset, between digests, with their buffers and
// tables grown: a process that seals plan after plan (a fleet, or a plan
// written after it was sealed, which digests it again) grows them once.
var spare = sync.Pool{New: func() any { return new(digester) }}

// maxSpareLists bounds the tables a spare digester keeps: a plan of 1,000
// menus holds some 1,300 distinct button lists.
const maxSpareLists = 1 << 15

// newDigester returns a digester for p; a new one is sized for it, so that
// a first digest grows no table.
func newDigester(p *Plan) *digester {
	d := spare.Get().(*digester)
	if d.h == nil {
		// A plan's distinct button lists are about one per step and row.
		n := len(p.Steps) + len(p.Audiences) + len(p.Removed)
		d.h = sha256.New()
		d.buf = make([]byte, 0, digestChunk+4096)
		d.lists, d.same = make([][]wechat.Button, 0, n), make([]int32, 0, n)
		d.byContent = make(map[uint64]int32, n)
		d.byPlace = make(map[*wechat.Button]place, n)
		d.seed = maphash.MakeSeed()
	}
	return d
}

// release resets d, dropping all it knows of the plan (lists and byPlace
// point into it), and keeps it as the spare unless it grew too large.
func (d *digester) release() {
	if len(d.byPlace) > maxSpareLists || cap(d.buf) > 2*digestChunk {
		return
	}
	d.h.Reset()
	d.buf = d.buf[:0]
	clear(d.lists)
	d.lists, d.same = d.lists[:0], d.same[:0]
	clear(d.byContent)
	clear(d.byPlace)
	spare.Put(d)
}

// flush hashes the buffer once it holds a chunk. It is called after each
// item of a list of the plan (a step, an audience row, a warning) rather
// than after each field, so the buffer may go past a chunk by an item.
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

// s writes v length-prefixed (appendField).
func (d *digester) s(v string) { d.buf = appendField(d.buf, v) }

// n writes v as a varint, which ends itself: no digit of what follows can
// be read as part of it.
func (d *digester) n(v int) { d.buf = binary.AppendVarint(d.buf, int64(v)) }

// writeMap writes a map's size, then each key as a string and its value,
// in key order.
func writeMap[K ~string, V any](d *digester, m map[K]V, value func(V)) {
	d.n(len(m))
	for _, k := range slices.Sorted(maps.Keys(m)) {
		d.s(string(k))
		value(m[k])
		d.flush()
	}
}

// present writes whether an optional part is there, and returns that.
func (d *digester) present(ok bool) bool {
	d.bool(ok)
	return ok
}

func (d *digester) bool(v bool) {
	if v {
		d.buf = append(d.buf, 1)
	} else {
		d.buf = append(d.buf, 0)
	}
}

func (d *digester) strs(vs []string) {
	d.n(len(vs))
	for _, v := range vs {
		d.s(v)
		d.flush()
	}
}

// rule writes whether there is a rule and, if so, a byte with a bit for
// each of its fields that is set, in wechat.MatchRule's order, then those
// fields: a rule sets one or two of its seven.
func (d *digester) rule(r *wechat.MatchRule) {
	if !d.present(r != nil) {
		return
	}
	d.buf = append(d.buf, isSet(r.TagID, 0)|isSet(r.ClientPlatformType, 1)|isSet(r.Sex, 2)|
		isSet(r.Country, 3)|isSet(r.Province, 4)|isSet(r.City, 5)|isSet(r.Language, 6))
	d.buf = appendIfSet(d.buf, r.TagID)
	d.buf = appendIfSet(d.buf, r.ClientPlatformType)
	d.buf = appendIfSet(d.buf, r.Sex)
	d.buf = appendIfSet(d.buf, r.Country)
	d.buf = appendIfSet(d.buf, r.Province)
	d.buf = appendIfSet(d.buf, r.City)
	d.buf = appendIfSet(d.buf, r.Language)
}

// buttons writes a button list: 0 and its encoding (appendButtons) the
// first time the plan holds such buttons, else 1 + the number of that
// first one among the non-empty lists written out. Empty lists are always
// written out, and not numbered.
func (d *digester) buttons(bs []wechat.Button) {
	if len(bs) == 0 {
		d.buf = append(d.buf, 0, 0)
		return
	}
	var i int
	pl, seen := d.byPlace[&bs[0]]
	if seen && int(pl.n) == len(bs) {
		i = int(pl.list)
	} else {
		i, seen = d.distinct(bs)
		d.byPlace[&bs[0]] = place{int32(len(bs)), int32(i)}
	}
	if seen {
		d.buf = binary.AppendUvarint(d.buf, uint64(i)+1)
		return
	}
	d.flush()
}

// distinct writes 0 and the encoding of bs and returns the number of bs
// among the lists written out and false; or, if an earlier list encodes
// alike, takes that back and returns the earlier list's number and true.
func (d *digester) distinct(bs []wechat.Button) (int, bool) {
	start := len(d.buf)
	d.buf = append(d.buf, 0)
	d.buf = appendButtons(d.buf, bs)
	enc := d.buf[start+1:]
	h := maphash.Bytes(d.seed, enc)
	first, ok := d.byContent[h]
	if ok {
		for i := first; i >= 0; i = d.same[i] {
			d.scratch = appendButtons(d.scratch[:0], d.lists[i])
			if bytes.Equal(d.scratch, enc) {
				d.buf = d.buf[:start]
				return int(i), true
			}
		}
	} else {
		first = -1
	}
	i := len(d.lists)
	d.lists = append(d.lists, bs)
	d.same = append(d.same, first)
	d.byContent[h] = int32(i)
	return i, false
}

// appendButtons writes every field of every button and each list's length
// before its buttons, so no two lists write alike. A leaf button uses one
// or two of its value fields (wechat.ButtonFields, in their order): a byte
// of isSet bits says which follow, and the empty ones are left out.
func appendButtons(dst []byte, bs []wechat.Button) []byte {
	dst = binary.AppendUvarint(dst, uint64(len(bs)))
	for i := range bs {
		b := &bs[i]
		dst = appendField(dst, b.Type)
		dst = appendField(dst, b.Name)
		var set byte
		for j, f := range &buttonFields {
			set |= isSet(f.Value(b), uint(j))
		}
		dst = append(dst, set)
		for _, f := range &buttonFields {
			dst = appendIfSet(dst, f.Value(b))
		}
		dst = appendButtons(dst, b.SubButtons)
	}
	return dst
}

// buttonFields is wechat's table of button fields, read once.
var buttonFields = wechat.ButtonFields()

// A byte of isSet bits holds every button field: this constant does not
// compile for more than 8.
const _ uint = 8 - wechat.NumButtonFields

// isSet returns the given bit of a byte of bits saying which of up to
// eight fields are set (not empty), when v is set.
func isSet(v string, bit uint) byte {
	if v == "" {
		return 0
	}
	return 1 << bit
}

// appendIfSet writes v when it is set (appendField): the byte of isSet
// bits before such fields says which follow.
func appendIfSet(dst []byte, v string) []byte {
	if v == "" {
		return dst
	}
	return appendField(dst, v)
}

// appendField writes v after its length as a uvarint, which no value can
// be confused with: one byte for the short strings of a plan.
func appendField(dst []byte, v string) []byte {
	dst = binary.AppendUvarint(dst, uint64(len(v)))
	return append(dst, v...)
}

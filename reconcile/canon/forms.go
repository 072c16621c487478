package canon

import (
	"crypto/sha256"

	"github.com/wxmenu/wxmenu/wechat"
)

// Key names a canonical button form by the sha256 of the form written as
// a JSON string (AppendQuotedButtons), the text the digests hold: two
// lists have the same Key exactly when their canonical forms are equal,
// unless sha256 collides. The whole sum is kept: a live menu crafted to
// share a declared menu's Key would be kept as that menu. Comparing and
// hashing a Key costs the same for every menu, and the planner keeps no
// form text once its digests are written.
type Key [sha256.Size]byte

func keyOf(form []byte) Key {
	return Key(sha256.Sum256(form))
}

// emptyKey is the Key of "[]", the form of nil and empty lists.
var emptyKey = keyOf([]byte(`"[]"`))

// KeyOf returns the Key of CanonicalButtons(bs).
func KeyOf(bs []wechat.Button) Key {
	if len(bs) == 0 {
		return emptyKey
	}
	return keyOf(AppendQuotedButtons(make([]byte, 0, 160*len(bs)+4), bs))
}

// Forms memoises the Keys of one plan's button lists: the planner writes
// each list's canonical form once (Quoted, which also feeds the digests), and
// the audience table, which compares the same few lists thousands of times,
// looks the Keys up. A list is known by its first element and length, which
// stay put while the plan is made. Not safe for concurrent use.
type Forms struct {
	// at finds a list's entry by its first button: a small value, since a
	// plan of 1,000 menus has over 2,000 lists.
	at      map[*wechat.Button]int32
	entries []formEntry
	buf     []byte // reused to write each form
	// last is the pair Same compared last, and sameLast its answer: the
	// audience table asks about the same two lists for each platform.
	last     [2]listID
	sameLast bool
}

// formEntry is what Forms knows of a list: its length and Key.
type formEntry struct {
	n   int32
	key Key
}

type listID struct {
	first *wechat.Button
	n     int
}

// NewForms returns a memo sized for about n lists.
func NewForms(n int) *Forms {
	return &Forms{at: make(map[*wechat.Button]int32, n), entries: make([]formEntry, 0, n)}
}

// remember records bs's Key. A list with the same first button and another
// length (a prefix of it) takes its place: it is asked for again.
func (f *Forms) remember(bs []wechat.Button, k Key) {
	e := formEntry{int32(len(bs)), k}
	if i, ok := f.at[&bs[0]]; ok {
		f.entries[i] = e
		return
	}
	f.at[&bs[0]] = int32(len(f.entries))
	f.entries = append(f.entries, e)
}

// known returns bs's Key if f remembers it.
func (f *Forms) known(bs []wechat.Button) (Key, bool) {
	if i, ok := f.at[&bs[0]]; ok && int(f.entries[i].n) == len(bs) {
		return f.entries[i].key, true
	}
	return Key{}, false
}

// Quoted writes the canonical form of bs as a JSON string
// (AppendQuotedButtons) and returns it with its Key, which f remembers. The
// text is f's buffer: it is valid until the next call of Quoted or Key.
func (f *Forms) Quoted(bs []wechat.Button) ([]byte, Key) {
	f.buf = AppendQuotedButtons(f.buf[:0], bs)
	if len(bs) == 0 {
		return f.buf, emptyKey
	}
	k := keyOf(f.buf)
	f.remember(bs, k)
	return f.buf, k
}

// Reset empties f for another plan, keeping the room of its tables.
func (f *Forms) Reset() {
	clear(f.at)
	f.entries = f.entries[:0]
	f.last, f.sameLast = [2]listID{}, false
}

// Key returns the Key of bs, writing its form only the first time.
func (f *Forms) Key(bs []wechat.Button) Key {
	if len(bs) == 0 {
		return emptyKey
	}
	if k, ok := f.known(bs); ok {
		return k
	}
	_, k := f.Quoted(bs)
	return k
}

// Same reports whether a and b have the same canonical form.
func (f *Forms) Same(a, b []wechat.Button) bool {
	if len(a) == len(b) && (len(a) == 0 || &a[0] == &b[0]) {
		return true
	}
	if len(a) == 0 || len(b) == 0 {
		return f.Key(a) == f.Key(b)
	}
	pair := [2]listID{{&a[0], len(a)}, {&b[0], len(b)}}
	if pair != f.last {
		f.last, f.sameLast = pair, f.Key(a) == f.Key(b)
	}
	return f.sameLast
}

package canon

import "github.com/wxmenu/wxmenu/wechat"

// Forms memoises CanonicalButtons for one plan: the planner canonicalises
// each menu once, and the audience table, which compares the same few lists
// thousands of times, looks the forms up instead of writing them again. A
// list is known by its first element and length, which stay put while the
// plan is made. Not safe for concurrent use.
type Forms struct {
	byList map[listID]string
	buf    []byte // reused to write each form
}

type listID struct {
	first *wechat.Button
	n     int
}

// NewForms returns a memo sized for about n lists.
func NewForms(n int) *Forms {
	return &Forms{byList: make(map[listID]string, n)}
}

// Of returns CanonicalButtons(bs), written once per list.
func (f *Forms) Of(bs []wechat.Button) string {
	if len(bs) == 0 {
		return "[]"
	}
	id := listID{&bs[0], len(bs)}
	if s, ok := f.byList[id]; ok {
		return s
	}
	f.buf = appendCanonicalButtons(f.buf[:0], bs)
	s := string(f.buf)
	f.byList[id] = s
	return s
}

// Same reports whether a and b have the same canonical form.
func (f *Forms) Same(a, b []wechat.Button) bool {
	if len(a) == len(b) && (len(a) == 0 || &a[0] == &b[0]) {
		return true
	}
	return f.Of(a) == f.Of(b)
}

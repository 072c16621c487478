package preview

import (
	"slices"

	"github.com/wxmenu/wxmenu/reconcile/canon"
	"github.com/wxmenu/wxmenu/wechat"
)

// Buttons are matched by what they are, not where they sit: a button
// removed from the middle of the bar moves the ones after it, and a
// comparison by position would strike a staying button through and call
// the removed one "changed". A button before apply and one after are the
// same button, in order of preference, when:
//
//  1. they are equal (canon.SameButtons), or
//  2. they have the same identity: a leaf's type and the field that says
//     what it does (key for click-like types, url for view, media_id,
//     article_id, a mini program's appid and pagepath), a parent's name, or
//  3. they have the same name (a leaf that became a sub-menu, a target
//     changed), or are both parents sharing a sub-button (a renamed
//     sub-menu).
//
// Each level pairs the buttons left over by the one above it; among
// several candidates the nearest in position wins, then the first. A
// matched button that differs is changed; one left over is new or removed.

// matchLevel is how well two buttons match: 0 not at all, then the levels
// above from the weakest (1) to equal (3).
func matchLevel(a, b wechat.Button) int {
	switch {
	case canon.SameButtons([]wechat.Button{a}, []wechat.Button{b}):
		return 3
	case identity(a) == identity(b):
		return 2
	case a.Name == b.Name, isParent(a) && isParent(b) && sharesSubButton(a, b):
		return 1
	}
	return 0
}

func isParent(b wechat.Button) bool { return len(b.SubButtons) > 0 }

// identity is what a button is for matching: a leaf's type and the fields
// that name its target, a parent's name. A mini program's url is only the
// page old clients open instead, so appid and pagepath name it. A type
// wechat does not know is named by all its fields.
func identity(b wechat.Button) string {
	if isParent(b) {
		return "parent\x00" + b.Name
	}
	id := "leaf\x00" + b.Type
	required, known := wechat.ButtonTypeFields(b.Type)
	for _, f := range wechat.ButtonFields() {
		if known && !slices.Contains(required, f.Name) || b.Type == "miniprogram" && f.Name == "url" {
			continue
		}
		id += "\x00" + f.Value(&b)
	}
	return id
}

// sharesSubButton reports whether parents a and b have a sub-button of the
// same identity.
func sharesSubButton(a, b wechat.Button) bool {
	for _, s := range a.SubButtons {
		if slices.ContainsFunc(b.SubButtons, func(o wechat.Button) bool { return identity(o) == identity(s) }) {
			return true
		}
	}
	return false
}

// counterparts pairs the buttons before apply with those after: for each
// button of before the index of its counterpart in after, -1 for none.
func counterparts(before, after []wechat.Button) []int {
	pair := make([]int, len(before))
	for i := range pair {
		pair[i] = -1
	}
	taken := make([]bool, len(after))
	for level := 3; level >= 1; level-- {
		for i, b := range before {
			if pair[i] >= 0 {
				continue
			}
			best := -1
			for j, a := range after {
				if taken[j] || matchLevel(b, a) != level {
					continue
				}
				if best < 0 || distance(i, j) < distance(i, best) {
					best = j
				}
			}
			if best >= 0 {
				pair[i], taken[best] = best, true
			}
		}
	}
	return pair
}

func distance(i, j int) int { return max(i-j, j-i) }

// otherSide returns, for each button of this side, the index of its
// counterpart on the other side or -1; after tells which side this is.
// The pairing is always made from before to after, so both sides agree.
func otherSide(this, other []wechat.Button, after bool) []int {
	if !after {
		return counterparts(this, other)
	}
	out := make([]int, len(this))
	for i := range out {
		out[i] = -1
	}
	for i, j := range counterparts(other, this) {
		if j >= 0 {
			out[j] = i
		}
	}
	return out
}

package reconcile

import (
	"sync"

	"github.com/wxmenu/wxmenu/reconcile/audience"
	"github.com/wxmenu/wxmenu/reconcile/canon"
)

// scratch holds what making a plan needs only while the plan is made: the
// memo of forms, the differ's tables of the menus, the audience input's
// list of desired menus and the audience table's working tables. None of
// it ends up in the plan, whose steps, rows and names point only into the
// live and desired states (and, for a plan replayed step by step, into
// the audience table's own copies of the steps). A process that makes plan after plan (a fleet,
// a test) takes one from scratchPool and gives it back, reused; at 1,000
// menus that is most of what a plan would otherwise leave to the garbage
// collector.
type scratch struct {
	forms        *canon.Forms
	lives        []liveMenu
	wants        []wantMenu
	domains      []string
	rank, next   []int
	liveNames    []string
	byIdentity   map[menuKey]int
	pairHeads    map[menuKey]int
	desiredMenus []audience.DesiredMenu
}

var scratchPool = sync.Pool{New: func() any { return new(scratch) }}

// getScratch returns a scratch for an account of live and desired
// conditional menus; a new one is sized for them, so that a first plan
// grows no table.
func getScratch(live, desired int) *scratch {
	s := scratchPool.Get().(*scratch)
	if s.forms == nil {
		s.forms = canon.NewForms(live + desired + 2)
		s.domains = make([]string, 0, live+desired) // most menus have a URL or two
	}
	return s
}

// release empties s, so the pool holds nothing of the plan's states, and
// gives it back. A scratch grown past a large account's needs is dropped.
func (s *scratch) release() {
	if cap(s.lives) > maxScratchMenus || cap(s.wants) > maxScratchMenus {
		return
	}
	s.forms.Reset()
	clear(s.lives[:cap(s.lives)])
	clear(s.wants[:cap(s.wants)])
	clear(s.domains[:cap(s.domains)])
	clear(s.liveNames[:cap(s.liveNames)])
	clear(s.desiredMenus[:cap(s.desiredMenus)])
	s.lives, s.wants, s.domains, s.liveNames, s.desiredMenus = s.lives[:0], s.wants[:0], s.domains[:0], s.liveNames[:0], s.desiredMenus[:0]
	s.rank, s.next = s.rank[:0], s.next[:0]
	clear(s.byIdentity)
	clear(s.pairHeads)
	scratchPool.Put(s)
}

// maxScratchMenus bounds the accounts whose scratch is kept: WeChat allows
// tens of conditional menus; the benchmarks and tests go to a few thousand.
const maxScratchMenus = 1 << 14

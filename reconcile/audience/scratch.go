package audience

// Scratch lends a computation the room of its working tables: the states
// before and after apply, the tag table, the menu indexes. A caller that
// computes table after table (the planner, for plan after plan) keeps one
// and calls Reset between uses instead of leaving them to the garbage
// collector. The Impact of a computation that used a Scratch holds its
// states: they are valid until the Scratch is reset or used again. The zero
// value is ready to use. Not safe for concurrent use.
type Scratch struct {
	live, after  []StateMenu
	keptAs       []int32
	ruleFirst    map[string]int32
	ruleNext     []int32
	tagMet       map[string]int32
	tags, sorted []string
	tagRows      [2][]int32 // before, after
	tagKeys      []tagKey
	tagRank      []int32
	removedFirst []int32
	removedNext  []int32
	removedFate  []uint8
	removedStays map[string]bool
	menuIndexes  [2]menuIndex
}

// Reset empties s, dropping every reference into the states it held.
func (s *Scratch) Reset() {
	clear(s.live[:cap(s.live)])
	clear(s.after[:cap(s.after)])
	clear(s.tags[:cap(s.tags)])
	clear(s.sorted[:cap(s.sorted)])
	clear(s.ruleFirst)
	clear(s.tagMet)
	clear(s.removedStays)
	for i := range s.menuIndexes {
		s.menuIndexes[i].s = State{}
	}
}

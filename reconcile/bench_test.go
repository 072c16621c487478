package reconcile

import (
	"fmt"
	"strconv"
	"testing"

	"github.com/wxmenu/wxmenu/reconcile/desired"
	"github.com/wxmenu/wxmenu/reconcile/plans"
	"github.com/wxmenu/wxmenu/wechat"
)

// benchInput builds an account of n conditional menus and a desired state
// that keeps the older half, changes a fifth, adds a tenth and drops the
// rest.
func benchInput(n int) (*wechat.MenuSet, *desired.State) {
	menu := func(i int, variant string) []wechat.Button {
		return []wechat.Button{
			{Type: "click", Name: "菜单" + strconv.Itoa(i), Key: "K" + strconv.Itoa(i) + variant},
			{Name: "更多", SubButtons: []wechat.Button{
				{Type: "view", Name: "官网", URL: "https://www.example.com/p?id=" + strconv.Itoa(i) + "&v=" + variant},
				{Type: "click", Name: "联系", Key: "CONTACT"},
			}},
		}
	}
	live := &wechat.MenuSet{Default: &wechat.Menu{Buttons: homeButtons}}
	for i := n; i >= 1; i-- { // newest (highest menuid) first, as menu/get lists
		live.Conditional = append(live.Conditional, wechat.ConditionalMenu{
			MenuID: strconv.Itoa(1000 + i), MatchRule: wechat.MatchRule{TagID: strconv.Itoa(i)}, Buttons: menu(i, "a"),
		})
	}
	ds := &desired.State{Path: "menus.yaml", Default: &desired.Default{Buttons: homeButtons}}
	add := func(name string, tag int, b []wechat.Button) {
		ds.Conditional = append(ds.Conditional, desired.Conditional{
			Name: name, MatchRule: wechat.MatchRule{TagID: strconv.Itoa(tag)}, Buttons: b,
		})
	}
	for i := 0; i < n/10; i++ {
		add(fmt.Sprintf("new-%d", i), 100000+i, menu(i, "n"))
	}
	for i := n; i > n-n/5; i-- {
		add(fmt.Sprintf("changed-%d", i), i, menu(i, "b"))
	}
	for i := n / 2; i >= 1; i-- {
		add(fmt.Sprintf("kept-%d", i), i, menu(i, "a"))
	}
	return live, ds
}

// BenchmarkNewPlan makes the plan of an account of 10 and of 100
// conditional menus (100 is the emulator's cap, wechat.DefaultMaxConditional;
// real accounts hold tens): the canonical forms, the digests, the audience
// table replayed step by step and the seal.
func BenchmarkNewPlan(b *testing.B) {
	for _, n := range []int{10, 100} {
		b.Run("n="+strconv.Itoa(n), func(b *testing.B) {
			live, ds := benchInput(n)
			opts := PlanOptions{MaxConditional: 4 * n, Safety: SafetyOptions{AllowManyDeletes: true, AllowProtected: true}}
			p, err := NewPlan(LiveRead{Menus: live}, ds, opts)
			if err != nil {
				b.Fatal(err)
			}
			if len(p.Kept) != n/2 {
				b.Fatalf("kept %d menus, want %d", len(p.Kept), n/2)
			}
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				if _, err := NewPlan(LiveRead{Menus: live}, ds, opts); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkNewPlanParts measures NewPlan's three steps apart: Diff, Review
// (the audience table replayed step by step, and the rails) and the seal.
func BenchmarkNewPlanParts(b *testing.B) {
	live, ds := benchInput(100)
	opts := PlanOptions{MaxConditional: 400, Safety: SafetyOptions{AllowManyDeletes: true, AllowProtected: true}}
	c, err := Diff(LiveRead{Menus: live}, ds, opts)
	if err != nil {
		b.Fatal(err)
	}
	r, err := c.Review(opts.Safety)
	if err != nil {
		b.Fatal(err)
	}
	p := c.plan(r)
	b.Run("diff", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := Diff(LiveRead{Menus: live}, ds, opts); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("review", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := c.Review(opts.Safety); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("seal", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if err := plans.Seal(p); err != nil {
				b.Fatal(err)
			}
		}
	})
}

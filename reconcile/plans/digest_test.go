package plans_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/wxmenu/wxmenu/reconcile/internal/plantest"
	"github.com/wxmenu/wxmenu/reconcile/plans"
	"github.com/wxmenu/wxmenu/wechat"
)

// TestDigestCoversEveryField changes every field of a plan, down to the
// buttons' fields, one at a time, and requires the digest to change: an
// edited plan file must never digest like the reviewed one.
func TestDigestCoversEveryField(t *testing.T) {
	p := plantest.Plans(t)["rich"]
	base := p.PlanDigest
	changed := func(path string) {
		t.Helper()
		if err := plans.Seal(p); err != nil {
			t.Fatal(err)
		}
		if p.PlanDigest == base {
			t.Errorf("changing %s does not change the plan digest", path)
		}
	}
	leaves := 0
	var visit func(v reflect.Value, path string)
	visit = func(v reflect.Value, path string) {
		if v.Type() == reflect.TypeFor[time.Time]() {
			old := v.Interface()
			v.Set(reflect.ValueOf(v.Interface().(time.Time).Add(time.Second)))
			changed(path)
			v.Set(reflect.ValueOf(old))
			leaves++
			return
		}
		switch v.Kind() {
		case reflect.String:
			old := v.String()
			v.SetString(old + "x")
			changed(path)
			v.SetString(old)
			leaves++
		case reflect.Int:
			old := v.Int()
			v.SetInt(old + 1)
			changed(path)
			v.SetInt(old)
			leaves++
		case reflect.Bool:
			v.SetBool(!v.Bool())
			changed(path)
			v.SetBool(!v.Bool())
			leaves++
		case reflect.Pointer:
			if v.IsNil() {
				v.Set(reflect.New(v.Type().Elem()))
				changed(path + " (set)")
				visit(v.Elem(), path)
				v.Set(reflect.Zero(v.Type()))
				return
			}
			visit(v.Elem(), path)
		case reflect.Slice:
			old := v.Interface()
			v.Set(reflect.Append(v, reflect.Zero(v.Type().Elem())))
			changed(path + " (one more)")
			v.Set(reflect.ValueOf(old))
			for i := range v.Len() {
				visit(v.Index(i), path+"[i]")
			}
		case reflect.Map:
			if v.IsNil() {
				v.Set(reflect.MakeMap(v.Type()))
			}
			key := reflect.ValueOf("extra").Convert(v.Type().Key())
			v.SetMapIndex(key, reflect.New(v.Type().Elem()).Elem())
			changed(path + " (one more)")
			v.SetMapIndex(key, reflect.Value{})
			for _, k := range v.MapKeys() {
				old := v.MapIndex(k)
				e := reflect.New(old.Type()).Elem()
				switch old.Kind() {
				case reflect.String:
					e.SetString(old.String() + "x")
				case reflect.Int:
					e.SetInt(old.Int() + 1)
				default:
					t.Fatalf("%s: the test does not know map values of kind %s", path, old.Kind())
				}
				v.SetMapIndex(k, e)
				changed(path + "[" + k.String() + "]")
				v.SetMapIndex(k, old)
				leaves++
			}
		case reflect.Struct:
			for i := range v.NumField() {
				f := v.Type().Field(i)
				if f.Name == "PlanDigest" || !f.IsExported() {
					continue
				}
				visit(v.Field(i), path+"."+f.Name)
			}
		default:
			t.Fatalf("%s: the test does not know kind %s; teach it, and the digest", path, v.Kind())
		}
	}
	visit(reflect.ValueOf(p).Elem(), "plan")
	if leaves < 100 {
		t.Errorf("only %d fields visited", leaves)
	}
}

// TestDigestTellsApartPlansThatConcatenateAlike seals pairs of plans whose
// fields, written one after another without lengths and ends, would read
// the same: a count followed by a length that is also a digit, a map key
// running into its value. Each pair must digest differently.
func TestDigestTellsApartPlansThatConcatenateAlike(t *testing.T) {
	ten := []string{"abcd", "abcd", "abcd", "abcd", "abcd", "abcd", "abcd", "abcd", "abcd", "ab"}
	tests := []struct {
		name string
		a, b func(*plans.Plan)
	}{
		{"one warning holding ten", // 48 bytes: its length is the byte '0', as in "10"
			func(p *plans.Plan) { p.Warnings = []string{strings.Repeat("\x04abcd", 9) + "\x02ab"} },
			func(p *plans.Plan) { p.Warnings = ten }},
		{"a tag name running into its id",
			func(p *plans.Plan) { p.TagNames = map[string]string{"101": "/" + strings.Repeat("x", 47)} },
			func(p *plans.Plan) { p.TagNames = map[string]string{"1010": strings.Repeat("x", 47)} }},
		{"a quota key running into its count",
			func(p *plans.Plan) { p.Quota = map[string]int{"menu/create1": 2} },
			func(p *plans.Plan) { p.Quota = map[string]int{"menu/create": 12} }},
		{"an optional part or an empty one",
			func(p *plans.Plan) { p.Provenance = nil },
			func(p *plans.Plan) { p.Provenance = &plans.Provenance{} }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			digest := func(change func(*plans.Plan)) string {
				p := plantest.Plans(t)["rich"]
				change(p)
				if err := plans.Seal(p); err != nil {
					t.Fatal(err)
				}
				return p.PlanDigest
			}
			if a, b := digest(tt.a), digest(tt.b); a == b {
				t.Errorf("both plans digest to %s", a)
			}
		})
	}
}

// buttonLists returns every button list of p that the digest writes, in
// no particular order, as pointers so a test can replace them.
func buttonLists(p *plans.Plan) []*[]wechat.Button {
	var out []*[]wechat.Button
	for i := range p.Steps {
		out = append(out, &p.Steps[i].Before, &p.Steps[i].After)
	}
	for i := range p.Audiences {
		r := &p.Audiences[i]
		out = append(out, &r.Before.Buttons, &r.After.Buttons)
		for j := range r.Transient {
			out = append(out, &r.Transient[j].Seen.Buttons)
		}
	}
	for i := range p.Removed {
		out = append(out, &p.Removed[i].Buttons)
	}
	return out
}

func cloneButtons(bs []wechat.Button) []wechat.Button {
	if bs == nil {
		return nil
	}
	out := make([]wechat.Button, len(bs))
	for i, b := range bs {
		b.SubButtons = cloneButtons(b.SubButtons)
		out[i] = b
	}
	return out
}

func sealed(t *testing.T, p *plans.Plan) string {
	t.Helper()
	if err := plans.Seal(p); err != nil {
		t.Fatal(err)
	}
	return p.PlanDigest
}

// TestDigestOfSharedButtonLists checks plans whose steps and audience rows
// share button lists, as a plan made in memory does: it must digest as its
// copy that shares nothing (a plan read from its file), yet a change inside
// a shared list, or a list that shares only its start with another, must
// show.
func TestDigestOfSharedButtonLists(t *testing.T) {
	shared := []wechat.Button{
		{Type: "click", Name: "首页", Key: "HOME"},
		{Name: "更多", SubButtons: []wechat.Button{{Type: "view", Name: "官网", URL: "https://www.example.com/"}}},
	}
	other := []wechat.Button{{Type: "click", Name: "首页", Key: "OTHER"}}
	// plan places its lists in two steps and in an audience row.
	plan := func(a, b, c, d []wechat.Button) *plans.Plan {
		return &plans.Plan{
			FormatVersion: plans.FormatVersion,
			Steps: []plans.Step{
				{Action: plans.ActionDelConditional, Before: a},
				{Action: plans.ActionAddConditional, After: b},
			},
			Audiences: []plans.AudienceRow{{Label: "everyone", Before: plans.Seen{Buttons: c}, After: plans.Seen{Buttons: d}}},
		}
	}
	c := cloneButtons
	base := sealed(t, plan(shared, shared, shared, shared))

	same := []struct {
		name string
		p    *plans.Plan
	}{
		{"no list shared", plan(c(shared), c(shared), c(shared), c(shared))},
		{"some lists shared", plan(shared, c(shared), shared, c(shared))},
	}
	for _, tt := range same {
		if got := sealed(t, tt.p); got != base {
			t.Errorf("%s: digest %s, want %s as when all four share one slice", tt.name, got, base)
		}
	}

	differ := []struct {
		name string
		p    *plans.Plan
	}{
		{"one list other", plan(shared, shared, other, shared)},
		{"the last list other", plan(shared, shared, shared, other)},
		{"one list a prefix of the shared slice", plan(shared, shared, shared[:1], shared)},
		{"one list empty", plan(shared, shared, nil, shared)},
		{"lists alternating", plan(shared, other, shared, other)},
		{"lists paired", plan(shared, shared, other, other)},
	}
	seen := map[string]string{base: "all four shared"}
	for _, tt := range differ {
		got := sealed(t, tt.p)
		if was, ok := seen[got]; ok {
			t.Errorf("%s: digests as %s", tt.name, was)
		}
		seen[got] = tt.name
	}

	// A prefix of the shared slice starts where it does: it must digest as
	// its own copy, whichever of the two the digest meets first.
	if a, b := sealed(t, plan(shared, shared[:1], shared, shared)), sealed(t, plan(shared, c(shared[:1]), shared, shared)); a != b {
		t.Errorf("a prefix of a shared slice digests as %s, its copy as %s", a, b)
	}
	if a, b := sealed(t, plan(shared[:1], shared, shared, shared)), sealed(t, plan(c(shared[:1]), shared, shared, shared)); a != b {
		t.Errorf("a prefix of a shared slice met first digests as %s, its copy as %s", a, b)
	}

	// Changing a field inside the shared slice changes all four lists.
	p := plan(shared, shared, shared, shared)
	shared[1].SubButtons[0].URL += "x"
	if got := sealed(t, p); seen[got] != "" {
		t.Errorf("a change inside the shared list digests as %s", seen[got])
	}
}

// TestDigestOfAPlanReadBack checks that the fixture plans, made in memory
// with button lists shared between steps and audience rows, digest the
// same when written and read back, where nothing is shared.
func TestDigestOfAPlanReadBack(t *testing.T) {
	for name, p := range plantest.Plans(t) {
		if p.IsBlocked() {
			continue
		}
		t.Run(name, func(t *testing.T) {
			lists := buttonLists(p)
			if name == "rich" {
				shared := 0
				starts := map[*wechat.Button]bool{}
				for _, l := range lists {
					if len(*l) > 0 {
						if starts[&(*l)[0]] {
							shared++
						}
						starts[&(*l)[0]] = true
					}
				}
				if shared == 0 {
					t.Fatal("the rich plan shares no button list; the test checks nothing")
				}
			}
			got, err := reread(t, p)
			if err != nil {
				t.Fatal(err) // ReadFile checks the digest
			}
			if again := sealed(t, got); again != p.PlanDigest {
				t.Errorf("read back, the plan digests as %s, want %s", again, p.PlanDigest)
			}
			// And a copy of every list, in memory, digests the same.
			for _, l := range lists {
				*l = cloneButtons(*l)
			}
			if again := sealed(t, p); again != got.PlanDigest {
				t.Errorf("with its button lists copied, the plan digests as %s, want %s", again, got.PlanDigest)
			}
		})
	}
}

// TestDigestOfSetFields checks the fields that buttons and matchrules write
// only when set (omitempty): a value moved to another field, or changed to
// another value, must change the digest. (TestDigestCoversEveryField
// changes fields from empty.)
func TestDigestOfSetFields(t *testing.T) {
	check := func(t *testing.T, typ reflect.Type, seal func(v reflect.Value) string) {
		t.Helper()
		var fields []int
		for i := range typ.NumField() {
			if typ.Field(i).Type.Kind() == reflect.String {
				fields = append(fields, i)
			}
		}
		digests := map[string]string{}
		seen := func(v reflect.Value, what string) {
			t.Helper()
			d := seal(v)
			if was, ok := digests[d]; ok {
				t.Errorf("%s digests as %s", what, was)
			}
			digests[d] = what
		}
		for _, i := range fields {
			v := reflect.New(typ).Elem()
			v.Field(i).SetString("v")
			seen(v, "v in "+typ.Field(i).Name+" alone")
		}
		all := reflect.New(typ).Elem()
		for _, i := range fields {
			all.Field(i).SetString("v")
		}
		seen(all, "v in every field")
		for _, i := range fields {
			v := reflect.New(typ).Elem()
			v.Set(all)
			v.Field(i).SetString("w")
			seen(v, "v in every field but w in "+typ.Field(i).Name)
		}
	}
	t.Run("button", func(t *testing.T) {
		check(t, reflect.TypeFor[wechat.Button](), func(v reflect.Value) string {
			b := v.Interface().(wechat.Button)
			return sealed(t, &plans.Plan{Steps: []plans.Step{{After: []wechat.Button{b}}}})
		})
	})
	t.Run("matchrule", func(t *testing.T) {
		check(t, reflect.TypeFor[wechat.MatchRule](), func(v reflect.Value) string {
			r := v.Interface().(wechat.MatchRule)
			return sealed(t, &plans.Plan{Kept: []plans.KeptMenu{{MatchRule: &r}}})
		})
	})
}

// TestDigestsAtTheSameTime seals plans from several goroutines at once
// (a fleet's): each digest must be as when made alone.
func TestDigestsAtTheSameTime(t *testing.T) {
	fixtures := plantest.Plans(t)
	want := map[string]string{}
	for name, p := range fixtures {
		want[name] = sealed(t, p)
	}
	var wg sync.WaitGroup
	errs := make(chan string, 8*len(fixtures))
	for range 8 {
		for name := range fixtures {
			p := plantest.Plans(t)[name]
			wg.Go(func() {
				for range 20 {
					if err := plans.Seal(p); err != nil {
						errs <- err.Error()
						return
					}
					if p.PlanDigest != want[name] {
						errs <- name + " digests as " + p.PlanDigest + ", alone as " + want[name]
						return
					}
				}
			})
		}
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
}

// TestDigestIsTheDocumentWithoutIt checks the definition of the plan
// digest: the sha256 of the plan's JSON, compact, with plan_digest empty,
// so anyone can check a plan file with a JSON tool and sha256sum.
func TestDigestIsTheDocumentWithoutIt(t *testing.T) {
	for name, p := range plantest.Plans(t) {
		if p.IsBlocked() {
			continue
		}
		var shown bytes.Buffer
		if err := plans.Show(&shown, p); err != nil {
			t.Fatal(err)
		}
		doc := shown.Bytes()
		field := `"plan_digest": "` + p.PlanDigest + `"`
		if bytes.Count(doc, []byte(field)) != 1 {
			t.Fatalf("%s: the document does not hold %s once", name, field)
		}
		var compact bytes.Buffer
		if err := json.Compact(&compact, bytes.Replace(doc, []byte(field), []byte(`"plan_digest": ""`), 1)); err != nil {
			t.Fatal(err)
		}
		sum := sha256.Sum256(compact.Bytes())
		if got := "sha256:" + hex.EncodeToString(sum[:]); got != p.PlanDigest {
			t.Errorf("%s: the document without its digest sums to %s, the plan says %s", name, got, p.PlanDigest)
		}
	}
}

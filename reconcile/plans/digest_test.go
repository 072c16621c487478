package plans_test

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/wxmenu/wxmenu/reconcile/internal/plantest"
	"github.com/wxmenu/wxmenu/reconcile/plans"
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

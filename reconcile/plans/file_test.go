package plans_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/wxmenu/wxmenu/internal/errtext"
	"github.com/wxmenu/wxmenu/reconcile"
	"github.com/wxmenu/wxmenu/reconcile/internal/plantest"
	"github.com/wxmenu/wxmenu/reconcile/plans"
	"github.com/wxmenu/wxmenu/wechat"
)

// savedFile is the plan file of one menus file that holds p, sealed
// without NewFile's checks so that a test can save what NewFile refuses.
func savedFile(t testing.TB, p *plans.Plan) []byte {
	t.Helper()
	f := &plans.File{FormatVersion: plans.FormatVersion, ToolVersion: "test", CreatedAt: plantest.Time, Accounts: []plans.AccountPlan{{Plan: p}}}
	plans.SealUnchecked(f)
	var buf bytes.Buffer
	if err := plans.WriteFile(&buf, f); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// reread is p saved in a plan file and read back.
func reread(t testing.TB, p *plans.Plan) (*plans.Plan, error) {
	t.Helper()
	f, err := plans.ReadDocument(savedFile(t, p))
	if err != nil {
		return nil, err
	}
	return f.Single(), nil
}

func TestPlanRoundTrip(t *testing.T) {
	for name, p := range plantest.Plans(t) {
		t.Run(name, func(t *testing.T) {
			_, err := plans.NewFile("", "test", plantest.Time, []plans.AccountPlan{{Plan: p}})
			if p.IsBlocked() {
				if err == nil {
					t.Fatal("a blocked plan was saved")
				}
				var buf bytes.Buffer
				if err := plans.Show(&buf, p); err != nil {
					t.Fatal(err)
				}
				if _, err := reread(t, p); err == nil || !strings.Contains(err.Error(), "blocked") {
					t.Fatalf("reading a saved blocked plan: %v, want it refused as blocked", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !strings.HasPrefix(p.PlanDigest, "sha256:") {
				t.Errorf("NewPlan set PlanDigest %q, want sha256:<hex>", p.PlanDigest)
			}
			got, err := reread(t, p)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(p, got); diff != "" {
				t.Errorf("round trip mismatch (-written +read):\n%s", diff)
			}
			if !bytes.Equal(savedFile(t, got), savedFile(t, p)) {
				t.Error("writing the read plan gives a different document")
			}
		})
	}
}

func TestWritePlanKeepsURLsReadable(t *testing.T) {
	p := plantest.Plans(t)["rich"]
	var shown bytes.Buffer
	if err := plans.Show(&shown, p); err != nil {
		t.Fatal(err)
	}
	for _, data := range [][]byte{savedFile(t, p), shown.Bytes()} {
		for _, s := range []string{`\u0026`, `\u003c`, `\u003e`} {
			if bytes.Contains(data, []byte(s)) {
				t.Errorf("plan document contains %s", s)
			}
		}
		if !bytes.Contains(data, []byte(`"url": "https://www.example.com/new?x=1&y=<2>"`)) {
			t.Error("plan document does not hold the URL as written")
		}
	}
}

func TestReadPlanRefuses(t *testing.T) {
	good := savedFile(t, plantest.Plans(t)["rich"])
	valid := func(edit func(p *plans.Plan)) []byte {
		_, desired := plantest.RichInput()
		p, _ := reconcile.NewPlan(reconcile.LiveRead{Menus: &wechat.MenuSet{}}, desired, plantest.Options(reconcile.SafetyOptions{}))
		edit(p)
		if err := plans.Seal(p); err != nil {
			t.Fatal(err)
		}
		return savedFile(t, p)
	}
	tests := []struct {
		name string
		doc  []byte
		want string
	}{
		{"empty", nil, "plan file is empty"},
		{"blank", []byte(" \n"), "plan file is empty"},
		{"truncated", good[:len(good)/2], "plan file is truncated or not JSON: unexpected end of file"},
		{"not json", []byte("format_version: 1\n"), "plan file is truncated or not JSON: invalid character 'o' in literal false (expecting 'a') at byte 2"},
		{"trailing data", append(bytes.Clone(good), "{}"...), "plan file is truncated or not JSON: invalid character '{' after top-level value at byte " + strconv.Itoa(len(good)+1)},
		{"not an object", []byte(`[1]`), "not a wxmenu plan: wrong type (array)"},
		{"no version", []byte(`{"appid":"wx1"}`), "not a wxmenu plan: format_version is missing"},
		{"version as string", []byte(`{"format_version":"1"}`), "not a wxmenu plan: field format_version has the wrong type (string)"},
		{"newer version", bytes.Replace(good, []byte(`"format_version": 3`), []byte(`"format_version": 4`), 1),
			"plan format version 4 is not supported by this wxmenu (3)"},
		{"format 2", bytes.Replace(good, []byte(`"format_version": 3`), []byte(`"format_version": 2`), 1),
			"a plan of format 2, made by an earlier wxmenu; this wxmenu reads plans of format 3"},
		{"format 1", bytes.Replace(good, []byte(`"format_version": 3`), []byte(`"format_version": 1`), 1),
			"a plan of format 1, made by an earlier wxmenu; this wxmenu reads plans of format 3"},
		{"format 0", bytes.Replace(good, []byte(`"format_version": 3`), []byte(`"format_version": 0`), 1),
			"plan format version 0 is not supported by this wxmenu (3)"},
		{"reason not its code", bytes.Replace(good, []byte(`"reason_code": "new"`), []byte(`"reason_code": "duplicate"`), 1), "plan file was edited after it was written, or made by a wxmenu that seals plans differently (plan_digest does not match)"},
		{"unknown field", bytes.Replace(good, []byte("{\n"), []byte("{\n  \"extra\": 1,\n"), 1), `invalid plan: unknown field "extra"`},
		{"unknown step field", bytes.Replace(good, []byte(`"reason":`), []byte(`"force": true, "reason":`), 1), `invalid plan: unknown field "force"`},
		{"edited menuid", bytes.Replace(good, []byte(`"menuid": "1002"`), []byte(`"menuid": "1003"`), 1), "plan file was edited after it was written, or made by a wxmenu that seals plans differently (plan_digest does not match)"},
		{"edited step removed", bytes.Replace(good, []byte(`"action": "del_conditional"`), []byte(`"action": "add_conditional"`), 1), "plan file was edited after it was written, or made by a wxmenu that seals plans differently (plan_digest does not match)"},
		{"digest removed", bytes.Replace(good, []byte(`"plan_digest": "sha256:`), []byte(`"plan_digest": "`), 1), "plan file was edited after it was written, or made by a wxmenu that seals plans differently (plan_digest does not match)"},
		{"digest empty", regexp.MustCompile(`"plan_digest": "[^"]*"`).ReplaceAll(good, []byte(`"plan_digest": ""`)), "invalid plan: plan_digest is missing"},
		{"bad action", valid(func(p *plans.Plan) { p.Steps[0].Action = "rename" }), `invalid plan: step 1: unknown action "rename"`},
		{"no action", valid(func(p *plans.Plan) { p.Steps[0].Action = "" }), `invalid plan: step 1: action is missing`},
		{"add without matchrule", valid(func(p *plans.Plan) { p.Steps[1].MatchRule = nil }), "invalid plan: step 2: add_conditional has no matchrule"},
		{"kept without matchrule", valid(func(p *plans.Plan) { p.Kept = append(p.Kept, plans.KeptMenu{Name: "x", MenuID: "7"}) }), "invalid plan: kept menu 1 has no matchrule"},
		{"priority without matchrule", valid(func(p *plans.Plan) { p.Priority[0].MatchRule = nil }), "invalid plan: priority menu 1 has no matchrule"},
		{"add without buttons", valid(func(p *plans.Plan) { p.Steps[1].After = nil }), "invalid plan: step 2: add_conditional has no buttons"},
		{"default without buttons", valid(func(p *plans.Plan) { p.Steps[0].After = nil }), "invalid plan: step 1: create_default has no buttons"},
		{"delete without menuid", valid(func(p *plans.Plan) { p.Steps[1] = plans.Step{Action: plans.ActionDelConditional, Reason: "x"} }),
			"invalid plan: step 2: del_conditional has no menuid"},
		{"menuid on a create", valid(func(p *plans.Plan) { p.Steps[1].MenuID = "7" }), "invalid plan: step 2: add_conditional has a menuid"},
		{"no appid", valid(func(p *plans.Plan) { p.AppID = "" }), "invalid plan: appid is missing"},
		{"no live digest", valid(func(p *plans.Plan) { p.LiveDigest = "" }), "invalid plan: live_digest is missing"},
		{"bad desired digest", valid(func(p *plans.Plan) { p.DesiredDigest = "md5:00" }), `invalid plan: desired_digest "md5:00" is not a sha256 digest`},
		{"quota disagrees", valid(func(p *plans.Plan) { p.Quota["menu/addconditional"] = 9 }),
			"invalid plan: quota says 9 calls to menu/addconditional, the steps make 4"},
		{"quota missing", valid(func(p *plans.Plan) { p.Quota = nil }), "invalid plan: quota says 0 calls to menu/addconditional, the steps make 4"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := plans.ReadDocument(tt.doc)
			if err == nil {
				t.Fatalf("ReadFile accepted the document: %+v", f)
			}
			if f != nil {
				t.Error("ReadFile returned a plan with an error")
			}
			if diff := cmp.Diff(tt.want, err.Error()); diff != "" {
				t.Errorf("error mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestReadPlanTooLarge(t *testing.T) {
	_, err := plans.ReadDocument(make([]byte, plans.MaxPlanBytes+1))
	if err == nil || err.Error() != "plan file is larger than 32 MiB" {
		t.Errorf("err = %v, want the size error", err)
	}
}

// FuzzReadPlan checks that no input makes ReadFile panic, and that what it
// accepts survives a write and a read unchanged.
func FuzzReadPlan(f *testing.F) {
	files, err := filepath.Glob(filepath.Join("..", "..", "testdata", "plans", "*.json"))
	if err != nil || len(files) == 0 {
		f.Fatalf("no seed plans in ../testdata/plans (%v)", err)
	}
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data) // one account's plan, as plan --format json prints it
		var p plans.Plan
		if err := json.Unmarshal(data, &p); err != nil {
			f.Fatal(err)
		}
		f.Add(savedFile(f, &p))
	}
	f.Add([]byte(`{"format_version":1}`))
	f.Add([]byte(`{"format_version":3,"accounts":[{"plan":{"format_version":3,"steps":[{"action":"add_conditional","matchrule":{"group_id":7}}]}}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := plans.ReadDocument(data)
		if err != nil {
			if p != nil {
				t.Fatal("plan returned with an error")
			}
			return
		}
		var buf bytes.Buffer
		if err := plans.WriteFile(&buf, p); err != nil {
			t.Fatal(err)
		}
		again, err := plans.ReadDocument(buf.Bytes())
		if err != nil {
			t.Fatalf("re-reading an accepted plan: %v", err)
		}
		if diff := cmp.Diff(p, again); diff != "" {
			t.Fatalf("accepted plan changed on a round trip:\n%s", diff)
		}
	})
}

// TestReadPlanOfAnEarlierFormat reads a plan that an earlier wxmenu wrote
// (format 2, whose digests were written field by field): it is refused for
// its format, not called edited, and the hint makes a new plan.
func TestReadPlanOfAnEarlierFormat(t *testing.T) {
	path := filepath.Join("testdata", "format-2.json")
	_, err := plans.ReadFile(path)
	if err == nil {
		t.Fatal("a plan of format 2 was read")
	}
	want := path + " is a plan of format 2, made by an earlier wxmenu; this wxmenu reads plans of format 3"
	if err.Error() != want {
		t.Errorf("error %q, want %q", err, want)
	}
	var fe *errtext.Error
	if !errors.As(err, &fe) {
		t.Fatalf("error %T, want an *errtext.Error with a hint", err)
	}
	if want := "make a new plan with: wxmenu plan -f menus.yaml --out " + path; fe.Hint != want {
		t.Errorf("hint %q, want %q", fe.Hint, want)
	}
	var format *plans.FormatError
	if !errors.As(err, &format) || format.Version != 2 {
		t.Errorf("error %#v, want a *plans.FormatError of version 2", err)
	}
}

package render_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/wxmenu/wxmenu/reconcile"
	"github.com/wxmenu/wxmenu/reconcile/desired"
	"github.com/wxmenu/wxmenu/reconcile/fleet"
	"github.com/wxmenu/wxmenu/reconcile/internal/golden"
	"github.com/wxmenu/wxmenu/reconcile/internal/plantest"
	"github.com/wxmenu/wxmenu/reconcile/plans"
	"github.com/wxmenu/wxmenu/reconcile/render"
	"github.com/wxmenu/wxmenu/wechat"
)

func TestNamesLine(t *testing.T) {
	for _, tc := range []struct {
		names []string
		want  string
	}{
		{nil, ""},
		{[]string{"brand"}, "brand"},
		{[]string{"store-0002", "store-0001"}, "store-0002, store-0001"},
		{[]string{"store-0001", "store-0002", "store-0003"}, "store-0001…store-0003"},
		// The project's order: a run is names one after the other.
		{[]string{"store-0003", "store-0001", "store-0002"}, "store-0003, store-0001, store-0002"},
		{[]string{"brand", "store-0001", "store-0002", "store-0003", "store-0005", "store-0006", "store-0007"}, "brand, store-0001…store-0003, store-0005…store-0007"},
		// Another width is another run: store-9999 and store-10000 are not
		// one name counting up.
		{[]string{"s-998", "s-999", "s-1000", "s-1001", "s-1002"}, "s-998, s-999, s-1000…s-1002"},
		{[]string{"a1", "a2", "a3", "b4", "b5", "b6", "a"}, "a1…a3, b4…b6, a"},
		{[]string{"x-1", "x-01", "x-2", "x-3"}, "x-1, x-01, x-2, x-3"},
		{[]string{"x-1", "x-2", "x-3", "y-4"}, "x-1…x-3, y-4"},
		{[]string{"99999999999999999997", "99999999999999999998", "99999999999999999999"}, "99999999999999999997, 99999999999999999998, 99999999999999999999"},
		{[]string{"1", "2", "3"}, "1…3"},
	} {
		if diff := cmp.Diff(tc.want, render.NamesLine(tc.names)); diff != "" {
			t.Errorf("NamesLine(%q) (-want +got):\n%s", tc.names, diff)
		}
	}
}

func TestCount(t *testing.T) {
	for n, want := range map[int]string{0: "0 steps", 1: "1 step", 2: "2 steps", 999: "999 steps", 1000: "1,000 steps", 1998: "1,998 steps", 1234567: "1,234,567 steps"} {
		if diff := cmp.Diff(want, render.Count(n, "step")); diff != "" {
			t.Errorf("Count(%d) (-want +got):\n%s", n, diff)
		}
	}
	if got := render.Thousands(-1234); got != "-1,234" {
		t.Errorf("thousands(-1234) = %q", got)
	}
}

// groupReport is a project of ten accounts: store-0001 to store-0004 and
// store-0008 with the same steps (each its own menuids), store-0005 with
// one button key changed, store-0006 blocked, store-0007 failed, and two
// with no changes.
func groupReport(t *testing.T) *fleet.Report {
	ps := plantest.Plans(t)
	changes := func(p *plans.Plan) *reconcile.Result {
		return &reconcile.Result{Status: reconcile.StatusChanges, Plan: p}
	}
	account := func(i int, r *reconcile.Result) fleet.Outcome {
		appID := fmt.Sprintf("wx%016d", i)
		return fleet.Outcome{Name: fmt.Sprintf("store-%04d", i), AppID: appID, File: "menus.yaml", Result: r}
	}
	same := func(i int) fleet.Outcome {
		return account(i, changes(plantest.AccountPlan(t, fmt.Sprintf("wx%016d", i), 100*i, nil, plantest.RichSafety)))
	}
	otherKey := func(_ *wechat.MenuSet, ds *desired.State) { ds.Default.Buttons[0].Key = "HOME_V3" }
	blocked := plantest.AccountPlan(t, "wx0000000000000006", 600, nil, reconcile.SafetyOptions{AllowManyDeletes: true})
	return &fleet.Report{Outcomes: []fleet.Outcome{
		same(1), same(2), same(3), same(4),
		account(5, changes(plantest.AccountPlan(t, "wx0000000000000005", 500, otherKey, plantest.RichSafety))),
		account(6, &reconcile.Result{Status: reconcile.StatusBlocked, Plan: blocked, Err: errors.New("blocked: a safety rail stops the plan")}),
		account(7, reconcile.Failed(nil, &reconcile.ReadError{Err: &wechat.APIError{Endpoint: "menu/get", Code: 61004, Message: "access clientip is not registered"}})),
		same(8),
		account(9, &reconcile.Result{Status: reconcile.StatusNoChanges, Plan: ps["empty"]}),
		account(10, &reconcile.Result{Status: reconcile.StatusNoChanges, Plan: ps["empty"]}),
	}}
}

// TestFleetGroupsGolden: the accounts with the same steps are one group in
// every format, the others each on their own.
func TestFleetGroupsGolden(t *testing.T) {
	rep := groupReport(t)
	opts := render.Options{Project: "wxmenu.yaml"}
	dir := filepath.Join("..", "..", "testdata", "fleet")
	var text, js, page bytes.Buffer
	if err := render.FleetText(&text, rep, opts); err != nil {
		t.Fatal(err)
	}
	golden.Check(t, filepath.Join(dir, "groups.txt"), text.Bytes())
	if err := render.FleetJSON(&js, rep, opts); err != nil {
		t.Fatal(err)
	}
	golden.Check(t, filepath.Join(dir, "groups.json"), js.Bytes())
	parts := render.FleetMarkdown(rep, opts)
	if len(parts) != 1 {
		t.Fatalf("%d parts, want 1", len(parts))
	}
	golden.Check(t, filepath.Join(dir, "groups.md"), []byte(parts[0]))
	if err := render.FleetHTML(&page, rep, opts); err != nil {
		t.Fatal(err)
	}
	golden.Check(t, filepath.Join(dir, "groups.html"), page.Bytes())

	for format, out := range map[string]string{"text": text.String(), "markdown": parts[0], "html": page.String()} {
		if n := strings.Count(out, "5 accounts: the same 8 steps"); n == 0 {
			t.Errorf("%s: no group heading", format)
		}
		for _, alone := range []string{"store-0005", "store-0006", "store-0007"} {
			if !strings.Contains(out, alone+" (") && !strings.Contains(out, "`"+alone+"`") {
				t.Errorf("%s: %s is not shown on its own", format, alone)
			}
		}
	}
	var doc struct {
		Groups []struct {
			Key      string       `json:"key"`
			Summary  string       `json:"summary"`
			Accounts []string     `json:"accounts"`
			Steps    []plans.Step `json:"steps"`
		} `json:"groups"`
		Accounts []struct {
			Name  string `json:"name"`
			Group string `json:"group"`
		} `json:"accounts"`
	}
	if err := json.Unmarshal(js.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Groups) != 1 {
		t.Fatalf("%d groups, want 1", len(doc.Groups))
	}
	g := doc.Groups[0]
	if diff := cmp.Diff([]string{"store-0001", "store-0002", "store-0003", "store-0004", "store-0008"}, g.Accounts); diff != "" {
		t.Errorf("group's accounts (-want +got):\n%s", diff)
	}
	key := plans.GroupKey(rep.Outcomes[0].Result.Plan)
	var grouped []string
	for _, a := range doc.Accounts {
		if a.Group != "" {
			if a.Group != key {
				t.Errorf("%s: group %s, want %s", a.Name, a.Group, key)
			}
			grouped = append(grouped, a.Name)
		}
	}
	if diff := cmp.Diff(g.Accounts, grouped); diff != "" || g.Key != key || len(g.Steps) != 8 {
		t.Errorf("accounts' groups (-group +accounts):\n%s; key %s, want %s; %d steps", diff, g.Key, key, len(g.Steps))
	}
}

// TestFleetGroupsApply: an apply's report groups the accounts applied
// alike; an account held back is shown on its own.
func TestFleetGroupsApply(t *testing.T) {
	rep := &fleet.Report{Applying: true}
	for i := range 4 {
		r := &reconcile.Result{Status: reconcile.StatusApplied, Plan: plantest.AccountPlan(t, fmt.Sprintf("wx%016d", i), 100*i, nil, plantest.RichSafety)}
		o := fleet.Outcome{Name: fmt.Sprintf("shop-%d", i), AppID: r.Plan.AppID, File: "menus.yaml", Result: r}
		if i == 3 {
			r.Status = reconcile.StatusChanges
			o.Held = "not applied: another account held the run back"
		}
		rep.Outcomes = append(rep.Outcomes, o)
	}
	var text bytes.Buffer
	if err := render.FleetText(&text, rep, render.Options{}); err != nil {
		t.Fatal(err)
	}
	out := text.String()
	for _, want := range []string{"=== 3 accounts: applied the same 8 steps\nAccounts: shop-0…shop-2\n", "Applied 8 steps to each of these accounts", "=== shop-3 (wx0000000000000003)\n", "not applied: another account held the run back"} {
		if !strings.Contains(out, want) {
			t.Errorf("the report lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "To apply") {
		t.Errorf("an apply's report says how to apply:\n%s", out)
	}
	md := strings.Join(render.FleetMarkdown(rep, render.Options{}), "")
	if !strings.Contains(md, "**3 accounts: applied the same 8 steps**: `shop-0`…`shop-2`") || !strings.Contains(md, "<summary>shop-3 ") {
		t.Errorf("the Markdown report does not group the applied accounts:\n%s", md)
	}
}

// TestFleetGroups10000: one template change over 10,000 accounts is one
// comment part, and the JSON lists every account of the group.
func TestFleetGroups10000(t *testing.T) {
	const n = 10000
	shared := make([]*plans.Plan, 10)
	for i := range shared {
		shared[i] = plantest.AccountPlan(t, fmt.Sprintf("wx%016d", i), 100*i, nil, plantest.RichSafety)
	}
	rep := &fleet.Report{}
	for i := range n {
		p := shared[i%len(shared)]
		rep.Outcomes = append(rep.Outcomes, fleet.Outcome{Name: fmt.Sprintf("store-%05d", i+1), AppID: p.AppID, Result: &reconcile.Result{Status: reconcile.StatusChanges, Plan: p}})
	}
	parts := render.FleetMarkdown(rep, render.Options{Project: "wxmenu.yaml"})
	if len(parts) != 1 {
		t.Fatalf("%d Markdown parts, want 1", len(parts))
	}
	for _, want := range []string{"**10,000 accounts: the same 8 steps**: `store-00001`…`store-10000`\n", "**wxmenu plan** for 10,000 accounts from `menus.yaml`"} {
		if !strings.Contains(parts[0], want) {
			t.Errorf("the comment lacks %q", want)
		}
	}
	var js bytes.Buffer
	if err := render.FleetJSON(&js, rep, render.Options{}); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Groups []struct {
			Accounts []string `json:"accounts"`
		} `json:"groups"`
	}
	if err := json.Unmarshal(js.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Groups) != 1 || len(doc.Groups[0].Accounts) != n {
		t.Errorf("%d groups, want 1 of %d accounts", len(doc.Groups), n)
	}
}

// TestFleetGroupOfFiles: accounts of different files with the same steps
// are one group, which names no file of its own.
func TestFleetGroupOfFiles(t *testing.T) {
	cp := plantest.Plans(t)["cap"]
	rep := &fleet.Report{}
	for i, file := range []string{"a.yaml", "b.yaml"} {
		p := *cp
		p.DesiredFile = file
		rep.Outcomes = append(rep.Outcomes, fleet.Outcome{Name: fmt.Sprintf("shop-%d", i), AppID: p.AppID, File: file, Result: &reconcile.Result{Status: reconcile.StatusChanges, Plan: &p}})
	}
	var text bytes.Buffer
	if err := render.FleetText(&text, rep, render.Options{}); err != nil {
		t.Fatal(err)
	}
	if want := "=== 2 accounts: the same 2 steps\nAccounts: shop-0, shop-1\nwxmenu plan for 2 accounts, from the desired state\n"; !strings.HasPrefix(text.String(), want) {
		t.Errorf("the report does not begin %q:\n%s", want, text.String())
	}
}

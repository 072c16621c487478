package render_test

import (
	"bytes"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/wxmenu/wxmenu/reconcile"
	"github.com/wxmenu/wxmenu/reconcile/fleet"
	"github.com/wxmenu/wxmenu/reconcile/internal/golden"
	"github.com/wxmenu/wxmenu/reconcile/internal/plantest"
	"github.com/wxmenu/wxmenu/reconcile/render"
	"github.com/wxmenu/wxmenu/wechat"
)

// fleetReport is a report of four accounts: one with changes, two
// unchanged, one that could not be read (61004).
func fleetReport(t *testing.T) *fleet.Report {
	ps := plantest.Plans(t)
	return &fleet.Report{Outcomes: []fleet.Outcome{
		{Name: "shop-sh", AppID: "wx1234567890abcdef", File: "accounts/shop-sh.yaml", Result: &reconcile.Result{Status: reconcile.StatusChanges, Plan: ps["rich"]}},
		{Name: "brand", AppID: "wxabcdef1234567890", File: "accounts/brand.yaml", Result: &reconcile.Result{Status: reconcile.StatusNoChanges, Plan: ps["empty"]}},
		{Name: "client-a", AppID: "wx0123456789abcdef", File: "accounts/client-a.yaml", Result: reconcile.Failed(nil, &reconcile.ReadError{Err: &wechat.APIError{Endpoint: "component/api_component_token", Code: 61004, Message: "access clientip is not registered requestIP: 127.0.0.1"}})},
		{Name: "client-b", AppID: "wx0123456789abcd01", File: "accounts/client-b.yaml", Result: &reconcile.Result{Status: reconcile.StatusNoChanges, Plan: ps["empty"]}},
	}}
}

func TestFleetGolden(t *testing.T) {
	rep := fleetReport(t)
	var text, js bytes.Buffer
	if err := render.FleetText(&text, rep, render.Options{}); err != nil {
		t.Fatal(err)
	}
	golden.Check(t, filepath.Join("..", "..", "testdata", "fleet", "plan.txt"), text.Bytes())
	if err := render.FleetJSON(&js, rep, render.Options{}); err != nil {
		t.Fatal(err)
	}
	golden.Check(t, filepath.Join("..", "..", "testdata", "fleet", "plan.json"), js.Bytes())
	parts := render.FleetMarkdown(rep, render.Options{})
	if len(parts) != 1 {
		t.Fatalf("%d parts, want 1", len(parts))
	}
	golden.Check(t, filepath.Join("..", "..", "testdata", "fleet", "plan.md"), []byte(parts[0]))
	var page bytes.Buffer
	if err := render.FleetHTML(&page, rep, render.Options{Project: "wxmenu.yaml"}); err != nil {
		t.Fatal(err)
	}
	golden.Check(t, filepath.Join("..", "..", "testdata", "fleet", "plan.html"), page.Bytes())
	lines := strings.Split(strings.TrimSpace(text.String()), "\n")
	if diff := cmp.Diff("4 accounts: 1 with changes, 2 no changes, 1 failed: client-a (61004)", lines[len(lines)-1]); diff != "" {
		t.Errorf("last line (-want +got):\n%s", diff)
	}
}

// TestFleetMarkdownSplits renders a fleet of many accounts with changes,
// each different (a warning of its own, so none is grouped): every part
// stays below the limit, carries its marker, and together the parts hold
// every account once.
func TestFleetMarkdownSplits(t *testing.T) {
	rich := plantest.Plans(t)["rich"]
	rep := &fleet.Report{}
	for i := range 200 {
		p := *rich
		p.Warnings = append(slices.Clip(rich.Warnings), fmt.Sprintf("warning %d", i))
		rep.Outcomes = append(rep.Outcomes, fleet.Outcome{Name: fmt.Sprintf("shop-%03d", i), AppID: fmt.Sprintf("wx%016d", i), Result: &reconcile.Result{Status: reconcile.StatusChanges, Plan: &p}})
	}
	rep.Outcomes = append(rep.Outcomes, fleet.Outcome{Name: "broken", AppID: "wx0000000000000bad", Result: reconcile.Failed(nil, errors.New("account broken: SECRET_B is not set"))})
	parts := render.FleetMarkdown(rep, render.Options{})
	if len(parts) < 3 {
		t.Fatalf("%d parts; 200 rich plans should need several", len(parts))
	}
	all := strings.Join(parts, "")
	for i, p := range parts {
		if len(p) >= render.MarkdownCommentLimit {
			t.Errorf("part %d has %d characters", i+1, len(p))
		}
		if want := fmt.Sprintf("<!-- wxmenu-plan part %d/%d -->\n", i+1, len(parts)); !strings.HasPrefix(p, want) {
			t.Errorf("part %d starts %q", i+1, p[:min(len(p), 40)])
		}
		if strings.Count(p, "<details") != strings.Count(p, "</details>") {
			t.Errorf("part %d splits a <details> section", i+1)
		}
	}
	for _, o := range rep.Outcomes {
		if n := strings.Count(all, "<summary>"+o.Name+" "); n != 1 {
			t.Errorf("account %s has %d sections", o.Name, n)
		}
	}
	if !strings.Contains(parts[0], "1 failed&#58; broken (error)") || !strings.Contains(all, "SECRET&#95;B is not set") {
		t.Error("the failure is not visible")
	}
}

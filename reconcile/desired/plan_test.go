package desired_test

// Tests that cross from the desired state into the plan engine: what the
// validator accepts, the planner must plan as WeChat would.

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/wxmenu/wxmenu/reconcile"
	"github.com/wxmenu/wxmenu/reconcile/desired"
	"github.com/wxmenu/wxmenu/wechat"
	"github.com/wxmenu/wxmenu/wechat/wechattest"
)

func click(name, key string) wechat.Button { return wechat.Button{Type: "click", Name: name, Key: key} }

func view(name, url string) wechat.Button { return wechat.Button{Type: "view", Name: name, URL: url} }

func tagRule(id string) wechat.MatchRule { return wechat.MatchRule{TagID: id} }

// messages returns the messages of Validate's diagnostics, in order.
func messages(ds *desired.State) []string {
	var out []string
	for _, d := range desired.Validate(ds) {
		out = append(out, d.Message)
	}
	return out
}

// TestPlanAfterExportIsEmpty checks that an export that validates plans to
// nothing: plan right after export shows no changes.
func TestPlanAfterExportIsEmpty(t *testing.T) {
	files, _ := filepath.Glob("../../testdata/export/*.json")
	validated := 0
	for _, file := range files {
		t.Run(filepath.Base(file), func(t *testing.T) {
			data, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			var live wechat.MenuSet
			if err := json.Unmarshal(data, &live); err != nil {
				t.Fatalf("%s: %v", file, err)
			}
			out, err := desired.Export(&live)
			if err != nil {
				t.Fatal(err)
			}
			ds, err := desired.Parse("exported.yaml", out)
			if err != nil {
				t.Fatalf("Parse(Export(live)): %v", err)
			}
			if desired.Validate(ds) != nil {
				return
			}
			validated++
			p, err := reconcile.NewPlan(reconcile.LiveRead{Menus: &live}, ds, reconcile.PlanOptions{})
			if err != nil {
				t.Fatalf("NewPlan: %v", err)
			}
			if p.HasChanges() {
				t.Errorf("plan right after export has %d steps: %+v", len(p.Steps), p.Steps)
			}
		})
	}
	if validated < 3 {
		t.Errorf("only %d export fixtures validate; the no-changes check needs more", validated)
	}
}

// TestURLDomainCountsAgree checks that the validator, the plan engine and
// the emulator count the same URL domains: a button set B is published next
// to a filler menu holding k fresh domains, and all three must find the cap
// exceeded exactly when B's own domains plus k exceed 3.
func TestURLDomainCountsAgree(t *testing.T) {
	sets := []struct {
		name    string
		buttons []wechat.Button
		domains int // distinct domains of the set, counted by hand
	}{
		{"no url", []wechat.Button{click("A", "A")}, 0},
		{"one view", []wechat.Button{view("A", "https://a.example/?x=1&y=2")}, 1},
		{"case and port fold", []wechat.Button{view("A", "https://A.Example:8443/x"), view("B", "http://a.example/y")}, 1},
		{"subdomains count apart", []wechat.Button{view("A", "https://www.a.example/"), view("B", "https://a.example/")}, 2},
		{"ipv6 and idn hosts", []wechat.Button{view("A", "https://[2001:db8::1]/"), view("B", "https://例子.测试/")}, 2},
		{"sub-buttons and miniprogram", []wechat.Button{
			{Name: "P", SubButtons: []wechat.Button{
				view("A", "https://a.example/"),
				{Type: "miniprogram", Name: "M", URL: "https://b.example/", AppID: "wx1", PagePath: "pages/i"},
			}},
			view("C", "https://c.example/"),
		}, 3},
		// The validator rejects a url on a click button, but WeChat may keep
		// it (the emulator does), so all three count it.
		{"click with a stray url", []wechat.Button{{Type: "click", Name: "A", Key: "A", URL: "https://stray.example/"}}, 1},
	}

	emu := wechattest.New(wechattest.Config{Seed: 1})
	srv := httptest.NewServer(emu)
	t.Cleanup(srv.Close)
	client, err := wechat.New(wechat.WithBaseURLs(srv.URL),
		wechat.WithCredentials(wechattest.DefaultAppID, wechattest.DefaultSecret), wechat.WithRetry(1, 0, 0))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	defaultButtons := []wechat.Button{click("Help", "HELP")}

	for _, set := range sets {
		t.Run(set.name, func(t *testing.T) {
			var want, validator, differ, emulator []bool
			for k := 0; k <= 4; k++ {
				filler := fillerButtons(k)
				want = append(want, set.domains+k > wechat.MaxURLDomains)

				ds := &desired.State{Path: "menus.yaml", Default: &desired.Default{Buttons: defaultButtons}, Conditional: []desired.Conditional{
					{Name: "set", MatchRule: tagRule("1"), Buttons: set.buttons},
					{Name: "filler", MatchRule: tagRule("2"), Buttons: filler},
				}}
				validator = append(validator, slices.ContainsFunc(messages(ds), func(m string) bool { return strings.Contains(m, "(65316)") }))

				_, err := reconcile.NewPlan(reconcile.LiveRead{Menus: &wechat.MenuSet{Default: &wechat.Menu{Buttons: defaultButtons}}}, ds, reconcile.PlanOptions{})
				if err != nil && !strings.Contains(err.Error(), "URL domains") {
					t.Fatalf("k=%d: NewPlan: %v", k, err)
				}
				differ = append(differ, err != nil)

				over, err := publish(ctx, client, defaultButtons, filler, set.buttons)
				if err != nil {
					t.Fatalf("k=%d: %v", k, err)
				}
				emulator = append(emulator, over)
			}
			for name, got := range map[string][]bool{"validator": validator, "plan engine": differ, "emulator": emulator} {
				if diff := cmp.Diff(want, got); diff != "" {
					t.Errorf("%s: cap exceeded with 0..4 filler domains mismatch (-want +got):\n%s", name, diff)
				}
			}
		})
	}
}

// fillerButtons returns a button list with k distinct URL domains, none
// used by the sets of TestURLDomainCountsAgree.
func fillerButtons(k int) []wechat.Button {
	if k == 0 {
		return []wechat.Button{click("F", "F")}
	}
	parent := wechat.Button{Name: "F"}
	for i := range k {
		parent.SubButtons = append(parent.SubButtons, view(fmt.Sprint("F", i), fmt.Sprintf("https://filler%d.example/", i)))
	}
	return []wechat.Button{parent}
}

// publish replaces the account's menus with a default menu and two
// conditional menus, filler then top, and reports whether WeChat refused one
// of them for the URL-domain cap (65316). Any other refusal is an error.
func publish(ctx context.Context, c *wechat.Client, def, filler, top []wechat.Button) (over bool, err error) {
	if err := c.DeleteMenu(ctx); err != nil {
		return false, err
	}
	if err := c.CreateMenu(ctx, def); err != nil {
		return false, err
	}
	for i, b := range [][]wechat.Button{filler, top} {
		_, err := c.AddConditional(ctx, b, tagRule(fmt.Sprint(i+1)))
		var apiErr *wechat.APIError
		if errors.As(err, &apiErr) && apiErr.Code == 65316 {
			return true, nil
		}
		if err != nil {
			return false, err
		}
	}
	return false, nil
}

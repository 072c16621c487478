package render_test

import (
	"bytes"
	"html"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/wxmenu/wxmenu/reconcile/internal/plantest"
	"github.com/wxmenu/wxmenu/reconcile/render"
)

// pageText returns the text of the HTML page's first element matching
// open (a start tag's beginning, e.g. `<section class="apply"`) up to
// closing, tags removed and characters unescaped, lines trimmed.
func pageText(t *testing.T, page, open, closing string) string {
	t.Helper()
	_, rest, ok := strings.Cut(page, open)
	if !ok {
		t.Fatalf("the page has no %s", open)
	}
	part, _, _ := strings.Cut(rest, closing)
	text := html.UnescapeString(regexp.MustCompile(`<[^>]*>`).ReplaceAllString(open+part, " "))
	return strings.Join(strings.Fields(text), " ")
}

// TestHTMLReview checks what the page shows of a plan beside the phones,
// against the plan and the text plan: the calls in call order with their
// rules' tag names, the priority order, the warnings, and how to apply it
// in the text plan's words (one function writes both).
func TestHTMLReview(t *testing.T) {
	p := plantest.Plans(t)["rich"]
	for _, opts := range []render.Options{{}, {SavedAs: "plan.json"}, {Project: "wxmenu.yaml", Account: "shop-sh"}} {
		var page, text bytes.Buffer
		if err := render.HTML(&page, p, opts); err != nil {
			t.Fatal(err)
		}
		if err := render.Text(&text, p, opts); err != nil {
			t.Fatal(err)
		}
		_, apply, ok := strings.Cut(text.String(), "\nTo apply: ")
		if !ok {
			t.Fatalf("the text plan has no apply line:\n%s", text.String())
		}
		apply, _, _ = strings.Cut(apply, "\n")
		if diff := cmp.Diff("How to apply To apply: "+apply, pageText(t, page.String(), `<section class="apply"`, "</section>")); diff != "" {
			t.Errorf("%+v: how to apply (-text plan +page):\n%s", opts, diff)
		}
	}

	var page bytes.Buffer
	if err := render.HTML(&page, p, render.Options{}); err != nil {
		t.Fatal(err)
	}
	doc := page.String()
	var calls []string
	for _, row := range regexp.MustCompile(`<tr><td class="n">(\d+)</td><td>([^<]*)<span class="endpoint">([^<]*)</span></td><td>([^<]*)</td><td>([^<]*)</td>`).FindAllStringSubmatch(doc, -1) {
		calls = append(calls, html.UnescapeString(strings.Join(row[1:], " | ")))
	}
	wantCalls := []string{
		"1 | replace default | menu/create | default menu | ",
		"2 | delete (first) | menu/delconditional | tag 102 (menuid 1002) | tag 102",
		"3 | create | menu/addconditional | spring-campaign | tag 103 (spring)",
		"4 | create | menu/addconditional | 会员|vip | tag 101 (会员)",
		"5 | create | menu/addconditional | ios | iOS",
		"6 | delete | menu/delconditional | sex 1 (dead) (menuid 1005) | sex 1 (dead)",
		"7 | delete | menu/delconditional | 会员|vip | tag 101 (会员)",
		"8 | delete | menu/delconditional | ios | iOS",
	}
	if diff := cmp.Diff(wantCalls, calls); diff != "" {
		t.Errorf("calls (-want +got):\n%s", diff)
	}
	wantPriority := "Conditional menus after apply, in the order WeChat tries them (the first that matches wins) " +
		"ios (iOS, created by this plan) 会员|vip (tag 101 (会员), created by this plan) spring-campaign (tag 103 (spring), created by this plan) " +
		"tag 900 (menuid 1006) (tag 900, unmanaged) android (Android, kept)"
	if diff := cmp.Diff(wantPriority, pageText(t, doc, `<section class="priority"`, "</section>")); diff != "" {
		t.Errorf("priority (-want +got):\n%s", diff)
	}
	warnings := pageText(t, doc, `<section class="warnings"`, "</section>")
	for _, w := range p.Warnings {
		if !strings.Contains(warnings, strings.Join(strings.Fields(w), " ")) {
			t.Errorf("the page's warnings lack %q:\n%s", w, warnings)
		}
	}
	if strings.Contains(doc, `role="alert"`) {
		t.Error("a plan that is not blocked has a banner")
	}
}

// TestHTMLBlockedBanner: a blocked plan's page opens with an alert naming
// every violation, its rail and its override flag, and how to allow them;
// the page of a project names the blocked account.
func TestHTMLBlockedBanner(t *testing.T) {
	p := plantest.Plans(t)["blocked"]
	var page bytes.Buffer
	if err := render.HTML(&page, p, render.Options{}); err != nil {
		t.Fatal(err)
	}
	_, body, _ := strings.Cut(page.String(), "<body>\n")
	if !strings.HasPrefix(body, `<div class="blocked" role="alert">`) {
		t.Errorf("the page does not open with the banner:\n%.300s", body)
	}
	banner := pageText(t, body, `<div class="blocked" role="alert"`, "</div>")
	for _, v := range p.Blocked {
		if want := "(rail " + v.Rail + ", override --" + v.Override + ")"; !strings.Contains(banner, want) {
			t.Errorf("the banner lacks %q:\n%s", want, banner)
		}
	}
	if !strings.HasPrefix(banner, "BLOCKED: ") || !strings.Contains(banner, "plan again with --") {
		t.Errorf("banner: %s", banner)
	}
	if !strings.Contains(pageText(t, body, `<section class="apply"`, "</section>"), "To apply: nothing, while it is blocked") {
		t.Error("the page of a blocked plan says how to apply it")
	}

	rep := fleetReport(t)
	rep.Outcomes[0].Result.Plan = p
	rep.Outcomes[0].Result.Status = "blocked"
	page.Reset()
	if err := render.FleetHTML(&page, rep, render.Options{Project: "wxmenu.yaml"}); err != nil {
		t.Fatal(err)
	}
	banner = pageText(t, page.String(), `<div class="blocked" role="alert"`, "</div>")
	if !strings.Contains(banner, "shop-sh: ") || !strings.Contains(banner, "--allow-") {
		t.Errorf("the project's banner does not name the blocked account and its override: %s", banner)
	}
}

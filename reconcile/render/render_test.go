package render_test

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/wxmenu/wxmenu/reconcile/internal/golden"
	"github.com/wxmenu/wxmenu/reconcile/internal/plantest"
	"github.com/wxmenu/wxmenu/reconcile/plans"
	"github.com/wxmenu/wxmenu/reconcile/render"
	"github.com/wxmenu/wxmenu/wechat"
)

// The golden plans live in ../../testdata/plans; `go test -update` rewrites
// them.

func TestRenderGolden(t *testing.T) {
	renderers := map[string]func(*bytes.Buffer, *plans.Plan) error{
		"txt":       func(b *bytes.Buffer, p *plans.Plan) error { return render.Text(b, p, render.Options{}) },
		"color.txt": func(b *bytes.Buffer, p *plans.Plan) error { return render.Text(b, p, render.Options{Color: true}) },
		"md":        func(b *bytes.Buffer, p *plans.Plan) error { return render.Markdown(b, p, render.Options{}) },
		"json":      func(b *bytes.Buffer, p *plans.Plan) error { return plans.Show(b, p) },
		"html":      func(b *bytes.Buffer, p *plans.Plan) error { return render.HTML(b, p, render.Options{}) },
	}
	for name, p := range plantest.Plans(t) {
		for ext, render := range renderers {
			t.Run(name+"."+ext, func(t *testing.T) {
				var buf bytes.Buffer
				if err := render(&buf, p); err != nil {
					t.Fatal(err)
				}
				golden.Check(t, filepath.Join("..", "..", "testdata", "plans", name+"."+ext), buf.Bytes())
			})
		}
	}
}

func TestRichPlanShape(t *testing.T) {
	// The golden files are only worth reviewing if the rich plan really has
	// every kind of step; check that independently of the rendering.
	p := plantest.Plans(t)["rich"]
	want := []string{
		"~ default menu: default menu changed",
		"- tag 102 (menuid 1002) #1002 FIRST: not in menus.yaml; deleted before creating spring-campaign, which would otherwise exceed WeChat's limit of 3 URL domains across conditional menus",
		"+ spring-campaign: new",
		"+ 会员|vip: buttons changed (replaces menuid 1004)",
		"+ ios: unchanged, recreated to stay above 会员|vip",
		"- sex 1 (dead) (menuid 1005) #1005: never matches: uses privacy field sex, which WeChat no longer matches",
		"- 会员|vip #1004: menuid 1004, replaced by the new 会员|vip",
		"- ios #1003: menuid 1003, replaced by the new ios",
	}
	if diff := cmp.Diff(want, plantest.StepStrings(p)); diff != "" {
		t.Errorf("rich plan steps (-want +got):\n%s", diff)
	}
	// It recreates three menus and removes two (one dead), so no follower
	// group loses enough for the loss rail.
	if diff := cmp.Diff([]string{"allow-protected"}, p.Overrides); diff != "" {
		t.Errorf("rich plan overrides (-want +got):\n%s", diff)
	}
	if len(p.Warnings) != 5 {
		t.Errorf("rich plan has %d warnings, want 5: %q", len(p.Warnings), p.Warnings)
	}
}

func TestRenderTextEscapesAndColour(t *testing.T) {
	p := plantest.Plans(t)["rich"]
	var plain, colour bytes.Buffer
	if err := render.Text(&plain, p, render.Options{}); err != nil {
		t.Fatal(err)
	}
	if err := render.Text(&colour, p, render.Options{Color: true}); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(plain.String(), "\x1b[") {
		t.Error("plain text output has ANSI escapes")
	}
	if !strings.Contains(colour.String(), "\x1b[32m+\x1b[0m") {
		t.Error("coloured output has no green +")
	}
	for _, s := range []string{"https://shop.example/vip?a=1&b=2&c=3", "会员|vip", "<新>品", "x=1&y=<2>"} {
		if !strings.Contains(plain.String(), s) {
			t.Errorf("text output lacks %q", s)
		}
	}
	// The calls line is folded at 80 columns, never inside "endpoint N" or
	// "of daily quotas N/N", so a terminal does not wrap it mid-number.
	wantSummary := "Plan: 3 to create, 4 to delete, default menu replaced.\n" +
		"Calls: menu/create 1, menu/addconditional 3, menu/delconditional 4\n" +
		"  (of daily quotas 1000/2000/2000); apply also reads menu/get twice.\nTo apply: save this plan"
	if !strings.Contains(plain.String(), wantSummary) {
		t.Errorf("text output lacks the summary and the apply hint %q:\n%s", wantSummary, plain.String())
	}

	// A terminal escape in a live button name must not reach the terminal.
	evil := &plans.Plan{AppID: "wx1", DesiredFile: "menus.yaml", Steps: []plans.Step{{
		Action: plans.ActionAddConditional, Name: "x\x1b[2Jy", MatchRule: &wechat.MatchRule{TagID: "1"},
		After: []wechat.Button{{Type: "click", Name: "a\nb\x1b]0;t\x07", Key: "k"}}, Reason: "new",
	}}, Quota: map[string]int{"menu/addconditional": 1}}
	var out bytes.Buffer
	if err := render.Text(&out, evil, render.Options{}); err != nil {
		t.Fatal(err)
	}
	if strings.ContainsAny(out.String(), "\x1b\x07") {
		t.Errorf("control characters reached the output: %q", out.String())
	}
}

func TestRenderMarkdownEscapes(t *testing.T) {
	p := plantest.Plans(t)["rich"]
	var buf bytes.Buffer
	if err := render.Markdown(&buf, p, render.Options{}); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	firstLine, _, _ := strings.Cut(out, "\n")
	if diff := cmp.Diff("<!-- wxmenu-plan: appid=wx1234567890abcdef file=menus.yaml -->", firstLine); diff != "" {
		t.Errorf("marker line (-want +got):\n%s", diff)
	}
	if !strings.Contains(out, "| 4 | create | 会员&#124;vip | tag 101 (会员) | buttons changed (replaces menuid 1004) |") {
		t.Errorf("the step table does not escape | in names:\n%s", out)
	}
	if strings.Contains(out, `\u0026`) || !strings.Contains(out, "https://shop.example/vip?a=1&b=2&c=3") {
		t.Error("URLs with & are not rendered as written")
	}
	for _, line := range strings.Split(out, "\n") {
		if strings.HasPrefix(line, "|") && strings.Contains(line, "<") {
			t.Errorf("table row opens an HTML tag: %s", line)
		}
	}

	// Hostile values cannot close the marker comment or break the table.
	odd := &plans.Plan{AppID: "wx-->1", DesiredFile: "a|b.yaml", Steps: []plans.Step{{
		Action: plans.ActionDelConditional, Name: "x|<script>\ny", MenuID: "1", MatchRule: &wechat.MatchRule{TagID: "1"}, Reason: "not in a|b.yaml",
	}}, Quota: map[string]int{"menu/delconditional": 1}}
	buf.Reset()
	if err := render.Markdown(&buf, odd, render.Options{}); err != nil {
		t.Fatal(err)
	}
	firstLine, rest, _ := strings.Cut(buf.String(), "\n")
	if strings.Count(firstLine, "-->") != 1 || !strings.HasSuffix(firstLine, "-->") {
		t.Errorf("marker line can be closed early: %s", firstLine)
	}
	if !strings.Contains(rest, "| 1 | delete | x&#124;&#60;script&#62; y | tag 1 | not in a&#124;b&#46;yaml |") {
		t.Errorf("hostile row not escaped:\n%s", rest)
	}
}

func TestButtonDiff(t *testing.T) {
	before := []wechat.Button{
		{Type: "click", Name: "a", Key: "A"},
		{Name: "p", SubButtons: []wechat.Button{{Type: "view", Name: "v", URL: "https://x.example/?a=1&b=2"}}},
	}
	after := []wechat.Button{
		{Type: "click", Name: "a", Key: "A2"},
		{Name: "p", SubButtons: []wechat.Button{{Type: "view", Name: "v", URL: "https://x.example/?a=1&b=2"}, {Type: "click", Name: "n", Key: "N"}}},
	}
	got := render.ButtonDiff(before, after)
	want := []string{
		"- a [click] key=A",
		"+ a [click] key=A2",
		"  p",
		"    v [view] url=https://x.example/?a=1&b=2",
		"+   n [click] key=N",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("buttonDiff mismatch (-want +got):\n%s", diff)
	}
}

func TestButtonLines(t *testing.T) {
	bs := []wechat.Button{
		{Name: "菜单", SubButtons: []wechat.Button{
			{Type: "miniprogram", Name: "小程序", URL: "https://a.example/?x=1&y=2", AppID: "wx1", PagePath: "p/i"},
			{Type: "click", Name: "bad\x1b[2J\nname", Key: "K"},
			{Type: "click", Name: "Tag 7", Key: "CONTACT\n  签到 [click] key=CHECKIN"},
		}},
		{Type: "article_id", Name: "文章", ArticleID: "A1", SubButtons: []wechat.Button{}},
	}
	want := []string{
		"菜单",
		"  小程序 [miniprogram] url=https://a.example/?x=1&y=2 appid=wx1 pagepath=p/i",
		`  "bad\x1b[2J\nname" [click] key=K`,
		`  "Tag 7" [click] key="CONTACT\n  签到 [click] key=CHECKIN"`,
		"文章 [article_id] article_id=A1",
	}
	if diff := cmp.Diff(want, render.ButtonLines(bs)); diff != "" {
		t.Errorf("ButtonLines mismatch (-want +got):\n%s", diff)
	}
}

// TestRenderPlanWithoutReviewFields renders a format-2 plan saved before
// the review fields existed: no audience table, no failure.
func TestRenderPlanWithoutReviewFields(t *testing.T) {
	p := *plantest.Plans(t)["rich"]
	p.Changes, p.Counts, p.Priority, p.Audiences, p.Removed, p.TagNames, p.Reads, p.Provenance = false, nil, nil, nil, nil, nil, nil, nil
	for name, r := range map[string]func(*bytes.Buffer) error{
		"text":     func(b *bytes.Buffer) error { return render.Text(b, &p, render.Options{}) },
		"markdown": func(b *bytes.Buffer) error { return render.Markdown(b, &p, render.Options{}) },
		"html":     func(b *bytes.Buffer) error { return render.HTML(b, &p, render.Options{}) },
	} {
		var buf bytes.Buffer
		if err := r(&buf); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if strings.Contains(buf.String(), "Who sees what") {
			t.Errorf("%s: an audience table without audiences", name)
		}
		if !strings.Contains(buf.String(), "spring-campaign") {
			t.Errorf("%s: the steps are missing", name)
		}
	}
	var buf bytes.Buffer
	if err := render.HTML(&buf, &p, render.Options{}); err != nil || !strings.Contains(buf.String(), "saved without an audience table") {
		t.Errorf("the HTML page does not say the plan has no audience table (err %v)", err)
	}
}

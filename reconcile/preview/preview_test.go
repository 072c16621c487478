package preview

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/wxmenu/wxmenu/reconcile/audience"
	"github.com/wxmenu/wxmenu/reconcile/plans"
	"github.com/wxmenu/wxmenu/wechat"
)

var update = flag.Bool("update", false, "rewrite golden files")

// sampleRows is the table of a realistic change: the vip menu gets a new
// button and its first one a new url, a more specific menu for tag 101 on
// iOS is added above it with a name too long for the bar, and the Android
// menu goes away. It pictures
// before and after only (TestMarkdownCapFallbackGolden pictures what
// followers see during apply).
func sampleRows(t *testing.T) []plans.AudienceRow {
	home := []wechat.Button{
		{Type: "view", Name: "官网", URL: "https://www.example.com/"},
		{Name: "服务", SubButtons: []wechat.Button{
			{Type: "click", Name: "联系客服", Key: "CONTACT"},
			{Type: "view", Name: "订单查询", URL: "https://shop.example.com/orders"},
		}},
		{Type: "click", Name: "签到", Key: "CHECKIN"},
	}
	vip := []wechat.Button{
		{Type: "view", Name: "会员中心", URL: "https://vip.example.com/"},
		{Type: "click", Name: "专属客服", Key: "VIP_CONTACT"},
	}
	vipV2 := []wechat.Button{
		{Type: "view", Name: "会员中心", URL: "https://vip.example.com/?from=menu"},
		{Name: "专属服务", SubButtons: []wechat.Button{
			{Type: "click", Name: "专属客服", Key: "VIP_CONTACT"},
			{Type: "click", Name: "生日礼遇与积分兑换说明", Key: "VIP_GIFTS"},
		}},
		{Type: "click", Name: "签到", Key: "CHECKIN"},
	}
	vipIOS := []wechat.Button{
		{Type: "view", Name: "App Store 下载", URL: "https://apps.example.com/ios"},
		{Type: "view", Name: "会员中心", URL: "https://vip.example.com/"},
	}
	before := audience.State{
		Default: &audience.Menu{Name: audience.DefaultMenuName, Buttons: home},
		Conditional: []audience.Menu{
			{Name: "vip", MenuID: "400000300", Rule: &wechat.MatchRule{TagID: "101"}, Buttons: vip},
			{Name: "Android (menuid 400000200)", MenuID: "400000200", Rule: &wechat.MatchRule{ClientPlatformType: "2"}, Buttons: []wechat.Button{
				{Type: "view", Name: "安卓下载", URL: "https://dl.example.com/android"},
			}},
		},
	}
	imp, err := audience.Replay(before, []plans.Step{
		{Action: plans.ActionAddConditional, Name: "vip", MatchRule: &wechat.MatchRule{TagID: "101"}, After: vipV2},
		{Action: plans.ActionAddConditional, Name: "vip-ios", MatchRule: &wechat.MatchRule{TagID: "101", ClientPlatformType: "1"}, After: vipIOS},
		{Action: plans.ActionDelConditional, MenuID: "400000300"},
		{Action: plans.ActionDelConditional, MenuID: "400000200"},
	}, map[string]string{"101": "会员"})
	if err != nil {
		t.Fatal(err)
	}
	for i := range imp.Rows {
		imp.Rows[i].Transient = nil
	}
	return imp.Rows
}

// samplePage is the page of the sample change: its calls, the phones of
// every audience, the order after apply, a warning and how to apply it,
// worded as package render words them.
func samplePage(t *testing.T) Page {
	return Page{
		Title:    "menus.yaml → wx5a9db0e1sandbox",
		Subtitle: "planned 2025-03-01T08:30:00Z",
		Reviews: []Review{{
			Summary: []string{"Plan: 2 to create, 2 to delete.", "Calls: menu/addconditional 2, menu/delconditional 2 (of daily quotas 2000/2000); apply also reads menu/get twice."},
			Calls: []Call{
				{Action: "create", Endpoint: "menu/addconditional", Menu: "vip", Rule: "tag 101 (会员)", Reason: "buttons changed (replaces menuid 400000300)"},
				{Action: "create", Endpoint: "menu/addconditional", Menu: "vip-ios", Rule: "tag 101 (会员) on iOS", Reason: "new"},
				{Action: "delete", Endpoint: "menu/delconditional", Menu: "vip", Rule: "tag 101 (会员)", Reason: "menuid 400000300, replaced by the new vip"},
				{Action: "delete", Endpoint: "menu/delconditional", Menu: "Android (menuid 400000200)", Rule: "Android", Reason: "not in menus.yaml"},
			},
			Comparisons: FromRows(nil, sampleRows(t), map[string]string{"101": "会员"}, 4),
			Priority:    []string{"vip-ios (tag 101 (会员) on iOS, created by this plan)", "vip (tag 101 (会员), created by this plan)"},
			Warnings:    []string{`conditional[0].button[1].sub_button[1].name "生日礼遇与积分兑换说明" shows as "生日礼遇与积分…" on the phone (22 of 14 width units; a CJK character is 2)`},
			Apply:       "save this plan with wxmenu plan -f menus.yaml --out plan.json, then run wxmenu apply plan.json; apply refuses it if the account or menus.yaml changed since",
		}},
	}
}

// blockedPage is samplePage blocked by a rail, as package render words it.
func blockedPage(t *testing.T) Page {
	p := samplePage(t)
	p.Blocked = &Banner{
		Heading: "BLOCKED: a safety rail stops this plan; it cannot be saved or applied.",
		Lines: []string{
			"2 audiences lose their personalized menu (rail loss, override --allow-loss)",
			"if this is intended, plan again with --allow-loss (the override is recorded in the plan and the audit log)",
		},
	}
	p.Reviews[0].Apply = "nothing, while it is blocked; plan again with the override once the change is intended"
	return p
}

// comparisons are the page's comparisons, of every review.
func (p Page) comparisons() []Comparison {
	var out []Comparison
	for _, r := range p.Reviews {
		out = append(out, r.Comparisons...)
	}
	return out
}

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if diff := cmp.Diff(string(want), string(got)); diff != "" {
		t.Errorf("%s differs (-want +got; go test -update rewrites it):\n%s", path, diff)
	}
}

// page is the HTML page of p.
func page(t *testing.T, p Page) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := WriteHTML(&buf, p); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestMarkdownGolden(t *testing.T) {
	golden(t, "preview.md", []byte(Markdown(nil, samplePage(t).comparisons())))
}

func TestHTMLGolden(t *testing.T) {
	golden(t, "preview.html", page(t, samplePage(t)))
}

// TestMarkdownCapFallbackGolden pictures a plan that deletes first under
// a cap: the notes say who waits on the default menu, and for how long.
func TestMarkdownCapFallbackGolden(t *testing.T) {
	vip := []wechat.Button{{Type: "click", Name: "会员中心", Key: "VIP"}}
	vipV2 := []wechat.Button{{Type: "click", Name: "会员中心", Key: "VIP"}, {Type: "click", Name: "积分", Key: "POINTS"}}
	home := []wechat.Button{{Type: "click", Name: "签到", Key: "CHECKIN"}}
	imp, err := audience.Replay(audience.State{
		Default:     &audience.Menu{Name: audience.DefaultMenuName, Buttons: home},
		Conditional: []audience.Menu{{Name: "vip", MenuID: "400000300", Rule: &wechat.MatchRule{TagID: "101"}, Buttons: vip}},
	}, []plans.Step{
		{Action: plans.ActionDelConditional, Name: "vip", MenuID: "400000300"},
		{Action: plans.ActionAddConditional, Name: "vip", MatchRule: &wechat.MatchRule{TagID: "101"}, After: vipV2},
	}, nil)
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "preview-cap.md", []byte(Markdown(nil, FromRows(nil, imp.Rows, nil, 2))))
}

func TestShown(t *testing.T) {
	tests := []struct {
		name  string
		level Level
		want  string
	}{
		{"会员中心", Top, "会员中心"},
		{"会员中心入口", Top, "会员中心…"},
		{"Services", Top, "Services"},
		{"Services+", Top, "Services…"},
		{"会员a中心", Top, "会员a中…"},
		{"生日礼遇积分兑", Sub, "生日礼遇积分兑"},
		{"生日礼遇与积分兑换说明", Sub, "生日礼遇与积分…"},
		{"Order history list", Sub, "Order history …"},
		{"", Top, ""},
	}
	for _, tt := range tests {
		if got := Shown(tt.name, tt.level); got != tt.want {
			t.Errorf("Shown(%q, %v) = %q, want %q", tt.name, tt.level, got, tt.want)
		}
	}
}

func TestCutOffs(t *testing.T) {
	bs := []wechat.Button{
		{Type: "click", Name: "签到", Key: "A"},
		{Name: "会员专享服务", SubButtons: []wechat.Button{
			{Type: "click", Name: "短", Key: "B"},
			{Type: "click", Name: "生日礼遇与积分兑换说明", Key: "C"},
		}},
	}
	var got []string
	for _, c := range CutOffs(bs) {
		got = append(got, c.Warning())
	}
	want := []string{
		`button[1].name "会员专享服务" shows as "会员专享…" on the phone (12 of 8 width units; a CJK character is 2)`,
		`button[1].sub_button[1].name "生日礼遇与积分兑换说明" shows as "生日礼遇与积分…" on the phone (22 of 14 width units; a CJK character is 2)`,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("cut-offs (-want +got):\n%s", diff)
	}
}

// gfmTable checks one table block against the GFM spec's table rules
// (§4.10): the delimiter row is the second line and sets the column count,
// the header row has exactly that many cells, every row starts and ends
// with an unescaped pipe and, with escaped pipes left out, has that many
// cells (GitHub drops extra cells and pads missing ones silently, which is
// what this catches).
func gfmTable(t *testing.T, lines []string) {
	t.Helper()
	delim := regexp.MustCompile(`^\|(\s*:?-+:?\s*\|)+$`)
	if len(lines) < 2 || !delim.MatchString(lines[1]) {
		t.Fatalf("table without a delimiter row as its second line:\n%s", strings.Join(lines, "\n"))
	}
	cols := strings.Count(lines[1], "|") - 1
	for _, l := range lines {
		if !strings.HasPrefix(l, "|") || !strings.HasSuffix(l, "|") || strings.HasSuffix(l, `\|`) {
			t.Errorf("row does not start and end with a pipe: %q", l)
		}
		if n := strings.Count(strings.ReplaceAll(l, `\|`, ""), "|") - 1; n != cols {
			t.Errorf("row has %d cells, the delimiter row %d: %q", n, cols, l)
		}
	}
}

// tables returns the table blocks of a Markdown text.
func tables(md string) [][]string {
	var out [][]string
	var cur []string
	for _, l := range strings.Split(md, "\n") {
		if strings.HasPrefix(l, "|") {
			cur = append(cur, l)
			continue
		}
		if cur != nil {
			out = append(out, cur)
			cur = nil
		}
	}
	return out
}

func TestMarkdownFollowsGFMTableRules(t *testing.T) {
	nasty := []wechat.Button{
		{Type: "click", Name: "a|b", Key: "A"},
		{Name: "<b>x</b>", SubButtons: []wechat.Button{
			{Type: "click", Name: "**bold** _i_", Key: "B"},
			{Type: "click", Name: "[link](https://evil.example.com/) `code`", Key: "C"},
			{Type: "click", Name: "line\nbreak &amp; \\|", Key: "D"},
		}},
		{Type: "click", Name: "~~x~~", Key: "E"},
	}
	cs := []Comparison{
		{Audience: "tag 1|2", Before: Phone{Title: "<script>", Buttons: nasty}, After: Phone{Title: "default menu", NoMenu: true}, Changed: true},
		{Audience: "everyone else", Before: Phone{Title: "default menu", Buttons: nasty}, After: Phone{Title: "default menu", Buttons: nasty}},
		{Audience: "tag 101", Before: Phone{Title: "vip"}, After: Phone{Title: "vip", Buttons: nasty}, Changed: true},
	}
	md := Markdown(nil, cs) + Markdown(nil, samplePage(t).comparisons())
	ts := tables(md)
	if len(ts) != 2+3 {
		t.Fatalf("%d tables, want 5 (one per changed audience):\n%s", len(ts), md)
	}
	for _, tb := range ts {
		gfmTable(t, tb)
	}
	// No raw HTML, entity, link or code span survives: every such
	// character is a character reference.
	// (A pipe from a name would change a row's cell count, which gfmTable
	// catches.)
	for _, bad := range []string{"<", "&", "](", "`"} {
		for _, l := range strings.Split(md, "\n") {
			if strings.Contains(regexp.MustCompile(`&#[0-9]+;`).ReplaceAllString(l, ""), bad) {
				t.Errorf("markdown keeps %q unescaped in %q", bad, l)
			}
		}
	}
	if strings.Contains(md, "line\nbreak") {
		t.Error("a line break inside a name splits the table row")
	}
	if !strings.Contains(md, "1 other audience sees no change.") {
		t.Errorf("no line counting unchanged audiences:\n%s", md)
	}
}

func TestMarkdownNoChange(t *testing.T) {
	cs := []Comparison{{Audience: "everyone else", Before: Phone{Title: "default menu"}, After: Phone{Title: "default menu"}}}
	if diff := cmp.Diff("No follower sees a different menu (1 other audience).\n", Markdown(nil, cs)); diff != "" {
		t.Error(diff)
	}
	if got := Markdown(nil, nil); got != "" {
		t.Errorf("Markdown(nil) = %q, want empty", got)
	}
}

func TestHTMLIsSelfContainedAndEscaped(t *testing.T) {
	const evil = `"><img src=x onerror=alert(1)><script>alert("x")</script>`
	p := blockedPage(t)
	r := &p.Reviews[0]
	r.Comparisons = append(r.Comparisons, Comparison{
		Audience: evil,
		Before: Phone{Title: evil, Buttons: []wechat.Button{
			{Type: "click", Name: evil, Key: evil},
			{Type: "view", Name: "x", URL: `javascript:alert(1)//<a href="https://evil.example/">`},
		}},
		After:   Phone{Title: "b", NoMenu: true},
		Changed: true,
	})
	r.Calls = append(r.Calls, Call{Action: evil, Endpoint: evil, Menu: evil, Rule: evil, Reason: evil})
	r.Heading, r.Priority, r.Warnings, r.Apply = evil, []string{evil}, []string{evil}, evil
	r.Summary = append(r.Summary, evil)
	p.Blocked.Lines = append(p.Blocked.Lines, evil)
	doc := string(page(t, p))
	for _, bad := range []string{"<script", "<img", "<a ", "<link", "<iframe", "<object", "url(", "@import"} {
		if strings.Contains(doc, bad) {
			t.Errorf("page contains %q", bad)
		}
	}
	// A url is shown as text, never as a link or in an attribute.
	if loads := regexp.MustCompile(`<\w+(\s+[\w-]+="[^"]*")*\s+(src|href|style)=`).FindString(doc); loads != "" {
		t.Errorf("page has an element that loads something: %s", loads)
	}
	if attr := regexp.MustCompile(`="[^"]*(https?:|javascript:)`).FindString(doc); attr != "" {
		t.Errorf("page has a url in an attribute: %s", attr)
	}
	if !strings.Contains(doc, "javascript:alert(1)//&lt;a href=&#34;https://evil.example/&#34;&gt;") {
		t.Error("the page does not show a button's url, escaped")
	}
	if !strings.Contains(doc, `content="default-src 'none'; style-src 'unsafe-inline'"`) {
		t.Error("page has no Content-Security-Policy forbidding every load")
	}
}

func TestMarks(t *testing.T) {
	before := []wechat.Button{
		{Type: "click", Name: "a", Key: "A"},
		{Name: "p", SubButtons: []wechat.Button{{Type: "click", Name: "s1", Key: "S1"}, {Type: "click", Name: "s2", Key: "S2"}}},
	}
	after := []wechat.Button{
		{Type: "click", Name: "a", Key: "A2"},
		{Name: "p", SubButtons: []wechat.Button{{Type: "click", Name: "s1", Key: "S1"}}},
		{Type: "click", Name: "c", Key: "C"},
	}
	if diff := cmp.Diff([]string{"a:changed", "p:same", "  s1:same", "  s2:removed"}, describe(layout(before, after, false, Top))); diff != "" {
		t.Errorf("before (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"a:changed", "p:same", "  s1:same", "c:added"}, describe(layout(after, before, true, Top))); diff != "" {
		t.Errorf("after (-want +got):\n%s", diff)
	}
}

// describe lists laid-out buttons as "name:mark", sub-buttons indented.
func describe(cells []cell) []string {
	var out []string
	for _, c := range cells {
		out = append(out, c.Name+":"+string(c.Mark))
		for _, s := range c.Subs {
			out = append(out, "  "+s.Name+":"+string(s.Mark))
		}
	}
	return out
}

// TestMarksMatchButtonsByIdentity removes a button from the middle of the
// bar and of a sub-menu, as in the fleet example (the brand drops 新品, the
// shop its 上海门店): the buttons after it move up one place and stay. Matched
// by position, a staying button was struck through as removed and the one
// that goes was only "changed".
func TestMarksMatchButtonsByIdentity(t *testing.T) {
	before := []wechat.Button{
		{Type: "view", Name: "品牌故事", URL: "https://www.example.com/story"},
		{Type: "view", Name: "新品", URL: "https://www.example.com/new"},
		{Name: "服务", SubButtons: []wechat.Button{
			{Type: "click", Name: "联系客服", Key: "CONTACT"},
			{Type: "view", Name: "上海门店", URL: "https://www.example.com/stores/sh"},
			{Type: "view", Name: "订单查询", URL: "https://shop.example.com/orders"},
		}},
	}
	after := []wechat.Button{
		{Type: "view", Name: "品牌故事", URL: "https://www.example.com/story"},
		{Name: "服务", SubButtons: []wechat.Button{
			{Type: "click", Name: "联系客服", Key: "CONTACT"},
			{Type: "view", Name: "订单查询", URL: "https://shop.example.com/orders"},
		}},
	}
	wantBefore := []string{"品牌故事:same", "新品:removed", "服务:same", "  联系客服:same", "  上海门店:removed", "  订单查询:same"}
	if diff := cmp.Diff(wantBefore, describe(layout(before, after, false, Top))); diff != "" {
		t.Errorf("before (-want +got):\n%s", diff)
	}
	wantAfter := []string{"品牌故事:same", "服务:same", "  联系客服:same", "  订单查询:same"}
	if diff := cmp.Diff(wantAfter, describe(layout(after, before, true, Top))); diff != "" {
		t.Errorf("after (-want +got):\n%s", diff)
	}
}

package render_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"html"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/wxmenu/wxmenu/internal/i18n"
	"github.com/wxmenu/wxmenu/internal/literal"
	"github.com/wxmenu/wxmenu/reconcile"
	"github.com/wxmenu/wxmenu/reconcile/audit"
	"github.com/wxmenu/wxmenu/reconcile/fleet"
	"github.com/wxmenu/wxmenu/reconcile/internal/golden"
	"github.com/wxmenu/wxmenu/reconcile/internal/plantest"
	"github.com/wxmenu/wxmenu/reconcile/plans"
	"github.com/wxmenu/wxmenu/reconcile/render"
)

// The zh-CN goldens sit beside the English ones: NAME.zh-CN.EXT.

var zh = render.Options{Printer: i18n.New(i18n.Chinese)}

func TestRenderGoldenChinese(t *testing.T) {
	renderers := map[string]func(*bytes.Buffer, *plans.Plan) error{
		"zh-CN.txt":  func(b *bytes.Buffer, p *plans.Plan) error { return render.Text(b, p, zh) },
		"zh-CN.md":   func(b *bytes.Buffer, p *plans.Plan) error { return render.Markdown(b, p, zh) },
		"zh-CN.html": func(b *bytes.Buffer, p *plans.Plan) error { return render.HTML(b, p, zh) },
	}
	for name, p := range plantest.Plans(t) {
		for ext, render := range renderers {
			t.Run(name+"."+ext, func(t *testing.T) {
				var buf bytes.Buffer
				if err := render(&buf, p); err != nil {
					t.Fatal(err)
				}
				golden.Check(t, filepath.Join("..", "..", "testdata", "plans", name+"."+ext), buf.Bytes())
				noEnglish(t, buf.String(), strings.HasSuffix(ext, ".html"), plansData(t, p))
			})
		}
	}
}

func TestFleetGoldenChinese(t *testing.T) {
	rep := fleetReport(t)
	var text, page bytes.Buffer
	if err := render.FleetText(&text, rep, zh); err != nil {
		t.Fatal(err)
	}
	parts := render.FleetMarkdown(rep, zh)
	opts := zh
	opts.Project = "wxmenu.yaml"
	if err := render.FleetHTML(&page, rep, opts); err != nil {
		t.Fatal(err)
	}
	var data []string
	for _, o := range rep.Outcomes {
		data = append(data, o.Name, o.AppID, o.File)
		if o.Result.Plan != nil {
			data = append(data, plansData(t, o.Result.Plan)...)
		}
		if o.Result.Err != nil {
			// A problem is an error's message, which stays English.
			message, hint := o.Result.Problem()
			data = append(data, message, hint, o.Result.Err.Error())
		}
	}
	for _, c := range []struct {
		name string
		got  []byte
		html bool
	}{{"plan.zh-CN.txt", text.Bytes(), false}, {"plan.zh-CN.md", []byte(strings.Join(parts, "")), false}, {"plan.zh-CN.html", page.Bytes(), true}} {
		golden.Check(t, filepath.Join("..", "..", "testdata", "fleet", c.name), c.got)
		noEnglish(t, string(c.got), c.html, data)
	}
}

// driftReport is drift's view of four accounts: in sync, drifted with no
// audit record, pending after a failed apply, and one that could not be
// read.
func driftReport(t *testing.T) (*fleet.Report, []*reconcile.Drift) {
	rep := fleetReport(t)
	rep.Outcomes[2], rep.Outcomes[1] = rep.Outcomes[1], rep.Outcomes[2]
	last := &audit.Apply{ID: "20250301-083000-ab12", AppID: "wxabcdef1234567890", Time: time.Date(2025, 3, 1, 8, 30, 0, 0, time.UTC), Outcome: "failed"}
	var drifts []*reconcile.Drift
	for i, o := range rep.Outcomes {
		var l *audit.Apply
		if i == 3 {
			l = last
			o.Result = &reconcile.Result{Status: reconcile.StatusChanges, Plan: plantest.Plans(t)["cap"]}
			rep.Outcomes[i] = o
		}
		drifts = append(drifts, reconcile.DriftOf(o.Result, l))
	}
	return rep, drifts
}

func TestDriftGolden(t *testing.T) {
	rep, drifts := driftReport(t)
	for _, lang := range []string{i18n.English, i18n.Chinese} {
		for _, format := range []string{"txt", "md"} {
			var buf bytes.Buffer
			opts := render.Options{Project: "wxmenu.yaml", Printer: i18n.New(lang)}
			if err := render.Drift(&buf, rep, drifts, map[string]string{"txt": "text", "md": "markdown"}[format], opts, false); err != nil {
				t.Fatal(err)
			}
			name := "drift." + format
			if lang != i18n.English {
				name = "drift." + lang + "." + format
				data := []string{"failed"} // the outcome of the last apply, from the audit log
				for _, o := range rep.Outcomes {
					data = append(data, o.Name, o.AppID, o.File)
					if o.Result.Err != nil {
						message, hint := o.Result.Problem()
						data = append(data, message, hint)
					}
				}
				noEnglish(t, buf.String(), false, data)
			}
			golden.Check(t, filepath.Join("..", "..", "testdata", "fleet", name), buf.Bytes())
		}
	}
}

// plansData is what a plan holds as data, every string of its JSON
// document but the prose the renderers derive again in the reader's
// language (reasons, labels, warnings, rails' messages) and the names of
// the menus that are not conditional.
func plansData(t *testing.T, p *plans.Plan) []string {
	t.Helper()
	doc, err := json.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	var v any
	if err := json.Unmarshal(doc, &v); err != nil {
		t.Fatal(err)
	}
	var out []string
	var walk func(key string, v any)
	walk = func(key string, v any) {
		switch v := v.(type) {
		case map[string]any:
			for k, x := range v {
				walk(k, x)
			}
		case []any:
			for _, x := range v {
				walk(key, x)
			}
		case string:
			switch {
			case key == "reason", key == "label", key == "kind", key == "action", key == "reason_code", key == "warnings", key == "message":
			case v == "default menu", v == "no menu", v == "menu published in the console", v == "all menus":
			default:
				out = append(out, v)
			}
		}
	}
	walk("", v)
	return out
}

var (
	htmlStyle = regexp.MustCompile(`(?s)<style>.*?</style>|<[^>]*>`)
	codeSpan  = regexp.MustCompile("(?s)```.*?```|`[^`\n]*`")
	word      = regexp.MustCompile(`[A-Za-z][A-Za-z']+`)
	// An account's mode is named as the project file writes it ("mode:
	// observe", its colon escaped in Markdown).
	technicals = regexp.MustCompile(`\S*…|\S*mode(?::|&#58;) \w+|\S*[/._=@&#:0-9]\S*|--\S+|\[\w+\]|\$\w+|https?://\S+`)
	// kept are the words a Chinese review keeps in English: platform
	// names, the command and its subcommands named as commands, the wire
	// names of button fields and the drift statuses (codes people match).
	kept = []string{"iOS", "Android", "ID", "URL", "API", "UTC", "wxmenu", "plan", "apply", "drift", "menuid",
		"name", "type", "key", "url", "media_id", "appid", "pagepath", "article_id", "sub_button", "WeChat",
		"in_sync", "pending", "console", "changed_outside", "drifted", "error", "CAUTION", "WARNING", "details", "summary", "diff",
		"yaml", "json", "tags", "sex", "country", "province", "city", "language", "click", "view", "miniprogram"}
)

// noEnglish fails when out, a review rendered in zh-CN, holds English
// words that are neither data (the plan's, masked wherever it appears),
// nor a command, a code or a term the glossary keeps: a message printed
// without the catalogue.
func noEnglish(t *testing.T, out string, isHTML bool, data []string) {
	t.Helper()
	// Markdown holds HTML too (<details>, the comment's marker).
	out = htmlStyle.ReplaceAllString(out, " ")
	if isHTML {
		out = html.UnescapeString(out)
	}
	out = codeSpan.ReplaceAllString(out, " ")
	var masks []string
	for _, d := range data {
		if d = strings.TrimSpace(d); len([]rune(d)) > 1 { // not "…", a shared plan's menuid
			masks = append(masks, d, literal.Line(d), literal.Markdown(d))
		}
	}
	sort.Slice(masks, func(i, j int) bool { return len(masks[i]) > len(masks[j]) })
	for _, m := range masks {
		out = strings.ReplaceAll(out, m, " ")
	}
	out = technicals.ReplaceAllString(out, " ")
	var left []string
	for _, w := range word.FindAllString(out, -1) {
		if !slices.Contains(kept, w) && !slices.Contains(left, w) {
			left = append(left, w)
		}
	}
	if len(left) > 0 {
		t.Errorf("English words left in the zh-CN output (a message bypasses the catalogue?): %q\n%s", left, out)
	}
}

// TestHeldInChinese: why an account was held back is reworded clause by
// clause; the JSON report keeps the English.
func TestHeldInChinese(t *testing.T) {
	rep := fleetReport(t)
	rep.Outcomes[0].Held = "not applied: blocked by a safety rail: client-x; stale: client-y, client-z"
	var text, js bytes.Buffer
	if err := render.FleetText(&text, rep, zh); err != nil {
		t.Fatal(err)
	}
	if want := "\n未应用：被安全规则拦截：client-x；已过期：client-y, client-z\n"; !strings.Contains(text.String(), want) {
		t.Errorf("the text report does not say %q:\n%s", want, text.String())
	}
	if err := render.FleetJSON(&js, rep, zh); err != nil {
		t.Fatal(err)
	}
	if want := `"held": "not applied: blocked by a safety rail: client-x; stale: client-y, client-z"`; !strings.Contains(js.String(), want) {
		t.Errorf("the JSON report does not hold %q:\n%s", want, js.String())
	}
}

// TestFleetGroupsGoldenChinese: a project's accounts with the same steps
// reviewed as one group, in zh-CN.
func TestFleetGroupsGoldenChinese(t *testing.T) {
	rep := groupReport(t)
	opts := zh
	opts.Project = "wxmenu.yaml"
	var text, page bytes.Buffer
	if err := render.FleetText(&text, rep, opts); err != nil {
		t.Fatal(err)
	}
	parts := render.FleetMarkdown(rep, opts)
	if err := render.FleetHTML(&page, rep, opts); err != nil {
		t.Fatal(err)
	}
	var data []string
	for _, o := range rep.Outcomes {
		data = append(data, o.Name, o.AppID, o.File)
		if o.Result.Plan != nil {
			// A group shows its plan as its accounts share it.
			data = append(data, plansData(t, o.Result.Plan)...)
			data = append(data, plansData(t, plans.Shared(o.Result.Plan))...)
		}
		if o.Result.Err != nil {
			message, hint := o.Result.Problem()
			data = append(data, message, hint, o.Result.Err.Error())
		}
	}
	for _, c := range []struct {
		name string
		got  []byte
		html bool
	}{{"groups.zh-CN.txt", text.Bytes(), false}, {"groups.zh-CN.md", []byte(strings.Join(parts, "")), false}, {"groups.zh-CN.html", page.Bytes(), true}} {
		golden.Check(t, filepath.Join("..", "..", "testdata", "fleet", c.name), c.got)
		noEnglish(t, string(c.got), c.html, data)
		if !strings.Contains(string(c.got), "5 个账号：相同的 8 个步骤") {
			t.Errorf("%s: no group heading", c.name)
		}
	}
}

// TestApplyInChinese: apply's progress lines, its summary and what a
// stopped apply did, in zh-CN; a step's error stays as WeChat and the
// client word it.
func TestApplyInChinese(t *testing.T) {
	plan := plantest.Plans(t)["rich"]
	s := plan.Steps
	var out bytes.Buffer
	tr := zh.Printer
	render.Progress(&out, tr, reconcile.ProgressEvent{Index: 0, Total: len(s), Step: s[0], Result: &reconcile.StepResult{Step: s[0], Outcome: plans.OutcomeDone}}, false)
	render.Progress(&out, tr, reconcile.ProgressEvent{Index: 2, Total: len(s), Step: s[2], Result: &reconcile.StepResult{Step: s[2], Outcome: plans.OutcomeAlreadyDone, MenuID: "1007", Reread: true}}, false)
	render.ApplySummary(&out, tr, &reconcile.Result{Status: reconcile.StatusApplied, Plan: plan})
	failed := errors.New("wechat: menu/addconditional: errcode 65303: there is no selfmenu")
	render.ApplySummary(&out, tr, &reconcile.Result{Status: reconcile.StatusPartial, Plan: plan, Applied: reconcile.ApplyResult{Steps: []reconcile.StepResult{
		{Step: s[0], Outcome: plans.OutcomeDone}, {Step: s[2], Outcome: plans.OutcomeFailed, Err: failed},
	}}})
	want := "  [1/8] menu/create          默认菜单: 完成\n" +
		"  [3/8] menu/addconditional  spring-campaign: 此前已完成（菜单 ID 1007） [响应丢失；已重新读取账号]\n" +
		"应用完成：已应用 8 个步骤；账号与 menus.yaml 一致（已读回验证）。\n" +
		"\napply 执行了：\n" +
		"  1. menu/create 默认菜单: 完成\n" +
		"  2. menu/addconditional spring-campaign: 失败 (wechat: menu/addconditional: errcode 65303: there is no selfmenu)\n"
	if diff := cmp.Diff(want, out.String()); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	noEnglish(t, out.String(), false, append(plansData(t, plan), failed.Error()))
}

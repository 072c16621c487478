package preview

import (
	"html/template"
	"io"
	"slices"

	"github.com/wxmenu/wxmenu/internal/literal"
)

// Page is the HTML preview of one plan, or of a project's plans: a
// banner when a plan is blocked, then each plan's review.
type Page struct {
	// Title heads the page, e.g. "menus.yaml → wx5a9db0e1sandbox".
	Title string
	// Subtitle is an optional line under it (when and from what the plan
	// was made).
	Subtitle string
	// Blocked is the banner at the top of the page; nil when no plan on it
	// is blocked.
	Blocked *Banner
	Reviews []Review
}

// Banner says why a plan cannot be applied, at the top of the page, where
// a reviewer cannot miss it (an ARIA alert).
type Banner struct {
	Heading string
	// Lines are the violations, each with its rail and override flag, and
	// how to allow them.
	Lines []string
}

// Review is what the page shows of one plan: the calls, the phones of
// every audience, the conditional menus after apply, the warnings and how
// to apply it. Every text is the caller's, made safe by the template.
type Review struct {
	// Heading names the account of a project's plan, or the group of
	// accounts sharing it; "" for a plan of one menus file.
	Heading string
	// Summary lines say what the plan changes, or what went wrong.
	Summary []string
	// Calls are the plan's steps in the order apply makes them.
	Calls       []Call
	Comparisons []Comparison
	// Priority lists the conditional menus after apply, in the order
	// WeChat tries them, with their rules.
	Priority []string
	Warnings []string
	// Apply says how to apply the plan, "" when there is nothing to apply.
	Apply string
}

// Call is one step of a plan.
type Call struct {
	// Action is what the step does ("create", "delete (first)"), Endpoint
	// the API it calls ("menu/addconditional").
	Action, Endpoint string
	// Menu names the menu, Rule describes its matchrule (tag names
	// included), Reason says why.
	Menu, Rule, Reason string
}

// The phone follows the proportions of the console's preview
// (platform-review-research.md §5.1): a 50 px bottom bar with a 43 px
// keyboard toggle on the left and the buttons sharing the rest evenly
// (even split UNCONFIRMED for one or two buttons), every sub-menu open
// above its button. It is 390 px wide, a common phone width in CSS pixels
// (the console draws 320), wide enough for the names Shown keeps at 14 px
// on the bar and 13 px in sub-menus: the browser test checks that no label
// overflows its button.

// WriteHTML writes the page.
func WriteHTML(w io.Writer, p Page) error {
	changed, audiences := 0, 0
	for _, r := range p.Reviews {
		for _, c := range r.Comparisons {
			audiences++
			if c.Changed {
				changed++
			}
		}
	}
	return pageTemplate.Execute(w, struct {
		Page
		Changed, Audiences int
	}{p, changed, audiences})
}

// phoneView is one side of a comparison laid out for drawing.
type phoneView struct {
	Side    string // "now" or "after apply"
	Title   string
	NoMenu  bool
	Rows    int // height of the tallest sub-menu on either side
	Buttons []cell
	Cut     []string // the names cut off, as "full → shown"
}

// phone lays out the side of c before apply, or after it, its buttons
// marked against the other side's.
func phone(c Comparison, after bool) phoneView {
	this, other, side := c.Before, c.After, "now"
	if after {
		this, other, side = c.After, c.Before, "after apply"
	}
	v := phoneView{Side: side, Title: this.Title, NoMenu: this.NoMenu, Buttons: layout(this.Buttons, other.Buttons, after, Top)}
	for _, b := range slices.Concat(this.Buttons, other.Buttons) {
		v.Rows = max(v.Rows, len(b.SubButtons))
	}
	for _, cut := range CutOffs(this.Buttons) {
		v.Cut = append(v.Cut, literal.Line(cut.Name+" → "+cut.Shown))
	}
	return v
}

// changesOf lists the buttons of c that differ, with their fields.
func changesOf(c Comparison) []buttonChange { return buttonChanges(c.Before.Buttons, c.After.Buttons) }

// pad is the empty rows above a sub-menu of n buttons in a phone whose
// tallest sub-menu has rows.
func pad(rows, n int) []struct{} { return make([]struct{}, rows-n) }

var pageTemplate = template.Must(template.New("page").Funcs(template.FuncMap{"pad": pad, "phone": phone, "changes": changesOf, "inc": func(i int) int { return i + 1 }}).Parse(`<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Title}}</title>
<style>
:root { --bar: 50px; --row: 44px; --line: #d9d9d9; --ink: #1f1f1f; --muted: #6b6b6b; }
* { box-sizing: border-box; }
body { margin: 0; padding: 24px; background: #f3f3f3; color: var(--ink);
  font: 14px/1.45 -apple-system, "PingFang SC", "Noto Sans CJK SC", "WenQuanYi Micro Hei", "Microsoft YaHei", "Helvetica Neue", Arial, sans-serif; }
header h1 { font-size: 20px; margin: 0 0 4px; }
header p { margin: 0 0 4px; color: var(--muted); }
.legend span { display: inline-block; padding: 0 6px; margin-right: 6px; border-radius: 3px; }
section { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 16px; margin: 16px 0; }
section.unchanged { opacity: .75; }
section h2 { font-size: 16px; margin: 0 0 4px; }
section .status { font-weight: normal; font-size: 13px; color: var(--muted); margin-left: 8px; }
section .note { margin: 2px 0; color: #a15c00; }
.pair { display: flex; align-items: flex-end; gap: 16px; margin-top: 12px; flex-wrap: wrap; }
.arrow { font-size: 28px; color: var(--muted); align-self: center; }
figure { margin: 0; }
figcaption { font-size: 13px; color: var(--muted); margin-bottom: 6px; max-width: 390px; overflow-wrap: anywhere; }
.phone { width: 390px; border: 1px solid #bdbdbd; border-radius: 18px; overflow: hidden; background: #ededed; }
.chat { height: 64px; display: flex; align-items: center; justify-content: center; color: #9a9a9a; font-size: 12px; }
.menus { display: flex; padding-left: 43px; }
.col { flex: 1 1 0; min-width: 0; display: flex; flex-direction: column; padding: 0 2px; }
.sub, .pad { height: var(--row); }
.sub { font-size: 13px; background: #fff; border: 1px solid var(--line); border-bottom: none; display: flex; align-items: center; justify-content: center; padding: 0 2px; }
.col .sub:last-child { border-bottom: 1px solid var(--line); border-radius: 0 0 4px 4px; margin-bottom: 6px; }
.bar { display: flex; height: var(--bar); background: #fafafa; border-top: 1px solid var(--line); }
.kbd { width: 43px; flex: none; display: flex; align-items: center; justify-content: center; color: #7a7a7a; border-right: 1px solid var(--line); font-size: 18px; }
.btn { flex: 1 1 0; min-width: 0; display: flex; align-items: center; justify-content: center; padding: 0 4px; border-left: 1px solid var(--line); }
.btn:first-of-type { border-left: none; }
.label { white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
.btn.parent .label::before { content: "☰ "; color: #9a9a9a; }
.nomenu { flex: 1; display: flex; align-items: center; justify-content: center; color: var(--muted); font-style: italic; }
.changed { background: #fff3c4; outline: 2px solid #e0a800; outline-offset: -2px; }
.added { background: #dcf5dc; outline: 2px solid #2e9a40; outline-offset: -2px; }
.removed { background: #fde2e2; outline: 2px solid #c62828; outline-offset: -2px; }
.removed .label { text-decoration: line-through; }
.cut { font-size: 12px; color: var(--muted); margin-top: 6px; max-width: 390px; }
.blocked { background: #b71c1c; color: #fff; border-radius: 8px; padding: 16px 20px; margin: 0 0 16px; box-shadow: 0 0 0 4px #ffcdd2; }
.blocked h2 { font-size: 20px; margin: 0 0 8px; }
.blocked ul { margin: 0; padding-left: 20px; }
.blocked li { margin: 4px 0; font-size: 15px; }
article { margin: 24px 0; }
article > h2 { font-size: 18px; margin: 0 0 4px; border-bottom: 2px solid var(--ink); }
article > p.summary { margin: 4px 0; }
section h3 { font-size: 15px; margin: 0 0 8px; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; vertical-align: top; border-top: 1px solid var(--line); padding: 4px 8px; overflow-wrap: anywhere; }
th { font-size: 13px; color: var(--muted); font-weight: 600; }
td.n { text-align: right; width: 2em; }
.endpoint, .fvalue { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; font-size: 12px; }
.endpoint { display: block; color: var(--muted); }
table.buttons { margin-top: 12px; }
table.buttons td.mark { width: 6em; }
.field { margin: 1px 0; }
.field .fname { display: inline-block; min-width: 6.5em; color: var(--muted); font-size: 12px; }
.field.differs { background: #fff3c4; }
.none { color: var(--muted); }
table.buttons td.mark { font-size: 13px; }
ol.priority, ul.warnings { margin: 0; padding-left: 24px; }
ul.warnings li { color: #8a4b00; }
</style>
</head>
<body>
{{with .Blocked}}<div class="blocked" role="alert">
<h2>{{.Heading}}</h2>
<ul>{{range .Lines}}<li>{{.}}</li>{{end}}</ul>
</div>
{{end}}<header>
<h1>{{.Title}}</h1>
{{with .Subtitle}}<p>{{.}}</p>{{end}}
<p>{{.Changed}} of {{.Audiences}} audiences see a different menu. Sub-menus are drawn open; names are cut off where the phone cuts them.</p>
<p class="legend"><span class="added">new</span><span class="changed">changed</span><span class="removed">removed</span></p>
</header>
{{range $i, $r := .Reviews}}
<article id="plan-{{inc $i}}">
{{with .Heading}}<h2>{{.}}</h2>{{end}}
{{range .Summary}}<p class="summary">{{.}}</p>{{end}}
{{with .Calls}}<section class="calls">
<h3>Calls, in the order apply makes them</h3>
<table>
<thead><tr><th>#</th><th>action</th><th>menu</th><th>matchrule</th><th>reason</th></tr></thead>
<tbody>
{{range $k, $c := .}}<tr><td class="n">{{inc $k}}</td><td>{{.Action}}<span class="endpoint">{{.Endpoint}}</span></td><td>{{.Menu}}</td><td>{{.Rule}}</td><td>{{.Reason}}</td></tr>
{{end}}</tbody>
</table>
</section>
{{end}}{{range $j, $c := .Comparisons}}
<section id="plan-{{inc $i}}-audience-{{inc $j}}" class="{{if .Changed}}changed-audience{{else}}unchanged{{end}}">
<h2>{{.Audience}}<span class="status">{{if .Changed}}sees a different menu{{else}}no change{{end}}</span></h2>
{{range .Notes}}<p class="note">{{.}}</p>{{end}}
<div class="pair">
{{template "phone" phone . false}}
<div class="arrow">→</div>
{{template "phone" phone . true}}
</div>
{{with changes .}}<table class="buttons">
<thead><tr><th></th><th>button</th><th>now</th><th>after apply</th></tr></thead>
<tbody>
{{range .}}<tr class="button-change"><td class="mark {{.Mark}}">{{.Mark}}</td><td>{{.Path}}</td><td>{{template "fields" .Before}}</td><td>{{template "fields" .After}}</td></tr>
{{end}}</tbody>
</table>
{{end}}</section>
{{end}}{{with .Priority}}<section class="priority">
<h3>Conditional menus after apply, in the order WeChat tries them (the first that matches wins)</h3>
<ol class="priority">{{range .}}<li>{{.}}</li>{{end}}</ol>
</section>
{{end}}{{with .Warnings}}<section class="warnings">
<h3>Warnings</h3>
<ul class="warnings">{{range .}}<li>{{.}}</li>{{end}}</ul>
</section>
{{end}}{{with .Apply}}<section class="apply">
<h3>How to apply</h3>
<p>To apply: {{.}}.</p>
</section>
{{end}}</article>
{{end}}
</body>
</html>
{{define "phone"}}<figure>
<figcaption>{{.Side}}: {{.Title}}</figcaption>
<div class="phone" data-side="{{.Side}}">
<div class="chat">chat</div>
{{if not .NoMenu}}<div class="menus">{{range .Buttons}}<div class="col">{{range pad $.Rows (len .Subs)}}<div class="pad"></div>{{end}}{{range .Subs}}<div class="sub {{.Mark}}" title="{{.Name}}" data-name="{{.Name}}"><span class="label">{{.Shown}}</span></div>{{end}}</div>{{end}}</div>{{end}}
<div class="bar"><div class="kbd">⌨</div>{{if .NoMenu}}<div class="nomenu">no menu</div>{{else}}{{range .Buttons}}<div class="btn {{.Mark}}{{if .Parent}} parent{{end}}" title="{{.Name}}" data-name="{{.Name}}"><span class="label">{{.Shown}}</span></div>{{end}}{{end}}</div>
</div>
{{with .Cut}}<div class="cut">Cut off: {{range $i, $c := .}}{{if $i}}, {{end}}{{$c}}{{end}}</div>{{end}}
</figure>{{end}}
{{define "fields"}}{{range .}}<div class="field{{if .Differs}} differs{{end}}"><span class="fname">{{.Name}}</span> <span class="fvalue">{{.Value}}</span></div>{{else}}<span class="none">—</span>{{end}}{{end}}
`))

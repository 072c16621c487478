package preview

import (
	"html/template"
	"io"
	"slices"

	"github.com/wxmenu/wxmenu/internal/literal"
)

// Page is the HTML preview: a title and the comparisons to draw.
type Page struct {
	// Title heads the page, e.g. "menus.yaml → wx5a9db0e1sandbox".
	Title string
	// Subtitle is an optional line under it (when and from what the plan
	// was made).
	Subtitle    string
	Comparisons []Comparison
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
	changed := 0
	for _, c := range p.Comparisons {
		if c.Changed {
			changed++
		}
	}
	return pageTemplate.Execute(w, struct {
		Page
		Changed int
	}{p, changed})
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

// pad is the empty rows above a sub-menu of n buttons in a phone whose
// tallest sub-menu has rows.
func pad(rows, n int) []struct{} { return make([]struct{}, rows-n) }

var pageTemplate = template.Must(template.New("page").Funcs(template.FuncMap{"pad": pad, "phone": phone, "inc": func(i int) int { return i + 1 }}).Parse(`<!DOCTYPE html>
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
</style>
</head>
<body>
<header>
<h1>{{.Title}}</h1>
{{with .Subtitle}}<p>{{.}}</p>{{end}}
<p>{{.Changed}} of {{len .Comparisons}} audiences see a different menu. Sub-menus are drawn open; names are cut off where the phone cuts them.</p>
<p class="legend"><span class="added">new</span><span class="changed">changed</span><span class="removed">removed</span></p>
</header>
{{range $i, $c := .Comparisons}}
<section id="audience-{{inc $i}}" class="{{if .Changed}}changed-audience{{else}}unchanged{{end}}">
<h2>{{.Audience}}<span class="status">{{if .Changed}}sees a different menu{{else}}no change{{end}}</span></h2>
{{range .Notes}}<p class="note">{{.}}</p>{{end}}
<div class="pair">
{{template "phone" phone . false}}
<div class="arrow">→</div>
{{template "phone" phone . true}}
</div>
</section>
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
`))

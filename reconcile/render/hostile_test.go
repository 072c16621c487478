package render_test

import (
	"bytes"
	"errors"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/wxmenu/wxmenu/internal/cmdline"
	"github.com/wxmenu/wxmenu/reconcile"
	"github.com/wxmenu/wxmenu/reconcile/fleet"
	"github.com/wxmenu/wxmenu/reconcile/plans"
	"github.com/wxmenu/wxmenu/reconcile/render"
	"github.com/wxmenu/wxmenu/wechat"
)

// Text from a file or an account is data wherever it is shown: these
// strings go into every field of a plan, a report, an apply and an error
// (WeChat's errmsg), and no renderer may let them act.
const (
	hostileName   = "@org/team [x](https://evil.example) *b* <img src=x> \u202Eevil #12 www.evil.example"
	hostileEscape = "t\x1b]0;title\x07\u2066x\u2069"
	hostileFence  = "```"
)

// hostilePlan is a blocked plan with changes whose every string is hostile.
func hostilePlan() *plans.Plan {
	evil := []wechat.Button{{Type: "click", Name: hostileName, Key: hostileEscape}, {Type: "click", Name: hostileFence, Key: "K"}}
	rule := &wechat.MatchRule{TagID: "1"}
	conditional := plans.Seen{Kind: plans.KindConditional, Name: hostileName, MenuID: "1", MatchRule: rule, Buttons: evil}
	return &plans.Plan{
		AppID: "wx1" + hostileEscape, DesiredFile: hostileName + ".yaml",
		Steps: []plans.Step{
			{Action: plans.ActionDelConditional, Name: hostileName, MenuID: "1", MatchRule: rule, Before: evil, Reason: hostileName, DeleteFirst: true},
			{Action: plans.ActionAddConditional, Name: hostileFence + hostileEscape, MatchRule: rule, After: evil[1:], Reason: hostileEscape},
		},
		Kept:     []plans.KeptMenu{{Name: hostileName, MenuID: hostileEscape, MatchRule: rule}},
		Warnings: []string{hostileName, hostileEscape, hostileFence + " " + hostileName},
		Quota:    map[string]int{"menu/addconditional": 1, "menu/delconditional": 1},
		Blocked:  []plans.Violation{{Rail: "many-deletes", Message: hostileName + hostileEscape, Override: "allow-many-deletes" + hostileEscape}},
		Priority: []plans.PriorityMenu{{Name: hostileName, MatchRule: rule}},
		Audiences: []plans.AudienceRow{{Label: hostileName + hostileEscape, Before: conditional, After: plans.Seen{Kind: plans.KindConditional, Name: hostileFence, Buttons: evil[1:]},
			Changed: true, Lost: true, Transient: []plans.TransientMenu{{Steps: []int{1}, Seen: plans.Seen{Kind: plans.KindConditional, Name: hostileEscape + hostileName}}}}},
		TagNames:   map[string]string{"1": hostileName + hostileEscape},
		Provenance: &plans.Provenance{System: "github", Commit: hostileEscape, Repository: hostileName, RunURL: "https://evil.example/" + hostileEscape},
		Snapshot:   &plans.SnapshotSource{File: hostileName + hostileEscape + hostileFence, Digest: hostileEscape},
	}
}

// hostileError is WeChat refusing a call with a hostile errmsg.
var hostileError = &wechat.APIError{Endpoint: "menu/addconditional", Code: 40001, Message: hostileName + hostileEscape}

func hostileReport(project, applying bool) *fleet.Report {
	p := hostilePlan()
	applied := reconcile.ApplyResult{Steps: []reconcile.StepResult{
		{Step: p.Steps[0], Outcome: plans.OutcomeDone},
		{Step: p.Steps[1], Outcome: plans.OutcomeFailed, MenuID: hostileEscape, Err: hostileError},
	}}
	rep := &fleet.Report{Applying: applying, Outcomes: []fleet.Outcome{
		{Name: hostileName, AppID: p.AppID, File: hostileName, Result: &reconcile.Result{Status: reconcile.StatusPartial, Plan: p, Applied: applied, Err: hostileError}},
	}}
	if !applying {
		rep.Outcomes[0].Result = &reconcile.Result{Status: reconcile.StatusBlocked, Plan: p, Err: errors.New("blocked: " + hostileName + hostileEscape)}
	}
	if project {
		rep.Outcomes = append(rep.Outcomes,
			fleet.Outcome{Name: hostileFence + hostileEscape, AppID: "wx2", Result: &reconcile.Result{Status: reconcile.StatusNoChanges, Plan: &plans.Plan{AppID: "wx2"}}},
			fleet.Outcome{Name: "failed" + hostileEscape, AppID: hostileName, Result: reconcile.Failed(nil, &reconcile.ReadError{Err: hostileError})})
	}
	return rep
}

// hostileGroupReport is a project whose accounts with hostile names share
// one hostile plan (not blocked), so they are shown as a group.
func hostileGroupReport() *fleet.Report {
	rep := &fleet.Report{}
	for _, name := range []string{hostileName + "1", hostileName + "2", hostileName + "3", hostileEscape, hostileFence} {
		p := hostilePlan()
		p.Blocked = nil
		rep.Outcomes = append(rep.Outcomes, fleet.Outcome{Name: name, AppID: p.AppID, Result: &reconcile.Result{Status: reconcile.StatusChanges, Plan: p}})
	}
	return rep
}

func TestHostileTextStaysData(t *testing.T) {
	report := func(format string, opts render.Options, project, applying bool) func(w *bytes.Buffer) {
		return func(w *bytes.Buffer) {
			if project {
				opts.Project = "wxmenu.yaml"
			}
			render.Report(w, w, hostileReport(project, applying), format, opts, "")
		}
	}
	step := hostilePlan().Steps[1]
	failed := &reconcile.StepResult{Step: step, Outcome: plans.OutcomeFailed, MenuID: hostileEscape, Err: hostileError}
	renderers := []struct {
		name, medium string
		render       func(w *bytes.Buffer)
	}{
		{"text", "terminal", func(w *bytes.Buffer) { render.Text(w, hostilePlan(), render.Options{}) }},
		{"text colour", "terminal", func(w *bytes.Buffer) { render.Text(w, hostilePlan(), render.Options{Color: true}) }},
		{"markdown", "markdown", func(w *bytes.Buffer) { render.Markdown(w, hostilePlan(), render.Options{}) }},
		{"html", "html", func(w *bytes.Buffer) { render.HTML(w, hostilePlan(), render.Options{}) }},
		{"show text", "terminal", report("text", render.Options{SavedAs: "plan.json"}, false, false)},
		{"show markdown", "markdown", report("markdown", render.Options{SavedAs: "plan.json"}, false, false)},
		{"show html", "html", report("html", render.Options{SavedAs: "plan.json"}, false, false)},
		{"project text", "terminal", report("text", render.Options{}, true, false)},
		{"project markdown", "markdown", report("markdown", render.Options{}, true, false)},
		{"project html", "html", report("html", render.Options{}, true, false)},
		{"project apply text", "terminal", report("text", render.Options{}, true, true)},
		{"group text", "terminal", func(w *bytes.Buffer) { render.FleetText(w, hostileGroupReport(), render.Options{}) }},
		{"group markdown", "markdown", func(w *bytes.Buffer) {
			w.WriteString(strings.Join(render.FleetMarkdown(hostileGroupReport(), render.Options{}), ""))
		}},
		{"group html", "html", func(w *bytes.Buffer) { render.FleetHTML(w, hostileGroupReport(), render.Options{}) }},
		{"group json", "json", func(w *bytes.Buffer) { render.FleetJSON(w, hostileGroupReport(), render.Options{}) }},
		{"apply summary", "terminal", report("text", render.Options{}, false, true)},
		{"apply progress", "terminal", func(w *bytes.Buffer) {
			render.Progress(w, reconcile.ProgressEvent{Index: 1, Total: 2, Step: step, Result: failed}, false)
			render.Progress(w, reconcile.ProgressEvent{Index: 1, Total: 2, Step: step, Result: failed}, true)
		}},
		{"apply steps", "terminal", func(w *bytes.Buffer) { render.ApplySteps(w, hostileReport(false, true).Outcomes[0].Result.Applied) }},
		{"trymatch", "terminal", func(w *bytes.Buffer) {
			render.FleetTryMatch(w, w, hostileName, []fleet.Matched{{Name: hostileName, Buttons: hostilePlan().Steps[0].Before}, {Name: hostileEscape, Err: hostileError}})
		}},
		{"validate", "terminal", func(w *bytes.Buffer) {
			render.FleetValidate(w, w, []fleet.Check{{Name: hostileName, Err: hostileError}, {Name: hostileEscape, Err: hostileError}})
		}},
		{"export", "terminal", func(w *bytes.Buffer) {
			render.FleetExport(w, w, []fleet.Exported{{Name: hostileName, Err: hostileError}, {Name: hostileEscape, File: hostileName, Export: &reconcile.Export{What: hostileName, Warnings: []string{hostileEscape}}}})
		}},
		{"error", "terminal", func(w *bytes.Buffer) {
			cmdline.Report(w, &reconcile.ReadError{Err: hostileError}, nil, func(s string) string { return s })
		}},
	}
	for _, r := range renderers {
		t.Run(r.name, func(t *testing.T) {
			var buf bytes.Buffer
			r.render(&buf)
			out := buf.String()
			if strings.HasPrefix(r.name, "group ") && !strings.Contains(out, "5 accounts: the same 2 steps") {
				t.Errorf("the accounts are not grouped:\n%s", out)
			}
			if !strings.Contains(out, "evil") && !strings.Contains(out, "title") {
				t.Fatalf("the hostile text is not shown at all:\n%s", out)
			}
			for _, live := range liveIn(r.medium, out) {
				t.Errorf("%s", live)
			}
		})
	}
}

// sgr is a colour code of our own.
var sgr = regexp.MustCompile(`\x1b\[[0-9;]*m`)

// liveIn lists what in out would act instead of being shown, for medium.
func liveIn(medium, out string) []string {
	var live []string
	check := func(where, text string, bad ...string) {
		for _, b := range bad {
			if strings.Contains(text, b) {
				live = append(live, where+" keeps "+strconv.Quote(b)+": "+strconv.Quote(text))
			}
		}
	}
	bidi := []string{"\u202E", "\u2066", "\u2069"}
	switch medium {
	case "terminal":
		out = sgr.ReplaceAllString(out, "")
		check("terminal output", out, append(bidi, "\x1b", "\x07")...)
	case "html":
		check("HTML", out, append(bidi, "\x1b", "\x07", "<img")...)
	case "markdown":
		// Outside code blocks nothing may link, mention, format or open
		// HTML; inside them nothing may close the block or reorder text.
		fence := ""
		for _, line := range strings.Split(out, "\n") {
			switch {
			case fence == "" && strings.HasPrefix(line, "```"):
				fence = strings.TrimRight(line, "abcdefghijklmnopqrstuvwxyz")
				continue
			case fence != "" && line == fence:
				fence = ""
				continue
			case fence != "":
				check("a code block", line, append(bidi, "\x1b", "\x07")...)
				continue
			}
			check("a code span or comment", line, append(bidi, "\x1b", "\x07")...)
			check("Markdown", inline(line), append(bidi, "\x1b", "\x07", "@org", "#12", "[x](", "](http", "*b*", "<img", "https://", "www.evil", "```")...)
		}
		if fence != "" {
			live = append(live, "a code block is left open")
		}
	}
	return live
}

// inline is a line of Markdown without its HTML comments and code spans,
// whose text is never rendered as Markdown: what is left is rendered.
func inline(line string) string {
	for {
		start := strings.Index(line, "<!--")
		end := strings.Index(line, "-->")
		if start < 0 || end < start {
			break
		}
		line = line[:start] + line[end+3:]
	}
	var out strings.Builder
	for line != "" {
		i := strings.IndexByte(line, '`')
		if i < 0 {
			out.WriteString(line)
			break
		}
		out.WriteString(line[:i])
		n := len(line[i:]) - len(strings.TrimLeft(line[i:], "`"))
		ticks, rest := line[i:i+n], line[i+n:]
		// The span ends at the next run of exactly as many backticks.
		j := 0
		for ; j < len(rest); j++ {
			k := j + len(ticks)
			if strings.HasPrefix(rest[j:], ticks) && (k == len(rest) || rest[k] != '`') && (j == 0 || rest[j-1] != '`') {
				break
			}
		}
		if j >= len(rest) {
			out.WriteString(ticks) // no closing run: the backticks are literal
			line = rest
			continue
		}
		line = rest[j+len(ticks):]
	}
	return out.String()
}

package render_test

import (
	"bytes"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wxmenu/wxmenu/reconcile"
	"github.com/wxmenu/wxmenu/reconcile/fleet"
	"github.com/wxmenu/wxmenu/reconcile/internal/golden"
	"github.com/wxmenu/wxmenu/reconcile/internal/plantest"
	"github.com/wxmenu/wxmenu/reconcile/plans"
	"github.com/wxmenu/wxmenu/reconcile/project"
	"github.com/wxmenu/wxmenu/reconcile/render"
	"github.com/wxmenu/wxmenu/wechat"
)

// wavesReports are a project's reports with a rollout (waves canary,
// everyone, rest) and modes, as fleet.Plan and fleet.Apply make them: the
// plan (a group of a wave, an observed account, a paused one), the apply
// a failure in wave everyone stopped, and the apply --wave canary that
// stopped after its wave.
func wavesReports(t *testing.T) map[string]*fleet.Report {
	ps := plantest.Plans(t)
	waves := []string{"canary", "everyone", "rest"}
	account := func(i int, wave string, mode project.Mode, r *reconcile.Result) fleet.Outcome {
		return fleet.Outcome{Name: fmt.Sprintf("store-%04d", i), AppID: fmt.Sprintf("wx%016d", i), File: "menus.yaml", Wave: wave, Mode: mode, Result: r}
	}
	changes := func(i int) *reconcile.Result {
		return &reconcile.Result{Status: reconcile.StatusChanges, Plan: plantest.AccountPlan(t, fmt.Sprintf("wx%016d", i), 100*i, nil, plantest.RichSafety)}
	}
	applied := func(i int) *reconcile.Result {
		r := changes(i)
		r.Status = reconcile.StatusApplied
		return r
	}
	none := &reconcile.Result{Status: reconcile.StatusNoChanges, Plan: ps["empty"]}
	paused := &reconcile.Result{Status: reconcile.StatusPaused}
	observed := "not applied: the account is observed (mode: observe): planned and drift-checked, never applied"

	plan := &fleet.Report{Waves: waves, Outcomes: []fleet.Outcome{
		account(1, "canary", project.ModeEnforce, changes(1)),
		account(2, "everyone", project.ModeEnforce, changes(2)),
		account(3, "everyone", project.ModeEnforce, changes(3)),
		account(4, "everyone", project.ModeEnforce, changes(4)),
		account(5, "everyone", project.ModeObserve, changes(5)),
		account(6, "rest", project.ModeEnforce, none),
		account(7, "rest", project.ModePaused, paused),
	}}

	failed := reconcile.Failed(changes(3).Plan, &wechat.APIError{Endpoint: "menu/addconditional", Code: 65303, Message: "there is no selfmenu"})
	stopped := &fleet.Report{Applying: true, Waves: waves, Stopped: "everyone", Outcomes: []fleet.Outcome{
		account(1, "canary", project.ModeEnforce, applied(1)),
		account(2, "everyone", project.ModeEnforce, &reconcile.Result{Status: reconcile.StatusNoChanges, Plan: ps["empty"]}),
		account(3, "everyone", project.ModeEnforce, failed),
		account(5, "everyone", project.ModeObserve, changes(5)),
		account(6, "rest", project.ModeEnforce, changes(6)),
		account(7, "rest", project.ModePaused, paused),
	}}
	stopped.Outcomes[1].AlreadyApplied = true
	stopped.Outcomes[3].Held = observed
	stopped.Outcomes[4].Held, stopped.Outcomes[4].NotStarted = "not started: wave everyone stopped the rollout (store-0003 did not apply)", true

	canary := &fleet.Report{Applying: true, Waves: waves, Outcomes: []fleet.Outcome{
		account(1, "canary", project.ModeEnforce, applied(1)),
		account(2, "everyone", project.ModeEnforce, changes(2)),
		account(3, "everyone", project.ModeEnforce, changes(3)),
		account(6, "rest", project.ModeEnforce, none),
	}}
	for i := 1; i < 3; i++ {
		canary.Outcomes[i].Held, canary.Outcomes[i].NotStarted = "not started: apply --wave canary stops after wave canary", true
	}
	return map[string]*fleet.Report{"waves-plan": plan, "waves-apply": stopped, "waves-canary": canary}
}

// TestWavesGolden: a project's rollout and modes in every review format,
// in English and in zh-CN (no English words left but data and codes).
func TestWavesGolden(t *testing.T) {
	dir := filepath.Join("..", "..", "testdata", "fleet")
	for name, rep := range wavesReports(t) {
		var data []string
		for _, o := range rep.Outcomes {
			data = append(data, o.Name, o.AppID, o.File, o.Wave)
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
		for _, lang := range []string{"", ".zh-CN"} {
			opts := render.Options{Project: "wxmenu.yaml"}
			if lang != "" {
				opts = zh
				opts.Project = "wxmenu.yaml"
			}
			t.Run(name+lang, func(t *testing.T) {
				var text, page bytes.Buffer
				if err := render.FleetText(&text, rep, opts); err != nil {
					t.Fatal(err)
				}
				parts := render.FleetMarkdown(rep, opts)
				if err := render.FleetHTML(&page, rep, opts); err != nil {
					t.Fatal(err)
				}
				for _, c := range []struct {
					ext  string
					got  []byte
					html bool
				}{{".txt", text.Bytes(), false}, {".md", []byte(strings.Join(parts, "")), false}, {".html", page.Bytes(), true}} {
					golden.Check(t, filepath.Join(dir, name+lang+c.ext), c.got)
					if lang != "" {
						noEnglish(t, string(c.got), c.html, data)
					}
				}
			})
		}
		if name == "waves-apply" {
			var js bytes.Buffer
			if err := render.FleetJSON(&js, rep, zh); err != nil {
				t.Fatal(err)
			}
			golden.Check(t, filepath.Join(dir, name+".json"), js.Bytes())
		}
	}
}

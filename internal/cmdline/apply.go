package cmdline

import (
	"context"
	"fmt"
	"io"

	"github.com/wxmenu/wxmenu/reconcile"
	"github.com/wxmenu/wxmenu/reconcile/plans"
	"github.com/wxmenu/wxmenu/reconcile/render"
)

// ApplyView is how apply on one account shows itself. As text (for
// people) it prints the plan, a line before the first step, each step's
// outcome and the summary; with JSON, nothing but the one result
// document. Unless AutoApprove (--auto-approve), a plan made by the run
// is applied only once Stdin answers yes.
type ApplyView struct {
	Stdin  io.Reader
	Stdout io.Writer
	// JSON is --format json (see ApplyFormat); Color colours the text.
	JSON, Color bool
	AutoApprove bool
}

// Hooks sets what opts shows of a run on account appID (Show and
// Apply.Progress, text only) and whether it asks first (Confirm, unless
// AutoApprove); the question ends when ctx does.
func (v ApplyView) Hooks(ctx context.Context, opts *reconcile.RunOptions, appID string) {
	if !v.JSON {
		opts.Show = func(p *plans.Plan) error {
			return render.Text(v.Stdout, p, render.Options{Color: v.Color, Applying: true})
		}
		opts.Apply.Progress = func(ev reconcile.ProgressEvent) {
			if ev.Index == 0 && ev.Result == nil { // printed only once the plan passed its checks
				fmt.Fprintf(v.Stdout, "\nApplying %d steps to %s\n", ev.Total, accountName(appID))
			}
			render.Progress(v.Stdout, ev, v.Color)
		}
	}
	if !v.AutoApprove {
		opts.Confirm = func(*plans.Plan) bool {
			return AskYes(ctx, v.Stdin, v.Stdout, "\nApply these changes to "+accountName(appID)+"?")
		}
	}
}

// Ran prints the summary of a run that reached the account (text only).
func (v ApplyView) Ran(r *reconcile.Result) {
	if !v.JSON {
		render.ApplySummary(v.Stdout, r)
	}
}

// Done prints the result document (JSON only: one for every run, bad
// input included) and returns the run's exit (ExitFor).
func (v ApplyView) Done(r *reconcile.Result) error {
	if v.JSON {
		if err := render.ApplyJSON(v.Stdout, r); err != nil {
			return err
		}
	}
	return ExitFor(r)
}

// accountName is how apply names the account appID in its output.
func accountName(appID string) string {
	if appID == "" {
		return "the account"
	}
	return "account " + appID
}

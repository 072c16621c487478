package fleet

import (
	"cmp"

	"github.com/wxmenu/wxmenu/reconcile"
	"github.com/wxmenu/wxmenu/reconcile/audit"
)

// Drift judges a plan run's report (Plan with read-only clients) against
// history, the audit log's applies (nil without a log): one Drift per
// account, in the report's order.
func (r *Report) Drift(history audit.History) []*reconcile.Drift {
	drifts := make([]*reconcile.Drift, len(r.Outcomes))
	for i, o := range r.Outcomes {
		appid := o.AppID
		if o.Result.Plan != nil {
			appid = cmp.Or(o.Result.Plan.AppID, appid)
		}
		drifts[i] = reconcile.DriftOf(o.Result, history.Last(appid))
	}
	return drifts
}

package reconcile

import (
	"errors"
	"fmt"
	"slices"

	"github.com/wxmenu/wxmenu/reconcile/plans"
	"github.com/wxmenu/wxmenu/wechat"
)

// WeChatHint is what the operator should do about the WeChat error in err's
// chain (wechat.APIError.Hint: account kind, verification, ip whitelist,
// quota, credentials, platform authorization), or "" when no such error is
// there or its errcode needs no hint. The request id is part of the error's
// own text, so it is printed with the message. Result.Problem uses it; so
// does any command that reports a WeChat error outside a Session.
func WeChatHint(err error) string {
	var apiErr *wechat.APIError
	if errors.As(err, &apiErr) {
		return apiErr.Hint()
	}
	return ""
}

// notConvergedHint explains a read-back that lacks conditional menus the
// plan kept after a menu/create, or returns "". WeChat does not document
// whether menu/create keeps the conditional menus (reference §1.1,
// UNCONFIRMED). If it drops them, the menus this apply created survive (the
// default menu is created first) and only the kept ones are gone; the plan
// made from the read-back recreates them, and the creates that must rank
// above them, without a menu/create, so applying it converges.
func notConvergedHint(r *Result) string {
	var nc *NotConvergedError
	if r.Plan == nil || !errors.As(r.Err, &nc) || nc.Remaining == nil {
		return ""
	}
	if !slices.ContainsFunc(r.Plan.Steps, func(s plans.Step) bool { return s.Action == plans.ActionCreateDefault }) {
		return ""
	}
	// Every live menu of the read-back is kept or deleted by the new plan.
	seen := map[string]bool{}
	for _, k := range nc.Remaining.Kept {
		seen[k.MenuID] = true
	}
	for _, s := range nc.Remaining.Steps {
		if s.Action == plans.ActionDelConditional {
			seen[s.MenuID] = true
		}
	}
	missing := 0
	for _, k := range r.Plan.Kept {
		if !seen[k.MenuID] {
			missing++
		}
	}
	if missing == 0 {
		return ""
	}
	return fmt.Sprintf("%d of the conditional menus apply kept are gone after menu/create, which WeChat may have removed; "+
		"run plan and apply again, which recreates them without a menu/create", missing)
}

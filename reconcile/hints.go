package reconcile

import (
	"errors"
	"slices"

	"github.com/wxmenu/wxmenu/reconcile/plans"
	"github.com/wxmenu/wxmenu/wechat"
)

// wechatHint is what the operator should do about the WeChat error in err's
// chain (wechat.APIError.Hint: account kind, verification, ip whitelist,
// quota, credentials, platform authorization), or "" when no such error is
// there or its errcode needs no hint. The request id is part of the error's
// own text, so it is printed with the message.
func wechatHint(err error) string {
	var apiErr *wechat.APIError
	if errors.As(err, &apiErr) {
		return apiErr.Hint()
	}
	return ""
}

// notConvergedHint explains a read-back that lacks conditional menus after
// a menu/create, or returns "". WeChat does not document whether menu/create
// keeps the conditional menus (reference §1.1, UNCONFIRMED); if it drops
// them, the plan made from the read-back only adds menus, and applying it
// converges because it has no menu/create.
func notConvergedHint(r *Result) string {
	var nc *NotConvergedError
	if r.Plan == nil || !errors.As(r.Err, &nc) || nc.Remaining == nil || !nc.Remaining.HasChanges() {
		return ""
	}
	created := slices.ContainsFunc(r.Plan.Steps, func(s plans.Step) bool { return s.Action == plans.ActionCreateDefault })
	onlyAdds := !slices.ContainsFunc(nc.Remaining.Steps, func(s plans.Step) bool { return s.Action != plans.ActionAddConditional })
	if !created || !onlyAdds {
		return ""
	}
	return "conditional menus are missing after menu/create: WeChat's menu/create may have removed them; run plan and apply again, which recreates them without a menu/create"
}

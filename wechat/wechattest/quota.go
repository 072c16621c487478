package wechattest

import (
	"time"

	"github.com/wxmenu/wxmenu/wechat"
)

// shanghai is WeChat's time zone; daily quotas reset at its midnight. China
// has no daylight saving time, so a fixed zone is exact and needs no tzdata.
var shanghai = time.FixedZone("CST", 8*60*60)

// spendQuotaLocked counts one call of endpoint against today's limit, or
// answers 45009 without counting once the limit is reached (reference §4).
// It runs only for calls that passed authentication.
func (a *acct) spendQuotaLocked(endpoint string) *apiError {
	if day := a.emu.now().In(shanghai).Format(time.DateOnly); day != a.QuotaDay {
		a.QuotaDay = day
		clear(a.QuotaUsed)
	}
	limit, limited := a.quotas[endpoint]
	if limited && a.QuotaUsed[endpoint] >= limit {
		return errAnswer(wechat.CodeDailyQuota)
	}
	a.QuotaUsed[endpoint]++
	return nil
}

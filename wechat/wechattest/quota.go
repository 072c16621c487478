package wechattest

import "time"

// shanghai is WeChat's time zone; daily quotas reset at its midnight. China
// has no daylight saving time, so a fixed zone is exact and needs no tzdata.
var shanghai = time.FixedZone("CST", 8*60*60)

// spendQuotaLocked counts one call of endpoint against today's limit, or
// answers 45009 without counting once the limit is reached (reference §4).
// It runs only for calls that passed authentication.
func (e *Emulator) spendQuotaLocked(endpoint string) *apiError {
	if day := e.now().In(shanghai).Format(time.DateOnly); day != e.quotaDay {
		e.quotaDay = day
		clear(e.quotaUsed)
	}
	limit, limited := e.quotas[endpoint]
	if limited && e.quotaUsed[endpoint] >= limit {
		return errDailyQuota
	}
	e.quotaUsed[endpoint]++
	return nil
}

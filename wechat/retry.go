package wechat

import (
	"context"
	"math/rand/v2"
	"time"
)

// retryPolicy is bounded exponential backoff with jitter, within a budget
// of time for all the attempts of a call (0: no budget; see Client.do).
type retryPolicy struct {
	attempts  int
	base, max time.Duration
	budget    time.Duration
}

// delay returns the wait before retry n (1 for the first retry): base·2^(n-1)
// capped at max, of which the upper half is random so that clients that
// failed together do not retry together.
func (p retryPolicy) delay(n int) time.Duration {
	d := p.max
	if n >= 1 && n < 32 {
		if step := p.base << (n - 1); step > 0 && step < p.max {
			d = step
		}
	}
	if p.base == 0 {
		d = 0
	}
	half := d / 2
	return half + rand.N(d-half+1)
}

// sleep waits d or until ctx is done.
func sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-time.After(d):
		return nil
	}
}

package wechat

import (
	"testing"
	"time"
)

// TestBackoffBounds: retry n waits between half and all of base·2^(n-1),
// capped at max.
func TestBackoffBounds(t *testing.T) {
	p := retryPolicy{attempts: 10, base: 200 * time.Millisecond, max: 3 * time.Second}
	for n, ceiling := range map[int]time.Duration{
		1: 200 * time.Millisecond, 2: 400 * time.Millisecond, 3: 800 * time.Millisecond,
		4: 1600 * time.Millisecond, 5: 3 * time.Second, 40: 3 * time.Second,
	} {
		for range 200 {
			if d := p.delay(n); d < ceiling/2 || d > ceiling {
				t.Fatalf("delay(%d) = %v, want within [%v, %v]", n, d, ceiling/2, ceiling)
			}
		}
	}
	if d := (retryPolicy{attempts: 3}).delay(2); d != 0 {
		t.Errorf("zero base delay gave %v", d)
	}
}

func TestTokenKeep(t *testing.T) {
	tests := []struct {
		margin, lifetime, want time.Duration
	}{
		{5 * time.Minute, 7200 * time.Second, 7200*time.Second - 5*time.Minute},
		{5 * time.Minute, 300 * time.Second, 150 * time.Second}, // stable_token near rotation
		{0, 7200 * time.Second, 7200 * time.Second},
		{time.Hour, 3600 * time.Second, 1800 * time.Second},
	}
	for _, tt := range tests {
		if got := keepFor(tt.lifetime, tt.margin); got != tt.want {
			t.Errorf("keepFor(%v, margin %v) = %v, want %v", tt.lifetime, tt.margin, got, tt.want)
		}
	}
}

package ratelimit

import (
	"maps"
	"sync"
	"testing"
	"time"
)

// fakeClock is a settable clock for Now fields.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func newFakeClock() *fakeClock {
	return &fakeClock{t: time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)}
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

func TestLimitValidate(t *testing.T) {
	tests := []struct {
		name    string
		limit   Limit
		wantErr bool
	}{
		{name: "per second", limit: Limit{Rate: 10, Period: time.Second}},
		{name: "one per hour", limit: Limit{Rate: 1, Period: time.Hour}},
		{name: "one per nanosecond", limit: Limit{Rate: 1000, Period: 1000}},
		{name: "zero", limit: Limit{}, wantErr: true},
		{name: "zero rate", limit: Limit{Rate: 0, Period: time.Second}, wantErr: true},
		{name: "negative rate", limit: Limit{Rate: -1, Period: time.Second}, wantErr: true},
		{name: "zero period", limit: Limit{Rate: 1}, wantErr: true},
		{name: "negative period", limit: Limit{Rate: 1, Period: -time.Second}, wantErr: true},
		{name: "finer than a nanosecond", limit: Limit{Rate: 1001, Period: 1000}, wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.limit.Validate()
			if gotErr := err != nil; gotErr != tt.wantErr {
				t.Errorf("Validate() = %v, want error %v", err, tt.wantErr)
			}
		})
	}
}

func TestResultHeaders(t *testing.T) {
	limit := Limit{Rate: 10, Period: time.Minute}
	tests := []struct {
		name   string
		result Result
		want   map[string]string
	}{
		{
			name:   "allowed",
			result: Result{Allowed: true, Limit: limit, Remaining: 7, ResetAfter: 18 * time.Second},
			want: map[string]string{
				"RateLimit-Limit":     "10",
				"RateLimit-Remaining": "7",
				"RateLimit-Reset":     "18",
			},
		},
		{
			name:   "reset rounds up",
			result: Result{Allowed: true, Limit: limit, Remaining: 9, ResetAfter: 6*time.Second + time.Millisecond},
			want: map[string]string{
				"RateLimit-Limit":     "10",
				"RateLimit-Remaining": "9",
				"RateLimit-Reset":     "7",
			},
		},
		{
			name:   "fully free",
			result: Result{Allowed: true, Limit: limit, Remaining: 10},
			want: map[string]string{
				"RateLimit-Limit":     "10",
				"RateLimit-Remaining": "10",
				"RateLimit-Reset":     "0",
			},
		},
		{
			name:   "refused",
			result: Result{Limit: limit, RetryAfter: 5500 * time.Millisecond, ResetAfter: 59500 * time.Millisecond},
			want: map[string]string{
				"RateLimit-Limit":     "10",
				"RateLimit-Remaining": "0",
				"RateLimit-Reset":     "60",
				"Retry-After":         "6",
			},
		},
		{
			name:   "refused retry at least one second",
			result: Result{Limit: limit, RetryAfter: time.Millisecond, ResetAfter: 500 * time.Millisecond},
			want: map[string]string{
				"RateLimit-Limit":     "10",
				"RateLimit-Remaining": "0",
				"RateLimit-Reset":     "1",
				"Retry-After":         "1",
			},
		},
		{
			name:   "refused exact seconds",
			result: Result{Limit: limit, RetryAfter: 2 * time.Second, ResetAfter: 3 * time.Second},
			want: map[string]string{
				"RateLimit-Limit":     "10",
				"RateLimit-Remaining": "0",
				"RateLimit-Reset":     "3",
				"Retry-After":         "2",
			},
		},
		{
			name:   "negative remaining clamps",
			result: Result{Limit: limit, Remaining: -3, RetryAfter: time.Second},
			want: map[string]string{
				"RateLimit-Limit":     "10",
				"RateLimit-Remaining": "0",
				"RateLimit-Reset":     "0",
				"Retry-After":         "1",
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.result.Headers(); !maps.Equal(got, tt.want) {
				t.Errorf("Headers() = %v, want %v", got, tt.want)
			}
		})
	}
}

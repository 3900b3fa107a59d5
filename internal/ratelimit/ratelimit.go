// Package ratelimit counts events per key against a rolling-window limit.
//
// Every Limiter implements the generic cell rate algorithm (GCRA) with a
// burst equal to the rate: a fresh key may spend its whole Limit.Rate at
// once, after which one more event is allowed every Period/Rate. Memory keeps
// the state in process, Redis shares it between replicas through
// github.com/go-redis/redis_rate, and Fallback answers from Memory while
// Redis is unreachable.
package ratelimit

import (
	"context"
	"fmt"
	"strconv"
	"time"
)

// Limit is Rate events per Period, a rolling window: a key that has been
// idle for Period may spend all Rate events at once, and after that it
// regains one event every Period/Rate. The zero Limit is invalid.
type Limit struct {
	Rate   int
	Period time.Duration
}

// Validate reports whether l can be enforced: Rate and Period must be
// positive, and Period/Rate must be at least a nanosecond.
func (l Limit) Validate() error {
	if l.Rate <= 0 {
		return fmt.Errorf("ratelimit: rate must be positive, got %d", l.Rate)
	}
	if l.Period <= 0 {
		return fmt.Errorf("ratelimit: period must be positive, got %s", l.Period)
	}
	if l.Period < time.Duration(l.Rate) {
		return fmt.Errorf("ratelimit: %d events per %s is finer than one event per nanosecond", l.Rate, l.Period)
	}
	return nil
}

// String returns l as "N/period", for logs.
func (l Limit) String() string {
	return fmt.Sprintf("%d/%s", l.Rate, l.Period)
}

// interval is the time it takes to regain one event (the GCRA emission
// interval).
func (l Limit) interval() time.Duration {
	return l.Period / time.Duration(l.Rate)
}

// Result is the outcome of one Allow call.
type Result struct {
	// Allowed reports whether the event may happen. A refused event is not
	// counted.
	Allowed bool
	// Limit is the limit the event was checked against.
	Limit Limit
	// Remaining is how many more events the key could spend right now.
	Remaining int
	// RetryAfter is how long until the next event would be allowed; it is 0
	// when Allowed is true.
	RetryAfter time.Duration
	// ResetAfter is how long until the key is fully free again, that is
	// until Remaining would equal Limit.Rate.
	ResetAfter time.Duration
}

// Headers returns the IETF draft RateLimit response headers for r:
// RateLimit-Limit, RateLimit-Remaining and RateLimit-Reset (seconds until
// reset, rounded up), plus Retry-After (seconds, rounded up, at least 1)
// when r was refused.
func (r Result) Headers() map[string]string {
	h := map[string]string{
		"RateLimit-Limit":     strconv.Itoa(r.Limit.Rate),
		"RateLimit-Remaining": strconv.Itoa(max(r.Remaining, 0)),
		"RateLimit-Reset":     strconv.FormatInt(ceilSeconds(r.ResetAfter), 10),
	}
	if !r.Allowed {
		h["Retry-After"] = strconv.FormatInt(max(ceilSeconds(r.RetryAfter), 1), 10)
	}
	return h
}

// ceilSeconds rounds d up to whole seconds; negative durations count as 0.
func ceilSeconds(d time.Duration) int64 {
	if d <= 0 {
		return 0
	}
	return int64((d + time.Second - 1) / time.Second)
}

// Limiter counts events per key.
type Limiter interface {
	// Allow records one event for key if limit permits it and reports the
	// outcome. An error means the limiter could not decide (for example its
	// store is unreachable or limit is invalid), not that the event was
	// refused.
	Allow(ctx context.Context, key string, limit Limit) (Result, error)
	// Reset forgets every event recorded for key.
	Reset(ctx context.Context, key string) error
}

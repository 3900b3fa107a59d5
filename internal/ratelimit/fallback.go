package ratelimit

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"
)

var _ Limiter = (*Fallback)(nil)

// DefaultRetryEvery is how often a degraded Fallback retries its primary
// when FallbackConfig.RetryEvery is zero.
const DefaultRetryEvery = 5 * time.Second

// FallbackConfig configures a Fallback limiter.
type FallbackConfig struct {
	// Primary answers while it works, typically a *Redis; required.
	Primary Limiter
	// Secondary answers while Primary fails, typically a *Memory;
	// required. It should not fail itself: its errors reach the caller.
	Secondary Limiter
	// Logger receives one warning when Primary starts failing and one info
	// line when it recovers; nil means slog.Default().
	Logger *slog.Logger
	// RetryEvery is the least time between two attempts to use a failing
	// Primary; zero means DefaultRetryEvery.
	RetryEvery time.Duration
	// Now returns the current time; nil means time.Now.
	Now func() time.Time
}

// Validate reports whether c is usable.
func (c FallbackConfig) Validate() error {
	var errs []error
	if c.Primary == nil {
		errs = append(errs, errors.New("ratelimit: fallback primary is required"))
	}
	if c.Secondary == nil {
		errs = append(errs, errors.New("ratelimit: fallback secondary is required"))
	}
	if c.RetryEvery < 0 {
		errs = append(errs, fmt.Errorf("ratelimit: fallback retry interval must not be negative, got %s", c.RetryEvery))
	}
	return errors.Join(errs...)
}

// Fallback is a Limiter that uses Primary and, while Primary fails, answers
// from Secondary instead, so that an outage of Redis degrades limits to
// per-process ones rather than failing requests. Primary's errors are
// logged, never returned. It is safe for concurrent use.
type Fallback struct {
	primary    Limiter
	secondary  Limiter
	logger     *slog.Logger
	retryEvery time.Duration
	now        func() time.Time

	mu sync.Mutex
	// degraded is set while Primary is failing, since degradedSince.
	degraded      bool
	degradedSince time.Time
	// nextProbe is the earliest time a degraded Fallback tries Primary
	// again.
	nextProbe time.Time
}

// NewFallback returns a Fallback limiter configured by cfg.
func NewFallback(cfg FallbackConfig) (*Fallback, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	f := &Fallback{
		primary:    cfg.Primary,
		secondary:  cfg.Secondary,
		logger:     cfg.Logger,
		retryEvery: cfg.RetryEvery,
		now:        cfg.Now,
	}
	if f.logger == nil {
		f.logger = slog.Default()
	}
	if f.retryEvery == 0 {
		f.retryEvery = DefaultRetryEvery
	}
	if f.now == nil {
		f.now = time.Now
	}
	return f, nil
}

// Degraded reports whether f is currently answering from Secondary.
func (f *Fallback) Degraded() bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.degraded
}

// Allow records one event for key in Primary, or in Secondary while
// Primary fails.
func (f *Fallback) Allow(ctx context.Context, key string, limit Limit) (Result, error) {
	return f.allow(ctx, f.now(), key, limit)
}

func (f *Fallback) allow(ctx context.Context, now time.Time, key string, limit Limit) (Result, error) {
	// An invalid limit is the caller's mistake, not an outage: report it
	// rather than degrade.
	if err := limit.Validate(); err != nil {
		return Result{}, err
	}
	var res Result
	used := f.try(ctx, now, func() error {
		var err error
		res, err = f.primary.Allow(ctx, key, limit)
		return err
	})
	if used {
		return res, nil
	}
	return f.secondary.Allow(ctx, key, limit)
}

// Reset forgets key in Secondary and, unless f is waiting to retry it, in
// Primary. A key reset during an outage may therefore keep its old count
// in Primary once it recovers.
func (f *Fallback) Reset(ctx context.Context, key string) error {
	return f.reset(ctx, f.now(), key)
}

func (f *Fallback) reset(ctx context.Context, now time.Time, key string) error {
	f.try(ctx, now, func() error {
		return f.primary.Reset(ctx, key)
	})
	return f.secondary.Reset(ctx, key)
}

// try runs op against Primary unless f is degraded and not yet due for a
// retry, updates the degraded state from the outcome and reports whether op
// ran and succeeded.
func (f *Fallback) try(ctx context.Context, now time.Time, op func() error) bool {
	f.mu.Lock()
	probe := f.degraded
	if probe {
		if now.Before(f.nextProbe) {
			f.mu.Unlock()
			return false
		}
		// Claim this probe so concurrent callers keep using Secondary
		// instead of all waiting on a Primary that is likely still down.
		f.nextProbe = now.Add(f.retryEvery)
	}
	f.mu.Unlock()

	err := op()

	f.mu.Lock()
	defer f.mu.Unlock()
	switch {
	case err == nil:
		// Only a probe may declare recovery: a call that started before
		// the outage and happened to succeed says nothing about now.
		if probe && f.degraded {
			f.logger.Info("rate limiter recovered",
				slog.Duration("degraded_for", now.Sub(f.degradedSince)))
			f.degraded = false
		}
		return true
	case ctx.Err() != nil:
		// The caller gave up; that says nothing about Primary's health.
		return false
	default:
		if !f.degraded {
			f.logger.Warn("rate limiter falling back to memory",
				slog.Any("err", err),
				slog.Duration("retry_every", f.retryEvery))
			f.degraded = true
			f.degradedSince = now
			f.nextProbe = now.Add(f.retryEvery)
		}
		return false
	}
}

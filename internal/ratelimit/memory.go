package ratelimit

import (
	"context"
	"fmt"
	"sync"
	"time"
)

var _ Limiter = (*Memory)(nil)

// DefaultSweepEvery is how often Memory drops idle keys when
// MemoryConfig.SweepEvery is zero.
const DefaultSweepEvery = time.Minute

// minSweepKeys is the key count below which Memory sweeps only on time:
// small maps are not worth walking early.
const minSweepKeys = 1024

// MemoryConfig configures a Memory limiter. The zero value is valid.
type MemoryConfig struct {
	// Now returns the current time; nil means time.Now.
	Now func() time.Time
	// SweepEvery is how often Allow drops keys that are fully reset; zero
	// means DefaultSweepEvery. A sweep also runs whenever the number of keys
	// has doubled since the last one, so memory stays proportional to the
	// keys in use even under a flood of new keys.
	SweepEvery time.Duration
}

// Validate reports whether c is usable.
func (c MemoryConfig) Validate() error {
	if c.SweepEvery < 0 {
		return fmt.Errorf("ratelimit: memory sweep interval must not be negative, got %s", c.SweepEvery)
	}
	return nil
}

// Memory is an in-process Limiter. Its state is lost on restart and is not
// shared between processes. It is safe for concurrent use.
type Memory struct {
	now        func() time.Time
	sweepEvery time.Duration

	mu sync.Mutex
	// tats holds each key's theoretical arrival time: the instant at which
	// the key would be fully free again. A key whose tat is not after now
	// is the same as an absent key, so sweeps may drop it.
	tats      map[string]time.Time
	nextSweep time.Time
	// sweepAt is the key count that triggers an early sweep.
	sweepAt int
}

// NewMemory returns a Memory limiter configured by cfg.
func NewMemory(cfg MemoryConfig) (*Memory, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	m := &Memory{
		now:        cfg.Now,
		sweepEvery: cfg.SweepEvery,
		tats:       make(map[string]time.Time),
		sweepAt:    minSweepKeys,
	}
	if m.now == nil {
		m.now = time.Now
	}
	if m.sweepEvery == 0 {
		m.sweepEvery = DefaultSweepEvery
	}
	return m, nil
}

// Allow records one event for key if limit permits it. It returns an error
// only when limit is invalid.
func (m *Memory) Allow(ctx context.Context, key string, limit Limit) (Result, error) {
	return m.allow(m.now(), key, limit)
}

func (m *Memory) allow(now time.Time, key string, limit Limit) (Result, error) {
	if err := limit.Validate(); err != nil {
		return Result{}, err
	}
	interval := limit.interval()
	// burst is the whole window expressed in intervals, so that exactly
	// Rate events fit even when Period/Rate was rounded down.
	burst := interval * time.Duration(limit.Rate)

	m.mu.Lock()
	defer m.mu.Unlock()
	m.maybeSweep(now)

	// If the clock went backwards, tat may lie further ahead than it did;
	// the key then waits a little longer, which errs on the safe side.
	tat, ok := m.tats[key]
	if !ok || tat.Before(now) {
		tat = now
	}
	newTat := tat.Add(interval)
	// diff is how far now is past the earliest instant this event could be
	// allowed at.
	diff := now.Sub(newTat.Add(-burst))
	if diff < 0 {
		return Result{
			Allowed:    false,
			Limit:      limit,
			Remaining:  0,
			RetryAfter: -diff,
			ResetAfter: tat.Sub(now),
		}, nil
	}
	m.tats[key] = newTat
	return Result{
		Allowed:    true,
		Limit:      limit,
		Remaining:  int(diff / interval),
		RetryAfter: 0,
		ResetAfter: newTat.Sub(now),
	}, nil
}

// Reset forgets key. It never fails.
func (m *Memory) Reset(ctx context.Context, key string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	delete(m.tats, key)
	return nil
}

// Len returns the number of keys Memory currently holds, including keys
// that are fully reset but not yet swept.
func (m *Memory) Len() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return len(m.tats)
}

// maybeSweep drops fully reset keys when a sweep is due. m.mu must be held.
func (m *Memory) maybeSweep(now time.Time) {
	if now.Before(m.nextSweep) && len(m.tats) < m.sweepAt {
		return
	}
	for key, tat := range m.tats {
		if !tat.After(now) {
			delete(m.tats, key)
		}
	}
	m.nextSweep = now.Add(m.sweepEvery)
	// Walking the map again only after it doubles keeps sweeps amortised
	// O(1) per call while bounding the map to twice the live keys.
	m.sweepAt = max(2*len(m.tats), minSweepKeys)
}

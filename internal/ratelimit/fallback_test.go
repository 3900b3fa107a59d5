package ratelimit

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

const (
	warnMsg    = "rate limiter falling back to memory"
	recoverMsg = "rate limiter recovered"
)

// primaryRemaining marks results that came from fakeLimiter.
const primaryRemaining = 4242

var errDown = errors.New("connection refused")

// fakeLimiter is a Limiter that fails while err is set and otherwise
// allows everything with Remaining primaryRemaining.
type fakeLimiter struct {
	mu     sync.Mutex
	err    error
	calls  int
	resets int
}

var _ Limiter = (*fakeLimiter)(nil)

func (f *fakeLimiter) Allow(ctx context.Context, key string, limit Limit) (Result, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls++
	if f.err != nil {
		return Result{}, f.err
	}
	return Result{Allowed: true, Limit: limit, Remaining: primaryRemaining, ResetAfter: time.Second}, nil
}

func (f *fakeLimiter) Reset(ctx context.Context, key string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.resets++
	return f.err
}

func (f *fakeLimiter) setErr(err error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.err = err
}

func (f *fakeLimiter) callCount() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.calls
}

// logBuffer collects log output from concurrent writers.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *logBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

// count returns how many log lines contain both level and msg.
func (b *logBuffer) count(level slog.Level, msg string) int {
	b.mu.Lock()
	defer b.mu.Unlock()
	n := 0
	for line := range strings.Lines(b.buf.String()) {
		if strings.Contains(line, "level="+level.String()) && strings.Contains(line, `msg="`+msg+`"`) {
			n++
		}
	}
	return n
}

func (b *logBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

type fallbackFixture struct {
	fallback  *Fallback
	secondary *Memory
	clock     *fakeClock
	logs      *logBuffer
}

func newFallbackFixture(t *testing.T, primary Limiter, retryEvery time.Duration) fallbackFixture {
	t.Helper()
	clock := newFakeClock()
	logs := &logBuffer{}
	secondary := newTestMemory(t, clock)
	f, err := NewFallback(FallbackConfig{
		Primary:    primary,
		Secondary:  secondary,
		Logger:     slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
		RetryEvery: retryEvery,
		Now:        clock.Now,
	})
	if err != nil {
		t.Fatalf("NewFallback() error = %v", err)
	}
	return fallbackFixture{fallback: f, secondary: secondary, clock: clock, logs: logs}
}

func TestNewFallback(t *testing.T) {
	mem := newTestMemory(t, newFakeClock())
	tests := []struct {
		name    string
		cfg     FallbackConfig
		wantErr bool
	}{
		{name: "minimal", cfg: FallbackConfig{Primary: &fakeLimiter{}, Secondary: mem}},
		{name: "full", cfg: FallbackConfig{Primary: &fakeLimiter{}, Secondary: mem, Logger: slog.Default(), RetryEvery: time.Second, Now: time.Now}},
		{name: "no primary", cfg: FallbackConfig{Secondary: mem}, wantErr: true},
		{name: "no secondary", cfg: FallbackConfig{Primary: &fakeLimiter{}}, wantErr: true},
		{name: "negative retry", cfg: FallbackConfig{Primary: &fakeLimiter{}, Secondary: mem, RetryEvery: -time.Second}, wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := NewFallback(tt.cfg)
			if gotErr := err != nil; gotErr != tt.wantErr {
				t.Errorf("NewFallback() error = %v, want error %v", err, tt.wantErr)
			}
		})
	}
}

func TestFallbackDegradeAndRecover(t *testing.T) {
	const retryEvery = 5 * time.Second
	// An hour-long window regains nothing while the steps run, so the
	// secondary's Remaining counts down by one per call it answers.
	limit := Limit{Rate: 10, Period: time.Hour}
	primary := &fakeLimiter{}
	fx := newFallbackFixture(t, primary, retryEvery)

	// Each step optionally changes the primary's health and advances the
	// clock, then makes one Allow call.
	tests := []struct {
		name          string
		primaryErr    error
		advance       time.Duration
		wantRemaining int
		wantDegraded  bool
		// wantPrimaryCalls is the running total of calls to the primary.
		wantPrimaryCalls int
		wantWarns        int
		wantRecovers     int
	}{
		{name: "healthy uses primary", wantRemaining: primaryRemaining, wantPrimaryCalls: 1},
		{name: "failure falls back", primaryErr: errDown, wantRemaining: 9, wantDegraded: true, wantPrimaryCalls: 2, wantWarns: 1},
		{name: "degraded skips primary", primaryErr: errDown, wantRemaining: 8, wantDegraded: true, wantPrimaryCalls: 2, wantWarns: 1},
		{name: "just before retry", primaryErr: errDown, advance: retryEvery - time.Nanosecond, wantRemaining: 7, wantDegraded: true, wantPrimaryCalls: 2, wantWarns: 1},
		{name: "retry still failing logs nothing", primaryErr: errDown, advance: time.Nanosecond, wantRemaining: 6, wantDegraded: true, wantPrimaryCalls: 3, wantWarns: 1},
		{name: "recovered but retry not due", advance: time.Second, wantRemaining: 5, wantDegraded: true, wantPrimaryCalls: 3, wantWarns: 1},
		{name: "retry succeeds", advance: retryEvery, wantRemaining: primaryRemaining, wantPrimaryCalls: 4, wantWarns: 1, wantRecovers: 1},
		{name: "stays on primary", wantRemaining: primaryRemaining, wantPrimaryCalls: 5, wantWarns: 1, wantRecovers: 1},
		{name: "second outage warns again", primaryErr: errDown, wantRemaining: 4, wantDegraded: true, wantPrimaryCalls: 6, wantWarns: 2, wantRecovers: 1},
	}
	for _, tt := range tests {
		primary.setErr(tt.primaryErr)
		fx.clock.Advance(tt.advance)
		got, err := fx.fallback.Allow(context.Background(), "user:1", limit)
		if err != nil {
			t.Fatalf("%s: Allow() error = %v, want nil", tt.name, err)
		}
		if !got.Allowed || got.Remaining != tt.wantRemaining {
			t.Errorf("%s: Allow() = allowed %v remaining %d, want allowed true remaining %d",
				tt.name, got.Allowed, got.Remaining, tt.wantRemaining)
		}
		if got := fx.fallback.Degraded(); got != tt.wantDegraded {
			t.Errorf("%s: Degraded() = %v, want %v", tt.name, got, tt.wantDegraded)
		}
		if got := primary.callCount(); got != tt.wantPrimaryCalls {
			t.Errorf("%s: primary calls = %d, want %d", tt.name, got, tt.wantPrimaryCalls)
		}
		if got := fx.logs.count(slog.LevelWarn, warnMsg); got != tt.wantWarns {
			t.Errorf("%s: %q warnings = %d, want %d", tt.name, warnMsg, got, tt.wantWarns)
		}
		if got := fx.logs.count(slog.LevelInfo, recoverMsg); got != tt.wantRecovers {
			t.Errorf("%s: %q infos = %d, want %d", tt.name, recoverMsg, got, tt.wantRecovers)
		}
	}
	if t.Failed() {
		t.Logf("logs:\n%s", fx.logs)
	}
}

func TestFallbackConcurrentFailuresWarnOnce(t *testing.T) {
	primary := &fakeLimiter{err: errDown}
	fx := newFallbackFixture(t, primary, time.Minute)
	limit := Limit{Rate: 50, Period: time.Hour}

	var wg sync.WaitGroup
	var mu sync.Mutex
	allowed := 0
	for range 20 {
		wg.Go(func() {
			for range 10 {
				res, err := fx.fallback.Allow(context.Background(), "shared", limit)
				if err != nil {
					t.Errorf("Allow() error = %v, want nil", err)
					return
				}
				if res.Allowed {
					mu.Lock()
					allowed++
					mu.Unlock()
				}
			}
		})
	}
	wg.Wait()
	if allowed != limit.Rate {
		t.Errorf("allowed %d of 200 calls, want %d", allowed, limit.Rate)
	}
	if got := fx.logs.count(slog.LevelWarn, warnMsg); got != 1 {
		t.Errorf("%q warnings = %d, want 1", warnMsg, got)
	}
}

func TestFallbackCancelledContextDoesNotDegrade(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	primary := &fakeLimiter{err: context.Canceled}
	fx := newFallbackFixture(t, primary, time.Minute)

	res, err := fx.fallback.Allow(ctx, "a", Limit{Rate: 1, Period: time.Minute})
	if err != nil {
		t.Fatalf("Allow() error = %v, want nil", err)
	}
	if !res.Allowed {
		t.Errorf("Allow() = refused, want allowed by secondary")
	}
	if fx.fallback.Degraded() {
		t.Errorf("Degraded() = true after a cancelled call, want false")
	}
	if got := fx.logs.count(slog.LevelWarn, warnMsg); got != 0 {
		t.Errorf("%q warnings = %d, want 0", warnMsg, got)
	}
}

func TestFallbackInvalidLimit(t *testing.T) {
	primary := &fakeLimiter{}
	fx := newFallbackFixture(t, primary, time.Minute)
	if _, err := fx.fallback.Allow(context.Background(), "a", Limit{}); err == nil {
		t.Error("Allow(zero limit) error = nil, want an error")
	}
	if fx.fallback.Degraded() {
		t.Error("Degraded() = true after an invalid limit, want false")
	}
}

func TestFallbackReset(t *testing.T) {
	limit := Limit{Rate: 1, Period: time.Minute}
	primary := &fakeLimiter{err: errDown}
	fx := newFallbackFixture(t, primary, time.Minute)
	ctx := context.Background()

	for range 2 {
		if _, err := fx.fallback.Allow(ctx, "a", limit); err != nil {
			t.Fatal(err)
		}
	}
	if err := fx.fallback.Reset(ctx, "a"); err != nil {
		t.Fatalf("Reset() while degraded error = %v, want nil", err)
	}
	res, err := fx.fallback.Allow(ctx, "a", limit)
	if err != nil {
		t.Fatal(err)
	}
	if !res.Allowed {
		t.Error("Allow() after Reset = refused, want allowed")
	}
	if primary.resets != 0 {
		t.Errorf("primary resets while waiting to retry = %d, want 0", primary.resets)
	}

	primary.setErr(nil)
	fx.clock.Advance(time.Minute)
	if err := fx.fallback.Reset(ctx, "a"); err != nil {
		t.Fatalf("Reset() error = %v, want nil", err)
	}
	if primary.resets != 1 {
		t.Errorf("primary resets after retry due = %d, want 1", primary.resets)
	}
	if fx.fallback.Degraded() {
		t.Error("Degraded() = true after a successful Reset on primary, want false")
	}
}

func TestFallbackRedisDown(t *testing.T) {
	// Nothing listens on port 1, so every command fails fast.
	client := redis.NewClient(&redis.Options{
		Addr:        "127.0.0.1:1",
		DialTimeout: 100 * time.Millisecond,
		MaxRetries:  -1,
		// One dial per command: the pool otherwise retries with backoff.
		DialerRetries: 1,
	})
	t.Cleanup(func() { client.Close() })
	primary := newTestRedis(t, client, "steward-test:")
	fx := newFallbackFixture(t, primary, time.Minute)
	limit := Limit{Rate: 3, Period: time.Minute}

	tests := []struct {
		name        string
		key         string
		wantAllowed bool
	}{
		{name: "first", key: "a", wantAllowed: true},
		{name: "second", key: "a", wantAllowed: true},
		{name: "third", key: "a", wantAllowed: true},
		{name: "over the limit", key: "a", wantAllowed: false},
		{name: "other key", key: "b", wantAllowed: true},
	}
	for _, tt := range tests {
		got, err := fx.fallback.Allow(t.Context(), tt.key, limit)
		if err != nil {
			t.Fatalf("%s: Allow() error = %v, want nil", tt.name, err)
		}
		if got.Allowed != tt.wantAllowed {
			t.Errorf("%s: Allow(%q) allowed = %v, want %v", tt.name, tt.key, got.Allowed, tt.wantAllowed)
		}
	}
	if !fx.fallback.Degraded() {
		t.Error("Degraded() = false, want true")
	}
	if got := fx.logs.count(slog.LevelWarn, warnMsg); got != 1 {
		t.Errorf("%q warnings = %d, want 1; logs:\n%s", warnMsg, got, fx.logs)
	}
	if got := fx.secondary.Len(); got != 2 {
		t.Errorf("secondary keys = %d, want 2", got)
	}
}

func TestFallbackRedisRecovers(t *testing.T) {
	client := newTestRedisClient(t)
	prefix := newTestPrefix(t, client)
	primary := &fakeLimiter{err: errDown}
	redisLimiter := newTestRedis(t, client, prefix)
	// switchable fails while primary says so and otherwise uses real Redis.
	switchable := limiterFunc(func(ctx context.Context, key string, limit Limit) (Result, error) {
		if _, err := primary.Allow(ctx, key, limit); err != nil {
			return Result{}, err
		}
		return redisLimiter.Allow(ctx, key, limit)
	})
	fx := newFallbackFixture(t, switchable, 5*time.Second)
	limit := Limit{Rate: 5, Period: time.Minute}

	res, err := fx.fallback.Allow(t.Context(), "a", limit)
	if err != nil || !res.Allowed || !fx.fallback.Degraded() {
		t.Fatalf("Allow() while down = %+v, %v, degraded %v; want allowed, nil, degraded", res, err, fx.fallback.Degraded())
	}
	primary.setErr(nil)
	fx.clock.Advance(5 * time.Second)
	res, err = fx.fallback.Allow(t.Context(), "a", limit)
	if err != nil {
		t.Fatal(err)
	}
	// Redis has not seen the call made during the outage.
	if !res.Allowed || res.Remaining != limit.Rate-1 {
		t.Errorf("Allow() after recovery = allowed %v remaining %d, want allowed true remaining %d",
			res.Allowed, res.Remaining, limit.Rate-1)
	}
	if fx.fallback.Degraded() {
		t.Error("Degraded() = true after recovery, want false")
	}
	if got := fx.logs.count(slog.LevelInfo, recoverMsg); got != 1 {
		t.Errorf("%q infos = %d, want 1", recoverMsg, got)
	}
}

// limiterFunc adapts a function to Limiter; Reset is a no-op.
type limiterFunc func(ctx context.Context, key string, limit Limit) (Result, error)

func (f limiterFunc) Allow(ctx context.Context, key string, limit Limit) (Result, error) {
	return f(ctx, key, limit)
}

func (f limiterFunc) Reset(ctx context.Context, key string) error { return nil }

package ratelimit

import (
	"context"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func newTestMemory(t *testing.T, clock *fakeClock) *Memory {
	t.Helper()
	m, err := NewMemory(MemoryConfig{Now: clock.Now})
	if err != nil {
		t.Fatalf("NewMemory() error = %v", err)
	}
	return m
}

func TestNewMemory(t *testing.T) {
	tests := []struct {
		name    string
		cfg     MemoryConfig
		wantErr bool
	}{
		{name: "zero value", cfg: MemoryConfig{}},
		{name: "custom sweep", cfg: MemoryConfig{Now: time.Now, SweepEvery: time.Second}},
		{name: "negative sweep", cfg: MemoryConfig{SweepEvery: -time.Second}, wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := NewMemory(tt.cfg)
			if gotErr := err != nil; gotErr != tt.wantErr {
				t.Fatalf("NewMemory() error = %v, want error %v", err, tt.wantErr)
			}
			if !tt.wantErr && m == nil {
				t.Fatal("NewMemory() = nil, want a limiter")
			}
		})
	}
}

// step is one Allow call in a scripted scenario, made after advancing the
// clock by advance.
type step struct {
	advance time.Duration
	key     string
	want    Result
}

func TestMemoryAllow(t *testing.T) {
	// Three per three seconds regains one event per second.
	three := Limit{Rate: 3, Period: 3 * time.Second}
	// Three per second regains one event every 333333333ns.
	uneven := Limit{Rate: 3, Period: time.Second}
	third := time.Second / 3
	one := Limit{Rate: 1, Period: time.Minute}

	allowed := func(l Limit, remaining int, reset time.Duration) Result {
		return Result{Allowed: true, Limit: l, Remaining: remaining, ResetAfter: reset}
	}
	refused := func(l Limit, retry, reset time.Duration) Result {
		return Result{Allowed: false, Limit: l, RetryAfter: retry, ResetAfter: reset}
	}
	burst := []step{
		{key: "a", want: allowed(three, 2, time.Second)},
		{key: "a", want: allowed(three, 1, 2*time.Second)},
		{key: "a", want: allowed(three, 0, 3*time.Second)},
	}

	tests := []struct {
		name  string
		limit Limit
		steps []step
	}{
		{
			name:  "burst then refused",
			limit: three,
			steps: append(burst[:3:3],
				step{key: "a", want: refused(three, time.Second, 3*time.Second)},
				step{key: "a", want: refused(three, time.Second, 3*time.Second)},
			),
		},
		{
			name:  "refused retry shrinks with time",
			limit: three,
			steps: append(burst[:3:3],
				step{advance: 400 * time.Millisecond, key: "a", want: refused(three, 600*time.Millisecond, 2600*time.Millisecond)},
			),
		},
		{
			name:  "allowed again after period over rate",
			limit: three,
			steps: append(burst[:3:3],
				step{key: "a", want: refused(three, time.Second, 3*time.Second)},
				step{advance: time.Second, key: "a", want: allowed(three, 0, 3*time.Second)},
				step{key: "a", want: refused(three, time.Second, 3*time.Second)},
				step{advance: time.Second, key: "a", want: allowed(three, 0, 3*time.Second)},
			),
		},
		{
			name:  "full burst again after period",
			limit: three,
			steps: append(burst[:3:3],
				step{advance: 3 * time.Second, key: "a", want: allowed(three, 2, time.Second)},
				step{key: "a", want: allowed(three, 1, 2*time.Second)},
			),
		},
		{
			name:  "idle longer than period does not bank events",
			limit: three,
			steps: []step{
				{key: "a", want: allowed(three, 2, time.Second)},
				{advance: time.Hour, key: "a", want: allowed(three, 2, time.Second)},
				{key: "a", want: allowed(three, 1, 2*time.Second)},
				{key: "a", want: allowed(three, 0, 3*time.Second)},
				{key: "a", want: refused(three, time.Second, 3*time.Second)},
			},
		},
		{
			name:  "independent keys",
			limit: three,
			steps: append(burst[:3:3],
				step{key: "a", want: refused(three, time.Second, 3*time.Second)},
				step{key: "b", want: allowed(three, 2, time.Second)},
				step{key: "b", want: allowed(three, 1, 2*time.Second)},
				step{key: "a", want: refused(three, time.Second, 3*time.Second)},
			),
		},
		{
			name:  "period not divisible by rate",
			limit: uneven,
			steps: []step{
				{key: "a", want: allowed(uneven, 2, third)},
				{key: "a", want: allowed(uneven, 1, 2*third)},
				{key: "a", want: allowed(uneven, 0, 3*third)},
				{key: "a", want: refused(uneven, third, 3*third)},
				{advance: third, key: "a", want: allowed(uneven, 0, 3*third)},
			},
		},
		{
			name:  "one per minute",
			limit: one,
			steps: []step{
				{key: "a", want: allowed(one, 0, time.Minute)},
				{advance: 59 * time.Second, key: "a", want: refused(one, time.Second, time.Second)},
				{advance: time.Second, key: "a", want: allowed(one, 0, time.Minute)},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clock := newFakeClock()
			m := newTestMemory(t, clock)
			for i, s := range tt.steps {
				clock.Advance(s.advance)
				got, err := m.Allow(context.Background(), s.key, tt.limit)
				if err != nil {
					t.Fatalf("step %d: Allow(%q) error = %v", i, s.key, err)
				}
				if got != s.want {
					t.Errorf("step %d: Allow(%q) = %+v, want %+v", i, s.key, got, s.want)
				}
			}
		})
	}
}

func TestMemoryAllowInvalidLimit(t *testing.T) {
	tests := []struct {
		name  string
		limit Limit
	}{
		{name: "zero", limit: Limit{}},
		{name: "negative rate", limit: Limit{Rate: -1, Period: time.Second}},
		{name: "zero period", limit: Limit{Rate: 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := newTestMemory(t, newFakeClock())
			if _, err := m.Allow(context.Background(), "a", tt.limit); err == nil {
				t.Errorf("Allow(%+v) error = nil, want an error", tt.limit)
			}
			if got := m.Len(); got != 0 {
				t.Errorf("Len() = %d, want 0", got)
			}
		})
	}
}

func TestMemoryReset(t *testing.T) {
	limit := Limit{Rate: 2, Period: time.Minute}
	ctx := context.Background()
	m := newTestMemory(t, newFakeClock())
	for _, key := range []string{"a", "a", "b", "b"} {
		if _, err := m.Allow(ctx, key, limit); err != nil {
			t.Fatalf("Allow(%q) error = %v", key, err)
		}
	}
	if err := m.Reset(ctx, "a"); err != nil {
		t.Fatalf("Reset() error = %v", err)
	}

	tests := []struct {
		key           string
		wantAllowed   bool
		wantRemaining int
	}{
		{key: "a", wantAllowed: true, wantRemaining: 1},
		{key: "b", wantAllowed: false, wantRemaining: 0},
	}
	for _, tt := range tests {
		got, err := m.Allow(ctx, tt.key, limit)
		if err != nil {
			t.Fatalf("Allow(%q) error = %v", tt.key, err)
		}
		if got.Allowed != tt.wantAllowed || got.Remaining != tt.wantRemaining {
			t.Errorf("after Reset: Allow(%q) = allowed %v remaining %d, want allowed %v remaining %d",
				tt.key, got.Allowed, got.Remaining, tt.wantAllowed, tt.wantRemaining)
		}
	}
	if err := m.Reset(ctx, "never-seen"); err != nil {
		t.Errorf("Reset(unknown key) error = %v, want nil", err)
	}
}

func TestMemoryEviction(t *testing.T) {
	ctx := context.Background()

	t.Run("periodic sweep drops reset keys", func(t *testing.T) {
		clock := newFakeClock()
		m := newTestMemory(t, clock)
		short := Limit{Rate: 1, Period: time.Second}
		long := Limit{Rate: 1, Period: time.Hour}
		for i := range 500 {
			if _, err := m.Allow(ctx, "short-"+strconv.Itoa(i), short); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := m.Allow(ctx, "long", long); err != nil {
			t.Fatal(err)
		}
		if got, want := m.Len(), 501; got != want {
			t.Fatalf("Len() before sweep = %d, want %d", got, want)
		}
		clock.Advance(DefaultSweepEvery)
		if _, err := m.Allow(ctx, "trigger", short); err != nil {
			t.Fatal(err)
		}
		// "long" is still limited and "trigger" was just used.
		if got, want := m.Len(), 2; got != want {
			t.Errorf("Len() after sweep = %d, want %d", got, want)
		}
		got, err := m.Allow(ctx, "long", long)
		if err != nil {
			t.Fatal(err)
		}
		if got.Allowed {
			t.Errorf("Allow(long) after sweep = allowed, want refused: the sweep dropped live state")
		}
	})

	t.Run("flood of new keys stays bounded", func(t *testing.T) {
		clock := newFakeClock()
		m, err := NewMemory(MemoryConfig{Now: clock.Now, SweepEvery: time.Hour})
		if err != nil {
			t.Fatal(err)
		}
		// Each key is fully reset 10ms after use, so about ten are live at
		// any time; the hourly sweep never fires during the flood.
		limit := Limit{Rate: 1, Period: 10 * time.Millisecond}
		maxLen := 0
		for i := range 100_000 {
			clock.Advance(time.Millisecond)
			if _, err := m.Allow(ctx, "k"+strconv.Itoa(i), limit); err != nil {
				t.Fatal(err)
			}
			maxLen = max(maxLen, m.Len())
		}
		if maxLen > minSweepKeys {
			t.Errorf("max Len() during flood = %d, want at most %d", maxLen, minSweepKeys)
		}
	})
}

func TestMemoryConcurrent(t *testing.T) {
	const (
		goroutines = 100
		calls      = 10
		rate       = 50
	)
	m := newTestMemory(t, newFakeClock())
	limit := Limit{Rate: rate, Period: time.Hour}
	var allowed atomic.Int64
	var wg sync.WaitGroup
	for range goroutines {
		wg.Go(func() {
			for range calls {
				res, err := m.Allow(context.Background(), "shared", limit)
				if err != nil {
					t.Error(err)
					return
				}
				if res.Allowed {
					allowed.Add(1)
				}
			}
		})
	}
	wg.Wait()
	if got := allowed.Load(); got != rate {
		t.Errorf("allowed %d of %d concurrent calls, want %d", got, goroutines*calls, rate)
	}
}

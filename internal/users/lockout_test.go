package users

import (
	"testing"
	"time"
)

func TestLockoutDuration(t *testing.T) {
	p := DefaultLockout()
	tests := []struct {
		failures int
		want     time.Duration
	}{
		{0, 0}, {4, 0}, {5, time.Minute}, {6, 0}, {9, 0}, {10, 2 * time.Minute}, {15, 4 * time.Minute},
		{30, 32 * time.Minute}, {35, time.Hour}, {500, time.Hour},
	}
	for _, tt := range tests {
		if got := p.duration(tt.failures); got != tt.want {
			t.Errorf("duration(%d) = %s, want %s", tt.failures, got, tt.want)
		}
	}
}

// The account as a whole locks only at every AccountThreshold failures from all addresses, and
// for the fixed, shorter AccountLock: one address reaching its own threshold never does.
func TestAccountLockDuration(t *testing.T) {
	p := DefaultLockout()
	tests := []struct {
		failures int
		want     time.Duration
	}{
		{0, 0}, {5, 0}, {10, 0}, {49, 0}, {50, 15 * time.Minute}, {51, 0}, {100, 15 * time.Minute}, {1000, 15 * time.Minute},
	}
	for _, tt := range tests {
		if got := p.accountDuration(tt.failures); got != tt.want {
			t.Errorf("accountDuration(%d) = %s, want %s", tt.failures, got, tt.want)
		}
	}
	if off := (LockoutPolicy{Threshold: 5}); off.accountDuration(50) != 0 {
		t.Errorf("a zero AccountThreshold locked the account")
	}
	if p.AccountLock >= p.Max {
		t.Errorf("AccountLock %s is not shorter than an address's longest lock %s", p.AccountLock, p.Max)
	}
}

func TestPairStale(t *testing.T) {
	p := DefaultLockout()
	now := time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		name string
		last time.Time
		want bool
	}{
		{"just now", now, false},
		{"an hour ago", now.Add(-time.Hour), false},
		{"exactly Forget ago", now.Add(-p.Forget), false},
		{"longer than Forget ago", now.Add(-p.Forget - time.Second), true},
	}
	for _, tt := range tests {
		if got := p.pairStale(tt.last, now); got != tt.want {
			t.Errorf("%s: pairStale = %v, want %v", tt.name, got, tt.want)
		}
	}
}

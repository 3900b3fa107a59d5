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

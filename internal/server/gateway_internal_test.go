package server

import (
	"testing"
	"time"
)

// A process alone keeps idle leases 2 min, replicas (Redis) 10 s, and a configured idle time wins.
func TestLeaseIdle(t *testing.T) {
	for _, c := range []struct {
		configured time.Duration
		shared     bool
		want       time.Duration
	}{
		{0, false, 2 * time.Minute},
		{0, true, 10 * time.Second},
		{3 * time.Second, false, 3 * time.Second},
		{5 * time.Minute, true, 5 * time.Minute},
	} {
		if got := leaseIdle(c.configured, c.shared); got != c.want {
			t.Errorf("leaseIdle(%s, shared %v) = %s, want %s", c.configured, c.shared, got, c.want)
		}
	}
}

package server

import (
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
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

// Credentials are remembered a minute by a process alone (where every revocation drops them at
// once), SharedCacheTTL with replicas; a configured TTL wins, and a negative one turns it off.
func TestCredentialCacheTTL(t *testing.T) {
	shared := redis.NewClient(&redis.Options{Addr: "127.0.0.1:0"}) // never dialled
	defer shared.Close()
	for _, c := range []struct {
		configured time.Duration
		shared     *redis.Client
		want       time.Duration
	}{
		{0, nil, time.Minute},
		{0, shared, SharedCacheTTL},
		{5 * time.Second, shared, 5 * time.Second},
		{-1, nil, 0},
	} {
		if got := credentialCacheTTL(c.configured, c.shared); got != c.want {
			t.Errorf("credentialCacheTTL(%s, shared %v) = %s, want %s", c.configured, c.shared != nil, got, c.want)
		}
	}
}

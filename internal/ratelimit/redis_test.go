package ratelimit

import (
	"context"
	"crypto/rand"
	"os"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

const redisURLEnv = "STEWARD_TEST_REDIS_URL"

// newTestRedisClient connects to the Redis named by STEWARD_TEST_REDIS_URL,
// skipping the test when it is unset, and closes the client on cleanup.
func newTestRedisClient(t *testing.T) *redis.Client {
	t.Helper()
	url := os.Getenv(redisURLEnv)
	if url == "" {
		t.Skip(redisURLEnv + " not set: skipping Redis tests")
	}
	opts, err := redis.ParseURL(url)
	if err != nil {
		t.Fatalf("parse %s: %v", redisURLEnv, err)
	}
	client := redis.NewClient(opts)
	t.Cleanup(func() { client.Close() })
	if err := client.Ping(t.Context()).Err(); err != nil {
		t.Fatalf("ping Redis at %s: %v", url, err)
	}
	return client
}

// newTestPrefix returns a key prefix unique to this test and deletes every
// key under it on cleanup.
func newTestPrefix(t *testing.T, client *redis.Client) string {
	t.Helper()
	prefix := "steward-test:" + rand.Text() + ":"
	t.Cleanup(func() {
		// t.Context is already cancelled during cleanup.
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		// redis_rate stores keys under its own "rate:" prefix.
		iter := client.Scan(ctx, 0, "rate:"+prefix+"*", 100).Iterator()
		var keys []string
		for iter.Next(ctx) {
			keys = append(keys, iter.Val())
		}
		if err := iter.Err(); err != nil {
			t.Errorf("scan test keys: %v", err)
			return
		}
		if len(keys) > 0 {
			if err := client.Del(ctx, keys...).Err(); err != nil {
				t.Errorf("delete test keys: %v", err)
			}
		}
	})
	return prefix
}

func newTestRedis(t *testing.T, client redis.UniversalClient, prefix string) *Redis {
	t.Helper()
	r, err := NewRedis(RedisConfig{Client: client, Prefix: prefix})
	if err != nil {
		t.Fatalf("NewRedis() error = %v", err)
	}
	return r
}

func TestNewRedis(t *testing.T) {
	tests := []struct {
		name    string
		cfg     RedisConfig
		wantErr bool
	}{
		{name: "client", cfg: RedisConfig{Client: redis.NewClient(&redis.Options{}), Prefix: "p:"}},
		{name: "no prefix", cfg: RedisConfig{Client: redis.NewClient(&redis.Options{})}},
		{name: "no client", cfg: RedisConfig{Prefix: "p:"}, wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.cfg.Client != nil {
				t.Cleanup(func() { tt.cfg.Client.Close() })
			}
			_, err := NewRedis(tt.cfg)
			if gotErr := err != nil; gotErr != tt.wantErr {
				t.Errorf("NewRedis() error = %v, want error %v", err, tt.wantErr)
			}
		})
	}
}

func TestRedisAllow(t *testing.T) {
	client := newTestRedisClient(t)
	// Five per minute regains one event every 12s, far slower than the
	// test runs, so Redis's clock moving does not change the counts.
	limit := Limit{Rate: 5, Period: time.Minute}
	interval := limit.interval()

	tests := []struct {
		name          string
		key           string
		wantAllowed   bool
		wantRemaining int
	}{
		{name: "first", key: "a", wantAllowed: true, wantRemaining: 4},
		{name: "second", key: "a", wantAllowed: true, wantRemaining: 3},
		{name: "third", key: "a", wantAllowed: true, wantRemaining: 2},
		{name: "fourth", key: "a", wantAllowed: true, wantRemaining: 1},
		{name: "fifth", key: "a", wantAllowed: true, wantRemaining: 0},
		{name: "sixth refused", key: "a", wantAllowed: false, wantRemaining: 0},
		{name: "seventh refused", key: "a", wantAllowed: false, wantRemaining: 0},
		{name: "other key", key: "b", wantAllowed: true, wantRemaining: 4},
	}
	r := newTestRedis(t, client, newTestPrefix(t, client))
	for _, tt := range tests {
		got, err := r.Allow(t.Context(), tt.key, limit)
		if err != nil {
			t.Fatalf("%s: Allow() error = %v", tt.name, err)
		}
		if got.Allowed != tt.wantAllowed || got.Remaining != tt.wantRemaining {
			t.Errorf("%s: Allow(%q) = allowed %v remaining %d, want allowed %v remaining %d",
				tt.name, tt.key, got.Allowed, got.Remaining, tt.wantAllowed, tt.wantRemaining)
		}
		if got.Limit != limit {
			t.Errorf("%s: Limit = %v, want %v", tt.name, got.Limit, limit)
		}
		// Redis's clock runs during the test, so durations are checked
		// against a window rather than exactly.
		const slack = 2 * time.Second
		if tt.wantAllowed {
			if got.RetryAfter != 0 {
				t.Errorf("%s: RetryAfter = %s, want 0", tt.name, got.RetryAfter)
			}
			wantReset := time.Duration(limit.Rate-tt.wantRemaining) * interval
			if got.ResetAfter > wantReset || got.ResetAfter < wantReset-slack {
				t.Errorf("%s: ResetAfter = %s, want about %s", tt.name, got.ResetAfter, wantReset)
			}
		} else {
			if got.RetryAfter > interval || got.RetryAfter < interval-slack {
				t.Errorf("%s: RetryAfter = %s, want about %s", tt.name, got.RetryAfter, interval)
			}
			if got.ResetAfter > limit.Period || got.ResetAfter < limit.Period-slack {
				t.Errorf("%s: ResetAfter = %s, want about %s", tt.name, got.ResetAfter, limit.Period)
			}
		}
	}
}

func TestRedisInvalidLimit(t *testing.T) {
	// Validation happens before any call, so no Redis is needed.
	client := redis.NewClient(&redis.Options{Addr: "127.0.0.1:1"})
	t.Cleanup(func() { client.Close() })
	r := newTestRedis(t, client, "p:")
	if _, err := r.Allow(context.Background(), "a", Limit{}); err == nil {
		t.Error("Allow(zero limit) error = nil, want an error")
	}
}

func TestRedisSharedBetweenReplicas(t *testing.T) {
	// Two clients and two limiters stand for two replicas of the server.
	clientA := newTestRedisClient(t)
	clientB := newTestRedisClient(t)
	prefix := newTestPrefix(t, clientA)
	replicas := []*Redis{
		newTestRedis(t, clientA, prefix),
		newTestRedis(t, clientB, prefix),
	}
	limit := Limit{Rate: 5, Period: time.Minute}

	allowed := make([]int, len(replicas))
	for i := range 10 {
		res, err := replicas[i%2].Allow(t.Context(), "user:1", limit)
		if err != nil {
			t.Fatalf("call %d: Allow() error = %v", i, err)
		}
		if res.Allowed {
			allowed[i%2]++
		}
	}
	if got, want := allowed[0]+allowed[1], limit.Rate; got != want {
		t.Errorf("allowed %d of 10 calls across replicas (%v), want %d", got, allowed, want)
	}
	if allowed[0] == 0 || allowed[1] == 0 {
		t.Errorf("allowed per replica = %v, want both to have been allowed some", allowed)
	}

	other := newTestRedis(t, clientB, newTestPrefix(t, clientB))
	res, err := other.Allow(t.Context(), "user:1", limit)
	if err != nil {
		t.Fatal(err)
	}
	if !res.Allowed || res.Remaining != limit.Rate-1 {
		t.Errorf("other prefix: Allow() = allowed %v remaining %d, want allowed true remaining %d",
			res.Allowed, res.Remaining, limit.Rate-1)
	}
}

func TestRedisReset(t *testing.T) {
	client := newTestRedisClient(t)
	r := newTestRedis(t, client, newTestPrefix(t, client))
	limit := Limit{Rate: 2, Period: time.Minute}
	ctx := t.Context()

	for range limit.Rate {
		if _, err := r.Allow(ctx, "a", limit); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := r.Allow(ctx, "b", limit); err != nil {
		t.Fatal(err)
	}
	res, err := r.Allow(ctx, "a", limit)
	if err != nil {
		t.Fatal(err)
	}
	if res.Allowed {
		t.Fatalf("Allow() before Reset = allowed, want refused")
	}
	if err := r.Reset(ctx, "a"); err != nil {
		t.Fatalf("Reset() error = %v", err)
	}

	tests := []struct {
		key           string
		wantAllowed   bool
		wantRemaining int
	}{
		{key: "a", wantAllowed: true, wantRemaining: 1},
		{key: "b", wantAllowed: true, wantRemaining: 0},
	}
	for _, tt := range tests {
		got, err := r.Allow(ctx, tt.key, limit)
		if err != nil {
			t.Fatal(err)
		}
		if got.Allowed != tt.wantAllowed || got.Remaining != tt.wantRemaining {
			t.Errorf("after Reset: Allow(%q) = allowed %v remaining %d, want allowed %v remaining %d",
				tt.key, got.Allowed, got.Remaining, tt.wantAllowed, tt.wantRemaining)
		}
	}
}

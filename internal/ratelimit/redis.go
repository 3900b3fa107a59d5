package ratelimit

import (
	"context"
	"errors"
	"fmt"

	"github.com/go-redis/redis_rate/v10"
	"github.com/redis/go-redis/v9"
)

var _ Limiter = (*Redis)(nil)

// RedisConfig configures a Redis limiter.
type RedisConfig struct {
	// Client is the Redis connection; required. Every replica that should
	// share limits must point at the same Redis.
	Client redis.UniversalClient
	// Prefix is put in front of every key, so that several limiters (or
	// environments) can share one Redis. redis_rate adds its own "rate:"
	// prefix in front of that.
	Prefix string
}

// Validate reports whether c is usable.
func (c RedisConfig) Validate() error {
	if c.Client == nil {
		return errors.New("ratelimit: redis client is required")
	}
	return nil
}

// Redis is a Limiter whose state lives in Redis, so that every replica
// sees the same counts. Redis's own clock is used, so replicas with skewed
// clocks still agree. It is safe for concurrent use.
type Redis struct {
	limiter *redis_rate.Limiter
	prefix  string
}

// NewRedis returns a Redis limiter configured by cfg.
func NewRedis(cfg RedisConfig) (*Redis, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	return &Redis{
		limiter: redis_rate.NewLimiter(cfg.Client),
		prefix:  cfg.Prefix,
	}, nil
}

// Allow records one event for key if limit permits it. It returns an error
// when limit is invalid or Redis cannot be reached.
func (r *Redis) Allow(ctx context.Context, key string, limit Limit) (Result, error) {
	if err := limit.Validate(); err != nil {
		return Result{}, err
	}
	res, err := r.limiter.Allow(ctx, r.prefix+key, redis_rate.Limit{
		Rate:   limit.Rate,
		Burst:  limit.Rate,
		Period: limit.Period,
	})
	if err != nil {
		return Result{}, fmt.Errorf("ratelimit: redis allow: %w", err)
	}
	return Result{
		Allowed:   res.Allowed > 0,
		Limit:     limit,
		Remaining: max(res.Remaining, 0),
		// redis_rate reports -1 for "not applicable".
		RetryAfter: max(res.RetryAfter, 0),
		ResetAfter: max(res.ResetAfter, 0),
	}, nil
}

// Reset forgets key. It returns an error when Redis cannot be reached.
func (r *Redis) Reset(ctx context.Context, key string) error {
	if err := r.limiter.Reset(ctx, r.prefix+key); err != nil {
		return fmt.Errorf("ratelimit: redis reset: %w", err)
	}
	return nil
}

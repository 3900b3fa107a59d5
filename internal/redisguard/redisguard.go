// Package redisguard keeps a Redis that stops answering from stalling requests: short socket
// timeouts on the client, and a circuit breaker (github.com/sony/gobreaker) in front of every
// command, so that once Redis has failed a few times in a row commands fail at once instead of
// each waiting for a timeout. Callers already treat a failed command as "Redis is down" and fall
// back to local state (ratelimit.Fallback, events.Redis), so a hung Redis degrades them exactly
// as a refused connection does, and they return to Redis by themselves when the breaker lets a
// probe through and it succeeds.
package redisguard

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/sony/gobreaker/v2"
)

// Timeouts bound each step of a command. Redis answers a hot-path command (a rate limit check,
// a publish) well within them; a Redis that takes longer is treated as down, since every
// request waits for it. They apply only where the REDIS_URL does not set its own.
const (
	DialTimeout  = time.Second
	ReadTimeout  = 500 * time.Millisecond
	WriteTimeout = 500 * time.Millisecond
	// PoolTimeout bounds the wait for a free connection, which is how long requests queue when
	// every pooled connection is stuck on a hung Redis.
	PoolTimeout = time.Second
)

// Tighten sets short timeouts on opt where it leaves them at their defaults, allows a single
// retry (go-redis retries three times by default, tripling the wait on a hung Redis) and lets
// a caller's context deadline bound a command too.
func Tighten(opt *redis.Options) {
	if opt.DialTimeout == 0 {
		opt.DialTimeout = DialTimeout
	}
	if opt.ReadTimeout == 0 {
		opt.ReadTimeout = ReadTimeout
	}
	if opt.WriteTimeout == 0 {
		opt.WriteTimeout = WriteTimeout
	}
	if opt.PoolTimeout == 0 {
		opt.PoolTimeout = PoolTimeout
	}
	if opt.MaxRetries == 0 {
		opt.MaxRetries = 1
	}
	opt.ContextTimeoutEnabled = true
}

// ErrOpen is returned, without contacting Redis, while the breaker is open.
var ErrOpen = errors.New("redis: circuit breaker open, Redis recently failed")

// Config configures a Breaker.
type Config struct {
	// Failures is how many consecutive failed commands open the breaker; zero means 3.
	Failures uint32
	// OpenFor is how long the breaker stays open before letting one probe through; zero means
	// 2 seconds.
	OpenFor time.Duration
	// Logger receives the breaker's state changes; nil means slog.Default().
	Logger *slog.Logger
}

// Breaker is a go-redis hook that fails commands fast while Redis is failing. Add it to a client
// with AddHook. It is safe for concurrent use.
type Breaker struct {
	cb *gobreaker.CircuitBreaker[struct{}]
}

var _ redis.Hook = (*Breaker)(nil)

// New returns a Breaker configured by cfg.
func New(cfg Config) *Breaker {
	if cfg.Failures == 0 {
		cfg.Failures = 3
	}
	if cfg.OpenFor == 0 {
		cfg.OpenFor = 2 * time.Second
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	return &Breaker{cb: gobreaker.NewCircuitBreaker[struct{}](gobreaker.Settings{
		Name:        "redis",
		MaxRequests: 1,
		Timeout:     cfg.OpenFor,
		ReadyToTrip: func(c gobreaker.Counts) bool { return c.ConsecutiveFailures >= cfg.Failures },
		// A missing key is an answer, and Redis answered.
		IsSuccessful: func(err error) bool { return err == nil || errors.Is(err, redis.Nil) || isReply(err) },
		// A caller that gave up says nothing about Redis's health.
		IsExcluded: func(err error) bool { return errors.Is(err, context.Canceled) },
		OnStateChange: func(_ string, from, to gobreaker.State) {
			if to == gobreaker.StateOpen {
				cfg.Logger.Warn("redis: failing, commands fail fast for a while", "from", from.String(), "open_for", cfg.OpenFor)
				return
			}
			cfg.Logger.Info("redis: circuit breaker state changed", "from", from.String(), "to", to.String())
		},
	})}
}

// isReply reports whether err is an error reply from Redis (such as NOSCRIPT or WRONGTYPE): Redis
// answered, so it is healthy.
func isReply(err error) bool {
	var re redis.Error
	var ne net.Error
	return errors.As(err, &re) && !errors.As(err, &ne)
}

// State returns the breaker's state ("closed", "open" or "half-open"), for tests and logs.
func (b *Breaker) State() string { return b.cb.State().String() }

// DialHook passes dialling through: a dial happens inside a command, which the breaker counts.
func (b *Breaker) DialHook(next redis.DialHook) redis.DialHook { return next }

// ProcessHook runs each command through the breaker.
func (b *Breaker) ProcessHook(next redis.ProcessHook) redis.ProcessHook {
	return func(ctx context.Context, cmd redis.Cmder) error {
		return b.run(func() error { return next(ctx, cmd) })
	}
}

// ProcessPipelineHook runs each pipeline through the breaker.
func (b *Breaker) ProcessPipelineHook(next redis.ProcessPipelineHook) redis.ProcessPipelineHook {
	return func(ctx context.Context, cmds []redis.Cmder) error {
		return b.run(func() error { return next(ctx, cmds) })
	}
}

func (b *Breaker) run(op func() error) error {
	var opErr error
	_, err := b.cb.Execute(func() (struct{}, error) {
		opErr = op()
		return struct{}{}, opErr
	})
	if errors.Is(err, gobreaker.ErrOpenState) || errors.Is(err, gobreaker.ErrTooManyRequests) {
		return fmt.Errorf("%w: %w", ErrOpen, err)
	}
	// The command's own error, whether or not it counted as a failure.
	return opErr
}

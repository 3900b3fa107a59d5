package server

import (
	"context"
	"log/slog"
	"net/http"

	"github.com/redis/go-redis/v9"

	"github.com/steward-dev/steward/internal/auth"
	"github.com/steward-dev/steward/internal/config"
	"github.com/steward-dev/steward/internal/errs"
	"github.com/steward-dev/steward/internal/metrics"
	"github.com/steward-dev/steward/internal/ratelimit"
	"github.com/steward-dev/steward/internal/settings"
)

// newRateLimits builds the limiter policy: in memory, or with REDIS_URL in Redis (shared by every
// replica) falling back to memory while Redis is unreachable. The rules are read from the
// persisted settings on every check, so an admin's change applies to the next request.
func newRateLimits(cfg config.Config, opts Options, logger *slog.Logger, store *settings.Store, rdb *redis.Client, m *metrics.Metrics) (*ratelimit.Policy, error) {
	mem, err := ratelimit.NewMemory(ratelimit.MemoryConfig{})
	if err != nil {
		return nil, err
	}
	var limiter ratelimit.Limiter = mem
	if rdb != nil {
		r, err := ratelimit.NewRedis(ratelimit.RedisConfig{Client: rdb, Prefix: cfg.RedisPrefix + "ratelimit:"})
		if err != nil {
			return nil, err
		}
		if limiter, err = ratelimit.NewFallback(ratelimit.FallbackConfig{Primary: r, Secondary: mem, Logger: logger}); err != nil {
			return nil, err
		}
	}
	var webhooks *ratelimit.Limit
	if l, ok := cfg.WebhookRateLimit.Limit(); ok {
		webhooks = &l
	}
	return ratelimit.NewPolicy(ratelimit.PolicyConfig{
		Limiter:       limiter,
		WebhooksPerIP: webhooks,
		Rules: func(ctx context.Context) (ratelimit.Rules, error) {
			r, err := store.RateLimits(ctx)
			return r.Rules(), err
		},
		Logger:    logger,
		OnRefused: m.RateLimited,
	})
}

// withRateLimit applies the per-address ceiling to every request and lets the checks made during
// GraphQL execution (sign-in, sign-up, mutations) set the RateLimit-* and Retry-After headers.
// A request over the ceiling is answered 429 before GraphQL runs. Requests made with an API key
// skip the address ceiling: a gateway sends all its users' traffic from one address, and a key is
// revoked, not throttled, when it is abused.
func withRateLimit(limits *ratelimit.Policy, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := ratelimit.WithHeaders(r.Context(), ratelimit.NewHeaderSink(w.Header().Set))
		if v := auth.ViewerFrom(ctx); v != nil && v.APIKeyID != "" {
			next.ServeHTTP(w, r.WithContext(ctx))
			return
		}
		if err := limits.Request(ctx); err != nil {
			e, _ := errs.As(err)
			refused(r, refusedRateLimited)
			writeError(w, http.StatusTooManyRequests, e)
			return
		}
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

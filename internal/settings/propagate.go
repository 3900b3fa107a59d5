package settings

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/redis/go-redis/v9"
)

// DefaultChannel is the Redis channel replicas announce configuration changes on.
const DefaultChannel = "steward:settings:changed"

// PropagationConfig connects a Store to the other replicas through Redis.
type PropagationConfig struct {
	Client redis.UniversalClient
	// Channel defaults to DefaultChannel; replicas of one deployment must use the same one.
	Channel string
	Logger  *slog.Logger
}

// Propagate makes s announce every committed change on Redis and drop its cached copy of any key
// another replica announces, so a change reaches every replica's next read within the pub/sub
// latency. It returns once the subscription is live; stop ends it.
//
// A message published while this replica was disconnected is lost, so after every
// (re)subscription the whole cache is dropped: a reconnect costs one read per section instead of
// serving a stale value forever.
func (s *Store) Propagate(ctx context.Context, cfg PropagationConfig) (stop func(), err error) {
	if cfg.Client == nil {
		return nil, errors.New("settings: propagation needs a Redis client")
	}
	if cfg.Channel == "" {
		cfg.Channel = DefaultChannel
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	ps := cfg.Client.Subscribe(ctx, cfg.Channel)
	// Receive waits for the subscription confirmation, so changes published after Propagate
	// returns are never missed.
	if _, err := ps.Receive(ctx); err != nil {
		_ = ps.Close()
		return nil, fmt.Errorf("subscribing to %s: %w", cfg.Channel, err)
	}
	s.mu.Lock()
	s.published = func(key string) {
		pctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		if err := cfg.Client.Publish(pctx, cfg.Channel, key).Err(); err != nil {
			cfg.Logger.Warn("announcing a settings change failed; other replicas keep their cached value until they reconnect",
				"key", key, "err", err)
		}
	}
	s.mu.Unlock()
	done := make(chan struct{})
	go func() {
		defer close(done)
		for m := range ps.ChannelWithSubscriptions(redis.WithChannelHealthCheckInterval(30 * time.Second)) {
			switch m := m.(type) {
			case *redis.Message:
				s.Invalidate(m.Payload)
			case *redis.Subscription:
				if m.Kind == "subscribe" {
					s.InvalidateAll()
				}
			}
		}
	}()
	return func() {
		s.mu.Lock()
		s.published = nil
		s.mu.Unlock()
		_ = ps.Close()
		<-done
	}, nil
}

package events

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/redis/go-redis/v9"
)

var _ Bus = (*Redis)(nil)

// DefaultChannelPrefix is put in front of topics to name Redis channels
// when RedisConfig leaves ChannelPrefix empty.
const DefaultChannelPrefix = "steward:events:"

// RedisConfig configures a Redis bus.
type RedisConfig struct {
	// Client is the Redis connection; required. Every replica that should
	// see the same events must point at the same Redis. The bus does not
	// close it.
	Client redis.UniversalClient
	// ChannelPrefix is put in front of a topic to name its Redis channel,
	// so that several environments can share one Redis. Empty means
	// DefaultChannelPrefix.
	ChannelPrefix string
	// Buffer is the capacity of each subscription's channel, as in
	// LocalConfig.
	Buffer int
	// Logger receives the bus's own problems (undecodable messages,
	// reconnects). Nil means slog.Default().
	Logger *slog.Logger
	// OnDrop is told of each event lost, as in LocalConfig, and of each
	// message from Redis dropped as undecodable or invalid.
	OnDrop func(topic string)
}

// Validate reports whether c is usable.
func (c RedisConfig) Validate() error {
	if c.Client == nil {
		return errors.New("events: redis client is required")
	}
	return LocalConfig{Buffer: c.Buffer}.Validate()
}

// Redis is a Bus shared by every replica connected to the same Redis. It
// publishes each event to the Redis channel <prefix><topic> and delivers it
// to this replica's subscribers at once, whether or not Redis is
// reachable. One Redis pub/sub connection per bus receives the other
// replicas' events and hands them to an embedded Local. go-redis reconnects
// and resubscribes that connection after network errors; events published
// while it is down do not reach this replica. It is safe for concurrent
// use. Use NewRedis; the zero Redis is not usable.
type Redis struct {
	local  *Local
	client redis.UniversalClient
	prefix string
	logger *slog.Logger
	// origin tells this bus's own messages apart when Redis echoes them
	// back: they were delivered locally already.
	origin string

	pubsub *redis.PubSub
	cancel context.CancelFunc
	// done is closed when the receive loop has stopped.
	done chan struct{}
	// subscribed is closed once Redis has confirmed the subscription, and
	// subscriptions counts the confirmations, one more per reconnect. Tests
	// wait on them.
	subscribed    chan struct{}
	subscriptions atomic.Int64

	closeOnce sync.Once
	closeErr  error
}

// envelope is the JSON a Redis message carries; the topic is in the
// channel name.
type envelope struct {
	Origin  string          `json:"origin"`
	Key     string          `json:"key,omitempty"`
	Payload json.RawMessage `json:"payload,omitempty"`
}

// NewRedis returns a Redis bus configured by cfg. It does not wait for
// Redis: the pub/sub connection is made in the background and retried until
// Close.
func NewRedis(cfg RedisConfig) (*Redis, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	local, err := NewLocal(LocalConfig{Buffer: cfg.Buffer, OnDrop: cfg.OnDrop})
	if err != nil {
		return nil, err
	}
	r := &Redis{
		local:      local,
		client:     cfg.Client,
		prefix:     cfg.ChannelPrefix,
		logger:     cfg.Logger,
		origin:     rand.Text(),
		done:       make(chan struct{}),
		subscribed: make(chan struct{}),
	}
	if r.prefix == "" {
		r.prefix = DefaultChannelPrefix
	}
	if r.logger == nil {
		r.logger = slog.Default()
	}
	// Without channels PSubscribe only builds the PubSub; connecting is
	// left to run, so that NewRedis never waits for an unreachable Redis.
	r.pubsub = cfg.Client.PSubscribe(context.Background())
	ctx, cancel := context.WithCancel(context.Background())
	r.cancel = cancel
	go r.run(ctx)
	return r, nil
}

// run subscribes to every channel under the prefix and fans the messages
// out until Close.
func (r *Redis) run(ctx context.Context) {
	defer close(r.done)
	pattern := globEscape(r.prefix) + "*"
	// PSubscribe remembers the pattern even when it fails, and the
	// PubSub subscribes to it again on every (re)connect.
	if err := r.pubsub.PSubscribe(ctx, pattern); err != nil && ctx.Err() == nil {
		r.logger.Warn("events: redis subscribe failed, retrying in the background",
			"pattern", pattern, "err", err)
	}
	// The channel is closed when the PubSub is.
	for msg := range r.pubsub.ChannelWithSubscriptions(redis.WithChannelSize(256)) {
		switch msg := msg.(type) {
		case *redis.Subscription:
			r.onSubscription(msg)
		case *redis.Message:
			r.receive(msg)
		}
	}
}

// onSubscription notes that Redis confirmed the subscription, which after
// the first time means the PubSub reconnected.
func (r *Redis) onSubscription(msg *redis.Subscription) {
	if msg.Kind != "psubscribe" {
		return
	}
	if r.subscriptions.Add(1) == 1 {
		close(r.subscribed)
		r.logger.Debug("events: redis subscribed", "pattern", msg.Channel)
		return
	}
	r.logger.Info("events: redis resubscribed after reconnect; events published meanwhile were lost",
		"pattern", msg.Channel)
	// Caches kept coherent by other replicas' events must assume they missed some.
	_ = r.local.Publish(context.Background(), Event{Topic: ReconnectedTopic})
}

// receive delivers another replica's event to this replica's subscribers.
func (r *Redis) receive(msg *redis.Message) {
	topic, ok := strings.CutPrefix(msg.Channel, r.prefix)
	if !ok || !r.local.hasSubscribers(topic) {
		return
	}
	var env envelope
	if err := json.Unmarshal([]byte(msg.Payload), &env); err != nil {
		// The payload may hold personal data, so log only its size.
		r.logger.Warn("events: undecodable redis message dropped",
			"channel", msg.Channel, "bytes", len(msg.Payload), "err", err)
		r.dropped(topic)
		return
	}
	if env.Origin == r.origin {
		return
	}
	err := r.local.Publish(context.Background(), Event{Topic: topic, Key: env.Key, Payload: env.Payload})
	if err != nil && !errors.Is(err, ErrClosed) {
		r.logger.Warn("events: invalid redis message dropped", "channel", msg.Channel, "err", err)
		r.dropped(topic)
	}
}

func (r *Redis) dropped(topic string) {
	if r.local.onDrop != nil {
		r.local.onDrop(topic)
	}
}

// Publish delivers e to this replica's subscribers, then publishes it to
// the other replicas through Redis, waiting for Redis as long as ctx and the
// client's timeouts allow. It returns an error when e is invalid and
// ErrClosed after Close. When Redis fails, the event has still reached this
// replica's subscribers, and the error wraps ErrNotShared and the cause.
func (r *Redis) Publish(ctx context.Context, e Event) error {
	if err := r.local.Publish(ctx, e); err != nil {
		return err
	}
	data, err := json.Marshal(envelope{Origin: r.origin, Key: e.Key, Payload: e.Payload})
	if err != nil {
		// Publish validated the payload, so this is not expected.
		return fmt.Errorf("%w: encode %q event: %w", ErrNotShared, e.Topic, err)
	}
	channel := r.prefix + e.Topic
	if err := r.client.Publish(ctx, channel, data).Err(); err != nil {
		return fmt.Errorf("%w: publish %q event to redis channel %q: %w", ErrNotShared, e.Topic, channel, err)
	}
	return nil
}

// Subscribe returns a channel of the events of topic from every replica, or
// of only those with Key == key when key is not empty. It works as
// Local.Subscribe does and needs no Redis round trip.
func (r *Redis) Subscribe(ctx context.Context, topic, key string) (<-chan Event, error) {
	return r.local.Subscribe(ctx, topic, key)
}

// Listen calls fn with each event of topic from every replica, or of only
// those with Key == key when key is not empty. It works as Local.Listen
// does and needs no Redis round trip.
func (r *Redis) Listen(topic, key string, fn func(Event)) (stop func(), err error) {
	return r.local.Listen(topic, key, fn)
}

// Close closes the pub/sub connection, waits for the receive loop to stop
// and closes every subscription and listener. It does not close the Redis client.
// Calling it again does nothing.
func (r *Redis) Close() error {
	r.closeOnce.Do(func() {
		r.cancel()
		if err := r.pubsub.Close(); err != nil {
			r.closeErr = fmt.Errorf("events: close redis pubsub: %w", err)
		}
		<-r.done
		r.local.Close()
	})
	return r.closeErr
}

// globEscape escapes the characters that are special in Redis glob
// patterns, so that the prefix matches only itself.
func globEscape(s string) string {
	var b strings.Builder
	for _, c := range s {
		switch c {
		case '*', '?', '[', ']', '\\':
			b.WriteByte('\\')
		}
		b.WriteRune(c)
	}
	return b.String()
}

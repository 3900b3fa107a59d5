// Package events fans domain events out to subscribers, such as the
// resolvers behind GraphQL subscriptions.
//
// Local delivers within one process. Redis shares events between replicas
// through Redis pub/sub and delivers them to each replica's subscribers
// through an embedded Local. Both give every subscriber its own buffered
// channel and never block a publisher: a subscriber that falls behind loses
// events and is told how many it lost (see Event.Dropped). A listener (see
// Bus.Listen) is a callback instead, for subscribers that have no goroutine
// of their own to read a channel with; it buffers for itself.
//
// Delivery is at most once. Callers publish only after their transaction
// commits, so that subscribers never see rolled-back changes.
package events

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
)

// DefaultBuffer is the capacity of a subscription's channel when the config
// leaves Buffer at 0.
const DefaultBuffer = 64

// Event is one domain event.
type Event struct {
	// Topic names the kind of event, for example "usage", "quota_alert",
	// "audit" or "config". Publish requires it.
	Topic string
	// Key narrows the event down, for example to a user id, so that
	// subscribers can ask for one key only. It may be empty; such an event
	// reaches only subscribers that asked for every key.
	Key string
	// Payload is the event's JSON body. It is shared by every subscriber,
	// which must not modify it. Use Encode and Decode to fill and read it.
	Payload json.RawMessage
	// Dropped is set only on the notices the bus sends itself: it counts
	// the events of Topic this subscriber lost because its channel was
	// full. A notice has no Key or Payload, and it always arrives right
	// before the next event the subscriber does get. Publish rejects
	// events with Dropped set.
	Dropped int
}

// validate reports whether e can be published.
func (e Event) validate() error {
	if e.Topic == "" {
		return errors.New("events: topic is required")
	}
	if e.Dropped != 0 {
		return fmt.Errorf("events: %q event: Dropped is reserved for notices from the bus", e.Topic)
	}
	if len(e.Payload) > 0 && !json.Valid(e.Payload) {
		return fmt.Errorf("events: %q event: payload is not valid JSON", e.Topic)
	}
	return nil
}

// Bus delivers events to the subscribers of their topic.
type Bus interface {
	// Publish delivers e to every current subscriber of e.Topic (only
	// those whose key matches, when they gave one) on every replica. It
	// never blocks on slow subscribers. After Close it returns ErrClosed.
	Publish(ctx context.Context, e Event) error
	// Subscribe returns a channel of the events of topic, or of only those
	// whose Key equals key when key is not empty. The bus closes the
	// channel when ctx is done or the bus closes. When the channel is full
	// the subscriber loses events, and the next event it does get is
	// preceded by an Event{Topic: topic, Dropped: n} notice. After Close
	// it returns ErrClosed.
	Subscribe(ctx context.Context, topic, key string) (<-chan Event, error)
	// Listen calls fn with each event of topic, or of only those whose
	// Key equals key when key is not empty, until stop is called or the
	// bus closes. fn runs in the publisher's goroutine, one event at a
	// time for this listener, while the bus holds a lock: it must return
	// quickly, must not block, and must not publish, subscribe, listen
	// or stop a listener. A listener gets no drop notices: it never falls
	// behind, since buffering is up to fn. stop may be called more than
	// once; fn is not called once stop has returned. After Close it
	// returns ErrClosed.
	Listen(topic, key string, fn func(Event)) (stop func(), err error)
	// Close closes every subscription and releases the bus's resources.
	// Calling it again does nothing.
	Close() error
}

// Encode returns an event of topic and key whose Payload is v as JSON.
func Encode(topic, key string, v any) (Event, error) {
	payload, err := json.Marshal(v)
	if err != nil {
		return Event{}, fmt.Errorf("events: encode %q payload: %w", topic, err)
	}
	return Event{Topic: topic, Key: key, Payload: payload}, nil
}

// Decode returns e's Payload decoded into a T. It returns an error matching
// ErrDropped for a drop notice, which has no payload.
func Decode[T any](e Event) (T, error) {
	var v T
	if e.Dropped > 0 {
		return v, fmt.Errorf("events: decode %q event: %w", e.Topic, ErrDropped)
	}
	if len(e.Payload) == 0 {
		return v, fmt.Errorf("events: decode %q event: no payload", e.Topic)
	}
	if err := json.Unmarshal(e.Payload, &v); err != nil {
		return v, fmt.Errorf("events: decode %q event: %w", e.Topic, err)
	}
	return v, nil
}

// Package live turns domain events into the typed streams behind GraphQL subscriptions, and ends
// a stream as soon as the subscriber's credential stops being valid.
package live

import (
	"context"
	"errors"
	"time"

	"github.com/steward-dev/steward/internal/auth"
	"github.com/steward-dev/steward/internal/events"
)

// CredentialsTopic carries "this user's credentials changed" events (sign-out, revocation, role
// change, deletion), keyed by user id. Streams of that user re-check their credential on each.
const CredentialsTopic = "credentials"

// RecheckEvery bounds how long a stream outlives a credential that expired or changed without
// an event (an API key reaching its expiry, a change on a replica whose event was lost).
const RecheckEvery = 30 * time.Second

// Checker tells whether a viewer's credential still authenticates with the same role.
type Checker interface {
	StillValid(ctx context.Context, v *auth.Viewer) bool
}

// Source is where a stream reads from.
type Source struct {
	Bus     events.Bus
	Checker Checker
}

// Stream subscribes to topic (only key's events when key is not empty) and sends each event
// through convert to the returned channel; convert returns false to skip an event. The channel is
// closed when ctx ends, the bus closes, or the viewer's credential stops being valid. One goroutine
// per stream, with no per-stream ticker goroutine, keeps idle subscriptions cheap.
func Stream[T any](ctx context.Context, src Source, topic, key string, convert func(context.Context, events.Event) (T, bool)) (<-chan T, error) {
	v := auth.ViewerFrom(ctx)
	if v == nil {
		return nil, errors.New("live: stream without a viewer")
	}
	ctx, cancel := context.WithCancel(ctx)
	in, err := src.Bus.Subscribe(ctx, topic, key)
	if err != nil {
		cancel()
		return nil, err
	}
	creds, err := src.Bus.Subscribe(ctx, CredentialsTopic, v.UserID)
	if err != nil {
		cancel()
		return nil, err
	}
	out := make(chan T, 1)
	go func() {
		defer close(out)
		defer cancel()
		recheck := time.NewTicker(RecheckEvery)
		defer recheck.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case _, ok := <-creds:
				if !ok || !src.Checker.StillValid(ctx, v) {
					return
				}
			case <-recheck.C:
				if !src.Checker.StillValid(ctx, v) {
					return
				}
			case e, ok := <-in:
				if !ok {
					return
				}
				if e.Dropped > 0 {
					continue // the next event carries the current totals, so nothing is lost for good
				}
				val, ok := convert(ctx, e)
				if !ok {
					continue
				}
				select {
				case out <- val:
				case <-ctx.Done():
					return
				}
			}
		}
	}()
	return out, nil
}

// CredentialsChanged announces that userID's credentials changed; publish it after commit.
func CredentialsChanged(ctx context.Context, bus events.Bus, userID string) error {
	return bus.Publish(ctx, events.Event{Topic: CredentialsTopic, Key: userID})
}

// Package live turns domain events into the typed streams behind GraphQL subscriptions, and ends
// a stream as soon as the subscriber's credential stops being valid.
//
// A stream runs in one of three modes, chosen by its context:
//   - streaming (the default, for SSE): Stream subscribes to the bus and a goroutine forwards each
//     event to the returned channel until the subscription ends;
//   - registering (ctx from Register): Stream authorizes as in the default mode but only records
//     what it would listen to, for a transport that listens on the bus itself and costs no
//     goroutine per subscription (internal/wsgraphql);
//   - delivering (ctx from Deliver): that transport runs the subscription again for each event,
//     and Stream yields the one value converted from it.
package live

import (
	"context"
	"errors"
	"time"

	"github.com/steward-dev/steward/internal/auth"
	"github.com/steward-dev/steward/internal/events"
)

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

// Registration is what a subscription listens to, recorded by Stream in a context from Register.
// Its zero value records nothing.
type Registration struct {
	src        Source
	viewer     *auth.Viewer
	topic, key string
	recorded   bool
}

type registerKey struct{}

type deliverKey struct{}

// Register returns ctx in which Stream records its subscription in the returned Registration
// instead of subscribing, and returns a closed channel.
func Register(ctx context.Context) (context.Context, *Registration) {
	r := &Registration{}
	return context.WithValue(ctx, registerKey{}, r), r
}

// Deliver returns ctx in which Stream converts e alone and returns a closed channel holding the
// result (nothing when convert skips e).
func Deliver(ctx context.Context, e events.Event) context.Context {
	return context.WithValue(ctx, deliverKey{}, e)
}

// Recorded reports whether Stream recorded a subscription: it did not when the resolver refused
// the subscriber before calling it.
func (r *Registration) Recorded() bool { return r.recorded }

// Listen calls fn with each event of the recorded subscription until stop is called; fn runs in
// the publisher's goroutine and must not block (see events.Bus.Listen).
func (r *Registration) Listen(fn func(events.Event)) (stop func(), err error) {
	return r.src.Bus.Listen(r.topic, r.key, fn)
}

// ListenCredentials calls fn whenever the subscriber's credentials may have changed, until stop
// is called; fn runs in the publisher's goroutine and must not block. Check StillValid then.
func (r *Registration) ListenCredentials(fn func()) (stop func(), err error) {
	return r.src.Bus.Listen(events.CredentialsTopic, r.viewer.UserID, func(events.Event) { fn() })
}

// StillValid reports whether the subscriber's credential still authenticates with the role it
// subscribed with.
func (r *Registration) StillValid(ctx context.Context) bool {
	return r.src.Checker.StillValid(ctx, r.viewer)
}

// Stream subscribes to topic (only key's events when key is not empty) and sends each event
// through convert to the returned channel; convert returns false to skip an event. The channel is
// closed when ctx ends, the bus closes, or the viewer's credential stops being valid. One goroutine
// per stream, with no per-stream ticker goroutine, keeps idle subscriptions cheap; in a context
// from Register or Deliver, Stream starts no goroutine at all (see the package documentation).
func Stream[T any](ctx context.Context, src Source, topic, key string, convert func(context.Context, events.Event) (T, bool)) (<-chan T, error) {
	v := auth.ViewerFrom(ctx)
	if v == nil {
		return nil, errors.New("live: stream without a viewer")
	}
	if r, ok := ctx.Value(registerKey{}).(*Registration); ok {
		*r = Registration{src: src, viewer: v, topic: topic, key: key, recorded: true}
		out := make(chan T)
		close(out)
		return out, nil
	}
	if e, ok := ctx.Value(deliverKey{}).(events.Event); ok {
		out := make(chan T, 1)
		if val, ok := convert(ctx, e); ok {
			out <- val
		}
		close(out)
		return out, nil
	}
	ctx, cancel := context.WithCancel(ctx)
	in, err := src.Bus.Subscribe(ctx, topic, key)
	if err != nil {
		cancel()
		return nil, err
	}
	creds, err := src.Bus.Subscribe(ctx, events.CredentialsTopic, v.UserID)
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

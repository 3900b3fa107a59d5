package events

import "errors"

// ErrClosed is returned by Publish and Subscribe after the bus was closed.
var ErrClosed = errors.New("events: bus is closed")

// ErrNotShared wraps the error of a Redis bus that delivered an event to
// this replica's subscribers but could not pass it on to the other
// replicas, for example because Redis was unreachable. The event is not
// retried; callers log the error and carry on.
var ErrNotShared = errors.New("events: event delivered on this replica only")

// ErrDropped is returned by Decode for a drop notice (an Event with Dropped
// set), which has no payload.
var ErrDropped = errors.New("events: event is a drop notice without payload")

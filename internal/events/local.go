package events

import (
	"context"
	"errors"
	"fmt"
	"sync"
)

var _ Bus = (*Local)(nil)

// LocalConfig configures a Local bus.
type LocalConfig struct {
	// Buffer is the capacity of each subscription's channel: how many
	// events a subscriber may fall behind before it loses some. 0 means
	// DefaultBuffer. It must be at least 2, room for a drop notice and the
	// event that follows it.
	Buffer int
	// OnDrop, when set, is told of each event a subscriber lost because it fell behind (for
	// metrics). It runs in the publisher's goroutine and must not block.
	OnDrop func(topic string)
}

// Validate reports whether c is usable.
func (c LocalConfig) Validate() error {
	if c.Buffer != 0 && c.Buffer < 2 {
		return fmt.Errorf("events: buffer must be 0 (default) or at least 2, got %d", c.Buffer)
	}
	return nil
}

// Local is a Bus that delivers events within this process. It is safe for
// concurrent use. A publish costs O(subscribers that match the event), and
// neither a subscription nor a listener costs a goroutine. The zero Local is
// ready to use, with DefaultBuffer.
type Local struct {
	buffer int
	onDrop func(topic string)

	// mu guards the fields below. Publish holds it for reading while it
	// sends, so removing a subscription (which closes its channel) waits
	// for sends in flight and a send never hits a closed channel.
	mu   sync.RWMutex
	subs map[filter][]*subscription
	// topics counts the subscriptions of each topic, whatever their key.
	topics map[string]int
	closed bool
}

// filter is what a subscription asked for; key "" means every key.
type filter struct {
	topic, key string
}

// subscription is a channel subscriber (ch set) or a listener (fn set).
type subscription struct {
	filter filter
	ch     chan Event
	fn     func(Event)
	// index is the subscription's position in Local.subs[filter], or -1
	// once it is removed. Guarded by Local.mu.
	index int
	// stop unregisters the context.AfterFunc that removes a channel
	// subscription. Guarded by Local.mu.
	stop func() bool

	// mu serialises deliveries to this subscriber, so that a drop notice
	// and the event after it stay together even with concurrent
	// publishers.
	mu      sync.Mutex
	dropped int
	onDrop  func(topic string)
}

// NewLocal returns a Local bus configured by cfg.
func NewLocal(cfg LocalConfig) (*Local, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	return &Local{buffer: cfg.Buffer, onDrop: cfg.OnDrop}, nil
}

// Publish delivers e to the current subscribers of e.Topic in this process
// without blocking; ctx is not used. It returns an error when e is invalid
// (no Topic, Dropped set, or a Payload that is not JSON) and ErrClosed after
// Close.
func (l *Local) Publish(ctx context.Context, e Event) error {
	if err := e.validate(); err != nil {
		return err
	}
	l.mu.RLock()
	defer l.mu.RUnlock()
	if l.closed {
		return ErrClosed
	}
	for _, s := range l.subs[filter{topic: e.Topic}] {
		s.deliver(e)
	}
	if e.Key != "" {
		for _, s := range l.subs[filter{topic: e.Topic, key: e.Key}] {
			s.deliver(e)
		}
	}
	return nil
}

// hasSubscribers reports whether any subscriber in this process listens to
// topic.
func (l *Local) hasSubscribers(topic string) bool {
	l.mu.RLock()
	defer l.mu.RUnlock()
	return l.topics[topic] > 0
}

// deliver sends e to s without blocking, or counts it as dropped; a
// listener gets e as it is.
func (s *subscription) deliver(e Event) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.fn != nil {
		s.fn(e)
		return
	}
	if s.dropped == 0 {
		select {
		case s.ch <- e:
		default:
			s.drop()
		}
		return
	}
	// The notice must come right before an event, so send both or
	// neither. Only deliver (serialised by s.mu) fills ch and the reader
	// only empties it, so the free room we see can only grow and both
	// sends below succeed without blocking.
	if cap(s.ch)-len(s.ch) < 2 {
		s.drop()
		return
	}
	s.ch <- Event{Topic: s.filter.topic, Dropped: s.dropped}
	s.ch <- e
	s.dropped = 0
}

// drop counts an event s lost. Its caller holds s.mu.
func (s *subscription) drop() {
	s.dropped++
	if s.onDrop != nil {
		s.onDrop(s.filter.topic)
	}
}

// Subscribe returns a channel of the events of topic, or of only those
// with Key == key when key is not empty. The channel is closed when ctx is
// done or the bus closes. It returns an error when topic is empty or ctx is
// already done, and ErrClosed after Close.
func (l *Local) Subscribe(ctx context.Context, topic, key string) (<-chan Event, error) {
	if topic == "" {
		return nil, errors.New("events: topic is required")
	}
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("events: subscribe to %q: %w", topic, err)
	}
	buffer := l.buffer
	if buffer == 0 {
		buffer = DefaultBuffer
	}
	s := &subscription{filter: filter{topic: topic, key: key}, ch: make(chan Event, buffer), onDrop: l.onDrop}

	l.mu.Lock()
	defer l.mu.Unlock()
	if err := l.addLocked(s); err != nil {
		return nil, err
	}
	// Should ctx be done already, the func runs at once in its own
	// goroutine and waits for l.mu, so it still sees s registered.
	s.stop = context.AfterFunc(ctx, func() { l.remove(s) })
	return s.ch, nil
}

// Listen calls fn with each event of topic, or of only those with Key ==
// key when key is not empty, in the publisher's goroutine until stop is
// called or the bus closes; see Bus.Listen for what fn may do. It returns an
// error when topic is empty or fn is nil, and ErrClosed after Close.
func (l *Local) Listen(topic, key string, fn func(Event)) (stop func(), err error) {
	if topic == "" {
		return nil, errors.New("events: topic is required")
	}
	if fn == nil {
		return nil, fmt.Errorf("events: listen to %q: nil func", topic)
	}
	s := &subscription{filter: filter{topic: topic, key: key}, fn: fn}
	l.mu.Lock()
	defer l.mu.Unlock()
	if err := l.addLocked(s); err != nil {
		return nil, err
	}
	// remove takes l.mu, which a publisher holds while it calls fn, so
	// fn is not running and will not run again once stop returns.
	return func() { l.remove(s) }, nil
}

// addLocked registers s; l.mu must be held for writing.
func (l *Local) addLocked(s *subscription) error {
	if l.closed {
		return ErrClosed
	}
	if l.subs == nil {
		l.subs = make(map[filter][]*subscription)
		l.topics = make(map[string]int)
	}
	l.topics[s.filter.topic]++
	s.index = len(l.subs[s.filter])
	l.subs[s.filter] = append(l.subs[s.filter], s)
	return nil
}

// remove unregisters s and closes its channel, unless Close already did.
// Removing a listener that is already gone does nothing.
func (l *Local) remove(s *subscription) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if s.index < 0 {
		return
	}
	list := l.subs[s.filter]
	last := len(list) - 1
	list[s.index] = list[last]
	list[s.index].index = s.index
	list[last] = nil
	if last == 0 {
		delete(l.subs, s.filter)
	} else {
		l.subs[s.filter] = list[:last]
	}
	l.topics[s.filter.topic]--
	if l.topics[s.filter.topic] == 0 {
		delete(l.topics, s.filter.topic)
	}
	s.index = -1
	s.close()
}

// close ends a channel subscription by closing its channel; a listener has
// nothing to close.
func (s *subscription) close() {
	if s.ch != nil {
		close(s.ch)
	}
}

// Close closes every subscription's channel and drops every listener.
// Publish, Subscribe and Listen then return ErrClosed. Calling Close again
// does nothing.
func (l *Local) Close() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.closed {
		return nil
	}
	l.closed = true
	for _, list := range l.subs {
		for _, s := range list {
			// If the AfterFunc already started, it waits for l.mu and
			// then sees index -1.
			if s.stop != nil {
				s.stop()
			}
			s.index = -1
			s.close()
		}
	}
	l.subs = nil
	l.topics = nil
	return nil
}

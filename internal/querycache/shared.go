package querycache

import (
	"context"
	"crypto/rand"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/steward-dev/steward/internal/events"
)

// WritesTopic carries, between replicas, the notice that one of them wrote to the database; a
// count of the writes to some tables only (db.DB.WatchTables) has a topic of its own.
const WritesTopic = "db.writes"

// DefaultNoticeInterval is how often a replica tells the others that it wrote: what a write on
// one replica may be unseen by another's query cache, plus Redis's delivery time.
const DefaultNoticeInterval = 10 * time.Millisecond

// SharedWrites is the write count of every replica serving one database, for a Cache on each: this
// process's own writes (db.DB.Writes) plus one for every notice another replica published on the
// bus that it wrote. A replica publishes at most one notice an interval, and only after its count
// moved, so a quiet cluster sends nothing. A lost notice (Redis unreachable) is bounded by the
// cache's TTL; when the bus reconnects, the count moves as if every other replica had written.
type SharedWrites struct {
	topic    string
	local    func() uint64
	bus      events.Bus
	origin   string
	interval time.Duration
	remote   atomic.Uint64

	stopListen []func()
	cancel     context.CancelFunc
	done       chan struct{}
	closeOnce  sync.Once
}

// NewSharedWrites starts sharing local's writes on bus under topic every interval
// (DefaultNoticeInterval when zero) and counting the other replicas' under the same topic. Close
// stops it.
func NewSharedWrites(bus events.Bus, topic string, local func() uint64, interval time.Duration) (*SharedWrites, error) {
	if interval <= 0 {
		interval = DefaultNoticeInterval
	}
	s := &SharedWrites{topic: topic, local: local, bus: bus, origin: rand.Text(), interval: interval, done: make(chan struct{})}
	stop, err := bus.Listen(topic, "", func(e events.Event) {
		if e.Key != s.origin { // this process's own notices come back to it too
			s.remote.Add(1)
		}
	})
	if err != nil {
		return nil, fmt.Errorf("following other replicas' writes: %w", err)
	}
	s.stopListen = append(s.stopListen, stop)
	stop, err = bus.Listen(events.ReconnectedTopic, "", func(events.Event) { s.remote.Add(1) })
	if err != nil {
		s.stopListen[0]()
		return nil, fmt.Errorf("following other replicas' writes: %w", err)
	}
	s.stopListen = append(s.stopListen, stop)
	ctx, cancel := context.WithCancel(context.Background())
	s.cancel = cancel
	go s.announce(ctx)
	return s, nil
}

// Writes is the count to give Config.Writes.
func (s *SharedWrites) Writes() uint64 { return s.local() + s.remote.Load() }

// announce publishes a notice each interval in which this process wrote.
func (s *SharedWrites) announce(ctx context.Context) {
	defer close(s.done)
	t := time.NewTicker(s.interval)
	defer t.Stop()
	last := s.local()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		if n := s.local(); n != last {
			last = n
			// Best effort: a notice Redis did not take is bounded by the other caches' TTL.
			_ = s.bus.Publish(ctx, events.Event{Topic: s.topic, Key: s.origin})
		}
	}
}

// Close stops sharing and following.
func (s *SharedWrites) Close() {
	s.closeOnce.Do(func() {
		s.cancel()
		<-s.done
		for _, stop := range s.stopListen {
			stop()
		}
	})
}

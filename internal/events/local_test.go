package events

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"runtime"
	"slices"
	"strconv"
	"sync"
	"testing"
)

func newTestLocal(t testing.TB, buffer int) *Local {
	t.Helper()
	l, err := NewLocal(LocalConfig{Buffer: buffer})
	if err != nil {
		t.Fatalf("NewLocal() error = %v", err)
	}
	t.Cleanup(func() { l.Close() })
	return l
}

// subscribe subscribes to b, failing the test on error.
func subscribe(t testing.TB, b Bus, ctx context.Context, topic, key string) <-chan Event {
	t.Helper()
	ch, err := b.Subscribe(ctx, topic, key)
	if err != nil {
		t.Fatalf("Subscribe(%q, %q) error = %v", topic, key, err)
	}
	return ch
}

// event returns an event whose payload is the JSON string payload.
func event(topic, key, payload string) Event {
	return Event{Topic: topic, Key: key, Payload: json.RawMessage(strconv.Quote(payload))}
}

func TestNewLocal(t *testing.T) {
	tests := []struct {
		name    string
		buffer  int
		wantErr bool
	}{
		{name: "default", buffer: 0},
		{name: "smallest", buffer: 2},
		{name: "large", buffer: 4096},
		{name: "no room for a notice", buffer: 1, wantErr: true},
		{name: "negative", buffer: -1, wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l, err := NewLocal(LocalConfig{Buffer: tt.buffer})
			if (err != nil) != tt.wantErr {
				t.Fatalf("NewLocal() error = %v, want error %v", err, tt.wantErr)
			}
			if err != nil {
				return
			}
			defer l.Close()
			ch := subscribe(t, l, t.Context(), "usage", "")
			want := tt.buffer
			if want == 0 {
				want = DefaultBuffer
			}
			if got := cap(ch); got != want {
				t.Errorf("cap(channel) = %d, want %d", got, want)
			}
		})
	}
}

func TestLocalZeroValue(t *testing.T) {
	var l Local
	ch := subscribe(t, &l, t.Context(), "usage", "")
	if got := cap(ch); got != DefaultBuffer {
		t.Errorf("cap(channel) = %d, want %d", got, DefaultBuffer)
	}
	if err := l.Publish(t.Context(), event("usage", "", "a")); err != nil {
		t.Fatalf("Publish() error = %v", err)
	}
	if got := payloads(buffered(t, ch)); !slices.Equal(got, []string{`"a"`}) {
		t.Errorf("events = %q, want %q", got, []string{`"a"`})
	}
	l.Close()
	waitClosed(t, ch)
}

func TestLocalFiltering(t *testing.T) {
	type sub struct{ topic, key string }
	// Every case publishes the same events; payloads name them.
	published := []Event{
		event("usage", "alice", "usage/alice"),
		event("usage", "bob", "usage/bob"),
		event("usage", "", "usage/-"),
		event("audit", "alice", "audit/alice"),
		event("audit", "", "audit/-"),
		event("usage", "alice", "usage/alice2"),
	}
	tests := []struct {
		name string
		subs []sub
		want [][]string
	}{
		{
			name: "whole topic",
			subs: []sub{{topic: "usage"}},
			want: [][]string{{`"usage/alice"`, `"usage/bob"`, `"usage/-"`, `"usage/alice2"`}},
		},
		{
			name: "one key",
			subs: []sub{{topic: "usage", key: "alice"}},
			want: [][]string{{`"usage/alice"`, `"usage/alice2"`}},
		},
		{
			name: "key of another topic",
			subs: []sub{{topic: "audit", key: "bob"}},
			want: [][]string{nil},
		},
		{
			name: "topic without events",
			subs: []sub{{topic: "config"}},
			want: [][]string{nil},
		},
		{
			name: "several subscribers of one filter each get every event",
			subs: []sub{{topic: "audit"}, {topic: "audit"}, {topic: "audit"}},
			want: [][]string{
				{`"audit/alice"`, `"audit/-"`},
				{`"audit/alice"`, `"audit/-"`},
				{`"audit/alice"`, `"audit/-"`},
			},
		},
		{
			name: "mixed filters",
			subs: []sub{{topic: "usage", key: "bob"}, {topic: "audit"}, {topic: "usage"}, {topic: "audit", key: "alice"}},
			want: [][]string{
				{`"usage/bob"`},
				{`"audit/alice"`, `"audit/-"`},
				{`"usage/alice"`, `"usage/bob"`, `"usage/-"`, `"usage/alice2"`},
				{`"audit/alice"`},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := newTestLocal(t, 0)
			chans := make([]<-chan Event, len(tt.subs))
			for i, s := range tt.subs {
				chans[i] = subscribe(t, l, t.Context(), s.topic, s.key)
			}
			for _, e := range published {
				if err := l.Publish(t.Context(), e); err != nil {
					t.Fatalf("Publish(%s) error = %v", e.Payload, err)
				}
			}
			// Local delivers before Publish returns.
			for i, ch := range chans {
				got := buffered(t, ch)
				for _, e := range got {
					if e.Topic != tt.subs[i].topic {
						t.Errorf("subscriber %d (%+v): got topic %q, want %q", i, tt.subs[i], e.Topic, tt.subs[i].topic)
					}
				}
				if gotPayloads := payloads(got); !slices.Equal(gotPayloads, tt.want[i]) {
					t.Errorf("subscriber %d (%+v): got %q, want %q", i, tt.subs[i], gotPayloads, tt.want[i])
				}
			}
		})
	}
}

func TestLocalPublishInvalid(t *testing.T) {
	l := newTestLocal(t, 0)
	ch := subscribe(t, l, t.Context(), "usage", "")
	tests := []struct {
		name string
		e    Event
	}{
		{name: "no topic", e: Event{Payload: json.RawMessage(`1`)}},
		{name: "dropped set", e: Event{Topic: "usage", Dropped: 3}},
		{name: "invalid JSON", e: Event{Topic: "usage", Payload: json.RawMessage(`{`)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := l.Publish(t.Context(), tt.e); err == nil {
				t.Errorf("Publish(%+v) error = nil, want an error", tt.e)
			}
			if got := buffered(t, ch); len(got) != 0 {
				t.Errorf("subscriber got %d events, want 0", len(got))
			}
		})
	}
}

func TestLocalSubscribeInvalid(t *testing.T) {
	l := newTestLocal(t, 0)
	done, cancel := context.WithCancel(t.Context())
	cancel()
	tests := []struct {
		name  string
		ctx   context.Context
		topic string
	}{
		{name: "no topic", ctx: t.Context(), topic: ""},
		{name: "context done", ctx: done, topic: "usage"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ch, err := l.Subscribe(tt.ctx, tt.topic, "")
			if err == nil {
				t.Errorf("Subscribe() error = nil, want an error")
			}
			if ch != nil {
				t.Errorf("Subscribe() channel = %v, want nil", ch)
			}
		})
	}
	if got := len(l.subs); got != 0 {
		t.Errorf("registered filters = %d, want 0", got)
	}
}

func TestLocalCancelClosesChannel(t *testing.T) {
	l := newTestLocal(t, 0)
	ctx, cancel := context.WithCancel(t.Context())
	gone := subscribe(t, l, ctx, "usage", "alice")
	stays := subscribe(t, l, t.Context(), "usage", "alice")

	if err := l.Publish(t.Context(), event("usage", "alice", "before")); err != nil {
		t.Fatalf("Publish() error = %v", err)
	}
	cancel()
	if got := waitClosed(t, gone); got != 1 {
		t.Errorf("cancelled subscriber had %d events left before closing, want 1", got)
	}
	if err := l.Publish(t.Context(), event("usage", "alice", "after")); err != nil {
		t.Fatalf("Publish() error = %v", err)
	}
	want := []string{`"before"`, `"after"`}
	if got := payloads(buffered(t, stays)); !slices.Equal(got, want) {
		t.Errorf("remaining subscriber got %q, want %q", got, want)
	}
	l.mu.RLock()
	gotSubs := len(l.subs[filter{topic: "usage", key: "alice"}])
	l.mu.RUnlock()
	if gotSubs != 1 {
		t.Errorf("registered subscriptions = %d, want 1", gotSubs)
	}
}

func TestLocalClose(t *testing.T) {
	l := newTestLocal(t, 0)
	chans := []<-chan Event{
		subscribe(t, l, t.Context(), "usage", ""),
		subscribe(t, l, t.Context(), "usage", "alice"),
		subscribe(t, l, t.Context(), "audit", ""),
	}
	// A subscription whose ctx ends after Close must not be closed twice.
	ctx, cancel := context.WithCancel(t.Context())
	chans = append(chans, subscribe(t, l, ctx, "config", ""))

	if err := l.Close(); err != nil {
		t.Fatalf("Close() error = %v", err)
	}
	cancel()
	for i, ch := range chans {
		if got := waitClosed(t, ch); got != 0 {
			t.Errorf("subscriber %d: %d events left, want 0", i, got)
		}
	}
	if err := l.Publish(t.Context(), event("usage", "", "late")); !errors.Is(err, ErrClosed) {
		t.Errorf("Publish() after Close error = %v, want ErrClosed", err)
	}
	if _, err := l.Subscribe(t.Context(), "usage", ""); !errors.Is(err, ErrClosed) {
		t.Errorf("Subscribe() after Close error = %v, want ErrClosed", err)
	}
	if err := l.Close(); err != nil {
		t.Errorf("second Close() error = %v, want nil", err)
	}
}

func TestLocalSlowSubscriber(t *testing.T) {
	const (
		buffer = 8
		total  = 10_000
	)
	l := newTestLocal(t, buffer)
	slow := subscribe(t, l, t.Context(), "usage", "")

	// Publish blocking on the full channel would hang here (and the test
	// would time out), so finishing the loop is the assertion.
	for i := range total {
		if err := l.Publish(t.Context(), event("usage", "", strconv.Itoa(i))); err != nil {
			t.Fatalf("Publish(%d) error = %v", i, err)
		}
	}

	got := payloads(buffered(t, slow))
	var want []string
	for i := range buffer {
		want = append(want, strconv.Quote(strconv.Itoa(i)))
	}
	if !slices.Equal(got, want) {
		t.Fatalf("after %d publishes the subscriber has %q, want the first %d events %q", total, got, buffer, want)
	}

	if err := l.Publish(t.Context(), event("usage", "", "next")); err != nil {
		t.Fatalf("Publish() error = %v", err)
	}
	gotEvents := buffered(t, slow)
	want = []string{"dropped:" + strconv.Itoa(total-buffer), `"next"`}
	if got := payloads(gotEvents); !slices.Equal(got, want) {
		t.Fatalf("after reading, the subscriber got %q, want %q", got, want)
	}
	wantNotice := Event{Topic: "usage", Dropped: total - buffer}
	if n := gotEvents[0]; n.Topic != wantNotice.Topic || n.Key != "" || n.Payload != nil || n.Dropped != wantNotice.Dropped {
		t.Errorf("notice = %+v, want %+v", n, wantNotice)
	}
}

func TestLocalDropNotice(t *testing.T) {
	l := newTestLocal(t, 2)
	ch := subscribe(t, l, t.Context(), "usage", "alice")
	publish := func(payload string) {
		t.Helper()
		if err := l.Publish(t.Context(), event("usage", "alice", payload)); err != nil {
			t.Fatalf("Publish(%s) error = %v", payload, err)
		}
	}
	publish("1")
	publish("2")
	publish("3") // full: dropped
	if e := recv(t, ch); string(e.Payload) != `"1"` {
		t.Fatalf("first event = %s, want \"1\"", e.Payload)
	}
	// One free slot is not room for the notice and the event together.
	publish("4")
	if e := recv(t, ch); string(e.Payload) != `"2"` {
		t.Fatalf("second event = %s, want \"2\"", e.Payload)
	}
	publish("5")
	got := buffered(t, ch)
	wantNotice := Event{Topic: "usage", Dropped: 2}
	if len(got) != 2 {
		t.Fatalf("got %q, want a notice of 2 drops and \"5\"", payloads(got))
	}
	if got[0].Topic != wantNotice.Topic || got[0].Key != "" || got[0].Payload != nil || got[0].Dropped != wantNotice.Dropped {
		t.Errorf("notice = %+v, want %+v", got[0], wantNotice)
	}
	if string(got[1].Payload) != `"5"` || got[1].Key != "alice" {
		t.Errorf("event after the notice = %+v, want payload \"5\" and key alice", got[1])
	}
}

func TestLocalNoGoroutineLeak(t *testing.T) {
	before := runtime.NumGoroutine()
	l := newTestLocal(t, 0)
	for i := range 1000 {
		ctx, cancel := context.WithCancel(t.Context())
		ch := subscribe(t, l, ctx, "usage", strconv.Itoa(i%7))
		if err := l.Publish(t.Context(), event("usage", strconv.Itoa(i%7), "x")); err != nil {
			t.Fatalf("Publish() error = %v", err)
		}
		cancel()
		if got := waitClosed(t, ch); got != 1 {
			t.Fatalf("cycle %d: %d events before close, want 1", i, got)
		}
	}
	l.mu.RLock()
	gotSubs, gotTopics := len(l.subs), len(l.topics)
	l.mu.RUnlock()
	if gotSubs != 0 || gotTopics != 0 {
		t.Errorf("after every cancel: %d filters and %d topics registered, want 0 and 0", gotSubs, gotTopics)
	}
	checkGoroutines(t, before)
}

// TestLocalConcurrent runs publishers, readers and cancellations at once
// for the race detector, and checks that no event is lost without notice
// and that each publisher's events stay in order.
func TestLocalConcurrent(t *testing.T) {
	const (
		publishers  = 4
		perProducer = 2000
		readers     = 8
	)
	before := runtime.NumGoroutine()
	l := newTestLocal(t, 4)

	type tally struct {
		received, dropped int
		err               error
	}
	tallies := make([]tally, readers)
	var readersDone sync.WaitGroup
	for r := range readers {
		ch := subscribe(t, l, t.Context(), "usage", "")
		readersDone.Go(func() {
			last := make([]int, publishers)
			for i := range last {
				last[i] = -1
			}
			for e := range ch {
				if e.Dropped > 0 {
					tallies[r].dropped += e.Dropped
					continue
				}
				var p [2]int
				if err := json.Unmarshal(e.Payload, &p); err != nil {
					tallies[r].err = err
					continue
				}
				if p[1] <= last[p[0]] && tallies[r].err == nil {
					tallies[r].err = fmt.Errorf("publisher %d: event %d after %d", p[0], p[1], last[p[0]])
				}
				last[p[0]] = p[1]
				tallies[r].received++
			}
		})
	}

	// Subscriptions that come and go while events flow.
	var churn sync.WaitGroup
	for range 2 {
		churn.Go(func() {
			for i := range 200 {
				ctx, cancel := context.WithCancel(t.Context())
				ch := subscribe(t, l, ctx, "usage", strconv.Itoa(i%3))
				cancel()
				waitClosed(t, ch)
			}
		})
	}

	var pubs sync.WaitGroup
	for p := range publishers {
		pubs.Go(func() {
			for i := range perProducer {
				payload, _ := json.Marshal([2]int{p, i})
				if err := l.Publish(context.Background(), Event{Topic: "usage", Key: strconv.Itoa(i % 3), Payload: payload}); err != nil {
					t.Errorf("Publish() error = %v", err)
					return
				}
			}
		})
	}
	pubs.Wait()
	churn.Wait()
	l.Close()
	readersDone.Wait()

	for r, got := range tallies {
		if got.err != nil {
			t.Errorf("reader %d: %v", r, got.err)
		}
		// Drops after the last notice are never reported, so the sum may
		// fall short of the total, but never exceed it.
		if got.received+got.dropped > publishers*perProducer {
			t.Errorf("reader %d: received %d + dropped %d, want at most %d", r, got.received, got.dropped, publishers*perProducer)
		}
		if got.received == 0 {
			t.Errorf("reader %d: received 0 events, want some", r)
		}
	}
	checkGoroutines(t, before)
}

// BenchmarkLocalFanout publishes to 10,000 subscribers of one topic.
// "drained" empties every channel between publishes (with the timer
// stopped), so each publish sends to every subscriber; "full" never reads,
// so each publish counts a drop for every subscriber.
func BenchmarkLocalFanout(b *testing.B) {
	const subscribers = 10_000
	for _, mode := range []string{"drained", "full"} {
		b.Run(mode, func(b *testing.B) {
			l := newTestLocal(b, 0)
			chans := make([]<-chan Event, subscribers)
			for i := range chans {
				chans[i] = subscribe(b, l, b.Context(), "usage", "")
			}
			e := event("usage", "alice", "payload")
			b.ResetTimer()
			for range b.N {
				if err := l.Publish(b.Context(), e); err != nil {
					b.Fatalf("Publish() error = %v", err)
				}
				if mode == "drained" {
					b.StopTimer()
					for _, ch := range chans {
						<-ch
					}
					b.StartTimer()
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/subscribers, "ns/subscriber")
		})
	}
}

// listen registers a listener on b that records its events, failing the test on error.
func listen(t testing.TB, b Bus, topic, key string) (got func() []Event, stop func()) {
	t.Helper()
	var (
		mu     sync.Mutex
		events []Event
	)
	stop, err := b.Listen(topic, key, func(e Event) {
		mu.Lock()
		defer mu.Unlock()
		events = append(events, e)
	})
	if err != nil {
		t.Fatalf("Listen(%q, %q) error = %v", topic, key, err)
	}
	return func() []Event {
		mu.Lock()
		defer mu.Unlock()
		return slices.Clone(events)
	}, stop
}

func TestLocalListen(t *testing.T) {
	published := []Event{
		event("usage", "alice", "usage/alice"),
		event("usage", "bob", "usage/bob"),
		event("usage", "", "usage/-"),
		event("audit", "alice", "audit/alice"),
	}
	tests := []struct {
		name       string
		topic, key string
		want       []string
	}{
		{name: "whole topic", topic: "usage", want: []string{`"usage/alice"`, `"usage/bob"`, `"usage/-"`}},
		{name: "one key", topic: "usage", key: "alice", want: []string{`"usage/alice"`}},
		{name: "topic without events", topic: "config", want: nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := newTestLocal(t, 0)
			got, stop := listen(t, l, tt.topic, tt.key)
			for _, e := range published {
				if err := l.Publish(t.Context(), e); err != nil {
					t.Fatalf("Publish(%s) error = %v", e.Payload, err)
				}
			}
			// Listeners, too, are called before Publish returns.
			if p := payloads(got()); !slices.Equal(p, tt.want) {
				t.Errorf("got %q, want %q", p, tt.want)
			}
			stop()
			stop()
			if err := l.Publish(t.Context(), published[0]); err != nil {
				t.Fatalf("Publish() after stop error = %v", err)
			}
			if p := payloads(got()); !slices.Equal(p, tt.want) {
				t.Errorf("after stop: got %q, want %q", p, tt.want)
			}
			if l.hasSubscribers(tt.topic) {
				t.Errorf("hasSubscribers(%q) after stop = true, want false", tt.topic)
			}
		})
	}
}

// TestLocalListenerNeverDrops: a listener buffers for itself, so however many events are
// published it gets each of them and no drop notice, beside a channel subscriber that drops.
func TestLocalListenerNeverDrops(t *testing.T) {
	const total = 1000
	l := newTestLocal(t, 2)
	slow := subscribe(t, l, t.Context(), "usage", "")
	got, _ := listen(t, l, "usage", "")
	for i := range total {
		if err := l.Publish(t.Context(), event("usage", "", strconv.Itoa(i))); err != nil {
			t.Fatalf("Publish(%d) error = %v", i, err)
		}
	}
	events := got()
	if len(events) != total {
		t.Fatalf("listener got %d events, want %d", len(events), total)
	}
	for i, e := range events {
		if e.Dropped != 0 || string(e.Payload) != strconv.Quote(strconv.Itoa(i)) {
			t.Fatalf("event %d = %+v, want payload %q and no drop notice", i, e, strconv.Itoa(i))
		}
	}
	if n := len(buffered(t, slow)); n != 2 {
		t.Errorf("channel subscriber holds %d events, want its buffer of 2", n)
	}
}

func TestLocalListenInvalid(t *testing.T) {
	l := newTestLocal(t, 0)
	if _, err := l.Listen("", "", func(Event) {}); err == nil {
		t.Error("Listen() with no topic: error = nil, want an error")
	}
	if _, err := l.Listen("usage", "", nil); err == nil {
		t.Error("Listen() with a nil func: error = nil, want an error")
	}
	got, stop := listen(t, l, "usage", "")
	if err := l.Close(); err != nil {
		t.Fatalf("Close() error = %v", err)
	}
	stop() // after Close, stop does nothing
	if _, err := l.Listen("usage", "", func(Event) {}); !errors.Is(err, ErrClosed) {
		t.Errorf("Listen() after Close error = %v, want ErrClosed", err)
	}
	if n := len(got()); n != 0 {
		t.Errorf("listener got %d events, want 0", n)
	}
}

func TestLocalOnDropCountsEachLostEvent(t *testing.T) {
	const buffer, total = 4, 10
	var lost []string
	l, err := NewLocal(LocalConfig{Buffer: buffer, OnDrop: func(topic string) { lost = append(lost, topic) }})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = l.Close() })
	subscribe(t, l, t.Context(), "usage", "")
	for i := range total {
		if err := l.Publish(t.Context(), event("usage", "", strconv.Itoa(i))); err != nil {
			t.Fatalf("Publish(%d) error = %v", i, err)
		}
	}
	if got, want := len(lost), total-buffer; got != want {
		t.Fatalf("OnDrop called %d times, want %d", got, want)
	}
	if lost[0] != "usage" {
		t.Errorf("OnDrop topic = %q, want usage", lost[0])
	}
}

package events

import (
	"context"
	"crypto/rand"
	"errors"
	"log/slog"
	"net"
	"os"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

const redisURLEnv = "STEWARD_TEST_REDIS_URL"

// newTestRedisClient connects to the Redis named by STEWARD_TEST_REDIS_URL,
// skipping the test when it is unset, and closes the client on cleanup.
// Every connection of the client carries a unique name, returned too, so
// that tests can find it in CLIENT LIST.
func newTestRedisClient(t *testing.T) (*redis.Client, string) {
	t.Helper()
	url := os.Getenv(redisURLEnv)
	if url == "" {
		t.Skip(redisURLEnv + " not set: skipping Redis tests")
	}
	opts, err := redis.ParseURL(url)
	if err != nil {
		t.Fatalf("parse %s: %v", redisURLEnv, err)
	}
	opts.ClientName = "steward-test-events-" + rand.Text()
	client := redis.NewClient(opts)
	t.Cleanup(func() { client.Close() })
	if err := client.Ping(t.Context()).Err(); err != nil {
		t.Fatalf("ping Redis at %s: %v", url, err)
	}
	return client, opts.ClientName
}

// newTestPrefix returns a channel prefix unique to this test; pub/sub
// leaves no keys behind to clean up.
func newTestPrefix() string {
	return "steward-test:events:" + rand.Text() + ":"
}

// newTestRedisBus returns a Redis bus that has subscribed, closed on
// cleanup.
func newTestRedisBus(t *testing.T, client redis.UniversalClient, prefix string) *Redis {
	t.Helper()
	r, err := NewRedis(RedisConfig{
		Client:        client,
		ChannelPrefix: prefix,
		Logger:        slog.New(slog.NewTextHandler(t.Output(), &slog.HandlerOptions{Level: slog.LevelDebug})),
	})
	if err != nil {
		t.Fatalf("NewRedis() error = %v", err)
	}
	t.Cleanup(func() { r.Close() })
	// Pub/sub does not keep messages, so publishing before the
	// subscription is confirmed could lose them.
	select {
	case <-r.subscribed:
	case <-time.After(waitTimeout):
		t.Fatalf("Redis bus did not subscribe within %s", waitTimeout)
	}
	return r
}

// pubsubConns returns the ids of name's connections that are subscribed to
// a pattern.
func pubsubConns(t *testing.T, client *redis.Client, name string) []string {
	t.Helper()
	list, err := client.ClientList(context.Background()).Result()
	if err != nil {
		t.Fatalf("CLIENT LIST: %v", err)
	}
	var ids []string
	for line := range strings.Lines(list) {
		fields := map[string]string{}
		for f := range strings.FieldsSeq(line) {
			k, v, _ := strings.Cut(f, "=")
			fields[k] = v
		}
		if fields["name"] == name && fields["psub"] != "" && fields["psub"] != "0" {
			ids = append(ids, fields["id"])
		}
	}
	return ids
}

// waitPubsubConns waits until name has want pattern-subscribed
// connections and returns their ids.
func waitPubsubConns(t *testing.T, client *redis.Client, name string, want int) []string {
	t.Helper()
	deadline := time.Now().Add(waitTimeout)
	for {
		ids := pubsubConns(t, client, name)
		if len(ids) == want {
			return ids
		}
		if time.Now().After(deadline) {
			t.Fatalf("pub/sub connections of %s: got %d, want %d", name, len(ids), want)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func TestNewRedis(t *testing.T) {
	client := redis.NewClient(&redis.Options{Addr: "127.0.0.1:1"})
	defer client.Close()
	tests := []struct {
		name    string
		cfg     RedisConfig
		wantErr bool
	}{
		{name: "defaults", cfg: RedisConfig{Client: client}},
		{name: "all set", cfg: RedisConfig{Client: client, ChannelPrefix: "p:", Buffer: 16, Logger: slog.Default()}},
		{name: "no client", cfg: RedisConfig{ChannelPrefix: "p:"}, wantErr: true},
		{name: "buffer too small", cfg: RedisConfig{Client: client, Buffer: 1}, wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := NewRedis(tt.cfg)
			if (err != nil) != tt.wantErr {
				t.Fatalf("NewRedis() error = %v, want error %v", err, tt.wantErr)
			}
			if err == nil {
				r.Close()
			}
		})
	}
}

func TestGlobEscape(t *testing.T) {
	tests := []struct{ in, want string }{
		{in: "steward:events:", want: "steward:events:"},
		{in: `a*b?c[d]e\f`, want: `a\*b\?c\[d\]e\\f`},
	}
	for _, tt := range tests {
		if got := globEscape(tt.in); got != tt.want {
			t.Errorf("globEscape(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestRedisUnreachable needs no Redis: it checks that Publish still
// delivers locally and reports the failure, and that Close does not wait
// for Redis.
func TestRedisUnreachable(t *testing.T) {
	// A port that was free a moment ago refuses connections.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("listen: %v", err)
	}
	addr := ln.Addr().String()
	ln.Close()

	before := runtime.NumGoroutine()
	client := redis.NewClient(&redis.Options{Addr: addr, DialTimeout: 100 * time.Millisecond, MaxRetries: -1})
	defer client.Close()
	r, err := NewRedis(RedisConfig{Client: client, Logger: slog.New(slog.NewTextHandler(t.Output(), nil))})
	if err != nil {
		t.Fatalf("NewRedis() error = %v", err)
	}
	ch := subscribe(t, r, t.Context(), "usage", "alice")

	err = r.Publish(t.Context(), event("usage", "alice", "local"))
	if !errors.Is(err, ErrNotShared) {
		t.Errorf("Publish() error = %v, want ErrNotShared", err)
	}
	if e := recv(t, ch); string(e.Payload) != `"local"` {
		t.Errorf("local subscriber got %s, want \"local\"", e.Payload)
	}
	if err := r.Publish(t.Context(), Event{}); err == nil || errors.Is(err, ErrNotShared) {
		t.Errorf("Publish(invalid) error = %v, want a validation error", err)
	}

	if err := r.Close(); err != nil {
		t.Errorf("Close() error = %v", err)
	}
	waitClosed(t, ch)
	if err := r.Publish(t.Context(), event("usage", "", "late")); !errors.Is(err, ErrClosed) {
		t.Errorf("Publish() after Close error = %v, want ErrClosed", err)
	}
	client.Close()
	checkGoroutines(t, before)
}

func TestRedisAcrossReplicas(t *testing.T) {
	clientA, _ := newTestRedisClient(t)
	clientB, _ := newTestRedisClient(t)
	prefix := newTestPrefix()
	a := newTestRedisBus(t, clientA, prefix)
	b := newTestRedisBus(t, clientB, prefix)
	subs := map[string]<-chan Event{
		"A": subscribe(t, a, t.Context(), "usage", ""),
		"B": subscribe(t, b, t.Context(), "usage", ""),
	}
	buses := map[string]*Redis{"A": a, "B": b}

	// Publishing in turns, and waiting for each event everywhere, makes
	// any echo of a bus's own event show up out of sequence.
	steps := []struct{ bus, payload string }{
		{bus: "A", payload: "1"},
		{bus: "B", payload: "2"},
		{bus: "A", payload: "3"},
		{bus: "B", payload: "4"},
		{bus: "A", payload: "5"},
	}
	for _, step := range steps {
		e := event("usage", "u-"+step.payload, step.payload)
		if err := buses[step.bus].Publish(t.Context(), e); err != nil {
			t.Fatalf("Publish(%s) on %s error = %v", step.payload, step.bus, err)
		}
		for name, ch := range subs {
			got := recv(t, ch)
			if got.Topic != e.Topic || got.Key != e.Key || string(got.Payload) != string(e.Payload) || got.Dropped != 0 {
				t.Fatalf("subscriber on %s after publish on %s: got %+v, want %+v", name, step.bus, got, e)
			}
		}
	}
}

// TestRedisListenAcrossReplicas: a listener on one replica gets the other replica's events of
// its key, and its own replica's once (not again when Redis echoes them).
func TestRedisListenAcrossReplicas(t *testing.T) {
	clientA, _ := newTestRedisClient(t)
	clientB, _ := newTestRedisClient(t)
	prefix := newTestPrefix()
	a := newTestRedisBus(t, clientA, prefix)
	b := newTestRedisBus(t, clientB, prefix)
	got := make(chan Event, 16)
	stop, err := b.Listen("usage", "alice", func(e Event) { got <- e })
	if err != nil {
		t.Fatalf("Listen() error = %v", err)
	}
	defer stop()
	// Redis delivers one replica's events in order, and a replica's publish returns once Redis
	// has it: an event the listener should not get (bob's, or an echo of b's own) would come
	// before the one it waits for next.
	steps := []struct {
		bus          *Redis
		key, payload string
		want         bool
	}{
		{a, "alice", "1", true},
		{a, "bob", "2", false},
		{a, "alice", "3", true},
		{b, "alice", "4", true},
		{a, "alice", "5", true},
	}
	for _, step := range steps {
		if err := step.bus.Publish(t.Context(), event("usage", step.key, step.payload)); err != nil {
			t.Fatalf("Publish(%s) error = %v", step.payload, err)
		}
		if !step.want {
			continue
		}
		select {
		case e := <-got:
			if want := strconv.Quote(step.payload); string(e.Payload) != want {
				t.Fatalf("listener got %s, want %s", e.Payload, want)
			}
		case <-time.After(waitTimeout):
			t.Fatalf("listener did not get %s", step.payload)
		}
	}
}

func TestRedisKeyFiltering(t *testing.T) {
	clientA, _ := newTestRedisClient(t)
	clientB, _ := newTestRedisClient(t)
	prefix := newTestPrefix()
	a := newTestRedisBus(t, clientA, prefix)
	b := newTestRedisBus(t, clientB, prefix)

	published := []Event{
		event("usage", "alice", "usage/alice"),
		event("usage", "bob", "usage/bob"),
		event("usage", "", "usage/-"),
		event("audit", "alice", "audit/alice"),
		event("usage", "alice", "end/alice"),
		event("usage", "bob", "end/bob"),
		event("usage", "", "end/-"),
		event("audit", "", "end/audit"),
	}
	tests := []struct {
		name       string
		bus        *Redis
		topic, key string
		want       []string
	}{
		{name: "B usage", bus: b, topic: "usage",
			want: []string{`"usage/alice"`, `"usage/bob"`, `"usage/-"`, `"end/alice"`, `"end/bob"`, `"end/-"`}},
		{name: "B usage alice", bus: b, topic: "usage", key: "alice", want: []string{`"usage/alice"`, `"end/alice"`}},
		{name: "B usage bob", bus: b, topic: "usage", key: "bob", want: []string{`"usage/bob"`, `"end/bob"`}},
		{name: "B audit", bus: b, topic: "audit", want: []string{`"audit/alice"`, `"end/audit"`}},
		{name: "A usage alice", bus: a, topic: "usage", key: "alice", want: []string{`"usage/alice"`, `"end/alice"`}},
	}
	chans := make([]<-chan Event, len(tests))
	for i, tt := range tests {
		chans[i] = subscribe(t, tt.bus, t.Context(), tt.topic, tt.key)
	}
	// Redis keeps the order of one connection's messages, so a mistaken
	// delivery of anything published before a subscriber's last wanted
	// event shows up among its first len(want) events.
	for _, e := range published {
		if err := a.Publish(t.Context(), e); err != nil {
			t.Fatalf("Publish(%s) error = %v", e.Payload, err)
		}
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []Event
			for len(got) < len(tt.want) {
				got = append(got, recv(t, chans[i]))
			}
			if gotPayloads := payloads(got); !slices.Equal(gotPayloads, tt.want) {
				t.Errorf("got %q, want %q", gotPayloads, tt.want)
			}
			for _, e := range got {
				if e.Topic != tt.topic || (tt.key != "" && e.Key != tt.key) {
					t.Errorf("got event of topic %q key %q, want topic %q key %q", e.Topic, e.Key, tt.topic, tt.key)
				}
			}
		})
	}
}

// TestRedisBadMessages checks that messages the bus cannot use are
// dropped without disturbing the subscription.
func TestRedisBadMessages(t *testing.T) {
	client, _ := newTestRedisClient(t)
	prefix := newTestPrefix()
	b := newTestRedisBus(t, client, prefix)
	ch := subscribe(t, b, t.Context(), "usage", "")

	for _, raw := range []string{`not json`, `{"origin":"x","payload":{`, `[1,2]`} {
		if err := client.Publish(t.Context(), prefix+"usage", raw).Err(); err != nil {
			t.Fatalf("PUBLISH %q: %v", raw, err)
		}
	}
	if err := client.Publish(t.Context(), prefix+"usage", `{"origin":"other","key":"k","payload":{"n":1}}`).Err(); err != nil {
		t.Fatalf("PUBLISH: %v", err)
	}
	got := recv(t, ch)
	want := Event{Topic: "usage", Key: "k", Payload: []byte(`{"n":1}`)}
	if got.Topic != want.Topic || got.Key != want.Key || string(got.Payload) != string(want.Payload) || got.Dropped != 0 {
		t.Errorf("got %+v, want %+v", got, want)
	}
}

// TestRedisReconnect kills the pub/sub connection in Redis and checks that
// go-redis reconnects and the subscriber keeps receiving.
func TestRedisReconnect(t *testing.T) {
	clientA, _ := newTestRedisClient(t)
	clientB, nameB := newTestRedisClient(t)
	prefix := newTestPrefix()
	a := newTestRedisBus(t, clientA, prefix)
	b := newTestRedisBus(t, clientB, prefix)
	ch := subscribe(t, b, t.Context(), "usage", "")
	reconnected := subscribe(t, b, t.Context(), ReconnectedTopic, "")

	ids := waitPubsubConns(t, clientA, nameB, 1)
	if err := clientA.ClientKillByFilter(t.Context(), "ID", ids[0]).Err(); err != nil {
		t.Fatalf("CLIENT KILL ID %s: %v", ids[0], err)
	}
	deadline := time.Now().Add(waitTimeout)
	for b.subscriptions.Load() < 2 {
		if time.Now().After(deadline) {
			t.Fatalf("bus did not resubscribe within %s", waitTimeout)
		}
		time.Sleep(10 * time.Millisecond)
	}
	if got := waitPubsubConns(t, clientA, nameB, 1); got[0] == ids[0] {
		t.Fatalf("pub/sub connection id = %s after the kill, want a new one", got[0])
	}

	if err := a.Publish(t.Context(), event("usage", "", "after reconnect")); err != nil {
		t.Fatalf("Publish() error = %v", err)
	}
	if e := recv(t, ch); string(e.Payload) != `"after reconnect"` {
		t.Errorf("got %s, want \"after reconnect\"", e.Payload)
	}
	// The bus tells its own replica that events may have been lost meanwhile.
	if e := recv(t, reconnected); e.Topic != ReconnectedTopic {
		t.Errorf("got %+v, want the reconnection notice", e)
	}
}

func TestRedisClose(t *testing.T) {
	clientA, _ := newTestRedisClient(t)
	clientB, nameB := newTestRedisClient(t)
	prefix := newTestPrefix()
	a := newTestRedisBus(t, clientA, prefix)
	b := newTestRedisBus(t, clientB, prefix)
	chans := []<-chan Event{
		subscribe(t, b, t.Context(), "usage", ""),
		subscribe(t, b, t.Context(), "audit", "alice"),
	}
	waitPubsubConns(t, clientA, nameB, 1)

	if err := b.Close(); err != nil {
		t.Fatalf("Close() error = %v", err)
	}
	for _, ch := range chans {
		waitClosed(t, ch)
	}
	waitPubsubConns(t, clientA, nameB, 0)
	if err := b.Publish(t.Context(), event("usage", "", "late")); !errors.Is(err, ErrClosed) {
		t.Errorf("Publish() after Close error = %v, want ErrClosed", err)
	}
	if _, err := b.Subscribe(t.Context(), "usage", ""); !errors.Is(err, ErrClosed) {
		t.Errorf("Subscribe() after Close error = %v, want ErrClosed", err)
	}
	if err := b.Close(); err != nil {
		t.Errorf("second Close() error = %v, want nil", err)
	}
	// The client belongs to the caller and stays open.
	if err := clientB.Ping(t.Context()).Err(); err != nil {
		t.Errorf("client Ping() after Close error = %v, want nil", err)
	}
	// The other replica is unaffected.
	if err := a.Publish(t.Context(), event("usage", "", "still")); err != nil {
		t.Errorf("Publish() on the other bus error = %v", err)
	}
}

func TestRedisNoGoroutineLeak(t *testing.T) {
	clientA, _ := newTestRedisClient(t)
	clientB, _ := newTestRedisClient(t)
	prefix := newTestPrefix()
	before := runtime.NumGoroutine()

	a, err := NewRedis(RedisConfig{Client: clientA, ChannelPrefix: prefix})
	if err != nil {
		t.Fatalf("NewRedis() error = %v", err)
	}
	b, err := NewRedis(RedisConfig{Client: clientB, ChannelPrefix: prefix})
	if err != nil {
		t.Fatalf("NewRedis() error = %v", err)
	}
	<-b.subscribed
	for i := range 100 {
		ctx, cancel := context.WithCancel(t.Context())
		ch := subscribe(t, b, ctx, "usage", "")
		if err := a.Publish(t.Context(), event("usage", "", strconv.Itoa(i))); err != nil {
			t.Fatalf("Publish() error = %v", err)
		}
		if e := recv(t, ch); string(e.Payload) != strconv.Quote(strconv.Itoa(i)) {
			t.Fatalf("cycle %d: got %s, want %q", i, e.Payload, strconv.Itoa(i))
		}
		cancel()
		waitClosed(t, ch)
	}
	// A subscription left open is closed by Close.
	open := subscribe(t, a, t.Context(), "usage", "")
	if err := a.Close(); err != nil {
		t.Errorf("a.Close() error = %v", err)
	}
	if err := b.Close(); err != nil {
		t.Errorf("b.Close() error = %v", err)
	}
	waitClosed(t, open)
	checkGoroutines(t, before)
}

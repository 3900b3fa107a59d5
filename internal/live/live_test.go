package live_test

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"github.com/steward-dev/steward/internal/auth"
	"github.com/steward-dev/steward/internal/events"
	"github.com/steward-dev/steward/internal/live"
)

// checker reports every credential valid until invalid is set.
type checker struct{ invalid atomic.Bool }

func (c *checker) StillValid(context.Context, *auth.Viewer) bool { return !c.invalid.Load() }

func newSource(t *testing.T) (live.Source, *checker) {
	t.Helper()
	bus, err := events.NewLocal(events.LocalConfig{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = bus.Close() })
	c := &checker{}
	return live.Source{Bus: bus, Checker: c}, c
}

// ticks is a stream of the "ticks" topic whose convert skips the payload "skip".
func ticks(ctx context.Context, src live.Source, key string) (<-chan string, error) {
	return live.Stream(ctx, src, "ticks", key, func(_ context.Context, e events.Event) (string, bool) {
		s, err := events.Decode[string](e)
		return s, err == nil && s != "skip"
	})
}

func publish(t *testing.T, bus events.Bus, topic, key, tick string) {
	t.Helper()
	e, err := events.Encode(topic, key, tick)
	if err != nil {
		t.Fatal(err)
	}
	if err := bus.Publish(context.Background(), e); err != nil {
		t.Fatal(err)
	}
}

func viewerCtx(ctx context.Context) context.Context {
	return auth.WithViewer(ctx, &auth.Viewer{UserID: "alice", SessionID: "s1", Role: auth.RoleUser})
}

func TestStreamWithoutViewer(t *testing.T) {
	src, _ := newSource(t)
	for name, ctx := range map[string]context.Context{
		"streaming":   t.Context(),
		"registering": func() context.Context { ctx, _ := live.Register(t.Context()); return ctx }(),
	} {
		if _, err := ticks(ctx, src, ""); err == nil {
			t.Errorf("%s: Stream without a viewer: error = nil, want one", name)
		}
	}
}

func TestRegister(t *testing.T) {
	src, creds := newSource(t)
	ctx, reg := live.Register(viewerCtx(t.Context()))
	if reg.Recorded() {
		t.Fatal("Recorded() before Stream = true")
	}
	ch, err := ticks(ctx, src, "alice")
	if err != nil {
		t.Fatal(err)
	}
	if _, open := <-ch; open {
		t.Fatal("registering Stream returned an open channel, want a closed one")
	}
	if !reg.Recorded() {
		t.Fatal("Recorded() after Stream = false")
	}

	var got []string
	stop, err := reg.Listen(func(e events.Event) { got = append(got, string(e.Payload)) })
	if err != nil {
		t.Fatal(err)
	}
	var changed atomic.Int32
	stopCreds, err := reg.ListenCredentials(func() { changed.Add(1) })
	if err != nil {
		t.Fatal(err)
	}
	publish(t, src.Bus, "ticks", "bob", "b")
	publish(t, src.Bus, "ticks", "alice", "a")
	if err := events.CredentialsChanged(t.Context(), src.Bus, "bob"); err != nil {
		t.Fatal(err)
	}
	if err := events.CredentialsChanged(t.Context(), src.Bus, "alice"); err != nil {
		t.Fatal(err)
	}
	stop()
	stopCreds()
	publish(t, src.Bus, "ticks", "alice", "late")
	if len(got) != 1 || got[0] != `"a"` {
		t.Errorf("listener got %q, want only alice's tick", got)
	}
	if n := changed.Load(); n != 1 {
		t.Errorf("credential changes = %d, want 1 (alice's)", n)
	}
	if !reg.StillValid(t.Context()) {
		t.Error("StillValid() = false, want true")
	}
	creds.invalid.Store(true)
	if reg.StillValid(t.Context()) {
		t.Error("StillValid() after revocation = true, want false")
	}
}

func TestDeliver(t *testing.T) {
	src, _ := newSource(t)
	tests := []struct {
		name    string
		payload string
		want    []string
	}{
		{"converted", "a", []string{"a"}},
		{"skipped", "skip", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e, err := events.Encode("ticks", "alice", tt.payload)
			if err != nil {
				t.Fatal(err)
			}
			ch, err := ticks(live.Deliver(viewerCtx(t.Context()), e), src, "alice")
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for v := range ch { // closed after the value, so this never blocks
				got = append(got, v)
			}
			if len(got) != len(tt.want) || (len(got) == 1 && got[0] != tt.want[0]) {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestStreamEndsWhenCredentialIsRevoked(t *testing.T) {
	src, creds := newSource(t)
	ch, err := ticks(viewerCtx(t.Context()), src, "alice")
	if err != nil {
		t.Fatal(err)
	}
	publish(t, src.Bus, "ticks", "alice", "a")
	if got := recv(t, ch); got != "a" {
		t.Fatalf("got %q, want a", got)
	}
	creds.invalid.Store(true)
	if err := events.CredentialsChanged(t.Context(), src.Bus, "alice"); err != nil {
		t.Fatal(err)
	}
	select {
	case v, open := <-ch:
		if open {
			t.Fatalf("got %q after revocation, want the stream closed", v)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("stream still open after revocation")
	}
}

func recv(t *testing.T, ch <-chan string) string {
	t.Helper()
	select {
	case v := <-ch:
		return v
	case <-time.After(10 * time.Second):
		t.Fatal("no value")
		return ""
	}
}

package wsgraphql_test

import (
	"fmt"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"

	"github.com/steward-dev/steward/internal/events"
	"github.com/steward-dev/steward/internal/wsgraphql"
)

func TestProtocolViolationsCloseTheConnection(t *testing.T) {
	const sub = `{"id":"1","type":"subscribe","payload":{"query":"subscription { ticks }"}}`
	const start = `{"id":"1","type":"start","payload":{"query":"subscription { ticks }"}}`
	const init = `{"type":"connection_init","payload":{"token":"alice"}}`
	tests := []struct {
		name  string
		proto string
		// send are sent in turn; an init among them is acknowledged first.
		send []string
		// wantCode is the close code; wantError whether a connection_error comes before it.
		wantCode  websocket.StatusCode
		wantError bool
	}{
		{"malformed JSON", "graphql-transport-ws", []string{`{"type":`}, 4400, false},
		{"unknown message type", "graphql-transport-ws", []string{`{"type":"hello"}`}, 4400, false},
		{"a legacy message type", "graphql-transport-ws", []string{init, start}, 4400, false},
		{"subscribe before init", "graphql-transport-ws", []string{sub}, 4401, false},
		{"refused init", "graphql-transport-ws", []string{`{"type":"connection_init","payload":{"token":"forged"}}`}, 4403, false},
		{"init payload not an object", "graphql-transport-ws", []string{`{"type":"connection_init","payload":"alice"}`}, 4400, false},
		{"duplicate subscription id", "graphql-transport-ws", []string{init, sub, sub}, 4409, false},
		{"second init", "graphql-transport-ws", []string{init, init}, 4429, false},
		{"operation without id", "graphql-transport-ws", []string{init, `{"type":"subscribe","payload":{"query":"{ hello }"}}`}, 4400, false},
		{"legacy: malformed JSON", "graphql-ws", []string{`not json`}, websocket.StatusProtocolError, true},
		{"legacy: unknown message type", "graphql-ws", []string{init, sub}, websocket.StatusProtocolError, true},
		{"legacy: start before init", "graphql-ws", []string{start}, websocket.StatusProtocolError, true},
		{"legacy: refused init", "graphql-ws", []string{`{"type":"connection_init","payload":{"token":"forged"}}`}, websocket.StatusNormalClosure, true},
		{"legacy: terminate", "graphql-ws", []string{init, `{"type":"connection_terminate"}`}, websocket.StatusNormalClosure, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := newWorld(t, wsgraphql.Config{})
			c := w.dial(t, tt.proto)
			acked := false
			for _, m := range tt.send {
				c.sendRaw(m)
				if m == init && !acked {
					c.expect("connection_ack", "")
					acked = true
				}
			}
			code, before := c.closed()
			if code != tt.wantCode {
				t.Errorf("close code = %d, want %d", code, tt.wantCode)
			}
			gotError := len(before) > 0 && before[len(before)-1].Type == "connection_error"
			if gotError != tt.wantError {
				t.Errorf("messages before the close = %+v, want a connection_error: %v", before, tt.wantError)
			}
		})
	}
}

func TestInitTimeout(t *testing.T) {
	for proto, want := range map[string]websocket.StatusCode{"graphql-transport-ws": 4408, "graphql-ws": websocket.StatusProtocolError} {
		t.Run(proto, func(t *testing.T) {
			w := newWorld(t, wsgraphql.Config{InitTimeout: 50 * time.Millisecond})
			c := w.dial(t, proto)
			if code, _ := c.closed(); code != want {
				t.Errorf("close code = %d, want %d", code, want)
			}
		})
	}
}

func TestSubscriptionDeliversAndStops(t *testing.T) {
	for _, proto := range protocols {
		t.Run(proto, func(t *testing.T) {
			w := newWorld(t, wsgraphql.Config{})
			c := w.dial(t, proto)
			c.init("alice")
			c.subscribe("1", "alice")
			c.sync()
			w.publish(t, "bob", "not alice's")
			w.publish(t, "alice", "a")
			c.expectTick("1", "a")
			// An event the subscription skips sends nothing: the next message is the next tick.
			w.publish(t, "alice", "skip")
			w.publish(t, "alice", "b")
			c.expectTick("1", "b")

			c.stop("1")
			c.subscribe("2", "alice")
			c.sync()
			// Had subscription 1 still been listening, its tick would have come first.
			w.publish(t, "alice", "c")
			c.expectTick("2", "c")
			if got := w.bus.listeners.Load(); got != 2 {
				t.Errorf("bus listeners = %d, want 2 (subscription 2 and the credential watch)", got)
			}
		})
	}
}

// TestLegacyReusedIDRestarts: subscriptions-transport-ws lets a client reuse a running
// operation's id, which restarts it.
func TestLegacyReusedIDRestarts(t *testing.T) {
	w := newWorld(t, wsgraphql.Config{})
	c := w.dial(t, "graphql-ws")
	c.init("alice")
	c.subscribe("1", "alice")
	c.subscribe("1", "alice")
	c.sync()
	w.publish(t, "alice", "a")
	w.publish(t, "alice", "b")
	c.expectTick("1", "a")
	c.expectTick("1", "b")
}

func TestRefusedSubscription(t *testing.T) {
	for _, proto := range protocols {
		t.Run(proto, func(t *testing.T) {
			w := newWorld(t, wsgraphql.Config{})
			c := w.dial(t, proto)
			c.init("alice")
			c.subscribe("1", "bob")
			m := c.expect(c.nextType(), "1")
			if !strings.Contains(string(m.Payload), `"code":"FORBIDDEN"`) || strings.Contains(string(m.Payload), `"data":{`) {
				t.Errorf("refusal = %s, want FORBIDDEN without data", m.Payload)
			}
			c.expect("complete", "1")

			// Refused later, when an event comes: the same result, then the end.
			c.subscribe("2", "alice")
			c.sync()
			w.refuse.Store(true)
			w.publish(t, "alice", "a")
			m = c.expect(c.nextType(), "2")
			if !strings.Contains(string(m.Payload), `"code":"FORBIDDEN"`) {
				t.Errorf("refusal = %s, want FORBIDDEN", m.Payload)
			}
			c.expect("complete", "2")
			waitFor(t, "no bus listener but the credential watch", func() bool { return w.bus.listeners.Load() == 1 })
		})
	}
}

func TestRevokedCredentialEndsSubscriptions(t *testing.T) {
	w := newWorld(t, wsgraphql.Config{})
	c := w.dial(t, "graphql-transport-ws")
	c.init("alice")
	c.subscribe("1", "alice")
	c.subscribe("2", "")
	c.sync()
	w.creds.revoke("alice")
	if err := events.CredentialsChanged(t.Context(), w.bus, "alice"); err != nil {
		t.Fatal(err)
	}
	ended := map[string]bool{}
	for range 2 {
		m := c.next()
		if m.Type != "complete" {
			t.Fatalf("got %s %q, want complete", m.Type, m.ID)
		}
		ended[m.ID] = true
	}
	if !ended["1"] || !ended["2"] {
		t.Errorf("completed %v, want both subscriptions", ended)
	}
	// The connection knows its credential is no longer valid: a new subscription ends at once.
	c.subscribe("3", "alice")
	c.expect("complete", "3")
	if n := w.bus.listeners.Load(); n != 1 {
		t.Errorf("bus listeners = %d, want 1 (the credential watch)", n)
	}
}

func TestQueriesAndMutations(t *testing.T) {
	tests := []struct {
		name, query string
		vars        map[string]any
		wantType    string
		want        string
	}{
		{"query", `{ hello }`, nil, "next", `{"data":{"hello":"world"}}`},
		{"mutation", `mutation($w: String!) { shout(word: $w) }`, map[string]any{"w": "hi"}, "next", `{"data":{"shout":"HI"}}`},
		{"invalid query", `{ nope }`, nil, "error", `Cannot query field`},
		{"missing variable", `mutation($w: String!) { shout(word: $w) }`, nil, "error", `must be defined`},
		{"empty query", ``, nil, "error", `no operation`},
	}
	for _, proto := range protocols {
		for _, tt := range tests {
			t.Run(proto+"/"+tt.name, func(t *testing.T) {
				w := newWorld(t, wsgraphql.Config{})
				c := w.dial(t, proto)
				c.init("")
				c.start("q", tt.query, tt.vars)
				wantType := tt.wantType
				if wantType == "next" {
					wantType = c.nextType()
				}
				m := c.expect(wantType, "q")
				if !strings.Contains(string(m.Payload), tt.want) {
					t.Errorf("payload = %s, want it to contain %s", m.Payload, tt.want)
				}
				c.expect("complete", "q")
			})
		}
	}
}

func TestKeepAlive(t *testing.T) {
	t.Run("graphql-ws gets ka", func(t *testing.T) {
		w := newWorld(t, wsgraphql.Config{KeepAlive: 20 * time.Millisecond})
		c := w.dial(t, "graphql-ws")
		c.init("")
		// Past the "ka" that follows the ack, more keep-alives come on an idle connection.
		for range 3 {
			if m, err := c.nextRaw(); err != nil || m.Type != "ka" {
				t.Fatalf("got %+v, %v; want ka", m, err)
			}
		}
	})
	t.Run("graphql-transport-ws client that answers stays", func(t *testing.T) {
		w := newWorld(t, wsgraphql.Config{KeepAlive: 200 * time.Millisecond})
		c := w.dial(t, "graphql-transport-ws")
		c.init("")
		for range 4 {
			if m, err := c.nextRaw(); err != nil || m.Type != "ping" {
				t.Fatalf("got %+v, %v; want ping", m, err)
			}
			c.send(map[string]any{"type": "pong"})
		}
	})
	t.Run("graphql-transport-ws client that stops answering is disconnected", func(t *testing.T) {
		w := newWorld(t, wsgraphql.Config{KeepAlive: 20 * time.Millisecond})
		c := w.dial(t, "graphql-transport-ws")
		c.init("")
		c.closed()
	})
	t.Run("a client ping is answered", func(t *testing.T) {
		w := newWorld(t, wsgraphql.Config{})
		c := w.dial(t, "graphql-transport-ws")
		c.init("")
		c.send(map[string]any{"type": "ping", "payload": map[string]any{"n": 1}})
		if m := c.expect("pong", ""); string(m.Payload) != `{"n":1}` {
			t.Errorf("pong payload = %s, want the ping's", m.Payload)
		}
	})
}

// TestSlowClientDoesNotHoldUpOthers: a client that stops reading loses its oldest events (or is
// disconnected once a write to it times out), and neither the publisher nor other clients wait
// for it.
func TestSlowClientDoesNotHoldUpOthers(t *testing.T) {
	w := newWorld(t, wsgraphql.Config{QueueLimit: 4, WriteTimeout: 5 * time.Second})
	slow := w.dial(t, "graphql-transport-ws")
	slow.init("alice")
	slow.subscribe("1", "")
	slow.sync()
	fast := w.dial(t, "graphql-transport-ws")
	fast.init("alice")
	fast.subscribe("1", "")
	fast.sync()

	// Far more than the socket buffers hold, so that writes to the slow client block.
	big := strings.Repeat("x", 64<<10)
	for i := range 500 {
		w.publish(t, "alice", strconv.Itoa(i)+big)
	}
	w.publish(t, "alice", "last")
	// The fast client may lose events too, but never the last one: the oldest are dropped.
	for {
		m := fast.expect("next", "1")
		if strings.Contains(string(m.Payload), `"last"`) {
			break
		}
	}
	// The slow client, once it reads again, gets the last event too, unless a write to it timed
	// out meanwhile and it was disconnected.
	for {
		m, err := slow.nextOrErr()
		if err != nil {
			if websocket.CloseStatus(err) != -1 {
				t.Errorf("slow client: %v, want the last event or an abrupt close", err)
			}
			break
		}
		if strings.Contains(string(m.Payload), `"last"`) {
			break
		}
	}
}

// TestNothingLeaks: connections that come and go, however they end, leave no goroutine and no
// bus listener behind.
func TestNothingLeaks(t *testing.T) {
	w := newWorld(t, wsgraphql.Config{})
	settle := func() int {
		runtime.GC()
		return runtime.NumGoroutine()
	}
	baseline := settle()
	for i := range 60 {
		proto := protocols[i%2]
		c := w.dial(t, proto)
		c.init("alice")
		c.subscribe("1", "alice")
		c.subscribe("2", "")
		c.start("q", `mutation { shout(word: "x") }`, nil)
		c.expect(c.nextType(), "q")
		c.expect("complete", "q")
		switch i % 3 {
		case 0:
			_ = c.conn.CloseNow()
		case 1:
			_ = c.conn.Close(websocket.StatusNormalClosure, "")
		case 2:
			c.stop("1")
			c.stop("2")
			c.sync()
			_ = c.conn.CloseNow()
		}
	}
	waitFor(t, "no bus listeners", func() bool { return w.bus.listeners.Load() == 0 })
	waitFor(t, fmt.Sprintf("goroutines back to %d", baseline), func() bool { return settle() <= baseline })
}

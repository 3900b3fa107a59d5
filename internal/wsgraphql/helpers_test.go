package wsgraphql_test

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http/httptest"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler"
	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/coder/websocket"
	"github.com/coder/websocket/wsjson"
	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/steward-dev/steward/internal/auth"
	"github.com/steward-dev/steward/internal/events"
	"github.com/steward-dev/steward/internal/live"
	"github.com/steward-dev/steward/internal/wsgraphql"
)

// waitTimeout bounds every wait for the server, so that a bug fails a test instead of hanging it.
const waitTimeout = 10 * time.Second

// The test schema: ticks streams the "ticks" topic through live.Stream, as steward's resolvers do.
var testSchema = gqlparser.MustLoadSchema(&ast.Source{Input: `
	type Query { hello: String! }
	type Mutation { shout(word: String!): String! }
	type Subscription { ticks(key: String): String! }
`})

const ticksTopic = "ticks"

// world is a wsgraphql server behind gqlgen's handler, as steward serves it, with an in-process
// bus and a credential checker the test controls.
type world struct {
	url   string
	srv   *wsgraphql.Server
	bus   *countingBus
	creds *checker
	// refuse makes the ticks resolver refuse every subscriber, as if its rules had changed.
	refuse atomic.Bool
}

func newWorld(t *testing.T, cfg wsgraphql.Config) *world {
	t.Helper()
	local, err := events.NewLocal(events.LocalConfig{})
	if err != nil {
		t.Fatal(err)
	}
	w := &world{bus: &countingBus{Bus: local}, creds: &checker{}}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	cfg.InitFunc = func(ctx context.Context, p transport.InitPayload) (context.Context, *transport.InitPayload, error) {
		switch token := p.GetString("token"); token {
		case "":
			return ctx, nil, nil
		case "forged":
			return ctx, nil, errors.New("could not authenticate")
		default:
			return auth.WithViewer(ctx, &auth.Viewer{UserID: token, SessionID: "session-of-" + token, Role: auth.RoleUser}), nil, nil
		}
	}
	w.srv, err = wsgraphql.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	h := handler.New(w.schema(live.Source{Bus: w.bus, Checker: w.creds}))
	h.AddTransport(w.srv)
	ts := httptest.NewServer(h)
	t.Cleanup(func() {
		_ = w.srv.Close()
		ts.Close()
		_ = local.Close()
	})
	w.url = "ws" + strings.TrimPrefix(ts.URL, "http")
	return w
}

// schema is the test schema's executable form: hello answers "world", shout upper-cases its word
// and ticks streams the ticks of its key (the viewer's own only) through live.Stream.
func (w *world) schema(src live.Source) graphql.ExecutableSchema {
	return &graphql.ExecutableSchemaMock{
		SchemaFunc:     func() *ast.Schema { return testSchema },
		ComplexityFunc: func(context.Context, string, string, int, map[string]any) (int, bool) { return 1, true },
		ExecFunc: func(ctx context.Context) graphql.ResponseHandler {
			op := graphql.GetOperationContext(ctx)
			field := op.Operation.SelectionSet[0].(*ast.Field)
			args := field.ArgumentMap(op.Variables)
			switch op.Operation.Operation {
			case ast.Query:
				return graphql.OneShot(&graphql.Response{Data: json.RawMessage(`{"hello":"world"}`)})
			case ast.Mutation:
				data, _ := json.Marshal(map[string]string{"shout": strings.ToUpper(args["word"].(string))})
				return graphql.OneShot(&graphql.Response{Data: data})
			}
			key, _ := args["key"].(string)
			if v := auth.ViewerFrom(ctx); v == nil || (key != "" && key != v.UserID) || w.refuse.Load() {
				graphql.AddError(ctx, &gqlerror.Error{Message: "not yours", Extensions: map[string]any{"code": "FORBIDDEN"}})
				return nil
			}
			ch, err := live.Stream(ctx, src, ticksTopic, key, func(_ context.Context, e events.Event) (string, bool) {
				tick, err := events.Decode[string](e)
				return tick, err == nil && tick != "skip"
			})
			if err != nil {
				graphql.AddError(ctx, err)
				return nil
			}
			return func(ctx context.Context) *graphql.Response {
				tick, ok := <-ch
				if !ok {
					return nil
				}
				data, _ := json.Marshal(map[string]string{"ticks": tick})
				return &graphql.Response{Data: data}
			}
		},
	}
}

// publish publishes tick on key's ticks.
func (w *world) publish(t *testing.T, key, tick string) {
	t.Helper()
	e, err := events.Encode(ticksTopic, key, tick)
	if err != nil {
		t.Fatal(err)
	}
	if err := w.bus.Publish(context.Background(), e); err != nil {
		t.Fatalf("publishing %q: %v", tick, err)
	}
}

// countingBus counts the listeners that are registered and not stopped yet.
type countingBus struct {
	events.Bus
	listeners atomic.Int64
}

func (b *countingBus) Listen(topic, key string, fn func(events.Event)) (func(), error) {
	stop, err := b.Bus.Listen(topic, key, fn)
	if err != nil {
		return nil, err
	}
	b.listeners.Add(1)
	return sync.OnceFunc(func() {
		stop()
		b.listeners.Add(-1)
	}), nil
}

// checker says every credential is valid until revoke.
type checker struct{ revoked sync.Map }

func (c *checker) StillValid(_ context.Context, v *auth.Viewer) bool {
	_, revoked := c.revoked.Load(v.UserID)
	return !revoked
}

func (c *checker) revoke(userID string) { c.revoked.Store(userID, true) }

// message is one protocol message.
type message struct {
	ID      string          `json:"id,omitempty"`
	Type    string          `json:"type"`
	Payload json.RawMessage `json:"payload,omitempty"`
}

// client is a raw protocol client.
type client struct {
	t     *testing.T
	conn  *websocket.Conn
	proto string
}

func (w *world) dial(t *testing.T, proto string) *client {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), waitTimeout)
	defer cancel()
	conn, _, err := websocket.Dial(ctx, w.url, &websocket.DialOptions{Subprotocols: []string{proto}})
	if err != nil {
		t.Fatalf("dialing: %v", err)
	}
	conn.SetReadLimit(-1)
	t.Cleanup(func() { _ = conn.CloseNow() })
	return &client{t: t, conn: conn, proto: proto}
}

func (c *client) legacy() bool { return c.proto == "graphql-ws" }

func (c *client) send(m any) {
	c.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), waitTimeout)
	defer cancel()
	if err := wsjson.Write(ctx, c.conn, m); err != nil {
		c.t.Fatalf("sending %v: %v", m, err)
	}
}

func (c *client) sendRaw(text string) {
	c.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), waitTimeout)
	defer cancel()
	if err := c.conn.Write(ctx, websocket.MessageText, []byte(text)); err != nil {
		c.t.Fatalf("sending %q: %v", text, err)
	}
}

// next returns the next message, keep-alives left out.
func (c *client) next() message {
	c.t.Helper()
	m, err := c.nextOrErr()
	if err != nil {
		c.t.Fatalf("reading: %v", err)
	}
	return m
}

func (c *client) nextOrErr() (message, error) {
	for {
		m, err := c.nextRaw()
		if err != nil || (m.Type != "ka" && m.Type != "ping") {
			return m, err
		}
	}
}

// nextRaw returns the next message, keep-alives included.
func (c *client) nextRaw() (message, error) {
	ctx, cancel := context.WithTimeout(context.Background(), waitTimeout)
	defer cancel()
	var m message
	err := wsjson.Read(ctx, c.conn, &m)
	return m, err
}

// expect reads the next message and checks its type and id.
func (c *client) expect(typ, id string) message {
	c.t.Helper()
	m := c.next()
	if m.Type != typ || m.ID != id {
		c.t.Fatalf("got %s %q %s, want %s %q", m.Type, m.ID, m.Payload, typ, id)
	}
	return m
}

// closed reads until the server closes the connection and returns the close code and the
// messages that came before it.
func (c *client) closed() (websocket.StatusCode, []message) {
	c.t.Helper()
	var before []message
	for {
		m, err := c.nextOrErr()
		if err != nil {
			if errors.Is(err, context.DeadlineExceeded) {
				c.t.Fatalf("the connection is still open after %s", waitTimeout)
			}
			return websocket.CloseStatus(err), before
		}
		before = append(before, m)
	}
}

// init sends connection_init with token and waits for the ack.
func (c *client) init(token string) {
	c.t.Helper()
	c.send(map[string]any{"type": "connection_init", "payload": map[string]any{"token": token}})
	c.expect("connection_ack", "")
}

// subscribe starts the ticks subscription id for key.
func (c *client) subscribe(id, key string) {
	c.t.Helper()
	c.start(id, `subscription($k: String) { ticks(key: $k) }`, map[string]any{"k": key})
}

// start sends operation id.
func (c *client) start(id, query string, vars map[string]any) {
	c.t.Helper()
	typ := "subscribe"
	if c.legacy() {
		typ = "start"
	}
	c.send(map[string]any{"id": id, "type": typ, "payload": map[string]any{"query": query, "variables": vars}})
}

// stop ends operation id.
func (c *client) stop(id string) {
	c.t.Helper()
	typ := "complete"
	if c.legacy() {
		typ = "stop"
	}
	c.send(map[string]any{"id": id, "type": typ})
}

// sync runs a query and waits for its result. The server handles a connection's messages in
// order, so every message sent before has been handled then: a subscription is listening.
func (c *client) sync() {
	c.t.Helper()
	c.start("sync", `{ hello }`, nil)
	c.expect(c.nextType(), "sync")
	c.expect("complete", "sync")
}

// nextType is the type of a result message in the client's protocol.
func (c *client) nextType() string {
	if c.legacy() {
		return "data"
	}
	return "next"
}

// expectTick reads the next message and checks it is tick for subscription id.
func (c *client) expectTick(id, tick string) {
	c.t.Helper()
	m := c.expect(c.nextType(), id)
	var p struct {
		Data struct{ Ticks string }
	}
	if err := json.Unmarshal(m.Payload, &p); err != nil || p.Data.Ticks != tick {
		c.t.Fatalf("got %s, want tick %q", m.Payload, tick)
	}
}

// waitFor polls cond until it holds, failing the test after waitTimeout.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(waitTimeout); !cond(); time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			buf := make([]byte, 1<<16)
			t.Fatalf("still waiting for %s after %s\n%s", what, waitTimeout, buf[:runtime.Stack(buf, true)])
		}
	}
}

var protocols = []string{"graphql-transport-ws", "graphql-ws"}

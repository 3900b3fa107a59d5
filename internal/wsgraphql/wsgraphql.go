// Package wsgraphql serves GraphQL over websockets, in both the graphql-transport-ws protocol and
// the legacy graphql-ws one, with one goroutine per idle connection and none per subscription.
//
// gqlgen's own websocket transport costs three goroutines per connection (read loop, close
// watcher, stream pump) and one per subscription, and the stack of each is most of what an idle
// subscriber costs. Here:
//   - each connection has one goroutine, which only reads: it parses each client message and
//     queues it for the connection;
//   - a subscription is a bus listener (see live.Register), not a goroutine: an event is queued
//     for its connection, and the operation runs once per event (see live.Deliver);
//   - a small pool of workers, started on demand, does what connections queued, one worker per
//     connection at a time and in order: it answers messages, runs subscriptions and writes;
//   - one clock goroutine for the whole server sends keep-alives and enforces timeouts;
//   - queries and mutations run in a goroutine of their own for as long as they take.
//
// Serve it as a transport of gqlgen's handler.Server, so that every operation goes through the
// same executor (extensions, error presenter, query cache) as over HTTP.
package wsgraphql

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"runtime"
	"sync"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/coder/websocket"
)

// Defaults for the zero values of Config.
const (
	DefaultKeepAlive    = 10 * time.Second
	DefaultInitTimeout  = 10 * time.Second
	DefaultAuthTimeout  = 5 * time.Second
	DefaultWriteTimeout = 10 * time.Second
	// DefaultReadLimit is gqlgen's limit on a client message.
	DefaultReadLimit = 1 << 20
	// DefaultQueueLimit is how many events a connection may fall behind, as events.DefaultBuffer.
	DefaultQueueLimit = 64
)

// maxStep bounds the clock's step, which is otherwise a tenth of the shortest interval it
// enforces. Connections whose pings fall due in one step are pinged together, and their pings
// queue for the workers ahead of events: with a coarse step and many connections (10,000
// connected within a few seconds), such a burst delayed deliveries by tens of milliseconds. A
// visit costs tens of nanoseconds per connection.
const maxStep = 100 * time.Millisecond

// maxPendingMessages is how many client messages a connection may have waiting: the read loop
// waits beyond it, so a client that sends faster than its messages are handled is slowed down
// rather than buffered.
const maxPendingMessages = 64

// Config configures a Server.
type Config struct {
	// InitFunc authenticates connection_init from its payload and returns the context the
	// connection's operations run in. An error refuses the connection with the error's message.
	// Nil accepts every connection as it is.
	InitFunc transport.WebsocketInitFunc
	// OriginPatterns are the hosts of other origins whose browsers may connect, as in
	// websocket.AcceptOptions; with none, only same-origin browsers (and non-browsers) may.
	OriginPatterns []string
	// Context returns the context a connection's operations run in (before InitFunc adds to
	// it), given its upgrade request. It must not be cancelled when the request's handler
	// returns, which it does right after the upgrade. Nil means the request's context without
	// its cancellation.
	Context func(r *http.Request) context.Context
	// OperationContext derives the context of one operation (a query or mutation, a
	// subscription's start, or one of its events) from the connection's. Nil uses the
	// connection's as it is.
	OperationContext func(ctx context.Context) context.Context
	// Authorize, when set, runs before each query, mutation and subscription a client starts,
	// with the operation's context: an error refuses the operation with it. A connection lives
	// longer than the credential it was opened with, so this is where a revoked credential stops
	// working for new operations, as it does at once over HTTP.
	Authorize func(ctx context.Context) error
	// KeepAlive is how often an idle connection is pinged ("ka" in the legacy protocol);
	// a graphql-transport-ws client that sends nothing, pongs included, for two intervals is
	// disconnected. 0 means DefaultKeepAlive.
	KeepAlive time.Duration
	// InitTimeout is how long a client has to send connection_init; 0 means DefaultInitTimeout.
	InitTimeout time.Duration
	// Authenticated, when set, reports whether a connection's context has a signed-in viewer
	// (from its upgrade request or its connection_init): a connection without one AuthTimeout
	// after it opened is closed with 4401 Unauthorized, so anonymous clients cannot hold
	// connections (and their file descriptors) open.
	Authenticated func(ctx context.Context) bool
	// AuthTimeout is how long a connection may stay unauthenticated; 0 means DefaultAuthTimeout.
	AuthTimeout time.Duration
	// MaxPerClient bounds the open connections of one client, named by ClientKey; further
	// upgrades are refused with 429 before the handshake. 0 means no limit.
	MaxPerClient int
	// ClientKey names the client of an upgrade request (typically its address); nil means the
	// peer's host.
	ClientKey func(r *http.Request) string
	// WriteTimeout bounds each write; a client that does not take a message in time is
	// disconnected. 0 means DefaultWriteTimeout.
	WriteTimeout time.Duration
	// ReadLimit is the largest client message in bytes; 0 means DefaultReadLimit.
	ReadLimit int64
	// QueueLimit is how many events a connection may have waiting; beyond it the oldest waiting
	// event is dropped, since the next one carries the current state. 0 means DefaultQueueLimit.
	QueueLimit int
	// Workers bounds the goroutines that run connections' work; 0 means 16 per CPU.
	Workers int
	// Logger receives dropped events and refused upgrades; nil means slog.Default().
	Logger *slog.Logger
	// OnSubscription, when set, is told +1 when a subscription starts listening and -1 when it
	// stops (for metrics); OnDropped is told how many events a client that fell behind lost.
	OnSubscription func(delta int)
	OnDropped      func(n int)
	// OnTooMany, when set, is told of each upgrade refused because its client had MaxPerClient
	// connections open (for metrics).
	OnTooMany func(r *http.Request)
}

// Validate reports whether c is usable.
func (c Config) Validate() error {
	if c.KeepAlive < 0 || c.InitTimeout < 0 || c.AuthTimeout < 0 || c.WriteTimeout < 0 || c.ReadLimit < 0 || c.QueueLimit < 0 ||
		c.Workers < 0 || c.MaxPerClient < 0 {
		return errors.New("wsgraphql: durations, limits and workers must not be negative")
	}
	return nil
}

// Server is a gqlgen transport that serves GraphQL over websockets. Use New; Close it on shutdown.
type Server struct {
	cfg   Config
	epoch time.Time
	// step is how often the clock goroutine runs (see maxStep).
	step time.Duration
	pool pool

	mu sync.Mutex
	// conns are the open connections; the clock goroutine runs while there are any.
	conns map[*conn]struct{}
	// perClient counts the open connections, and the upgrades under way, of each client.
	perClient map[string]int
	ticking   bool
	closed    bool
}

var _ graphql.Transport = (*Server)(nil)

// New returns a Server configured by cfg.
func New(cfg Config) (*Server, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if cfg.KeepAlive == 0 {
		cfg.KeepAlive = DefaultKeepAlive
	}
	if cfg.InitTimeout == 0 {
		cfg.InitTimeout = DefaultInitTimeout
	}
	if cfg.AuthTimeout == 0 {
		cfg.AuthTimeout = DefaultAuthTimeout
	}
	if cfg.ClientKey == nil {
		cfg.ClientKey = func(r *http.Request) string {
			host, _, err := net.SplitHostPort(r.RemoteAddr)
			if err != nil {
				return r.RemoteAddr
			}
			return host
		}
	}
	if cfg.WriteTimeout == 0 {
		cfg.WriteTimeout = DefaultWriteTimeout
	}
	if cfg.ReadLimit == 0 {
		cfg.ReadLimit = DefaultReadLimit
	}
	if cfg.QueueLimit == 0 {
		cfg.QueueLimit = DefaultQueueLimit
	}
	if cfg.Workers == 0 {
		cfg.Workers = 16 * runtime.GOMAXPROCS(0)
	}
	if cfg.Context == nil {
		cfg.Context = func(r *http.Request) context.Context { return context.WithoutCancel(r.Context()) }
	}
	if cfg.OperationContext == nil {
		cfg.OperationContext = func(ctx context.Context) context.Context { return ctx }
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	return &Server{
		cfg:       cfg,
		epoch:     time.Now(),
		step:      min(cfg.KeepAlive/10, cfg.InitTimeout/10, cfg.AuthTimeout/10, maxStep),
		pool:      pool{max: cfg.Workers},
		conns:     make(map[*conn]struct{}),
		perClient: make(map[string]int),
	}, nil
}

// Supports reports whether r asks for a websocket.
func (s *Server) Supports(r *http.Request) bool { return r.Header.Get("Upgrade") != "" }

// Do upgrades r to a websocket served with exec, starts the connection's read loop and returns:
// net/http lets the handler of a hijacked connection return, and the goroutine that served the
// request (with its deep stack) ends instead of idling for the connection's lifetime.
func (s *Server) Do(w http.ResponseWriter, r *http.Request, exec graphql.GraphExecutor) {
	client := s.cfg.ClientKey(r)
	if !s.reserve(client) {
		if s.cfg.OnTooMany != nil {
			s.cfg.OnTooMany(r)
		}
		w.Header().Set("Retry-After", "60")
		http.Error(w, "too many websocket connections from this address", http.StatusTooManyRequests)
		return
	}
	var raw net.Conn
	ws, err := websocket.Accept(smallBuffers{w, &raw}, r, &websocket.AcceptOptions{
		Subprotocols:   subprotocols,
		OriginPatterns: s.cfg.OriginPatterns,
	})
	if err != nil {
		// Accept has answered: 403 for a foreign origin, 426 for a bad handshake.
		s.cfg.Logger.Debug("websocket upgrade refused", "err", err)
		s.release(client)
		return
	}
	ws.SetReadLimit(s.cfg.ReadLimit)
	now := s.clock()
	c := &conn{srv: s, ws: ws, raw: raw, exec: exec, proto: protocolOf(ws.Subprotocol()), ctx: s.cfg.Context(r),
		client: client, initDeadline: now + s.cfg.InitTimeout, authDeadline: now + s.cfg.AuthTimeout}
	c.authed = s.authenticated(c.ctx)
	c.wake.L = &c.mu
	c.lastRead.Store(int64(now))
	if !s.add(c) {
		s.release(client)
		_ = ws.Close(goingAway().closeCode(c.proto), goingAway().reason)
		return
	}
	go c.readLoop()
}

// authenticated reports whether ctx has a signed-in viewer, as Config.Authenticated says.
func (s *Server) authenticated(ctx context.Context) bool {
	return s.cfg.Authenticated == nil || s.cfg.Authenticated(ctx)
}

// reserve counts one more connection of client, unless it has MaxPerClient already.
func (s *Server) reserve(client string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cfg.MaxPerClient > 0 && s.perClient[client] >= s.cfg.MaxPerClient {
		return false
	}
	s.perClient[client]++
	return true
}

// release forgets one connection of client.
func (s *Server) release(client string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.releaseLocked(client)
}

func (s *Server) releaseLocked(client string) {
	if s.perClient[client]--; s.perClient[client] <= 0 {
		delete(s.perClient, client)
	}
}

// Close disconnects every client (1001, going away) so that they reconnect elsewhere: net/http's
// Shutdown does not close hijacked connections. New connections are refused.
func (s *Server) Close() error {
	s.mu.Lock()
	s.closed = true
	conns := make([]*conn, 0, len(s.conns))
	for c := range s.conns {
		conns = append(conns, c)
	}
	s.mu.Unlock()
	for _, c := range conns {
		c.fail(goingAway())
	}
	return nil
}

// clock is the time since the server started, on the monotonic clock.
func (s *Server) clock() time.Duration { return time.Since(s.epoch) }

// add registers c and starts the clock goroutine if it is not running; it reports false after
// Close.
func (s *Server) add(c *conn) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return false
	}
	s.conns[c] = struct{}{}
	if !s.ticking {
		s.ticking = true
		go s.keepTime()
	}
	return true
}

func (s *Server) remove(c *conn) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.conns[c]; ok {
		delete(s.conns, c)
		s.releaseLocked(c.client)
	}
}

// keepTime visits every connection each step (see conn.tick) until there are none left.
func (s *Server) keepTime() {
	t := time.NewTicker(s.step)
	defer t.Stop()
	var actions []func()
	for range t.C {
		s.mu.Lock()
		if len(s.conns) == 0 {
			s.ticking = false
			s.mu.Unlock()
			return
		}
		now := s.clock()
		for c := range s.conns {
			if a := c.tick(now); a != nil {
				actions = append(actions, a)
			}
		}
		s.mu.Unlock()
		// Closing a connection removes it from s.conns, so it waits for s.mu.
		for i, a := range actions {
			a()
			actions[i] = nil
		}
		actions = actions[:0]
	}
}

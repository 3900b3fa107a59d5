package wsgraphql

import (
	"context"
	"encoding/json"
	"net"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/coder/websocket"

	"github.com/steward-dev/steward/internal/events"
	"github.com/steward-dev/steward/internal/live"
)

// conn is one websocket connection. Its read loop queues client messages, bus listeners queue
// events, and the clock flags pings and credential re-checks; a worker then runs what is queued
// (see run), one at a time per connection, so that everything happens in the order it arrived.
type conn struct {
	srv *Server
	ws  *websocket.Conn
	// raw is the connection under ws, whose write deadline bounds each write.
	raw   net.Conn
	exec  graphql.GraphExecutor
	proto protocol
	// ctx is what operations run in: Config.Context's values, then InitFunc's. Only the init job
	// writes it, before any operation starts. It is never cancelled, which would cost every
	// connection a cancelCtx, its channel and its map of children: queries and mutations, which
	// may wait, get a cancel of their own (see execute), and the rest are short.
	ctx context.Context
	// lastRead is when the client last sent a message, in Server.clock time.
	lastRead atomic.Int64

	// writeMu serialises writes, each with its own deadline.
	writeMu sync.Mutex

	mu sync.Mutex
	// wake tells a read loop waiting for room in the inbox that there is some.
	wake   sync.Cond
	closed bool
	acked  bool
	// inbox is what the next run does, in order: messages counts its client messages, events
	// its events. It is nil when empty, so that an idle connection holds no buffer.
	inbox            []job
	messages, events int
	// dropped counts the events dropped since the last run because the client fell behind.
	dropped int
	// scheduled is set while the connection is queued for a worker or running in one.
	scheduled           bool
	pingDue, recheckDue bool
	ops                 []*operation
	// creds is the registration whose credential the connection watches, once it has had a
	// live subscription; stopCreds stops listening for its changes. revoked is set when the
	// credential stopped being valid: subscriptions then end.
	creds     *live.Registration
	stopCreds func()
	revoked   bool
	// authed is set once the connection has a signed-in viewer (see Config.Authenticated).
	authed bool
	// client names the connection's client, for Config.MaxPerClient.
	client string
	// Deadlines, in Server.clock time.
	initDeadline, authDeadline, nextPing, nextRecheck time.Duration
}

// job is one queued piece of work: a client message, or an event for the live operation op.
type job struct {
	kind  kind
	msg   message
	op    *operation
	event events.Event
}

// readLoop is the connection's goroutine. It only reads and queues, so that its stack stays
// small for as long as the connection idles; handling happens in the workers.
func (c *conn) readLoop() {
	defer c.abort()
	for {
		// A context that is never done makes the library set up no timer for the read; closing
		// the connection ends it.
		_, data, err := c.ws.Read(context.Background())
		if err != nil {
			return
		}
		c.lastRead.Store(int64(c.srv.clock()))
		var m message
		if err := json.Unmarshal(data, &m); err != nil {
			c.fail(badRequest("Invalid message received"))
			return
		}
		k, ok := c.proto.kind(m.Type)
		switch {
		case !ok:
			c.fail(badRequest("Unexpected message type " + m.Type))
			return
		case k == kindPong:
			// A pong only shows the client is there, which lastRead now says.
		case k == kindTerminate:
			// The client ends the connection: a normal close, without a connection_error.
			c.fail(failure{legacyCode: websocket.StatusNormalClosure})
			return
		case !c.post(job{kind: k, msg: m}):
			return
		}
	}
}

// post queues a client message, waiting while maxPendingMessages are queued already. It reports
// false once the connection is closed.
func (c *conn) post(j job) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	for c.messages >= maxPendingMessages && !c.closed {
		c.wake.Wait()
	}
	if c.closed {
		return false
	}
	c.inbox = append(c.inbox, j)
	c.messages++
	c.scheduleLocked()
	return true
}

// push queues an event for op. It runs in the publisher's goroutine, so it never waits: beyond
// QueueLimit waiting events it drops the oldest, as the next event carries the current state.
func (c *conn) push(op *operation, e events.Event) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return
	}
	if c.events >= c.srv.cfg.QueueLimit {
		i := slices.IndexFunc(c.inbox, func(j job) bool { return j.op != nil })
		c.inbox = slices.Delete(c.inbox, i, i+1)
		c.events--
		c.dropped++
	}
	c.inbox = append(c.inbox, job{op: op, event: e})
	c.events++
	c.scheduleLocked()
}

// credentialsChanged flags a credential re-check; like push, it never waits.
func (c *conn) credentialsChanged() {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.closed {
		c.recheckDue = true
		c.scheduleLocked()
	}
}

// scheduleLocked queues c for a worker unless it is queued or running already; c.mu is held.
func (c *conn) scheduleLocked() {
	if !c.scheduled {
		c.scheduled = true
		c.srv.pool.submit(c)
	}
}

// tick is the clock's visit, with Server.mu held: it flags the ping and the credential re-check
// that are due, and returns how to end a connection that was not initialised in time or, in
// graphql-transport-ws, stopped answering pings. The clock calls that after releasing
// Server.mu, which closing takes.
func (c *conn) tick(now time.Duration) func() {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return nil
	}
	keepAlive := c.srv.cfg.KeepAlive
	if !c.authed && now >= c.authDeadline {
		return func() { c.fail(unauthorized()) }
	}
	if !c.acked {
		if now >= c.initDeadline {
			return func() { c.fail(initTimeout()) }
		}
		return nil
	}
	if now >= c.nextPing {
		if !c.proto.legacy && now-time.Duration(c.lastRead.Load()) > 2*keepAlive {
			// No close handshake with a client that stopped answering.
			return c.abort
		}
		c.nextPing = now + keepAlive
		c.pingDue = true
		c.scheduleLocked()
	}
	if c.creds != nil && !c.revoked && now >= c.nextRecheck && slices.ContainsFunc(c.ops, (*operation).isLive) {
		c.nextRecheck = now + live.RecheckEvery
		c.recheckDue = true
		c.scheduleLocked()
	}
	return nil
}

// run does everything queued for c, in order. The pool runs it in one worker at a time.
func (c *conn) run() {
	c.mu.Lock()
	jobs, ping, recheck, dropped := c.inbox, c.pingDue, c.recheckDue, c.dropped
	c.inbox, c.messages, c.events, c.pingDue, c.recheckDue, c.dropped = nil, 0, 0, false, false, 0
	c.wake.Broadcast()
	c.mu.Unlock()

	if dropped > 0 {
		c.srv.cfg.Logger.Warn("websocket client fell behind; its oldest waiting events were dropped", "dropped", dropped)
		if c.srv.cfg.OnDropped != nil {
			c.srv.cfg.OnDropped(dropped)
		}
	}
	if ping {
		c.send(c.proto.keepAlive())
	}
	if recheck {
		c.recheck()
	}
	for _, j := range jobs {
		if c.isClosed() {
			break
		}
		c.do(j)
	}

	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.closed && (len(c.inbox) > 0 || c.pingDue || c.recheckDue) {
		// More arrived meanwhile: queue again behind the other connections rather than keep
		// the worker.
		c.srv.pool.submit(c)
		return
	}
	c.scheduled = false
}

func (c *conn) do(j job) {
	switch j.kind {
	case kindInit:
		c.init(j.msg)
	case kindStart:
		c.start(j.msg)
	case kindStop:
		c.stop(j.msg.ID)
	case kindPing:
		c.send(message{Type: "pong", Payload: j.msg.Payload})
	default:
		c.deliver(j.op, j.event)
	}
}

func (c *conn) isClosed() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.closed
}

// send writes m, giving up after WriteTimeout and closing the connection: a client that stops
// reading holds a worker for that long once.
func (c *conn) send(m message) {
	b, err := json.Marshal(m)
	if err != nil {
		c.srv.cfg.Logger.Error("encoding a websocket message", "type", m.Type, "err", err)
		return
	}
	c.writeMu.Lock()
	defer c.writeMu.Unlock()
	// A deadline on the connection rather than a context with a timeout: the library would
	// allocate a timer for each write and keep the last context for the connection's life. It
	// is cleared after the write, as the library writes too (control frames, the close
	// handshake) with timeouts of its own.
	_ = c.raw.SetWriteDeadline(time.Now().Add(c.srv.cfg.WriteTimeout))
	defer func() { _ = c.raw.SetWriteDeadline(time.Time{}) }()
	if err := c.ws.Write(context.Background(), websocket.MessageText, b); err != nil {
		// The frame may be cut short, so the connection cannot go on. Closing it ends the
		// read loop too. (Writes to a connection that is closing fail here as well.)
		c.abort()
	}
}

// shutdown marks c closed and releases what it holds: its operations, its bus listeners and its
// place in the server. Only the first call does it, and reports true.
func (c *conn) shutdown() bool {
	c.mu.Lock()
	if c.closed {
		c.mu.Unlock()
		return false
	}
	c.closed = true
	ops, stopCreds := c.ops, c.stopCreds
	for _, op := range ops {
		op.done = true
	}
	c.ops, c.stopCreds, c.inbox = nil, nil, nil
	c.wake.Broadcast()
	c.mu.Unlock()
	// Stopping a listener waits for publishers, which may be waiting for c.mu: not under it.
	for _, op := range ops {
		op.release()
	}
	if stopCreds != nil {
		stopCreds()
	}
	c.srv.remove(c)
	return true
}

// fail closes c for f: with a connection_error first in the legacy protocol (unless f has no
// reason), then the close handshake, in a goroutine of its own since it waits for the client.
func (c *conn) fail(f failure) {
	if !c.shutdown() {
		return
	}
	go func() {
		if c.proto.legacy && f.reason != "" {
			payload, _ := json.Marshal(map[string]string{"message": f.reason})
			c.send(message{Type: "connection_error", Payload: payload})
		}
		_ = c.ws.Close(f.closeCode(c.proto), f.closeReason())
	}()
}

// abort closes c without a handshake: the client is gone or does not answer.
func (c *conn) abort() {
	if c.shutdown() {
		_ = c.ws.CloseNow()
	}
}

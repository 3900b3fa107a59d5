package wsgraphql

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"sync"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/errcode"
	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/steward-dev/steward/internal/events"
	"github.com/steward-dev/steward/internal/live"
)

// operation is a started operation: a live subscription (rc set), which runs once per event, or
// a query or mutation (cancel set), which runs in a goroutine of its own.
type operation struct {
	id string
	// rc is the subscription's operation context, parsed and validated once and reused for every
	// event; events of one connection run one at a time, so it is never used concurrently.
	rc *graphql.OperationContext
	// stopListening ends the subscription's bus listener.
	stopListening func()
	cancel        context.CancelFunc
	// done is set, under conn.mu, once the operation is removed from its connection.
	done bool
}

func (op *operation) isLive() bool { return op.rc != nil }

// release stops what op holds; call it without conn.mu held.
func (op *operation) release() {
	if op.stopListening != nil {
		op.stopListening()
	}
	if op.cancel != nil {
		op.cancel()
	}
}

// init answers connection_init: InitFunc authenticates, and its context becomes the connection's.
func (c *conn) init(m message) {
	c.mu.Lock()
	acked := c.acked
	c.mu.Unlock()
	if acked {
		c.fail(tooManyInits())
		return
	}
	var payload transport.InitPayload
	if len(m.Payload) > 0 {
		if err := json.Unmarshal(m.Payload, &payload); err != nil {
			c.fail(badRequest("Invalid connection_init payload"))
			return
		}
	}
	ctx := c.ctx
	var ackPayload *transport.InitPayload
	if c.srv.cfg.InitFunc != nil {
		var err error
		if ctx, ackPayload, err = c.srv.cfg.InitFunc(ctx, payload); err != nil {
			c.fail(forbidden(err.Error()))
			return
		}
	}
	c.ctx = ctx
	authed := c.srv.authenticated(ctx)
	c.mu.Lock()
	c.authed = c.authed || authed
	c.acked = true
	c.nextPing = c.srv.clock() + c.srv.cfg.KeepAlive
	c.mu.Unlock()
	ack := message{Type: "connection_ack"}
	if ackPayload != nil {
		ack.Payload, _ = json.Marshal(ackPayload)
	}
	c.send(ack)
	if c.proto.legacy {
		// subscriptions-transport-ws clients start their keep-alive timeout on the first "ka".
		c.send(c.proto.keepAlive())
	}
}

// start begins operation m.ID: a subscription is registered, a query or mutation runs.
func (c *conn) start(m message) {
	c.mu.Lock()
	acked := c.acked
	old := c.findLocked(m.ID)
	c.mu.Unlock()
	switch {
	case !acked:
		c.fail(unauthorized())
		return
	case m.ID == "":
		c.fail(badRequest("Operation id missing"))
		return
	case old != nil && !c.proto.legacy:
		c.fail(duplicateID(m.ID))
		return
	case old != nil:
		// subscriptions-transport-ws restarts an operation whose id is reused.
		c.stop(m.ID)
	}
	params := &graphql.RawParams{}
	dec := json.NewDecoder(bytes.NewReader(m.Payload))
	dec.UseNumber() // as gqlgen's transports decode variables
	if err := dec.Decode(params); err != nil {
		c.sendErrors(m.ID, gqlerror.List{{Message: "the payload is not valid JSON", Extensions: map[string]any{"code": "BAD_USER_INPUT"}}})
		c.send(message{ID: m.ID, Type: "complete"})
		return
	}
	ctx := graphql.StartOperationTrace(c.srv.cfg.OperationContext(c.ctx))
	rc, errs := c.exec.CreateOperationContext(ctx, params)
	if errs != nil {
		resp := c.exec.DispatchError(graphql.WithOperationContext(ctx, rc), errs)
		if errcode.GetErrorKind(errs) == errcode.KindProtocol {
			c.sendErrors(m.ID, resp.Errors)
		} else {
			c.sendResponse(m.ID, resp)
		}
		c.send(message{ID: m.ID, Type: "complete"})
		return
	}
	if auth := c.srv.cfg.Authorize; auth != nil {
		if err := auth(ctx); err != nil {
			c.sendResponse(m.ID, c.exec.DispatchError(graphql.WithOperationContext(ctx, rc), gqlerror.List{gqlerror.WrapIfUnwrapped(err)}))
			c.send(message{ID: m.ID, Type: "complete"})
			return
		}
	}
	if rc.Operation.Operation == ast.Subscription {
		c.subscribe(ctx, m.ID, rc)
		return
	}
	c.execute(ctx, m.ID, rc)
}

// subscribe runs the subscription once with live.Register, which authorizes the subscriber as
// usual and records what to listen to, then listens on the bus.
func (c *conn) subscribe(ctx context.Context, id string, rc *graphql.OperationContext) {
	regCtx, reg := live.Register(ctx)
	resp := c.dispatchLive(regCtx, rc)
	op := &operation{id: id, rc: rc}
	if resp == nil {
		var err error
		if !reg.Recorded() {
			err = fmt.Errorf("wsgraphql: subscription %q did not register through live.Stream", rc.OperationName)
		} else if op.stopListening, err = reg.Listen(func(e events.Event) { c.push(op, e) }); err != nil {
			err = fmt.Errorf("wsgraphql: listening for subscription events: %w", err)
		}
		if err != nil {
			resp = c.exec.DispatchError(graphql.WithOperationContext(ctx, rc), gqlerror.List{gqlerror.WrapIfUnwrapped(err)})
		} else if count := c.srv.cfg.OnSubscription; count != nil {
			stop := op.stopListening
			count(1)
			op.stopListening = sync.OnceFunc(func() { stop(); count(-1) })
		}
	}
	if resp != nil {
		// Refused: a result with the errors, as gqlgen's transport reported a resolver's error.
		c.sendResponse(id, resp)
		c.send(message{ID: id, Type: "complete"})
		return
	}
	if !c.add(op) {
		op.release()
		return
	}
	c.watchCredentials(reg)
}

// watchCredentials makes the connection re-check its credential when it changes and every
// live.RecheckEvery, from its first live subscription on: one listener per connection, however
// many subscriptions it has. Subscriptions end when the credential is no longer valid.
func (c *conn) watchCredentials(reg *live.Registration) {
	c.mu.Lock()
	watching, revoked := c.creds != nil, c.revoked
	c.mu.Unlock()
	if revoked {
		// Found invalid before: a subscription would end at its first check anyway.
		c.endLive()
		return
	}
	if watching {
		return
	}
	stop, err := reg.ListenCredentials(c.credentialsChanged)
	if err != nil {
		return // the bus is closed: the server is shutting down
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		defer stop() // after c.mu is released, as shutdown does
		return
	}
	c.creds, c.stopCreds = reg, stop
	c.nextRecheck = c.srv.clock() + live.RecheckEvery
}

// recheck ends the live subscriptions when the credential is no longer valid.
func (c *conn) recheck() {
	c.mu.Lock()
	reg := c.creds
	c.mu.Unlock()
	if reg == nil || reg.StillValid(c.ctx) {
		return
	}
	c.mu.Lock()
	c.revoked = true
	c.mu.Unlock()
	c.endLive()
}

// endLive completes every live subscription.
func (c *conn) endLive() {
	c.mu.Lock()
	var ended []*operation
	c.ops = slices.DeleteFunc(c.ops, func(op *operation) bool {
		if op.isLive() {
			op.done = true
			ended = append(ended, op)
		}
		return op.isLive()
	})
	c.mu.Unlock()
	for _, op := range ended {
		op.release()
		c.send(message{ID: op.id, Type: "complete"})
	}
}

// deliver runs op's subscription once for e, with e in the context (live.Deliver).
func (c *conn) deliver(op *operation, e events.Event) {
	c.mu.Lock()
	done := op.done
	c.mu.Unlock()
	if done {
		return
	}
	resp := c.dispatchLive(live.Deliver(c.srv.cfg.OperationContext(c.ctx), e), op.rc)
	if resp == nil {
		return // the subscription skips this event
	}
	c.sendResponse(op.id, resp)
	if resp.Data == nil && len(resp.Errors) > 0 {
		// The resolver refused the subscriber this time: end as a refused subscription ends.
		c.finish(op)
	}
}

// execute runs a query or mutation in a goroutine of its own: it may wait on the database for
// long, which must not hold up the connection's other work or a shared worker. It is cancelled
// when the client stops it or the connection closes.
func (c *conn) execute(ctx context.Context, id string, rc *graphql.OperationContext) {
	ctx, cancel := context.WithCancel(ctx)
	op := &operation{id: id, cancel: cancel}
	if !c.add(op) {
		cancel()
		return
	}
	go func() {
		defer cancel()
		c.dispatch(ctx, rc, func(resp *graphql.Response) { c.sendResponse(id, resp) })
		c.finish(op)
	}()
}

// dispatch runs rc and passes each of its responses to emit: one, unless @defer makes more (a
// live subscription yields one at most, without blocking; see live.Stream). It asks for no
// response past the last: the response middleware would run again, and entgql's Transactioner
// would open a second transaction for a mutation. A panic becomes an INTERNAL_SERVER_ERROR
// response instead of taking the process down: outside resolvers, gqlgen does not recover.
func (c *conn) dispatch(ctx context.Context, rc *graphql.OperationContext, emit func(*graphql.Response)) {
	defer func() {
		if r := recover(); r != nil {
			err := gqlerror.WrapIfUnwrapped(rc.Recover(ctx, r))
			emit(c.exec.DispatchError(graphql.WithOperationContext(ctx, rc), gqlerror.List{err}))
		}
	}()
	responses, rctx := c.exec.DispatchOperation(ctx, rc)
	for resp := responses(rctx); resp != nil; resp = responses(rctx) {
		emit(resp)
		if resp.HasNext == nil || !*resp.HasNext {
			return
		}
	}
}

// dispatchLive runs a live subscription and returns its response, nil when it has none.
func (c *conn) dispatchLive(ctx context.Context, rc *graphql.OperationContext) (resp *graphql.Response) {
	c.dispatch(ctx, rc, func(r *graphql.Response) { resp = r })
	return resp
}

// stop ends operation id at the client's request; the protocols send nothing back.
func (c *conn) stop(id string) {
	c.mu.Lock()
	op := c.findLocked(id)
	if op != nil {
		c.removeLocked(op)
	}
	c.mu.Unlock()
	if op != nil {
		op.release()
	}
}

// finish ends op from the server's side: it sends complete, unless the operation was already
// ended (the client stopped it, or the connection closed).
func (c *conn) finish(op *operation) {
	c.mu.Lock()
	removed := !op.done
	if removed {
		c.removeLocked(op)
	}
	c.mu.Unlock()
	if removed {
		op.release()
		c.send(message{ID: op.id, Type: "complete"})
	}
}

// add registers op; it reports false when the connection is closed.
func (c *conn) add(op *operation) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return false
	}
	c.ops = append(c.ops, op)
	return true
}

func (c *conn) findLocked(id string) *operation {
	for _, op := range c.ops {
		if op.id == id {
			return op
		}
	}
	return nil
}

func (c *conn) removeLocked(op *operation) {
	op.done = true
	c.ops = slices.DeleteFunc(c.ops, func(o *operation) bool { return o == op })
	if len(c.ops) == 0 {
		c.ops = nil
	}
}

// sendResponse sends a result of operation id.
func (c *conn) sendResponse(id string, resp *graphql.Response) {
	payload, err := json.Marshal(resp)
	if err != nil {
		c.srv.cfg.Logger.Error("encoding a GraphQL response", "err", err)
		return
	}
	c.send(message{ID: id, Type: c.proto.next(), Payload: payload})
}

// sendErrors sends an error message: the operation was not valid and did not run.
func (c *conn) sendErrors(id string, errs gqlerror.List) {
	payload, err := json.Marshal(errs)
	if err != nil {
		c.srv.cfg.Logger.Error("encoding GraphQL errors", "err", err)
		return
	}
	c.send(message{ID: id, Type: "error", Payload: payload})
}

package server

import (
	"bytes"
	"context"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
	"github.com/vektah/gqlparser/v2/parser"

	"github.com/steward-dev/steward/internal/errs"
)

// sseTransport is gqlgen's SSE transport with two changes. A body that is not JSON is refused here
// with 400, as over plain HTTP: gqlgen's own answer quotes the body back and writes it to the
// standard logger, and the body may hold a password. And the subscriptions it keeps open count in
// the same gauge as the websockets' (onSubscription, told +1 and -1).
type sseTransport struct {
	transport.SSE
	onSubscription func(delta int)
}

var _ graphql.Transport = sseTransport{}

// Supports takes a POST as a stream when the client prefers one: text/event-stream is the type
// its Accept ranks first (graphql-sse clients send it alone), or the operation is a subscription,
// which only a stream can answer. Clients such as urql list text/event-stream after the JSON types
// on every request; answering their queries and mutations as a stream would lose what only a
// plain response carries, such as the sign-in cookie.
func (t sseTransport) Supports(r *http.Request) bool {
	if !t.SSE.Supports(r) {
		return false
	}
	return preferredMedia(r.Header.Get("Accept")) == mediaEventStream || isSubscription(r)
}

const mediaEventStream = "text/event-stream"

// preferredMedia returns the media type Accept ranks first: the highest q, the earliest of equals.
func preferredMedia(accept string) string {
	best, bestQ := "", -1.0
	for part := range strings.SplitSeq(accept, ",") {
		mt, params, err := mime.ParseMediaType(strings.TrimSpace(part))
		if err != nil {
			continue
		}
		q := 1.0
		if v, ok := params["q"]; ok {
			if f, err := strconv.ParseFloat(v, 64); err == nil {
				q = f
			}
		}
		if q > bestQ {
			best, bestQ = mt, q
		}
	}
	return best
}

// isSubscription reports whether the request's operation is a subscription. The body was read
// into memory by withBodyLimit; it is put back for the transport that answers.
func isSubscription(r *http.Request) bool {
	body, err := io.ReadAll(r.Body)
	r.Body = io.NopCloser(bytes.NewReader(body))
	if err != nil {
		return false
	}
	var params graphql.RawParams
	// Most requests of such clients are queries and mutations: only a document that names a
	// subscription is parsed, so that they do not pay for a second parse.
	if decodeJSON(bytes.NewReader(body), &params) != nil || !strings.Contains(params.Query, "subscription") {
		return false
	}
	doc, perr := parser.ParseQuery(&ast.Source{Input: params.Query})
	if perr != nil {
		return false
	}
	op := doc.Operations.ForName(params.OperationName)
	return op != nil && op.Operation == ast.Subscription
}

func (t sseTransport) Do(w http.ResponseWriter, r *http.Request, exec graphql.GraphExecutor) {
	// withBodyLimit has read the body already, so reading it again costs no I/O.
	body, err := io.ReadAll(r.Body)
	var params graphql.RawParams
	if err != nil || decodeJSON(bytes.NewReader(body), &params) != nil {
		refused(r, refusedBadRequest)
		w.Header().Set("Content-Type", mediaJSON)
		writeRequestError(w, http.StatusBadRequest, gqlerror.List{{Message: "the request body is not valid JSON: send {\"query\": \"...\", \"variables\": {...}}",
			Extensions: map[string]any{"code": string(errs.CodeBadUserInput)}}})
		return
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	counting := &subscriptionCounter{GraphExecutor: exec, onSubscription: t.onSubscription}
	defer counting.done()
	t.SSE.Do(w, r, counting)
}

// subscriptionCounter tells onSubscription when the operation it dispatches is a subscription,
// and again when the stream ends (done).
type subscriptionCounter struct {
	graphql.GraphExecutor
	onSubscription func(delta int)
	open           atomic.Bool
}

func (c *subscriptionCounter) DispatchOperation(ctx context.Context, oc *graphql.OperationContext) (graphql.ResponseHandler, context.Context) {
	if c.onSubscription != nil && oc != nil && oc.Operation != nil && oc.Operation.Operation == ast.Subscription && c.open.CompareAndSwap(false, true) {
		c.onSubscription(1)
	}
	return c.GraphExecutor.DispatchOperation(ctx, oc)
}

func (c *subscriptionCounter) done() {
	if c.open.CompareAndSwap(true, false) {
		c.onSubscription(-1)
	}
}

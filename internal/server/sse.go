package server

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"sync/atomic"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

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

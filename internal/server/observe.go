package server

import (
	"context"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/steward-dev/steward/internal/metrics"
)

// observe records every response's error codes, and each query's and mutation's outcome and
// latency, in m. Registered before errorBoundary, it runs outside it and sees the final codes, so
// a limit another package adds is counted by its code with no wiring here.
func observe(m *metrics.Metrics) graphql.ResponseMiddleware {
	return func(ctx context.Context, next graphql.ResponseHandler) *graphql.Response {
		resp := next(ctx)
		if resp == nil {
			return nil
		}
		for _, e := range resp.Errors {
			code, _ := e.Extensions["code"].(string)
			m.Error(code)
		}
		if !graphql.HasOperationContext(ctx) {
			m.Request("invalid", true, -1)
			return resp
		}
		oc := graphql.GetOperationContext(ctx)
		if oc.Operation != nil && oc.Operation.Operation == ast.Subscription {
			return resp // each event is a response: subscriptions are counted while open instead
		}
		seconds := -1.0
		if !oc.Stats.OperationStart.IsZero() {
			seconds = time.Since(oc.Stats.OperationStart).Seconds()
		}
		m.Request(operationLabel(oc.Operation), len(resp.Errors) > 0, seconds)
		return resp
	}
}

// operationLabel names an operation by its type and first root field ("mutation signin"): the
// client's operation name is free text and would let any client create series without bound,
// while root fields are the schema's.
func operationLabel(op *ast.OperationDefinition) string {
	if op == nil {
		return "invalid"
	}
	for _, sel := range op.SelectionSet {
		if f, ok := sel.(*ast.Field); ok {
			return string(op.Operation) + " " + f.Name
		}
	}
	return string(op.Operation)
}

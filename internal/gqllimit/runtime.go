package gqllimit

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/steward-dev/steward/internal/errs"
)

// Timeout gives every query and mutation a deadline (subscriptions live as long as their client).
// An operation that runs past it answers TIMEOUT alone: its partial data is dropped, and a
// transaction still open under the deadline is rolled back (a one-field mutation whose domain
// method committed before the deadline keeps its change). It must be added before the
// extension that opens transactions, so that they run under the deadline.
type Timeout struct {
	// Limit is the deadline; zero or less turns it off.
	Limit time.Duration
}

var _ interface {
	graphql.HandlerExtension
	graphql.ResponseInterceptor
} = Timeout{}

// ExtensionName implements graphql.HandlerExtension.
func (Timeout) ExtensionName() string { return "Timeout" }

// Validate implements graphql.HandlerExtension.
func (Timeout) Validate(graphql.ExecutableSchema) error { return nil }

// InterceptResponse implements graphql.ResponseInterceptor.
func (t Timeout) InterceptResponse(ctx context.Context, next graphql.ResponseHandler) *graphql.Response {
	if t.Limit <= 0 || !graphql.HasOperationContext(ctx) || isSubscription(ctx) {
		return next(ctx)
	}
	ctx, cancel := context.WithTimeout(ctx, t.Limit)
	defer cancel()
	resp := next(ctx)
	if resp != nil && errors.Is(ctx.Err(), context.DeadlineExceeded) {
		return &graphql.Response{Errors: gqlerror.List{present(errs.CodeTimeout,
			fmt.Sprintf("the request took longer than %s and was stopped", t.Limit))}}
	}
	return resp
}

// ResponseLimit refuses an answer larger than Bytes with QUERY_TOO_LARGE. Added after the
// extension that opens the shared transaction of a mutation with several fields, such a mutation
// whose answer is refused is rolled back; a one-field mutation has committed in its domain method.
type ResponseLimit struct {
	// Bytes bounds the data of one answer; zero or less turns it off.
	Bytes int
}

var _ interface {
	graphql.HandlerExtension
	graphql.ResponseInterceptor
} = ResponseLimit{}

// ExtensionName implements graphql.HandlerExtension.
func (ResponseLimit) ExtensionName() string { return "ResponseLimit" }

// Validate implements graphql.HandlerExtension.
func (ResponseLimit) Validate(graphql.ExecutableSchema) error { return nil }

// InterceptResponse implements graphql.ResponseInterceptor.
func (r ResponseLimit) InterceptResponse(ctx context.Context, next graphql.ResponseHandler) *graphql.Response {
	resp := next(ctx)
	if resp != nil && r.Bytes > 0 && len(resp.Data) > r.Bytes {
		return &graphql.Response{Errors: gqlerror.List{present(errs.CodeQueryTooLarge,
			fmt.Sprintf("the answer is larger than %d bytes: ask for fewer rows (first) or fields", r.Bytes))}}
	}
	return resp
}

func isSubscription(ctx context.Context) bool {
	oc := graphql.GetOperationContext(ctx)
	return oc.Operation != nil && oc.Operation.Operation == ast.Subscription
}

// present builds the error as the server's presenter would show it: these errors are made after
// the presenter has run.
func present(code errs.Code, msg string) *gqlerror.Error {
	return &gqlerror.Error{Message: msg, Extensions: map[string]any{"code": string(code)}}
}

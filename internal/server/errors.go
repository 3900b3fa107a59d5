package server

import (
	"context"
	"errors"
	"log/slog"
	"math"
	"regexp"
	"strings"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/steward-dev/steward/ent"
	"github.com/steward-dev/steward/ent/privacy"
	"github.com/steward-dev/steward/internal/auth"
	"github.com/steward-dev/steward/internal/db"
	"github.com/steward-dev/steward/internal/errs"
)

// unavailableRetry is the Retry-After given while the database cannot answer: long enough for a
// restart or a failover not to be hammered, short enough that clients come back soon after.
const unavailableRetry = 5 * time.Second

// errUnavailable is what a client sees while the database cannot answer.
var errUnavailable = errs.Unavailable("the database is unavailable; retry later", unavailableRetry, nil)

// presentError is the one error boundary between resolvers and clients. A client sees an error's
// message only when the domain marked it safe (an internal/errs category, or one of ent's errors
// that map to one, found on the unwrapped cause) or when gqlgen itself wrote it about the request
// (parsing, validation, coercion of variables and arguments). A database that cannot answer is
// SERVICE_UNAVAILABLE, a request past its deadline TIMEOUT; anything else is a bare INTERNAL_SERVER_ERROR with the request id, and its
// cause goes to the log only. gqlgen wraps every resolver error in a *gqlerror.Error, so being one
// says nothing about safety.
//
// Callers not allowed to introspect (suggestions) do not get validation's "Did you mean" hints,
// which would spell out the schema one field at a time.
func presentError(logger *slog.Logger, suggestions func(ctx context.Context) bool) graphql.ErrorPresenterFunc {
	return func(ctx context.Context, err error) *gqlerror.Error {
		gqlErr := graphql.DefaultErrorPresenter(ctx, err)
		if !suggestions(ctx) {
			gqlErr.Message = stripSuggestion(gqlErr.Message)
		}
		if e, ok := categorise(err); ok {
			if e.Code == errs.CodeServiceUnavailable {
				logger.ErrorContext(ctx, "database unavailable", "err", err, "path", gqlErr.Path.String())
				g := &gqlerror.Error{Message: e.Message, Path: gqlErr.Path, Locations: gqlErr.Locations}
				setCategory(g, e)
				g.Extensions["requestId"] = auth.RequestFrom(ctx).ID
				return g
			}
			setCategory(gqlErr, e)
			return gqlErr
		}
		if fromGQLGen(ctx, err) {
			if gqlErr.Extensions == nil || gqlErr.Extensions["code"] == nil {
				setCode(gqlErr, errs.CodeBadUserInput)
			}
			variableError(gqlErr)
			return gqlErr
		}
		logger.ErrorContext(ctx, "internal error", "err", err, "path", gqlErr.Path.String())
		return internalGQLError(ctx, gqlErr.Path)
	}
}

// categorise finds the client-safe category of err on its unwrapped causes.
func categorise(err error) (*errs.Error, bool) {
	if e, ok := errs.As(err); ok {
		return e, true
	}
	switch {
	case errors.Is(err, context.DeadlineExceeded):
		// The request's deadline (gqllimit.Timeout) ended, whatever held it: a slow operation or
		// a dependency that stopped answering.
		return &errs.Error{Code: errs.CodeTimeout, Message: "the request took too long and was stopped"}, true
	case db.IsUnavailable(err):
		return errUnavailable, true
	case ent.IsNotFound(err):
		return errs.NotFound("entity"), true
	case errors.Is(err, privacy.Deny):
		return errs.Forbidden("you are not allowed to do this"), true
	case ent.IsConstraintError(err):
		return errs.Conflict("this conflicts with existing data"), true
	case ent.IsValidationError(err):
		var ve *ent.ValidationError
		errors.As(err, &ve)
		return errs.Invalid(ve.Name, "is not valid"), true
	}
	return nil, false
}

// fromGQLGen reports whether gqlgen (or gqlparser) wrote err about the request itself, so that its
// message describes the client's input: an error it built with no cause (parse, validation,
// variable coercion, an unknown operation or node id), or the failure of a custom scalar to coerce
// an argument, which gqlgen reports on a path below the field being resolved, before any resolver
// runs. A resolver's error, which gqlgen wraps with the field's own path, is never one of them.
func fromGQLGen(ctx context.Context, err error) bool {
	var ge *gqlerror.Error
	if !errors.As(err, &ge) || isInternal(ge.Err) {
		return false
	}
	if ge.Err == nil {
		return true
	}
	fc := graphql.GetFieldContext(ctx)
	if fc == nil {
		return false
	}
	field := fc.Path()
	if len(ge.Path) <= len(field) {
		return false
	}
	for i, p := range field {
		if ge.Path[i] != p {
			return false
		}
	}
	_, isName := ge.Path[len(field)].(ast.PathName)
	return isName
}

// internalGQLError is the whole of what a client learns about an unexpected failure: that it
// happened, and the request id that finds it in the log.
func internalGQLError(ctx context.Context, path ast.Path) *gqlerror.Error {
	return &gqlerror.Error{
		Message:    "internal server error",
		Path:       path,
		Extensions: map[string]any{"code": string(errs.CodeInternal), "requestId": auth.RequestFrom(ctx).ID},
	}
}

// errorBoundary is the outermost response interceptor: an error that reached a response without
// passing the presenter (entgql's transaction wrapper writes "cannot commit transaction: <driver
// text>" straight into the response) carries no code, so it is logged and replaced like any other
// unexpected error. gqlgen runs the first interceptor registered outermost.
func errorBoundary(logger *slog.Logger) graphql.ResponseMiddleware {
	return func(ctx context.Context, next graphql.ResponseHandler) *graphql.Response {
		resp := next(ctx)
		if resp == nil {
			return nil
		}
		for i, e := range resp.Errors {
			if e == nil || (e.Extensions != nil && e.Extensions["code"] != nil) {
				continue
			}
			cause := errors.New(e.Message)
			if db.IsUnavailable(cause) || strings.Contains(e.Message, "failed to connect to") {
				logger.ErrorContext(ctx, "database unavailable", "err", e.Message)
				g := &gqlerror.Error{Message: errUnavailable.Message, Path: e.Path}
				setCategory(g, errUnavailable)
				g.Extensions["requestId"] = auth.RequestFrom(ctx).ID
				resp.Errors[i] = g
				continue
			}
			logger.ErrorContext(ctx, "internal error", "err", e.Message, "path", e.Path.String())
			resp.Errors[i] = internalGQLError(ctx, e.Path)
		}
		return resp
	}
}

// suggestion is the hint gqlparser's validation rules end their messages with.
var suggestion = regexp.MustCompile(`\s*Did you mean .*\?$`)

func stripSuggestion(msg string) string { return suggestion.ReplaceAllString(msg, "") }

// variableError turns a variable that failed coercion (an unknown enum value, a string where a
// number belongs) into BAD_USER_INPUT naming the input field, like every other bad input: its path
// is ["variable", name, field..., index...].
func variableError(g *gqlerror.Error) {
	if len(g.Path) < 2 || g.Path[0] != ast.PathName("variable") {
		return
	}
	setCode(g, errs.CodeBadUserInput)
	for i := len(g.Path) - 1; i >= 1; i-- {
		if name, ok := g.Path[i].(ast.PathName); ok {
			g.Extensions["field"] = string(name)
			return
		}
	}
}

// internalError marks errors gqlgen wrapped that must not reach a client as they are.
type internalError struct{ error }

func isInternal(err error) bool {
	var ie internalError
	return err != nil && errors.As(err, &ie)
}

func setCode(g *gqlerror.Error, code errs.Code) {
	if g.Extensions == nil {
		g.Extensions = map[string]any{}
	}
	g.Extensions["code"] = string(code)
}

func setCategory(g *gqlerror.Error, e *errs.Error) {
	g.Message = e.Error()
	setCode(g, e.Code)
	if e.Field != "" {
		g.Extensions["field"] = e.Field
	}
	if e.Code == errs.CodeRateLimited || e.Code == errs.CodeServiceUnavailable {
		g.Extensions["retryAfter"] = int(math.Ceil(e.RetryAfter.Seconds()))
	}
	for k, v := range e.Extra {
		g.Extensions[k] = v
	}
}

// recoverPanic logs a resolver panic with its value and answers INTERNAL_SERVER_ERROR; the
// stack never reaches the client.
func recoverPanic(logger *slog.Logger) graphql.RecoverFunc {
	return func(ctx context.Context, p any) error {
		logger.ErrorContext(ctx, "panic in resolver", "panic", p)
		return internalError{errors.New("panic")}
	}
}

package server

import (
	"context"
	"errors"
	"log/slog"
	"math"
	"regexp"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/steward-dev/steward/ent"
	"github.com/steward-dev/steward/ent/privacy"
	"github.com/steward-dev/steward/internal/errs"
)

// presentError is the one place that turns an error into what a client sees: a message and
// extensions.code for every categorised error, and a bare INTERNAL_SERVER_ERROR for anything else,
// whose detail (SQL, driver text) goes to the log only.
//
// Callers not allowed to introspect (suggestions) do not get validation's "Did you mean" hints,
// which would spell out the schema one field at a time.
func presentError(logger *slog.Logger, suggestions func(ctx context.Context) bool) graphql.ErrorPresenterFunc {
	return func(ctx context.Context, err error) *gqlerror.Error {
		gqlErr := graphql.DefaultErrorPresenter(ctx, err)
		if !suggestions(ctx) {
			gqlErr.Message = stripSuggestion(gqlErr.Message)
		}
		if e, ok := errs.As(err); ok {
			setCategory(gqlErr, e)
			return gqlErr
		}
		switch {
		case errors.Is(err, context.DeadlineExceeded):
			setCategory(gqlErr, &errs.Error{Code: errs.CodeTimeout, Message: "the request took too long and was stopped"})
			return gqlErr
		case ent.IsNotFound(err):
			setCategory(gqlErr, errs.NotFound("entity"))
			return gqlErr
		case errors.Is(err, privacy.Deny):
			setCategory(gqlErr, errs.Forbidden("you are not allowed to do this"))
			return gqlErr
		case ent.IsConstraintError(err):
			setCategory(gqlErr, errs.Conflict("this conflicts with existing data"))
			return gqlErr
		case ent.IsValidationError(err):
			var ve *ent.ValidationError
			errors.As(err, &ve)
			setCategory(gqlErr, errs.Invalid(ve.Name, "is not valid"))
			return gqlErr
		}
		// Errors gqlgen itself raised (parsing, validation, argument coercion) arrive as a
		// *gqlerror.Error wrapping no domain error: their message is written for clients.
		var ge *gqlerror.Error
		if errors.As(err, &ge) && !isInternal(ge.Err) {
			if gqlErr.Extensions == nil || gqlErr.Extensions["code"] == nil {
				setCode(gqlErr, errs.CodeBadUserInput)
			}
			variableError(gqlErr)
			return gqlErr
		}
		logger.ErrorContext(ctx, "internal error", "err", err, "path", gqlErr.Path.String())
		return &gqlerror.Error{
			Message:    "internal server error",
			Path:       gqlErr.Path,
			Extensions: map[string]any{"code": string(errs.CodeInternal)},
		}
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
	if e.Code == errs.CodeRateLimited {
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

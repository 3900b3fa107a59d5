package server

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"strings"
	"syscall"
	"testing"

	"github.com/99designs/gqlgen/graphql"
	"github.com/mattn/go-sqlite3"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/steward-dev/steward/ent"
	"github.com/steward-dev/steward/ent/privacy"
	"github.com/steward-dev/steward/internal/auth"
	"github.com/steward-dev/steward/internal/errs"
)

// fieldCtx is the context gqlgen gives a resolver of a root field named name, with a request id.
func fieldCtx(name string) context.Context {
	ctx := auth.WithRequest(context.Background(), auth.Request{ID: "req-1"})
	return graphql.WithFieldContext(ctx, &graphql.FieldContext{Field: graphql.CollectedField{Field: &ast.Field{Name: name, Alias: name}}})
}

// asResolverError wraps err as gqlgen does a resolver's error before presenting it.
func asResolverError(ctx context.Context, err error) error {
	return graphql.AddFieldLocationToError(ctx, graphql.ErrorOnPath(ctx, err))
}

func TestPresentError(t *testing.T) {
	ctx := fieldCtx("nodes")
	coercion := gqlerror.WrapPath(ast.Path{ast.PathName("nodes"), ast.PathName("from")}, errors.New("time should be RFC3339Nano formatted string"))
	validation := gqlerror.Errorf(`Cannot query field "nothing" on type "Query".`)
	validation.Extensions = map[string]any{"code": "GRAPHQL_VALIDATION_FAILED"}
	cases := []struct {
		name      string
		err       error
		wantCode  string
		wantMsg   string // "" means the message must be the bare internal one
		wantField string
		wantLog   string // the cause the log must show; "" means nothing is logged
	}{
		{"SQLite variable limit", fmt.Errorf("ent: querying nodes: %w", errors.New("too many SQL variables")), "INTERNAL_SERVER_ERROR", "", "", "too many SQL variables"},
		{"PostgreSQL parameter limit", fmt.Errorf("ent: %w", errors.New("extended protocol limited to 65535 parameters")), "INTERNAL_SERVER_ERROR", "", "", "65535 parameters"},
		{"SQLite expression depth", errors.New("Expression tree is too large (maximum depth 1000)"), "INTERNAL_SERVER_ERROR", "", "", "Expression tree is too large"},
		{"scan error", errors.New(`sql: Scan error on column index 3, name "price": converting driver.Value type float64 ("1e+30") to a int64: value out of range`), "INTERNAL_SERVER_ERROR", "", "", "Scan error"},
		{"connection refused", fmt.Errorf("failed to connect to `user=steward database=prod`: 10.1.2.3:5432: %w", &net.OpError{Op: "dial", Err: syscall.ECONNREFUSED}), "SERVICE_UNAVAILABLE", "the database is unavailable; retry later", "", "user=steward"},
		{"database is locked", fmt.Errorf("commit: %w", sqlite3.Error{Code: sqlite3.ErrBusy}), "SERVICE_UNAVAILABLE", "the database is unavailable; retry later", "", "commit"},
		{"domain error", errs.NotFound("plan"), "NOT_FOUND", "plan not found", "", ""},
		{"domain error hiding its cause", errs.Conflict("plan has subscribers").Wrap(errors.New("SQLSTATE 23503")), "CONFLICT", "plan has subscribers", "", ""},
		{"ent not found", fmt.Errorf("loading: %w", &ent.NotFoundError{}), "NOT_FOUND", "entity not found", "", ""},
		{"privacy deny", fmt.Errorf("ent: %w", privacy.Deny), "FORBIDDEN", "you are not allowed to do this", "", ""},
		{"constraint", &ent.ConstraintError{}, "CONFLICT", "this conflicts with existing data", "", ""},
		{"argument coercion", coercion, "BAD_USER_INPUT", "time should be RFC3339Nano formatted string", "", ""},
		{"validation", validation, "GRAPHQL_VALIDATION_FAILED", `Cannot query field "nothing" on type "Query".`, "", ""},
		{"panic", internalError{errors.New("panic")}, "INTERNAL_SERVER_ERROR", "", "", "panic"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var logs bytes.Buffer
			logger := withRequestIDs(slog.New(slog.NewTextHandler(&logs, nil)))
			err := c.err
			if c.name != "validation" && c.name != "argument coercion" {
				err = asResolverError(ctx, err)
			}
			got := presentError(logger, func(context.Context) bool { return true })(ctx, err)
			if code := got.Extensions["code"]; code != c.wantCode {
				t.Fatalf("code = %v, want %s (message %q)", code, c.wantCode, got.Message)
			}
			wantMsg := c.wantMsg
			if wantMsg == "" {
				wantMsg = "internal server error"
			}
			if got.Message != wantMsg {
				t.Errorf("message = %q, want %q", got.Message, wantMsg)
			}
			if f, _ := got.Extensions["field"].(string); f != c.wantField {
				t.Errorf("field = %q, want %q", f, c.wantField)
			}
			internal := c.wantCode == "INTERNAL_SERVER_ERROR" || c.wantCode == "SERVICE_UNAVAILABLE"
			if id := got.Extensions["requestId"]; internal && id != "req-1" {
				t.Errorf("requestId = %v, want req-1", id)
			}
			if c.wantLog == "" {
				if logs.Len() > 0 {
					t.Errorf("logged %q for a client error, want nothing", logs.String())
				}
				return
			}
			line := logs.String()
			if !strings.Contains(line, "level=ERROR") || !strings.Contains(line, c.wantLog) || !strings.Contains(line, "requestId=req-1") {
				t.Errorf("log = %q, want an ERROR line with %q and requestId=req-1", line, c.wantLog)
			}
		})
	}
}

func TestErrorBoundaryCodesEveryError(t *testing.T) {
	ctx := fieldCtx("signup")
	cases := []struct {
		name, message, wantCode string
	}{
		{"locked at commit", "cannot commit transaction: database is locked", "SERVICE_UNAVAILABLE"},
		{"refused at begin", "cannot create transaction: failed to connect to `user=postgres database=steward`: dial error", "SERVICE_UNAVAILABLE"},
		{"driver text", "cannot commit transaction: sql: transaction has already been committed or rolled back", "INTERNAL_SERVER_ERROR"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var logs bytes.Buffer
			boundary := errorBoundary(withRequestIDs(slog.New(slog.NewTextHandler(&logs, nil))))
			coded := &gqlerror.Error{Message: "plan not found", Extensions: map[string]any{"code": "NOT_FOUND"}}
			resp := boundary(ctx, func(context.Context) *graphql.Response {
				return &graphql.Response{Errors: gqlerror.List{{Message: c.message}, coded}}
			})
			got := resp.Errors[0]
			if got.Extensions["code"] != c.wantCode || strings.Contains(got.Message, "transaction") {
				t.Fatalf("error = %q %v, want code %s without the cause", got.Message, got.Extensions, c.wantCode)
			}
			if resp.Errors[1] != coded {
				t.Errorf("a coded error was replaced: %v", resp.Errors[1])
			}
			if !strings.Contains(logs.String(), c.message) {
				t.Errorf("log = %q, want the cause %q", logs.String(), c.message)
			}
		})
	}
}

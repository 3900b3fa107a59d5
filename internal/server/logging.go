package server

import (
	"context"
	"log/slog"

	"go.opentelemetry.io/otel/trace"

	"github.com/steward-dev/steward/internal/auth"
)

// requestIDHandler adds the request id of the context to every record logged with one, so each
// line a request causes can be found from the X-Request-Id its client saw, and the trace id when
// the request is traced.
type requestIDHandler struct{ slog.Handler }

// withRequestIDs wraps logger's handler with requestIDHandler, once.
func withRequestIDs(logger *slog.Logger) *slog.Logger {
	if _, ok := logger.Handler().(requestIDHandler); ok {
		return logger
	}
	return slog.New(requestIDHandler{logger.Handler()})
}

func (h requestIDHandler) Handle(ctx context.Context, r slog.Record) error {
	if id := auth.RequestFrom(ctx).ID; id != "" {
		r.AddAttrs(slog.String("requestId", id))
	}
	// With tracing on, the trace id finds the request's spans from its log lines.
	if sc := trace.SpanContextFromContext(ctx); sc.IsValid() {
		r.AddAttrs(slog.String("traceId", sc.TraceID().String()))
	}
	return h.Handler.Handle(ctx, r)
}

func (h requestIDHandler) WithAttrs(attrs []slog.Attr) slog.Handler {
	return requestIDHandler{h.Handler.WithAttrs(attrs)}
}

func (h requestIDHandler) WithGroup(name string) slog.Handler {
	return requestIDHandler{h.Handler.WithGroup(name)}
}

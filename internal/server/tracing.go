package server

import (
	"context"
	"log/slog"
	"time"

	"go.opentelemetry.io/otel/attribute"

	"github.com/steward-dev/steward/internal/auth"
	"github.com/steward-dev/steward/internal/tracing"
)

// requestIDKey names the request id on spans: the X-Request-Id of the response, which the error
// boundary puts in internal errors and every log line of the request carries.
const requestIDKey = attribute.Key("steward.request_id")

// requestAttributes are the attributes of every span started while serving a request.
func requestAttributes(ctx context.Context) []attribute.KeyValue {
	if id := auth.RequestFrom(ctx).ID; id != "" {
		return []attribute.KeyValue{requestIDKey.String(id)}
	}
	return nil
}

// flushTraces exports the spans still buffered, giving up after a few seconds: a collector that
// does not answer must not hold the process's exit.
func flushTraces(t *tracing.Tracing, logger *slog.Logger) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := t.Shutdown(ctx); err != nil {
		logger.Warn("flushing traces", "err", err)
	}
}

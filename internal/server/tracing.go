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

// clientAddressKey is OpenTelemetry's name for the caller's address.
const clientAddressKey = attribute.Key("client.address")

// requestAttributes are the attributes of every span started while serving a request: its id, and
// the caller's address as the server decided it (STEWARD_TRUSTED_PROXIES), which replaces the one
// the HTTP instrumentation takes from any X-Forwarded-For a client may write.
func requestAttributes(ctx context.Context) []attribute.KeyValue {
	req := auth.RequestFrom(ctx)
	var attrs []attribute.KeyValue
	if req.ID != "" {
		attrs = append(attrs, requestIDKey.String(req.ID))
	}
	if req.IP != "" {
		attrs = append(attrs, clientAddressKey.String(req.IP))
	}
	return attrs
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

package server

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"testing"

	"go.opentelemetry.io/otel/trace"

	"github.com/steward-dev/steward/internal/auth"
)

// TestLogLinesCarryRequestAndTraceIDs: a record logged with a request's context names its request
// id and, when the request is traced, its trace id; one without either names neither.
func TestLogLinesCarryRequestAndTraceIDs(t *testing.T) {
	traceID, _ := trace.TraceIDFromHex("4bf92f3577b34da6a3ce929d0e0e4736")
	spanID, _ := trace.SpanIDFromHex("00f067aa0ba902b7")
	traced := trace.ContextWithSpanContext(context.Background(), trace.NewSpanContext(trace.SpanContextConfig{TraceID: traceID, SpanID: spanID}))
	cases := []struct {
		name       string
		ctx        context.Context
		want, dont []string
	}{
		{"traced request", auth.WithRequest(traced, auth.Request{ID: "req-1"}), []string{"requestId=req-1", "traceId=" + traceID.String()}, nil},
		{"request not traced", auth.WithRequest(context.Background(), auth.Request{ID: "req-2"}), []string{"requestId=req-2"}, []string{"traceId"}},
		{"no request", context.Background(), nil, []string{"requestId", "traceId"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var out bytes.Buffer
			withRequestIDs(slog.New(slog.NewTextHandler(&out, nil))).With("k", "v").InfoContext(c.ctx, "hello")
			for _, w := range c.want {
				if !strings.Contains(out.String(), w) {
					t.Errorf("log line %q lacks %q", out.String(), w)
				}
			}
			for _, d := range c.dont {
				if strings.Contains(out.String(), d) {
					t.Errorf("log line %q has %q", out.String(), d)
				}
			}
		})
	}
}

package server

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/steward-dev/steward/internal/errs"
)

func TestWithDeadline(t *testing.T) {
	tests := []struct {
		name         string
		header       map[string]string
		wantDeadline bool
	}{
		{name: "plain POST", wantDeadline: true},
		{name: "websocket upgrade", header: map[string]string{"Upgrade": "websocket"}},
		{name: "SSE subscription", header: map[string]string{"Accept": "text/event-stream"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got bool
			h := withDeadline(time.Minute, http.HandlerFunc(func(_ http.ResponseWriter, r *http.Request) {
				_, got = r.Context().Deadline()
			}))
			r := httptest.NewRequest(http.MethodPost, "/graphql", nil)
			for k, v := range tt.header {
				r.Header.Set(k, v)
			}
			h.ServeHTTP(httptest.NewRecorder(), r)
			if got != tt.wantDeadline {
				t.Errorf("has deadline = %v, want %v", got, tt.wantDeadline)
			}
		})
	}
}

// A wait that outlives the request deadline (a database that stops answering) reaches the
// client as TIMEOUT, with none of the driver's text.
func TestDeadlineIsTimeout(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Millisecond)
	defer cancel()
	<-ctx.Done()
	driverErr := fmt.Errorf("loading user: pq: canceling statement due to user request: %w", ctx.Err())
	wrapped := &gqlerror.Error{Message: driverErr.Error(), Err: driverErr}
	got := presentError(slog.New(slog.NewTextHandler(io.Discard, nil)), func(context.Context) bool { return true })(context.Background(), wrapped)
	if code := got.Extensions["code"]; code != string(errs.CodeTimeout) {
		t.Errorf("code = %v, want %s", code, errs.CodeTimeout)
	}
	if strings.Contains(got.Message, "pq") || strings.Contains(got.Message, "canceling") {
		t.Errorf("message = %q leaks the driver's text", got.Message)
	}
}

package server

import (
	"context"
	"net/http"

	"github.com/steward-dev/steward/internal/metrics"
)

// Reasons of refusals before GraphQL runs (steward_http_refusals_total).
const (
	refusedBodyTooLarge       = metrics.RefusedBodyTooLarge
	refusedMethod             = metrics.RefusedMethod
	refusedMediaType          = metrics.RefusedMediaType
	refusedBadRequest         = metrics.RefusedBadRequest
	refusedUnauthenticated    = metrics.RefusedUnauthenticated
	refusedCSRF               = metrics.RefusedCSRF
	refusedCORS               = metrics.RefusedCORS
	refusedRateLimited        = metrics.RefusedRateLimited
	refusedWebhookRateLimited = metrics.RefusedWebhookRateLimited
)

type metricsKey struct{}

// withRefusalCounts lets every handler below it count the requests it refuses (refused) without
// each middleware taking the metrics as an argument.
func withRefusalCounts(m *metrics.Metrics, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), metricsKey{}, m)))
	})
}

// refused counts r as refused for reason; outside withRefusalCounts it does nothing.
func refused(r *http.Request, reason string) {
	m, _ := r.Context().Value(metricsKey{}).(*metrics.Metrics)
	m.HTTPRefusal(reason)
}

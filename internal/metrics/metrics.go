// Package metrics holds steward's Prometheus collectors. The packages that do the work report to
// it through small hooks (funcs in their configs), so none of them imports Prometheus; the server
// builds one Metrics per process and registers it in its registry.
package metrics

import (
	"database/sql"
	"errors"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
)

// Metrics are the collectors, each safe for concurrent use. A nil *Metrics records nothing.
type Metrics struct {
	requests      *prometheus.CounterVec
	duration      *prometheus.HistogramVec
	errors        *prometheus.CounterVec
	refusals      *prometheus.CounterVec
	rateLimited   *prometheus.CounterVec
	subscriptions prometheus.Gauge
	dropped       *prometheus.CounterVec
	usageBatch    prometheus.Histogram
	httpRefusals  *prometheus.CounterVec
}

// Reasons an HTTP request is refused before GraphQL runs, the values of
// steward_http_refusals_total's reason label. The set is fixed so that no client can add series.
const (
	RefusedBodyTooLarge       = "body_too_large"         // 413: the body is over STEWARD_MAX_BODY_BYTES
	RefusedMethod             = "method_not_allowed"     // 405: not GET/POST/OPTIONS, or a mutation over GET
	RefusedMediaType          = "unsupported_media_type" // 415: a POST that is not JSON
	RefusedBadRequest         = "bad_request"            // 400: a body that is not JSON or has no query
	RefusedUnauthenticated    = "unauthenticated"        // 401: a bad or revoked bearer credential
	RefusedCSRF               = "csrf"                   // 403: the token cookie sent cross-site or from a form
	RefusedCORS               = "cors"                   // a preflight from an origin that is not allowed
	RefusedRateLimited        = "rate_limited"           // 429: the per-address request ceiling
	RefusedWebsocketLimit     = "websocket_limit"        // 429: too many websockets from one address
	RefusedWebhookRateLimited = "webhook_rate_limited"   // 429: the payment webhook's per-address limit
)

// refusalReasons are every reason, created at zero when the metrics are.
var refusalReasons = []string{RefusedBodyTooLarge, RefusedMethod, RefusedMediaType, RefusedBadRequest, RefusedUnauthenticated,
	RefusedCSRF, RefusedCORS, RefusedRateLimited, RefusedWebsocketLimit, RefusedWebhookRateLimited}

// nonLimitCodes are the error codes that are not a limit refusing work; every other code
// (RATE_LIMITED, QUOTA_EXCEEDED, gqlgen's COMPLEXITY_LIMIT_EXCEEDED and whatever limits come
// later) counts as a refusal without being listed here.
var nonLimitCodes = map[string]bool{
	"UNAUTHENTICATED": true, "FORBIDDEN": true, "BAD_USER_INPUT": true, "NOT_FOUND": true,
	"CONFLICT": true, "SERVICE_UNAVAILABLE": true, "INTERNAL_SERVER_ERROR": true,
	"GRAPHQL_PARSE_FAILED": true, "GRAPHQL_VALIDATION_FAILED": true,
	// A step of automatic persisted queries: the client sends the hash alone, learns the server
	// does not know it yet and sends the text. Nothing was refused.
	"PERSISTED_QUERY_NOT_FOUND": true,
}

// New creates the collectors and registers them, and a collector of pool's statistics, in reg.
func New(reg prometheus.Registerer, pool *sql.DB) (*Metrics, error) {
	m := &Metrics{
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "steward_graphql_requests_total",
			Help: "GraphQL queries and mutations answered, by operation (type and first root field) and outcome (ok or error).",
		}, []string{"operation", "outcome"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "steward_graphql_request_duration_seconds",
			Help:    "Time from the start of a GraphQL query or mutation to its response, by operation.",
			Buckets: prometheus.ExponentialBuckets(0.001, 2.5, 12),
		}, []string{"operation"}),
		errors: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "steward_graphql_errors_total",
			Help: "Errors sent to clients, by extensions.code.",
		}, []string{"code"}),
		refusals: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "steward_limit_refusals_total",
			Help: "Errors sent to clients because a limit refused the work (rate, quota, size, complexity...), by code.",
		}, []string{"code"}),
		rateLimited: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "steward_rate_limit_hits_total",
			Help: "Checks refused by a rate limit, by rule.",
		}, []string{"rule"}),
		subscriptions: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "steward_subscriptions_open",
			Help: "GraphQL subscriptions listening for events, over websockets and SSE.",
		}),
		dropped: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "steward_events_dropped_total",
			Help: "Events lost because a subscriber fell behind or a message was invalid, by where (bus or websocket).",
		}, []string{"where"}),
		usageBatch: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name:    "steward_usage_batch_size",
			Help:    "Usage reports committed together in one transaction.",
			Buckets: []float64{1, 2, 4, 8, 16, 32, 64, 128, 256},
		}),
		httpRefusals: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "steward_http_refusals_total",
			Help: "HTTP requests refused before GraphQL ran (size, method, media type, CSRF, CORS, rate and connection limits), by reason.",
		}, []string{"reason"}),
	}
	for _, r := range refusalReasons {
		m.httpRefusals.WithLabelValues(r)
	}
	// Both series exist from the start, so a scrape tells "nothing dropped" from "not measured".
	m.dropped.WithLabelValues("bus")
	m.dropped.WithLabelValues("websocket")
	cs := []prometheus.Collector{m.requests, m.duration, m.errors, m.refusals, m.rateLimited, m.subscriptions, m.dropped, m.usageBatch, m.httpRefusals}
	if pool != nil {
		cs = append(cs, collectors.NewDBStatsCollector(pool, "steward"))
	}
	var errs []error
	for _, c := range cs {
		errs = append(errs, reg.Register(c))
	}
	return m, errors.Join(errs...)
}

// Request records one answered query or mutation and how long it took; a negative seconds (an
// operation that never started) records no duration.
func (m *Metrics) Request(operation string, failed bool, seconds float64) {
	if m == nil {
		return
	}
	outcome := "ok"
	if failed {
		outcome = "error"
	}
	m.requests.WithLabelValues(operation, outcome).Inc()
	if seconds >= 0 {
		m.duration.WithLabelValues(operation).Observe(seconds)
	}
}

// Error records one error sent to a client, and a limit refusal when its code is one.
func (m *Metrics) Error(code string) {
	if m == nil {
		return
	}
	if code == "" {
		code = "NONE"
	}
	m.errors.WithLabelValues(code).Inc()
	if !nonLimitCodes[code] && code != "NONE" {
		m.refusals.WithLabelValues(code).Inc()
	}
}

// RateLimited records a check refused by rule.
func (m *Metrics) RateLimited(rule string) {
	if m != nil {
		m.rateLimited.WithLabelValues(rule).Inc()
	}
}

// Subscriptions moves the open subscriptions gauge by delta.
func (m *Metrics) Subscriptions(delta int) {
	if m != nil {
		m.subscriptions.Add(float64(delta))
	}
}

// BusDropped records one event the event bus dropped.
func (m *Metrics) BusDropped(string) {
	if m != nil {
		m.dropped.WithLabelValues("bus").Inc()
	}
}

// WebsocketDropped records n events dropped for a websocket client that fell behind.
func (m *Metrics) WebsocketDropped(n int) {
	if m != nil {
		m.dropped.WithLabelValues("websocket").Add(float64(n))
	}
}

// UsageBatch records the size of one usage batch.
func (m *Metrics) UsageBatch(size int) {
	if m != nil {
		m.usageBatch.Observe(float64(size))
	}
}

// HTTPRefusal records one request refused before GraphQL ran, for reason (one of the Refused
// constants).
func (m *Metrics) HTTPRefusal(reason string) {
	if m != nil {
		m.httpRefusals.WithLabelValues(reason).Inc()
	}
}

package gateway

import (
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// metrics are the gateway's Prometheus series; a nil *metrics records nothing.
type metrics struct {
	calls       *prometheus.CounterVec
	upstream    *prometheus.HistogramVec
	settleFails prometheus.Counter
}

func newMetrics(reg prometheus.Registerer) (*metrics, error) {
	if reg == nil {
		return nil, nil
	}
	m := &metrics{
		calls: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "steward_gateway_calls_total",
			Help: "Calls to the OpenAI-compatible API by endpoint and HTTP status (429: quota refused before any upstream call).",
		}, []string{"endpoint", "status"}),
		upstream: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "steward_gateway_upstream_first_byte_seconds",
			Help:    "Time until an upstream's response headers, by connection id.",
			Buckets: prometheus.ExponentialBuckets(0.005, 2, 14),
		}, []string{"upstream"}),
		settleFails: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "steward_gateway_settle_failures_total",
			Help: "Answered calls whose usage could not be settled (their holds were released or expire).",
		}),
	}
	for _, c := range []prometheus.Collector{m.calls, m.upstream, m.settleFails} {
		if err := reg.Register(c); err != nil {
			return nil, err
		}
	}
	return m, nil
}

// counted records a call's status once its handler returns.
func (m *metrics) counted(endpoint string, h http.HandlerFunc) http.HandlerFunc {
	if m == nil {
		return h
	}
	return func(w http.ResponseWriter, r *http.Request) {
		sw := &statusWriter{ResponseWriter: w, status: http.StatusOK}
		h(sw, r)
		m.calls.WithLabelValues(endpoint, strconv.Itoa(sw.status)).Inc()
	}
}

func (m *metrics) observeUpstream(id string, d time.Duration) {
	if m != nil {
		m.upstream.WithLabelValues(id).Observe(d.Seconds())
	}
}

func (m *metrics) settleFailed() {
	if m != nil {
		m.settleFails.Inc()
	}
}

// statusWriter remembers the status written; Unwrap keeps flushing reachable for
// http.ResponseController.
type statusWriter struct {
	http.ResponseWriter
	status int
	wrote  bool
}

func (w *statusWriter) WriteHeader(code int) {
	if !w.wrote {
		w.status, w.wrote = code, true
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	w.wrote = true
	return w.ResponseWriter.Write(b)
}

func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

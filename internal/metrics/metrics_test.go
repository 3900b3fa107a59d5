package metrics

import (
	"testing"

	"github.com/prometheus/client_golang/prometheus"
)

// counter returns the value of the counter name{code="code"} in reg, 0 when it is absent.
func counter(t *testing.T, reg *prometheus.Registry, name, code string) float64 {
	t.Helper()
	families, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range families {
		if f.GetName() != name {
			continue
		}
		for _, m := range f.GetMetric() {
			for _, l := range m.GetLabel() {
				if l.GetName() == "code" && l.GetValue() == code {
					return m.GetCounter().GetValue()
				}
			}
		}
	}
	return 0
}

func TestErrorCountsLimitRefusalsByCode(t *testing.T) {
	cases := []struct {
		code        string
		wantRefusal bool
	}{
		{"RATE_LIMITED", true},
		{"QUOTA_EXCEEDED", true},
		{"COMPLEXITY_LIMIT_EXCEEDED", true},
		{"A_LIMIT_ADDED_LATER", true},
		{"PERSISTED_QUERY_REQUIRED", true},
		{"PERSISTED_QUERY_NOT_FOUND", false},
		{"BAD_USER_INPUT", false},
		{"FORBIDDEN", false},
		{"INTERNAL_SERVER_ERROR", false},
		{"SERVICE_UNAVAILABLE", false},
		{"GRAPHQL_VALIDATION_FAILED", false},
		{"", false},
	}
	for _, c := range cases {
		t.Run(c.code, func(t *testing.T) {
			reg := prometheus.NewRegistry()
			m, err := New(reg, nil)
			if err != nil {
				t.Fatal(err)
			}
			m.Error(c.code)
			label := c.code
			if label == "" {
				label = "NONE"
			}
			if got := counter(t, reg, "steward_graphql_errors_total", label); got != 1 {
				t.Errorf("errors{code=%q} = %v, want 1", label, got)
			}
			want := 0.0
			if c.wantRefusal {
				want = 1
			}
			if got := counter(t, reg, "steward_limit_refusals_total", label); got != want {
				t.Errorf("refusals{code=%q} = %v, want %v", label, got, want)
			}
		})
	}
}

func TestNilMetricsRecordNothing(t *testing.T) {
	var m *Metrics
	m.Request("query me", false, 0.1)
	m.Error("RATE_LIMITED")
	m.RateLimited("signin:ip")
	m.Subscriptions(1)
	m.BusDropped("usage")
	m.WebsocketDropped(2)
	m.UsageBatch(3)
}

// TestHTTPRefusalsStartAtZero: every reason's series exists from the start, so that a scrape tells
// "nothing refused" from "not measured", and each reason counts only its own refusals.
func TestHTTPRefusalsStartAtZero(t *testing.T) {
	reg := prometheus.NewRegistry()
	m, err := New(reg, nil)
	if err != nil {
		t.Fatal(err)
	}
	m.HTTPRefusal(RefusedCSRF)
	m.HTTPRefusal(RefusedCSRF)
	families, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]float64{}
	for _, f := range families {
		if f.GetName() != "steward_http_refusals_total" {
			continue
		}
		for _, s := range f.GetMetric() {
			got[s.GetLabel()[0].GetValue()] = s.GetCounter().GetValue()
		}
	}
	if len(got) != len(refusalReasons) {
		t.Errorf("%d reasons exported, want %d: %v", len(got), len(refusalReasons), got)
	}
	for _, r := range refusalReasons {
		want := 0.0
		if r == RefusedCSRF {
			want = 2
		}
		if v, ok := got[r]; !ok || v != want {
			t.Errorf("reason %s = %v (present %v), want %v", r, v, ok, want)
		}
	}
	var none *Metrics
	none.HTTPRefusal(RefusedCSRF) // a nil *Metrics records nothing and does not panic
}

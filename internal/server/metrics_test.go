package server_test

import (
	"io"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/steward-dev/steward/internal/db/dbtest"
	st "github.com/steward-dev/steward/internal/servertest"
	"github.com/steward-dev/steward/internal/settings"
)

// scrape returns the server's /metrics page.
func scrape(t *testing.T, s *st.Server) string {
	t.Helper()
	resp, err := s.HTTP.Get(s.URL + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return string(b)
}

// sample returns the value of one series, written as the exposition format prints it
// (name{label="value",...}), and whether it is there.
func sample(page, series string) (float64, bool) {
	m := regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(series) + ` (\S+)$`).FindStringSubmatch(page)
	if m == nil {
		return 0, false
	}
	v, err := strconv.ParseFloat(m[1], 64)
	return v, err == nil
}

func TestMetrics(t *testing.T) {
	st.ForEachBackend(t, func(t *testing.T, b dbtest.Backend) {
		w := newBillingWorld(t, b, st.WithRateLimits(limits(func(r *settings.RateLimits) {
			r.SigninPerIP = settings.RateRule{Rate: 1, PeriodSeconds: 60}
		})))
		plan := w.createPlan(t, map[string]any{"quotas": []map[string]any{{"metric": "REQUESTS", "limit": 10}}})
		w.assign(t, w.bob.ID, plan)
		ws, ack, err := w.s.DialWS(t, st.ProtoTransportWS, map[string]any{"token": w.bob.Token}, nil)
		if err != nil || ack.Type != "connection_ack" {
			t.Fatalf("init: %+v, %v", ack, err)
		}
		defer ws.Close()
		ws.Subscribe(t, "1", usageSub, nil)
		// A connection runs its messages in order: once the query after the subscription is
		// answered, the subscription listens.
		ws.Subscribe(t, "2", `{ me { id } }`, nil)
		if m, err := ws.Next(10 * time.Second); err != nil || m.ID != "2" || m.Type != "next" {
			t.Fatalf("query over the websocket: %+v, %v", m, err)
		}
		if r := w.record(t, w.admin.Token, map[string]any{"userId": w.bob.ID, "metric": "REQUESTS", "amount": 1}); len(r.Errors) > 0 {
			t.Fatalf("recordUsage: %s", r.Raw)
		}
		for {
			m, err := ws.Next(10 * time.Second)
			if err != nil {
				t.Fatalf("waiting for the usage event: %v", err)
			}
			if m.ID == "1" && m.Type == "next" {
				break
			}
		}
		w.s.Query(t, "", `{ nothing }`)
		signin := `mutation($e: String!, $p: String!) { signin(input: {email: $e, password: $p}) { token } }`
		w.s.Query(t, "", signin, "e", w.bob.Email, "p", w.bob.Password)
		if r := w.s.Query(t, "", signin, "e", w.bob.Email, "p", w.bob.Password); r.Code() != "RATE_LIMITED" {
			t.Fatalf("second sign-in: %s, want RATE_LIMITED", r.Raw)
		}

		page := scrape(t, w.s)
		atLeast := map[string]float64{
			`steward_graphql_requests_total{operation="mutation recordUsage",outcome="ok"}`:    1,
			`steward_graphql_requests_total{operation="mutation signin",outcome="error"}`:      1,
			`steward_graphql_request_duration_seconds_count{operation="mutation recordUsage"}`: 1,
			`steward_graphql_requests_total{operation="invalid",outcome="error"}`:              1,
			`steward_graphql_errors_total{code="GRAPHQL_VALIDATION_FAILED"}`:                   1,
			`steward_graphql_errors_total{code="RATE_LIMITED"}`:                                1,
			`steward_limit_refusals_total{code="RATE_LIMITED"}`:                                1,
			`steward_rate_limit_hits_total{rule="signin:ip"}`:                                  1,
			`steward_subscriptions_open`:                                                       1,
			`steward_usage_batch_size_count`:                                                   1,
			`steward_usage_batch_size_sum`:                                                     1,
			`go_sql_max_open_connections{db_name="steward"}`:                                   0, // 0 is "no limit"
			`go_sql_open_connections{db_name="steward"}`:                                       1,
		}
		for series, min := range atLeast {
			if v, ok := sample(page, series); !ok || v < min {
				t.Errorf("%s = %v (present %v), want at least %v", series, v, ok, min)
			}
		}
		exactly := map[string]float64{
			`steward_subscriptions_open`:                                     1,
			`steward_events_dropped_total{where="bus"}`:                      0,
			`steward_events_dropped_total{where="websocket"}`:                0,
			`steward_limit_refusals_total{code="GRAPHQL_VALIDATION_FAILED"}`: -1, // absent: not a limit
		}
		for series, want := range exactly {
			v, ok := sample(page, series)
			if want < 0 {
				if ok {
					t.Errorf("%s is present (%v), want absent", series, v)
				}
				continue
			}
			if !ok || v != want {
				t.Errorf("%s = %v (present %v), want %v", series, v, ok, want)
			}
		}
		if strings.Contains(page, w.bob.Token) || strings.Contains(page, w.bob.Email) {
			t.Error("the metrics page shows a token or an email")
		}
	})
}

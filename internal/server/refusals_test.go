package server_test

import (
	"bytes"
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/steward-dev/steward/internal/db/dbtest"
	st "github.com/steward-dev/steward/internal/servertest"
	"github.com/steward-dev/steward/internal/settings"
)

// status sends one raw request (see send) and returns its status.
func status(t *testing.T, s *st.Server, method, path, contentType, body string, header map[string]string) int {
	t.Helper()
	resp, _ := send(t, s, method, path, contentType, body, header)
	return resp.StatusCode
}

// waitForSample polls /metrics until series has value want, and fails the test after 10 s.
func waitForSample(t *testing.T, s *st.Server, series string, want float64) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		v, ok := sample(scrape(t, s), series)
		if ok && v == want {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s = %v (present %v), want %v", series, v, ok, want)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestRefusalsBeforeGraphQLAreCounted: every request refused before GraphQL runs is counted in
// steward_http_refusals_total by its reason, and a refusal of one kind is not counted as another.
func TestRefusalsBeforeGraphQLAreCounted(t *testing.T) {
	st.ForEachBackend(t, func(t *testing.T, b dbtest.Backend) {
		s := st.New(t, b, st.WithEnv(map[string]string{"STEWARD_WS_MAX_PER_IP": "1", "CORS_ALLOW_ORIGIN": "https://app.example"}),
			st.WithRateLimits(limits(func(r *settings.RateLimits) { r.RequestsPerIP = settings.RateRule{Rate: 10, PeriodSeconds: 600} })))
		admin := s.Signup(t, "Ada")
		before := scrape(t, s)
		for _, reason := range []string{"body_too_large", "method_not_allowed", "unsupported_media_type", "bad_request", "unauthenticated",
			"csrf", "cors", "rate_limited", "websocket_limit", "webhook_rate_limited"} {
			if v, ok := sample(before, `steward_http_refusals_total{reason="`+reason+`"}`); !ok || v != 0 {
				t.Errorf("before any refusal, reason %s = %v (present %v), want 0", reason, v, ok)
			}
		}

		json := "application/json"
		query := `{"query":"{ __typename }"}`
		steps := []struct {
			name   string
			status int
			do     func() int
		}{
			{"body too large", 413, func() int { return status(t, s, "POST", "/graphql", json, strings.Repeat(" ", 1<<20+1), nil) }},
			{"PUT", 405, func() int { return status(t, s, "PUT", "/graphql", json, query, nil) }},
			{"mutation over GET", 405, func() int {
				return status(t, s, "GET", "/graphql?query="+url.QueryEscape("mutation { signout }"), "", "", map[string]string{"Authorization": "Bearer " + admin.Token})
			}},
			{"form post", 415, func() int { return status(t, s, "POST", "/graphql", "text/plain", query, nil) }},
			{"body not JSON", 400, func() int { return status(t, s, "POST", "/graphql", json, `{"query": `, nil) }},
			{"bad bearer", 401, func() int {
				return status(t, s, "POST", "/graphql", json, query, map[string]string{"Authorization": "Bearer not-a-token"})
			}},
			{"cookie from another site", 403, func() int {
				return status(t, s, "POST", "/graphql", json, query, map[string]string{"Cookie": "token=" + admin.Token, "Origin": "https://evil.example"})
			}},
			{"preflight from an origin not allowed", 0, func() int {
				return status(t, s, "OPTIONS", "/graphql", "", "", map[string]string{"Origin": "https://evil.example", "Access-Control-Request-Method": "POST"})
			}},
			{"preflight from the allowed origin (not counted)", 204, func() int {
				return status(t, s, "OPTIONS", "/graphql", "", "", map[string]string{"Origin": "https://app.example", "Access-Control-Request-Method": "POST"})
			}},
		}
		for _, step := range steps {
			if got := step.do(); step.status != 0 && got != step.status {
				t.Errorf("%s: status %d, want %d", step.name, got, step.status)
			}
		}
		ws, _, err := s.DialWS(t, st.ProtoTransportWS, map[string]any{"token": admin.Token}, nil)
		if err != nil {
			t.Fatalf("first websocket: %v", err)
		}
		defer ws.Close()
		if _, _, err := s.DialWS(t, st.ProtoTransportWS, map[string]any{"token": admin.Token}, nil); err == nil || !strings.Contains(err.Error(), "429") {
			t.Errorf("second websocket from one address: %v, want 429", err)
		}
		limited := false
		for i := 0; i < 20 && !limited; i++ {
			limited = status(t, s, "POST", "/graphql", json, query, nil) == http.StatusTooManyRequests
		}
		if !limited {
			t.Fatal("the address ceiling never answered 429")
		}

		page := scrape(t, s)
		want := map[string]float64{"body_too_large": 1, "method_not_allowed": 2, "unsupported_media_type": 1, "bad_request": 1,
			"unauthenticated": 1, "csrf": 1, "cors": 1, "websocket_limit": 1, "rate_limited": 1, "webhook_rate_limited": 0}
		for reason, n := range want {
			series := `steward_http_refusals_total{reason="` + reason + `"}`
			if v, ok := sample(page, series); !ok || v != n {
				t.Errorf("%s = %v (present %v), want %v", series, v, ok, n)
			}
		}
	})
}

// TestSSESubscriptionsAreCounted: a subscription over SSE counts in steward_subscriptions_open
// while its stream is open, as one over a websocket does, and a query over SSE does not.
func TestSSESubscriptionsAreCounted(t *testing.T) {
	st.ForEachBackend(t, func(t *testing.T, b dbtest.Backend) {
		s := st.New(t, b)
		admin := s.Signup(t, "Ada")
		for range s.SSE(context.Background(), t, admin.Token, `{ me { id } }`) {
		}
		waitForSample(t, s, "steward_subscriptions_open", 0)

		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		events := s.SSE(ctx, t, admin.Token, `subscription { usageUpdated { userId amount } }`)
		waitForSample(t, s, "steward_subscriptions_open", 1)
		cancel()
		for range events {
		}
		waitForSample(t, s, "steward_subscriptions_open", 0)
	})
}

// TestSSEBodyThatIsNotJSONIsNotEchoed: gqlgen's SSE transport would quote a body it cannot
// decode in its answer and its log; the server refuses it first with a plain 400.
func TestSSEBodyThatIsNotJSONIsNotEchoed(t *testing.T) {
	s := st.New(t, dbtest.SQLite)
	body := `{"query": "mutation { signin(input: {password: \"hunter2-sse\"}) { token } }", `
	req, _ := http.NewRequest(http.MethodPost, s.URL+"/graphql", strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "text/event-stream")
	resp, err := s.HTTP.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out bytes.Buffer
	_, _ = out.ReadFrom(resp.Body)
	if resp.StatusCode != http.StatusBadRequest || strings.Contains(out.String(), "hunter2-sse") || !strings.Contains(out.String(), "BAD_USER_INPUT") {
		t.Errorf("status %d, body %s; want 400 BAD_USER_INPUT without the body quoted", resp.StatusCode, out.String())
	}
	if v, _ := sample(scrape(t, s), `steward_http_refusals_total{reason="bad_request"}`); v != 1 {
		t.Errorf("bad_request refusals = %v, want 1", v)
	}
}

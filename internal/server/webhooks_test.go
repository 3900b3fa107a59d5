package server_test

import (
	"net/http"
	"testing"

	"github.com/steward-dev/steward/internal/db/dbtest"
	"github.com/steward-dev/steward/internal/payments/yookassa/yookassatest"
	st "github.com/steward-dev/steward/internal/servertest"
)

// A flood of webhook calls from one address is refused with 429 before it reaches the payment
// provider, so it cannot be amplified into provider API calls.
func TestWebhookRateLimit(t *testing.T) {
	st.ForEachBackend(t, func(t *testing.T, b dbtest.Backend) {
		yk := yookassatest.NewServer("shop-1", "test_secret")
		defer yk.Close()
		s := st.New(t, b, st.WithEnv(map[string]string{
			"YOOKASSA_SHOP_ID": "shop-1", "YOOKASSA_SECRET_KEY": "test_secret", "YOOKASSA_API_URL": yk.URL(),
			"STEWARD_WEBHOOK_RATE_LIMIT": "3/1m",
		}))
		body := []byte(`{"type":"notification","event":"payment.succeeded","object":{"id":"2f000000-000f-5000-8000-00000000002f","status":"succeeded"}}`)
		for i := range 3 {
			if got, want := postWebhook(t, s, body), http.StatusNotFound; got != want {
				t.Fatalf("call %d: status = %d, want %d", i+1, got, want)
			}
		}
		before := yk.Requests()
		if before == 0 {
			t.Fatal("the allowed calls never reached the provider; the test proves nothing")
		}
		for i := range 5 {
			if got, want := postWebhook(t, s, body), http.StatusTooManyRequests; got != want {
				t.Errorf("flood call %d: status = %d, want %d", i+1, got, want)
			}
		}
		if got := yk.Requests(); got != before {
			t.Errorf("provider requests after the flood = %d, want %d (refused calls must not reach it)", got, before)
		}
	})
}

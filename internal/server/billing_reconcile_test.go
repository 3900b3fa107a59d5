package server_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/steward-dev/steward/internal/db/dbtest"
	"github.com/steward-dev/steward/internal/payments"
	"github.com/steward-dev/steward/internal/payments/yookassa/yookassatest"
	st "github.com/steward-dev/steward/internal/servertest"
)

// TestReconciliation: a payment whose notification was lost is applied by the billing job once
// it has been pending for STEWARD_PAYMENT_SYNC_AFTER, exactly once whatever arrives later; an
// admin's syncPayment applies one payment through the same path.
func TestReconciliation(t *testing.T) {
	st.ForEachBackend(t, func(t *testing.T, b dbtest.Backend) {
		yk := yookassatest.NewServer("shop-1", "test_secret")
		defer yk.Close()
		clock := st.NewClock(time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC))
		w := newBillingWorld(t, b, st.WithClock(clock.Now), st.WithEnv(map[string]string{
			"YOOKASSA_SHOP_ID": "shop-1", "YOOKASSA_SECRET_KEY": "test_secret", "YOOKASSA_API_URL": yk.URL(),
			"STEWARD_PAYMENT_SYNC_AFTER": "10m",
		}))
		pro := w.createPlan(t, map[string]any{"name": "Pro", "price": "499.00", "currency": "RUB"})
		basic := w.createPlan(t, map[string]any{"name": "Basic", "price": "99.00", "currency": "RUB"})
		d := w.s.MustQuery(t, w.bob.Token, subscribeMutation, "p", pro, "r", "https://app.example.com/billing")
		txID, payID := st.Get(d, "subscribe.transaction.id").(string), st.Get(d, "subscribe.transaction.providerPaymentID").(string)
		if err := yk.SetStatus(payID, payments.Succeeded); err != nil { // paid, but the notification is lost
			t.Fatal(err)
		}
		status := func(id string) any {
			t.Helper()
			w.admin.Token = w.s.Signin(t, w.admin)
			return st.Get(w.s.MustQuery(t, w.admin.Token, `query($id: ID!) { node(id: $id) { ... on Transaction { status } } }`, "id", id), "node.status")
		}
		run := func(after time.Duration) {
			t.Helper()
			clock.Advance(after)
			if _, err := w.s.App.Renewer.RunOnce(context.Background(), clock.Now()); err != nil {
				t.Fatal(err)
			}
		}

		run(5 * time.Minute)
		if got := status(txID); got != "PENDING" {
			t.Fatalf("after 5 minutes: %v, want still PENDING (too young to re-read)", got)
		}
		run(6 * time.Minute)
		if got := status(txID); got != "SUCCEEDED" {
			t.Fatalf("after 11 minutes: %v, want SUCCEEDED from the sweep", got)
		}
		// The notification arrives late, and the job runs again: nothing happens twice.
		body, _ := yk.Notification("payment.succeeded", payID)
		if got := postWebhook(t, w.s, body); got != http.StatusOK {
			t.Fatalf("late webhook = %d", got)
		}
		run(time.Minute)
		if n := auditCount(t, w.s, "PAYMENT_SUCCEEDED"); n != 1 {
			t.Errorf("PAYMENT_SUCCEEDED entries = %d, want 1", n)
		}
		w.bob.Token = w.s.Signin(t, w.bob)
		if got := st.Get(w.s.MustQuery(t, w.bob.Token, `{ mySubscription { planID } }`), "mySubscription.planID"); got != pro {
			t.Errorf("plan after the sweep = %v, want %s", got, pro)
		}

		// syncPayment: an admin applies a canceled payment at once.
		d = w.s.MustQuery(t, w.bob.Token, subscribeMutation, "p", basic, "r", "https://app.example.com/billing")
		tx2, pay2 := st.Get(d, "subscribe.transaction.id").(string), st.Get(d, "subscribe.transaction.providerPaymentID").(string)
		if err := yk.SetStatus(pay2, payments.Canceled); err != nil {
			t.Fatal(err)
		}
		sync := `mutation($id: ID!) { syncPayment(id: $id) { status } }`
		wantCode(t, w.s.Query(t, w.bob.Token, sync, "id", tx2), "FORBIDDEN")
		wantCode(t, w.s.Query(t, w.admin.Token, sync, "id", "nope"), "NOT_FOUND")
		if got := st.Get(w.s.MustQuery(t, w.admin.Token, sync, "id", tx2), "syncPayment.status"); got != "CANCELED" {
			t.Errorf("syncPayment = %v, want CANCELED", got)
		}
		if n := auditCount(t, w.s, "PAYMENT_CANCELED"); n != 1 {
			t.Errorf("PAYMENT_CANCELED entries = %d, want 1", n)
		}
	})
}

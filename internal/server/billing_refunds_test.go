package server_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/steward-dev/steward/internal/db/dbtest"
	"github.com/steward-dev/steward/internal/payments"
	"github.com/steward-dev/steward/internal/payments/yookassa/yookassatest"
	st "github.com/steward-dev/steward/internal/servertest"
)

const refundMutation = `mutation($id: ID!, $a: Decimal, $r: String!, $e: RefundEffect!) {
	refundPayment(id: $id, amount: $a, reason: $r, subscriptionEffect: $e) { status amount refunded } }`

// TestRefunds: a partial refund through the provider, the rest with the subscription ended, bad
// input refused with nothing changed, and the provider's notification applying nothing twice.
func TestRefunds(t *testing.T) {
	st.ForEachBackend(t, func(t *testing.T, b dbtest.Backend) {
		yk := yookassatest.NewServer("shop-1", "test_secret")
		defer yk.Close()
		w := newBillingWorld(t, b, st.WithEnv(map[string]string{
			"YOOKASSA_SHOP_ID": "shop-1", "YOOKASSA_SECRET_KEY": "test_secret", "YOOKASSA_API_URL": yk.URL(),
		}))
		pro := w.createPlan(t, map[string]any{"name": "Pro", "price": "499.00", "currency": "RUB"})
		d := w.s.MustQuery(t, w.bob.Token, subscribeMutation, "p", pro, "r", "https://app.example.com/billing")
		txID := st.Get(d, "subscribe.transaction.id").(string)
		payID := st.Get(d, "subscribe.transaction.providerPaymentID").(string)
		if err := yk.SetStatus(payID, payments.Succeeded); err != nil {
			t.Fatal(err)
		}
		notify := func() {
			t.Helper()
			body, _ := yk.Notification("payment.succeeded", payID)
			if got := postWebhook(t, w.s, body); got != http.StatusOK {
				t.Fatalf("webhook status = %d", got)
			}
		}
		notify()
		revenue := func() string {
			t.Helper()
			now := time.Now().UTC()
			o := w.s.MustQuery(t, w.admin.Token, `query($f: Time!, $t: Time!) { billingOverview(from: $f, to: $t) { revenue { currency amount } } }`,
				"f", now.AddDate(0, 0, -1).Format(time.RFC3339), "t", now.AddDate(0, 0, 1).Format(time.RFC3339))
			return toString(st.Get(o, "billingOverview.revenue"))
		}
		tx := func() string {
			t.Helper()
			d := w.s.MustQuery(t, w.admin.Token, `query($id: ID!) { node(id: $id) { ... on Transaction { status refunded } } }`, "id", txID)
			return toString(d["node"])
		}

		t.Run("bad input changes nothing", func(t *testing.T) {
			wantField(t, w.s.Query(t, w.admin.Token, refundMutation, "id", txID, "a", "500.00", "r", "too much", "e", "KEEP"), "BAD_USER_INPUT", "amount")
			wantField(t, w.s.Query(t, w.admin.Token, refundMutation, "id", txID, "a", "1.001", "r", "digits", "e", "KEEP"), "BAD_USER_INPUT", "amount")
			wantField(t, w.s.Query(t, w.admin.Token, refundMutation, "id", txID, "a", "1.00", "r", " ", "e", "KEEP"), "BAD_USER_INPUT", "reason")
			wantCode(t, w.s.Query(t, w.admin.Token, refundMutation, "id", "nope", "a", "1.00", "r", "x", "e", "KEEP"), "NOT_FOUND")
			wantCode(t, w.s.Query(t, w.bob.Token, refundMutation, "id", txID, "a", "1.00", "r", "x", "e", "KEEP"), "FORBIDDEN")
			if got := tx(); got != `{"refunded":"0.00","status":"SUCCEEDED"}` || yk.Refunds() != 0 || auditCount(t, w.s, "PAYMENT_REFUNDED") != 0 {
				t.Fatalf("after refused refunds: %s, %d provider refunds", got, yk.Refunds())
			}
		})

		// 100.00 back, the subscription kept: revenue is what was kept, 399.00.
		d = w.s.MustQuery(t, w.admin.Token, refundMutation, "id", txID, "a", "100.00", "r", "goodwill", "e", "KEEP")
		if got := toString(d["refundPayment"]); got != `{"amount":"499.00","refunded":"100.00","status":"PARTIALLY_REFUNDED"}` {
			t.Fatalf("partial refund = %s", got)
		}
		if p, _ := yk.Payment(payID); p.RefundedMinor != 10000 {
			t.Errorf("provider refunded %d minor, want 10000", p.RefundedMinor)
		}
		if got := revenue(); got != `[{"amount":"399.00","currency":"RUB"}]` {
			t.Errorf("revenue after a partial refund = %s, want 399.00", got)
		}
		notify() // the provider's view (100.00 refunded) is already applied
		if auditCount(t, w.s, "PAYMENT_REFUNDED") != 1 {
			t.Errorf("refund audit entries = %d, want 1", auditCount(t, w.s, "PAYMENT_REFUNDED"))
		}
		if st.Get(w.s.MustQuery(t, w.bob.Token, `{ mySubscription { planID } }`), "mySubscription.planID") != pro {
			t.Fatal("KEEP ended the subscription")
		}

		// The rest, ending the subscription now.
		d = w.s.MustQuery(t, w.admin.Token, refundMutation, "id", txID, "a", nil, "r", "canceled by support", "e", "END_NOW")
		if got := toString(d["refundPayment"]); got != `{"amount":"499.00","refunded":"499.00","status":"REFUNDED"}` {
			t.Fatalf("full refund = %s", got)
		}
		if got := revenue(); got != `[]` {
			t.Errorf("revenue after a full refund = %s, want none", got)
		}
		if s := st.Get(w.s.MustQuery(t, w.bob.Token, `{ mySubscription { id } }`), "mySubscription"); s != nil {
			t.Errorf("END_NOW left a subscription: %v", s)
		}
		wantCode(t, w.s.Query(t, w.admin.Token, refundMutation, "id", txID, "a", "1.00", "r", "again", "e", "KEEP"), "CONFLICT")
		if yk.Refunds() != 2 || auditCount(t, w.s, "PAYMENT_REFUNDED") != 2 {
			t.Errorf("provider refunds %d, audit entries %d; want 2 and 2", yk.Refunds(), auditCount(t, w.s, "PAYMENT_REFUNDED"))
		}
	})
}

package server_test

import (
	"bytes"
	"net/http"
	"strings"
	"testing"

	"github.com/steward-dev/steward/internal/db/dbtest"
	"github.com/steward-dev/steward/internal/payments"
	"github.com/steward-dev/steward/internal/payments/yookassa/yookassatest"
	st "github.com/steward-dev/steward/internal/servertest"
)

const subscribeMutation = `mutation($p: ID!, $r: String!) { subscribe(planId: $p, returnUrl: $r) {
	confirmationUrl transaction { id status amount currency providerPaymentID plan { id } } subscription { id planID } } }`

func postWebhook(t *testing.T, s *st.Server, body []byte) int {
	t.Helper()
	resp, err := s.HTTP.Post(s.URL+"/webhooks/yookassa", "application/json", bytes.NewReader(body))
	if err != nil {
		t.Fatalf("posting webhook: %v", err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

func TestPaymentsNotConfigured(t *testing.T) {
	st.ForEachBackend(t, func(t *testing.T, b dbtest.Backend) {
		w := newBillingWorld(t, b)
		pro := w.createPlan(t, nil)
		r := w.s.Query(t, w.bob.Token, subscribeMutation, "p", pro, "r", "https://app.example.com/billing")
		wantCode(t, r, "CONFLICT")
		if !strings.Contains(r.Errors[0].Message, "not configured") {
			t.Errorf("message = %q, want it to say payments are not configured", r.Errors[0].Message)
		}
		if got := postWebhook(t, w.s, []byte(`{"type":"notification","event":"payment.succeeded","object":{"id":"x"}}`)); got != http.StatusServiceUnavailable {
			t.Errorf("webhook status = %d, want 503", got)
		}
		// A free plan needs no provider.
		free := w.createPlan(t, map[string]any{"price": "0"})
		d := w.s.MustQuery(t, w.bob.Token, subscribeMutation, "p", free, "r", "https://app.example.com/billing")
		if st.Get(d, "subscribe.subscription.planID") != free || st.Get(d, "subscribe.transaction") != nil {
			t.Errorf("free subscribe = %v", d)
		}
		wantCode(t, w.s.Query(t, w.bob.Token, subscribeMutation, "p", free, "r", "https://app.example.com/billing"), "CONFLICT")
	})
}

func TestPayments(t *testing.T) {
	st.ForEachBackend(t, func(t *testing.T, b dbtest.Backend) {
		yk := yookassatest.NewServer("shop-1", "test_secret")
		defer yk.Close()
		w := newBillingWorld(t, b, st.WithEnv(map[string]string{
			"YOOKASSA_SHOP_ID": "shop-1", "YOOKASSA_SECRET_KEY": "test_secret", "YOOKASSA_API_URL": yk.URL(),
		}))
		basic := w.createPlan(t, map[string]any{"id": "basic", "price": "99.00", "currency": "RUB"})
		pro := w.createPlan(t, map[string]any{"id": "pro", "price": "499.00", "currency": "RUB"})
		w.assign(t, w.bob.ID, basic)
		ret := "https://app.example.com/billing/done"

		t.Run("validation", func(t *testing.T) {
			wantField(t, w.s.Query(t, w.bob.Token, subscribeMutation, "p", pro, "r", "javascript:alert(1)"), "BAD_USER_INPUT", "returnUrl")
			wantCode(t, w.s.Query(t, w.bob.Token, subscribeMutation, "p", "nope", "r", ret), "NOT_FOUND")
			wantCode(t, w.s.Query(t, "", subscribeMutation, "p", pro, "r", ret), "UNAUTHENTICATED")
		})

		d := w.s.MustQuery(t, w.bob.Token, subscribeMutation, "p", pro, "r", ret)
		tx := d["subscribe"].(map[string]any)
		payID, _ := st.Get(tx, "transaction.providerPaymentID").(string)
		if st.Get(tx, "transaction.status") != "PENDING" || st.Get(tx, "transaction.amount") != "499.00" || payID == "" ||
			!strings.Contains(tx["confirmationUrl"].(string), "/checkout/") || st.Get(tx, "transaction.plan.id") != "pro" {
			t.Fatalf("subscribe = %v", tx)
		}

		myPlan := func() any {
			return st.Get(w.s.MustQuery(t, w.bob.Token, `{ mySubscription { planID } }`), "mySubscription.planID")
		}
		txStatus := func() any {
			return st.Get(w.s.MustQuery(t, w.bob.Token, `{ myTransactions { edges { node { status receiptURL } } } }`), "myTransactions.edges.0.node.status")
		}

		t.Run("a forged body changes nothing", func(t *testing.T) {
			// The body claims success; YooKassa says the payment is still pending.
			forged := []byte(`{"type":"notification","event":"payment.succeeded","object":{"id":"` + payID + `","status":"succeeded","paid":true}}`)
			if got := postWebhook(t, w.s, forged); got != http.StatusOK {
				t.Errorf("webhook status = %d, want 200", got)
			}
			if txStatus() != "PENDING" || myPlan() != "basic" {
				t.Fatalf("forged webhook changed state: tx %v, plan %v", txStatus(), myPlan())
			}
			unknown := []byte(`{"type":"notification","event":"payment.succeeded","object":{"id":"2f000000-000f-5000-8000-00000000002f","status":"succeeded"}}`)
			if got := postWebhook(t, w.s, unknown); got != http.StatusNotFound {
				t.Errorf("unknown payment webhook status = %d, want 404", got)
			}
			if got := postWebhook(t, w.s, []byte(`not json`)); got != http.StatusBadRequest {
				t.Errorf("garbage webhook status = %d, want 400", got)
			}
			if auditCount(t, w.s, "PAYMENT_SUCCEEDED") != 0 {
				t.Errorf("forged webhook wrote a PAYMENT_SUCCEEDED entry")
			}
		})
		t.Run("success activates the plan that was paid, once", func(t *testing.T) {
			if err := yk.SetStatus(payID, payments.Succeeded); err != nil {
				t.Fatal(err)
			}
			// Meanwhile the plan's price changed: the payment still buys what it was for.
			w.s.MustQuery(t, w.admin.Token, `mutation { updatePlan(id: "pro", input: {price: "599.00"}) { id } }`)
			body, _ := yk.Notification("payment.succeeded", payID)
			for range 3 {
				if got := postWebhook(t, w.s, body); got != http.StatusOK {
					t.Fatalf("webhook status = %d, want 200", got)
				}
			}
			if txStatus() != "SUCCEEDED" || myPlan() != "pro" {
				t.Fatalf("after payment: tx %v, plan %v", txStatus(), myPlan())
			}
			if auditCount(t, w.s, "PAYMENT_SUCCEEDED") != 1 || auditCount(t, w.s, "SUBSCRIPTION_ASSIGNED") != 2 {
				t.Errorf("audit after replays: payment %d, assigned %d; want 1 and 2", auditCount(t, w.s, "PAYMENT_SUCCEEDED"), auditCount(t, w.s, "SUBSCRIPTION_ASSIGNED"))
			}
			d := w.s.MustQuery(t, w.bob.Token, `{ mySubscription { paidThrough currentPeriodEnd } }`)
			if st.Get(d, "mySubscription.paidThrough") != st.Get(d, "mySubscription.currentPeriodEnd") {
				t.Errorf("paid subscription = %v, want paid through the period end", d)
			}
		})
		t.Run("paying again renews one more period", func(t *testing.T) {
			d := w.s.MustQuery(t, w.bob.Token, subscribeMutation, "p", pro, "r", ret)
			id := st.Get(d, "subscribe.transaction.providerPaymentID").(string)
			if st.Get(d, "subscribe.transaction.amount") != "599.00" {
				t.Errorf("new payment amount = %v, want the new price", st.Get(d, "subscribe.transaction.amount"))
			}
			_ = yk.SetStatus(id, payments.Succeeded)
			body, _ := yk.Notification("payment.succeeded", id)
			postWebhook(t, w.s, body)
			if auditCount(t, w.s, "SUBSCRIPTION_RENEWED") != 1 {
				t.Errorf("renewals = %d, want 1", auditCount(t, w.s, "SUBSCRIPTION_RENEWED"))
			}
			s := w.s.MustQuery(t, w.bob.Token, `{ mySubscription { paidThrough currentPeriodEnd } }`)
			if st.Get(s, "mySubscription.paidThrough") == st.Get(s, "mySubscription.currentPeriodEnd") {
				t.Errorf("second payment did not extend paidThrough: %v", s)
			}
		})
		t.Run("canceled and refunded payments", func(t *testing.T) {
			d := w.s.MustQuery(t, w.bob.Token, subscribeMutation, "p", basic, "r", ret)
			id := st.Get(d, "subscribe.transaction.providerPaymentID").(string)
			_ = yk.SetStatus(id, payments.Canceled)
			body, _ := yk.Notification("payment.canceled", id)
			postWebhook(t, w.s, body)
			if myPlan() != "pro" || auditCount(t, w.s, "PAYMENT_CANCELED") != 1 {
				t.Errorf("canceled payment: plan %v, canceled entries %d", myPlan(), auditCount(t, w.s, "PAYMENT_CANCELED"))
			}
			_ = yk.SetRefunded(payID, 49900)
			body, _ = yk.Notification("refund.succeeded", payID)
			body = bytes.Replace(body, []byte(`"id":"`+payID+`"`), []byte(`"id":"refund-1","payment_id":"`+payID+`"`), 1)
			postWebhook(t, w.s, body)
			if auditCount(t, w.s, "PAYMENT_REFUNDED") != 1 {
				t.Errorf("refund entries = %d, want 1", auditCount(t, w.s, "PAYMENT_REFUNDED"))
			}
		})
		t.Run("transactions lists and filters", func(t *testing.T) {
			d := w.s.MustQuery(t, w.admin.Token, `{ all: transactions { totalCount } ok: transactions(where: {status: SUCCEEDED}) { totalCount edges { node { userID amount currency } } } }`)
			if num(st.Get(d, "all.totalCount")) != 3 || num(st.Get(d, "ok.totalCount")) != 1 || st.Get(d, "ok.edges.0.node.amount") != "599.00" {
				t.Errorf("transactions = %v", d)
			}
			wantCode(t, w.s.Query(t, w.bob.Token, `{ transactions { totalCount } }`), "FORBIDDEN")
			if got := num(st.Get(w.s.MustQuery(t, w.admin.Token, `{ myTransactions { totalCount } }`), "myTransactions.totalCount")); got != 0 {
				t.Errorf("admin's own transactions = %d, want 0", got)
			}
			if got := num(st.Get(w.s.MustQuery(t, w.bob.Token, `{ myTransactions { totalCount } }`), "myTransactions.totalCount")); got != 3 {
				t.Errorf("bob's transactions = %d, want 3", got)
			}
		})
	})
}

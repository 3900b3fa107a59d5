package server_test

import (
	"context"
	"encoding/json"
	"net/http"
	"reflect"
	"sync"
	"testing"
	"time"

	"github.com/steward-dev/steward/internal/db/dbtest"
	"github.com/steward-dev/steward/internal/payments"
	"github.com/steward-dev/steward/internal/payments/yookassa/yookassatest"
	st "github.com/steward-dev/steward/internal/servertest"
)

const subscriptionState = `{ mySubscription { id status planID currentPeriodStart currentPeriodEnd paidThrough } }`

// recurringWorld is a billing world with recurring payments (and receipts) on, a fake YooKassa
// and a test clock, and bob paying for a monthly plan of 499.00 RUB whose method was saved.
type recurringWorld struct {
	billingWorld
	yk    *yookassatest.Server
	clock *st.Clock
	plan  string
	payID string
}

var recurringEnv = map[string]string{
	"YOOKASSA_SHOP_ID": "shop-1", "YOOKASSA_SECRET_KEY": "test_secret",
	"STEWARD_RECURRING": "true", "STEWARD_RENEWAL_LEAD": "1d", "STEWARD_DUNNING_SCHEDULE": "1d,3d,5d",
	"STEWARD_RECEIPTS": "true", "STEWARD_RECEIPT_VAT_CODE": "2", "STEWARD_RECEIPT_TAX_SYSTEM_CODE": "1",
}

func newRecurringWorld(t *testing.T, b dbtest.Backend, opts ...st.Option) recurringWorld {
	t.Helper()
	yk := yookassatest.NewServer("shop-1", "test_secret")
	t.Cleanup(yk.Close)
	clock := st.NewClock(time.Date(2025, 1, 10, 9, 0, 0, 0, time.UTC))
	yk.SetNow(clock.Now)
	env := map[string]string{"YOOKASSA_API_URL": yk.URL()}
	for k, v := range recurringEnv {
		env[k] = v
	}
	w := newBillingWorld(t, b, append([]st.Option{st.WithClock(clock.Now), st.WithEnv(env)}, opts...)...)
	plan := w.createPlan(t, map[string]any{"name": "Pro", "price": "499.00", "currency": "RUB", "interval": "MONTH"})
	d := w.s.MustQuery(t, w.bob.Token, subscribeMutation, "p", plan, "r", "https://app.example.com/billing")
	payID := st.Get(d, "subscribe.transaction.providerPaymentID").(string)
	if err := yk.SetStatus(payID, payments.Succeeded); err != nil {
		t.Fatal(err)
	}
	body, _ := yk.Notification("payment.succeeded", payID)
	if got := postWebhook(t, w.s, body); got != http.StatusOK {
		t.Fatalf("webhook = %d", got)
	}
	return recurringWorld{billingWorld: w, yk: yk, clock: clock, plan: plan, payID: payID}
}

// at moves the clock to tm and runs the billing job once.
func (w recurringWorld) at(t *testing.T, tm time.Time) {
	t.Helper()
	w.clock.Advance(tm.Sub(w.clock.Now()))
	if _, err := w.s.App.Renewer.RunOnce(context.Background(), w.clock.Now()); err != nil {
		t.Fatal(err)
	}
}

// sub returns bob's current subscription (nil when none), signing in again as the clock moved.
func (w *recurringWorld) sub(t *testing.T) map[string]any {
	t.Helper()
	w.bob.Token = w.s.Signin(t, w.bob)
	s, _ := w.s.MustQuery(t, w.bob.Token, subscriptionState)["mySubscription"].(map[string]any)
	return s
}

// mrr returns billingOverview's MRR now.
func (w *recurringWorld) mrr(t *testing.T) string {
	t.Helper()
	w.admin.Token = w.s.Signin(t, w.admin)
	o := w.s.MustQuery(t, w.admin.Token, `query($f: Time!, $t: Time!) { billingOverview(from: $f, to: $t) { mrr { currency amount } } }`,
		"f", w.clock.Now().AddDate(0, -1, 0).Format(time.RFC3339), "t", w.clock.Now().Format(time.RFC3339))
	return toString(st.Get(o, "billingOverview.mrr"))
}

func timeOf(t *testing.T, v any) time.Time {
	t.Helper()
	tm, err := time.Parse(time.RFC3339, v.(string))
	if err != nil {
		t.Fatalf("time %v: %v", v, err)
	}
	return tm
}

// TestRecurringYear: a year of monthly renewals is charged to the saved method automatically, a
// lead time before each period ends: 12 charges, contiguous paid periods, MRR unchanged.
func TestRecurringYear(t *testing.T) {
	st.ForEachBackend(t, func(t *testing.T, b dbtest.Backend) {
		w := newRecurringWorld(t, b)
		pm := w.s.MustQuery(t, w.bob.Token, `{ myPaymentMethod { type title cardLast4 createdAt } }`)
		if got := toString(st.Get(pm, "myPaymentMethod")); got != `{"cardLast4":"4444","createdAt":"2025-01-10T09:00:00Z","title":"Bank card *4444","type":"bank_card"}` {
			t.Errorf("myPaymentMethod = %s", got)
		}
		q := `query($u: ID!) { paymentMethod(userId: $u) { title } }`
		if got := st.Get(w.s.MustQuery(t, w.admin.Token, q, "u", w.bob.ID), "paymentMethod.title"); got != "Bank card *4444" {
			t.Errorf("admin paymentMethod = %v", got)
		}
		wantCode(t, w.s.Query(t, w.bob.Token, q, "u", w.admin.ID), "FORBIDDEN")

		first := w.sub(t)
		end := timeOf(t, first["currentPeriodEnd"])
		for month := 1; month <= 12; month++ {
			w.at(t, end.Add(-12*time.Hour))
			if got := w.yk.Charges(); got != month {
				t.Fatalf("month %d: %d charges, want %d", month, got, month)
			}
			w.at(t, end.Add(time.Minute))
			s := w.sub(t)
			if s["id"] != first["id"] || s["status"] != "ACTIVE" || timeOf(t, s["currentPeriodStart"]) != end {
				t.Fatalf("month %d: subscription %v, want the same one ACTIVE from %s", month, s, end)
			}
			next := timeOf(t, s["currentPeriodEnd"])
			if paid := timeOf(t, s["paidThrough"]); paid != next {
				t.Fatalf("month %d: paid through %s, want the period's end %s", month, paid, next)
			}
			if got := w.mrr(t); got != `[{"amount":"499.00","currency":"RUB"}]` {
				t.Fatalf("month %d: MRR = %s, want 499.00 RUB", month, got)
			}
			end = next
		}
		if want := time.Date(2026, 2, 10, 9, 0, 0, 0, time.UTC); end != want {
			t.Errorf("after 12 renewals the period ends %s, want %s", end, want)
		}
		if n := auditCount(t, w.s, "RENEWAL_CHARGED"); n != 12 {
			t.Errorf("RENEWAL_CHARGED entries = %d, want 12", n)
		}
		if n := auditCount(t, w.s, "PAYMENT_SUCCEEDED"); n != 13 {
			t.Errorf("PAYMENT_SUCCEEDED entries = %d, want 13 (the first payment and 12 renewals)", n)
		}
		w.admin.Token = w.s.Signin(t, w.admin)
		from, to := "2025-01-01T00:00:00Z", w.clock.Now().Format(time.RFC3339)
		o := w.s.MustQuery(t, w.admin.Token, `query($f: Time!, $t: Time!) { billingOverview(from: $f, to: $t) { mrr { currency amount } revenue { currency amount } churnRate } }`, "f", from, "t", to)
		if got := toString(st.Get(o, "billingOverview.mrr")); got != `[{"amount":"499.00","currency":"RUB"}]` {
			t.Errorf("MRR = %s, want 499.00 RUB", got)
		}
		if got := toString(st.Get(o, "billingOverview.revenue")); got != `[{"amount":"6487.00","currency":"RUB"}]` {
			t.Errorf("revenue = %s, want 13 × 499.00 RUB", got)
		}
	})
}

// TestReceipts: with STEWARD_RECEIPTS on, the first payment, a renewal charge and a refund carry
// YooKassa's receipt object, checked field by field.
func TestReceipts(t *testing.T) {
	st.ForEachBackend(t, func(t *testing.T, b dbtest.Backend) {
		w := newRecurringWorld(t, b)
		want := func(value string) map[string]any {
			return map[string]any{
				"customer": map[string]any{"email": w.bob.Email},
				"items": []any{map[string]any{"description": "Pro", "quantity": "1.00",
					"amount":   map[string]any{"value": value, "currency": "RUB"},
					"vat_code": float64(2), "payment_subject": "service", "payment_mode": "full_payment"}},
				"tax_system_code": float64(1),
			}
		}
		check := func(what string, raw json.RawMessage, want map[string]any) {
			t.Helper()
			var got map[string]any
			if err := json.Unmarshal(raw, &got); err != nil {
				t.Fatalf("%s receipt %s: %v", what, raw, err)
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("%s receipt = %s, want %v", what, raw, want)
			}
		}
		check("first payment", w.yk.Receipt(w.payID), want("499.00"))

		end := timeOf(t, w.sub(t)["currentPeriodEnd"])
		w.at(t, end.Add(-time.Hour))
		w.admin.Token = w.s.Signin(t, w.admin)
		d := w.s.MustQuery(t, w.admin.Token, `{ transactions(first: 5, orderBy: {field: CREATED_AT, direction: DESC}) { edges { node { id providerPaymentID status } } } }`)
		renewal := st.Get(d, "transactions.edges.0.node").(map[string]any)
		if renewal["status"] != "SUCCEEDED" || renewal["providerPaymentID"] == w.payID {
			t.Fatalf("newest transaction = %v, want the renewal SUCCEEDED", renewal)
		}
		check("renewal", w.yk.Receipt(renewal["providerPaymentID"].(string)), want("499.00"))

		w.s.MustQuery(t, w.admin.Token, `mutation($id: ID!) { refundPayment(id: $id, amount: "100.00", reason: "goodwill", subscriptionEffect: KEEP) { status } }`, "id", renewal["id"])
		refunds := w.yk.RefundReceipts()
		if len(refunds) != 1 {
			t.Fatalf("refund receipts = %d, want 1", len(refunds))
		}
		check("refund", refunds[0], want("100.00"))
	})
}

// TestDunning: a declined renewal is retried 1, 3 and 5 days after the paid period ended; the
// subscription is PAST_DUE meanwhile, ACTIVE again when a retry succeeds, and CANCELED when the
// last retry is declined too.
func TestDunning(t *testing.T) {
	st.ForEachBackend(t, func(t *testing.T, b dbtest.Backend) {
		w := newRecurringWorld(t, b)
		status := func() any {
			t.Helper()
			if s := w.sub(t); s != nil {
				return s["status"]
			}
			return nil
		}
		end := timeOf(t, w.sub(t)["currentPeriodEnd"])
		steps := []struct {
			at      time.Duration
			charges int
			status  string
		}{
			{-12 * time.Hour, 1, "ACTIVE"},  // declined, the period is still paid
			{time.Minute, 1, "PAST_DUE"},    // the period ended unpaid: no retry before 1 day
			{23 * time.Hour, 1, "PAST_DUE"}, // still within the first day
			{24*time.Hour + time.Minute, 2, "PAST_DUE"},
			{48 * time.Hour, 2, "PAST_DUE"},           // the next retry is at 3 days
			{72*time.Hour + time.Minute, 3, "ACTIVE"}, // this one succeeds
		}
		w.yk.FailCharges(2, "insufficient_funds")
		for _, s := range steps {
			w.at(t, end.Add(s.at))
			if got := w.yk.Charges(); got != s.charges {
				t.Fatalf("at end%+v: %d charges, want %d", s.at, got, s.charges)
			}
			if got := status(); got != s.status {
				t.Fatalf("at end%+v: status %v, want %s", s.at, got, s.status)
			}
		}
		sub := w.sub(t)
		next := timeOf(t, sub["currentPeriodEnd"])
		if paid := timeOf(t, sub["paidThrough"]); paid != next {
			t.Errorf("after the successful retry paid through %s, want %s", paid, next)
		}

		// The next period: every try is declined, and the subscription ends after the last.
		w.yk.FailCharges(4, "card_expired")
		for i, s := range []struct {
			at      time.Duration
			charges int
			status  any
		}{
			{-time.Hour, 4, "ACTIVE"},
			{time.Minute, 4, "PAST_DUE"},
			{24*time.Hour + time.Minute, 5, "PAST_DUE"},
			{72*time.Hour + time.Minute, 6, "PAST_DUE"},
			{120*time.Hour + time.Minute, 7, "PAST_DUE"}, // the last retry is declined
			{120*time.Hour + 2*time.Minute, 7, nil},      // and the next pass ends the subscription
			{200 * time.Hour, 7, nil},
		} {
			w.at(t, next.Add(s.at))
			if got := w.yk.Charges(); got != s.charges {
				t.Fatalf("step %d: %d charges, want %d", i, got, s.charges)
			}
			if got := status(); got != s.status {
				t.Fatalf("step %d: status %v, want %v", i, got, s.status)
			}
		}
		if n := auditCount(t, w.s, "RENEWAL_CHARGED"); n != 7 {
			t.Errorf("RENEWAL_CHARGED entries = %d, want 7 (one per attempt)", n)
		}
		if n := auditCount(t, w.s, "PAYMENT_CANCELED"); n != 6 {
			t.Errorf("PAYMENT_CANCELED entries = %d, want 6 (the declined attempts)", n)
		}
	})
}

// TestRemovePaymentMethod: a removed method is no longer charged; the subscription lapses as one
// without a saved method does.
func TestRemovePaymentMethod(t *testing.T) {
	st.ForEachBackend(t, func(t *testing.T, b dbtest.Backend) {
		w := newRecurringWorld(t, b)
		remove := `mutation { removePaymentMethod }`
		wantCode(t, w.s.Query(t, "", remove), "UNAUTHENTICATED")
		if got := st.Get(w.s.MustQuery(t, w.bob.Token, remove), "removePaymentMethod"); got != true {
			t.Fatalf("removePaymentMethod = %v", got)
		}
		wantCode(t, w.s.Query(t, w.bob.Token, remove), "NOT_FOUND")
		if got := st.Get(w.s.MustQuery(t, w.bob.Token, `{ myPaymentMethod { title } }`), "myPaymentMethod"); got != nil {
			t.Errorf("myPaymentMethod after removal = %v", got)
		}
		if n := auditCount(t, w.s, "PAYMENT_METHOD_REMOVED"); n != 1 {
			t.Errorf("PAYMENT_METHOD_REMOVED entries = %d, want 1", n)
		}
		end := timeOf(t, w.sub(t)["currentPeriodEnd"])
		w.at(t, end.Add(-time.Hour))
		w.at(t, end.Add(time.Minute))
		if got := w.sub(t)["status"]; got != "PAST_DUE" || w.yk.Charges() != 0 {
			t.Fatalf("after the period: %v with %d charges, want PAST_DUE and none", got, w.yk.Charges())
		}
		next := timeOf(t, w.sub(t)["currentPeriodEnd"])
		w.at(t, next.Add(time.Minute))
		if s := w.sub(t); s != nil || w.yk.Charges() != 0 {
			t.Fatalf("after the grace period: %v with %d charges, want no subscription and none", s, w.yk.Charges())
		}
	})
}

// TestRenewersRace: the billing jobs of two replicas on one database, run at the same moment
// many times, charge a renewal once.
func TestRenewersRace(t *testing.T) {
	st.ForEachBackend(t, func(t *testing.T, b dbtest.Backend) {
		w := newRecurringWorld(t, b)
		env := map[string]string{"YOOKASSA_API_URL": w.yk.URL()}
		for k, v := range recurringEnv {
			env[k] = v
		}
		other := st.New(t, b, st.WithDatabaseURL(w.s.Config.DatabaseURL), st.WithClock(w.clock.Now), st.WithEnv(env))
		end := timeOf(t, w.sub(t)["currentPeriodEnd"])
		w.clock.Advance(end.Add(-time.Hour).Sub(w.clock.Now()))
		var wg sync.WaitGroup
		errs := make(chan error, 8)
		for i := range 8 {
			srv := w.s
			if i%2 == 1 {
				srv = other
			}
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, err := srv.App.Renewer.RunOnce(context.Background(), w.clock.Now())
				errs <- err
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Errorf("renewer: %v", err)
			}
		}
		if got := w.yk.Charges(); got != 1 {
			t.Errorf("charges at the provider = %d, want 1", got)
		}
		if n := auditCount(t, w.s, "RENEWAL_CHARGED"); n != 1 {
			t.Errorf("RENEWAL_CHARGED entries = %d, want 1", n)
		}
		w.admin.Token = w.s.Signin(t, w.admin)
		if n := num(st.Get(w.s.MustQuery(t, w.admin.Token, `{ transactions { totalCount } }`), "transactions.totalCount")); n != 2 {
			t.Errorf("transactions = %d, want 2 (the first payment and one renewal)", n)
		}
		s := w.sub(t)
		next := end.AddDate(0, 1, 0)
		if paid := timeOf(t, s["paidThrough"]); paid != next {
			t.Errorf("paid through %s, want one period more: %s", paid, next)
		}
	})
}

// TestTrialConversion: at the end of a self-serve trial the first paid period starts there and
// the saved method is charged for it as for a renewal (one charge however often the job runs, a
// declined charge walking the dunning schedule); without a saved method nothing is charged and the
// subscription lapses as an unpaid renewal does.
func TestTrialConversion(t *testing.T) {
	st.ForEachBackend(t, func(t *testing.T, b dbtest.Backend) {
		for _, declined := range []bool{false, true} {
			w := newRecurringWorld(t, b) // bob paid for Pro, and his method was saved
			team := w.createPlan(t, map[string]any{"name": "Team", "price": "700.00", "currency": "RUB", "trialDays": 7})
			carol := w.s.Signup(t, "Carol") // no saved method
			w.s.SetRole(t, carol.ID, "USER")
			carol.Token = w.s.Signin(t, carol)
			trial := `mutation($p: ID!) { subscribe(planId: $p, returnUrl: "https://app.example.com/b") {
				transaction { id } subscription { id status trialEnd currentPeriodEnd paidThrough } } }`
			d := w.s.MustQuery(t, w.bob.Token, trial, "p", team)
			w.s.MustQuery(t, carol.Token, trial, "p", team)
			s := st.Get(d, "subscribe.subscription").(map[string]any)
			te := timeOf(t, s["trialEnd"])
			if s["status"] != "TRIALING" || st.Get(d, "subscribe.transaction") != nil || te != w.clock.Now().Truncate(time.Second).AddDate(0, 0, 7) ||
				s["currentPeriodEnd"] != s["trialEnd"] || s["paidThrough"] != s["trialEnd"] {
				t.Fatalf("trial = %s, want TRIALING for 7 days, its period and paid time ending with it", toString(s))
			}
			if declined {
				w.yk.FailCharges(1, "insufficient_funds")
			}
			carolStatus := func() any {
				t.Helper()
				carol.Token = w.s.Signin(t, carol)
				return st.Get(w.s.MustQuery(t, carol.Token, subscriptionState), "mySubscription.status")
			}
			next := te.AddDate(0, 1, 0)
			steps := []struct {
				at            time.Time
				charges       int
				status, carol any
				paid          time.Time
			}{
				{te.Add(-time.Hour), 0, "TRIALING", "TRIALING", te},                         // no charge during the trial
				{te.Add(time.Minute), 1, "ACTIVE", "PAST_DUE", next},                        // charged at its end for the month after it
				{te.Add(2 * time.Minute), 1, "ACTIVE", "PAST_DUE", next},                    // once
				{next.Add(-12 * time.Hour), 2, "ACTIVE", "PAST_DUE", next.AddDate(0, 1, 0)}, // the next renewal, as usual
			}
			if declined {
				steps = []struct {
					at            time.Time
					charges       int
					status, carol any
					paid          time.Time
				}{
					{te.Add(-time.Hour), 0, "TRIALING", "TRIALING", te},
					{te.Add(time.Minute), 1, "PAST_DUE", "PAST_DUE", te},                // declined: unpaid from the trial's end
					{te.Add(23 * time.Hour), 1, "PAST_DUE", "PAST_DUE", te},             // the first retry is a day later
					{te.Add(24*time.Hour + time.Minute), 2, "ACTIVE", "PAST_DUE", next}, // and succeeds
				}
			}
			for i, step := range steps {
				w.at(t, step.at)
				if got := w.yk.Charges(); got != step.charges {
					t.Fatalf("declined=%v step %d: %d charges, want %d", declined, i, got, step.charges)
				}
				sub := w.sub(t)
				if sub["id"] != s["id"] || sub["status"] != step.status {
					t.Fatalf("declined=%v step %d: subscription %s, want %v (the same row)", declined, i, toString(sub), step.status)
				}
				if got := carolStatus(); got != step.carol {
					t.Fatalf("declined=%v step %d: carol's subscription %v, want %v", declined, i, got, step.carol)
				}
				if paid := timeOf(t, sub["paidThrough"]); paid != step.paid {
					t.Fatalf("declined=%v step %d: paid through %s, want %s", declined, i, paid, step.paid)
				}
				if i == 0 {
					continue
				}
				if timeOf(t, sub["currentPeriodStart"]) != te || timeOf(t, sub["currentPeriodEnd"]) != next {
					t.Fatalf("declined=%v step %d: period %v – %v, want the month from the trial's end %s – %s",
						declined, i, sub["currentPeriodStart"], sub["currentPeriodEnd"], te, next)
				}
			}
			// The charges are for the trial's subscription, at the plan's price.
			q := `query($s: String) { myTransactions(first: 10, where: {subscriptionID: $s}, orderBy: {field: CREATED_AT, direction: ASC}) {
				edges { node { amount status } } } }`
			want := `[{"node":{"amount":"700.00","status":"SUCCEEDED"}},{"node":{"amount":"700.00","status":"SUCCEEDED"}}]`
			if declined {
				want = `[{"node":{"amount":"700.00","status":"CANCELED"}},{"node":{"amount":"700.00","status":"SUCCEEDED"}}]`
			}
			if got := toString(st.Get(w.s.MustQuery(t, w.bob.Token, q, "s", s["id"]), "myTransactions.edges")); got != want {
				t.Errorf("declined=%v: the trial's charges = %s, want %s", declined, got, want)
			}
			if n := auditCount(t, w.s, "RENEWAL_CHARGED"); n != steps[len(steps)-1].charges {
				t.Errorf("declined=%v: RENEWAL_CHARGED entries = %d, want %d", declined, n, steps[len(steps)-1].charges)
			}
			// Carol, never charged, lapses a period after the trial's end as an unpaid renewal does.
			w.at(t, next.Add(time.Minute))
			if got := carolStatus(); got != nil {
				t.Errorf("declined=%v: carol's subscription after the grace period = %v, want none", declined, got)
			}
		}
	})
}

// TestRemoveUserPaymentMethod: an admin removes a user's saved method, with the same effect as the
// user's own removal; a user cannot remove another's, and a second removal is NOT_FOUND.
func TestRemoveUserPaymentMethod(t *testing.T) {
	st.ForEachBackend(t, func(t *testing.T, b dbtest.Backend) {
		w := newRecurringWorld(t, b)
		remove := `mutation($u: ID!) { removeUserPaymentMethod(userId: $u) }`
		method := `query($u: ID!) { paymentMethod(userId: $u) { title cardLast4 } }`
		if got := st.Get(w.s.MustQuery(t, w.admin.Token, method, "u", w.bob.ID), "paymentMethod"); got == nil {
			t.Fatal("bob has no saved method before the removal")
		}
		wantCode(t, w.s.Query(t, w.bob.Token, remove, "u", w.bob.ID), "FORBIDDEN")
		wantCode(t, w.s.Query(t, w.admin.Token, remove, "u", w.admin.ID), "NOT_FOUND")
		if n := auditCount(t, w.s, "PAYMENT_METHOD_REMOVED"); n != 0 {
			t.Fatalf("PAYMENT_METHOD_REMOVED entries after refusals = %d, want 0", n)
		}
		if got := st.Get(w.s.MustQuery(t, w.admin.Token, remove, "u", w.bob.ID), "removeUserPaymentMethod"); got != true {
			t.Fatalf("removeUserPaymentMethod = %v", got)
		}
		wantCode(t, w.s.Query(t, w.admin.Token, remove, "u", w.bob.ID), "NOT_FOUND")
		if got := st.Get(w.s.MustQuery(t, w.admin.Token, method, "u", w.bob.ID), "paymentMethod"); got != nil {
			t.Errorf("paymentMethod after removal = %v", got)
		}
		if got := st.Get(w.s.MustQuery(t, w.bob.Token, `{ myPaymentMethod { title } }`), "myPaymentMethod"); got != nil {
			t.Errorf("myPaymentMethod after removal = %v", got)
		}
		if n := auditCount(t, w.s, "PAYMENT_METHOD_REMOVED"); n != 1 {
			t.Errorf("PAYMENT_METHOD_REMOVED entries = %d, want 1", n)
		}
		end := timeOf(t, w.sub(t)["currentPeriodEnd"])
		w.at(t, end.Add(-time.Hour))
		w.at(t, end.Add(time.Minute))
		if got := w.sub(t)["status"]; got != "PAST_DUE" || w.yk.Charges() != 0 {
			t.Fatalf("after the period: %v with %d charges, want PAST_DUE and none", got, w.yk.Charges())
		}
	})
}

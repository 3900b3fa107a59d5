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

const previewQuery = `query($p: ID!) { planChangePreview(planId: $p) { kind currentPlanId planId effectiveAt
	price { amount } credit { amount } amountDue { amount } } }`

const changePlanMutation = `mutation($p: ID!) { changePlan(planId: $p, returnUrl: "https://app.example.com/billing") {
	preview { kind amountDue { amount } } subscription { planID scheduledPlanID } transaction { amount status providerPaymentID } confirmationUrl } }`

const mySubQuery = `{ mySubscription { id planID status scheduledPlanID cancelAtPeriodEnd replacesID currentPeriodEnd price { amount } } }`

// TestPlanChanges walks one customer through an upgrade with proration (checked by hand), a
// scheduled downgrade and its undo, a cancellation's undo, and a pause and resume.
func TestPlanChanges(t *testing.T) {
	st.ForEachBackend(t, func(t *testing.T, b dbtest.Backend) {
		yk := yookassatest.NewServer("shop-1", "test_secret")
		defer yk.Close()
		clock := st.NewClock(time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC))
		w := newBillingWorld(t, b, st.WithClock(clock.Now), st.WithEnv(map[string]string{
			"YOOKASSA_SHOP_ID": "shop-1", "YOOKASSA_SECRET_KEY": "test_secret", "YOOKASSA_API_URL": yk.URL(),
		}))
		basic := w.createPlan(t, map[string]any{"name": "Basic", "price": "300.00", "currency": "RUB"})
		pro := w.createPlan(t, map[string]any{"name": "Pro", "price": "900.00", "currency": "RUB"})
		pay := func(payID string) {
			t.Helper()
			if err := yk.SetStatus(payID, payments.Succeeded); err != nil {
				t.Fatal(err)
			}
			body, _ := yk.Notification("payment.succeeded", payID)
			if got := postWebhook(t, w.s, body); got != http.StatusOK {
				t.Fatalf("webhook status = %d", got)
			}
		}
		sub := func() map[string]any {
			t.Helper()
			return w.s.MustQuery(t, w.bob.Token, mySubQuery)["mySubscription"].(map[string]any)
		}

		// Bob buys basic on Mar 1: paid for Mar 1 – Apr 1 (31 days).
		d := w.s.MustQuery(t, w.bob.Token, subscribeMutation, "p", basic, "r", "https://app.example.com/billing")
		pay(st.Get(d, "subscribe.transaction.providerPaymentID").(string))
		basicRow := sub()

		// Mar 11: 10 days used, 21 unused. Credit 300.00 × 21/31 = 203.2258.. → 203.23; due
		// 900.00 − 203.23 = 696.77.
		clock.Advance(10 * 24 * time.Hour)
		w.bob.Token = w.s.Signin(t, w.bob)
		pv := w.s.MustQuery(t, w.bob.Token, previewQuery, "p", pro)["planChangePreview"].(map[string]any)
		if got := toString(pv); got != `{"amountDue":{"amount":"696.77"},"credit":{"amount":"203.23"},"currentPlanId":"`+basic+`","effectiveAt":"2025-03-11T00:00:00Z","kind":"UPGRADE","planId":"`+pro+`","price":{"amount":"900.00"}}` {
			t.Errorf("upgrade preview = %s", got)
		}
		wantCode(t, w.s.Query(t, w.bob.Token, previewQuery, "p", basic), "CONFLICT") // already on it
		d = w.s.MustQuery(t, w.bob.Token, changePlanMutation, "p", pro)
		if st.Get(d, "changePlan.transaction.amount") != "696.77" || st.Get(d, "changePlan.transaction.status") != "PENDING" || st.Get(d, "changePlan.confirmationUrl") == nil {
			t.Fatalf("upgrade = %s", toString(d))
		}
		if p, _ := yk.Payment(st.Get(d, "changePlan.transaction.providerPaymentID").(string)); p.AmountMinor != 69677 {
			t.Errorf("provider payment = %d minor, want 69677", p.AmountMinor)
		}
		if sub()["planID"] != basic {
			t.Fatal("the upgrade took effect before it was paid")
		}
		pay(st.Get(d, "changePlan.transaction.providerPaymentID").(string))
		proRow := sub()
		if proRow["planID"] != pro || proRow["replacesID"] != basicRow["id"] || st.Get(proRow, "price.amount") != "900.00" ||
			proRow["currentPeriodEnd"] != "2025-04-11T00:00:00Z" {
			t.Fatalf("after paying the upgrade: %s", toString(proRow))
		}

		// Downgrade: scheduled for Apr 11, nothing to pay; undone; scheduled again.
		pv = w.s.MustQuery(t, w.bob.Token, previewQuery, "p", basic)["planChangePreview"].(map[string]any)
		if pv["kind"] != "DOWNGRADE" || pv["effectiveAt"] != "2025-04-11T00:00:00Z" || st.Get(pv, "amountDue.amount") != "0.00" {
			t.Errorf("downgrade preview = %s", toString(pv))
		}
		d = w.s.MustQuery(t, w.bob.Token, changePlanMutation, "p", basic)
		if st.Get(d, "changePlan.subscription.scheduledPlanID") != basic || st.Get(d, "changePlan.transaction") != nil {
			t.Fatalf("downgrade = %s", toString(d))
		}
		w.s.MustQuery(t, w.bob.Token, `mutation { undoCancelSubscription { id } }`)
		if s := sub(); s["scheduledPlanID"] != nil || s["planID"] != pro {
			t.Fatalf("after undo: %s", toString(s))
		}
		wantCode(t, w.s.Query(t, w.bob.Token, `mutation { undoCancelSubscription { id } }`), "CONFLICT")
		w.s.MustQuery(t, w.bob.Token, changePlanMutation, "p", basic)
		clock.Advance(31 * 24 * time.Hour) // Apr 11
		if _, err := w.s.App.Renewer.RunOnce(context.Background(), clock.Now()); err != nil {
			t.Fatal(err)
		}
		w.bob.Token, w.admin.Token = w.s.Signin(t, w.bob), w.s.Signin(t, w.admin)
		down := sub()
		if down["planID"] != basic || down["replacesID"] != proRow["id"] || st.Get(down, "price.amount") != "300.00" || down["scheduledPlanID"] != nil {
			t.Fatalf("after the period end: %s, want basic continuing the pro row", toString(down))
		}

		// A cancellation at period end is undone.
		w.s.MustQuery(t, w.bob.Token, `mutation { cancelSubscription { id } }`)
		if sub()["cancelAtPeriodEnd"] != true {
			t.Fatal("cancel at period end did not stick")
		}
		w.s.MustQuery(t, w.bob.Token, `mutation { undoCancelSubscription { id } }`)
		if sub()["cancelAtPeriodEnd"] != false {
			t.Fatal("undoCancelSubscription left the cancellation")
		}

		// Pause and resume (admins only); each is a linked row, so MRR history keeps the paid time.
		pause := `mutation($u: ID!) { pauseSubscription(userId: $u) { status replacesID } }`
		wantCode(t, w.s.Query(t, w.bob.Token, pause, "u", w.bob.ID), "FORBIDDEN")
		d = w.s.MustQuery(t, w.admin.Token, pause, "u", w.bob.ID)
		if st.Get(d, "pauseSubscription.status") != "PAUSED" || st.Get(d, "pauseSubscription.replacesID") != down["id"] {
			t.Fatalf("pause = %s", toString(d))
		}
		wantCode(t, w.s.Query(t, w.admin.Token, pause, "u", w.bob.ID), "CONFLICT")
		d = w.s.MustQuery(t, w.admin.Token, `mutation($u: ID!) { resumeSubscription(userId: $u) { status planID } }`, "u", w.bob.ID)
		if st.Get(d, "resumeSubscription.status") != "ACTIVE" || st.Get(d, "resumeSubscription.planID") != basic {
			t.Fatalf("resume = %s", toString(d))
		}
	})
}

// TestPlanTrialForSelfServe: a plan's trial starts without a payment, once per account.
func TestPlanTrialForSelfServe(t *testing.T) {
	st.ForEachBackend(t, func(t *testing.T, b dbtest.Backend) {
		yk := yookassatest.NewServer("shop-1", "test_secret")
		defer yk.Close()
		w := newBillingWorld(t, b, st.WithEnv(map[string]string{
			"YOOKASSA_SHOP_ID": "shop-1", "YOOKASSA_SECRET_KEY": "test_secret", "YOOKASSA_API_URL": yk.URL(),
		}))
		trial := w.createPlan(t, map[string]any{"name": "Trial", "price": "500.00", "currency": "RUB", "trialDays": 7})
		wantField(t, w.s.Query(t, w.admin.Token, createPlanMutation, "in", map[string]any{"name": "Bad", "price": "1", "currency": "RUB", "trialDays": 400}), "BAD_USER_INPUT", "trialDays")
		d := w.s.MustQuery(t, w.bob.Token, `mutation($p: ID!) { subscribe(planId: $p, returnUrl: "https://app.example.com/b") {
			transaction { id } subscription { status trialEnd complimentary } } }`, "p", trial)
		if st.Get(d, "subscribe.transaction") != nil || st.Get(d, "subscribe.subscription.status") != "TRIALING" ||
			st.Get(d, "subscribe.subscription.complimentary") != false || st.Get(d, "subscribe.subscription.trialEnd") == nil {
			t.Fatalf("trial subscribe = %s", toString(d))
		}
		if yk.Count() != 0 {
			t.Errorf("a trial created %d provider payments", yk.Count())
		}
		// A second time the plan is paid for.
		w.s.MustQuery(t, w.bob.Token, `mutation { cancelSubscription(immediate: true) { id } }`)
		d = w.s.MustQuery(t, w.bob.Token, subscribeMutation, "p", trial, "r", "https://app.example.com/b")
		if st.Get(d, "subscribe.transaction.amount") != "500.00" {
			t.Fatalf("second subscribe = %s, want a payment of 500.00", toString(d))
		}
	})
}

// TestMoveSubscribers: the dry run reports how many, the MRR change and the quota conflicts and
// changes nothing; the move itself keeps periods and usage; atPeriodEnd schedules.
func TestMoveSubscribers(t *testing.T) {
	st.ForEachBackend(t, func(t *testing.T, b dbtest.Backend) {
		w := newBillingWorld(t, b)
		legacy := w.createPlan(t, map[string]any{"name": "Legacy", "price": "500.00", "currency": "RUB",
			"quotas": []map[string]any{{"metric": "REQUESTS", "limit": 100}}})
		modern := w.createPlan(t, map[string]any{"name": "Modern", "price": "400.00", "currency": "RUB",
			"quotas": []map[string]any{{"metric": "REQUESTS", "limit": 50}}})
		cy, dee := w.s.Signup(t, "Cy"), w.s.Signup(t, "Dee")
		paid := `mutation($u: ID!, $p: ID!) { assignPlan(userId: $u, planId: $p, complimentary: false) { id } }`
		w.s.MustQuery(t, w.admin.Token, paid, "u", w.bob.ID, "p", legacy)
		w.s.MustQuery(t, w.admin.Token, paid, "u", cy.ID, "p", legacy)
		w.assign(t, dee.ID, legacy) // complimentary: no MRR either side
		if r := w.record(t, w.admin.Token, map[string]any{"userId": w.bob.ID, "metric": "REQUESTS", "amount": 60}); len(r.Errors) > 0 {
			t.Fatalf("recordUsage: %s", r.Raw)
		}
		move := `mutation($f: ID!, $t: ID!, $e: Boolean!, $d: Boolean!) { moveSubscribers(fromPlanId: $f, toPlanId: $t, atPeriodEnd: $e, dryRun: $d) {
			dryRun atPeriodEnd subscriptions mrrChange { currency amount } quotaConflicts { metric limit subscriptions } } }`
		wantCode(t, w.s.Query(t, w.bob.Token, move, "f", legacy, "t", modern, "e", false, "d", true), "FORBIDDEN")
		wantField(t, w.s.Query(t, w.admin.Token, move, "f", legacy, "t", legacy, "e", false, "d", true), "BAD_USER_INPUT", "toPlanId")
		wantCode(t, w.s.Query(t, w.admin.Token, move, "f", "nope", "t", modern, "e", false, "d", true), "NOT_FOUND")

		// Two paying subscribers lose 100.00 each; Bob's 60 requests exceed Modern's 50.
		want := `{"atPeriodEnd":false,"dryRun":true,"mrrChange":[{"amount":"-200.00","currency":"RUB"}],"quotaConflicts":[{"limit":50,"metric":"REQUESTS","subscriptions":1}],"subscriptions":3}`
		d := w.s.MustQuery(t, w.admin.Token, move, "f", legacy, "t", modern, "e", false, "d", true)
		if got := toString(d["moveSubscribers"]); got != want {
			t.Errorf("dry run = %s\nwant %s", got, want)
		}
		count := func(plan string) any {
			return st.Get(w.s.MustQuery(t, w.admin.Token, `query($p: ID!) { plan(id: $p) { stats { activeSubscriptions } } }`, "p", plan), "plan.stats.activeSubscriptions")
		}
		if count(legacy) != float64(3) || count(modern) != float64(0) {
			t.Fatalf("the dry run moved subscribers: legacy %v, modern %v", count(legacy), count(modern))
		}

		d = w.s.MustQuery(t, w.admin.Token, move, "f", legacy, "t", modern, "e", true, "d", false)
		if st.Get(d, "moveSubscribers.subscriptions") != float64(3) {
			t.Fatalf("scheduled move = %s", toString(d))
		}
		if got := st.Get(w.s.MustQuery(t, w.bob.Token, mySubQuery), "mySubscription.scheduledPlanID"); got != modern {
			t.Errorf("scheduled plan = %v, want %s", got, modern)
		}
		w.s.MustQuery(t, w.admin.Token, move, "f", legacy, "t", modern, "e", false, "d", false)
		if count(legacy) != float64(0) || count(modern) != float64(3) {
			t.Fatalf("after the move: legacy %v, modern %v", count(legacy), count(modern))
		}
		// The plan's history keeps the ended subscriptions; live: true lists who is on it now.
		subscribers := func(plan string, live bool) any {
			q := `query($p: ID!, $l: Boolean) { plan(id: $p) { subscribers(first: 10, live: $l) { totalCount } } }`
			return st.Get(w.s.MustQuery(t, w.admin.Token, q, "p", plan, "l", live), "plan.subscribers.totalCount")
		}
		for _, c := range []struct {
			name string
			plan string
			live bool
			want float64
		}{
			{"legacy, every subscription", legacy, false, 3},
			{"legacy, live", legacy, true, 0},
			{"modern, live", modern, true, 3},
		} {
			if got := subscribers(c.plan, c.live); got != c.want {
				t.Errorf("%s: subscribers = %v, want %v", c.name, got, c.want)
			}
		}
		u := w.s.MustQuery(t, w.bob.Token, `{ myUsage { metrics { metric used limit } } }`)
		for _, m := range st.Get(u, "myUsage.metrics").([]any) {
			if mm := m.(map[string]any); mm["metric"] == "REQUESTS" && (mm["used"] != float64(60) || mm["limit"] != float64(50)) {
				t.Errorf("Bob's requests after the move = %v, want 60 used of 50", mm)
			}
		}
	})
}

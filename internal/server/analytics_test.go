package server_test

import (
	"context"
	"testing"
	"time"

	"github.com/steward-dev/steward/internal/authz"
	"github.com/steward-dev/steward/internal/db/dbtest"
	st "github.com/steward-dev/steward/internal/servertest"
)

const overviewFields = `mrr { currency amount } arr { currency amount } newSubscriptions canceledSubscriptions
	activeAtStart activeAtEnd churnRate complimentary { subscriptions mrr { currency amount } } revenue { currency amount } revenueByMonth { month amounts { currency amount } }
	usage { metric total }`

// TestAnalyticsThroughGraphQL checks the figures on a small hand-computed fixture: a monthly USD
// plan, a yearly EUR plan (120.00 a year is 10.00 a month), a free plan and a trial.
func TestAnalyticsThroughGraphQL(t *testing.T) {
	st.ForEachBackend(t, func(t *testing.T, b dbtest.Backend) {
		w := newBillingWorld(t, b)
		monthly := w.createPlan(t, map[string]any{"name": "Monthly", "price": "10.00", "currency": "USD",
			"quotas": []map[string]any{{"metric": "REQUESTS", "limit": 100}}})
		yearly := w.createPlan(t, map[string]any{"name": "Yearly", "price": "120.00", "currency": "EUR", "interval": "YEAR"})
		free := w.createPlan(t, map[string]any{"name": "Free", "price": "0", "currency": "USD"})
		cy, dee, eve := w.s.Signup(t, "Cy"), w.s.Signup(t, "Dee"), w.s.Signup(t, "Eve")
		// Bob and Cy pay outside the provider (complimentary: false); Fay's plan is a gift.
		paidAssign := `mutation($u: ID!, $p: ID!) { assignPlan(userId: $u, planId: $p, complimentary: false) { complimentary } }`
		w.s.MustQuery(t, w.admin.Token, paidAssign, "u", w.bob.ID, "p", monthly)
		w.s.MustQuery(t, w.admin.Token, paidAssign, "u", cy.ID, "p", yearly)
		w.assign(t, dee.ID, free)
		w.s.MustQuery(t, w.admin.Token, `mutation($u: ID!, $p: ID!) { assignPlan(userId: $u, planId: $p, trialDays: 14, complimentary: false) { status } }`, "u", eve.ID, "p", monthly)
		fay := w.s.Signup(t, "Fay")
		gift := w.createPlan(t, map[string]any{"name": "Gift", "price": "10.00", "currency": "USD"})
		if d := w.s.MustQuery(t, w.admin.Token, `mutation($u: ID!, $p: ID!) { assignPlan(userId: $u, planId: $p) { complimentary price { currency amount } } }`, "u", fay.ID, "p", gift); toString(d["assignPlan"]) != `{"complimentary":true,"price":{"amount":"10.00","currency":"USD"}}` {
			t.Errorf("assignPlan without payment = %s, want a complimentary subscription at 10.00 USD", toString(d["assignPlan"]))
		}
		for _, amount := range []int{20, 10} {
			if r := w.record(t, w.admin.Token, map[string]any{"userId": w.bob.ID, "metric": "REQUESTS", "amount": amount}); len(r.Errors) > 0 {
				t.Fatalf("recordUsage: %s", r.Raw)
			}
		}
		// One succeeded payment of 10.00 USD, as a webhook would leave it.
		ctx := authz.AsOperator(context.Background())
		now := time.Now().UTC()
		if err := w.s.App.DB.Client.Transaction.Create().SetUserID(w.bob.ID).SetPlanID(monthly).SetAmountMinor(1000).
			SetCurrency("USD").SetStatus("SUCCEEDED").SetProvider("yookassa").SetProcessedAt(now).Exec(ctx); err != nil {
			t.Fatal(err)
		}

		stats := w.s.MustQuery(t, w.admin.Token, `{ plans { id stats { activeSubscriptions totalSubscriptions mrr { currency amount } } } }`)
		want := map[string]string{monthly: "USD 10.00", yearly: "EUR 10.00", free: "USD 0.00", gift: "USD 0.00"}
		for _, p := range stats["plans"].([]any) {
			pm := p.(map[string]any)
			got := st.Get(pm, "stats.mrr.currency").(string) + " " + st.Get(pm, "stats.mrr.amount").(string)
			if got != want[pm["id"].(string)] {
				t.Errorf("plan %s MRR = %s, want %s (trials and free plans do not count)", pm["id"], got, want[pm["id"].(string)])
			}
		}

		from, to := now.AddDate(0, 0, -1).Format(time.RFC3339), now.AddDate(0, 0, 1).Format(time.RFC3339)
		d := w.s.MustQuery(t, w.admin.Token, `query($f: Time!, $t: Time!) { billingOverview(from: $f, to: $t) { `+overviewFields+` } }`, "f", from, "t", to)
		o := d["billingOverview"].(map[string]any)
		if got := toString(o["mrr"]); got != `[{"amount":"10.00","currency":"EUR"},{"amount":"10.00","currency":"USD"}]` {
			t.Errorf("MRR = %s", got)
		}
		if got := toString(o["arr"]); got != `[{"amount":"120.00","currency":"EUR"},{"amount":"120.00","currency":"USD"}]` {
			t.Errorf("ARR = %s", got)
		}
		if num(o["newSubscriptions"]) != 5 || num(o["canceledSubscriptions"]) != 0 || o["churnRate"] != float64(0) {
			t.Errorf("counts = new %v canceled %v churn %v, want 5, 0, 0", o["newSubscriptions"], o["canceledSubscriptions"], o["churnRate"])
		}
		// Fay's gift is on its own line, at what it would be worth.
		if got := toString(o["complimentary"]); got != `{"mrr":[{"amount":"10.00","currency":"USD"}],"subscriptions":1}` {
			t.Errorf("complimentary = %s", got)
		}
		if got := toString(o["revenue"]); got != `[{"amount":"10.00","currency":"USD"}]` {
			t.Errorf("revenue = %s", got)
		}
		usage := map[string]float64{}
		for _, u := range o["usage"].([]any) {
			usage[u.(map[string]any)["metric"].(string)] = u.(map[string]any)["total"].(float64)
		}
		if usage["REQUESTS"] != 30 || usage["TOKENS_INPUT"] != 0 {
			t.Errorf("usage = %v, want REQUESTS 30", usage)
		}
		// Day by day: yesterday and today (the range's days up to now), every metric, today's 30.
		days := st.Get(w.s.MustQuery(t, w.admin.Token, `query($f: Time!, $t: Time!) { billingOverview(from: $f, to: $t) { usageByDay { day totals { metric total } } } }`,
			"f", from, "t", to), "billingOverview.usageByDay").([]any)
		today := now.Truncate(24 * time.Hour).Format(time.RFC3339)
		if len(days) != 2 || st.Get(days[1], "day") != today || len(st.Get(days[0], "totals").([]any)) != len(usage) {
			t.Fatalf("usageByDay = %v, want yesterday and today (%s) with every metric", days, today)
		}
		for i, want := range []float64{0, 30} {
			for _, tot := range st.Get(days[i], "totals").([]any) {
				if st.Get(tot, "metric") == "REQUESTS" && st.Get(tot, "total") != want {
					t.Errorf("day %d REQUESTS = %v, want %v", i, st.Get(tot, "total"), want)
				}
			}
		}

		pa := w.s.MustQuery(t, w.admin.Token, `query($p: ID!, $f: Time!, $t: Time!) { planAnalytics(planId: $p, from: $f, to: $t) { mrr { currency amount } newSubscriptions } }`,
			"p", yearly, "f", from, "t", to)
		if got := toString(st.Get(pa, "planAnalytics.mrr")); got != `[{"amount":"10.00","currency":"EUR"}]` || num(st.Get(pa, "planAnalytics.newSubscriptions")) != 1 {
			t.Errorf("planAnalytics(yearly) = %v", pa)
		}

		sub := w.s.MustQuery(t, w.admin.Token, `query($p: ID!) { plan(id: $p) { subscribers(first: 10) { totalCount edges { node {
			user { id } subscription { status } usage { metrics { metric used limit } } } } } } }`, "p", monthly)
		edges := st.Get(sub, "plan.subscribers.edges").([]any)
		if len(edges) != 2 {
			t.Fatalf("monthly subscribers = %d, want 2 (Bob and Eve's trial)", len(edges))
		}
		var bobUsage any
		for _, e := range edges {
			if st.Get(e, "node.user.id") == w.bob.ID {
				bobUsage = st.Get(e, "node.usage.metrics")
			}
		}
		if toString(bobUsage) == "" || !containsMetric(bobUsage, "REQUESTS", 30, 100) {
			t.Errorf("Bob's usage = %s, want REQUESTS 30 of 100", toString(bobUsage))
		}

		cases := []struct{ name, query, code string }{
			{"overview by a user", `query($f: Time!, $t: Time!) { billingOverview(from: $f, to: $t) { newSubscriptions } }`, "FORBIDDEN"},
			{"stats by a user", `{ plans { stats { totalSubscriptions } } }`, "FORBIDDEN"},
		}
		for _, c := range cases {
			wantCode(t, w.s.Query(t, w.bob.Token, c.query, "f", from, "t", to), c.code)
		}
		backwards := w.s.Query(t, w.admin.Token, `query($f: Time!, $t: Time!) { billingOverview(from: $f, to: $t) { newSubscriptions } }`, "f", to, "t", from)
		wantField(t, backwards, "BAD_USER_INPUT", "to")
		// The message names the field once: clients show it under the field's label.
		if got, want := backwards.Errors[0].Message, "to: must be after from"; got != want {
			t.Errorf("message = %q, want %q", got, want)
		}
	})
}

func containsMetric(metrics any, name string, used, limit float64) bool {
	list, _ := metrics.([]any)
	for _, m := range list {
		mm := m.(map[string]any)
		if mm["metric"] == name && mm["used"] == used && mm["limit"] == limit {
			return true
		}
	}
	return false
}

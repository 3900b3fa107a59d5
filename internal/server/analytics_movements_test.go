package server_test

import (
	"context"
	"testing"
	"time"

	"github.com/steward-dev/steward/internal/db/dbtest"
	st "github.com/steward-dev/steward/internal/servertest"
)

// movementsWorld drives four months of a small business through the API on a settable clock,
// running the renewer after every step as the background job would.
type movementsWorld struct {
	billingWorld
	clock *st.Clock
}

// at moves the clock to t, runs the renewer, and signs the admin in again (tokens age with the
// clock).
func (w *movementsWorld) at(t *testing.T, when time.Time) {
	t.Helper()
	w.clock.Advance(when.Sub(w.clock.Now()))
	if _, err := w.s.App.Renewer.RunOnce(context.Background(), when); err != nil {
		t.Fatalf("renewer at %s: %v", when, err)
	}
	w.admin.Token = w.s.Signin(t, w.admin)
}

func (w *movementsWorld) assignPaid(t *testing.T, userID, planID string, trialDays int) {
	t.Helper()
	vars := []any{"u", userID, "p", planID}
	q := `mutation($u: ID!, $p: ID!) { assignPlan(userId: $u, planId: $p, complimentary: false) { id } }`
	if trialDays > 0 {
		q = `mutation($u: ID!, $p: ID!, $d: Int) { assignPlan(userId: $u, planId: $p, complimentary: false, trialDays: $d) { id } }`
		vars = append(vars, "d", trialDays)
	}
	w.s.MustQuery(t, w.admin.Token, q, vars...)
}

func (w *movementsWorld) cancelNow(t *testing.T, userID string) {
	t.Helper()
	w.s.MustQuery(t, w.admin.Token, `mutation($u: ID!) { cancelUserSubscription(userId: $u, immediate: true) { status } }`, "u", userID)
}

// pause pauses (op "pause") or resumes (op "resume") a user's subscription.
func (w *movementsWorld) pause(t *testing.T, userID, op string) {
	t.Helper()
	w.s.MustQuery(t, w.admin.Token, `mutation($u: ID!) { `+op+`Subscription(userId: $u) { status } }`, "u", userID)
}

// overview reads billingOverview of [from, to) with every figure the fixture checks.
func (w *movementsWorld) overview(t *testing.T, from, to time.Time) map[string]any {
	t.Helper()
	d := w.s.MustQuery(t, w.admin.Token, `query($f: Time!, $t: Time!) { billingOverview(from: $f, to: $t) {
		mrr { currency amount } arr { currency amount } complimentary { subscriptions mrr { currency amount } }
		newSubscriptions canceledSubscriptions activeAtStart activeAtEnd churnRate
		trialsEnded trialsConverted trialConversionRate `+customersFields+` } }`,
		"f", from.Format(time.RFC3339), "t", to.Format(time.RFC3339))
	return d["billingOverview"].(map[string]any)
}

func day(m time.Month, d int) time.Time { return time.Date(2025, m, d, 0, 0, 0, 0, time.UTC) }

const customersFields = `customers {
	months { month currencies { currency startMrr { amount } new { amount } reactivated { amount } expansion { amount }
		contraction { amount } churned { amount } net { amount } endMrr { amount }
		newCustomers reactivatedCustomers expansionCustomers contractionCustomers churnedCustomers } }
	payingAtStart { currency customers } payingAtEnd { currency customers }
	arpu { currency amount } netRevenueRetention { currency startMrr { amount } retainedMrr { amount } rate } }`

// TestMRRMovementsFixture checks every customer-level figure on a hand-computed history. All
// plans are monthly, so a customer's MRR is their subscription's own price.
//
//	basic 590.00 RUB (690.00 from Feb 1, price version 2), pro 1490.00 RUB, usd 10.00 USD
//	Jan  2  E takes usd (paid)                 Feb 14  E canceled at once: churn
//	Jan  5  A takes basic at 590               Feb  5  A renews onto 690 (new price version)
//	                                           Feb 10  A upgrades to pro 1490
//	Jan 10  B takes pro 1490                   Mar  3  B downgrades to basic 690
//	Jan 15  C is given basic (complimentary)   Feb 15  C renews onto 690, still complimentary
//	Jan 20  D takes basic at 590               Feb 20  D renews onto 690
//	Mar  1  F takes pro with a 14-day trial    Mar 15  trial ends: F pays 1490 (converted)
//	Mar  5  G takes basic with a 14-day trial  Mar 10  G canceled within the trial (not converted)
//	Mar 20  H takes usd                        Apr  2  E takes usd again: reactivation
//	Mar 25  D is paused: churn                 Apr 10  D is resumed: reactivation
//
// Paying customers' MRR at each month start (C never counts, G never paid, D not while paused):
//
//	Jan 1: none.  Feb 1: A 590, B 1490, D 590 = RUB 2670; E = USD 10.
//	Mar 1: A 1490, B 1490, D 690 = RUB 3670; USD 0.
//	Apr 1: A 1490, B 690, F 1490 = RUB 3670; H = USD 10.
//	May 1: A 1490, B 690, D 690, F 1490 = RUB 4360; E 10 + H 10 = USD 20.
func TestMRRMovementsFixture(t *testing.T) {
	st.ForEachBackend(t, func(t *testing.T, b dbtest.Backend) {
		clock := st.NewClock(day(time.January, 1))
		w := &movementsWorld{billingWorld: newBillingWorld(t, b, st.WithClock(clock.Now)), clock: clock}
		basic := w.createPlan(t, map[string]any{"name": "Basic", "price": "590.00", "currency": "RUB"})
		pro := w.createPlan(t, map[string]any{"name": "Pro", "price": "1490.00", "currency": "RUB"})
		usd := w.createPlan(t, map[string]any{"name": "Dollar", "price": "10.00", "currency": "USD"})
		users := map[string]string{}
		for _, n := range []string{"A", "B", "C", "D", "E", "F", "G", "H"} {
			users[n] = w.s.Signup(t, "Customer "+n).ID
		}

		w.at(t, day(time.January, 2))
		w.assignPaid(t, users["E"], usd, 0)
		w.at(t, day(time.January, 5))
		w.assignPaid(t, users["A"], basic, 0)
		w.at(t, day(time.January, 10))
		w.assignPaid(t, users["B"], pro, 0)
		w.at(t, day(time.January, 15))
		w.assign(t, users["C"], basic) // no payment: complimentary
		w.at(t, day(time.January, 20))
		w.assignPaid(t, users["D"], basic, 0)
		w.at(t, day(time.February, 1))
		if d := w.s.MustQuery(t, w.admin.Token, `mutation($id: ID!) { updatePlan(id: $id, input: {price: "690.00"}) { priceVersion } }`, "id", basic); num(st.Get(d, "updatePlan.priceVersion")) != 2 {
			t.Fatalf("price change: %v, want price version 2", d)
		}
		w.at(t, day(time.February, 10)) // the renewer moves A onto 690 at Feb 5 first
		w.assignPaid(t, users["A"], pro, 0)
		w.at(t, day(time.February, 14))
		w.cancelNow(t, users["E"])
		w.at(t, day(time.March, 1)) // C renews onto 690 on Feb 15, D on Feb 20
		w.assignPaid(t, users["F"], pro, 14)
		w.at(t, day(time.March, 3))
		w.assignPaid(t, users["B"], basic, 0)
		w.at(t, day(time.March, 5))
		w.assignPaid(t, users["G"], basic, 14)
		w.at(t, day(time.March, 10))
		w.cancelNow(t, users["G"])
		w.at(t, day(time.March, 20)) // F's trial ended on Mar 15
		w.assignPaid(t, users["H"], usd, 0)
		beforePause := w.overview(t, day(time.February, 1), day(time.March, 20))
		w.at(t, day(time.March, 25))
		w.pause(t, users["D"], "pause")
		w.at(t, day(time.April, 2))
		w.assignPaid(t, users["E"], usd, 0)
		duringPause := w.overview(t, day(time.March, 1), day(time.April, 1))
		w.at(t, day(time.April, 10))
		w.pause(t, users["D"], "resume")
		w.at(t, day(time.May, 1))

		// A's life is three linked rows: basic at 590 (v1), basic at 690 (v2), pro.
		d := w.s.MustQuery(t, w.admin.Token, `query($u: String!) { subscriptions(first: 10, where: {userID: $u}, orderBy: {field: CREATED_AT, direction: ASC}) {
			edges { node { id planID priceVersion complimentary replacesID replacedByID price { amount } } } } }`, "u", users["A"])
		rows := st.Get(d, "subscriptions.edges").([]any)
		if len(rows) != 3 {
			t.Fatalf("A's subscriptions = %s, want 3 rows", toString(rows))
		}
		wantPrices := []string{"590.00", "690.00", "1490.00"}
		for i, r := range rows {
			n := r.(map[string]any)["node"].(map[string]any)
			if got := st.Get(n, "price.amount"); got != wantPrices[i] {
				t.Errorf("A's row %d price = %v, want %s", i, got, wantPrices[i])
			}
			if i > 0 && n["replacesID"] != st.Get(rows[i-1], "node.id") {
				t.Errorf("A's row %d replaces %v, want the row before it", i, n["replacesID"])
			}
			if i < 2 && n["replacedByID"] != st.Get(rows[i+1], "node.id") {
				t.Errorf("A's row %d is replaced by %v, want the row after it", i, n["replacedByID"])
			}
		}

		overview := func(from, to time.Time) map[string]any { t.Helper(); return w.overview(t, from, to) }
		expect := func(o map[string]any, path, want string) {
			t.Helper()
			if got := toString(st.Get(o, path)); got != want {
				t.Errorf("%s = %s, want %s", path, got, want)
			}
		}

		// The whole range, at May 1.
		o := overview(day(time.January, 1), day(time.May, 1))
		expect(o, "mrr", `[{"amount":"4360.00","currency":"RUB"},{"amount":"20.00","currency":"USD"}]`)
		expect(o, "arr", `[{"amount":"52320.00","currency":"RUB"},{"amount":"240.00","currency":"USD"}]`)
		// C's gift: one subscription worth 690.00 a month, in neither MRR nor ARR.
		expect(o, "complimentary", `{"mrr":[{"amount":"690.00","currency":"RUB"}],"subscriptions":1}`)
		// New customers: E A B C D F G H and E again = 9 (A's and B's plan changes, the
		// renewals onto 690 and D's resume are not new customers). Lost: E (Feb 14), G (Mar 10)
		// and D's pause (Mar 25) = 3. Active at May 1: A B C D E F H = 7. Trials: F converted, G
		// did not: 1 / 2.
		expect(o, "newSubscriptions", "9")
		expect(o, "canceledSubscriptions", "3")
		expect(o, "activeAtStart", "0")
		expect(o, "activeAtEnd", "7")
		expect(o, "trialsEnded", "2")
		expect(o, "trialsConverted", "1")
		expect(o, "trialConversionRate", "0.5")
		months := st.Get(o, "customers.months").([]any)
		if len(months) != 4 {
			t.Fatalf("months = %s, want Jan to Apr", toString(months))
		}
		mv := func(start, newA, react, exp, contr, churn, net, end string, nNew, nReact, nExp, nContr, nChurn int) string {
			return toString(map[string]any{"startMrr": map[string]any{"amount": start}, "new": map[string]any{"amount": newA},
				"reactivated": map[string]any{"amount": react}, "expansion": map[string]any{"amount": exp},
				"contraction": map[string]any{"amount": contr}, "churned": map[string]any{"amount": churn},
				"net": map[string]any{"amount": net}, "endMrr": map[string]any{"amount": end},
				"newCustomers": nNew, "reactivatedCustomers": nReact, "expansionCustomers": nExp,
				"contractionCustomers": nContr, "churnedCustomers": nChurn})
		}
		wantMonths := []struct{ month, rub, usd string }{
			// January: A 590, B 1490, D 590 new (C is complimentary); E 10 new.
			{"2025-01", mv("0.00", "2670.00", "0.00", "0.00", "0.00", "0.00", "2670.00", "2670.00", 3, 0, 0, 0, 0),
				mv("0.00", "10.00", "0.00", "0.00", "0.00", "0.00", "10.00", "10.00", 1, 0, 0, 0, 0)},
			// February: A 590 → 1490 (+900: the new price, then the upgrade), D 590 → 690 (+100):
			// expansion 1000 from 2 customers; the upgrade is not churn. E churned 10.
			{"2025-02", mv("2670.00", "0.00", "0.00", "1000.00", "0.00", "0.00", "1000.00", "3670.00", 0, 0, 2, 0, 0),
				mv("10.00", "0.00", "0.00", "0.00", "0.00", "10.00", "-10.00", "0.00", 0, 0, 0, 0, 1)},
			// March: B 1490 → 690 contraction 800; F new 1490 once the trial ended (G never
			// paid); D paused: churned 690. 3670 + 1490 − 800 − 690 = 3670. H new 10.
			{"2025-03", mv("3670.00", "1490.00", "0.00", "0.00", "800.00", "690.00", "0.00", "3670.00", 1, 0, 0, 1, 1),
				mv("0.00", "10.00", "0.00", "0.00", "0.00", "0.00", "10.00", "10.00", 1, 0, 0, 0, 0)},
			// April: D resumed: reactivation 690, not new; E comes back: reactivation 10.
			{"2025-04", mv("3670.00", "0.00", "690.00", "0.00", "0.00", "0.00", "690.00", "4360.00", 0, 1, 0, 0, 0),
				mv("10.00", "0.00", "10.00", "0.00", "0.00", "0.00", "10.00", "20.00", 0, 1, 0, 0, 0)},
		}
		for i, wm := range wantMonths {
			m := months[i].(map[string]any)
			if m["month"] != wm.month {
				t.Errorf("month %d = %v, want %s", i, m["month"], wm.month)
			}
			for j, want := range []string{wm.rub, wm.usd} {
				c := st.Get(m, "currencies."+string(rune('0'+j))).(map[string]any)
				cur := c["currency"]
				delete(c, "currency")
				if got := toString(c); got != want {
					t.Errorf("%s %v movements =\n %s\nwant\n %s", wm.month, cur, got, want)
				}
			}
		}
		expect(o, "customers.payingAtEnd", `[{"currency":"RUB","customers":4},{"currency":"USD","customers":2}]`)
		// ARPU at May 1: RUB 4360 / 4 (A B D F) = 1090.00; USD 20 / 2 = 10.00.
		expect(o, "customers.arpu", `[{"amount":"1090.00","currency":"RUB"},{"amount":"10.00","currency":"USD"}]`)
		// Nobody paid on Jan 1: no retention to speak of.
		expect(o, "customers.netRevenueRetention", `[{"currency":"RUB","rate":null,"retainedMrr":{"amount":"0.00"},"startMrr":{"amount":"0.00"}},{"currency":"USD","rate":null,"retainedMrr":{"amount":"0.00"},"startMrr":{"amount":"0.00"}}]`)

		// From Feb 1: active then A B C D E = 5; lost since E, G and D's pause = 3: churn 0.6 (the
		// upgrade, the downgrade and the renewals onto the new price lose nobody). Net revenue
		// retention: A B D paid 2670 on Feb 1 and pay 1490 + 690 + 690 = 2870 on May 1 (D resumed):
		// 2870 / 2670 = 1.0749; E paid 10 and, reactivated, pays 10 again: 1.
		o = overview(day(time.February, 1), day(time.May, 1))
		expect(o, "activeAtStart", "5")
		expect(o, "canceledSubscriptions", "3")
		expect(o, "churnRate", "0.6")
		expect(o, "customers.payingAtStart", `[{"currency":"RUB","customers":3},{"currency":"USD","customers":1}]`)
		expect(o, "customers.netRevenueRetention", `[{"currency":"RUB","rate":1.0749,"retainedMrr":{"amount":"2870.00"},"startMrr":{"amount":"2670.00"}},{"currency":"USD","rate":1,"retainedMrr":{"amount":"10.00"},"startMrr":{"amount":"10.00"}}]`)

		// March while D is paused. MRR at Apr 1: A 1490 + B 690 + F 1490 = RUB 3670; H = USD 10.
		// Active on Mar 1: A B C D (F trialing) = 4; on Apr 1: A B C F H = 5 (D paused, E and G
		// gone). Lost in March: G and D's pause = 2: churn 2 / 4 = 0.5. Paying on Apr 1: RUB A B F,
		// ARPU 3670 / 3 = 1223.33; USD H, 10.00.
		expect(duringPause, "mrr", `[{"amount":"3670.00","currency":"RUB"},{"amount":"10.00","currency":"USD"}]`)
		expect(duringPause, "activeAtStart", "4")
		expect(duringPause, "activeAtEnd", "5")
		expect(duringPause, "canceledSubscriptions", "2")
		expect(duringPause, "churnRate", "0.5")
		expect(duringPause, "customers.payingAtEnd", `[{"currency":"RUB","customers":3},{"currency":"USD","customers":1}]`)
		expect(duringPause, "customers.arpu", `[{"amount":"1223.33","currency":"RUB"},{"amount":"10.00","currency":"USD"}]`)
		// History is reproducible across the pause: the resume (and everything else since)
		// changes no figure of a range that ended before it, nor one read before the pause.
		if got, want := toString(overview(day(time.March, 1), day(time.April, 1))), toString(duringPause); got != want {
			t.Errorf("March after the resume =\n %s\nwhile D was paused it read\n %s", got, want)
		}
		if got, want := toString(overview(day(time.February, 1), day(time.March, 20))), toString(beforePause); got != want {
			t.Errorf("Feb 1 to Mar 20 after the pause and resume =\n %s\nbefore the pause it read\n %s", got, want)
		}

		// History is reproducible: January still reads the old price, though basic costs 690 now.
		o = overview(day(time.January, 1), day(time.February, 1))
		expect(o, "mrr", `[{"amount":"2670.00","currency":"RUB"},{"amount":"10.00","currency":"USD"}]`)
		expect(o, "complimentary", `{"mrr":[{"amount":"590.00","currency":"RUB"}],"subscriptions":1}`)

		// Plan stats value each subscriber at their own price: basic has B and D at 690 (C is
		// complimentary), pro A and F at 1490.
		d = w.s.MustQuery(t, w.admin.Token, `{ plans { id stats { mrr { currency amount } } } }`)
		wantStats := map[string]string{basic: `{"amount":"1380.00","currency":"RUB"}`, pro: `{"amount":"2980.00","currency":"RUB"}`, usd: `{"amount":"20.00","currency":"USD"}`}
		for _, p := range d["plans"].([]any) {
			id := p.(map[string]any)["id"].(string)
			if got := toString(st.Get(p, "stats.mrr")); got != wantStats[id] {
				t.Errorf("plan %s MRR = %s, want %s", id, got, wantStats[id])
			}
		}
	})
}

// TestMoveSubscribersOntoNewPrice: with moveSubscribers a price change reprices live subscribers
// at once, each continued by a linked subscription that keeps its period and the usage counted in
// it, with an audit entry; without it they keep the old price until renewal.
func TestMoveSubscribersOntoNewPrice(t *testing.T) {
	st.ForEachBackend(t, func(t *testing.T, b dbtest.Backend) {
		w := newBillingWorld(t, b)
		basic := w.createPlan(t, map[string]any{"name": "Basic", "price": "590.00", "currency": "RUB",
			"quotas": []map[string]any{{"metric": "REQUESTS", "limit": 100}}})
		paid := `mutation($u: ID!, $p: ID!) { assignPlan(userId: $u, planId: $p, complimentary: false) { id currentPeriodEnd } }`
		old := w.s.MustQuery(t, w.admin.Token, paid, "u", w.bob.ID, "p", basic)
		if r := w.record(t, w.admin.Token, map[string]any{"userId": w.bob.ID, "metric": "REQUESTS", "amount": 7}); len(r.Errors) > 0 {
			t.Fatalf("recordUsage: %s", r.Raw)
		}
		subscriber := `query($p: ID!) { plan(id: $p) { subscribers(first: 5) { edges { node { subscription { id priceVersion replacesID currentPeriodEnd price { amount } }
			usage { metrics { metric used } } } } } } }`

		// Without the flag Bob keeps 590.00 until his renewal.
		w.s.MustQuery(t, w.admin.Token, `mutation($id: ID!) { updatePlan(id: $id, input: {price: "640.00"}) { priceVersion } }`, "id", basic)
		d := w.s.MustQuery(t, w.admin.Token, subscriber, "p", basic)
		if got := toString(st.Get(d, "plan.subscribers.edges.0.node.subscription.price")); got != `{"amount":"590.00"}` {
			t.Errorf("price after a change without moveSubscribers = %s, want 590.00", got)
		}

		w.s.MustQuery(t, w.admin.Token, `mutation($id: ID!) { updatePlan(id: $id, input: {price: "690.00", moveSubscribers: true}) { priceVersion } }`, "id", basic)
		d = w.s.MustQuery(t, w.admin.Token, subscriber, "p", basic)
		sub := st.Get(d, "plan.subscribers.edges.0.node.subscription").(map[string]any)
		if toString(sub["price"]) != `{"amount":"690.00"}` || num(sub["priceVersion"]) != 3 || sub["replacesID"] != st.Get(old, "assignPlan.id") {
			t.Errorf("moved subscription = %s, want 690.00 at price version 3 replacing %v", toString(sub), st.Get(old, "assignPlan.id"))
		}
		if sub["currentPeriodEnd"] != st.Get(old, "assignPlan.currentPeriodEnd") {
			t.Errorf("period end = %v, want the old one %v", sub["currentPeriodEnd"], st.Get(old, "assignPlan.currentPeriodEnd"))
		}
		if got := toString(st.Get(d, "plan.subscribers.edges.0.node.usage.metrics")); got != `[{"metric":"TOKENS_INPUT","used":0},{"metric":"TOKENS_OUTPUT","used":0},{"metric":"REQUESTS","used":7},{"metric":"IMAGES","used":0},{"metric":"AUDIO_MINUTES","used":0}]` {
			t.Errorf("usage after the move = %s, want the 7 requests carried over", got)
		}
		a := w.s.MustQuery(t, w.admin.Token, `query($id: String) { auditLogs(first: 5, where: {entityId: $id, action: SUBSCRIPTION_RENEWED}) { totalCount } }`, "id", sub["id"])
		if num(st.Get(a, "auditLogs.totalCount")) != 1 {
			t.Errorf("audit entries for the move = %v, want 1", st.Get(a, "auditLogs.totalCount"))
		}
	})
}

package server_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/steward-dev/steward/ent/plansubscription"
	"github.com/steward-dev/steward/internal/authz"
	"github.com/steward-dev/steward/internal/db/dbtest"
	st "github.com/steward-dev/steward/internal/servertest"
)

const subFields = `id planID status currentPeriodStart currentPeriodEnd cancelAtPeriodEnd canceledAt endedAt trialEnd paidThrough`

func TestAssignAndCancel(t *testing.T) {
	st.ForEachBackend(t, func(t *testing.T, b dbtest.Backend) {
		clock := st.NewClock(time.Date(2025, 1, 31, 9, 30, 0, 0, time.UTC))
		w := newBillingWorld(t, b, st.WithClock(clock.Now))
		basic := w.createPlan(t, map[string]any{"id": "basic", "quotas": []any{map[string]any{"metric": "REQUESTS", "limit": 10}}})
		pro := w.createPlan(t, map[string]any{"id": "pro", "interval": "MONTH", "quotas": []any{map[string]any{"metric": "REQUESTS", "limit": 100}}})
		assign := `mutation($u: ID!, $p: ID!, $reset: Boolean, $trial: Int) { assignPlan(userId: $u, planId: $p, resetUsage: $reset, trialDays: $trial) { ` + subFields + ` } }`

		d := w.s.MustQuery(t, w.admin.Token, assign, "u", w.bob.ID, "p", basic)
		first := d["assignPlan"].(map[string]any)
		if first["status"] != "ACTIVE" || first["currentPeriodStart"] != "2025-01-31T09:30:00Z" || first["currentPeriodEnd"] != "2025-02-28T09:30:00Z" {
			t.Fatalf("assigned subscription = %v; want ACTIVE, Jan 31 to Feb 28", first)
		}
		if first["paidThrough"] != nil {
			t.Errorf("admin-assigned subscription paidThrough = %v, want null", first["paidThrough"])
		}
		w.record(t, w.admin.Token, map[string]any{"userId": w.bob.ID, "metric": "REQUESTS", "amount": 7})

		t.Run("switching keeps the period and its usage", func(t *testing.T) {
			clock.Advance(24 * time.Hour)
			d := w.s.MustQuery(t, w.admin.Token, assign, "u", w.bob.ID, "p", pro)
			if got := st.Get(d, "assignPlan.currentPeriodEnd"); got != "2025-02-28T09:30:00Z" {
				t.Errorf("period end = %v, want unchanged", got)
			}
			c := w.s.MustQuery(t, w.bob.Token, checkQuery, "u", w.bob.ID, "m", "REQUESTS", "a", 0)
			if num(st.Get(c, "checkQuota.used")) != 7 || num(st.Get(c, "checkQuota.limit")) != 100 {
				t.Errorf("usage after switch = %v, want 7 of 100", c)
			}
		})
		t.Run("resetUsage starts a fresh period", func(t *testing.T) {
			d := w.s.MustQuery(t, w.admin.Token, assign, "u", w.bob.ID, "p", pro, "reset", true)
			if got := st.Get(d, "assignPlan.currentPeriodStart"); got != "2025-02-01T09:30:00Z" {
				t.Errorf("period start = %v, want now", got)
			}
			c := w.s.MustQuery(t, w.bob.Token, checkQuery, "u", w.bob.ID, "m", "REQUESTS", "a", 0)
			if num(st.Get(c, "checkQuota.used")) != 0 {
				t.Errorf("usage after reset = %v, want 0", c)
			}
		})
		t.Run("one current subscription per user", func(t *testing.T) {
			n, err := w.s.App.DB.Client.PlanSubscription.Query().
				Where(plansubscription.UserID(w.bob.ID), plansubscription.StatusNEQ(plansubscription.StatusCANCELED)).Count(authz.AsOperator(context.Background()))
			if err != nil || n != 1 {
				t.Fatalf("current subscriptions = %d (%v), want 1", n, err)
			}
			d := w.s.MustQuery(t, w.admin.Token, `query($u: String!) { subscriptions(where: {userID: $u}) { totalCount edges { node { status plan { id } } } } }`, "u", w.bob.ID)
			active := 0
			for _, e := range st.Get(d, "subscriptions.edges").([]any) {
				if st.Get(e, "node.status") == "ACTIVE" {
					active++
				}
			}
			if num(st.Get(d, "subscriptions.totalCount")) != 3 || active != 1 {
				t.Errorf("subscription history = %v, want 3 with one ACTIVE", d)
			}
		})
		t.Run("cancel at period end, then immediately", func(t *testing.T) {
			d := w.s.MustQuery(t, w.bob.Token, `mutation { cancelSubscription { `+subFields+` } }`)
			if st.Get(d, "cancelSubscription.cancelAtPeriodEnd") != true || st.Get(d, "cancelSubscription.status") != "ACTIVE" {
				t.Fatalf("cancel at period end = %v", d)
			}
			d = w.s.MustQuery(t, w.admin.Token, `mutation($u: ID!) { cancelUserSubscription(userId: $u, immediate: true) { `+subFields+` } }`, "u", w.bob.ID)
			if st.Get(d, "cancelUserSubscription.status") != "CANCELED" || st.Get(d, "cancelUserSubscription.endedAt") == nil {
				t.Fatalf("immediate cancel = %v", d)
			}
			if got := w.s.MustQuery(t, w.bob.Token, `{ mySubscription { id } }`)["mySubscription"]; got != nil {
				t.Errorf("mySubscription after cancel = %v, want null", got)
			}
			wantCode(t, w.s.Query(t, w.bob.Token, `mutation { cancelSubscription { id } }`), "NOT_FOUND")
			if auditCount(t, w.s, "SUBSCRIPTION_CANCELED") != 2 || auditCount(t, w.s, "SUBSCRIPTION_ASSIGNED") != 3 {
				t.Errorf("audit: canceled %d, assigned %d; want 2 and 3", auditCount(t, w.s, "SUBSCRIPTION_CANCELED"), auditCount(t, w.s, "SUBSCRIPTION_ASSIGNED"))
			}
		})
		t.Run("trial", func(t *testing.T) {
			d := w.s.MustQuery(t, w.admin.Token, assign, "u", w.bob.ID, "p", basic, "trial", 7)
			if st.Get(d, "assignPlan.status") != "TRIALING" || st.Get(d, "assignPlan.trialEnd") != "2025-02-08T09:30:00Z" {
				t.Fatalf("trial = %v", d)
			}
			clock.Advance(8 * 24 * time.Hour)
			if st, err := w.s.App.Renewer.RunOnce(context.Background(), clock.Now()); err != nil || st.TrialsEnded != 1 {
				t.Fatalf("RunOnce = %+v, %v; want one trial ended", st, err)
			}
			if got := st.Get(w.s.MustQuery(t, w.bob.Token, `{ mySubscription { status } }`), "mySubscription.status"); got != "ACTIVE" {
				t.Errorf("status after trial = %v, want ACTIVE", got)
			}
		})
		t.Run("rules", func(t *testing.T) {
			wantCode(t, w.s.Query(t, w.bob.Token, assign, "u", w.bob.ID, "p", pro), "FORBIDDEN")
			wantCode(t, w.s.Query(t, w.bob.Token, `mutation($u: ID!) { cancelUserSubscription(userId: $u) { id } }`, "u", w.admin.ID), "FORBIDDEN")
			wantCode(t, w.s.Query(t, w.admin.Token, assign, "u", "nobody", "p", pro), "NOT_FOUND")
			wantCode(t, w.s.Query(t, w.admin.Token, assign, "u", w.bob.ID, "p", "nope"), "NOT_FOUND")
			wantField(t, w.s.Query(t, w.admin.Token, assign, "u", w.bob.ID, "p", pro, "trial", -1), "BAD_USER_INPUT", "trialDays")
			wantCode(t, w.s.Query(t, w.bob.Token, `{ subscriptions { totalCount } }`), "FORBIDDEN")
			// Another user's subscription is hidden on every path.
			sub := st.Get(w.s.MustQuery(t, w.bob.Token, `{ mySubscription { id } }`), "mySubscription.id")
			carol := w.s.Signup(t, "Carol")
			w.s.SetRole(t, carol.ID, "USER")
			wantCode(t, w.s.Query(t, carol.Token, `query($id: ID!) { node(id: $id) { id } }`, "id", sub), "NOT_FOUND")
		})
	})
}

func TestPeriodRollover(t *testing.T) {
	st.ForEachBackend(t, func(t *testing.T, b dbtest.Backend) {
		clock := st.NewClock(time.Date(2024, 1, 31, 0, 0, 0, 0, time.UTC))
		w := newBillingWorld(t, b, st.WithClock(clock.Now), st.WithEnv(map[string]string{"STEWARD_DEFAULT_PLAN_ID": "free", "JWT_EXPIRES_IN": "-1"}))
		w.createPlan(t, map[string]any{"id": "free", "price": "0", "quotas": []any{map[string]any{"metric": "REQUESTS", "limit": 5}}})
		monthly := w.createPlan(t, map[string]any{"id": "monthly", "quotas": []any{map[string]any{"metric": "REQUESTS", "limit": 100}}})
		w.assign(t, w.bob.ID, monthly)
		w.record(t, w.admin.Token, map[string]any{"userId": w.bob.ID, "metric": "REQUESTS", "amount": 40})
		mine := `{ mySubscription { ` + subFields + ` } }`

		wantEnds := []string{"2024-02-29T00:00:00Z", "2024-03-31T00:00:00Z", "2024-04-30T00:00:00Z"}
		for i, end := range wantEnds {
			got := st.Get(w.s.MustQuery(t, w.bob.Token, mine), "mySubscription.currentPeriodEnd")
			if got != end {
				t.Fatalf("period %d ends %v, want %s (calendar months from Jan 31)", i, got, end)
			}
			next, _ := time.Parse(time.RFC3339, end)
			clock.Advance(next.Sub(clock.Now()))
			// Two replicas run the job at once: each renewal happens exactly once.
			var wg sync.WaitGroup
			for range 2 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					if _, err := w.s.App.Renewer.RunOnce(context.Background(), clock.Now()); err != nil {
						t.Errorf("RunOnce: %v", err)
					}
				}()
			}
			wg.Wait()
			if got := auditCount(t, w.s, "SUBSCRIPTION_RENEWED"); got != i+1 {
				t.Fatalf("renewals after period %d = %d, want %d", i, got, i+1)
			}
		}
		c := w.s.MustQuery(t, w.bob.Token, checkQuery, "u", w.bob.ID, "m", "REQUESTS", "a", 0)
		if num(st.Get(c, "checkQuota.used")) != 0 || st.Get(c, "checkQuota.resetsAt") != "2024-05-31T00:00:00Z" {
			t.Errorf("new period usage = %v, want 0 until May 31", c)
		}

		t.Run("usage counts in the current period even before the job runs", func(t *testing.T) {
			clock.Advance(31 * 24 * time.Hour) // past May 31, job not run
			w.record(t, w.admin.Token, map[string]any{"userId": w.bob.ID, "metric": "REQUESTS", "amount": 3})
			c := w.s.MustQuery(t, w.bob.Token, checkQuery, "u", w.bob.ID, "m", "REQUESTS", "a", 0)
			if num(st.Get(c, "checkQuota.used")) != 3 || st.Get(c, "checkQuota.resetsAt") != "2024-06-30T00:00:00Z" {
				t.Errorf("usage in the lazily computed period = %v", c)
			}
			if _, err := w.s.App.Renewer.RunOnce(context.Background(), clock.Now()); err != nil {
				t.Fatal(err)
			}
		})
		t.Run("cancel at period end ends it and falls back to the default plan", func(t *testing.T) {
			w.s.MustQuery(t, w.bob.Token, `mutation { cancelSubscription { id } }`)
			clock.Advance(40 * 24 * time.Hour)
			stats, err := w.s.App.Renewer.RunOnce(context.Background(), clock.Now())
			if err != nil || stats.Ended != 1 {
				t.Fatalf("RunOnce = %+v, %v; want one ended", stats, err)
			}
			d := w.s.MustQuery(t, w.bob.Token, `{ mySubscription { planID status } }`)
			if st.Get(d, "mySubscription.planID") != "free" {
				t.Errorf("after the end: %v, want the default plan", d)
			}
		})
		t.Run("new accounts get the default plan", func(t *testing.T) {
			carol := w.s.Signup(t, "Carol")
			w.s.SetRole(t, carol.ID, "USER")
			if got := st.Get(w.s.MustQuery(t, carol.Token, `{ mySubscription { planID } }`), "mySubscription.planID"); got != "free" {
				t.Errorf("new account plan = %v, want free", got)
			}
		})
	})
}

// TestDefaultPlanForEveryNewAccount: STEWARD_DEFAULT_PLAN_ID applies to accounts an admin creates
// as it does to sign-ups.
func TestDefaultPlanForEveryNewAccount(t *testing.T) {
	st.ForEachBackend(t, func(t *testing.T, b dbtest.Backend) {
		w := newBillingWorld(t, b, st.WithEnv(map[string]string{"STEWARD_DEFAULT_PLAN_ID": "starter", "DEFAULT_USER_ROLE": "user"}))
		w.createPlan(t, map[string]any{"id": "starter", "price": "0"})
		signedUp := w.s.Signup(t, "Cy")
		created := st.Get(w.s.MustQuery(t, w.admin.Token, `mutation { createUser(input: {name: "Di", email: "di@example.com", password: "long enough pw"}) { id } }`), "createUser.id").(string)
		for name, id := range map[string]string{"signed up": signedUp.ID, "created by an admin": created} {
			d := w.s.MustQuery(t, w.admin.Token, `query($id: ID!) { user(id: $id) { currentSubscription { planID status } } }`, "id", id)
			if st.Get(d, "user.currentSubscription.planID") != "starter" {
				t.Errorf("%s account: subscription = %v, want the default plan", name, d)
			}
		}
	})
}

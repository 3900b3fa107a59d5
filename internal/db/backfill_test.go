package db_test

import (
	"context"
	"testing"
	"time"

	"github.com/steward-dev/steward/ent/plan"
	"github.com/steward-dev/steward/ent/plansubscription"
	"github.com/steward-dev/steward/internal/authz"
	"github.com/steward-dev/steward/internal/db/dbtest"
)

// TestBackfillSubscriptionPrices: subscriptions from before schema version 4 (no currency) get
// their plan's price on the next start, and are complimentary when nothing was billed for a priced
// plan; rows that already have a price are left alone.
func TestBackfillSubscriptionPrices(t *testing.T) {
	for _, b := range dbtest.Backends() {
		t.Run(string(b), func(t *testing.T) {
			d := dbtest.NewDB(t, b)
			ctx := authz.AsOperator(context.Background())
			c := d.Client
			c.Plan.Create().SetID("pro").SetName("Pro").SetCurrency("EUR").SetPriceMinor(1200).SetInterval(plan.IntervalYEAR).SaveX(ctx)
			c.Plan.Create().SetID("free").SetName("Free").SetCurrency("EUR").SetPriceMinor(0).SaveX(ctx)
			now := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
			sub := func(id, planID string, paid bool) {
				q := c.PlanSubscription.Create().SetID(id).SetUserID("u-" + id).SetPlanID(planID).SetStatus("ACTIVE").
					SetPeriodAnchor(now).SetCurrentPeriodStart(now).SetCurrentPeriodEnd(now.AddDate(1, 0, 0))
				if paid {
					q.SetPaidThrough(now.AddDate(1, 0, 0))
				}
				q.SaveX(ctx)
			}
			sub("billed", "pro", true)
			sub("assigned", "pro", false)
			sub("free", "free", false)
			c.PlanSubscription.Create().SetID("new").SetUserID("u-new").SetPlanID("pro").SetStatus("CANCELED").
				SetPeriodAnchor(now).SetCurrentPeriodStart(now).SetCurrentPeriodEnd(now.AddDate(1, 0, 0)).
				SetPriceMinor(900).SetCurrency("EUR").SetPriceVersion(1).SaveX(ctx)

			if err := d.Migrate(context.Background()); err != nil {
				t.Fatal(err)
			}
			want := map[string]struct {
				price int64
				comp  bool
			}{"billed": {1200, false}, "assigned": {1200, true}, "free": {0, false}, "new": {900, false}}
			for id, w := range want {
				s := c.PlanSubscription.GetX(ctx, id)
				if s.PriceMinor != w.price || s.Currency != "EUR" || s.Complimentary != w.comp {
					t.Errorf("%s: price %d %s complimentary %v, want %d EUR %v", id, s.PriceMinor, s.Currency, s.Complimentary, w.price, w.comp)
				}
				if (id == "billed" || id == "assigned") && s.Interval != "YEAR" {
					t.Errorf("%s: interval %s, want the plan's YEAR", id, s.Interval)
				}
			}
		})
	}
}

// TestBackfillPauses: a subscription PAUSED before schema version 6 (no pause mark) is marked as
// paused since it started on the next start; a marked pause and other rows are left alone.
func TestBackfillPauses(t *testing.T) {
	for _, b := range dbtest.Backends() {
		t.Run(string(b), func(t *testing.T) {
			d := dbtest.NewDB(t, b)
			ctx := authz.AsOperator(context.Background())
			c := d.Client
			c.Plan.Create().SetID("pro").SetName("Pro").SetCurrency("EUR").SetPriceMinor(1200).SaveX(ctx)
			created := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
			marked := created.AddDate(0, 0, 3)
			sub := func(id, status string, pausedAt *time.Time) {
				c.PlanSubscription.Create().SetID(id).SetUserID("u-" + id).SetPlanID("pro").SetStatus(plansubscription.Status(status)).
					SetCreatedAt(created).SetPeriodAnchor(created).SetCurrentPeriodStart(created).SetCurrentPeriodEnd(created.AddDate(0, 1, 0)).
					SetPriceMinor(1200).SetCurrency("EUR").SetNillablePausedAt(pausedAt).SaveX(ctx)
			}
			sub("legacy", "PAUSED", nil)
			sub("marked", "PAUSED", &marked)
			sub("active", "ACTIVE", nil)
			if err := d.Migrate(context.Background()); err != nil {
				t.Fatal(err)
			}
			for id, want := range map[string]*time.Time{"legacy": &created, "marked": &marked, "active": nil} {
				got := c.PlanSubscription.GetX(ctx, id).PausedAt
				if (got == nil) != (want == nil) || got != nil && !got.Equal(*want) {
					t.Errorf("%s: paused_at = %v, want %v", id, got, want)
				}
			}
		})
	}
}

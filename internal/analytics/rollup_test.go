package analytics

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/steward-dev/steward/ent"
	"github.com/steward-dev/steward/ent/plan"
	"github.com/steward-dev/steward/ent/plansubscription"
	"github.com/steward-dev/steward/ent/transaction"
	"github.com/steward-dev/steward/ent/usageevent"
	"github.com/steward-dev/steward/internal/auth"
	"github.com/steward-dev/steward/internal/authz"
	"github.com/steward-dev/steward/internal/db"
	"github.com/steward-dev/steward/internal/db/dbtest"
	"github.com/steward-dev/steward/internal/metric"
)

type rollupKey struct {
	day    string
	metric metric.Metric
	plan   string
}

// rollup reads the whole UsageDaily table, its shards added up.
func rollup(t *testing.T, c *ent.Client) map[rollupKey]int64 {
	t.Helper()
	out := map[rollupKey]int64{}
	for _, r := range c.UsageDaily.Query().AllX(authz.AsOperator(context.Background())) {
		if h, m, s := r.Day.UTC().Clock(); h+m+s != 0 || r.Day.UTC().Nanosecond() != 0 {
			t.Errorf("rollup day %v is not a UTC midnight", r.Day)
		}
		out[rollupKey{r.Day.UTC().Format(time.DateOnly), r.Metric, r.PlanID}] += r.Total // shards add up
	}
	return out
}

// recomputed sums the events the slow way, as the rollup must have them.
func recomputed(t *testing.T, c *ent.Client) map[rollupKey]int64 {
	t.Helper()
	sys := authz.AsOperator(context.Background())
	planOf := map[string]string{}
	for _, s := range c.PlanSubscription.Query().AllX(sys) {
		planOf[s.ID] = s.PlanID
	}
	out := map[rollupKey]int64{}
	for _, e := range c.UsageEvent.Query().AllX(sys) {
		p := ""
		if e.SubscriptionID != nil {
			p = planOf[*e.SubscriptionID]
		}
		if e.Amount != 0 {
			out[rollupKey{e.CreatedAt.UTC().Format(time.DateOnly), e.Metric, p}] += e.Amount
		}
	}
	return out
}

func TestUsageDailyHook(t *testing.T) {
	for _, b := range dbtest.Backends() {
		t.Run(string(b), func(t *testing.T) {
			d := dbtest.NewDB(t, b)
			c := d.Client
			sys := authz.AsOperator(context.Background())
			c.Plan.Create().SetID("p").SetName("p").SetCurrency("RUB").SetPriceMinor(100).SetInterval(plan.IntervalMONTH).SaveX(sys)
			start := date(2025, 1, 1, 0, 0, 0)
			c.PlanSubscription.Create().SetID("sub").SetUserID("u").SetPlanID("p").SetStatus(plansubscription.StatusACTIVE).
				SetPeriodAnchor(start).SetCurrentPeriodStart(start).SetCurrentPeriodEnd(start.AddDate(0, 1, 0)).SaveX(sys)
			event := func(c *ent.Client, m metric.Metric, amount int64, at time.Time, sub, key string) *ent.UsageEventCreate {
				q := c.UsageEvent.Create().SetUserID("u").SetMetric(m).SetAmount(amount).SetCreatedAt(at)
				if sub != "" {
					q.SetSubscriptionID(sub)
				}
				if key != "" {
					q.SetIdempotencyKey(key)
				}
				return q
			}

			// Committed: the 23:59 and next-day 00:00 events land on their own UTC days; an event
			// without a subscription goes to plan "".
			err := db.InTx(sys, c, func(ctx context.Context, tc *ent.Client) error {
				event(tc, metric.TokensInput, 10, date(2025, 1, 1, 23, 59, 59), "sub", "k1").SaveX(ctx)
				event(tc, metric.TokensInput, 5, date(2025, 1, 1, 0, 0, 0), "sub", "").SaveX(ctx)
				event(tc, metric.TokensInput, 1, date(2025, 1, 2, 0, 0, 0), "sub", "").SaveX(ctx)
				event(tc, metric.Requests, 3, date(2025, 1, 1, 12, 0, 0), "", "").SaveX(ctx)
				event(tc, metric.Images, 0, date(2025, 1, 1, 12, 0, 0), "sub", "").SaveX(ctx)
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			want := map[rollupKey]int64{
				{"2025-01-01", metric.TokensInput, "p"}: 15,
				{"2025-01-02", metric.TokensInput, "p"}: 1,
				{"2025-01-01", metric.Requests, ""}:     3,
			}
			if got := rollup(t, c); !reflect.DeepEqual(got, want) {
				t.Fatalf("after commit rollup = %v, want %v", got, want)
			}

			// Rolled back: the events and their rollup vanish together.
			errRollback := errors.New("roll back")
			err = db.InTx(sys, c, func(ctx context.Context, tc *ent.Client) error {
				event(tc, metric.TokensInput, 100, date(2025, 1, 1, 8, 0, 0), "sub", "").SaveX(ctx)
				event(tc, metric.AudioMinutes, 7, date(2025, 1, 3, 8, 0, 0), "", "").SaveX(ctx)
				return errRollback
			})
			if !errors.Is(err, errRollback) {
				t.Fatalf("InTx error = %v, want the rollback", err)
			}
			if got := rollup(t, c); !reflect.DeepEqual(got, want) {
				t.Fatalf("after rollback rollup = %v, want %v", got, want)
			}

			// A reused idempotency key fails the insert and adds nothing; so does an upsert that
			// ignores the conflict (it reports success but inserts no row).
			if err := event(c, metric.TokensInput, 50, date(2025, 1, 1, 9, 0, 0), "sub", "k1").Exec(sys); err == nil {
				t.Fatal("duplicate idempotency key: error = nil, want a constraint error")
			}
			_ = event(c, metric.TokensInput, 50, date(2025, 1, 1, 9, 0, 0), "sub", "k1").
				OnConflictColumns(usageevent.FieldIdempotencyKey).Ignore().Exec(sys)
			if got := rollup(t, c); !reflect.DeepEqual(got, want) {
				t.Fatalf("after duplicate keys rollup = %v, want %v", got, want)
			}

			// Many events in bulk, in one transaction: the rollup equals the events' sums.
			rng := rand.New(rand.NewPCG(1, 2))
			err = db.InTx(sys, c, func(ctx context.Context, tc *ent.Client) error {
				var bulk []*ent.UsageEventCreate
				for i := range 300 {
					sub := ""
					if i%3 != 0 {
						sub = "sub"
					}
					at := start.Add(time.Duration(rng.Int64N(int64(10 * 24 * time.Hour))))
					bulk = append(bulk, event(tc, metric.All[rng.IntN(len(metric.All))], rng.Int64N(1000), at, sub, ""))
				}
				return tc.UsageEvent.CreateBulk(bulk...).Exec(ctx)
			})
			if err != nil {
				t.Fatal(err)
			}
			if got, want := rollup(t, c), recomputed(t, c); !reflect.DeepEqual(got, want) {
				t.Fatalf("after bulk rollup = %v\nwant (recomputed from events) %v", got, want)
			}

			// Non-admins cannot read or write the rollup directly.
			user := auth.WithViewer(context.Background(), &auth.Viewer{UserID: "u", Role: auth.RoleUser})
			if _, err := c.UsageDaily.Query().All(user); err == nil {
				t.Error("user reading UsageDaily: error = nil, want a privacy denial")
			}
			if err := c.UsageDaily.Create().SetDay(start).SetMetric(metric.Images).SetTotal(1).Exec(user); err == nil {
				t.Error("user writing UsageDaily: error = nil, want a privacy denial")
			}
		})
	}
}

type revenueKey struct {
	day, currency, plan string
}

func revenueRollup(t *testing.T, c *ent.Client) map[revenueKey]int64 {
	t.Helper()
	out := map[revenueKey]int64{}
	for _, r := range c.RevenueDaily.Query().AllX(authz.AsOperator(context.Background())) {
		if r.TotalMinor != 0 {
			out[revenueKey{r.Day.UTC().Format(time.DateOnly), r.Currency, r.PlanID}] = r.TotalMinor
		}
	}
	return out
}

func revenueRecomputed(t *testing.T, c *ent.Client) map[revenueKey]int64 {
	t.Helper()
	out := map[revenueKey]int64{}
	for _, tx := range c.Transaction.Query().Where(transaction.StatusEQ(transaction.StatusSUCCEEDED)).AllX(authz.AsOperator(context.Background())) {
		p := ""
		if tx.PlanID != nil {
			p = *tx.PlanID
		}
		if tx.AmountMinor != 0 {
			out[revenueKey{tx.CreatedAt.UTC().Format(time.DateOnly), tx.Currency, p}] += tx.AmountMinor
		}
	}
	return out
}

func TestRevenueDailyHook(t *testing.T) {
	for _, b := range dbtest.Backends() {
		t.Run(string(b), func(t *testing.T) {
			d := dbtest.NewDB(t, b)
			c := d.Client
			sys := authz.AsOperator(context.Background())
			pay := func(c *ent.Client, amount int64, cur string, status transaction.Status, at time.Time) *ent.TransactionCreate {
				return c.Transaction.Create().SetUserID("u").SetPlanID("p").SetAmountMinor(amount).
					SetCurrency(cur).SetStatus(status).SetCreatedAt(at)
			}
			check := func(step string, want map[revenueKey]int64) {
				t.Helper()
				got := revenueRollup(t, c)
				if !reflect.DeepEqual(got, want) {
					t.Fatalf("%s: rollup = %v, want %v", step, got, want)
				}
				if re := revenueRecomputed(t, c); !reflect.DeepEqual(got, re) {
					t.Fatalf("%s: rollup = %v, but the transactions sum to %v", step, got, re)
				}
			}
			day1, day2 := date(2025, 1, 1, 23, 0, 0), date(2025, 1, 2, 1, 0, 0)

			var pending, paid *ent.Transaction
			err := db.InTx(sys, c, func(ctx context.Context, tc *ent.Client) error {
				paid = pay(tc, 1000, "RUB", transaction.StatusSUCCEEDED, day1).SaveX(ctx)
				pending = pay(tc, 500, "RUB", transaction.StatusPENDING, day2).SaveX(ctx)
				pay(tc, 700, "USD", transaction.StatusFAILED, day2).SaveX(ctx)
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			check("created", map[revenueKey]int64{{"2025-01-01", "RUB", "p"}: 1000})

			// The provider confirms the pending payment.
			c.Transaction.UpdateOneID(pending.ID).SetStatus(transaction.StatusSUCCEEDED).ExecX(sys)
			check("confirmed", map[revenueKey]int64{{"2025-01-01", "RUB", "p"}: 1000, {"2025-01-02", "RUB", "p"}: 500})

			// A refund inside a transaction that rolls back changes nothing.
			errRollback := errors.New("roll back")
			err = db.InTx(sys, c, func(ctx context.Context, tc *ent.Client) error {
				tc.Transaction.UpdateOneID(paid.ID).SetStatus(transaction.StatusREFUNDED).ExecX(ctx)
				return errRollback
			})
			if !errors.Is(err, errRollback) {
				t.Fatalf("InTx error = %v, want the rollback", err)
			}
			check("rolled-back refund", map[revenueKey]int64{{"2025-01-01", "RUB", "p"}: 1000, {"2025-01-02", "RUB", "p"}: 500})

			// A committed refund removes it.
			c.Transaction.UpdateOneID(paid.ID).SetStatus(transaction.StatusREFUNDED).ExecX(sys)
			check("refunded", map[revenueKey]int64{{"2025-01-02", "RUB", "p"}: 500})

			// A bulk update (every FAILED payment succeeds) and a bulk delete.
			c.Transaction.Update().Where(transaction.StatusEQ(transaction.StatusFAILED)).
				SetStatus(transaction.StatusSUCCEEDED).ExecX(sys)
			check("bulk update", map[revenueKey]int64{{"2025-01-02", "RUB", "p"}: 500, {"2025-01-02", "USD", "p"}: 700})
			c.Transaction.Delete().Where(transaction.CurrencyEQ("RUB")).ExecX(sys)
			check("bulk delete", map[revenueKey]int64{{"2025-01-02", "USD", "p"}: 700})
		})
	}
}

// TestUsageTotalsAddUpShards: a day's total may be kept in several rows, one per usage batch
// worker (UsageDaily.shard); the overview and the usage by day read their sum.
func TestUsageTotalsAddUpShards(t *testing.T) {
	for _, b := range dbtest.Backends() {
		t.Run(string(b), func(t *testing.T) {
			d := dbtest.NewDB(t, b)
			sys := authz.AsOperator(context.Background())
			day := date(2025, 1, 1, 0, 0, 0)
			for shard, total := range map[int]int64{0: 10, 3: 5, 1: 2} {
				d.Client.UsageDaily.Create().SetDay(day).SetMetric(metric.TokensInput).SetShard(shard).SetTotal(total).SaveX(sys)
			}
			svc, err := New(Config{Client: d.Client, DB: d})
			if err != nil {
				t.Fatal(err)
			}
			o, err := svc.Overview(sys, day, day.AddDate(0, 0, 1))
			if err != nil {
				t.Fatal(err)
			}
			if got := fmt.Sprint(o.Usage); !strings.Contains(got, "{TOKENS_INPUT 17}") {
				t.Errorf("overview usage = %s, want TOKENS_INPUT 17", got)
			}
			days, err := svc.UsageByDay(sys, &o)
			if err != nil || len(days) != 1 || !strings.Contains(fmt.Sprint(days[0].Totals), "{TOKENS_INPUT 17}") {
				t.Errorf("usage by day = %+v, %v; want one day with TOKENS_INPUT 17", days, err)
			}
		})
	}
}

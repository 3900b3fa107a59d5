package analytics

import (
	"context"
	"database/sql"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"entgo.io/ent/dialect"
	entsql "entgo.io/ent/dialect/sql"

	"github.com/steward-dev/steward/ent"
	"github.com/steward-dev/steward/ent/plan"
	"github.com/steward-dev/steward/ent/plansubscription"
	"github.com/steward-dev/steward/internal/authz"
	"github.com/steward-dev/steward/internal/db/dbtest"
)

// countingDriver counts the statements that reach the database, whichever way they are sent:
// ent's Exec/Query and the QueryContext/ExecContext that raw SQL goes through.
type countingDriver struct {
	*entsql.Driver
	n atomic.Int64
}

func (d *countingDriver) Exec(ctx context.Context, query string, args, v any) error {
	d.n.Add(1)
	return d.Driver.Exec(ctx, query, args, v)
}

func (d *countingDriver) Query(ctx context.Context, query string, args, v any) error {
	d.n.Add(1)
	return d.Driver.Query(ctx, query, args, v)
}

func (d *countingDriver) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	d.n.Add(1)
	return d.Driver.QueryContext(ctx, query, args...)
}

func (d *countingDriver) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	d.n.Add(1)
	return d.Driver.ExecContext(ctx, query, args...)
}

var _ dialect.Driver = (*countingDriver)(nil)

// TestPlanStatsStatementCount shows that a plans page costs the same number of statements with 3
// plans as with 30: what a dataloader batching Plan.stats relies on.
func TestPlanStatsStatementCount(t *testing.T) {
	for _, b := range dbtest.Backends() {
		t.Run(string(b), func(t *testing.T) {
			d := dbtest.NewDB(t, b)
			sys := authz.AsOperator(context.Background())
			var ids []string
			for i := range 30 {
				id := fmt.Sprintf("plan-%02d", i)
				ids = append(ids, id)
				d.Client.Plan.Create().SetID(id).SetName(id).SetCurrency("RUB").SetPriceMinor(int64(100 * (i + 1))).
					SetInterval(plan.IntervalMONTH).SaveX(sys)
				for j := range 3 {
					start := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
					d.Client.PlanSubscription.Create().SetUserID(fmt.Sprintf("u-%d-%d", i, j)).SetPlanID(id).
						SetStatus(plansubscription.StatusACTIVE).SetPeriodAnchor(start).
						SetPriceMinor(int64(100 * (i + 1))).SetCurrency("RUB").
						SetCurrentPeriodStart(start).SetCurrentPeriodEnd(start.AddDate(0, 1, 0)).SaveX(sys)
				}
			}
			drv := &countingDriver{Driver: entsql.OpenDB(d.Dialect, d.SQL)}
			s := newService(t, d, ent.NewClient(ent.Driver(drv)))

			count := func(ids []string) int64 {
				t.Helper()
				before := drv.n.Load()
				stats, err := s.PlanStats(adminCtx(), ids)
				if err != nil {
					t.Fatal(err)
				}
				if len(stats) != len(ids) {
					t.Fatalf("PlanStats returned %d plans, want %d", len(stats), len(ids))
				}
				for _, id := range ids {
					if st := stats[id]; st.ActiveSubscriptions != 3 || st.MRR.AmountMinor == 0 {
						t.Fatalf("stats[%s] = %+v, want 3 active and a non-zero MRR", id, st)
					}
				}
				return drv.n.Load() - before
			}
			few, many := count(ids[:3]), count(ids)
			if few != 1 || many != few {
				t.Errorf("statements: %d for 3 plans, %d for 30; want 1 for both", few, many)
			}
		})
	}
}

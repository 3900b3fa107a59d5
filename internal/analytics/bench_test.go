package analytics_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/steward-dev/steward/internal/analytics"
	"github.com/steward-dev/steward/internal/analytics/analyticsbench"
	"github.com/steward-dev/steward/internal/authz"
	"github.com/steward-dev/steward/internal/db"
	"github.com/steward-dev/steward/internal/db/dbtest"
)

// BenchFullEnv selects the full volume of the scale target for the benchmarks.
const BenchFullEnv = "STEWARD_BENCH_FULL"

// BenchDBEnv names a SQLite file to keep the seeded database in, and to reuse when it already holds
// plans, so that repeated benchmark runs skip the minutes of seeding.
const BenchDBEnv = "STEWARD_BENCH_DB"

// benchDB is seeded once per test binary and shared by the benchmarks, since seeding the full
// volume takes minutes and the queries only read.
var benchDB struct {
	once sync.Once
	dir  string
	d    *db.DB
	svc  *analytics.Service
	err  error
}

func TestMain(m *testing.M) {
	code := m.Run()
	if benchDB.d != nil {
		_ = benchDB.d.Close()
	}
	if benchDB.dir != "" {
		_ = os.RemoveAll(benchDB.dir)
	}
	os.Exit(code)
}

// seededService returns a service over a temporary SQLite file with the full volume (100,000
// users and subscriptions, 1,000,000 usage events) when STEWARD_BENCH_FULL is set, and a tenth of
// it otherwise.
func seededService(b *testing.B) *analytics.Service {
	b.Helper()
	if testing.Short() {
		b.Skip("-short: skipping the analytics benchmarks, which seed a large database")
	}
	users, subs, events := 10_000, 10_000, 100_000
	if os.Getenv(BenchFullEnv) != "" {
		users, subs, events = 100_000, 100_000, 1_000_000
	}
	benchDB.once.Do(func() {
		ctx := context.Background()
		path := os.Getenv(BenchDBEnv)
		if path == "" {
			if benchDB.dir, benchDB.err = os.MkdirTemp("", "steward-analytics-bench-"); benchDB.err != nil {
				return
			}
			path = filepath.Join(benchDB.dir, "bench.db")
		}
		benchDB.d, benchDB.err = db.Open(ctx, db.Config{URL: path})
		if benchDB.err != nil {
			return
		}
		if benchDB.err = benchDB.d.Migrate(ctx); benchDB.err != nil {
			return
		}
		seeded, err := benchDB.d.Client.Plan.Query().Exist(authz.AsOperator(ctx))
		if benchDB.err = err; err != nil || seeded {
			fmt.Fprintf(os.Stderr, "reusing the seeded database %s\n", path)
		} else {
			start := time.Now()
			if benchDB.err = analyticsbench.Seed(ctx, benchDB.d.Client, users, subs, events); benchDB.err != nil {
				return
			}
			fmt.Fprintf(os.Stderr, "seeded %d users, %d subscriptions, %d usage events in %v (set %s=1 for the full volume)\n",
				users, subs, events, time.Since(start).Round(time.Second), BenchFullEnv)
		}
		benchDB.svc, benchDB.err = analytics.New(analytics.Config{Client: benchDB.d.Client, DB: benchDB.d})
	})
	if benchDB.err != nil {
		b.Fatal(benchDB.err)
	}
	return benchDB.svc
}

// BenchmarkOverviewYear times billingOverview's domain call for the last year.
func BenchmarkOverviewYear(b *testing.B) {
	svc := seededService(b)
	ctx := authz.AsOperator(context.Background())
	to := time.Now().UTC()
	from := to.AddDate(-1, 0, 0)
	for b.Loop() {
		if _, err := svc.Overview(ctx, from, to); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCustomersYear times the customer metrics of billingOverview (MRR movements by month,
// ARPU, NRR) for the last year, on top of the overview they are computed from.
func BenchmarkCustomersYear(b *testing.B) {
	svc := seededService(b)
	ctx := authz.AsOperator(context.Background())
	to := time.Now().UTC()
	o, err := svc.Overview(ctx, to.AddDate(-1, 0, 0), to)
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := svc.Customers(ctx, &o); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkPlanStatsAll times the stats of every plan, as the plans page's dataloader asks.
func BenchmarkPlanStatsAll(b *testing.B) {
	svc := seededService(b)
	ctx := authz.AsOperator(context.Background())
	ids, err := benchDB.d.Client.Plan.Query().IDs(ctx)
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := svc.PlanStats(ctx, ids); err != nil {
			b.Fatal(err)
		}
	}
}

// TestSeedAndMeasure runs the seeder at a small volume on every backend and checks that the
// figures it produces are consistent: Measure works, and the stats add up to the seeded volume.
func TestSeedAndMeasure(t *testing.T) {
	for _, b := range dbtest.Backends() {
		t.Run(string(b), func(t *testing.T) {
			d := dbtest.NewDB(t, b)
			ctx := context.Background()
			if err := analyticsbench.Seed(ctx, d.Client, 300, 330, 2000); err != nil {
				t.Fatal(err)
			}
			svc, err := analytics.New(analytics.Config{Client: d.Client, DB: d})
			if err != nil {
				t.Fatal(err)
			}
			if _, _, err := analyticsbench.Measure(ctx, svc, d.Client); err != nil {
				t.Fatal(err)
			}
			sys := authz.AsOperator(ctx)
			ids := d.Client.Plan.Query().IDsX(sys)
			stats, err := svc.PlanStats(sys, ids)
			if err != nil {
				t.Fatal(err)
			}
			total := 0
			for _, st := range stats {
				total += st.TotalSubscriptions
			}
			if len(ids) != 10 || total != 330 {
				t.Errorf("seeded %d plans with %d subscriptions, want 10 and 330", len(ids), total)
			}
			to := time.Now().UTC().Add(time.Minute)
			o, err := svc.Overview(sys, to.AddDate(-1, 0, 0), to)
			if err != nil {
				t.Fatal(err)
			}
			var used int64
			for _, u := range o.Usage {
				used += u.Total
			}
			if used == 0 || len(o.RevenueByMonth) != 13 || len(o.MRR) == 0 {
				t.Errorf("overview = %+v, want usage, 13 months of revenue and an MRR", o)
			}
		})
	}
}

package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"time"

	"github.com/steward-dev/steward/internal/analytics/analyticsbench"
	"github.com/steward-dev/steward/internal/authz"
)

func init() {
	register(Scenario{Name: "analytics", Summary: "billingOverview for a year and the plans page with stats, at 100k users / 100k subscriptions / 1M usage events", Run: runAnalytics})
}

// runAnalytics seeds the volume once (reusing --db when it already holds it) and times the
// analytics calls over HTTP: the median and the slowest of --runs each.
func runAnalytics(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("analytics", flag.ContinueOnError)
	var tf targetFlags
	tf.register(fs)
	users := fs.Int("users", 100_000, "users to seed")
	subs := fs.Int("subscriptions", 100_000, "subscriptions to seed")
	events := fs.Int("events", 1_000_000, "usage events to seed")
	runs := fs.Int("runs", 20, "timed runs of each call")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if tf.url == "" && tf.dbURL == "" {
		dir, err := os.MkdirTemp("", "steward-bench-analytics-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(dir)
		tf.dbURL = filepath.Join(dir, "analytics.db")
	}
	tg, err := tf.open(ctx, 4)
	if err != nil {
		return err
	}
	defer tg.Close()
	n, err := tg.DB.Client.PlanSubscription.Query().Count(authz.As(ctx, authz.Operator))
	if err != nil {
		return err
	}
	if n < *subs {
		start := time.Now()
		if err := analyticsbench.Seed(ctx, tg.DB.Client, *users, *subs, *events); err != nil {
			return fmt.Errorf("seeding: %w", err)
		}
		fmt.Printf("seeded %d users, %d subscriptions, %d usage events in %s\n", *users, *subs, *events, time.Since(start).Round(time.Second))
	} else {
		fmt.Printf("reusing the %d subscriptions already in the database\n", n)
	}
	to := time.Now().UTC()
	from := to.AddDate(-1, 0, 0)
	calls := []struct {
		name, query string
		vars        map[string]any
	}{
		{"billingOverview (1 year)", `query($f: Time!, $t: Time!) { billingOverview(from: $f, to: $t) {
			mrr { currency amount } arr { currency amount } newSubscriptions canceledSubscriptions activeAtStart activeAtEnd churnRate
			revenueByMonth { month amounts { currency amount } } usage { metric total } } }`,
			map[string]any{"f": from.Format(time.RFC3339), "t": to.Add(time.Hour).Format(time.RFC3339)}},
		{"billingOverview with customers (1 year: MRR movements, ARPU, NRR)", `query($f: Time!, $t: Time!) { billingOverview(from: $f, to: $t) {
			mrr { currency amount } customers { months { month currencies { currency new { amount } expansion { amount } churned { amount } } }
			arpu { currency amount } netRevenueRetention { currency rate } } } }`,
			map[string]any{"f": from.Format(time.RFC3339), "t": to.Add(time.Hour).Format(time.RFC3339)}},
		{"plans page with stats", `{ plans(includeInactive: true) { id name price currency interval
			stats { activeSubscriptions canceledSubscriptions totalSubscriptions mrr { currency amount } } } }`, nil},
	}
	for _, c := range calls {
		var lat []time.Duration
		for i := 0; i <= *runs; i++ {
			start := time.Now()
			var out map[string]any
			if err := tg.graphql(ctx, tg.Token, c.query, c.vars, &out); err != nil {
				return fmt.Errorf("%s: %w", c.name, err)
			}
			if i > 0 { // the first run warms caches
				lat = append(lat, time.Since(start))
			}
		}
		sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
		fmt.Printf("%s over HTTP: median %s, max %s (%d runs)\n", c.name, percentile(lat, 0.5).Round(100*time.Microsecond),
			lat[len(lat)-1].Round(100*time.Microsecond), len(lat))
	}
	return nil
}

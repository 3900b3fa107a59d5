package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"sync/atomic"
	"time"
)

func init() {
	register(Scenario{Name: "quota", Summary: "checkQuota (read only: one subscription read, one counter read) at N concurrent clients", Run: runQuota})
}

// runQuota measures checkQuota over HTTP: clients ask whether one more unit of a metric fits a
// user's quota, users and metrics rotating, on counters that usage has already moved (so the
// counter row exists, as for any active user). checkQuota is never answered from the query cache,
// so every request reads the database. Without --url it starts steward in this process on a fresh
// SQLite file (or on --db, e.g. a postgres:// URL).
func runQuota(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("quota", flag.ContinueOnError)
	var (
		tf targetFlags
		lf loadFlags
	)
	tf.register(fs)
	lf.register(fs, 1)
	users := fs.Int("users", 64, "metered users")
	if err := fs.Parse(args); err != nil {
		return err
	}
	tg, err := tf.open(ctx, lf.clients)
	if err != nil {
		return err
	}
	defer tg.Close()
	userIDs, err := setupUsage(ctx, tg, *users)
	if err != nil {
		return fmt.Errorf("setting up: %w", err)
	}
	metrics := []string{"TOKENS_INPUT", "TOKENS_OUTPUT", "REQUESTS", "IMAGES"}
	// One report per user and metric, so that every check finds its counter row.
	const record = `mutation($in: RecordUsageInput!) { recordUsage(input: $in) { replayed } }`
	stamp := time.Now().UnixNano()
	for i, u := range userIDs {
		for _, m := range metrics {
			in := map[string]any{"userId": u, "metric": m, "amount": 1 + i, "idempotencyKey": fmt.Sprintf("quota-%d-%s-%s", stamp, u, m), "enforce": true}
			if err := tg.graphql(ctx, tg.Token, record, map[string]any{"in": in}, nil); err != nil {
				return fmt.Errorf("setting up usage: %w", err)
			}
		}
	}
	const q = `query($u: ID!, $m: UsageMetric!) { checkQuota(userId: $u, metric: $m, amount: 1) { allowed used reserved limit remaining resetsAt } }`
	var seq atomic.Int64
	r := hammer(ctx, fmt.Sprintf("checkQuota (%d users, %s)", len(userIDs), tg.DB.Dialect), lf, func(ctx context.Context) error {
		i := int(seq.Add(1))
		var out struct {
			CheckQuota struct {
				Allowed bool `json:"allowed"`
			} `json:"checkQuota"`
		}
		if err := tg.graphql(ctx, tg.Token, q, map[string]any{"u": userIDs[i%len(userIDs)], "m": metrics[i%len(metrics)]}, &out); err != nil {
			return err
		}
		if !out.CheckQuota.Allowed {
			return fmt.Errorf("checkQuota refused one unit of a quota of 2^40")
		}
		return nil
	})
	r.report(os.Stdout, lf.json)
	return nil
}

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
	register(Scenario{Name: "usage", Summary: "recordUsage(enforce: true) at N concurrent clients", Run: runUsage})
}

// runUsage measures recordUsage over HTTP: concurrent clients send enforced usage reports (amount
// 1, a fresh idempotency key each, metrics and users rotating), and the scenario reports events/s
// and latency percentiles. Without --url it starts steward in this process on a fresh SQLite file
// (or on --db, e.g. a postgres:// URL).
func runUsage(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("usage", flag.ContinueOnError)
	var (
		tf targetFlags
		lf loadFlags
	)
	tf.register(fs)
	lf.register(fs, 64)
	users := fs.Int("users", 64, "metered users")
	enforce := fs.Bool("enforce", true, "enforce quotas (the check and the record in one step)")
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
	const q = `mutation($in: RecordUsageInput!) { recordUsage(input: $in) { replayed quota { used } } }`
	var seq atomic.Int64
	stamp := time.Now().UnixNano()
	r := hammer(ctx, fmt.Sprintf("recordUsage (enforce=%t, %d users, %s)", *enforce, len(userIDs), tg.DB.Dialect), lf, func(ctx context.Context) error {
		i := int(seq.Add(1))
		in := map[string]any{"userId": userIDs[i%len(userIDs)], "metric": metrics[i%len(metrics)], "amount": 1,
			"idempotencyKey": fmt.Sprintf("bench-%d-%d", stamp, i), "modelId": "gpt-4o", "enforce": *enforce}
		return tg.graphql(ctx, tg.Token, q, map[string]any{"in": in}, nil)
	})
	r.report(os.Stdout, lf.json)
	return nil
}

// setupUsage creates a plan with generous quotas and n users on it, and returns their ids.
func setupUsage(ctx context.Context, tg *target, n int) ([]string, error) {
	var plan struct {
		CreatePlan struct{ ID string } `json:"createPlan"`
	}
	quota := func(m string) map[string]any { return map[string]any{"metric": m, "limit": 1 << 40} }
	err := tg.graphql(ctx, tg.Token, `mutation($in: CreatePlanInput!) { createPlan(input: $in) { id } }`, map[string]any{"in": map[string]any{
		"name": "Bench", "price": "0", "currency": "USD",
		"quotas": []any{quota("TOKENS_INPUT"), quota("TOKENS_OUTPUT"), quota("REQUESTS"), quota("IMAGES")},
	}}, &plan)
	if err != nil {
		return nil, err
	}
	stamp := time.Now().UnixNano()
	ids := make([]string, 0, n)
	for i := range n {
		var u struct {
			CreateUser struct{ ID string } `json:"createUser"`
		}
		err := tg.graphql(ctx, tg.Token, `mutation($in: CreateUserInput!) { createUser(input: $in) { id } }`, map[string]any{"in": map[string]any{
			"name": fmt.Sprintf("Bench User %d", i), "email": fmt.Sprintf("bench-%d-%d@example.com", stamp, i),
			"password": "bench-user-password", "role": "USER",
		}}, &u)
		if err != nil {
			return nil, err
		}
		if err := tg.graphql(ctx, tg.Token, `mutation($u: ID!, $p: ID!) { assignPlan(userId: $u, planId: $p) { id } }`,
			map[string]any{"u": u.CreateUser.ID, "p": plan.CreatePlan.ID}, nil); err != nil {
			return nil, err
		}
		ids = append(ids, u.CreateUser.ID)
	}
	return ids, nil
}

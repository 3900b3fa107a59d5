package main

import (
	"context"
	"flag"
	"fmt"
	"sync"
	"time"
)

// runUsage measures recordUsage over HTTP: -clients concurrent clients each send enforced usage
// reports (amount 1, a fresh idempotency key each, metrics and users rotating) for -duration,
// after a warm-up, and the scenario reports events/s and latency percentiles. Without -url it
// starts steward in this process on a fresh SQLite file (or on -db, e.g. a postgres:// URL).
func init() {
	register(Scenario{Name: "usage", Summary: "recordUsage(enforce: true) at N concurrent clients", Run: runUsage})
}

func runUsage(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("usage", flag.ContinueOnError)
	url := fs.String("url", "", "steward base URL (empty: start one in this process)")
	dbURL := fs.String("db", "", "database for the in-process server (empty: a temporary SQLite file)")
	email := fs.String("email", "bench-admin@example.com", "admin email (signed up when the server is empty)")
	password := fs.String("password", "bench-admin-password", "admin password")
	clients := fs.Int("clients", 64, "concurrent clients")
	users := fs.Int("users", 64, "metered users")
	duration := fs.Duration("duration", 10*time.Second, "measured duration")
	warmup := fs.Duration("warmup", 2*time.Second, "unmeasured warm-up")
	enforce := fs.Bool("enforce", true, "enforce quotas (the check and the record in one step)")
	cpuProfile := fs.String("cpuprofile", "", "write a CPU profile of the measured run to this file")
	if err := fs.Parse(args); err != nil {
		return err
	}
	base := *url
	if base == "" {
		u, stop, err := startServer(ctx, *dbURL)
		if err != nil {
			return err
		}
		defer stop()
		base = u
	}
	c := newClient(base, *clients)
	token, userIDs, err := setupUsage(ctx, c, *email, *password, *users)
	if err != nil {
		return fmt.Errorf("setting up: %w", err)
	}
	metrics := []string{"TOKENS_INPUT", "TOKENS_OUTPUT", "REQUESTS", "IMAGES"}
	const q = `mutation($in: RecordUsageInput!) { recordUsage(input: $in) { replayed quota { used } } }`
	run := func(d time.Duration, tag string) ([]time.Duration, int, time.Duration) {
		var (
			mu     sync.Mutex
			all    []time.Duration
			errors int
			wg     sync.WaitGroup
		)
		start := time.Now()
		deadline := start.Add(d)
		for w := range *clients {
			wg.Add(1)
			go func() {
				defer wg.Done()
				lat := make([]time.Duration, 0, 4096)
				errs := 0
				for i := 0; time.Now().Before(deadline) && ctx.Err() == nil; i++ {
					in := map[string]any{"userId": userIDs[(w+i)%len(userIDs)], "metric": metrics[i%len(metrics)], "amount": 1,
						"idempotencyKey": fmt.Sprintf("%s-%d-%d-%d", tag, start.UnixNano(), w, i), "modelId": "gpt-4o", "enforce": *enforce}
					t0 := time.Now()
					if err := c.do(ctx, token, q, map[string]any{"in": in}, nil); err != nil {
						errs++
						if errs == 1 && w == 0 {
							fmt.Println("first error:", err)
						}
						continue
					}
					lat = append(lat, time.Since(t0))
				}
				mu.Lock()
				all = append(all, lat...)
				errors += errs
				mu.Unlock()
			}()
		}
		wg.Wait()
		return all, errors, time.Since(start)
	}
	if *warmup > 0 {
		run(*warmup, "warmup")
	}
	if *cpuProfile != "" {
		stop, err := startProfile(*cpuProfile)
		if err != nil {
			return err
		}
		defer stop()
	}
	lat, errors, elapsed := run(*duration, "run")
	report(fmt.Sprintf("recordUsage (enforce=%t, %d clients, %d users)", *enforce, *clients, len(userIDs)), lat, errors, elapsed)
	return nil
}

// setupUsage signs the admin up (or in), creates a plan with generous quotas, and puts n users on
// it; it returns the admin token and the user ids.
func setupUsage(ctx context.Context, c *gqlClient, email, password string, n int) (string, []string, error) {
	var auth struct {
		Signup struct{ Token string } `json:"signup"`
		Signin struct{ Token string } `json:"signin"`
	}
	err := c.do(ctx, "", `mutation($in: SignupInput!) { signup(input: $in) { token } }`,
		map[string]any{"in": map[string]any{"name": "Bench Admin", "email": email, "password": password}}, &auth)
	token := auth.Signup.Token
	if err != nil {
		if err := c.do(ctx, "", `mutation($in: SigninInput!) { signin(input: $in) { token } }`,
			map[string]any{"in": map[string]any{"email": email, "password": password}}, &auth); err != nil {
			return "", nil, err
		}
		token = auth.Signin.Token
	}
	var plan struct {
		CreatePlan struct{ ID string } `json:"createPlan"`
	}
	quota := func(m string) map[string]any { return map[string]any{"metric": m, "limit": 1 << 40} }
	err = c.do(ctx, token, `mutation($in: CreatePlanInput!) { createPlan(input: $in) { id } }`, map[string]any{"in": map[string]any{
		"name": "Bench", "price": "0", "currency": "USD",
		"quotas": []any{quota("TOKENS_INPUT"), quota("TOKENS_OUTPUT"), quota("REQUESTS"), quota("IMAGES")},
	}}, &plan)
	if err != nil {
		return "", nil, err
	}
	stamp := time.Now().UnixNano()
	ids := make([]string, 0, n)
	for i := range n {
		var u struct {
			Signup struct{ User struct{ ID string } } `json:"signup"`
		}
		err := c.do(ctx, "", `mutation($in: SignupInput!) { signup(input: $in) { user { id } } }`, map[string]any{"in": map[string]any{
			"name": fmt.Sprintf("Bench User %d", i), "email": fmt.Sprintf("bench-%d-%d@example.com", stamp, i), "password": "bench-user-password",
		}}, &u)
		if err != nil {
			return "", nil, err
		}
		if err := c.do(ctx, token, `mutation($u: ID!, $p: ID!) { assignPlan(userId: $u, planId: $p) { id } }`,
			map[string]any{"u": u.Signup.User.ID, "p": plan.CreatePlan.ID}, nil); err != nil {
			return "", nil, err
		}
		ids = append(ids, u.Signup.User.ID)
	}
	return token, ids, nil
}

package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
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
// SQLite file (or on --db, e.g. a postgres:// URL). --floor then loads a server that does no work
// the same way: at many clients on few cores most of the tail is the wait for a core and the
// scheduler's order of service, which the floor measures apart from what steward costs.
func runQuota(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("quota", flag.ContinueOnError)
	var (
		tf targetFlags
		lf loadFlags
	)
	tf.register(fs)
	lf.register(fs, 1)
	users := fs.Int("users", 64, "metered users")
	floor := fs.Bool("floor", false, "then apply the same load to a server that answers every check with a stored answer and does nothing else: the latency this machine, Go's runtime and the load generator add to any server")
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
	check := func(tg *target) func(ctx context.Context) error {
		return func(ctx context.Context) error {
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
		}
	}
	r := hammer(ctx, fmt.Sprintf("checkQuota (%d users, %s)", len(userIDs), tg.DB.Dialect), lf, check(tg))
	r.report(os.Stdout, lf.json)
	if !*floor {
		return nil
	}
	_, answer, err := tg.post(ctx, tg.Token, q, map[string]any{"u": userIDs[0], "m": metrics[0]})
	if err != nil {
		return err
	}
	ft, err := startFloor(answer, lf.clients)
	if err != nil {
		return err
	}
	defer ft.Close()
	ft.Token = tg.Token
	r = hammer(ctx, "checkQuota's floor (a stored answer, no work)", lf, check(ft))
	r.report(os.Stdout, lf.json)
	return nil
}

// startFloor starts an HTTP server in this process that answers every POST with answer (the bytes
// of a real checkQuota answer) after reading the request, and returns a target of it with the
// load's own client; the target's Close stops the server. Loaded like steward, it measures what
// the machine, Go's scheduler and net/http, and the load generator cost on their own: a latency
// no server of this process can go below.
func startFloor(answer []byte, clients int) (*target, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	srv := &http.Server{ReadHeaderTimeout: 10 * time.Second, Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(answer)
	})}
	go func() { _ = srv.Serve(ln) }()
	return &target{URL: "http://" + ln.Addr().String(), HTTP: newLoadClient(clients), close: func() { _ = srv.Close() }}, nil
}

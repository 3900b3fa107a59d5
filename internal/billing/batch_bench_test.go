package billing_test

import (
	"fmt"
	"sync"
	"testing"

	"github.com/steward-dev/steward/internal/billing"
	"github.com/steward-dev/steward/internal/db/dbtest"
	"github.com/steward-dev/steward/internal/metric"
)

// BenchmarkUsageBatch is what a batch of 32 enforced reports of 16 users costs the database
// and the batcher, with the batch's writes deferred (one statement each for the events, the
// counters and the rollups) or each report writing its own, on both databases. Each iteration
// lines the reports up behind a lone report (a user without a plan), which is counted too.
func BenchmarkUsageBatch(b *testing.B) {
	for _, backend := range dbtest.Backends() {
		for _, deferred := range []bool{true, false} {
			b.Run(fmt.Sprintf("%s/deferred=%t", backend, deferred), func(b *testing.B) {
				w := newHeldWorld(b, backend, nil)
				opener, batch := w.opener, w.batch
				w.svc.SetDeferBatches(deferred)
				plan, err := w.svc.CreatePlan(w.ctx, billing.PlanInput{Name: "Roomy", Price: "10", Currency: "USD",
					Quotas: []billing.Quota{{Metric: metric.Requests, Limit: 1 << 40}}})
				if err != nil {
					b.Fatal(err)
				}
				users := make([]string, 16)
				for i := range users {
					users[i] = w.user(b, fmt.Sprint("user", i))
					if _, err := w.svc.AssignPlan(w.ctx, billing.AssignInput{UserID: users[i], PlanID: plan.ID}); err != nil {
						b.Fatal(err)
					}
				}
				lone := w.user(b, "lone")
				const reports = 32
				b.ResetTimer()
				for range b.N {
					b.StopTimer()
					opener.HoldNext()
					var wg sync.WaitGroup
					wg.Add(1 + reports)
					go func() { defer wg.Done(); _ = w.record(lone, metric.Requests, 1, false) }()
					dbtest.WaitFor(b, func() bool { return opener.Opened.Load() == 1 })
					for i := range reports {
						go func() {
							defer wg.Done()
							if err := w.record(users[i%len(users)], metric.Requests, 1, true); err != nil {
								b.Error(err)
							}
						}()
					}
					dbtest.WaitFor(b, func() bool { return batch.Waiting() == reports })
					b.StartTimer()
					opener.Release()
					wg.Wait()
				}
				b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*reports)/1000, "µs/report")
			})
		}
	}
}

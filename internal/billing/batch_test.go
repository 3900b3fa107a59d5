package billing_test

import (
	"fmt"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/steward-dev/steward/internal/billing"
	"github.com/steward-dev/steward/internal/db"
	"github.com/steward-dev/steward/internal/db/dbtest"
	"github.com/steward-dev/steward/internal/errs"
	"github.com/steward-dev/steward/internal/metric"
)

// Reports batched together meter as each would alone: the batch reads its users' subscriptions
// at once (billing's Prefetch), and each report still counts against its own user's plan, a user
// without a subscription is recorded without one, and an unknown user is refused.
func TestBatchedReportsMeterAsAlone(t *testing.T) {
	for _, b := range dbtest.Backends() {
		t.Run(string(b), func(t *testing.T) {
			var opener *dbtest.HeldOpener
			var batch *db.Batcher
			w := newWorldWith(t, b, func(d *db.DB) *db.Batcher {
				opener = dbtest.NewHeldOpener(d.Client)
				batch = db.NewBatcher(opener, 64, 1)
				return batch
			})
			three, five, none := w.user(t, "three"), w.user(t, "five"), w.user(t, "none")
			w.subscribe(t, three, billing.Quota{Metric: metric.Requests, Limit: 3})
			w.subscribe(t, five, billing.Quota{Metric: metric.Requests, Limit: 5})

			var wg sync.WaitGroup
			wg.Add(1)
			go func() { defer wg.Done(); _ = w.record(none, metric.Requests, 1, true) }() // held open, alone
			dbtest.WaitFor(t, func() bool { return opener.Opened.Load() == 1 })
			var accepted [3]atomic.Int32
			var unknown atomic.Int32
			for i, u := range []string{three, five, none, "no-such-user"} {
				for range 7 {
					wg.Add(1)
					go func() {
						defer wg.Done()
						err := w.record(u, metric.Requests, 1, true)
						switch {
						case err == nil && i < 3:
							accepted[i].Add(1)
						case i == 3 && errs.CodeOf(err) == errs.CodeNotFound:
							unknown.Add(1)
						case errs.CodeOf(err) != errs.CodeQuotaExceeded:
							t.Errorf("report of %s: %v", u, err)
						}
					}()
				}
			}
			dbtest.WaitFor(t, func() bool { return batch.Waiting() == 28 })
			opener.Release()
			wg.Wait()
			if got := fmt.Sprint(accepted[0].Load(), accepted[1].Load(), accepted[2].Load(), unknown.Load()); got != "3 5 7 7" {
				t.Errorf("accepted (three, five, none) and unknown refused = %s, want 3 5 7 7", got)
			}
			if u := w.check(t, three, metric.Requests); u.Used != 3 || u.Allowed {
				t.Errorf("three's quota after the batch: %+v", u)
			}
		})
	}
}

// Batches running at once each add to their worker's row of the daily rollup, so that none waits
// for another's commit to update it: the day's usage is split over the workers' rows and adds up
// to every report.
func TestBatchWorkersRollUpApart(t *testing.T) {
	for _, b := range dbtest.Backends() {
		t.Run(string(b), func(t *testing.T) {
			w := newWorldWith(t, b, func(d *db.DB) *db.Batcher { return db.NewBatcher(d.Client, 8, 4) })
			var users []string
			for i := range 12 {
				users = append(users, w.user(t, fmt.Sprint("u", i))) // no plan: one rollup row for all
			}
			var wg sync.WaitGroup
			want := int64(0)
			for i, u := range users {
				for range 5 {
					want += int64(i + 1)
					wg.Add(1)
					go func() {
						defer wg.Done()
						if err := w.record(u, metric.Requests, int64(i+1), true); err != nil {
							t.Error(err)
						}
					}()
				}
			}
			wg.Wait()
			shards, total := map[int]bool{}, int64(0)
			for _, r := range w.client.UsageDaily.Query().AllX(w.ctx) {
				if r.Metric != metric.Requests || r.PlanID != "" {
					t.Errorf("unexpected rollup row %+v", r)
				}
				shards[r.Shard] = true
				total += r.Total
			}
			if total != want || len(shards) < 2 {
				t.Errorf("rollup rows of %d shards add up to %d; want %d over several shards", len(shards), total, want)
			}
		})
	}
}

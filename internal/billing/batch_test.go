package billing_test

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/steward-dev/steward/ent"
	"github.com/steward-dev/steward/ent/plansubscription"
	"github.com/steward-dev/steward/ent/usagecounter"
	"github.com/steward-dev/steward/internal/billing"
	"github.com/steward-dev/steward/internal/db"
	"github.com/steward-dev/steward/internal/db/dbtest"
	"github.com/steward-dev/steward/internal/errs"
	"github.com/steward-dev/steward/internal/events"
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

// heldWorld is a world whose usage reports go through a batcher of one worker whose opener
// heldBatch can hold; until then reports run alone. configure, when given, completes the
// service's configuration.
type heldWorld struct {
	*world
	db     *db.DB
	opener *dbtest.HeldOpener
	batch  *db.Batcher
}

func newHeldWorld(t testing.TB, b dbtest.Backend, configure func(*billing.Config)) *heldWorld {
	t.Helper()
	h := &heldWorld{}
	h.world = newWorldConfig(t, b, func(cfg *billing.Config, d *db.DB) {
		h.db, h.opener = d, dbtest.NewHeldOpener(d.Client)
		h.batch = db.NewBatcher(h.opener, 64, 1)
		cfg.Batch = h.batch
		if configure != nil {
			configure(cfg)
		}
	})
	h.opener.Release()
	return h
}

// heldBatch lines reports up in one batch: a first report holds the batcher's transaction open
// (alone: nothing is prefetched or deferred for it), the reports of run queue behind it, and the
// batch then runs them together. It returns once every report has returned, with the opener
// released.
func heldBatch(t *testing.T, opener *dbtest.HeldOpener, batch *db.Batcher, first func(), reports int, run func(i int)) {
	t.Helper()
	opener.HoldNext()
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { defer wg.Done(); first() }()
	dbtest.WaitFor(t, func() bool { return opener.Opened.Load() == 1 })
	for i := range reports {
		wg.Add(1)
		go func() { defer wg.Done(); run(i) }()
	}
	dbtest.WaitFor(t, func() bool { return batch.Waiting() == reports })
	opener.Release()
	wg.Wait()
}

// A batch of reports whose users have subscriptions decides their quotas against the counters
// it read and writes every event, counter and rollup at once: a batch of 24 reports of 6 users
// costs the same few writes as one of 2, and each report still sees its own place in its
// user's count, its quota refusing past the limit.
func TestBatchedReportsWriteOnce(t *testing.T) {
	for _, b := range dbtest.Backends() {
		t.Run(string(b), func(t *testing.T) {
			w := newHeldWorld(t, b, nil)
			opener, batch, d := w.opener, w.batch, w.db
			plan, err := w.svc.CreatePlan(w.ctx, billing.PlanInput{Name: "Shared", Price: "10", Currency: "USD",
				Quotas: []billing.Quota{{Metric: metric.Requests, Limit: 4}}})
			if err != nil {
				t.Fatal(err)
			}
			var users []string
			for i := range 6 {
				u := w.user(t, fmt.Sprint("user", i))
				if _, err := w.svc.AssignPlan(w.ctx, billing.AssignInput{UserID: u, PlanID: plan.ID}); err != nil {
					t.Fatal(err)
				}
				users = append(users, u)
			}
			// The first user has used 1 already: the batch reads and adds to that counter, and
			// creates the others'.
			if err := w.record(users[0], metric.Requests, 1, true); err != nil {
				t.Fatal(err)
			}
			lone := w.user(t, "lone")
			var mu sync.Mutex
			seen := map[string][]int64{}
			writes := d.Writes()
			var reporters []string // users[0] three times, within its quota, the others four
			for i := range 23 {
				reporters = append(reporters, users[(i+1)%6])
			}
			heldBatch(t, opener, batch, func() { _ = w.record(lone, metric.Requests, 1, true) }, len(reporters), func(i int) {
				u := reporters[i]
				res, err := w.svc.RecordUsage(w.ctx, billing.RecordInput{UserID: u, Metric: metric.Requests, Amount: 1, Enforce: true})
				if err != nil {
					t.Errorf("report %d: %v", i, err)
					return
				}
				mu.Lock()
				seen[u] = append(seen[u], res.Quota.Used)
				mu.Unlock()
			})
			// The lone report's transaction (three writes) and the batch's: on PostgreSQL one
			// statement for the events, counters and rollups, and the commit. On SQLite, where a
			// statement is no round trip, the events go in a power of two at a time (23: 16, 4, 2
			// and 1), each user's counter is written by its row (6), then the rollup and the commit.
			want := uint64(3 + 2)
			if b == dbtest.SQLite {
				want = 3 + 4 + 6 + 2
			}
			if got := d.Writes() - writes; got > want {
				t.Errorf("the batch cost %d writes; want at most %d whatever its size", got, want)
			}
			for i, u := range users {
				want := "[1 2 3 4]"
				if i == 0 {
					want = "[2 3 4]"
				}
				got := seen[u]
				slices.Sort(got)
				if fmt.Sprint(got) != want {
					t.Errorf("user %d saw used %v; want %s", i, got, want)
				}
				if q := w.check(t, u, metric.Requests); q.Used != 4 || q.Allowed {
					t.Errorf("user %d after the batch: %+v", i, q)
				}
			}
			if n := w.client.UsageEvent.Query().CountX(w.ctx); n != 1+1+23 {
				t.Errorf("%d usage events; want 25", n)
			}
			total := int64(0)
			for _, r := range w.client.UsageDaily.Query().AllX(w.ctx) {
				total += r.Total
			}
			if total != 25 {
				t.Errorf("the rollup adds up to %d; want 25", total)
			}
		})
	}
}

// What a batch decided in Go is checked against the database: a report whose idempotency key was
// used before, or a counter that another transaction created after the batch read none, has the
// batch run again with each report writing its own rows, so that the replay is answered as one
// and the quota holds against the counter as it is.
func TestBatchedReportsRunAgainWhenTheDatabaseDisagrees(t *testing.T) {
	for _, b := range dbtest.Backends() {
		t.Run(string(b), func(t *testing.T) {
			w := newHeldWorld(t, b, nil)
			opener, batch := w.opener, w.batch
			t.Run("a replayed key", func(t *testing.T) {
				u := w.user(t, "replaying")
				w.subscribe(t, u, billing.Quota{Metric: metric.Requests, Limit: 10})
				key := "used-before"
				first, err := w.svc.RecordUsage(w.ctx, billing.RecordInput{UserID: u, Metric: metric.Requests, Amount: 2, IdempotencyKey: &key})
				if err != nil {
					t.Fatal(err)
				}
				results := make([]billing.RecordResult, 3)
				heldBatch(t, opener, batch, func() { _ = w.record(u, metric.Images, 1, false) }, 3, func(i int) {
					in := billing.RecordInput{UserID: u, Metric: metric.Requests, Amount: 2}
					if i == 1 {
						in.IdempotencyKey = &key
					}
					var err error
					if results[i], err = w.svc.RecordUsage(w.ctx, in); err != nil {
						t.Errorf("report %d: %v", i, err)
					}
				})
				if !results[1].Replayed || results[1].Event.ID != first.Event.ID || results[0].Replayed || results[2].Replayed {
					t.Errorf("replayed = %v %v %v; want only the reused key's, answered with the first event", results[0].Replayed, results[1].Replayed, results[2].Replayed)
				}
				if q := w.check(t, u, metric.Requests); q.Used != 6 {
					t.Errorf("used %d after the batch; want 2 + 2 + 2", q.Used)
				}
			})
			t.Run("a counter created meanwhile", func(t *testing.T) {
				if b != dbtest.Postgres {
					t.Skip("on SQLite the batch's transaction is the only writer: no counter can appear while it runs")
				}
				u := w.user(t, "raced")
				w.subscribe(t, u, billing.Quota{Metric: metric.Requests, Limit: 5})
				start := w.check(t, u, metric.Requests).PeriodStart
				var once sync.Once
				outcomes := make([]error, 3)
				heldBatch(t, opener, batch, func() { _ = w.record(u, metric.Images, 1, false) }, 4, func(i int) {
					if i == 3 {
						// Sorted first in the batch (keys in order), another transaction creates the
						// counter the batch read as missing, with 4 of the 5 used.
						_ = batch.Do(w.ctx, "", func(context.Context, *ent.Client) error {
							once.Do(func() {
								sub := w.client.PlanSubscription.Query().Where(plansubscription.UserID(u)).OnlyX(w.ctx)
								w.client.UsageCounter.Create().SetSubscriptionID(sub.ID).SetUserID(u).SetMetric(metric.Requests).
									SetPeriodStart(*start).SetPeriodEnd(start.AddDate(0, 1, 0)).SetUsed(4).SaveX(w.ctx)
							})
							return nil
						})
						return
					}
					outcomes[i] = w.record(u, metric.Requests, 1, true)
				})
				accepted := 0
				for _, err := range outcomes {
					switch {
					case err == nil:
						accepted++
					case errs.CodeOf(err) == errs.CodeQuotaExceeded:
					default:
						t.Errorf("report: %v", err)
					}
				}
				if q := w.check(t, u, metric.Requests); accepted != 1 || q.Used != 5 {
					t.Errorf("accepted %d, used %d; want 1 and 5", accepted, q.Used)
				}
			})
		})
	}
}

// A batch's reports that take a counter past 80% and 100% of its quota mark it and raise each
// alert once, as reports one by one do.
func TestBatchedReportsRaiseAlertsOnce(t *testing.T) {
	for _, b := range dbtest.Backends() {
		t.Run(string(b), func(t *testing.T) {
			bus, err := events.NewLocal(events.LocalConfig{Buffer: 64})
			if err != nil {
				t.Fatal(err)
			}
			w := newHeldWorld(t, b, func(cfg *billing.Config) { cfg.Bus = bus })
			opener, batch := w.opener, w.batch
			alerts, err := bus.Subscribe(w.ctx, billing.QuotaAlertTopic, "")
			if err != nil {
				t.Fatal(err)
			}
			u := w.user(t, "alerted")
			w.subscribe(t, u, billing.Quota{Metric: metric.Requests, Limit: 10})
			if err := w.record(u, metric.Requests, 7, true); err != nil {
				t.Fatal(err)
			}
			heldBatch(t, opener, batch, func() { _ = w.record(u, metric.Images, 1, false) }, 3, func(int) {
				if err := w.record(u, metric.Requests, 1, true); err != nil {
					t.Error(err)
				}
			})
			var got []string
			for len(got) < 2 {
				select {
				case e := <-alerts:
					var a billing.QuotaAlert
					if err := json.Unmarshal(e.Payload, &a); err != nil {
						t.Fatal(err)
					}
					got = append(got, fmt.Sprint(a.Threshold, "@", a.Used))
				case <-time.After(5 * time.Second):
					t.Fatalf("alerts %v; want two", got)
				}
			}
			slices.Sort(got) // published by each report's own goroutine, in any order
			if fmt.Sprint(got) != "[100@10 80@8]" {
				t.Errorf("alerts %v; want 80%% at 8 and 100%% at 10", got)
			}
			if err := w.record(u, metric.Requests, 0, true); err != nil {
				t.Fatal(err)
			}
			select {
			case e := <-alerts:
				t.Errorf("a further alert: %s", e.Payload)
			case <-time.After(100 * time.Millisecond):
			}
			c := w.client.UsageCounter.Query().Where(usagecounter.UserID(u), usagecounter.MetricEQ(metric.Requests)).OnlyX(w.ctx)
			if !c.Alerted80 || !c.Alerted100 {
				t.Errorf("counter alerted 80/100 = %v/%v; want both marked", c.Alerted80, c.Alerted100)
			}
		})
	}
}

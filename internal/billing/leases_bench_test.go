package billing_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/steward-dev/steward/internal/billing"
	"github.com/steward-dev/steward/internal/db/dbtest"
	"github.com/steward-dev/steward/internal/metric"
)

// BenchmarkCallMetering is what metering costs per gateway call (hold, then settle), with a hold
// and a settlement in the database per call (Service) against budget leases (Leases), 50 users,
// SQLite. The leases' batched writes are flushed inside the loop, so their cost is counted too,
// although in the server they run in the flush loop, off the calls' path.
func BenchmarkCallMetering(b *testing.B) {
	for _, calls := range []int64{0, 64} {
		name := "per-call holds"
		if calls > 0 {
			name = "leases"
		}
		b.Run(name, func(b *testing.B) {
			lw := newLeaseWorld(b, dbtest.SQLite, 1, calls)
			users := roomyUsers(b, lw, 50)
			m := lw.meters[0]
			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				i := 0
				for pb.Next() {
					i++
					call, err := m.HoldCall(lw.ctx, billing.CallHold{UserID: users[i%len(users)], Amounts: callHold})
					if err != nil {
						b.Error(err)
						return
					}
					if err := m.SettleCall(lw.ctx, call, callUsage); err != nil {
						b.Error(err)
						return
					}
					if i%256 == 0 {
						_ = m.Flush(lw.ctx) // as the flush loop would, so that the queue stays short
					}
				}
			})
		})
	}
}

// The amounts of the benchmarks' calls: what a call holds, and what it used.
var (
	callHold  = map[metric.Metric]int64{metric.Requests: 1, metric.TokensInput: 40, metric.TokensOutput: 256}
	callUsage = billing.CallUsage{Amounts: map[metric.Metric]int64{metric.Requests: 1, metric.TokensInput: 38, metric.TokensOutput: 120}}
)

// roomyUsers creates n users subscribed to a plan with quotas of every metric that no benchmark
// reaches.
func roomyUsers(b *testing.B, lw *leaseWorld, n int) []string {
	b.Helper()
	users := make([]string, n)
	for i := range users {
		u, err := lw.client.User.Create().SetName(fmt.Sprint("u", i)).SetEmail(fmt.Sprint("u", i, "@example.com")).SetRole("USER").Save(lw.ctx)
		if err != nil {
			b.Fatal(err)
		}
		users[i] = u.ID
	}
	p, err := lw.svc.CreatePlan(lw.ctx, billing.PlanInput{Name: "Roomy", Price: "10", Currency: "USD", Quotas: []billing.Quota{
		{Metric: metric.Requests, Limit: 1 << 40}, {Metric: metric.TokensInput, Limit: 1 << 48}, {Metric: metric.TokensOutput, Limit: 1 << 48}}})
	if err != nil {
		b.Fatal(err)
	}
	for _, u := range users {
		if _, err := lw.svc.AssignPlan(lw.ctx, billing.AssignInput{UserID: u, PlanID: p.ID}); err != nil {
			b.Fatal(err)
		}
	}
	return users
}

// BenchmarkFirstCall is the hold of a user's first call, or the first after their lease's idle
// time: the call waits for a lease taken in a database transaction (SQLite, three metrics). The
// leases of the previous calls are finished outside the timer.
func BenchmarkFirstCall(b *testing.B) {
	lw := newLeaseWorld(b, dbtest.SQLite, 1, 64)
	users := roomyUsers(b, lw, 50)
	m := lw.meters[0]
	b.ResetTimer()
	for i := range b.N {
		call, err := m.HoldCall(lw.ctx, billing.CallHold{UserID: users[i%len(users)], Amounts: callHold})
		if err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		if err := m.SettleCall(lw.ctx, call, callUsage); err != nil {
			b.Fatal(err)
		}
		lw.clock.Advance(2 * time.Second) // past the idle time (1 s): the lease closes
		if err := m.Flush(lw.ctx); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
	}
}

// BenchmarkReturningCall is the hold of a user's call after their lease's window but within its
// idle time (a user writing a message every 15 s): one read finds the same terms and the lease
// admits for another window, where BenchmarkFirstCall takes a lease in a transaction.
func BenchmarkReturningCall(b *testing.B) {
	lw := newLeaseWorldWith(b, dbtest.SQLite, 1, billing.LeaseConfig{Calls: 64, Window: 10 * time.Second, Idle: time.Minute, Life: 24 * time.Hour})
	users := roomyUsers(b, lw, 50)
	m := lw.meters[0]
	hold := func(u string) billing.Call {
		call, err := m.HoldCall(lw.ctx, billing.CallHold{UserID: u, Amounts: callHold})
		if err != nil {
			b.Fatal(err)
		}
		return call
	}
	for _, u := range users {
		if err := m.SettleCall(lw.ctx, hold(u), callUsage); err != nil {
			b.Fatal(err)
		}
	}
	b.ResetTimer()
	for i := range b.N {
		u := users[i%len(users)]
		if i%len(users) == 0 {
			b.StopTimer()
			lw.clock.Advance(15 * time.Second) // past every lease's window, within its idle time
			if err := m.Flush(lw.ctx); err != nil {
				b.Fatal(err)
			}
			b.StartTimer()
		}
		call := hold(u)
		b.StopTimer()
		if err := m.SettleCall(lw.ctx, call, callUsage); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
	}
	b.StopTimer()
	if st := m.Stats(); st.TakenByCalls != int64(len(users)*len(callHold)) || st.Extended != int64(b.N*len(callHold)) {
		b.Fatalf("%+v: want no lease taken after the users' first calls, and every later call extending its leases", st)
	}
}

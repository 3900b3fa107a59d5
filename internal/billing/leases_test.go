package billing_test

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/steward-dev/steward/ent/quotareservation"
	"github.com/steward-dev/steward/ent/usageevent"
	"github.com/steward-dev/steward/internal/audit"
	"github.com/steward-dev/steward/internal/authz"
	"github.com/steward-dev/steward/internal/billing"
	"github.com/steward-dev/steward/internal/db"
	"github.com/steward-dev/steward/internal/db/dbtest"
	"github.com/steward-dev/steward/internal/errs"
	"github.com/steward-dev/steward/internal/metric"
	"github.com/steward-dev/steward/internal/permissions"
	"github.com/steward-dev/steward/internal/settings"
)

// leaseWorld is n billing services (n gateway replicas) sharing one database and one clock, each
// metering through its own Leases.
type leaseWorld struct {
	*world
	meters []*billing.Leases
}

func newLeaseWorld(t testing.TB, b dbtest.Backend, replicas int, calls int64) *leaseWorld {
	t.Helper()
	return newLeaseWorldWith(t, b, replicas, billing.LeaseConfig{Calls: calls, Idle: time.Second, Window: 10 * time.Second})
}

// newLeaseWorldWith is newLeaseWorld with the meters' configuration (FlushInterval aside).
func newLeaseWorldWith(t testing.TB, b dbtest.Backend, replicas int, cfg billing.LeaseConfig) *leaseWorld {
	t.Helper()
	return newLeaseWorldOn(t, dbtest.NewDB(t, b), replicas, cfg)
}

// newLeaseWorldOn is newLeaseWorldWith on a database the test opened.
func newLeaseWorldOn(t testing.TB, d *db.DB, replicas int, cfg billing.LeaseConfig) *leaseWorld {
	t.Helper()
	clk := &clock{t: time.Date(2025, 1, 31, 12, 0, 0, 0, time.UTC)}
	log := audit.New(d, clk.Now)
	lw := &leaseWorld{}
	for i := range replicas {
		svc, err := billing.New(billing.Config{DB: d, Audit: log, Perms: permissions.New(d.Client, settings.NewStore(d.Client), log), Now: clk.Now})
		if err != nil {
			t.Fatal(err)
		}
		if i == 0 {
			lw.world = &world{svc: svc, client: d.Client, clock: clk, ctx: authz.AsOperator(context.Background())}
		}
		// A flush interval longer than any test: the tests flush by hand, so that what they see
		// does not depend on timing.
		cfg.FlushInterval = time.Hour
		m := billing.NewLeases(svc, cfg)
		t.Cleanup(m.Close)
		lw.meters = append(lw.meters, m)
	}
	return lw
}

// flush writes every replica's settled calls.
func (lw *leaseWorld) flush(t *testing.T) {
	t.Helper()
	for _, m := range lw.meters {
		if err := m.Flush(lw.ctx); err != nil {
			t.Fatal(err)
		}
	}
}

// wantCounter checks a metric's used and reserved budget.
func (lw *leaseWorld) wantCounter(t *testing.T, userID string, m metric.Metric, used, reserved int64) {
	t.Helper()
	c := lw.check(t, userID, m)
	if c.Used != used || c.Reserved != reserved {
		t.Fatalf("%s used %d reserved %d, want %d and %d", m, c.Used, c.Reserved, used, reserved)
	}
}

// A quota of N requests admits exactly N of 200 concurrent calls, whether they come through one
// replica or are spread over two sharing the database; the admitted calls settle in batches, and
// once the leases are idle everything held is given back.
func TestLeasesAdmitExactlyNOf200ConcurrentCalls(t *testing.T) {
	for _, b := range dbtest.Backends() {
		for _, replicas := range []int{1, 2} {
			t.Run(fmt.Sprintf("%s/%d replicas", b, replicas), func(t *testing.T) {
				lw := newLeaseWorld(t, b, replicas, 64)
				const n, calls = 100, 200
				u := lw.user(t, "bob")
				lw.subscribe(t, u, billing.Quota{Metric: metric.Requests, Limit: n})
				var (
					wg       sync.WaitGroup
					admitted atomic.Int64
					other    atomic.Value
				)
				// Flushes run all along, as the flush loop's do, so that leases replaced mid-way
				// are settled while their last calls are settling.
				stop := make(chan struct{})
				flushed := make(chan struct{})
				go func() {
					defer close(flushed)
					for {
						select {
						case <-stop:
							return
						default:
						}
						for _, m := range lw.meters {
							if err := m.Flush(lw.ctx); err != nil {
								other.Store(err)
							}
						}
					}
				}()
				for i := range calls {
					wg.Add(1)
					go func() {
						defer wg.Done()
						m := lw.meters[i%replicas]
						call, err := m.HoldCall(lw.ctx, billing.CallHold{UserID: u, Amounts: map[metric.Metric]int64{metric.Requests: 1, metric.TokensInput: 10}})
						if errs.CodeOf(err) == errs.CodeQuotaExceeded {
							return
						}
						if err != nil {
							other.Store(err)
							return
						}
						admitted.Add(1)
						if err := m.SettleCall(lw.ctx, call, billing.CallUsage{Amounts: map[metric.Metric]int64{metric.Requests: 1, metric.TokensInput: 7}}); err != nil {
							other.Store(err)
						}
					}()
				}
				wg.Wait()
				close(stop)
				<-flushed
				if err := other.Load(); err != nil {
					t.Fatal(err)
				}
				got := admitted.Load()
				// One replica admits exactly N. Two never admit more; one may refuse while the
				// other's lease still holds a rest, which comes back when that lease ends.
				if got > n || (replicas == 1 && got != n) {
					t.Fatalf("admitted %d of %d calls, want exactly %d", got, calls, n)
				}
				lw.flush(t)
				lw.clock.Advance(2 * time.Second) // the leases are idle now
				lw.flush(t)
				lw.wantCounter(t, u, metric.Requests, got, 0)
				lw.wantCounter(t, u, metric.TokensInput, 7*got, 0)
				events, err := lw.client.UsageEvent.Query().Where(usageevent.UserID(u), usageevent.MetricEQ(metric.Requests)).Count(lw.ctx)
				if err != nil || int64(events) != got {
					t.Fatalf("%d request events (%v), want one per admitted call (%d)", events, err, got)
				}
				// What is left is admitted to the last unit, and not one more.
				for i := got; i < n+1; i++ {
					call, err := lw.meters[int(i)%replicas].HoldCall(lw.ctx, billing.CallHold{UserID: u, Amounts: map[metric.Metric]int64{metric.Requests: 1}})
					if i == n {
						wantCode(t, err, errs.CodeQuotaExceeded)
						break
					}
					if err != nil {
						t.Fatalf("call %d of the quota of %d: %v", i+1, n, err)
					}
					if err := lw.meters[int(i)%replicas].SettleCall(lw.ctx, call, billing.CallUsage{Amounts: map[metric.Metric]int64{metric.Requests: 1}}); err != nil {
						t.Fatal(err)
					}
				}
				lw.flush(t)
				lw.clock.Advance(2 * time.Second)
				lw.flush(t)
				lw.wantCounter(t, u, metric.Requests, n, 0)
				active, err := lw.client.QuotaReservation.Query().Where(quotareservation.StatusEQ(quotareservation.StatusACTIVE)).Count(lw.ctx)
				if err != nil || active != 0 {
					t.Fatalf("%d leases still active (%v), want all given back", active, err)
				}
			})
		}
	}
}

// A lease's budget held by a call that failed goes back to the lease, a settled call's budget
// moves from reserved to used at the flush, and the unused rest goes back when the lease ends;
// with nothing settled nothing is recorded.
func TestLeaseHoldsAreGivenBack(t *testing.T) {
	for _, b := range dbtest.Backends() {
		t.Run(string(b), func(t *testing.T) {
			lw := newLeaseWorld(t, b, 1, 8)
			m := lw.meters[0]
			u := lw.user(t, "bob")
			lw.subscribe(t, u, billing.Quota{Metric: metric.TokensOutput, Limit: 1000})
			hold := billing.CallHold{UserID: u, Amounts: map[metric.Metric]int64{metric.TokensOutput: 10}}
			first, err := m.HoldCall(lw.ctx, hold)
			if err != nil {
				t.Fatal(err)
			}
			// One lease of 8 calls: 80 reserved in the database, whatever runs on it.
			lw.wantCounter(t, u, metric.TokensOutput, 0, 80)
			second, err := m.HoldCall(lw.ctx, hold)
			if err != nil {
				t.Fatal(err)
			}
			if err := m.ReleaseCall(lw.ctx, first); err != nil {
				t.Fatal(err)
			}
			if err := m.SettleCall(lw.ctx, second, billing.CallUsage{Amounts: map[metric.Metric]int64{metric.TokensOutput: 4}}); err != nil {
				t.Fatal(err)
			}
			lw.wantCounter(t, u, metric.TokensOutput, 0, 80) // not flushed yet
			lw.flush(t)
			lw.wantCounter(t, u, metric.TokensOutput, 4, 76)
			lw.clock.Advance(2 * time.Second)
			lw.flush(t)
			lw.wantCounter(t, u, metric.TokensOutput, 4, 0)
			r, err := lw.client.QuotaReservation.Query().Only(lw.ctx)
			if err != nil {
				t.Fatal(err)
			}
			if r.Status != quotareservation.StatusSETTLED || r.SettledAmount == nil || *r.SettledAmount != 4 {
				t.Fatalf("lease %s settled %v, want SETTLED with the 4 its calls used", r.Status, r.SettledAmount)
			}
		})
	}
}

// A lease past its window whose user calls again within the idle time admits for another window
// after one read finds the same terms, without a new reservation, until its life ends; a change
// of the user's plan, or of its quota, is seen at the first call past the window, which takes a
// new lease under the new terms and gives the old one's rest back.
func TestLeasePastItsWindowIsExtendedWhileTermsHold(t *testing.T) {
	for _, b := range dbtest.Backends() {
		for _, watched := range []bool{false, true} {
			name := string(b) + "/terms read at every extension"
			if watched {
				name = string(b) + "/terms read when written"
			}
			t.Run(name, func(t *testing.T) { testLeaseExtension(t, b, watched) })
		}
	}
}

// testLeaseExtension is TestLeasePastItsWindowIsExtendedWhileTermsHold, with the terms read at
// every extension or (watched) only when a subscription or plan was written since.
func testLeaseExtension(t *testing.T, b dbtest.Backend, watched bool) {
	d := dbtest.NewDB(t, b)
	cfg := billing.LeaseConfig{Calls: 8, Window: 10 * time.Second, Idle: time.Minute, Life: 45 * time.Second}
	if watched {
		cfg.TermsWrites = d.WatchTables(billing.TermsTables...).Count
	}
	lw := newLeaseWorldOn(t, d, 1, cfg)
	m := lw.meters[0]
	u := lw.user(t, "bob")
	planID := lw.subscribe(t, u, billing.Quota{Metric: metric.TokensOutput, Limit: 1000})
	hold := billing.CallHold{UserID: u, Amounts: map[metric.Metric]int64{metric.TokensOutput: 10}}
	used := int64(0)
	call := func() {
		t.Helper()
		c, err := m.HoldCall(lw.ctx, hold)
		if err != nil {
			t.Fatal(err)
		}
		if err := m.SettleCall(lw.ctx, c, billing.CallUsage{Amounts: map[metric.Metric]int64{metric.TokensOutput: 4}}); err != nil {
			t.Fatal(err)
		}
		used += 4
		lw.flush(t)
	}
	leases := func(want int, status quotareservation.Status) {
		t.Helper()
		n, err := lw.client.QuotaReservation.Query().Where(quotareservation.StatusEQ(status)).Count(lw.ctx)
		if err != nil || n != want {
			t.Fatalf("%d %s leases (%v), want %d", n, status, err, want)
		}
	}
	call()
	lw.wantCounter(t, u, metric.TokensOutput, 4, 76)
	// Every 15 s: past the window each time, within the idle time. The lease stays and is
	// extended, holding what it held.
	for i := range 2 {
		lw.clock.Advance(15 * time.Second)
		lw.flush(t)
		lw.wantCounter(t, u, metric.TokensOutput, used, 80-used)
		call()
		if st := m.Stats(); st.Extended != int64(i+1) || st.TakenByCalls != 1 {
			t.Fatalf("after call %d: %+v, want %d extended and the first lease only", i+2, st, i+1)
		}
		leases(1, quotareservation.StatusACTIVE)
	}
	// Past its life (45 s): the next call takes a new lease, the old one settles.
	lw.clock.Advance(15 * time.Second)
	call()
	if st := m.Stats(); st.Extended != 2 || st.TakenByCalls != 2 {
		t.Fatalf("past the lease's life: %+v, want a new lease", st)
	}
	leases(1, quotareservation.StatusACTIVE)
	leases(1, quotareservation.StatusSETTLED)
	lw.wantCounter(t, u, metric.TokensOutput, 16, 80-4)

	// The plan's quota changes: the first call past the window reads it and takes a new
	// lease under the new limit.
	if _, err := lw.svc.UpdatePlan(lw.ctx, planID, billing.PlanUpdate{Quotas: []billing.Quota{{Metric: metric.TokensOutput, Limit: 2000}}}); err != nil {
		t.Fatal(err)
	}
	lw.clock.Advance(15 * time.Second)
	call()
	if st := m.Stats(); st.Extended != 2 || st.TakenByCalls != 3 {
		t.Fatalf("after the plan changed: %+v, want a new lease", st)
	}
	lw.wantCounter(t, u, metric.TokensOutput, 20, 80-4)
	leases(1, quotareservation.StatusACTIVE)
	leases(2, quotareservation.StatusSETTLED)

	// A quota changed behind steward's back (straight through SQL, which no watch counts)
	// shows which way the lease was extended: read, the change takes a new lease; watched,
	// nothing of steward's wrote since the terms were read, so the lease is extended
	// without reading them (the change reaches calls with the next lease, within Life).
	if _, err := d.SQL.ExecContext(lw.ctx, db.Rebind(d.Dialect, `UPDATE plans SET quotas = ? WHERE id = ?`), `{"tokens_output": 3000}`, planID); err != nil {
		t.Fatal(err)
	}
	lw.clock.Advance(15 * time.Second)
	call()
	want := billing.LeaseStats{Extended: 2, TakenByCalls: 4}
	if watched {
		want = billing.LeaseStats{Extended: 3, TakenByCalls: 3}
	}
	if st := m.Stats(); st.Extended != want.Extended || st.TakenByCalls != want.TakenByCalls {
		t.Fatalf("after a change no watch saw: %+v, want %+v", st, want)
	}
}

// A lease whose process died expires like any reservation, freeing only what its settled calls
// had not already moved to used.
func TestAnExpiredLeaseFreesOnlyItsRest(t *testing.T) {
	for _, b := range dbtest.Backends() {
		t.Run(string(b), func(t *testing.T) {
			lw := newLeaseWorld(t, b, 1, 8)
			m := lw.meters[0]
			u := lw.user(t, "bob")
			lw.subscribe(t, u, billing.Quota{Metric: metric.Requests, Limit: 1000})
			hold := billing.CallHold{UserID: u, Amounts: map[metric.Metric]int64{metric.Requests: 1}}
			call, err := m.HoldCall(lw.ctx, hold)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := m.HoldCall(lw.ctx, hold); err != nil { // never settles: the process "dies"
				t.Fatal(err)
			}
			if err := m.SettleCall(lw.ctx, call, billing.CallUsage{Amounts: map[metric.Metric]int64{metric.Requests: 1}}); err != nil {
				t.Fatal(err)
			}
			lw.flush(t)
			lw.wantCounter(t, u, metric.Requests, 1, 7)
			lw.clock.Advance(time.Hour)
			if n, err := lw.svc.ExpireReservations(lw.ctx, lw.clock.Now()); err != nil || n != 1 {
				t.Fatalf("expired %d (%v), want the lease", n, err)
			}
			lw.wantCounter(t, u, metric.Requests, 1, 0)
		})
	}
}

// With leases off every call is held on its own in the database, as Service.HoldCall does.
func TestLeasesOffHoldEachCall(t *testing.T) {
	lw := newLeaseWorld(t, dbtest.SQLite, 1, 0)
	u := lw.user(t, "bob")
	lw.subscribe(t, u, billing.Quota{Metric: metric.Requests, Limit: 10})
	call, err := lw.meters[0].HoldCall(lw.ctx, billing.CallHold{UserID: u, Amounts: map[metric.Metric]int64{metric.Requests: 1}})
	if err != nil {
		t.Fatal(err)
	}
	if len(call.Reservations) != 1 {
		t.Fatalf("call %+v, want one reservation of its own", call)
	}
	lw.wantCounter(t, u, metric.Requests, 0, 1)
}

// A busy user's leases are renewed in the background before they run out, so that after the
// first lease no call waits for one; the old lease gives its rest back once its calls have
// settled, and closing the meter gives back the lease taken ahead.
func TestBusyUsersLeasesAreRenewedAhead(t *testing.T) {
	for _, b := range dbtest.Backends() {
		t.Run(string(b), func(t *testing.T) {
			lw := newLeaseWorld(t, b, 1, 8)
			m := lw.meters[0]
			u := lw.user(t, "bob")
			lw.subscribe(t, u, billing.Quota{Metric: metric.Requests, Limit: 10_000})
			hold := billing.CallHold{UserID: u, Amounts: map[metric.Metric]int64{metric.Requests: 1}}
			const calls = 40
			for i := range calls {
				call, err := m.HoldCall(lw.ctx, hold)
				if err != nil {
					t.Fatalf("call %d: %v", i, err)
				}
				if err := m.SettleCall(lw.ctx, call, billing.CallUsage{Amounts: map[metric.Metric]int64{metric.Requests: 1}}); err != nil {
					t.Fatal(err)
				}
				m.WaitRenewals()
				if i%5 == 4 {
					lw.flush(t)
				}
			}
			st := m.Stats()
			// Leases of 8 calls renewed with 1 left: the first taken by a call, then one ahead
			// every 7 calls.
			if st.TakenByCalls != 1 || st.TakenAhead != (calls-1)/7 {
				t.Fatalf("leases taken by calls %d, ahead %d; want 1 and %d", st.TakenByCalls, st.TakenAhead, (calls-1)/7)
			}
			lw.flush(t)
			// What the calls used is counted; held is the current lease only (the replaced ones
			// gave their rest back when their calls had settled).
			lw.wantCounter(t, u, metric.Requests, calls, 8-(calls-7*st.TakenAhead))
			m.Close()
			lw.wantCounter(t, u, metric.Requests, calls, 0)
			n, err := lw.client.QuotaReservation.Query().Where(quotareservation.StatusEQ(quotareservation.StatusACTIVE)).Count(lw.ctx)
			if err != nil || n != 0 {
				t.Fatalf("%d leases still active after Close (%v)", n, err)
			}
		})
	}
}

// Near the limit nothing is taken ahead: leases of one call are held exactly, as the calls come.
func TestNoRenewalNearTheLimit(t *testing.T) {
	lw := newLeaseWorld(t, dbtest.SQLite, 1, 64)
	m := lw.meters[0]
	u := lw.user(t, "bob")
	lw.subscribe(t, u, billing.Quota{Metric: metric.Requests, Limit: 7})
	hold := billing.CallHold{UserID: u, Amounts: map[metric.Metric]int64{metric.Requests: 1}}
	for i := range 7 {
		call, err := m.HoldCall(lw.ctx, hold)
		if err != nil {
			t.Fatalf("call %d: %v", i, err)
		}
		if err := m.SettleCall(lw.ctx, call, billing.CallUsage{Amounts: map[metric.Metric]int64{metric.Requests: 1}}); err != nil {
			t.Fatal(err)
		}
		m.WaitRenewals()
		lw.flush(t)
	}
	if _, err := m.HoldCall(lw.ctx, hold); errs.CodeOf(err) != errs.CodeQuotaExceeded {
		t.Fatalf("the eighth call: %v, want QUOTA_EXCEEDED", err)
	}
	if st := m.Stats(); st.TakenAhead != 0 || st.TakenByCalls != 7 {
		t.Fatalf("leases taken by calls %d, ahead %d; want 7 one-call leases and none ahead", st.TakenByCalls, st.TakenAhead)
	}
	lw.wantCounter(t, u, metric.Requests, 7, 0)
}

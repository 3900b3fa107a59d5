package billing_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/steward-dev/steward/ent"
	"github.com/steward-dev/steward/ent/plan"
	"github.com/steward-dev/steward/ent/plansubscription"
	"github.com/steward-dev/steward/ent/usageevent"
	"github.com/steward-dev/steward/internal/audit"
	"github.com/steward-dev/steward/internal/auth"
	"github.com/steward-dev/steward/internal/authz"
	"github.com/steward-dev/steward/internal/billing"
	"github.com/steward-dev/steward/internal/db"
	"github.com/steward-dev/steward/internal/db/dbtest"
	"github.com/steward-dev/steward/internal/errs"
	"github.com/steward-dev/steward/internal/metric"
	"github.com/steward-dev/steward/internal/permissions"
	"github.com/steward-dev/steward/internal/settings"
)

// clock is a settable time source.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time          { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Advance(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }

// world is a billing service on a throwaway database, driven by the operator actor (test
// fixtures may do anything; who may call what is the authorization matrix's business).
type world struct {
	svc    *billing.Service
	client *ent.Client
	clock  *clock
	ctx    context.Context
}

func newWorld(t *testing.T, b dbtest.Backend) *world { return newWorldWith(t, b, nil) }

// newWorldWith is newWorld whose service groups usage reports with the batcher that batch makes
// of the database (none when batch is nil).
func newWorldWith(t testing.TB, b dbtest.Backend, batch func(*db.DB) *db.Batcher) *world {
	t.Helper()
	return newWorldConfig(t, b, func(cfg *billing.Config, d *db.DB) {
		if batch != nil {
			cfg.Batch = batch(d)
		}
	})
}

// newWorldConfig is newWorld whose service configuration configure completes.
func newWorldConfig(t testing.TB, b dbtest.Backend, configure func(*billing.Config, *db.DB)) *world {
	t.Helper()
	d := dbtest.NewDB(t, b)
	clk := &clock{t: time.Date(2025, 1, 31, 12, 0, 0, 0, time.UTC)}
	log := audit.New(d, clk.Now)
	cfg := billing.Config{DB: d, Audit: log, Perms: permissions.New(d.Client, settings.NewStore(d.Client), log), Now: clk.Now}
	configure(&cfg, d)
	svc, err := billing.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return &world{svc: svc, client: d.Client, clock: clk, ctx: authz.AsOperator(context.Background())}
}

// user creates an account and returns its id.
func (w *world) user(t testing.TB, name string) string {
	t.Helper()
	u, err := w.client.User.Create().SetName(name).SetEmail(name + "@example.com").SetRole("USER").Save(w.ctx)
	if err != nil {
		t.Fatal(err)
	}
	return u.ID
}

// subscribe gives userID a new monthly plan with quotas and returns the plan's id.
func (w *world) subscribe(t *testing.T, userID string, quotas ...billing.Quota) string {
	t.Helper()
	p, err := w.svc.CreatePlan(w.ctx, billing.PlanInput{Name: "Plan " + userID, Price: "10", Currency: "USD", Quotas: quotas})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.svc.AssignPlan(w.ctx, billing.AssignInput{UserID: userID, PlanID: p.ID}); err != nil {
		t.Fatal(err)
	}
	return p.ID
}

func (w *world) record(userID string, m metric.Metric, amount int64, enforce bool) error {
	_, err := w.svc.RecordUsage(w.ctx, billing.RecordInput{UserID: userID, Metric: m, Amount: amount, Enforce: enforce})
	return err
}

// check asks whether one more unit of m fits userID's quota.
func (w *world) check(t *testing.T, userID string, m metric.Metric) billing.QuotaCheck {
	t.Helper()
	c, err := w.svc.CheckQuota(w.ctx, userID, m, 1)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func wantCode(t *testing.T, err error, code errs.Code) {
	t.Helper()
	if errs.CodeOf(err) != code {
		t.Fatalf("error = %v, want %s", err, code)
	}
}

// TestQuotaBoundary: a quota of N admits exactly N units in any split, and refuses the next one
// without recording it, whether the units come as reports or as holds.
func TestQuotaBoundary(t *testing.T) {
	for _, b := range dbtest.Backends() {
		t.Run(string(b), func(t *testing.T) {
			w := newWorld(t, b)
			const n = 5
			tests := []struct {
				name string
				// fill uses the whole quota through the service; it must succeed.
				fill func(w *world, user string) error
			}{
				{"one report of N", func(w *world, u string) error { return w.record(u, metric.Requests, n, true) }},
				{"N reports of one", func(w *world, u string) error {
					for range n {
						if err := w.record(u, metric.Requests, 1, true); err != nil {
							return err
						}
					}
					return nil
				}},
				{"a hold and a report", func(w *world, u string) error {
					if _, err := w.svc.ReserveQuota(w.ctx, billing.ReserveInput{UserID: u, Metric: metric.Requests, Amount: n - 2}); err != nil {
						return err
					}
					return w.record(u, metric.Requests, 2, true)
				}},
				{"a hold of N", func(w *world, u string) error {
					_, err := w.svc.ReserveQuota(w.ctx, billing.ReserveInput{UserID: u, Metric: metric.Requests, Amount: n})
					return err
				}},
			}
			for i, tt := range tests {
				t.Run(tt.name, func(t *testing.T) {
					u := w.user(t, fmt.Sprintf("user%d", i))
					w.subscribe(t, u, billing.Quota{Metric: metric.Requests, Limit: n})
					if err := tt.fill(w, u); err != nil {
						t.Fatalf("filling the quota of %d: %v", n, err)
					}
					events := func() int {
						c, err := w.client.UsageEvent.Query().Where(usageevent.UserID(u)).Count(w.ctx)
						if err != nil {
							t.Fatal(err)
						}
						return c
					}
					before := events()
					err := w.record(u, metric.Requests, 1, true)
					wantCode(t, err, errs.CodeQuotaExceeded)
					e, _ := errs.As(err)
					if e.Extra["limit"] != int64(n) || e.Extra["requested"] != int64(1) {
						t.Errorf("refusal extensions = %v, want limit %d and requested 1", e.Extra, n)
					}
					_, err = w.svc.ReserveQuota(w.ctx, billing.ReserveInput{UserID: u, Metric: metric.Requests, Amount: 1})
					wantCode(t, err, errs.CodeQuotaExceeded)
					if after := events(); after != before {
						t.Errorf("a refused report recorded an event: %d -> %d", before, after)
					}
					c := w.check(t, u, metric.Requests)
					if c.Used+c.Reserved != n || c.Allowed || *c.Remaining != 0 {
						t.Errorf("after filling: used %d + reserved %d, allowed %v, remaining %d; want %d, refused, 0",
							c.Used, c.Reserved, c.Allowed, *c.Remaining, n)
					}
				})
			}
			t.Run("N+1 at once is refused on an empty counter", func(t *testing.T) {
				u := w.user(t, "over")
				w.subscribe(t, u, billing.Quota{Metric: metric.Requests, Limit: n})
				wantCode(t, w.record(u, metric.Requests, n+1, true), errs.CodeQuotaExceeded)
				_, err := w.svc.ReserveQuota(w.ctx, billing.ReserveInput{UserID: u, Metric: metric.Requests, Amount: n + 1})
				wantCode(t, err, errs.CodeQuotaExceeded)
				if c := w.check(t, u, metric.Requests); c.Used != 0 || c.Reserved != 0 {
					t.Errorf("refusals moved the counter: used %d, reserved %d", c.Used, c.Reserved)
				}
			})
		})
	}
}

// TestWhatCountsAgainstAQuota: only the plan's metric counts, unenforced reports count (metering
// tells the truth, and later enforced calls are refused), and a quota of zero admits nothing.
func TestWhatCountsAgainstAQuota(t *testing.T) {
	for _, b := range dbtest.Backends() {
		t.Run(string(b), func(t *testing.T) {
			w := newWorld(t, b)
			u := w.user(t, "carol")
			w.subscribe(t, u, billing.Quota{Metric: metric.Requests, Limit: 3}, billing.Quota{Metric: metric.Images, Limit: 0})

			if err := w.record(u, metric.TokensInput, metric.MaxAmount, true); err != nil {
				t.Fatalf("a metric without a quota is unlimited: %v", err)
			}
			if c := w.check(t, u, metric.Requests); c.Used != 0 {
				t.Errorf("another metric's usage counted against REQUESTS: used %d", c.Used)
			}
			wantCode(t, w.record(u, metric.Images, 1, true), errs.CodeQuotaExceeded)
			if err := w.record(u, metric.Images, 0, true); err != nil {
				t.Errorf("a zero report under a zero quota: %v", err)
			}
			if err := w.record(u, metric.Requests, 5, false); err != nil {
				t.Fatalf("unenforced report over the quota: %v", err)
			}
			c := w.check(t, u, metric.Requests)
			if c.Used != 5 || c.Allowed || *c.Remaining != 0 || *c.Percentage < 166 {
				t.Errorf("after an unenforced overage: %+v; want used 5, refused, remaining 0", c)
			}
			wantCode(t, w.record(u, metric.Requests, 1, true), errs.CodeQuotaExceeded)
		})
	}
}

// TestReservationArithmetic follows one counter through holds, settles and releases.
func TestReservationArithmetic(t *testing.T) {
	for _, b := range dbtest.Backends() {
		t.Run(string(b), func(t *testing.T) {
			w := newWorld(t, b)
			u := w.user(t, "dora")
			w.subscribe(t, u, billing.Quota{Metric: metric.TokensOutput, Limit: 100})
			reserve := func(amount int64) (string, error) {
				r, err := w.svc.ReserveQuota(w.ctx, billing.ReserveInput{UserID: u, Metric: metric.TokensOutput, Amount: amount, TTL: time.Minute})
				if err != nil {
					return "", err
				}
				return r.Reservation.ID, nil
			}
			mustReserve := func(amount int64) string {
				t.Helper()
				id, err := reserve(amount)
				if err != nil {
					t.Fatalf("reserving %d: %v", amount, err)
				}
				return id
			}
			state := func(wantUsed, wantReserved int64) {
				t.Helper()
				c := w.check(t, u, metric.TokensOutput)
				if c.Used != wantUsed || c.Reserved != wantReserved || *c.Remaining != 100-min(wantUsed+wantReserved, 100) {
					t.Fatalf("used, reserved, remaining = %d, %d, %d; want %d, %d, %d",
						c.Used, c.Reserved, *c.Remaining, wantUsed, wantReserved, 100-min(wantUsed+wantReserved, 100))
				}
			}

			r1 := mustReserve(40)
			state(0, 40)
			s, err := w.svc.SettleReservation(w.ctx, billing.SettleInput{ID: r1, ActualAmount: 25})
			if err != nil {
				t.Fatal(err)
			}
			if s.Event.Amount != 25 || s.Quota.Used != 25 || s.Quota.Reserved != 0 {
				t.Errorf("settle = event %d, used %d, reserved %d; want 25, 25, 0", s.Event.Amount, s.Quota.Used, s.Quota.Reserved)
			}
			state(25, 0)

			r2 := mustReserve(75) // exactly what is left
			state(25, 75)
			if _, err := reserve(1); errs.CodeOf(err) != errs.CodeQuotaExceeded {
				t.Fatalf("reserving past a full counter = %v, want QUOTA_EXCEEDED", err)
			}
			if _, err := w.svc.ReleaseReservation(w.ctx, r2); err != nil {
				t.Fatal(err)
			}
			state(25, 0)

			r3 := mustReserve(10)
			if _, err := w.svc.SettleReservation(w.ctx, billing.SettleInput{ID: r3, ActualAmount: 0}); err != nil {
				t.Fatal(err)
			}
			state(25, 0)

			r4 := mustReserve(50)
			if _, err := w.svc.SettleReservation(w.ctx, billing.SettleInput{ID: r4, ActualAmount: 80}); err != nil {
				t.Fatalf("settling above the hold records the overage: %v", err)
			}
			state(105, 0)

			for _, id := range []string{r1, r2, r3, r4} {
				_, err := w.svc.SettleReservation(w.ctx, billing.SettleInput{ID: id, ActualAmount: 1})
				wantCode(t, err, errs.CodeConflict)
				_, err = w.svc.ReleaseReservation(w.ctx, id)
				wantCode(t, err, errs.CodeConflict)
			}
			state(105, 0)

			bad := []struct {
				name  string
				in    billing.ReserveInput
				field string
			}{
				{"zero amount", billing.ReserveInput{UserID: u, Metric: metric.TokensOutput, Amount: 0}, "amount"},
				{"amount above the per-call maximum", billing.ReserveInput{UserID: u, Metric: metric.TokensOutput, Amount: metric.MaxAmount + 1}, "amount"},
				{"ttl under a second", billing.ReserveInput{UserID: u, Metric: metric.TokensOutput, Amount: 1, TTL: time.Millisecond}, "ttlSeconds"},
				{"ttl over a day", billing.ReserveInput{UserID: u, Metric: metric.TokensOutput, Amount: 1, TTL: billing.MaxReservationTTL + time.Second}, "ttlSeconds"},
				{"unknown metric", billing.ReserveInput{UserID: u, Metric: "BOGUS", Amount: 1}, "metric"},
			}
			for _, c := range bad {
				t.Run(c.name, func(t *testing.T) {
					_, err := w.svc.ReserveQuota(w.ctx, c.in)
					if e, ok := errs.As(err); !ok || e.Code != errs.CodeBadUserInput || e.Field != c.field {
						t.Fatalf("ReserveQuota = %v, want BAD_USER_INPUT on %s", err, c.field)
					}
				})
			}
			state(105, 0)
		})
	}
}

// TestQuotaResetsWithThePeriod: the counter belongs to the period; the next period starts empty,
// computed from the anchor (Jan 31 renews on Feb 28, then Mar 31).
func TestQuotaResetsWithThePeriod(t *testing.T) {
	for _, b := range dbtest.Backends() {
		t.Run(string(b), func(t *testing.T) {
			w := newWorld(t, b)
			u := w.user(t, "eve")
			w.subscribe(t, u, billing.Quota{Metric: metric.Requests, Limit: 2})
			if err := w.record(u, metric.Requests, 2, true); err != nil {
				t.Fatal(err)
			}
			wantCode(t, w.record(u, metric.Requests, 1, true), errs.CodeQuotaExceeded)
			c := w.check(t, u, metric.Requests)
			if want := time.Date(2025, 2, 28, 12, 0, 0, 0, time.UTC); !c.ResetsAt.Equal(want) {
				t.Fatalf("resetsAt = %v, want %v", c.ResetsAt, want)
			}

			w.clock.Advance(c.ResetsAt.Sub(w.clock.Now()) - time.Microsecond)
			wantCode(t, w.record(u, metric.Requests, 1, true), errs.CodeQuotaExceeded)

			w.clock.Advance(time.Microsecond) // exactly on the boundary: the new period
			c = w.check(t, u, metric.Requests)
			if c.Used != 0 || !c.Allowed || !c.ResetsAt.Equal(time.Date(2025, 3, 31, 12, 0, 0, 0, time.UTC)) {
				t.Fatalf("new period = used %d, allowed %v, resets %v; want 0, true, Mar 31", c.Used, c.Allowed, c.ResetsAt)
			}
			if err := w.record(u, metric.Requests, 2, true); err != nil {
				t.Fatalf("the new period's quota: %v", err)
			}
			wantCode(t, w.record(u, metric.Requests, 1, true), errs.CodeQuotaExceeded)
		})
	}
}

// TestCheckQuotaReadsItsPeriodsCounter: checkQuota reads the counters of its metric that have
// not ended along with the subscription, and counts only the current period's, even when a
// counter of another period has not ended yet (a period that a plan change restarted).
func TestCheckQuotaReadsItsPeriodsCounter(t *testing.T) {
	for _, b := range dbtest.Backends() {
		t.Run(string(b), func(t *testing.T) {
			w := newWorld(t, b)
			u := w.user(t, "gus")
			w.subscribe(t, u, billing.Quota{Metric: metric.Requests, Limit: 100})
			if c := w.check(t, u, metric.Requests); c.Used != 0 || !c.Allowed {
				t.Fatalf("before any usage: %+v", c)
			}
			if err := w.record(u, metric.Requests, 3, true); err != nil {
				t.Fatal(err)
			}
			sub := w.client.PlanSubscription.Query().Where(plansubscription.UserID(u)).OnlyX(w.ctx)
			start := *w.check(t, u, metric.Requests).PeriodStart
			w.client.UsageCounter.Create().SetSubscriptionID(sub.ID).SetUserID(u).SetMetric(metric.Requests).
				SetPeriodStart(start.AddDate(0, 0, -1)).SetPeriodEnd(start.AddDate(1, 0, 0)).SetUsed(50).SaveX(w.ctx)
			if c := w.check(t, u, metric.Requests); c.Used != 3 || c.Reserved != 0 || *c.Remaining != 97 {
				t.Errorf("with another period's counter not ended: used %d, reserved %d, remaining %d; want 3, 0, 97", c.Used, c.Reserved, *c.Remaining)
			}
			if c := w.check(t, u, metric.Images); c.Used != 0 || c.Limit != nil {
				t.Errorf("a metric without a quota or a counter: %+v", c)
			}
			_, err := w.svc.CheckQuota(w.ctx, "no-such-user", metric.Requests, 1)
			wantCode(t, err, errs.CodeNotFound)
		})
	}
}

// TestPlanRulesWithSubscribers: what may change on a plan once someone subscribes, and that a
// refused change leaves the plan and the audit log as they were.
func TestPlanRulesWithSubscribers(t *testing.T) {
	for _, b := range dbtest.Backends() {
		t.Run(string(b), func(t *testing.T) {
			w := newWorld(t, b)
			u := w.user(t, "fay")
			planID := w.subscribe(t, u, billing.Quota{Metric: metric.Requests, Limit: 10}, billing.Quota{Metric: metric.Images, Limit: 4})
			update := func(in billing.PlanUpdate) error {
				_, err := w.svc.UpdatePlan(w.ctx, planID, in)
				return err
			}
			entries := func() int {
				n, err := w.client.AuditLog.Query().Count(w.ctx)
				if err != nil {
					t.Fatal(err)
				}
				return n
			}
			year := plan.IntervalYEAR
			refused := []struct {
				name string
				in   billing.PlanUpdate
				code errs.Code
			}{
				{"lowering a quota", billing.PlanUpdate{Quotas: []billing.Quota{{Metric: metric.Requests, Limit: 9}, {Metric: metric.Images, Limit: 4}}}, errs.CodeConflict},
				{"changing the interval", billing.PlanUpdate{Interval: &year}, errs.CodeConflict},
				{"a cut hidden among other changes", billing.PlanUpdate{Name: ptr("New"), Quotas: []billing.Quota{{Metric: metric.Images, Limit: 1}}}, errs.CodeConflict},
				{"bad input before any rule", billing.PlanUpdate{DisplayOrder: ptr(-1), Interval: &year}, errs.CodeBadUserInput},
			}
			before := entries()
			for _, tt := range refused {
				t.Run(tt.name, func(t *testing.T) {
					wantCode(t, update(tt.in), tt.code)
				})
			}
			p, err := w.svc.Plan(w.ctx, planID)
			if err != nil {
				t.Fatal(err)
			}
			if p.Name != "Plan "+u || p.Interval != plan.IntervalMONTH || p.Quotas["REQUESTS"] != 10 || p.Quotas["IMAGES"] != 4 {
				t.Errorf("refused updates changed the plan: %+v", p)
			}
			if after := entries(); after != before {
				t.Errorf("refused updates wrote %d audit entries", after-before)
			}

			allowed := []struct {
				name string
				in   billing.PlanUpdate
			}{
				{"raising a quota", billing.PlanUpdate{Quotas: []billing.Quota{{Metric: metric.Requests, Limit: 11}, {Metric: metric.Images, Limit: 4}}}},
				{"dropping a metric (unlimited)", billing.PlanUpdate{Quotas: []billing.Quota{{Metric: metric.Requests, Limit: 11}}}},
				{"a limit on a metric that was unlimited", billing.PlanUpdate{Quotas: []billing.Quota{{Metric: metric.Requests, Limit: 11}, {Metric: metric.Images, Limit: 1}}}},
				{"price and text", billing.PlanUpdate{Price: ptr("12.50"), Name: ptr("Renamed")}},
				{"deactivation", billing.PlanUpdate{IsActive: ptr(false)}},
			}
			for _, tt := range allowed {
				t.Run(tt.name, func(t *testing.T) {
					if err := update(tt.in); err != nil {
						t.Fatalf("UpdatePlan = %v, want allowed", err)
					}
				})
			}
			if got := entries() - before; got != len(allowed) {
				t.Errorf("allowed updates wrote %d audit entries, want %d", got, len(allowed))
			}
			if err := update(billing.PlanUpdate{Name: ptr("Renamed")}); err != nil {
				t.Fatal(err)
			}
			if got := entries() - before; got != len(allowed) {
				t.Errorf("an update that changes nothing wrote an audit entry")
			}

			// A deactivated plan keeps its subscribers and their quota; it only takes no new ones.
			if err := w.record(u, metric.Requests, 11, true); err != nil {
				t.Errorf("the subscriber of a deactivated plan lost its quota: %v", err)
			}
			other := w.user(t, "gus")
			asOther := auth.WithViewer(context.Background(), &auth.Viewer{UserID: other, Role: auth.RoleUser})
			_, err = w.svc.Subscribe(asOther, planID, "https://example.com/back")
			wantCode(t, err, errs.CodeNotFound)
			_, err = w.svc.UpdatePlan(w.ctx, "no-such-plan", billing.PlanUpdate{Name: ptr("x")})
			wantCode(t, err, errs.CodeNotFound)
			if _, err := w.svc.DeletePlan(w.ctx, planID); !errors.Is(err, errs.ErrConflict) {
				t.Errorf("deleting a plan with a subscriber = %v, want CONFLICT", err)
			}
		})
	}
}

func ptr[T any](v T) *T { return &v }

// Package analyticsbench seeds a database with a realistic billing history and times the
// analytics queries over it, for the scale target of revenue analytics (100,000 users, 100,000
// subscriptions, 1,000,000 usage events: a year's overview and every plan's stats under 100 ms
// each). Both the Go benchmarks of internal/analytics and cmd/steward-bench use it.
package analyticsbench

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"time"

	"github.com/steward-dev/steward/ent"
	"github.com/steward-dev/steward/ent/plan"
	"github.com/steward-dev/steward/ent/plansubscription"
	"github.com/steward-dev/steward/ent/transaction"
	"github.com/steward-dev/steward/internal/analytics"
	"github.com/steward-dev/steward/internal/authz"
	"github.com/steward-dev/steward/internal/metric"
)

// batch is the number of rows per bulk insert: about 20,000 bind parameters for the widest
// table, under both SQLite's (32,766) and PostgreSQL's (65,535) limits.
const batch = 1000

// seedPlan is one plan of the catalogue, with the share of subscriptions it gets.
type seedPlan struct {
	id, currency string
	price        int64
	interval     plan.Interval
	weight       int
}

// catalogue is ten plans across every interval and three currencies, weighted as a real
// catalogue is: many free and monthly subscribers, few on daily or weekly plans.
var catalogue = []seedPlan{
	{"free", "RUB", 0, plan.IntervalMONTH, 200},
	{"start", "RUB", 29900, plan.IntervalMONTH, 250},
	{"pro", "RUB", 99900, plan.IntervalMONTH, 150},
	{"pro-year", "RUB", 999000, plan.IntervalYEAR, 80},
	{"team", "RUB", 299900, plan.IntervalMONTH, 50},
	{"basic-usd", "USD", 900, plan.IntervalMONTH, 120},
	{"pro-usd", "USD", 2900, plan.IntervalMONTH, 80},
	{"pro-usd-year", "USD", 29000, plan.IntervalYEAR, 45},
	{"weekly-usd", "USD", 300, plan.IntervalWEEK, 20},
	{"daily-eur", "EUR", 100, plan.IntervalDAY, 5},
}

// seedSub is what the seeder remembers of a subscription to place its payments and usage.
type seedSub struct {
	id, userID   string
	plan         *seedPlan
	created, end time.Time // end is ended_at, or now for a live subscription
	paidFrom     time.Time // after the trial
}

// Seed writes users, subscriptions (one current one per user at most), their monthly payments
// and usageEvents usage events into an empty database through client, in bulk inserts of 1,000
// rows, each batch in its own transaction. The distribution: ten plans across intervals and
// currencies; subscriptions started uniformly over the last two years, about 10% ended, and of the
// live ones about 5% PAST_DUE, 2% PAUSED, one in twenty of the paid ones complimentary, and TRIALING when started in the last 14 days (half of
// those); one SUCCEEDED payment per billing period of every paid, non-trial subscription (daily and
// weekly plans are charged once a month for the month's periods); usage events spread over the
// last year across the metrics, each within the life of a random subscription. It is
// deterministic for given counts except for the current time.
func Seed(ctx context.Context, client *ent.Client, users, subscriptions, usageEvents int) error {
	if users <= 0 || subscriptions < 0 || usageEvents < 0 {
		return errors.New("analyticsbench: users must be positive, the other counts non-negative")
	}
	ctx = authz.As(ctx, authz.Operator)
	now := time.Now().UTC()
	rng := rand.New(rand.NewPCG(uint64(users), uint64(subscriptions)))

	for i, p := range catalogue {
		err := client.Plan.Create().SetID(p.id).SetName(p.id).SetCurrency(p.currency).SetPriceMinor(p.price).
			SetInterval(p.interval).SetDisplayOrder(i).Exec(ctx)
		if err != nil {
			return fmt.Errorf("seeding plan %s: %w", p.id, err)
		}
	}

	userIDs := make([]string, users)
	err := inBatches(ctx, client, users, func(tc *ent.Client, lo, hi int) error {
		b := make([]*ent.UserCreate, 0, hi-lo)
		for i := lo; i < hi; i++ {
			userIDs[i] = fmt.Sprintf("00000000-0000-4000-8000-%012d", i)
			created := now.Add(-time.Duration(rng.Int64N(int64(2 * 365 * 24 * time.Hour))))
			b = append(b, tc.User.Create().SetID(userIDs[i]).SetName(fmt.Sprintf("User %d", i)).
				SetEmail(fmt.Sprintf("user%d@bench.example", i)).SetRole("USER").
				SetCreatedAt(created).SetUpdatedAt(created).SetLastActiveAt(created))
		}
		return tc.User.CreateBulk(b...).Exec(ctx)
	})
	if err != nil {
		return fmt.Errorf("seeding users: %w", err)
	}

	totalWeight := 0
	for _, p := range catalogue {
		totalWeight += p.weight
	}
	pickPlan := func() *seedPlan {
		w := rng.IntN(totalWeight)
		for i := range catalogue {
			if w < catalogue[i].weight {
				return &catalogue[i]
			}
			w -= catalogue[i].weight
		}
		return &catalogue[len(catalogue)-1]
	}
	subs := make([]seedSub, subscriptions)
	err = inBatches(ctx, client, subscriptions, func(tc *ent.Client, lo, hi int) error {
		b := make([]*ent.PlanSubscriptionCreate, 0, hi-lo)
		for i := lo; i < hi; i++ {
			p := pickPlan()
			created := now.Add(-time.Duration(rng.Int64N(int64(2 * 365 * 24 * time.Hour))))
			s := seedSub{id: fmt.Sprintf("00000000-0000-4000-9000-%012d", i), userID: userIDs[i%users],
				plan: p, created: created, end: now, paidFrom: created}
			q := tc.PlanSubscription.Create().SetID(s.id).SetUserID(s.userID).SetPlanID(p.id).
				SetCreatedAt(created).SetUpdatedAt(created).SetPeriodAnchor(created).
				SetPriceMinor(p.price).SetCurrency(p.currency).SetInterval(plansubscription.Interval(p.interval)).
				// One in twenty was granted by an admin: complimentary, out of MRR.
				SetComplimentary(p.price > 0 && i%20 == 0)
			// A user has one current subscription at most, so any beyond one per user have ended.
			ended := i >= users || rng.IntN(10) == 0
			status := plansubscription.StatusACTIVE
			switch r := rng.IntN(100); {
			case ended:
				status = plansubscription.StatusCANCELED
				s.end = created.Add(time.Duration(rng.Int64N(int64(now.Sub(created)) + 1)))
				q.SetEndedAt(s.end).SetCanceledAt(s.end)
			case now.Sub(created) < 14*24*time.Hour && r < 50:
				status = plansubscription.StatusTRIALING
				s.paidFrom = created.Add(14 * 24 * time.Hour)
				q.SetTrialEnd(s.paidFrom)
			case r < 5:
				status = plansubscription.StatusPAST_DUE
			case r < 7:
				status = plansubscription.StatusPAUSED
				q.SetPausedAt(created) // paused since it started, as steward marks a pause
			}
			periodStart := now.AddDate(0, 0, -rng.IntN(28))
			q.SetStatus(status).SetCurrentPeriodStart(periodStart).SetCurrentPeriodEnd(periodStart.AddDate(0, 1, 0))
			subs[i] = s
			b = append(b, q)
		}
		return tc.PlanSubscription.CreateBulk(b...).Exec(ctx)
	})
	if err != nil {
		return fmt.Errorf("seeding subscriptions: %w", err)
	}

	type payment struct {
		sub    *seedSub
		at     time.Time
		amount int64
	}
	var payments []payment
	for i := range subs {
		s := &subs[i]
		if s.plan.price == 0 {
			continue
		}
		step, per := func(t time.Time) time.Time { return t.AddDate(0, 1, 0) }, int64(1)
		switch s.plan.interval {
		case plan.IntervalYEAR:
			step = func(t time.Time) time.Time { return t.AddDate(1, 0, 0) }
		case plan.IntervalWEEK:
			per = 4
		case plan.IntervalDAY:
			per = 30
		}
		for at := s.paidFrom; at.Before(s.end); at = step(at) {
			payments = append(payments, payment{sub: s, at: at, amount: s.plan.price * per})
		}
	}
	err = inBatches(ctx, client, len(payments), func(tc *ent.Client, lo, hi int) error {
		b := make([]*ent.TransactionCreate, 0, hi-lo)
		for _, p := range payments[lo:hi] {
			b = append(b, tc.Transaction.Create().SetUserID(p.sub.userID).SetPlanID(p.sub.plan.id).
				SetSubscriptionID(p.sub.id).SetAmountMinor(p.amount).SetCurrency(p.sub.plan.currency).
				SetStatus(transaction.StatusSUCCEEDED).SetProvider("bench").SetCreatedAt(p.at).
				SetUpdatedAt(p.at).SetProcessedAt(p.at))
		}
		return tc.Transaction.CreateBulk(b...).Exec(ctx)
	})
	if err != nil {
		return fmt.Errorf("seeding transactions: %w", err)
	}

	// Usage goes to subscriptions alive at some point of the last year.
	yearAgo := now.AddDate(-1, 0, 0)
	var live []*seedSub
	for i := range subs {
		if subs[i].end.After(yearAgo) {
			live = append(live, &subs[i])
		}
	}
	if len(live) == 0 && usageEvents > 0 {
		return errors.New("analyticsbench: no subscription was alive in the last year to record usage for")
	}
	metrics := []metric.Metric{
		metric.TokensInput, metric.TokensInput, metric.TokensInput, metric.TokensOutput, metric.TokensOutput,
		metric.TokensOutput, metric.Requests, metric.Requests, metric.Images, metric.AudioMinutes,
	}
	err = inBatches(ctx, client, usageEvents, func(tc *ent.Client, lo, hi int) error {
		b := make([]*ent.UsageEventCreate, 0, hi-lo)
		for range hi - lo {
			s := live[rng.IntN(len(live))]
			from := s.created
			if from.Before(yearAgo) {
				from = yearAgo
			}
			at := from.Add(time.Duration(rng.Int64N(int64(s.end.Sub(from)) + 1)))
			m := metrics[rng.IntN(len(metrics))]
			var amount int64
			switch m {
			case metric.TokensInput, metric.TokensOutput:
				amount = 10 + rng.Int64N(4000)
			case metric.Images:
				amount = 1 + rng.Int64N(4)
			case metric.AudioMinutes:
				amount = 1 + rng.Int64N(10)
			default:
				amount = 1
			}
			b = append(b, tc.UsageEvent.Create().SetUserID(s.userID).SetSubscriptionID(s.id).
				SetMetric(m).SetAmount(amount).SetCreatedAt(at).SetModelID("bench-model"))
		}
		return tc.UsageEvent.CreateBulk(b...).Exec(ctx)
	})
	if err != nil {
		return fmt.Errorf("seeding usage events: %w", err)
	}
	return nil
}

// inBatches calls fn for [lo, hi) slices of n rows, each in its own transaction.
func inBatches(ctx context.Context, client *ent.Client, n int, fn func(tc *ent.Client, lo, hi int) error) error {
	for lo := 0; lo < n; lo += batch {
		hi := min(lo+batch, n)
		tx, err := client.Tx(ctx)
		if err != nil {
			return err
		}
		if err := fn(tx.Client(), lo, hi); err != nil {
			_ = tx.Rollback()
			return err
		}
		if err := tx.Commit(); err != nil {
			return err
		}
	}
	return nil
}

// Runs is how many timed calls Measure makes of each query, after one warm-up call.
const Runs = 20

// Measure times svc.Overview for the last year and svc.PlanStats for every plan, and returns the
// median of Runs calls each, after a warm-up call that fills the caches.
func Measure(ctx context.Context, svc *analytics.Service, client *ent.Client) (overview, planStats time.Duration, err error) {
	ctx = authz.As(ctx, authz.Operator)
	ids, err := client.Plan.Query().IDs(ctx)
	if err != nil {
		return 0, 0, fmt.Errorf("listing plans: %w", err)
	}
	to := time.Now().UTC()
	from := to.AddDate(-1, 0, 0)
	overview, err = median(func() error { _, err := svc.Overview(ctx, from, to); return err })
	if err != nil {
		return 0, 0, fmt.Errorf("overview: %w", err)
	}
	planStats, err = median(func() error { _, err := svc.PlanStats(ctx, ids); return err })
	if err != nil {
		return 0, 0, fmt.Errorf("plan stats: %w", err)
	}
	return overview, planStats, nil
}

func median(call func() error) (time.Duration, error) {
	if err := call(); err != nil {
		return 0, err
	}
	times := make([]time.Duration, Runs)
	for i := range times {
		start := time.Now()
		if err := call(); err != nil {
			return 0, err
		}
		times[i] = time.Since(start)
	}
	slices.Sort(times)
	return times[len(times)/2], nil
}

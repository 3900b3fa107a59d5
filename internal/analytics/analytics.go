// Package analytics computes revenue analytics for admins: plan statistics for a dataloader (a
// constant number of statements whatever the number of plans), and overviews of a time range
// (MRR, ARR, subscriber counts, churn, revenue by month and usage totals), for every plan or one.
//
// The reads are aggregate SQL over indexes and over the UsageDaily rollup that a UsageEvent hook
// keeps in the same transaction as each event, so that they stay fast at 100,000 subscriptions and
// millions of usage events. Raw SQL bypasses ent privacy, so every method checks itself that the
// caller is an admin (or a trusted system path).
//
// Definitions used throughout (all times UTC):
//   - Active at T: created_at <= T, not ended (ended_at IS NULL or ended_at > T), not trialing
//     at T (trial_end IS NULL or trial_end <= T) and not paused at T (paused_at IS NULL or
//     paused_at > T). PAST_DUE subscriptions are active; paused ones are not (Stripe's reading: a
//     pause is churn, a resume a reactivation).
//   - MRR: the monthly-normalised price (money.MonthlyMinor: YEAR /12, WEEK ×52/12, DAY ×365/12)
//     summed exactly over subscriptions that pay: status ACTIVE or PAST_DUE, never TRIALING, paused
//     or a free plan (price 0); per currency, never converted; rounded once, half away from zero.
//     ARR is 12 × the exact MRR, rounded once. MRR at a past instant is reconstructed from the
//     lifecycle times (see payingAt): each row's created_at, trial_end, paused_at and ended_at,
//     which later changes never rewrite (a plan change, a new price, a pause and a resume each end
//     one row and start a linked one), so the past reads the same whatever happens after it.
package analytics

import (
	"context"
	"errors"
	"math"
	"sort"
	"time"

	"github.com/steward-dev/steward/ent"
	"github.com/steward-dev/steward/internal/authz"
	"github.com/steward-dev/steward/internal/db"
	"github.com/steward-dev/steward/internal/errs"
	"github.com/steward-dev/steward/internal/metric"
)

// MaxYears is the longest range Overview and PlanAnalytics accept, in calendar years: five (61
// months of revenue at most), enough for any dashboard and a bound on the work one call asks for.
const MaxYears = 5

// Config wires a Service.
type Config struct {
	// Client runs the queries; tests pass one over a statement-counting driver.
	Client *ent.Client
	// DB tells the SQL dialect.
	DB *db.DB
	// Now is the clock; nil means time.Now.
	Now func() time.Time
}

// Validate reports a missing dependency.
func (c Config) Validate() error {
	if c.Client == nil || c.DB == nil {
		return errors.New("analytics: Client and DB are required")
	}
	return nil
}

// Service computes the analytics.
type Service struct {
	client  *ent.Client
	dialect string
	now     func() time.Time
}

// New returns a Service.
func New(cfg Config) (*Service, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	return &Service{client: cfg.Client, dialect: cfg.DB.Dialect, now: cfg.Now}, nil
}

// Money is an amount in integer minor units of one currency (an ISO 4217 code such as "RUB").
type Money struct {
	Currency    string
	AmountMinor int64
}

// PlanStats are the subscription statistics of one plan, as of now.
type PlanStats struct {
	PlanID string
	// ActiveSubscriptions counts the live ones: ACTIVE, PAST_DUE and TRIALING (not PAUSED).
	ActiveSubscriptions int
	// CanceledSubscriptions counts status CANCELED.
	CanceledSubscriptions int
	// TotalSubscriptions counts every subscription the plan ever had, whatever its status.
	TotalSubscriptions int
	// MRR is in the plan's currency; zero for a free plan or one without paying subscriptions.
	MRR Money
}

// Overview describes a range [From, To) for every plan, or for one (PlanID set).
type Overview struct {
	PlanID   string
	From, To time.Time
	// At is the instant MRR, ARR and ActiveAtEnd describe: To, or now when To is in the future
	// (the future is not known yet). Likewise ActiveAtStart is counted at min(From, now).
	At time.Time
	// MRR and ARR hold one entry per currency (sorted by code) among the plans that have a paying
	// subscription at At; PlanAnalytics always reports its plan's currency, zero included.
	MRR, ARR []Money
	// Complimentary is the never-paid line: subscriptions live at At that nobody pays for, and
	// what they would be worth at their own prices. They are in neither MRR nor ARR.
	Complimentary Complimentary
	// NewSubscriptions counts new customers: subscriptions created in [From, To) that continue
	// no earlier one (a plan change or a renewal onto a new price is not a new customer).
	NewSubscriptions int
	// CanceledSubscriptions counts customers lost: subscriptions that ended in [From, To) and
	// that no other subscription continues (a plan change is not a loss).
	CanceledSubscriptions int
	// ActiveAtStart and ActiveAtEnd count active subscriptions (see the package doc) at the
	// start of the range and at At. A customer has one current subscription at most, so these
	// are customers too.
	ActiveAtStart, ActiveAtEnd int
	// ChurnRate is CanceledSubscriptions / ActiveAtStart rounded to 4 decimals (0.0833 for
	// 1 in 12), and 0 when nothing was active at the start. Customers who arrive and leave
	// within the range count in the numerator, as the definition says, so it can exceed 1.
	ChurnRate float64
	// TrialsEnded counts trials of subscriptions that are not complimentary whose trial ended
	// in [From, At), once each however many linked rows carried the trial (a plan change, a
	// pause or a new price continues it); TrialsConverted those of them whose subscription went
	// on past the trial's end (paying, or on another plan). TrialConversionRate is their
	// quotient (4 decimals), 0 when no trial ended.
	TrialsEnded, TrialsConverted int
	TrialConversionRate          float64
	// Revenue sums SUCCEEDED transactions created in the range, and what partially refunded ones
	// kept, per currency (sorted by code).
	Revenue []Money
	// RevenueByMonth has every UTC calendar month that overlaps the range, in order, each with one
	// amount per currency of Revenue (zeros included), counting only the part inside the range.
	RevenueByMonth []MonthRevenue
	// Usage has every metric, in metric.All order, with its total over the range (zero included).
	Usage []UsageTotal
}

// Complimentary is the never-paid line of an overview.
type Complimentary struct {
	// Subscriptions counts the complimentary subscriptions live (not trialing) at the instant.
	Subscriptions int
	// MRR is what they would bring in a month at their own prices, per currency (sorted).
	MRR []Money
}

// MonthRevenue is the revenue of one UTC calendar month.
type MonthRevenue struct {
	// Month is "YYYY-MM"; Start is its first instant (UTC).
	Month   string
	Start   time.Time
	Amounts []Money
}

// UsageTotal is the total of one metric.
type UsageTotal struct {
	Metric metric.Metric
	Total  int64
}

// authorize is the capability every analytics method asks for. The queries here are raw SQL,
// which ent privacy does not see, so the check cannot be left to the row rules.
func authorize(ctx context.Context) error { return authz.Require(ctx, authz.ReadAnalytics) }

// validateRange checks from < to and at most MaxYears apart.
func validateRange(from, to time.Time) error {
	switch {
	case from.IsZero():
		return errs.Invalid("from", "is required")
	case to.IsZero():
		return errs.Invalid("to", "is required")
	case !from.Before(to):
		return errs.Invalid("to", "must be after from")
	case to.After(from.AddDate(MaxYears, 0, 0)):
		return errs.Invalid("to", "the range may span at most 5 years")
	}
	return nil
}

// round4 rounds to 4 decimals, the precision of a churn rate.
func round4(x float64) float64 { return math.Round(x*1e4) / 1e4 }

func sortMoney(m []Money) {
	sort.Slice(m, func(i, j int) bool { return m[i].Currency < m[j].Currency })
}

func minTime(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}

package billing

import (
	"context"
	"fmt"
	"math/big"
	"sort"

	"github.com/steward-dev/steward/ent"
	"github.com/steward-dev/steward/ent/plansubscription"
	"github.com/steward-dev/steward/internal/audit"
	"github.com/steward-dev/steward/internal/authz"
	"github.com/steward-dev/steward/internal/db"
	"github.com/steward-dev/steward/internal/errs"
	"github.com/steward-dev/steward/internal/metric"
	"github.com/steward-dev/steward/internal/money"
)

// MoveInput moves every live subscriber of one plan to another.
type MoveInput struct {
	FromPlanID, ToPlanID string
	// AtPeriodEnd schedules each move for the end of the subscriber's period; otherwise they move
	// now, keeping their period and the usage counted in it.
	AtPeriodEnd bool
	// DryRun reports what would happen and changes nothing.
	DryRun bool
}

// Amount is an amount in minor units of one currency.
type Amount struct {
	Currency string
	Minor    int64
}

// QuotaConflict is a quota of the target plan that moved subscribers already exceed this period.
type QuotaConflict struct {
	Metric        metric.Metric
	Limit         int64
	Subscriptions int
}

// MoveResult is what MoveSubscribers did, or would do.
type MoveResult struct {
	DryRun, AtPeriodEnd bool
	Subscriptions       int
	// MRRChange is MRR after minus before per currency (sorted), over the paying subscriptions
	// (not complimentary, not trialing, not paused) among those moved.
	MRRChange      []Amount
	QuotaConflicts []QuotaConflict
}

// MoveSubscribers moves (or previews moving) every live subscription of one plan to another
// (admin). Each move is audited; a dry run changes nothing and writes no audit entry.
func (s *Service) MoveSubscribers(ctx context.Context, in MoveInput) (MoveResult, error) {
	if err := authz.Require(ctx, authz.ManageSubscriptions); err != nil {
		return MoveResult{}, err
	}
	if in.FromPlanID == in.ToPlanID {
		return MoveResult{}, errs.Invalid("toPlanId", "the target plan must differ from the source plan")
	}
	return db.InTxResult(ctx, s.client, func(ctx context.Context) (MoveResult, error) {
		c := s.clientFrom(ctx)
		sys := authz.As(ctx, authz.Billing)
		if _, err := s.lockPlan(ctx, c, in.FromPlanID, true); err != nil {
			return MoveResult{}, err
		}
		to, err := s.lockPlan(ctx, c, in.ToPlanID, false)
		if err != nil {
			return MoveResult{}, errs.Invalid("toPlanId", "no such plan")
		}
		subs, err := c.PlanSubscription.Query().
			Where(plansubscription.PlanID(in.FromPlanID), plansubscription.StatusIn(liveStatusValues...)).All(sys)
		if err != nil {
			return MoveResult{}, fmt.Errorf("loading subscriptions: %w", err)
		}
		out := MoveResult{DryRun: in.DryRun, AtPeriodEnd: in.AtPeriodEnd, Subscriptions: len(subs), MRRChange: []Amount{}}
		out.MRRChange = mrrChange(subs, to)
		if out.QuotaConflicts, err = s.quotaConflicts(ctx, c, in.FromPlanID, to); err != nil {
			return MoveResult{}, err
		}
		if in.DryRun {
			return out, nil
		}
		now := s.now()
		for _, sub := range subs {
			if in.AtPeriodEnd {
				if err := c.PlanSubscription.UpdateOne(sub).SetScheduledPlanID(to.ID).SetUpdatedAt(now).Exec(sys); err != nil {
					return MoveResult{}, fmt.Errorf("scheduling a move: %w", err)
				}
				err := s.audit.Record(ctx, audit.Entry{Action: audit.SubscriptionAssigned, EntityType: "PlanSubscription", EntityID: sub.ID,
					Description: fmt.Sprintf("subscription of user %s scheduled to move from plan %s to %s at the end of its period", sub.UserID, sub.PlanID, to.ID),
					Changes:     map[string]audit.Change{"scheduledPlanId": {Old: sub.ScheduledPlanID, New: to.ID}}})
				if err != nil {
					return MoveResult{}, err
				}
				continue
			}
			carry, err := s.periodUsage(ctx, c, sub, now)
			if err != nil {
				return MoveResult{}, err
			}
			next, ok, err := s.continueAtPrice(sys, c, sub, to, sub.Status, sub.CurrentPeriodStart, sub.CurrentPeriodEnd, now, now)
			if err != nil {
				return MoveResult{}, err
			}
			if !ok {
				return MoveResult{}, errs.Conflict("a subscription changed concurrently; try again")
			}
			if err := s.carryUsage(ctx, c, next, sub.CurrentPeriodStart, sub.CurrentPeriodEnd, carry, now); err != nil {
				return MoveResult{}, err
			}
		}
		return out, nil
	})
}

// mrrChange is the MRR the paying subscriptions among subs would have on plan to, less what they
// have now at their own prices, per currency, each rounded once.
func mrrChange(subs []*ent.PlanSubscription, to *ent.Plan) []Amount {
	sums := map[string]*big.Rat{}
	add := func(cur string, r *big.Rat) {
		if sums[cur] == nil {
			sums[cur] = new(big.Rat)
		}
		sums[cur].Add(sums[cur], r)
	}
	for _, sub := range subs {
		if sub.Complimentary || (sub.Status != plansubscription.StatusACTIVE && sub.Status != plansubscription.StatusPAST_DUE) {
			continue
		}
		add(sub.Currency, new(big.Rat).Neg(monthlyRat(sub.PriceMinor, string(sub.Interval))))
		add(to.Currency, monthlyRat(to.PriceMinor, string(to.Interval)))
	}
	out := make([]Amount, 0, len(sums))
	for cur, r := range sums {
		out = append(out, Amount{Currency: cur, Minor: money.RoundMinor(r)})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Currency < out[j].Currency })
	return out
}

// quotaConflicts counts, for each metric the target plan limits, the subscriptions of plan from
// whose usage in their current period is already above that limit, in one statement.
func (s *Service) quotaConflicts(ctx context.Context, c *ent.Client, fromPlanID string, to *ent.Plan) ([]QuotaConflict, error) {
	out := []QuotaConflict{}
	if len(to.Quotas) == 0 {
		return out, nil
	}
	now := s.now()
	rows, err := c.QueryContext(ctx, s.rebind(`SELECT u.subscription_id, u.metric, u.used FROM usage_counters u
JOIN plan_subscriptions p ON p.id = u.subscription_id
WHERE p.plan_id = ? AND p.status IN `+liveStatusList+` AND u.period_start <= ? AND u.period_end > ?`), fromPlanID, now, now)
	if err != nil {
		return nil, fmt.Errorf("reading usage: %w", err)
	}
	defer rows.Close()
	type key struct{ sub, metric string }
	used := map[key]int64{}
	for rows.Next() {
		var (
			k key
			n int64
		)
		if err := rows.Scan(&k.sub, &k.metric, &n); err != nil {
			return nil, fmt.Errorf("reading usage: %w", err)
		}
		used[k] += n
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("reading usage: %w", err)
	}
	over := map[string]int{}
	for k, n := range used {
		if limit, ok := to.Quotas[k.metric]; ok && n > limit {
			over[k.metric]++
		}
	}
	for _, m := range metric.All {
		if n := over[string(m)]; n > 0 {
			out = append(out, QuotaConflict{Metric: m, Limit: to.Quotas[string(m)], Subscriptions: n})
		}
	}
	return out, nil
}

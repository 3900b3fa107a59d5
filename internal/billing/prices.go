package billing

import (
	"context"
	"fmt"
	"time"

	"github.com/steward-dev/steward/ent"
	"github.com/steward-dev/steward/ent/plansubscription"
	"github.com/steward-dev/steward/internal/audit"
	"github.com/steward-dev/steward/internal/authz"
)

// continueAtPrice continues sub on plan p (its current price version, or another plan) from
// `at`, with the given status and period, and audits the move.
func (s *Service) continueAtPrice(ctx context.Context, c *ent.Client, sub *ent.PlanSubscription, p *ent.Plan, status plansubscription.Status,
	start, end, at, now time.Time) (*ent.PlanSubscription, bool, error) {
	next, ok, err := s.continueSubscription(ctx, c, sub, continuation{plan: p, status: status, anchor: sub.PeriodAnchor, start: start, end: end, at: at}, now)
	if err != nil || !ok {
		return nil, ok, err
	}
	what := fmt.Sprintf("moved onto price version %d of plan %s", p.PriceVersion, p.ID)
	if p.ID != sub.PlanID {
		what = fmt.Sprintf("moved from plan %s to plan %s", sub.PlanID, p.ID)
	}
	err = s.audit.Record(ctx, audit.Entry{Action: audit.SubscriptionRenewed, EntityType: "PlanSubscription", EntityID: next.ID,
		Description: fmt.Sprintf("subscription of user %s %s at %s", sub.UserID, what, at.Format(time.RFC3339)),
		Changes: map[string]audit.Change{"planId": {Old: sub.PlanID, New: p.ID}, "priceVersion": {Old: sub.PriceVersion, New: p.PriceVersion},
			"priceMinor": {Old: sub.PriceMinor, New: p.PriceMinor}, "replaces": {Old: nil, New: sub.ID}}})
	if err != nil {
		return nil, false, err
	}
	return next, true, nil
}

// moveOntoPrice moves every live subscription of p sold at an older price version onto the
// current one now, keeping each one's period and the usage counted in it. It runs in the plan
// update's transaction, under the plan's lock.
func (s *Service) moveOntoPrice(ctx context.Context, c *ent.Client, p *ent.Plan) error {
	sys := authz.As(ctx, authz.Billing)
	now := s.now()
	for {
		subs, err := c.PlanSubscription.Query().
			Where(plansubscription.PlanID(p.ID), plansubscription.StatusIn(liveStatusValues...),
				plansubscription.PriceVersionLT(p.PriceVersion)).
			Limit(renewBatch).All(sys)
		if err != nil {
			return fmt.Errorf("finding subscriptions to move: %w", err)
		}
		if len(subs) == 0 {
			return nil
		}
		for _, sub := range subs {
			carry, err := s.periodUsage(ctx, c, sub, now)
			if err != nil {
				return err
			}
			next, ok, err := s.continueAtPrice(sys, c, sub, p, sub.Status, sub.CurrentPeriodStart, sub.CurrentPeriodEnd, now, now)
			if err != nil {
				return err
			}
			if !ok {
				return fmt.Errorf("moving subscription %s onto the new price: it changed concurrently", sub.ID)
			}
			if err := s.carryUsage(ctx, c, next, sub.CurrentPeriodStart, sub.CurrentPeriodEnd, carry, now); err != nil {
				return err
			}
		}
	}
}

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

// continueAtPrice ends sub at `at` and starts the linked subscription that carries its customer
// on at p's current price version, with the same status, period, trial, payment and cancellation
// state. History keeps the old price up to `at`. The conditional update makes the move happen once
// when replicas race; false means another one got there first.
func (s *Service) continueAtPrice(ctx context.Context, c *ent.Client, sub *ent.PlanSubscription, p *ent.Plan, status plansubscription.Status,
	start, end, at, now time.Time) (*ent.PlanSubscription, bool, error) {
	n, err := c.PlanSubscription.Update().
		Where(plansubscription.ID(sub.ID), plansubscription.StatusEQ(sub.Status), plansubscription.CurrentPeriodEnd(sub.CurrentPeriodEnd)).
		SetStatus(plansubscription.StatusCANCELED).SetEndedAt(at).SetUpdatedAt(now).Save(ctx)
	if err != nil || n == 0 {
		return nil, false, err
	}
	create := c.PlanSubscription.Create().SetUserID(sub.UserID).SetPlanID(p.ID).SetStatus(status).
		SetPeriodAnchor(sub.PeriodAnchor).SetCurrentPeriodStart(start).SetCurrentPeriodEnd(end).
		SetNillableTrialEnd(sub.TrialEnd).SetNillablePaidThrough(sub.PaidThrough).
		SetPriceMinor(p.PriceMinor).SetCurrency(p.Currency).SetInterval(plansubscription.Interval(p.Interval)).
		SetPriceVersion(p.PriceVersion).SetComplimentary(sub.Complimentary && p.PriceMinor > 0).
		SetReplacesID(sub.ID).SetCreatedAt(at).SetUpdatedAt(now)
	if end.After(at) { // a move within the period keeps a scheduled cancellation
		create.SetCancelAtPeriodEnd(sub.CancelAtPeriodEnd).SetNillableCanceledAt(sub.CanceledAt)
	}
	next, err := create.Save(ctx)
	if err != nil {
		if ent.IsConstraintError(err) {
			return nil, false, fmt.Errorf("moving onto the new price: subscription changed concurrently: %w", err)
		}
		return nil, false, fmt.Errorf("moving onto the new price: %w", err)
	}
	if err := s.linkSuccessor(ctx, c, sub.ID, next.ID); err != nil {
		return nil, false, err
	}
	err = s.audit.Record(ctx, audit.Entry{Action: audit.SubscriptionRenewed, EntityType: "PlanSubscription", EntityID: next.ID,
		Description: fmt.Sprintf("subscription of user %s to plan %s moved onto price version %d at %s", sub.UserID, p.ID,
			p.PriceVersion, at.Format(time.RFC3339)),
		Changes: map[string]audit.Change{"priceVersion": {Old: sub.PriceVersion, New: p.PriceVersion},
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

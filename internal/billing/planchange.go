package billing

import (
	"context"
	"fmt"
	"math/big"
	"strings"
	"time"

	"github.com/steward-dev/steward/ent"
	"github.com/steward-dev/steward/ent/plansubscription"
	"github.com/steward-dev/steward/internal/audit"
	"github.com/steward-dev/steward/internal/auth"
	"github.com/steward-dev/steward/internal/authz"
	"github.com/steward-dev/steward/internal/billing/period"
	"github.com/steward-dev/steward/internal/db"
	"github.com/steward-dev/steward/internal/errs"
	"github.com/steward-dev/steward/internal/money"
)

// ChangeKind says how a plan change takes effect.
type ChangeKind string

// The kinds of plan change.
const (
	// ChangeNew: no paid subscription to change; the plan is bought outright.
	ChangeNew ChangeKind = "NEW"
	// ChangeUpgrade: at once, the unused paid time credited against the new price.
	ChangeUpgrade ChangeKind = "UPGRADE"
	// ChangeDowngrade: at the end of the current period, which stays paid for.
	ChangeDowngrade ChangeKind = "DOWNGRADE"
)

// ChangePreview is what a plan change would do. Amounts are minor units of Currency, the new
// plan's.
type ChangePreview struct {
	Kind          ChangeKind
	CurrentPlanID *string
	PlanID        string
	EffectiveAt   time.Time
	Currency      string
	PriceMinor    int64
	CreditMinor   int64
	DueMinor      int64
}

// ChangeResult is what ChangePlan did.
type ChangeResult struct {
	Preview         ChangePreview
	Subscription    *ent.PlanSubscription
	Transaction     *ent.Transaction
	ConfirmationURL string
}

// Proration returns the credit for the unused part of a paid period: price × (end − now) /
// (end − start), exact, rounded once to minor units, halves away from zero. Nothing is credited
// outside the period.
func Proration(priceMinor int64, start, end, now time.Time) int64 {
	if !now.Before(end) || !start.Before(end) {
		return 0
	}
	if now.Before(start) {
		now = start
	}
	r := new(big.Rat).SetFrac(big.NewInt(end.Sub(now).Nanoseconds()), big.NewInt(end.Sub(start).Nanoseconds()))
	return money.RoundMinor(r.Mul(r, new(big.Rat).SetInt64(priceMinor)))
}

// monthlyRat is a price normalised to a month, exact.
func monthlyRat(price int64, interval string) *big.Rat {
	m, err := money.MonthlyMinor(price, strings.ToLower(interval))
	if err != nil {
		return new(big.Rat) // the schema allows only the four intervals
	}
	return m
}

// preview decides the change of sub (nil: none) to p at now. A subscription that is paid for
// (not complimentary, a price above zero, its current period paid) can be upgraded, with a credit
// for its unused time when the currencies match, or downgraded; a plan worth as much a month or
// more is an upgrade.
func preview(sub *ent.PlanSubscription, p *ent.Plan, now time.Time) ChangePreview {
	out := ChangePreview{Kind: ChangeNew, PlanID: p.ID, EffectiveAt: now, Currency: p.Currency, PriceMinor: p.PriceMinor, DueMinor: p.PriceMinor}
	if sub == nil {
		return out
	}
	out.CurrentPlanID = &sub.PlanID
	paid := !sub.Complimentary && sub.PriceMinor > 0 && sub.PaidThrough != nil && !sub.PaidThrough.Before(sub.CurrentPeriodEnd) &&
		sub.Status != plansubscription.StatusTRIALING
	if !paid {
		return out
	}
	if monthlyRat(p.PriceMinor, string(p.Interval)).Cmp(monthlyRat(sub.PriceMinor, string(sub.Interval))) < 0 {
		out.Kind, out.EffectiveAt, out.DueMinor = ChangeDowngrade, sub.CurrentPeriodEnd, 0
		return out
	}
	out.Kind = ChangeUpgrade
	if sub.Currency == p.Currency {
		out.CreditMinor = min(Proration(sub.PriceMinor, sub.CurrentPeriodStart, sub.CurrentPeriodEnd, now), p.PriceMinor)
	}
	out.DueMinor = p.PriceMinor - out.CreditMinor
	return out
}

// PreviewChange returns what changing the caller's plan to planID would do, without doing it.
func (s *Service) PreviewChange(ctx context.Context, planID string) (ChangePreview, error) {
	if err := authz.Require(ctx, authz.UseAccount); err != nil {
		return ChangePreview{}, err
	}
	c := s.clientFrom(ctx)
	_, pv, err := s.loadChange(ctx, c, auth.ViewerFrom(ctx).UserID, planID, false)
	return pv, err
}

// loadChange loads the caller's current subscription and the target plan and previews the change.
func (s *Service) loadChange(ctx context.Context, c *ent.Client, userID, planID string, lock bool) (*ent.PlanSubscription, ChangePreview, error) {
	p, err := s.lockPlan(ctx, c, planID, false)
	if err != nil {
		return nil, ChangePreview{}, err
	}
	if !p.IsActive {
		return nil, ChangePreview{}, errs.NotFound("plan")
	}
	sub, err := s.currentSubscription(ctx, c, userID, lock)
	if err != nil {
		return nil, ChangePreview{}, err
	}
	if sub != nil && sub.PlanID == p.ID {
		return nil, ChangePreview{}, errs.Conflict("you are already on this plan")
	}
	return sub, preview(sub, p, s.now()), nil
}

// ChangePlan changes the caller's plan as PreviewChange says: a downgrade is scheduled for the end
// of the period (the renewer applies it); an upgrade or a new plan creates a payment of the amount
// due (the price less the credit), and the switch happens when the provider confirms it; an
// upgrade with nothing due switches at once.
func (s *Service) ChangePlan(ctx context.Context, planID, returnURL string) (ChangeResult, error) {
	if err := authz.Require(ctx, authz.UseAccount); err != nil {
		return ChangeResult{}, err
	}
	return db.InTxResult(ctx, s.client, func(ctx context.Context) (ChangeResult, error) {
		userID := auth.ViewerFrom(ctx).UserID
		c := s.clientFrom(ctx)
		sys := authz.As(ctx, authz.Billing)
		if err := validReturnURL(returnURL); err != nil {
			return ChangeResult{}, err
		}
		sub, pv, err := s.loadChange(ctx, c, userID, planID, true)
		if err != nil {
			return ChangeResult{}, err
		}
		out := ChangeResult{Preview: pv, Subscription: sub}
		p, err := s.lockPlan(ctx, c, planID, false)
		if err != nil {
			return ChangeResult{}, err
		}
		switch {
		case pv.Kind == ChangeDowngrade:
			if out.Subscription, err = c.PlanSubscription.UpdateOne(sub).SetScheduledPlanID(p.ID).SetUpdatedAt(s.now()).Save(sys); err != nil {
				return ChangeResult{}, fmt.Errorf("scheduling the downgrade: %w", err)
			}
			err = s.audit.Record(ctx, audit.Entry{Action: audit.SubscriptionAssigned, EntityType: "PlanSubscription", EntityID: sub.ID,
				Description: fmt.Sprintf("user %s scheduled a change from plan %s to %s at %s", userID, sub.PlanID, p.ID, sub.CurrentPeriodEnd.Format(time.RFC3339)),
				Changes:     map[string]audit.Change{"scheduledPlanId": {Old: sub.ScheduledPlanID, New: p.ID}}})
			return out, err
		case pv.DueMinor == 0:
			out.Subscription, err = s.switchPlan(ctx, c, userID, p, startOptions{resetUsage: true, billed: true})
			if err != nil {
				return ChangeResult{}, err
			}
			err = s.audit.Record(ctx, audit.Entry{Action: audit.SubscriptionAssigned, EntityType: "PlanSubscription", EntityID: out.Subscription.ID,
				Description: fmt.Sprintf("user %s changed to plan %q, paid by the unused time of plan %s", userID, p.Name, sub.PlanID),
				Changes:     map[string]audit.Change{"planId": {Old: sub.PlanID, New: p.ID}}})
			return out, err
		}
		var meta map[string]any
		note := ""
		if pv.Kind == ChangeUpgrade {
			cur := money.Currency(p.Currency)
			note = fmt.Sprintf("less %s %s for unused time", money.FormatDecimal(pv.CreditMinor, cur), cur)
			meta = map[string]any{"planChange": "UPGRADE", "fromPlanId": sub.PlanID, "creditMinor": pv.CreditMinor}
		}
		out.Transaction, out.ConfirmationURL, err = s.startPayment(ctx, c, userID, p, pv.DueMinor, returnURL, note, meta)
		return out, err
	})
}

// UndoCancel takes back a cancellation, and a downgrade, scheduled for the end of the period of the
// caller's subscription (or, for admins, a user's).
func (s *Service) UndoCancel(ctx context.Context, userID *string) (*ent.PlanSubscription, error) {
	id := ""
	if v := auth.ViewerFrom(ctx); v != nil {
		id = v.UserID
	}
	if userID != nil {
		id = *userID
	}
	if err := authz.Require(ctx, authz.CancelSubscription(id)); err != nil {
		return nil, err
	}
	return db.InTxResult(ctx, s.client, func(ctx context.Context) (*ent.PlanSubscription, error) {
		c := s.clientFrom(ctx)
		sub, err := s.currentSubscription(ctx, c, id, true)
		if err != nil {
			return nil, err
		}
		if sub == nil {
			return nil, errs.NotFound("subscription")
		}
		if !sub.CancelAtPeriodEnd && sub.ScheduledPlanID == nil {
			return nil, errs.Conflict("nothing is scheduled for the end of the period")
		}
		out, err := c.PlanSubscription.UpdateOne(sub).SetCancelAtPeriodEnd(false).ClearCanceledAt().ClearScheduledPlanID().
			SetUpdatedAt(s.now()).Save(authz.As(ctx, authz.Billing))
		if err != nil {
			return nil, fmt.Errorf("undoing the cancellation: %w", err)
		}
		return out, s.audit.Record(ctx, audit.Entry{Action: audit.SubscriptionAssigned, EntityType: "PlanSubscription", EntityID: sub.ID,
			Description: fmt.Sprintf("the subscription of user %s to plan %s continues past %s", id, sub.PlanID, sub.CurrentPeriodEnd.Format(time.RFC3339)),
			Changes: map[string]audit.Change{"cancelAtPeriodEnd": {Old: sub.CancelAtPeriodEnd, New: false},
				"scheduledPlanId": {Old: sub.ScheduledPlanID, New: nil}}})
	})
}

// Pause pauses a user's subscription (admin). The paying row ends and a linked PAUSED one, marked
// with paused_at, carries the customer: MRR before the pause still counts them, MRR during it does
// not, whatever happens later (analytics counts a pause as churn and the resume as a
// reactivation). The renewer leaves PAUSED subscriptions alone.
func (s *Service) Pause(ctx context.Context, userID string) (*ent.PlanSubscription, error) {
	return s.pauseOrResume(ctx, userID, true)
}

// Resume resumes a paused subscription (admin): ACTIVE again, in its period if that has not ended,
// otherwise in a fresh one from now.
func (s *Service) Resume(ctx context.Context, userID string) (*ent.PlanSubscription, error) {
	return s.pauseOrResume(ctx, userID, false)
}

func (s *Service) pauseOrResume(ctx context.Context, userID string, pause bool) (*ent.PlanSubscription, error) {
	if err := authz.Require(ctx, authz.ManageSubscriptions); err != nil {
		return nil, err
	}
	return db.InTxResult(ctx, s.client, func(ctx context.Context) (*ent.PlanSubscription, error) {
		c := s.clientFrom(ctx)
		sys := authz.As(ctx, authz.Billing)
		now := s.now()
		sub, err := s.currentSubscription(ctx, c, userID, true)
		if err != nil {
			return nil, err
		}
		if sub == nil {
			return nil, errs.NotFound("subscription")
		}
		isPaused := sub.Status == plansubscription.StatusPAUSED
		if pause == isPaused {
			return nil, errs.Conflict(map[bool]string{true: "the subscription is already paused", false: "the subscription is not paused"}[pause])
		}
		next := continuation{status: plansubscription.StatusPAUSED, anchor: sub.PeriodAnchor, start: sub.CurrentPeriodStart, end: sub.CurrentPeriodEnd, at: now}
		action, desc := audit.SubscriptionCanceled, "paused"
		if !pause {
			next.status, action, desc = plansubscription.StatusACTIVE, audit.SubscriptionRenewed, "resumed"
			if !now.Before(sub.CurrentPeriodEnd) {
				p, err := c.Plan.Get(sys, sub.PlanID)
				if err != nil {
					return nil, fmt.Errorf("loading plan: %w", err)
				}
				next.anchor = now.Truncate(time.Second)
				next.start, next.end = period.Current(next.anchor, now, intervalOf(p))
			}
		}
		out, ok, err := s.continueSubscription(sys, c, sub, next, now)
		if err != nil {
			return nil, err
		}
		if !ok {
			return nil, errs.Conflict("the subscription changed concurrently; try again")
		}
		return out, s.audit.Record(ctx, audit.Entry{Action: action, EntityType: "PlanSubscription", EntityID: out.ID,
			Description: fmt.Sprintf("subscription of user %s to plan %s %s", userID, sub.PlanID, desc),
			Changes:     map[string]audit.Change{"status": {Old: sub.Status, New: next.status}, "replaces": {Old: nil, New: sub.ID}}})
	})
}

// continuation describes the row that continues a subscription: its plan (nil: the same plan at the
// same price), status and period, and the instant the old row ends and the new one starts.
type continuation struct {
	plan                   *ent.Plan
	status                 plansubscription.Status
	anchor, start, end, at time.Time
}

// continueSubscription ends sub at next.at and starts the linked row next describes, with the same
// trial, payment and cancellation state. The conditional update makes it happen once when replicas
// race; false means another one got there first. The caller audits.
func (s *Service) continueSubscription(ctx context.Context, c *ent.Client, sub *ent.PlanSubscription, next continuation, now time.Time) (*ent.PlanSubscription, bool, error) {
	n, err := c.PlanSubscription.Update().
		Where(plansubscription.ID(sub.ID), plansubscription.StatusEQ(sub.Status), plansubscription.CurrentPeriodEnd(sub.CurrentPeriodEnd)).
		SetStatus(plansubscription.StatusCANCELED).SetEndedAt(next.at).SetUpdatedAt(now).Save(ctx)
	if err != nil || n == 0 {
		return nil, false, err
	}
	create := c.PlanSubscription.Create().SetUserID(sub.UserID).SetStatus(next.status).
		SetPeriodAnchor(next.anchor).SetCurrentPeriodStart(next.start).SetCurrentPeriodEnd(next.end).
		SetNillableTrialEnd(sub.TrialEnd).SetNillablePaidThrough(sub.PaidThrough).
		SetReplacesID(sub.ID).SetCreatedAt(next.at).SetUpdatedAt(now)
	switch {
	case next.status != plansubscription.StatusPAUSED:
	case sub.PausedAt != nil: // a paused row moved onto a new price: the same pause goes on
		create.SetPausedAt(*sub.PausedAt)
	default: // a pause starts
		create.SetPausedAt(next.at)
	}
	if p := next.plan; p != nil {
		create.SetPlanID(p.ID).SetPriceMinor(p.PriceMinor).SetCurrency(p.Currency).SetInterval(plansubscription.Interval(p.Interval)).
			SetPriceVersion(p.PriceVersion).SetComplimentary(sub.Complimentary && p.PriceMinor > 0)
	} else {
		create.SetPlanID(sub.PlanID).SetPriceMinor(sub.PriceMinor).SetCurrency(sub.Currency).SetInterval(sub.Interval).
			SetPriceVersion(sub.PriceVersion).SetComplimentary(sub.Complimentary).SetNillableScheduledPlanID(sub.ScheduledPlanID)
	}
	if next.end.Equal(sub.CurrentPeriodEnd) { // the same period: a scheduled cancellation still holds
		create.SetCancelAtPeriodEnd(sub.CancelAtPeriodEnd).SetNillableCanceledAt(sub.CanceledAt)
	}
	out, err := create.Save(ctx)
	if err != nil {
		if ent.IsConstraintError(err) {
			return nil, false, errs.Conflict("the subscription changed concurrently; try again")
		}
		return nil, false, fmt.Errorf("continuing the subscription: %w", err)
	}
	if err := s.linkSuccessor(ctx, c, sub.ID, out.ID); err != nil {
		return nil, false, err
	}
	return out, true, nil
}

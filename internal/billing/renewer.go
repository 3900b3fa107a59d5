package billing

import (
	"context"
	"fmt"
	"time"

	"github.com/steward-dev/steward/ent"
	"github.com/steward-dev/steward/ent/plansubscription"
	"github.com/steward-dev/steward/internal/audit"
	"github.com/steward-dev/steward/internal/authz"
	"github.com/steward-dev/steward/internal/billing/period"
	"github.com/steward-dev/steward/internal/db"
)

// DefaultRenewEvery is how often the Renewer looks for work.
const DefaultRenewEvery = 30 * time.Second

// renewBatch bounds how many subscriptions one pass loads at a time.
const renewBatch = 100

// Renewer is the background job that rolls subscription periods over, ends subscriptions that
// were canceled at period end or not paid, ends trials, applies scheduled plan changes, expires
// reservations, and re-reads payments left pending (a lost notification). Every change is a
// conditional update on the row it claims, so several replicas may run it at once: each
// transition happens exactly once.
type Renewer struct {
	svc   *Service
	every time.Duration
}

// NewRenewer returns a Renewer for svc that runs every `every` (DefaultRenewEvery when 0).
func NewRenewer(svc *Service, every time.Duration) *Renewer {
	if every <= 0 {
		every = DefaultRenewEvery
	}
	return &Renewer{svc: svc, every: every}
}

// Run works until ctx is done, once at start and then every interval. Errors are logged and the
// next tick tries again.
func (r *Renewer) Run(ctx context.Context) {
	t := time.NewTicker(r.every)
	defer t.Stop()
	for {
		if _, err := r.RunOnce(ctx, r.svc.clock()); err != nil && ctx.Err() == nil {
			r.svc.logger.ErrorContext(ctx, "billing renewer", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// RunStats counts what one pass did.
type RunStats struct {
	Renewed, Ended, TrialsEnded, PastDue, ReservationsExpired int
	// PaymentsSynced counts pending payments re-read from the provider.
	PaymentsSynced int
	// RenewalCharges counts charges of saved methods sent to the provider.
	RenewalCharges int
}

// RunOnce does everything due at now and returns what it did.
func (r *Renewer) RunOnce(ctx context.Context, now time.Time) (RunStats, error) {
	var st RunStats
	ctx = authz.As(ctx, authz.Renewer)
	now = now.UTC().Truncate(time.Microsecond)
	if err := r.endTrials(ctx, now, &st); err != nil {
		return st, err
	}
	// Charges first, so that a period paid ahead rolls over ACTIVE.
	if err := r.chargeRenewals(ctx, now, &st); err != nil {
		return st, err
	}
	if err := r.rollOver(ctx, now, &st); err != nil {
		return st, err
	}
	n, err := r.svc.ExpireReservations(ctx, now)
	st.ReservationsExpired = n
	if err != nil {
		return st, err
	}
	st.PaymentsSynced, err = r.svc.sweepPending(ctx, now)
	return st, err
}

// endTrials ends the trials whose end has passed. A trial an admin gave (nothing billed) goes
// ACTIVE in its period. A self-serve trial (paid through its end, its period ending with it)
// starts its first paid period at the trial's end exactly as a renewal starts an unpaid one:
// PAST_DUE until paid, so that chargeRenewals, later in the same pass, charges the saved method
// with the renewal's idempotence key and dunning; without a saved method it lapses as an unpaid
// renewal does (PAST_DUE for one period, then CANCELED). A trial canceled at period end is left to
// rollOver, which ends it.
func (r *Renewer) endTrials(ctx context.Context, now time.Time, st *RunStats) error {
	n, err := r.svc.client.PlanSubscription.Update().
		Where(plansubscription.StatusEQ(plansubscription.StatusTRIALING), plansubscription.TrialEndLTE(now), plansubscription.PaidThroughIsNil()).
		SetStatus(plansubscription.StatusACTIVE).SetUpdatedAt(now).Save(ctx)
	if err != nil {
		return fmt.Errorf("ending trials: %w", err)
	}
	st.TrialsEnded += n
	return r.drain(ctx, func() ([]*ent.PlanSubscription, error) {
		due, err := r.svc.client.PlanSubscription.Query().
			Where(plansubscription.StatusEQ(plansubscription.StatusTRIALING), plansubscription.TrialEndLTE(now),
				plansubscription.PaidThroughNotNil(), plansubscription.CancelAtPeriodEnd(false)).
			WithPlan().Order(ent.Asc(plansubscription.FieldTrialEnd), ent.Asc(plansubscription.FieldID)).Limit(renewBatch).All(ctx)
		if err != nil {
			return nil, fmt.Errorf("finding trials to convert: %w", err)
		}
		return due, nil
	}, func(ctx context.Context, c *ent.Client, sub *ent.PlanSubscription) (bool, error) {
		return r.convertTrial(ctx, c, sub, now, st)
	})
}

// convertTrial starts the first paid period of a self-serve trial at its end: the period is
// anchored there (usage starts afresh, as in any new period) and is unpaid until a payment covers
// it. Only the replica whose conditional update matches does it and its audit.
func (r *Renewer) convertTrial(ctx context.Context, c *ent.Client, sub *ent.PlanSubscription, now time.Time, st *RunStats) (bool, error) {
	te := *sub.TrialEnd
	start, next := period.Current(te, te, intervalOf(sub.Edges.Plan))
	status := plansubscription.StatusPAST_DUE
	if sub.PaidThrough != nil && !sub.PaidThrough.Before(next) {
		status = plansubscription.StatusACTIVE
	}
	n, err := c.PlanSubscription.Update().
		Where(plansubscription.ID(sub.ID), plansubscription.StatusEQ(plansubscription.StatusTRIALING), plansubscription.TrialEnd(te)).
		SetStatus(status).SetPeriodAnchor(te).SetCurrentPeriodStart(start).SetCurrentPeriodEnd(next).SetUpdatedAt(now).Save(ctx)
	if err != nil || n == 0 {
		return false, err
	}
	err = r.svc.audit.Record(ctx, audit.Entry{Action: audit.SubscriptionRenewed, EntityType: "PlanSubscription", EntityID: sub.ID,
		Description: fmt.Sprintf("the trial of user %s on plan %s ended; the first paid period runs %s – %s", sub.UserID, sub.PlanID, start.Format(time.RFC3339), next.Format(time.RFC3339)),
		Changes: map[string]audit.Change{"status": {Old: sub.Status, New: status}, "currentPeriodStart": {Old: sub.CurrentPeriodStart, New: start},
			"currentPeriodEnd": {Old: sub.CurrentPeriodEnd, New: next}}})
	if err != nil {
		return false, err
	}
	st.TrialsEnded++
	return true, nil
}

// rollOver processes every live subscription whose period has ended, one period step at a time,
// until none is due (a server that was down for three months catches up three periods).
func (r *Renewer) rollOver(ctx context.Context, now time.Time, st *RunStats) error {
	return r.drain(ctx, func() ([]*ent.PlanSubscription, error) {
		due, err := r.svc.client.PlanSubscription.Query().
			Where(plansubscription.StatusIn(plansubscription.StatusACTIVE, plansubscription.StatusTRIALING, plansubscription.StatusPAST_DUE),
				plansubscription.CurrentPeriodEndLTE(now)).
			WithPlan().Order(ent.Asc(plansubscription.FieldCurrentPeriodEnd)).Limit(renewBatch).All(ctx)
		if err != nil {
			return nil, fmt.Errorf("finding due subscriptions: %w", err)
		}
		return due, nil
	}, func(ctx context.Context, c *ent.Client, sub *ent.PlanSubscription) (bool, error) {
		return r.step(ctx, c, sub, now, st)
	})
}

// drain steps the subscriptions find returns, each in its own transaction, batch after batch,
// until a batch is empty or moves none of them on (a step may leave one due again, a period
// further: the next batch finds it).
func (r *Renewer) drain(ctx context.Context, find func() ([]*ent.PlanSubscription, error),
	step func(ctx context.Context, c *ent.Client, sub *ent.PlanSubscription) (bool, error)) error {
	for {
		due, err := find()
		if err != nil {
			return err
		}
		progressed := false
		for _, sub := range due {
			var done bool
			err := db.InTx(ctx, r.svc.client, func(ctx context.Context, c *ent.Client) error {
				var err error
				done, err = step(ctx, c, sub)
				return err
			})
			if err != nil {
				return err
			}
			progressed = progressed || done
		}
		if len(due) == 0 || !progressed {
			return nil
		}
	}
}

// step moves one subscription past the end of its current period: it ends it (canceled at period
// end, or a billed subscription whose past-due period also went unpaid), or starts its next
// period. A billed subscription whose next period is not paid continues PAST_DUE for one period of
// grace. Only the replica whose conditional update matches does the transition and its audit.
func (r *Renewer) step(ctx context.Context, c *ent.Client, sub *ent.PlanSubscription, now time.Time, st *RunStats) (bool, error) {
	p := sub.Edges.Plan
	end := sub.CurrentPeriodEnd
	unpaid := sub.PaidThrough != nil && sub.PaidThrough.Before(end)
	if sub.CancelAtPeriodEnd || (unpaid && sub.Status == plansubscription.StatusPAST_DUE) {
		n, err := c.PlanSubscription.Update().
			Where(plansubscription.ID(sub.ID), plansubscription.StatusEQ(sub.Status), plansubscription.CurrentPeriodEnd(end)).
			SetStatus(plansubscription.StatusCANCELED).SetEndedAt(end).SetUpdatedAt(now).Save(ctx)
		if err != nil || n == 0 {
			return false, err
		}
		why := "canceled at period end"
		if !sub.CancelAtPeriodEnd {
			why = "not paid"
		}
		err = r.svc.audit.Record(ctx, audit.Entry{Action: audit.SubscriptionCanceled, EntityType: "PlanSubscription", EntityID: sub.ID,
			Description: fmt.Sprintf("subscription of user %s to plan %s ended at %s: %s", sub.UserID, sub.PlanID, end.Format(time.RFC3339), why),
			Changes:     map[string]audit.Change{"status": {Old: sub.Status, New: plansubscription.StatusCANCELED}}})
		if err != nil {
			return false, err
		}
		st.Ended++
		return true, r.svc.fallBackToDefault(ctx, c, sub)
	}
	if sub.ScheduledPlanID != nil {
		return r.applyScheduledChange(ctx, c, sub, now, st)
	}
	start, next := period.Current(sub.PeriodAnchor, end, intervalOf(p))
	status := sub.Status
	if status == plansubscription.StatusTRIALING && sub.TrialEnd != nil && !sub.TrialEnd.After(start) {
		status = plansubscription.StatusACTIVE
	}
	if sub.PaidThrough != nil {
		if sub.PaidThrough.Before(next) {
			status = plansubscription.StatusPAST_DUE
		} else {
			status = plansubscription.StatusACTIVE
		}
	}
	if sub.PriceVersion < p.PriceVersion {
		return r.renewOntoPrice(ctx, c, sub, status, start, next, now, st)
	}
	n, err := c.PlanSubscription.Update().
		Where(plansubscription.ID(sub.ID), plansubscription.StatusEQ(sub.Status), plansubscription.CurrentPeriodEnd(end)).
		SetStatus(status).SetCurrentPeriodStart(start).SetCurrentPeriodEnd(next).SetUpdatedAt(now).Save(ctx)
	if err != nil || n == 0 {
		return false, err
	}
	changes := map[string]audit.Change{"currentPeriodEnd": {Old: end, New: next}}
	if status != sub.Status {
		changes["status"] = audit.Change{Old: sub.Status, New: status}
	}
	err = r.svc.audit.Record(ctx, audit.Entry{Action: audit.SubscriptionRenewed, EntityType: "PlanSubscription", EntityID: sub.ID,
		Description: fmt.Sprintf("subscription of user %s to plan %s renewed for %s – %s", sub.UserID, sub.PlanID, start.Format(time.RFC3339), next.Format(time.RFC3339)),
		Changes:     changes})
	if err != nil {
		return false, err
	}
	if status == plansubscription.StatusPAST_DUE {
		st.PastDue++
	}
	st.Renewed++
	return true, nil
}

// renewOntoPrice renews a subscription sold at an older price version of its plan onto the
// current one. The old row ends at the period boundary and a linked row carries the customer on at
// the new price from there, so MRR before the boundary still reads the old price (history is never
// rewritten) and analytics sees one customer whose MRR moved, not one leaving and one arriving.
func (r *Renewer) renewOntoPrice(ctx context.Context, c *ent.Client, sub *ent.PlanSubscription, status plansubscription.Status, start, next, now time.Time, st *RunStats) (bool, error) {
	_, ok, err := r.svc.continueAtPrice(ctx, c, sub, sub.Edges.Plan, status, start, next, sub.CurrentPeriodEnd, now)
	if err != nil || !ok {
		return false, err
	}
	if status == plansubscription.StatusPAST_DUE {
		st.PastDue++
	}
	st.Renewed++
	return true, nil
}

// applyScheduledChange moves a subscription onto the plan scheduled for the end of its period (a
// downgrade), in a new period of that plan's interval from the boundary. A billed subscription
// must pay for it as for any renewal: unpaid, it continues PAST_DUE.
func (r *Renewer) applyScheduledChange(ctx context.Context, c *ent.Client, sub *ent.PlanSubscription, now time.Time, st *RunStats) (bool, error) {
	p, err := c.Plan.Get(ctx, *sub.ScheduledPlanID)
	if err != nil {
		return false, fmt.Errorf("loading the scheduled plan: %w", err)
	}
	end := sub.CurrentPeriodEnd
	start, next := period.Current(sub.PeriodAnchor, end, intervalOf(p))
	status := plansubscription.StatusACTIVE
	if sub.PaidThrough != nil && sub.PaidThrough.Before(next) {
		status = plansubscription.StatusPAST_DUE
	}
	_, ok, err := r.svc.continueAtPrice(ctx, c, sub, p, status, start, next, end, now)
	if err != nil || !ok {
		return false, err
	}
	if status == plansubscription.StatusPAST_DUE {
		st.PastDue++
	}
	st.Renewed++
	return true, nil
}

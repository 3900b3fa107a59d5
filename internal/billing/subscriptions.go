package billing

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/steward-dev/steward/ent"
	"github.com/steward-dev/steward/ent/plan"
	"github.com/steward-dev/steward/ent/plansubscription"
	"github.com/steward-dev/steward/ent/transaction"
	"github.com/steward-dev/steward/ent/user"
	"github.com/steward-dev/steward/internal/audit"
	"github.com/steward-dev/steward/internal/auth"
	"github.com/steward-dev/steward/internal/authz"
	"github.com/steward-dev/steward/internal/billing/period"
	"github.com/steward-dev/steward/internal/db"
	"github.com/steward-dev/steward/internal/errs"
	"github.com/steward-dev/steward/third_party/entgql"
)

// AssignInput puts a user on a plan (admin).
type AssignInput struct {
	UserID string
	PlanID string
	// ResetUsage starts a fresh period now with zero usage. Without it the user keeps their
	// current period and the usage already counted in it carries over to the new plan.
	ResetUsage bool
	// TrialDays, when positive, starts the subscription TRIALING until then.
	TrialDays *int
	// Complimentary says whether nobody pays for the subscription; nil means yes, since an
	// assignment takes no payment. False is for a plan paid outside the provider (an invoice),
	// which then counts in MRR at the plan's price.
	Complimentary *bool
}

// maxTrialDays bounds trials to a year.
const maxTrialDays = 366

var liveStatusValues = []plansubscription.Status{
	plansubscription.StatusACTIVE, plansubscription.StatusTRIALING, plansubscription.StatusPAST_DUE, plansubscription.StatusPAUSED,
}

// intervalOf converts a plan's interval to the period package's.
func intervalOf(p *ent.Plan) period.Interval {
	return period.Interval(strings.ToLower(string(p.Interval)))
}

// currentSubscription returns the user's current subscription, nil when none, locking its row on
// PostgreSQL when lock is set.
func (s *Service) currentSubscription(ctx context.Context, c *ent.Client, userID string, lock bool) (*ent.PlanSubscription, error) {
	q := c.PlanSubscription.Query().Where(plansubscription.UserID(userID), plansubscription.StatusIn(liveStatusValues...))
	if lock && s.postgres {
		q.ForUpdate()
	}
	sub, err := q.Only(authz.As(ctx, authz.Billing))
	if ent.IsNotFound(err) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("loading subscription: %w", err)
	}
	return sub, nil
}

// AssignPlan puts a user on a plan (admin), ending their current subscription. Inactive plans may
// be assigned: admins grant legacy plans.
func (s *Service) AssignPlan(ctx context.Context, in AssignInput) (*ent.PlanSubscription, error) {
	if err := authz.Require(ctx, authz.ManageSubscriptions); err != nil {
		return nil, err
	}
	return db.InTxResult(ctx, s.client, func(ctx context.Context) (*ent.PlanSubscription, error) { return s.assignPlan(ctx, in) })
}

// assignPlan is AssignPlan inside its transaction.
func (s *Service) assignPlan(ctx context.Context, in AssignInput) (*ent.PlanSubscription, error) {
	if in.TrialDays != nil && (*in.TrialDays < 0 || *in.TrialDays > maxTrialDays) {
		return nil, errs.Invalid("trialDays", fmt.Sprintf("trial days must be between 0 and %d", maxTrialDays))
	}
	c := s.clientFrom(ctx)
	if err := s.requireUserExists(ctx, c, in.UserID); err != nil {
		return nil, err
	}
	p, err := s.lockPlan(ctx, c, in.PlanID, false)
	if err != nil {
		return nil, err
	}
	comp := in.Complimentary == nil || *in.Complimentary
	sub, err := s.switchPlan(ctx, c, in.UserID, p, startOptions{resetUsage: in.ResetUsage, trialDays: in.TrialDays, complimentary: comp})
	if err != nil {
		return nil, err
	}
	err = s.audit.Record(ctx, audit.Entry{Action: audit.SubscriptionAssigned, EntityType: "PlanSubscription", EntityID: sub.ID,
		Description: fmt.Sprintf("assigned plan %q to user %s", p.Name, in.UserID),
		Changes: map[string]audit.Change{"planId": {Old: nil, New: p.ID}, "userId": {Old: nil, New: in.UserID},
			"resetUsage": {Old: nil, New: in.ResetUsage}, "complimentary": {Old: nil, New: sub.Complimentary}}})
	if err != nil {
		return nil, err
	}
	return sub, nil
}

func (s *Service) requireUserExists(ctx context.Context, c *ent.Client, userID string) error {
	ok, err := c.User.Query().Where(user.ID(userID)).Exist(authz.As(ctx, authz.Billing))
	if err != nil {
		return fmt.Errorf("checking user: %w", err)
	}
	if !ok {
		return errs.NotFound("user")
	}
	return nil
}

// startOptions say how a new subscription starts.
type startOptions struct {
	resetUsage bool
	trialDays  *int
	// billed marks a subscription paid through the provider: paid_through is set to the end of
	// its first period.
	billed bool
	// complimentary marks a subscription nobody pays for (kept out of MRR); meaningless, and
	// not stored, for a free plan.
	complimentary bool
	// replaces is the customer's subscription that already ended and that the new one
	// continues (the fallback to the default plan); a current subscription is linked anyway.
	replaces *ent.PlanSubscription
}

// switchPlan ends the user's current subscription (if any) and starts one on p, in ctx's
// transaction. The partial unique index guarantees that two concurrent switches cannot both
// leave a current subscription: the loser fails and its transaction rolls back.
func (s *Service) switchPlan(ctx context.Context, c *ent.Client, userID string, p *ent.Plan, opt startOptions) (*ent.PlanSubscription, error) {
	sys := authz.As(ctx, authz.Billing)
	now := s.now()
	anchor := now.Truncate(time.Second)
	current, err := s.currentSubscription(ctx, c, userID, true)
	if err != nil {
		return nil, err
	}
	var carry map[string]int64
	predecessor := opt.replaces
	if current != nil {
		predecessor = current
		if !opt.resetUsage {
			// Keep the period the user is in, and the usage counted in it.
			anchor = current.PeriodAnchor
			if carry, err = s.periodUsage(ctx, c, current, now); err != nil {
				return nil, err
			}
		}
		if err := s.endSubscription(ctx, c, current, now, now); err != nil {
			return nil, err
		}
	}
	iv := intervalOf(p)
	start, end := period.Current(anchor, now, iv)
	create := c.PlanSubscription.Create().SetUserID(userID).SetPlanID(p.ID).SetStatus(plansubscription.StatusACTIVE).
		SetPeriodAnchor(anchor).SetCurrentPeriodStart(start).SetCurrentPeriodEnd(end).
		SetCreatedAt(now).SetUpdatedAt(now).
		SetPriceMinor(p.PriceMinor).SetCurrency(p.Currency).SetInterval(plansubscription.Interval(p.Interval)).
		SetPriceVersion(p.PriceVersion).SetComplimentary(opt.complimentary && p.PriceMinor > 0)
	if predecessor != nil {
		create.SetReplacesID(predecessor.ID)
	}
	if opt.trialDays != nil && *opt.trialDays > 0 {
		create.SetStatus(plansubscription.StatusTRIALING).SetTrialEnd(now.AddDate(0, 0, *opt.trialDays))
	}
	if opt.billed {
		create.SetPaidThrough(end)
	}
	sub, err := create.Save(sys)
	if err != nil {
		if ent.IsConstraintError(err) {
			return nil, errs.Conflict("the user's subscription changed concurrently; try again")
		}
		return nil, fmt.Errorf("creating subscription: %w", err)
	}
	if predecessor != nil {
		if err := s.linkSuccessor(ctx, c, predecessor.ID, sub.ID); err != nil {
			return nil, err
		}
	}
	if err := s.carryUsage(ctx, c, sub, start, end, carry, now); err != nil {
		return nil, err
	}
	return sub, nil
}

// carryUsage writes the usage counted so far in a period onto the subscription that continues it.
func (s *Service) carryUsage(ctx context.Context, c *ent.Client, sub *ent.PlanSubscription, start, end time.Time, carry map[string]int64, now time.Time) error {
	for m, used := range carry {
		if used == 0 {
			continue
		}
		_, err := c.ExecContext(ctx, s.rebind(`INSERT INTO usage_counters (subscription_id, user_id, metric, period_start, period_end, used, reserved, alerted_80, alerted_100, updated_at)
VALUES (?, ?, ?, ?, ?, ?, 0, false, false, ?)`), sub.ID, sub.UserID, m, start, end, used, now)
		if err != nil {
			return fmt.Errorf("carrying usage over: %w", err)
		}
	}
	return nil
}

// periodUsage sums what a subscription used in the period containing now, per metric.
func (s *Service) periodUsage(ctx context.Context, c *ent.Client, sub *ent.PlanSubscription, now time.Time) (map[string]int64, error) {
	rows, err := c.QueryContext(ctx, s.rebind(`SELECT metric, used FROM usage_counters WHERE subscription_id = ? AND period_start <= ? AND period_end > ?`), sub.ID, now, now)
	if err != nil {
		return nil, fmt.Errorf("reading usage: %w", err)
	}
	defer rows.Close()
	out := map[string]int64{}
	for rows.Next() {
		var m string
		var used int64
		if err := rows.Scan(&m, &used); err != nil {
			return nil, fmt.Errorf("reading usage: %w", err)
		}
		out[m] += used
	}
	return out, rows.Err()
}

// linkSuccessor records on an ended subscription the one that continues it.
func (s *Service) linkSuccessor(ctx context.Context, c *ent.Client, oldID, newID string) error {
	err := c.PlanSubscription.UpdateOneID(oldID).SetReplacedByID(newID).Exec(authz.As(ctx, authz.Billing))
	if err != nil {
		return fmt.Errorf("linking subscriptions: %w", err)
	}
	return nil
}

// endSubscription marks a live subscription CANCELED as of endedAt.
func (s *Service) endSubscription(ctx context.Context, c *ent.Client, sub *ent.PlanSubscription, endedAt, now time.Time) error {
	upd := c.PlanSubscription.Update().
		Where(plansubscription.ID(sub.ID), plansubscription.StatusIn(liveStatusValues...)).
		SetStatus(plansubscription.StatusCANCELED).SetEndedAt(endedAt).SetUpdatedAt(now)
	if sub.CanceledAt == nil {
		upd.SetCanceledAt(now)
	}
	n, err := upd.Save(authz.As(ctx, authz.Billing))
	if err != nil {
		return fmt.Errorf("ending subscription: %w", err)
	}
	if n == 0 {
		return errs.Conflict("the subscription changed concurrently; try again")
	}
	return nil
}

// CancelInput cancels a subscription: the caller's own, or (admins) any user's.
type CancelInput struct {
	// UserID names the user for an admin; nil means the caller.
	UserID *string
	// Immediate ends the subscription now; otherwise it runs to the end of the paid period.
	Immediate bool
}

// CancelSubscription cancels the current subscription of the caller (or, for admins, of the named
// user). At period end is the default: the user keeps what they paid for. Immediate ends it now;
// then, as when a subscription runs out, the default plan (when configured) takes over.
func (s *Service) CancelSubscription(ctx context.Context, in CancelInput) (*ent.PlanSubscription, error) {
	return db.InTxResult(ctx, s.client, func(ctx context.Context) (*ent.PlanSubscription, error) { return s.cancelSubscription(ctx, in) })
}

// cancelSubscription is CancelSubscription inside its transaction.
func (s *Service) cancelSubscription(ctx context.Context, in CancelInput) (*ent.PlanSubscription, error) {
	userID := ""
	if v := auth.ViewerFrom(ctx); v != nil {
		userID = v.UserID
	}
	if in.UserID != nil {
		userID = *in.UserID
	}
	if err := authz.Require(ctx, authz.CancelSubscription(userID)); err != nil {
		return nil, err
	}
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
	changes := map[string]audit.Change{}
	desc := ""
	if in.Immediate {
		if err := s.endSubscription(ctx, c, sub, now, now); err != nil {
			return nil, err
		}
		changes["status"] = audit.Change{Old: sub.Status, New: plansubscription.StatusCANCELED}
		desc = "canceled subscription immediately"
	} else {
		if sub.CancelAtPeriodEnd {
			return sub, nil
		}
		err := c.PlanSubscription.UpdateOneID(sub.ID).SetCancelAtPeriodEnd(true).SetCanceledAt(now).SetUpdatedAt(now).Exec(sys)
		if err != nil {
			return nil, fmt.Errorf("canceling subscription: %w", err)
		}
		changes["cancelAtPeriodEnd"] = audit.Change{Old: false, New: true}
		desc = "subscription will end at " + sub.CurrentPeriodEnd.Format(time.RFC3339)
	}
	err = s.audit.Record(ctx, audit.Entry{Action: audit.SubscriptionCanceled, EntityType: "PlanSubscription", EntityID: sub.ID,
		Description: fmt.Sprintf("%s (user %s, plan %s)", desc, userID, sub.PlanID), Changes: changes})
	if err != nil {
		return nil, err
	}
	if in.Immediate {
		if err := s.fallBackToDefault(ctx, c, sub); err != nil {
			return nil, err
		}
	}
	out, err := c.PlanSubscription.Get(sys, sub.ID)
	if err != nil {
		return nil, fmt.Errorf("reloading subscription: %w", err)
	}
	return out, nil
}

// fallBackToDefault puts a user whose subscription ended on the default plan, unless the plan
// that ended is the default itself (then cancelling it means having none) or the default is not
// configured or no longer exists.
func (s *Service) fallBackToDefault(ctx context.Context, c *ent.Client, ended *ent.PlanSubscription) error {
	if s.defaultPlanID == "" || s.defaultPlanID == ended.PlanID {
		return nil
	}
	return s.assignDefault(ctx, c, ended.UserID, ended)
}

// assignDefault starts the default plan for a user who has no current subscription; ended, when
// set, is the subscription it continues.
func (s *Service) assignDefault(ctx context.Context, c *ent.Client, userID string, ended *ent.PlanSubscription) error {
	p, err := c.Plan.Query().Where(plan.ID(s.defaultPlanID)).Only(authz.As(ctx, authz.Billing))
	if ent.IsNotFound(err) {
		s.logger.WarnContext(ctx, "STEWARD_DEFAULT_PLAN_ID names no plan; not assigning it", "plan", s.defaultPlanID)
		return nil
	}
	if err != nil {
		return fmt.Errorf("loading default plan: %w", err)
	}
	sub, err := s.switchPlan(ctx, c, userID, p, startOptions{resetUsage: true, complimentary: true, replaces: ended})
	if err != nil {
		return err
	}
	return s.audit.Record(ctx, audit.Entry{Action: audit.SubscriptionAssigned, EntityType: "PlanSubscription", EntityID: sub.ID,
		Description: fmt.Sprintf("assigned the default plan %q to user %s", p.Name, userID),
		Changes:     map[string]audit.Change{"planId": {Old: nil, New: p.ID}, "userId": {Old: nil, New: userID}}})
}

// OnSignup gives a new account the default plan (STEWARD_DEFAULT_PLAN_ID), inside the sign-up
// transaction. A default plan that does not exist is logged and skipped: a stale setting must not
// block sign-up.
func (s *Service) OnSignup(ctx context.Context, c *ent.Client, u *ent.User) error {
	if s.defaultPlanID == "" {
		return nil
	}
	return s.assignDefault(ctx, c, u.ID, nil)
}

// CurrentSubscriptions returns the current subscriptions of several users by user id, in one
// statement, for lists that show each user's plan. Privacy narrows non-admins to their own.
func (s *Service) CurrentSubscriptions(ctx context.Context, userIDs []string) (map[string]*ent.PlanSubscription, error) {
	subs, err := s.clientFrom(ctx).PlanSubscription.Query().
		Where(plansubscription.UserIDIn(userIDs...), plansubscription.StatusIn(liveStatusValues...)).All(ctx)
	if err != nil {
		return nil, fmt.Errorf("loading subscriptions: %w", err)
	}
	out := make(map[string]*ent.PlanSubscription, len(subs))
	for _, sub := range subs {
		out[sub.UserID] = sub
	}
	return out, nil
}

// MySubscription returns the caller's current subscription, or nil.
func (s *Service) MySubscription(ctx context.Context) (*ent.PlanSubscription, error) {
	if err := authz.Require(ctx, authz.UseAccount); err != nil {
		return nil, err
	}
	v := auth.ViewerFrom(ctx)
	return s.currentSubscription(ctx, s.clientFrom(ctx), v.UserID, false)
}

// Page is Relay pagination arguments.
type Page struct {
	After  *entgql.Cursor[string]
	First  *int
	Before *entgql.Cursor[string]
	Last   *int
}

// Subscriptions lists subscriptions (admin), newest first unless ordered otherwise.
func (s *Service) Subscriptions(ctx context.Context, pg Page, order *ent.PlanSubscriptionOrder, where *ent.PlanSubscriptionWhereInput) (*ent.PlanSubscriptionConnection, error) {
	if err := authz.Require(ctx, authz.ManageSubscriptions); err != nil {
		return nil, err
	}
	if order == nil {
		order = &ent.PlanSubscriptionOrder{Direction: entgql.OrderDirectionDesc, Field: ent.PlanSubscriptionOrderFieldCreatedAt}
	}
	return s.clientFrom(ctx).PlanSubscription.Query().Paginate(ctx, pg.After, pg.First, pg.Before, pg.Last,
		ent.WithPlanSubscriptionOrder(order), ent.WithPlanSubscriptionFilter(where.Filter))
}

// Transactions lists payments (admin), newest first unless ordered otherwise.
func (s *Service) Transactions(ctx context.Context, pg Page, order *ent.TransactionOrder, where *ent.TransactionWhereInput) (*ent.TransactionConnection, error) {
	if err := authz.Require(ctx, authz.ManageSubscriptions); err != nil {
		return nil, err
	}
	return s.transactions(ctx, "", pg, order, where)
}

// MyTransactions lists the caller's payments, newest first unless ordered otherwise.
func (s *Service) MyTransactions(ctx context.Context, pg Page, order *ent.TransactionOrder, where *ent.TransactionWhereInput) (*ent.TransactionConnection, error) {
	if err := authz.Require(ctx, authz.UseAccount); err != nil {
		return nil, err
	}
	v := auth.ViewerFrom(ctx)
	return s.transactions(ctx, v.UserID, pg, order, where)
}

func (s *Service) transactions(ctx context.Context, userID string, pg Page, order *ent.TransactionOrder, where *ent.TransactionWhereInput) (*ent.TransactionConnection, error) {
	if order == nil {
		order = &ent.TransactionOrder{Direction: entgql.OrderDirectionDesc, Field: ent.TransactionOrderFieldCreatedAt}
	}
	q := s.clientFrom(ctx).Transaction.Query()
	if userID != "" {
		q.Where(transaction.UserID(userID))
	}
	return q.Paginate(ctx, pg.After, pg.First, pg.Before, pg.Last,
		ent.WithTransactionOrder(order), ent.WithTransactionFilter(where.Filter))
}

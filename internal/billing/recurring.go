package billing

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"entgo.io/ent/dialect/sql"

	"github.com/steward-dev/steward/ent"
	"github.com/steward-dev/steward/ent/paymentmethod"
	"github.com/steward-dev/steward/ent/plansubscription"
	"github.com/steward-dev/steward/ent/transaction"
	"github.com/steward-dev/steward/internal/audit"
	"github.com/steward-dev/steward/internal/auth"
	"github.com/steward-dev/steward/internal/authz"
	"github.com/steward-dev/steward/internal/db"
	"github.com/steward-dev/steward/internal/errs"
	"github.com/steward-dev/steward/internal/money"
	"github.com/steward-dev/steward/internal/payments"
)

// DefaultRenewalLead is how long before a paid period ends its renewal is charged.
const DefaultRenewalLead = 24 * time.Hour

// DefaultDunning is when a declined renewal charge is tried again, counted from the end of the
// paid period: after 1, 3 and 5 days.
var DefaultDunning = []time.Duration{24 * time.Hour, 72 * time.Hour, 120 * time.Hour}

// RecurringConfig configures recurring payments: the first payment saves the payer's method at
// the provider, and the renewer charges it for each next period.
type RecurringConfig struct {
	// Enabled asks the provider to save payment methods and lets the renewer charge them.
	Enabled bool
	// Lead is how long before the paid period ends the renewal is charged; 0 means
	// DefaultRenewalLead.
	Lead time.Duration
	// Dunning lists when a declined charge is retried, each counted from the end of the paid
	// period, ascending; nil means DefaultDunning, empty means no retry. After the last retry is
	// declined the subscription ends.
	Dunning []time.Duration
}

// Validate checks the lead and the schedule.
func (c RecurringConfig) Validate() error {
	var all []error
	if c.Lead < 0 {
		all = append(all, errs.Invalid("recurring.lead", "renewal lead must not be negative"))
	}
	if !slices.IsSorted(c.Dunning) || slices.ContainsFunc(c.Dunning, func(d time.Duration) bool { return d <= 0 }) {
		all = append(all, errs.Invalid("recurring.dunning", "the dunning schedule must be positive durations in ascending order"))
	}
	if len(c.Dunning) > 10 {
		all = append(all, errs.Invalid("recurring.dunning", "the dunning schedule allows at most 10 retries"))
	}
	return errors.Join(all...)
}

// renewalKey names attempt (1-based) of the charge for the period starting at from of sub. It is
// the transaction's unique renewal_key and the provider's Idempotence-Key (at most 64 characters:
// a 36-character id, a Unix time and a small number).
func renewalKey(subID string, from time.Time, attempt int) string {
	return fmt.Sprintf("%s:%d:%d", subID, from.Unix(), attempt)
}

func renewalPrefix(subID string, from time.Time) string {
	return fmt.Sprintf("%s:%d:", subID, from.Unix())
}

// errClaimed reports that another replica created the same renewal charge first.
var errClaimed = errors.New("renewal charge already claimed")

// chargeRenewals charges the saved methods of the subscriptions whose paid time ends within the
// renewal lead (or has ended and are due a dunning retry), and ends those whose retries were all
// declined. Each charge is first claimed as a transaction row with a unique renewal key, so of
// several replicas exactly one charges; the provider's Idempotence-Key is the same key, so even
// a retried call cannot charge twice. Its result is applied through processPayment, the
// webhook's path.
func (r *Renewer) chargeRenewals(ctx context.Context, now time.Time, st *RunStats) error {
	s := r.svc
	if !s.recurring.Enabled || !s.PaymentsConfigured() {
		return nil
	}
	// Only subscriptions whose user has a saved method at this provider, and every one of them in
	// batches ordered by (paid_through, id): the rows that wait for a later retry must not starve
	// the rest.
	hasMethod := func(sel *sql.Selector) {
		methods := sql.Select(paymentmethod.FieldUserID).From(sql.Table(paymentmethod.Table)).
			Where(sql.EQ(paymentmethod.FieldProvider, s.provider.Name()))
		sel.Where(sql.In(sel.C(plansubscription.FieldUserID), methods))
	}
	var after *ent.PlanSubscription
	for {
		q := s.client.PlanSubscription.Query().
			Where(plansubscription.StatusIn(plansubscription.StatusACTIVE, plansubscription.StatusPAST_DUE),
				plansubscription.CancelAtPeriodEnd(false), plansubscription.Complimentary(false),
				plansubscription.ScheduledPlanIDIsNil(), plansubscription.PaidThroughNotNil(),
				plansubscription.PaidThroughLTE(now.Add(s.recurring.Lead)), hasMethod)
		if after != nil {
			q.Where(plansubscription.Or(plansubscription.PaidThroughGT(*after.PaidThrough),
				plansubscription.And(plansubscription.PaidThrough(*after.PaidThrough), plansubscription.IDGT(after.ID))))
		}
		due, err := q.WithPlan().Order(ent.Asc(plansubscription.FieldPaidThrough), ent.Asc(plansubscription.FieldID)).
			Limit(renewBatch).All(ctx)
		if err != nil {
			return fmt.Errorf("finding renewals to charge: %w", err)
		}
		for _, sub := range due {
			if err := r.renewal(ctx, sub, now, st); err != nil {
				s.logger.WarnContext(ctx, "renewal charge", "subscription", sub.ID, "err", err)
			}
		}
		if len(due) < renewBatch {
			return nil
		}
		after = due[len(due)-1]
	}
}

// renewal does what is due for one subscription's unpaid period: the first charge, a retry, a
// call to the provider that did not get through, or ending the subscription.
func (r *Renewer) renewal(ctx context.Context, sub *ent.PlanSubscription, now time.Time, st *RunStats) error {
	s := r.svc
	p := sub.Edges.Plan
	if p == nil || p.PriceMinor == 0 {
		return nil
	}
	method, err := s.client.PaymentMethod.Query().Where(paymentmethod.UserID(sub.UserID), paymentmethod.Provider(s.provider.Name())).Only(ctx)
	if ent.IsNotFound(err) {
		return nil // no saved method (or the user removed it): the subscription lapses as without one
	}
	if err != nil {
		return fmt.Errorf("loading the saved method: %w", err)
	}
	from := *sub.PaidThrough
	attempts, err := s.client.Transaction.Query().
		Where(transaction.RenewalKeyHasPrefix(renewalPrefix(sub.ID, from))).
		Order(ent.Asc(transaction.FieldCreatedAt)).All(ctx)
	if err != nil {
		return fmt.Errorf("loading renewal attempts: %w", err)
	}
	for _, a := range attempts {
		switch a.Status {
		case transaction.StatusPENDING:
			if a.ProviderPaymentID == nil {
				st.RenewalCharges++
				return s.sendRenewal(ctx, a, method) // the call did not get through: same key again
			}
			return nil // the provider is still deciding; the sweep re-reads it
		case transaction.StatusFAILED, transaction.StatusCANCELED:
		default:
			return nil // paid
		}
	}
	n := len(attempts)
	switch {
	case n == 0:
	case n <= len(s.recurring.Dunning):
		if now.Before(from.Add(s.recurring.Dunning[n-1])) {
			return nil
		}
	default:
		return r.endUnpaid(ctx, sub, from, n, now, st)
	}
	tx, err := s.claimRenewal(ctx, sub, p, from, n+1, now)
	if errors.Is(err, errClaimed) {
		return nil
	}
	if err != nil {
		return err
	}
	st.RenewalCharges++
	return s.sendRenewal(ctx, tx, method)
}

// claimRenewal creates the PENDING transaction of attempt of the charge for the period from
// `from`, with its audit entry. errClaimed when another replica created it first.
func (s *Service) claimRenewal(ctx context.Context, sub *ent.PlanSubscription, p *ent.Plan, from time.Time, attempt int, now time.Time) (*ent.Transaction, error) {
	cur := money.Currency(p.Currency)
	desc := truncateRunes(fmt.Sprintf("%s: %s %s per %s, renewal from %s", p.Name, money.FormatDecimal(p.PriceMinor, cur), cur,
		strings.ToLower(string(p.Interval)), from.Format("2006-01-02")), 128)
	return db.InTxResult(ctx, s.client, func(ctx context.Context) (*ent.Transaction, error) {
		c := s.clientFrom(ctx)
		tx, err := c.Transaction.Create().SetUserID(sub.UserID).SetPlanID(p.ID).SetSubscriptionID(sub.ID).
			SetAmountMinor(p.PriceMinor).SetCurrency(p.Currency).SetProvider(s.provider.Name()).SetDescription(desc).
			SetRenewalKey(renewalKey(sub.ID, from, attempt)).SetCreatedAt(now).SetUpdatedAt(now).Save(ctx)
		if ent.IsConstraintError(err) {
			return nil, errClaimed
		}
		if err != nil {
			return nil, fmt.Errorf("creating the renewal charge: %w", err)
		}
		err = s.audit.Record(ctx, audit.Entry{Action: audit.RenewalCharged, EntityType: "Transaction", EntityID: tx.ID,
			Description: fmt.Sprintf("charging the saved method of user %s %s %s for plan %q from %s (attempt %d)",
				sub.UserID, money.FormatDecimal(p.PriceMinor, cur), cur, p.Name, from.Format(time.RFC3339), attempt),
			Changes: map[string]audit.Change{"subscriptionId": {Old: nil, New: sub.ID}, "attempt": {Old: nil, New: attempt}}})
		return tx, err
	})
}

// sendRenewal asks the provider to charge the saved method for tx and applies the answer through
// processPayment. A refusal of the call itself (the method is no longer usable, say) fails tx, so
// that dunning goes on; a temporary failure leaves it PENDING for the next pass to send again
// with the same Idempotence-Key.
func (s *Service) sendRenewal(ctx context.Context, tx *ent.Transaction, method *ent.PaymentMethod) error {
	p, err := s.client.Plan.Get(ctx, *tx.PlanID)
	if err != nil {
		return fmt.Errorf("loading the renewal's plan: %w", err)
	}
	receipt, err := s.receiptFor(ctx, s.client, tx.UserID, p.Name, tx.AmountMinor, tx.Currency)
	if err != nil {
		return err
	}
	pay, err := s.provider.CreatePayment(ctx, payments.CreateInput{
		IdempotencyKey: *tx.RenewalKey, AmountMinor: tx.AmountMinor, Currency: tx.Currency, Description: tx.Description,
		PaymentMethodID: method.ProviderMethodID, Receipt: receipt,
		Metadata: map[string]string{"transaction_id": tx.ID, "user_id": tx.UserID, "plan_id": p.ID, "subscription_id": *tx.SubscriptionID},
	})
	if err != nil {
		var pe *payments.ProviderError
		if errors.As(err, &pe) && pe.Temporary {
			return err
		}
		return db.InTx(ctx, s.client, func(ctx context.Context, c *ent.Client) error {
			return s.transition(ctx, c, tx, transaction.StatusPENDING, transaction.StatusFAILED, payments.Payment{}, s.now(), audit.PaymentFailed,
				fmt.Sprintf("the provider refused the renewal charge %s: %v", *tx.RenewalKey, err))
		})
	}
	n, err := s.client.Transaction.Update().Where(transaction.ID(tx.ID), transaction.ProviderPaymentIDIsNil()).
		SetProviderPaymentID(pay.ID).SetUpdatedAt(s.now()).Save(ctx)
	if err != nil {
		return fmt.Errorf("storing the renewal's payment id: %w", err)
	}
	if n == 0 {
		return nil // another replica sent it and applies it
	}
	return s.processPayment(ctx, pay.ID)
}

// endUnpaid ends a subscription whose renewal was declined on every try of the schedule.
func (r *Renewer) endUnpaid(ctx context.Context, sub *ent.PlanSubscription, from time.Time, tries int, now time.Time, st *RunStats) error {
	s := r.svc
	return db.InTx(ctx, s.client, func(ctx context.Context, c *ent.Client) error {
		n, err := c.PlanSubscription.Update().
			Where(plansubscription.ID(sub.ID), plansubscription.StatusIn(plansubscription.StatusACTIVE, plansubscription.StatusPAST_DUE),
				plansubscription.PaidThrough(from)).
			SetStatus(plansubscription.StatusCANCELED).SetEndedAt(now).SetCanceledAt(now).SetUpdatedAt(now).Save(ctx)
		if err != nil || n == 0 {
			return err
		}
		err = s.audit.Record(ctx, audit.Entry{Action: audit.SubscriptionCanceled, EntityType: "PlanSubscription", EntityID: sub.ID,
			Description: fmt.Sprintf("subscription of user %s to plan %s ended: the renewal from %s was declined %d times", sub.UserID, sub.PlanID, from.Format(time.RFC3339), tries),
			Changes:     map[string]audit.Change{"status": {Old: sub.Status, New: plansubscription.StatusCANCELED}}})
		if err != nil {
			return err
		}
		st.Ended++
		return s.fallBackToDefault(ctx, c, sub)
	})
}

// rememberMethod stores the method pay used as the user's saved method, when the provider saved
// it, replacing an older one. Called once per succeeded payment, in its transaction.
func (s *Service) rememberMethod(ctx context.Context, c *ent.Client, userID string, pay payments.Payment, now time.Time) error {
	m := pay.Method
	if m == nil || !m.Saved || m.ID == "" || len(m.ID) > 64 {
		return nil
	}
	old, err := c.PaymentMethod.Query().Where(paymentmethod.UserID(userID)).Only(ctx)
	switch {
	case ent.IsNotFound(err):
		_, err = c.PaymentMethod.Create().SetUserID(userID).SetProvider(s.provider.Name()).SetProviderMethodID(m.ID).
			SetType(truncateRunes(m.Type, 64)).SetTitle(truncateRunes(m.Title, 128)).SetCardLast4(truncateRunes(m.Last4, 4)).
			SetCreatedAt(now).SetUpdatedAt(now).Save(ctx)
	case err != nil:
		return fmt.Errorf("loading the saved method: %w", err)
	case old.ProviderMethodID == m.ID && old.Provider == s.provider.Name():
		return nil // a renewal charged the same method
	default:
		_, err = c.PaymentMethod.UpdateOne(old).SetProvider(s.provider.Name()).SetProviderMethodID(m.ID).
			SetType(truncateRunes(m.Type, 64)).SetTitle(truncateRunes(m.Title, 128)).SetCardLast4(truncateRunes(m.Last4, 4)).
			SetUpdatedAt(now).Save(ctx)
	}
	if err != nil {
		return fmt.Errorf("saving the payment method: %w", err)
	}
	return s.audit.Record(ctx, audit.Entry{Action: audit.PaymentMethodSaved, EntityType: "User", EntityID: userID,
		Description: fmt.Sprintf("payment %s saved the method %q of user %s for renewals", pay.ID, m.Title, userID),
		Changes:     map[string]audit.Change{"paymentMethod": {Old: nil, New: m.Title}}})
}

// MyPaymentMethod returns the caller's saved payment method, or nil.
func (s *Service) MyPaymentMethod(ctx context.Context) (*ent.PaymentMethod, error) {
	if err := authz.Require(ctx, authz.UseAccount); err != nil {
		return nil, err
	}
	return s.methodOf(ctx, auth.ViewerFrom(ctx).UserID)
}

// PaymentMethodOf returns a user's saved payment method (admin), or nil.
func (s *Service) PaymentMethodOf(ctx context.Context, userID string) (*ent.PaymentMethod, error) {
	if err := authz.Require(ctx, authz.ManageSubscriptions); err != nil {
		return nil, err
	}
	return s.methodOf(ctx, userID)
}

func (s *Service) methodOf(ctx context.Context, userID string) (*ent.PaymentMethod, error) {
	m, err := s.clientFrom(ctx).PaymentMethod.Query().Where(paymentmethod.UserID(userID)).Only(ctx)
	if ent.IsNotFound(err) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("loading the saved method: %w", err)
	}
	return m, nil
}

// RemovePaymentMethod forgets the caller's saved method: renewals stop charging it, and the
// subscription lapses at the end of its paid time as one without a saved method does. YooKassa
// has no API to delete a saved method, so steward just never uses it again. NOT_FOUND when the
// caller has none.
func (s *Service) RemovePaymentMethod(ctx context.Context) error {
	if err := authz.Require(ctx, authz.UseAccount); err != nil {
		return err
	}
	userID := auth.ViewerFrom(ctx).UserID
	return s.removeMethod(ctx, userID, fmt.Sprintf("user %s removed the saved method", userID))
}

// RemovePaymentMethodOf forgets a user's saved method (admin), with the effects of
// RemovePaymentMethod: for a user who asks support to stop the renewals, or a method reported
// stolen. NOT_FOUND when the user has none.
func (s *Service) RemovePaymentMethodOf(ctx context.Context, userID string) error {
	if err := authz.Require(ctx, authz.ManageSubscriptions); err != nil {
		return err
	}
	actor := auth.ViewerFrom(ctx).UserID
	return s.removeMethod(ctx, userID, fmt.Sprintf("admin %s removed the saved method of user %s", actor, userID))
}

// removeMethod deletes userID's saved method and audits it; what says who removed it.
func (s *Service) removeMethod(ctx context.Context, userID, what string) error {
	return db.InTx(ctx, s.client, func(ctx context.Context, c *ent.Client) error {
		sys := authz.As(ctx, authz.Billing)
		m, err := c.PaymentMethod.Query().Where(paymentmethod.UserID(userID)).Only(sys)
		if ent.IsNotFound(err) {
			return errs.NotFound("payment method")
		}
		if err != nil {
			return fmt.Errorf("loading the saved method: %w", err)
		}
		if err := c.PaymentMethod.DeleteOne(m).Exec(sys); err != nil {
			return fmt.Errorf("removing the saved method: %w", err)
		}
		return s.audit.Record(ctx, audit.Entry{Action: audit.PaymentMethodRemoved, EntityType: "User", EntityID: userID,
			Description: fmt.Sprintf("%s %q", what, m.Title),
			Changes:     map[string]audit.Change{"paymentMethod": {Old: m.Title, New: nil}}})
	})
}

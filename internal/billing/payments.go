package billing

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/steward-dev/steward/ent"
	"github.com/steward-dev/steward/ent/plansubscription"
	"github.com/steward-dev/steward/ent/transaction"
	"github.com/steward-dev/steward/internal/audit"
	"github.com/steward-dev/steward/internal/auth"
	"github.com/steward-dev/steward/internal/authz"
	"github.com/steward-dev/steward/internal/billing/period"
	"github.com/steward-dev/steward/internal/db"
	"github.com/steward-dev/steward/internal/errs"
	"github.com/steward-dev/steward/internal/money"
	"github.com/steward-dev/steward/internal/payments"
)

// SubscribeResult is what subscribe started: a pending payment to confirm at ConfirmationURL, or,
// for a free plan, the new subscription at once.
type SubscribeResult struct {
	Transaction     *ent.Transaction
	Subscription    *ent.PlanSubscription
	ConfirmationURL string
}

// Subscribe starts buying a plan for the caller. A free plan starts at once. A paid plan gets a
// PENDING transaction and a provider payment (whose Idempotence-Key is the transaction id); the
// subscription starts when the provider confirms the payment (ProcessPayment).
//
// The provider is called inside the mutation's transaction, so that a failed call leaves no
// pending transaction behind; on SQLite this holds the write lock for the call's duration.
func (s *Service) Subscribe(ctx context.Context, planID, returnURL string) (SubscribeResult, error) {
	if err := authz.Require(ctx, authz.UseAccount); err != nil {
		return SubscribeResult{}, err
	}
	return db.InTxResult(ctx, s.client, func(ctx context.Context) (SubscribeResult, error) { return s.subscribe(ctx, planID, returnURL) })
}

// subscribe is Subscribe inside its transaction.
func (s *Service) subscribe(ctx context.Context, planID, returnURL string) (SubscribeResult, error) {
	v := auth.ViewerFrom(ctx)
	c := s.clientFrom(ctx)
	sys := authz.As(ctx, authz.Billing)
	p, err := s.lockPlan(ctx, c, planID, false)
	if err != nil {
		return SubscribeResult{}, err
	}
	if !p.IsActive {
		return SubscribeResult{}, errs.NotFound("plan")
	}
	if err := validReturnURL(returnURL); err != nil {
		return SubscribeResult{}, err
	}
	if p.PriceMinor == 0 {
		current, err := s.currentSubscription(ctx, c, v.UserID, true)
		if err != nil {
			return SubscribeResult{}, err
		}
		if current != nil && current.PlanID == p.ID && !current.CancelAtPeriodEnd {
			return SubscribeResult{}, errs.Conflict("you are already subscribed to this plan")
		}
		sub, err := s.switchPlan(ctx, c, v.UserID, p, startOptions{resetUsage: true})
		if err != nil {
			return SubscribeResult{}, err
		}
		err = s.audit.Record(ctx, audit.Entry{Action: audit.SubscriptionAssigned, EntityType: "PlanSubscription", EntityID: sub.ID,
			Description: fmt.Sprintf("user %s subscribed to the free plan %q", v.UserID, p.Name),
			Changes:     map[string]audit.Change{"planId": {Old: nil, New: p.ID}}})
		return SubscribeResult{Subscription: sub}, err
	}
	if p.TrialDays > 0 {
		// A plan's trial is given once per account, whatever the plan, so that cancelling and
		// subscribing again does not renew it.
		had, err := c.PlanSubscription.Query().Where(plansubscription.UserID(v.UserID), plansubscription.TrialEndNotNil()).Exist(sys)
		if err != nil {
			return SubscribeResult{}, fmt.Errorf("checking earlier trials: %w", err)
		}
		if !had {
			return s.startTrial(ctx, c, v.UserID, p)
		}
	}
	tx, url, err := s.startPayment(ctx, c, v.UserID, p, p.PriceMinor, returnURL, "", nil)
	if err != nil {
		return SubscribeResult{}, err
	}
	return SubscribeResult{Transaction: tx, ConfirmationURL: url}, nil
}

// startPayment creates a PENDING transaction of amount for plan p and its provider payment (whose
// Idempotence-Key is the transaction id). note, when set, is added to the description; meta to
// the transaction's metadata.
func (s *Service) startPayment(ctx context.Context, c *ent.Client, userID string, p *ent.Plan, amount int64, returnURL, note string, meta map[string]any) (*ent.Transaction, string, error) {
	if !s.PaymentsConfigured() {
		return nil, "", payments.ErrNotConfigured
	}
	sys := authz.As(ctx, authz.Billing)
	cur := money.Currency(p.Currency)
	desc := fmt.Sprintf("%s: %s %s per %s", p.Name, money.FormatDecimal(p.PriceMinor, cur), cur, strings.ToLower(string(p.Interval)))
	if note != "" {
		desc += ", " + note
	}
	desc = truncateRunes(desc, 128)
	create := c.Transaction.Create().SetUserID(userID).SetPlanID(p.ID).SetAmountMinor(amount).
		SetCurrency(p.Currency).SetProvider(s.provider.Name()).SetReturnURL(returnURL).SetDescription(desc).
		SetCreatedAt(s.now()).SetUpdatedAt(s.now()) // the service's clock, which the reconciliation sweep reads
	if meta != nil {
		create.SetMetadata(meta)
	}
	tx, err := create.Save(sys)
	if err != nil {
		return nil, "", fmt.Errorf("creating transaction: %w", err)
	}
	receipt, err := s.receiptFor(ctx, c, userID, p.Name, amount, p.Currency)
	if err != nil {
		return nil, "", err
	}
	pay, err := s.provider.CreatePayment(ctx, payments.CreateInput{
		IdempotencyKey: tx.ID, AmountMinor: amount, Currency: p.Currency, Description: desc, ReturnURL: returnURL,
		Metadata: map[string]string{"transaction_id": tx.ID, "user_id": userID, "plan_id": p.ID},
		// With recurring payments on, the method the user pays with is kept for renewals.
		SavePaymentMethod: s.recurring.Enabled, Receipt: receipt,
	})
	if err != nil {
		return nil, "", err
	}
	tx, err = c.Transaction.UpdateOne(tx).SetProviderPaymentID(pay.ID).SetConfirmationURL(pay.ConfirmationURL).Save(sys)
	if err != nil {
		return nil, "", fmt.Errorf("storing payment id: %w", err)
	}
	return tx, pay.ConfirmationURL, nil
}

// startTrial starts a self-serve trial of p: TRIALING without a payment, its period ending with
// the trial and paid through it. At the trial's end the renewer starts the first paid period
// there, as a renewal: it charges the saved method when the user has one (STEWARD_RECURRING),
// otherwise the period goes PAST_DUE (and then ends) unless the user pays for it.
func (s *Service) startTrial(ctx context.Context, c *ent.Client, userID string, p *ent.Plan) (SubscribeResult, error) {
	days := p.TrialDays
	sub, err := s.switchPlan(ctx, c, userID, p, startOptions{resetUsage: true, trialDays: &days})
	if err != nil {
		return SubscribeResult{}, err
	}
	te := sub.TrialEnd.UTC().Truncate(time.Second) // whole seconds, as period anchors are
	sub, err = c.PlanSubscription.UpdateOne(sub).SetTrialEnd(te).SetPaidThrough(te).SetCurrentPeriodEnd(te).Save(authz.As(ctx, authz.Billing))
	if err != nil {
		return SubscribeResult{}, fmt.Errorf("starting trial: %w", err)
	}
	err = s.audit.Record(ctx, audit.Entry{Action: audit.SubscriptionAssigned, EntityType: "PlanSubscription", EntityID: sub.ID,
		Description: fmt.Sprintf("user %s started a %d-day trial of plan %q", userID, days, p.Name),
		Changes:     map[string]audit.Change{"planId": {Old: nil, New: p.ID}, "trialEnd": {Old: nil, New: sub.TrialEnd}}})
	return SubscribeResult{Subscription: sub}, err
}

// validReturnURL checks where the provider sends the user back after paying.
func validReturnURL(returnURL string) error {
	if u, err := url.Parse(returnURL); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || len(returnURL) > 2048 {
		return errs.Invalid("returnUrl", "return URL must be an absolute http or https URL")
	}
	return nil
}

func truncateRunes(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n])
}

// ErrUnknownPayment reports a webhook naming a payment the provider does not know: a forged or
// mistaken notification.
var ErrUnknownPayment = errs.NotFound("payment")

// ProcessPayment brings a payment up to date from the provider. It trusts nothing but the
// provider's API: the payment is read with GetPayment, and only what that says is applied. Each
// status transition of a transaction is a conditional update, so a replayed or concurrent webhook
// does the work (activation, renewal, audit) exactly once. A payment id the provider does not
// know is ErrUnknownPayment; one it knows but steward did not create is ignored.
func (s *Service) ProcessPayment(ctx context.Context, paymentID string) error {
	if err := authz.Require(ctx, authz.ProcessPayments); err != nil {
		return err
	}
	return s.processPayment(ctx, paymentID)
}

// processPayment is ProcessPayment once the caller is authorised: the one path by which a
// provider's payment state is applied, whether a webhook, the reconciliation sweep or an admin's
// syncPayment asked.
func (s *Service) processPayment(ctx context.Context, paymentID string) error {
	if !s.PaymentsConfigured() {
		return payments.ErrNotConfigured
	}
	pay, err := s.provider.GetPayment(ctx, paymentID)
	if err != nil {
		if errors.Is(err, errs.ErrNotFound) {
			return ErrUnknownPayment
		}
		return err
	}
	return db.InTx(ctx, s.client, func(ctx context.Context, c *ent.Client) error {
		tx, err := c.Transaction.Query().Where(transaction.ProviderPaymentID(pay.ID), transaction.Provider(s.provider.Name())).Only(ctx)
		if ent.IsNotFound(err) {
			s.logger.WarnContext(ctx, "payment notification for a payment steward did not create", "provider", s.provider.Name(), "payment", pay.ID)
			return nil
		}
		if err != nil {
			return fmt.Errorf("loading transaction: %w", err)
		}
		return s.applyPayment(ctx, c, tx, pay)
	})
}

// applyPayment moves tx to the state pay is in.
func (s *Service) applyPayment(ctx context.Context, c *ent.Client, tx *ent.Transaction, pay payments.Payment) error {
	now := s.now()
	mismatch := pay.AmountMinor != tx.AmountMinor || pay.Currency != tx.Currency
	switch {
	case pay.Status == payments.Succeeded && mismatch:
		// Paid, but not what steward asked for: never activate on it.
		return s.transition(ctx, c, tx, transaction.StatusPENDING, transaction.StatusFAILED, pay, now, audit.PaymentFailed,
			fmt.Sprintf("payment %s amount %s %s does not match the transaction's %s %s", pay.ID,
				money.FormatDecimal(pay.AmountMinor, money.Currency(pay.Currency)), pay.Currency,
				money.FormatDecimal(tx.AmountMinor, money.Currency(tx.Currency)), tx.Currency))
	case pay.Status == payments.Succeeded && pay.RefundedMinor >= pay.AmountMinor && pay.AmountMinor > 0 && tx.Status == transaction.StatusPENDING:
		return s.transition(ctx, c, tx, transaction.StatusPENDING, transaction.StatusREFUNDED, pay, now, audit.PaymentRefunded,
			fmt.Sprintf("payment %s was refunded before it was processed", pay.ID))
	case pay.Status == payments.Succeeded && pay.RefundedMinor > tx.RefundedMinor && tx.Status != transaction.StatusPENDING:
		// A refund made at the provider (by refundPayment, or in its dashboard).
		_, err := s.recordRefund(ctx, c, tx, pay.RefundedMinor, now, fmt.Sprintf("payment %s refunded at the provider", pay.ID))
		return err
	case pay.Status == payments.Succeeded:
		ok, err := s.claim(ctx, c, tx, transaction.StatusPENDING, transaction.StatusSUCCEEDED, pay, now)
		if err != nil || !ok {
			return err
		}
		if err := s.rememberMethod(ctx, c, tx.UserID, pay, now); err != nil {
			return err
		}
		return s.activate(ctx, c, tx, pay, now)
	case pay.Status == payments.Canceled:
		return s.transition(ctx, c, tx, transaction.StatusPENDING, transaction.StatusCANCELED, pay, now, audit.PaymentCanceled,
			fmt.Sprintf("payment %s was canceled", pay.ID))
	default:
		return nil // pending or waiting for capture: nothing has happened yet
	}
}

// claim moves tx from one status to another with a conditional update; false when it was not in
// `from` any more (a replay, or another replica won).
func (s *Service) claim(ctx context.Context, c *ent.Client, tx *ent.Transaction, from, to transaction.Status, pay payments.Payment, now time.Time) (bool, error) {
	upd := c.Transaction.Update().Where(transaction.ID(tx.ID), transaction.StatusEQ(from)).
		SetStatus(to).SetProcessedAt(now).SetUpdatedAt(now)
	if pay.ReceiptURL != "" {
		upd.SetReceiptURL(pay.ReceiptURL)
	}
	n, err := upd.Save(ctx)
	if err != nil {
		return false, fmt.Errorf("updating transaction: %w", err)
	}
	return n == 1, nil
}

// transition claims a status change and audits it.
func (s *Service) transition(ctx context.Context, c *ent.Client, tx *ent.Transaction, from, to transaction.Status, pay payments.Payment, now time.Time, action audit.Action, desc string) error {
	ok, err := s.claim(ctx, c, tx, from, to, pay, now)
	if err != nil || !ok {
		return err
	}
	return s.audit.Record(ctx, audit.Entry{Action: action, EntityType: "Transaction", EntityID: tx.ID, Description: desc,
		Changes: map[string]audit.Change{"status": {Old: from, New: to}}})
}

// activate gives the user the plan recorded on the transaction: the plan that was paid for, not
// whatever the plan or the user's subscription is now. Paying for the plan the user is already on
// renews it (one more period paid); paying for another plan switches to it with a fresh period.
func (s *Service) activate(ctx context.Context, c *ent.Client, tx *ent.Transaction, pay payments.Payment, now time.Time) error {
	if tx.PlanID == nil {
		return fmt.Errorf("transaction %s has no plan", tx.ID)
	}
	p, err := s.lockPlan(ctx, c, *tx.PlanID, false)
	if err != nil {
		return err
	}
	current, err := s.currentSubscription(ctx, c, tx.UserID, true)
	if err != nil {
		return err
	}
	var sub *ent.PlanSubscription
	action := audit.SubscriptionAssigned
	// A complimentary subscription is not renewed by a payment but replaced, so that its unpaid
	// past stays out of MRR.
	if current != nil && current.PlanID == p.ID && !current.Complimentary {
		paid := current.CurrentPeriodEnd
		if current.PaidThrough != nil && !current.PaidThrough.Before(current.CurrentPeriodEnd) {
			// The current period is paid already: this payment covers the one after.
			_, paid = period.Current(current.PeriodAnchor, *current.PaidThrough, intervalOf(p))
		}
		sub, err = c.PlanSubscription.UpdateOne(current).SetStatus(plansubscription.StatusACTIVE).SetPaidThrough(paid).
			SetCancelAtPeriodEnd(false).ClearCanceledAt().SetUpdatedAt(now).Save(ctx)
		if err != nil {
			return fmt.Errorf("renewing subscription: %w", err)
		}
		action = audit.SubscriptionRenewed
	} else if sub, err = s.switchPlan(ctx, c, tx.UserID, p, startOptions{resetUsage: true, billed: true}); err != nil {
		return err
	}
	if err := c.Transaction.UpdateOneID(tx.ID).SetSubscriptionID(sub.ID).Exec(ctx); err != nil {
		return fmt.Errorf("linking transaction: %w", err)
	}
	cur := money.Currency(tx.Currency)
	err = s.audit.Record(ctx, audit.Entry{Action: audit.PaymentSucceeded, EntityType: "Transaction", EntityID: tx.ID,
		Description: fmt.Sprintf("payment %s of %s %s for plan %q succeeded", pay.ID, money.FormatDecimal(tx.AmountMinor, cur), cur, p.Name),
		Changes:     map[string]audit.Change{"status": {Old: transaction.StatusPENDING, New: transaction.StatusSUCCEEDED}}})
	if err != nil {
		return err
	}
	return s.audit.Record(ctx, audit.Entry{Action: action, EntityType: "PlanSubscription", EntityID: sub.ID,
		Description: fmt.Sprintf("plan %q paid by user %s (payment %s), paid through %s", p.Name, tx.UserID, pay.ID, sub.PaidThrough.Format(time.RFC3339)),
		Changes:     map[string]audit.Change{"planId": {Old: nil, New: p.ID}, "paidThrough": {Old: nil, New: sub.PaidThrough}}})
}

// AmountOf returns a transaction's amount as a decimal string in its currency.
func AmountOf(t *ent.Transaction) money.Decimal {
	return money.Decimal(money.FormatDecimal(t.AmountMinor, money.Currency(t.Currency)))
}

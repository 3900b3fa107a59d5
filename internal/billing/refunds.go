package billing

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/steward-dev/steward/ent"
	"github.com/steward-dev/steward/ent/plansubscription"
	"github.com/steward-dev/steward/ent/transaction"
	"github.com/steward-dev/steward/internal/audit"
	"github.com/steward-dev/steward/internal/authz"
	"github.com/steward-dev/steward/internal/db"
	"github.com/steward-dev/steward/internal/errs"
	"github.com/steward-dev/steward/internal/money"
	"github.com/steward-dev/steward/internal/payments"
)

// RefundEffect is what a refund does to the subscription the payment bought.
type RefundEffect string

// The effects an admin chooses between.
const (
	// RefundKeep leaves the subscription as it is.
	RefundKeep RefundEffect = "KEEP"
	// RefundAtPeriodEnd lets it run to the end of its period and then end.
	RefundAtPeriodEnd RefundEffect = "END_AT_PERIOD_END"
	// RefundEndNow ends it at once.
	RefundEndNow RefundEffect = "END_NOW"
)

// RefundInput refunds a payment (admin).
type RefundInput struct {
	TransactionID string
	// Amount is a decimal in the payment's currency; nil refunds everything not yet refunded.
	Amount *string
	Reason string
	Effect RefundEffect
}

const maxReason = 250

// RefundPayment refunds all or part of a succeeded payment through the provider and applies it:
// the transaction's refunded amount and status (PARTIALLY_REFUNDED, or REFUNDED once nothing is
// left), the subscription effect the admin chose, and audit entries, all in one transaction.
// The provider's Idempotence-Key is the transaction id and the amount refunded before, so a retry
// of the same refund is not paid twice. A notification for the refund later changes nothing.
func (s *Service) RefundPayment(ctx context.Context, in RefundInput) (*ent.Transaction, error) {
	if err := authz.Require(ctx, authz.ManageSubscriptions); err != nil {
		return nil, err
	}
	reason := strings.TrimSpace(in.Reason)
	var bad []error
	if reason == "" || utf8.RuneCountInString(reason) > maxReason {
		bad = append(bad, errs.Invalid("reason", fmt.Sprintf("a reason of 1 to %d characters is required", maxReason)))
	}
	switch in.Effect {
	case RefundKeep, RefundAtPeriodEnd, RefundEndNow:
	default:
		bad = append(bad, errs.Invalid("subscriptionEffect", "must be KEEP, END_AT_PERIOD_END or END_NOW"))
	}
	if err := errors.Join(bad...); err != nil {
		return nil, err
	}
	if !s.PaymentsConfigured() {
		return nil, payments.ErrNotConfigured
	}
	return db.InTxResult(ctx, s.client, func(ctx context.Context) (*ent.Transaction, error) {
		c := s.clientFrom(ctx)
		q := c.Transaction.Query().Where(transaction.ID(in.TransactionID))
		if s.postgres {
			q.ForUpdate()
		}
		tx, err := q.Only(authz.As(ctx, authz.Billing))
		if ent.IsNotFound(err) {
			return nil, errs.NotFound("transaction")
		}
		if err != nil {
			return nil, fmt.Errorf("loading transaction: %w", err)
		}
		if tx.ProviderPaymentID == nil || (tx.Status != transaction.StatusSUCCEEDED && tx.Status != transaction.StatusPARTIALLY_REFUNDED) {
			return nil, errs.Conflict("only a succeeded payment can be refunded")
		}
		left := tx.AmountMinor - tx.RefundedMinor
		amount := left
		cur := money.Currency(tx.Currency)
		if in.Amount != nil {
			if amount, err = money.ParseDecimal(*in.Amount, cur); err != nil || amount <= 0 {
				return nil, errs.Invalid("amount", "must be a positive decimal in the payment's currency")
			}
		}
		if amount > left {
			return nil, errs.Invalid("amount", fmt.Sprintf("at most %s %s is left to refund", money.FormatDecimal(left, cur), cur))
		}
		// A refund of a receipted payment needs a receipt of its own (YooKassa refuses it otherwise).
		receipt, err := s.receiptForTransaction(ctx, c, tx, amount)
		if err != nil {
			return nil, err
		}
		refund, err := s.provider.CreateRefund(ctx, payments.RefundInput{
			IdempotencyKey: fmt.Sprintf("%s-r%d", tx.ID, tx.RefundedMinor), PaymentID: *tx.ProviderPaymentID,
			AmountMinor: amount, Currency: tx.Currency, Description: reason, Receipt: receipt,
		})
		if err != nil {
			return nil, err
		}
		if refund.Status != payments.Succeeded {
			return nil, errs.Conflict("the provider did not complete the refund; try again later")
		}
		now := s.now()
		desc := fmt.Sprintf("refunded %s %s of payment %s: %s", money.FormatDecimal(amount, cur), cur, *tx.ProviderPaymentID, reason)
		ok, err := s.recordRefund(ctx, c, tx, tx.RefundedMinor+amount, now, desc)
		if err != nil {
			return nil, err
		}
		if !ok {
			return nil, errs.Conflict("the payment changed concurrently; try again")
		}
		if err := s.refundEffect(ctx, c, tx, in.Effect, now); err != nil {
			return nil, err
		}
		return c.Transaction.Get(authz.As(ctx, authz.Billing), tx.ID)
	})
}

// recordRefund raises a transaction's refunded amount to total (REFUNDED when nothing is left,
// PARTIALLY_REFUNDED otherwise) and audits it. It is conditional on the amount tx was read with,
// so that the admin's call and the provider's notification of the same refund apply it once; false
// means it had changed.
func (s *Service) recordRefund(ctx context.Context, c *ent.Client, tx *ent.Transaction, total int64, now time.Time, desc string) (bool, error) {
	status := transaction.StatusPARTIALLY_REFUNDED
	if total >= tx.AmountMinor {
		status, total = transaction.StatusREFUNDED, tx.AmountMinor
	}
	n, err := c.Transaction.Update().
		Where(transaction.ID(tx.ID), transaction.RefundedMinor(tx.RefundedMinor),
			transaction.StatusIn(transaction.StatusSUCCEEDED, transaction.StatusPARTIALLY_REFUNDED)).
		SetRefundedMinor(total).SetStatus(status).SetUpdatedAt(now).Save(authz.As(ctx, authz.Billing))
	if err != nil {
		return false, fmt.Errorf("recording the refund: %w", err)
	}
	if n == 0 {
		return false, nil
	}
	cur := money.Currency(tx.Currency)
	return true, s.audit.Record(ctx, audit.Entry{Action: audit.PaymentRefunded, EntityType: "Transaction", EntityID: tx.ID, Description: desc,
		Changes: map[string]audit.Change{"status": {Old: tx.Status, New: status},
			"refunded": {Old: money.FormatDecimal(tx.RefundedMinor, cur), New: money.FormatDecimal(total, cur)}}})
}

// refundEffect applies the admin's choice to the subscription the payment bought, when it is still
// the user's current one.
func (s *Service) refundEffect(ctx context.Context, c *ent.Client, tx *ent.Transaction, effect RefundEffect, now time.Time) error {
	if effect == RefundKeep || tx.SubscriptionID == nil {
		return nil
	}
	sub, err := s.currentSubscription(ctx, c, tx.UserID, true)
	if err != nil || sub == nil || sub.ID != *tx.SubscriptionID {
		return err
	}
	if effect == RefundEndNow {
		if err := s.endSubscription(ctx, c, sub, now, now); err != nil {
			return err
		}
		if err := s.audit.Record(ctx, audit.Entry{Action: audit.SubscriptionCanceled, EntityType: "PlanSubscription", EntityID: sub.ID,
			Description: fmt.Sprintf("subscription of user %s to plan %s ended by the refund of transaction %s", tx.UserID, sub.PlanID, tx.ID),
			Changes:     map[string]audit.Change{"status": {Old: sub.Status, New: plansubscription.StatusCANCELED}}}); err != nil {
			return err
		}
		return s.fallBackToDefault(ctx, c, sub)
	}
	if err := c.PlanSubscription.UpdateOne(sub).SetCancelAtPeriodEnd(true).SetCanceledAt(now).SetUpdatedAt(now).Exec(authz.As(ctx, authz.Billing)); err != nil {
		return fmt.Errorf("canceling at period end: %w", err)
	}
	return s.audit.Record(ctx, audit.Entry{Action: audit.SubscriptionCanceled, EntityType: "PlanSubscription", EntityID: sub.ID,
		Description: fmt.Sprintf("subscription of user %s to plan %s ends at %s after the refund of transaction %s", tx.UserID, sub.PlanID,
			sub.CurrentPeriodEnd.Format(time.RFC3339), tx.ID),
		Changes: map[string]audit.Change{"cancelAtPeriodEnd": {Old: sub.CancelAtPeriodEnd, New: true}}})
}

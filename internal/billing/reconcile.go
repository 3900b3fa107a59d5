package billing

import (
	"context"
	"fmt"
	"time"

	"github.com/steward-dev/steward/ent"
	"github.com/steward-dev/steward/ent/transaction"
	"github.com/steward-dev/steward/internal/authz"
	"github.com/steward-dev/steward/internal/errs"
)

// DefaultSyncPendingAfter is how long a payment stays PENDING before the sweep re-reads it.
const DefaultSyncPendingAfter = 10 * time.Minute

// syncWindow bounds how far back the sweep looks: a payment pending for longer has expired at the
// provider long ago, and re-reading it on every pass would cost a call each forever.
const syncWindow = 7 * 24 * time.Hour

// SyncPayment re-reads one payment from the provider and applies it (admin), through the same
// path as the webhook, so that a lost notification can be recovered by hand. It returns the
// transaction as it is afterwards.
func (s *Service) SyncPayment(ctx context.Context, transactionID string) (*ent.Transaction, error) {
	if err := authz.Require(ctx, authz.ManageSubscriptions); err != nil {
		return nil, err
	}
	sys := authz.As(ctx, authz.Billing)
	tx, err := s.client.Transaction.Get(sys, transactionID)
	if ent.IsNotFound(err) {
		return nil, errs.NotFound("transaction")
	}
	if err != nil {
		return nil, fmt.Errorf("loading transaction: %w", err)
	}
	if tx.ProviderPaymentID == nil || tx.Provider != s.provider.Name() {
		return nil, errs.Conflict("the transaction has no payment at the configured provider")
	}
	if err := s.processPayment(sys, *tx.ProviderPaymentID); err != nil {
		return nil, err
	}
	return s.client.Transaction.Get(sys, transactionID)
}

// sweepPending re-reads the payments PENDING for longer than syncAfter (and less than a week),
// oldest first, a batch per pass, and applies them through the webhook's path. A failure is
// logged and the payment tried again on the next pass.
func (s *Service) sweepPending(ctx context.Context, now time.Time) (int, error) {
	if !s.PaymentsConfigured() {
		return 0, nil
	}
	due, err := s.client.Transaction.Query().
		Where(transaction.StatusEQ(transaction.StatusPENDING), transaction.ProviderPaymentIDNotNil(),
			transaction.Provider(s.provider.Name()),
			transaction.CreatedAtLTE(now.Add(-s.syncAfter)), transaction.CreatedAtGT(now.Add(-syncWindow))).
		Order(ent.Asc(transaction.FieldCreatedAt)).Limit(renewBatch).All(ctx)
	if err != nil {
		return 0, fmt.Errorf("finding pending payments: %w", err)
	}
	n := 0
	for _, tx := range due {
		if err := s.processPayment(ctx, *tx.ProviderPaymentID); err != nil {
			s.logger.WarnContext(ctx, "reconciling a pending payment", "transaction", tx.ID, "err", err)
			continue
		}
		n++
	}
	return n, nil
}

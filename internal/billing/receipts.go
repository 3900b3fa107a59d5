package billing

import (
	"context"
	"errors"
	"fmt"

	"github.com/steward-dev/steward/ent"
	"github.com/steward-dev/steward/internal/authz"
	"github.com/steward-dev/steward/internal/errs"
	"github.com/steward-dev/steward/internal/payments"
)

// ReceiptConfig turns on fiscal receipts (54-FZ): every payment, renewal charge and refund then
// carries the provider's receipt object, one item for the plan at the amount charged.
type ReceiptConfig struct {
	// VATCode is YooKassa's VAT rate code, 1-6 (1: no VAT).
	VATCode int
	// PaymentSubject is what is sold (YooKassa's payment_subject, e.g. "service").
	PaymentSubject string
	// PaymentMode is how it is paid (payment_mode, e.g. "full_payment").
	PaymentMode string
	// TaxSystemCode is the merchant's tax system (1-6); 0 sends none (the shop's setting applies).
	TaxSystemCode int
}

// Validate returns every problem joined, each naming its setting.
func (c ReceiptConfig) Validate() error {
	var all []error
	if c.VATCode < 1 || c.VATCode > 6 {
		all = append(all, errs.Invalid("receipts.vatCode", "VAT code must be 1 to 6"))
	}
	if c.PaymentSubject == "" {
		all = append(all, errs.Invalid("receipts.paymentSubject", "payment subject is required (e.g. service)"))
	}
	if c.PaymentMode == "" {
		all = append(all, errs.Invalid("receipts.paymentMode", "payment mode is required (e.g. full_payment)"))
	}
	if c.TaxSystemCode < 0 || c.TaxSystemCode > 6 {
		all = append(all, errs.Invalid("receipts.taxSystemCode", "tax system code must be 1 to 6, or 0 for none"))
	}
	return errors.Join(all...)
}

// receiptFor returns the receipt for a payment (or refund) of amount in currency for plan
// planName by userID, or nil when receipts are off. The customer is the account's email.
func (s *Service) receiptFor(ctx context.Context, c *ent.Client, userID, planName string, amount int64, currency string) (*payments.Receipt, error) {
	if s.receipts == nil {
		return nil, nil
	}
	u, err := c.User.Get(authz.As(ctx, authz.Billing), userID)
	if err != nil {
		return nil, fmt.Errorf("loading the receipt's customer: %w", err)
	}
	r := s.receipts
	return &payments.Receipt{CustomerEmail: u.Email, TaxSystemCode: r.TaxSystemCode, Items: []payments.ReceiptItem{{
		Description: truncateRunes(planName, 128), AmountMinor: amount, Currency: currency,
		VATCode: r.VATCode, PaymentSubject: r.PaymentSubject, PaymentMode: r.PaymentMode,
	}}}, nil
}

// receiptForTransaction is receiptFor for a refund of amount of tx, named after its plan.
func (s *Service) receiptForTransaction(ctx context.Context, c *ent.Client, tx *ent.Transaction, amount int64) (*payments.Receipt, error) {
	if s.receipts == nil {
		return nil, nil
	}
	name := tx.Description
	if tx.PlanID != nil {
		if p, err := c.Plan.Get(authz.As(ctx, authz.Billing), *tx.PlanID); err == nil {
			name = p.Name
		}
	}
	if name == "" {
		name = "Subscription"
	}
	return s.receiptFor(ctx, c, tx.UserID, name, amount, tx.Currency)
}

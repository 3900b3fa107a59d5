// Package payments defines the provider-neutral model of an online payment and the Provider
// interface that payment gateways (YooKassa in payments/yookassa) implement.
//
// A payment is created with a redirect confirmation: the user is sent to ConfirmationURL, pays
// there and comes back to ReturnURL. The outcome is learnt by reading the payment again with
// GetPayment (typically after a webhook names it); webhook bodies themselves are never trusted.
package payments

import (
	"context"
	"errors"
	"net/url"
	"time"

	"github.com/steward-dev/steward/internal/errs"
	"github.com/steward-dev/steward/internal/money"
)

// Status is the state of a payment as the provider reports it.
type Status string

// The payment states, with YooKassa's names. Succeeded and Canceled are final.
const (
	// Pending: created, waiting for the user to pay.
	Pending Status = "pending"
	// WaitingForCapture: paid and authorised, waiting to be captured (only when capture is off).
	WaitingForCapture Status = "waiting_for_capture"
	// Succeeded: paid and captured; final.
	Succeeded Status = "succeeded"
	// Canceled: not paid, expired or voided; final.
	Canceled Status = "canceled"
)

// Valid reports whether s is one of the known states.
func (s Status) Valid() bool {
	switch s {
	case Pending, WaitingForCapture, Succeeded, Canceled:
		return true
	}
	return false
}

// Final reports whether s can no longer change (Succeeded or Canceled). A refund does not change
// the status; see Payment.Refunded.
func (s Status) Final() bool { return s == Succeeded || s == Canceled }

// CreateInput is the input of Provider.CreatePayment.
type CreateInput struct {
	// IdempotencyKey makes retries safe: the same key with the same input returns the same payment
	// instead of charging twice. Required; use a fresh UUID per purchase attempt and reuse it only
	// to retry that attempt.
	IdempotencyKey string
	// AmountMinor is the amount in minor units of Currency (kopecks for RUB); must be positive.
	AmountMinor int64
	// Currency is an ISO 4217 code that money.ParseCurrency accepts.
	Currency string
	// Description is shown to the payer; optional.
	Description string
	// ReturnURL is where the payer's browser goes after the payment page; an absolute http(s) URL.
	ReturnURL string
	// Metadata is stored with the payment and returned unchanged, for example the subscription id.
	Metadata map[string]string
	// SavePaymentMethod asks the provider to keep the method the payer uses, so that later
	// payments can be charged to it (PaymentMethodID) without the payer.
	SavePaymentMethod bool
	// PaymentMethodID charges a saved method instead of sending the payer to a payment page: no
	// confirmation, no ReturnURL needed, and the answer is usually final at once.
	PaymentMethodID string
	// Receipt, when set, is the fiscal receipt (54-FZ) the provider sends for this payment.
	Receipt *Receipt
}

// Receipt is a fiscal receipt under Russian law 54-FZ, which the provider registers with the tax
// service on the merchant's behalf.
type Receipt struct {
	// CustomerEmail is where the receipt is sent.
	CustomerEmail string
	Items         []ReceiptItem
	// TaxSystemCode is the merchant's tax system (1-6); 0 leaves it to the provider's setting.
	TaxSystemCode int
}

// ReceiptItem is one line of a receipt; its amount is the line's total (quantity 1).
type ReceiptItem struct {
	// Description names what was sold; at most 128 characters.
	Description string
	AmountMinor int64
	Currency    string
	// VATCode is the VAT rate code, 1-6 (1: no VAT).
	VATCode int
	// PaymentSubject is what is sold ("service"); PaymentMode how it is paid ("full_payment").
	PaymentSubject string
	PaymentMode    string
}

// Validate checks a receipt: an email, at least one item, codes in range, descriptions of 1 to
// 128 characters and positive amounts.
func (r Receipt) Validate() error {
	var all []error
	if r.CustomerEmail == "" {
		all = append(all, errs.Invalid("receipt.customer.email", "a receipt needs the customer's email"))
	}
	if len(r.Items) == 0 {
		all = append(all, errs.Invalid("receipt.items", "a receipt needs at least one item"))
	}
	if r.TaxSystemCode < 0 || r.TaxSystemCode > 6 {
		all = append(all, errs.Invalid("receipt.taxSystemCode", "tax system code must be 1 to 6"))
	}
	for _, it := range r.Items {
		if it.Description == "" || len([]rune(it.Description)) > 128 || it.AmountMinor <= 0 ||
			it.VATCode < 1 || it.VATCode > 6 || it.PaymentSubject == "" || it.PaymentMode == "" {
			all = append(all, errs.Invalid("receipt.items", "each receipt item needs a description of 1 to 128 characters, a positive amount, a VAT code 1-6, a payment subject and mode"))
			break
		}
	}
	return errors.Join(all...)
}

// Validate checks the provider-neutral rules and returns every violation joined, each an errs
// BAD_USER_INPUT error naming its field. Providers may enforce stricter limits of their own.
func (in CreateInput) Validate() error {
	var all []error
	if in.IdempotencyKey == "" {
		all = append(all, errs.Invalid("idempotencyKey", "idempotency key is required"))
	}
	if in.AmountMinor <= 0 {
		all = append(all, errs.Invalid("amount", "must be positive"))
	}
	if _, err := money.ParseCurrency(in.Currency); err != nil {
		all = append(all, err)
	}
	if in.PaymentMethodID == "" {
		if u, err := url.Parse(in.ReturnURL); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			all = append(all, errs.Invalid("returnUrl", "return URL must be an absolute http or https URL"))
		}
	}
	if in.PaymentMethodID != "" && in.SavePaymentMethod {
		all = append(all, errs.Invalid("paymentMethodId", "a saved method is charged, not saved again"))
	}
	if in.Receipt != nil {
		all = append(all, in.Receipt.Validate())
	}
	for k := range in.Metadata {
		if k == "" {
			all = append(all, errs.Invalid("metadata", "keys must not be empty"))
			break
		}
	}
	return errors.Join(all...)
}

// Payment is a provider's payment as last read.
type Payment struct {
	// ID is the provider's payment id.
	ID     string
	Status Status
	// Paid reports whether the payer has paid (true for Succeeded and WaitingForCapture).
	Paid bool
	// AmountMinor is the amount in minor units of Currency.
	AmountMinor int64
	Currency    string
	// ConfirmationURL is the payment page to redirect the payer to; empty once the payment no
	// longer needs confirmation.
	ConfirmationURL string
	Metadata        map[string]string
	// ReceiptURL links to a receipt when the provider offers one; often empty.
	ReceiptURL string
	CreatedAt  time.Time
	// Refunded reports whether any part of the amount has been refunded (RefundedMinor > 0).
	Refunded bool
	// RefundedMinor is the refunded amount in minor units of Currency.
	RefundedMinor int64
	// Method is the payment method used, once the payer chose one; nil before.
	Method *Method
	// CancellationReason is the provider's reason for a Canceled payment ("insufficient_funds").
	CancellationReason string
}

// Method is the payment method a payment used, as the provider describes it for display.
type Method struct {
	// ID charges the method again (CreateInput.PaymentMethodID) when Saved.
	ID string
	// Saved reports whether the provider keeps the method for charges without the payer.
	Saved bool
	// Type is the provider's kind of method ("bank_card", "yoo_money", "sbp").
	Type string
	// Title is the provider's display name ("Bank card *4444"); Last4 a card's last digits.
	Title string
	Last4 string
}

// Provider is a payment gateway. Implementations are safe for concurrent use.
type Provider interface {
	// Name identifies the provider, for example "yookassa"; it is stored with transactions.
	Name() string
	// CreatePayment starts a payment and returns it, usually Pending with a ConfirmationURL.
	// Invalid input yields errs BAD_USER_INPUT errors; provider failures yield a *ProviderError.
	CreatePayment(ctx context.Context, in CreateInput) (Payment, error)
	// GetPayment reads a payment's current state. An unknown id yields an errs NOT_FOUND error.
	GetPayment(ctx context.Context, id string) (Payment, error)
	// CreateRefund returns part or all of a succeeded payment. Retrying with the same
	// IdempotencyKey returns the same refund. Provider failures yield a *ProviderError.
	CreateRefund(ctx context.Context, in RefundInput) (Refund, error)
}

// RefundInput asks for a refund of AmountMinor (minor units of Currency) of payment PaymentID.
type RefundInput struct {
	IdempotencyKey string
	PaymentID      string
	AmountMinor    int64
	Currency       string
	Description    string
	// Receipt, when set, is the refund's fiscal receipt (required for receipted payments).
	Receipt *Receipt
}

// Refund is a provider's refund.
type Refund struct {
	ID          string
	PaymentID   string
	Status      Status
	AmountMinor int64
}

// Unconfigured is the Provider to wire in when no payment gateway is configured: every call
// returns ErrNotConfigured. Its zero value is ready to use.
type Unconfigured struct{}

var _ Provider = Unconfigured{}

// Name returns "none".
func (Unconfigured) Name() string { return "none" }

// CreatePayment returns ErrNotConfigured.
func (Unconfigured) CreatePayment(context.Context, CreateInput) (Payment, error) {
	return Payment{}, ErrNotConfigured
}

// GetPayment returns ErrNotConfigured.
func (Unconfigured) GetPayment(context.Context, string) (Payment, error) {
	return Payment{}, ErrNotConfigured
}

// CreateRefund returns ErrNotConfigured.
func (Unconfigured) CreateRefund(context.Context, RefundInput) (Refund, error) {
	return Refund{}, ErrNotConfigured
}

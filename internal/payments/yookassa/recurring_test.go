package yookassa_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"testing"

	"github.com/steward-dev/steward/internal/errs"
	"github.com/steward-dev/steward/internal/payments"
)

// TestSavedMethodCharges: a payment that asked to save its method reports it saved once paid; a
// charge of that method needs no confirmation, is final at once, answers the same payment for the
// same key, and can be declined.
func TestSavedMethodCharges(t *testing.T) {
	fake := newFake(t)
	c := newClient(t, fake.URL())
	ctx := context.Background()
	in := input("first")
	in.SavePaymentMethod = true
	first, err := c.CreatePayment(ctx, in)
	if err != nil {
		t.Fatal(err)
	}
	if first.Method != nil {
		t.Errorf("pending payment method = %+v, want none before the payer pays", first.Method)
	}
	if err := fake.SetStatus(first.ID, payments.Succeeded); err != nil {
		t.Fatal(err)
	}
	paid, err := c.GetPayment(ctx, first.ID)
	if err != nil {
		t.Fatal(err)
	}
	want := payments.Method{ID: "pm-" + first.ID, Saved: true, Type: "bank_card", Title: "Bank card *4444", Last4: "4444"}
	if paid.Method == nil || *paid.Method != want {
		t.Fatalf("method = %+v, want %+v", paid.Method, want)
	}

	charge := payments.CreateInput{IdempotencyKey: "sub-1:1700000000:1", AmountMinor: 19990, Currency: "RUB", PaymentMethodID: want.ID}
	tests := []struct {
		name       string
		key        string
		decline    bool
		wantStatus payments.Status
		wantReason string
	}{
		{"succeeds at once", "k1", false, payments.Succeeded, ""},
		{"declined", "k2", true, payments.Canceled, "insufficient_funds"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.decline {
				fake.FailCharges(1, "insufficient_funds")
			}
			in := charge
			in.IdempotencyKey = tt.key
			got, err := c.CreatePayment(ctx, in)
			if err != nil {
				t.Fatal(err)
			}
			if got.Status != tt.wantStatus || got.CancellationReason != tt.wantReason || got.ConfirmationURL != "" {
				t.Errorf("charge = %+v, want %s (%q) without confirmation", got, tt.wantStatus, tt.wantReason)
			}
			again, err := c.CreatePayment(ctx, in)
			if err != nil || again.ID != got.ID {
				t.Errorf("retry with the same key = %v, %v; want the same payment %s", again.ID, err, got.ID)
			}
		})
	}
	if fake.Charges() != 2 {
		t.Errorf("charges = %d, want 2", fake.Charges())
	}
	in = charge
	in.IdempotencyKey, in.PaymentMethodID = "k3", "pm-unknown"
	_, err = c.CreatePayment(ctx, in)
	if pe := providerError(t, err); pe.StatusCode != http.StatusBadRequest || pe.Temporary {
		t.Errorf("unknown method: %+v, want a permanent 400", pe)
	}
}

// TestReceiptIsSent: the receipt goes out in YooKassa's shape; a bad one is refused before any
// call.
func TestReceiptIsSent(t *testing.T) {
	fake := newFake(t)
	c := newClient(t, fake.URL())
	in := input("receipted")
	in.Receipt = &payments.Receipt{CustomerEmail: "bob@example.com", TaxSystemCode: 2, Items: []payments.ReceiptItem{{
		Description: "Pro", AmountMinor: 19990, Currency: "RUB", VATCode: 1, PaymentSubject: "service", PaymentMode: "full_payment"}}}
	p, err := c.CreatePayment(context.Background(), in)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"customer":{"email":"bob@example.com"},"items":[{"description":"Pro","quantity":"1.00","amount":{"value":"199.90","currency":"RUB"},"vat_code":1,"payment_subject":"service","payment_mode":"full_payment"}],"tax_system_code":2}`
	if got := mustCanon(t, string(fake.Receipt(p.ID))); got != mustCanon(t, want) {
		t.Errorf("receipt = %s, want %s", fake.Receipt(p.ID), want)
	}

	before := fake.Requests()
	bad := input("bad-receipt")
	bad.Receipt = &payments.Receipt{Items: []payments.ReceiptItem{{Description: "Pro", AmountMinor: 1, Currency: "RUB", VATCode: 9}}}
	_, err = c.CreatePayment(context.Background(), bad)
	if !errors.Is(err, errs.ErrBadUserInput) {
		t.Errorf("bad receipt error = %v, want BAD_USER_INPUT", err)
	}
	if fake.Requests() != before {
		t.Errorf("a bad receipt was sent")
	}
}

func mustCanon(t *testing.T, s string) string {
	t.Helper()
	var v any
	if err := json.Unmarshal([]byte(s), &v); err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(v)
	return string(b)
}

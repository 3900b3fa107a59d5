package yookassa

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/steward-dev/steward/internal/money"
	"github.com/steward-dev/steward/internal/payments"
)

type amountJSON struct {
	Value    string `json:"value"`
	Currency string `json:"currency"`
}

type confirmationJSON struct {
	Type            string `json:"type"`
	ReturnURL       string `json:"return_url,omitempty"`
	ConfirmationURL string `json:"confirmation_url,omitempty"`
}

type createRequest struct {
	Amount            amountJSON        `json:"amount"`
	Capture           bool              `json:"capture"`
	Confirmation      *confirmationJSON `json:"confirmation,omitempty"`
	Description       string            `json:"description,omitempty"`
	Metadata          map[string]string `json:"metadata,omitempty"`
	SavePaymentMethod bool              `json:"save_payment_method,omitempty"`
	PaymentMethodID   string            `json:"payment_method_id,omitempty"`
	Receipt           *receiptJSON      `json:"receipt,omitempty"`
}

// receiptJSON is YooKassa's receipt object (54-FZ).
type receiptJSON struct {
	Customer      receiptCustomerJSON `json:"customer"`
	Items         []receiptItemJSON   `json:"items"`
	TaxSystemCode int                 `json:"tax_system_code,omitempty"`
}

type receiptCustomerJSON struct {
	Email string `json:"email"`
}

type receiptItemJSON struct {
	Description    string     `json:"description"`
	Quantity       string     `json:"quantity"`
	Amount         amountJSON `json:"amount"`
	VATCode        int        `json:"vat_code"`
	PaymentSubject string     `json:"payment_subject"`
	PaymentMode    string     `json:"payment_mode"`
}

// encodeReceipt converts r (validated) to YooKassa's object; nil stays nil.
func encodeReceipt(r *payments.Receipt) *receiptJSON {
	if r == nil {
		return nil
	}
	out := &receiptJSON{Customer: receiptCustomerJSON{Email: r.CustomerEmail}, TaxSystemCode: r.TaxSystemCode}
	for _, it := range r.Items {
		cur := money.Currency(it.Currency)
		out.Items = append(out.Items, receiptItemJSON{Description: it.Description, Quantity: "1.00",
			Amount:  amountJSON{Value: money.FormatDecimal(it.AmountMinor, cur), Currency: it.Currency},
			VATCode: it.VATCode, PaymentSubject: it.PaymentSubject, PaymentMode: it.PaymentMode})
	}
	return out
}

type paymentMethodJSON struct {
	Type  string `json:"type"`
	ID    string `json:"id"`
	Saved bool   `json:"saved"`
	Title string `json:"title"`
	Card  *struct {
		Last4 string `json:"last4"`
	} `json:"card"`
}

// paymentJSON is the part of YooKassa's payment object that payments.Payment needs.
type paymentJSON struct {
	ID             string                     `json:"id"`
	Status         string                     `json:"status"`
	Paid           bool                       `json:"paid"`
	Amount         amountJSON                 `json:"amount"`
	Confirmation   *confirmationJSON          `json:"confirmation"`
	Metadata       map[string]json.RawMessage `json:"metadata"`
	CreatedAt      time.Time                  `json:"created_at"`
	RefundedAmount *amountJSON                `json:"refunded_amount"`
	PaymentMethod  *paymentMethodJSON         `json:"payment_method"`
	Cancellation   *struct {
		Reason string `json:"reason"`
	} `json:"cancellation_details"`
}

// decodePayment converts a payment object to payments.Payment. Anything unreadable is a
// *payments.ProviderError: the amounts are YooKassa's, not user input, so their parse errors are
// reported as text rather than wrapped (which would make them BAD_USER_INPUT).
func decodePayment(op string, data []byte) (payments.Payment, error) {
	bad := func(format string, args ...any) error {
		return payments.NewProviderError(providerName, op, 200, "", "unexpected response: "+fmt.Sprintf(format, args...), false, nil)
	}
	var p paymentJSON
	if err := json.Unmarshal(data, &p); err != nil {
		return payments.Payment{}, bad("invalid JSON: %v", err)
	}
	if p.ID == "" {
		return payments.Payment{}, bad("payment has no id")
	}
	status := payments.Status(p.Status)
	if !status.Valid() {
		return payments.Payment{}, bad("unknown payment status %q", p.Status)
	}
	cur, err := money.ParseCurrency(p.Amount.Currency)
	if err != nil {
		return payments.Payment{}, bad("unsupported currency %q", p.Amount.Currency)
	}
	amount, err := money.ParseDecimal(p.Amount.Value, cur)
	if err != nil {
		return payments.Payment{}, bad("amount %q: %v", p.Amount.Value, err)
	}
	var refunded int64
	if p.RefundedAmount != nil && p.RefundedAmount.Value != "" {
		if p.RefundedAmount.Currency != "" && p.RefundedAmount.Currency != p.Amount.Currency {
			return payments.Payment{}, bad("refund currency %q differs from %q", p.RefundedAmount.Currency, p.Amount.Currency)
		}
		refunded, err = money.ParseDecimal(p.RefundedAmount.Value, cur)
		if err != nil {
			return payments.Payment{}, bad("refunded amount %q: %v", p.RefundedAmount.Value, err)
		}
	}
	out := payments.Payment{
		ID:            p.ID,
		Status:        status,
		Paid:          p.Paid,
		AmountMinor:   amount,
		Currency:      string(cur),
		CreatedAt:     p.CreatedAt.UTC(),
		Refunded:      refunded > 0,
		RefundedMinor: refunded,
	}
	if m := p.PaymentMethod; m != nil && m.ID != "" {
		out.Method = &payments.Method{ID: m.ID, Saved: m.Saved, Type: m.Type, Title: m.Title}
		if m.Card != nil {
			out.Method.Last4 = m.Card.Last4
		}
	}
	if p.Cancellation != nil {
		out.CancellationReason = p.Cancellation.Reason
	}
	if p.Confirmation != nil {
		out.ConfirmationURL = p.Confirmation.ConfirmationURL
	}
	if len(p.Metadata) > 0 {
		out.Metadata = make(map[string]string, len(p.Metadata))
		for k, raw := range p.Metadata {
			// Metadata values are strings, but keep anything else readable rather than failing.
			var s string
			if json.Unmarshal(raw, &s) != nil {
				s = string(raw)
			}
			out.Metadata[k] = s
		}
	}
	return out, nil
}

type refundRequest struct {
	PaymentID   string       `json:"payment_id"`
	Amount      amountJSON   `json:"amount"`
	Description string       `json:"description,omitempty"`
	Receipt     *receiptJSON `json:"receipt,omitempty"`
}

type refundJSON struct {
	ID        string     `json:"id"`
	PaymentID string     `json:"payment_id"`
	Status    string     `json:"status"`
	Amount    amountJSON `json:"amount"`
}

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
	Amount       amountJSON        `json:"amount"`
	Capture      bool              `json:"capture"`
	Confirmation confirmationJSON  `json:"confirmation"`
	Description  string            `json:"description,omitempty"`
	Metadata     map[string]string `json:"metadata,omitempty"`
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
	PaymentID   string     `json:"payment_id"`
	Amount      amountJSON `json:"amount"`
	Description string     `json:"description,omitempty"`
}

type refundJSON struct {
	ID        string     `json:"id"`
	PaymentID string     `json:"payment_id"`
	Status    string     `json:"status"`
	Amount    amountJSON `json:"amount"`
}

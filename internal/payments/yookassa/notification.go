package yookassa

import (
	"encoding/json"
	"strings"

	"github.com/steward-dev/steward/internal/errs"
)

// ParseNotification reads a YooKassa webhook body such as
// {"type":"notification","event":"payment.succeeded","object":{"id":"...", ...}} and returns its
// event and the id of the payment it concerns: object.id for payment.* events, object.payment_id
// for refund.* events. For other events (payout.*, deal.*, payment_method.*) paymentID is empty
// and err is nil; acknowledge and ignore them.
//
// Nothing else in the body is returned, on purpose: anyone can post to a webhook URL, so callers
// must re-read the payment with GetPayment and act only on that. A body that is not a notification
// yields an errs BAD_USER_INPUT error on field "notification".
func ParseNotification(body []byte) (event string, paymentID string, err error) {
	var n struct {
		Type   string `json:"type"`
		Event  string `json:"event"`
		Object struct {
			ID        string `json:"id"`
			PaymentID string `json:"payment_id"`
		} `json:"object"`
	}
	if err := json.Unmarshal(body, &n); err != nil {
		return "", "", errs.Invalid("notification", "body is not a JSON notification")
	}
	if n.Type != "notification" {
		return "", "", errs.Invalid("notification", `type must be "notification"`)
	}
	if n.Event == "" {
		return "", "", errs.Invalid("notification", "event is missing")
	}
	switch {
	case strings.HasPrefix(n.Event, "payment."):
		paymentID = n.Object.ID
	case strings.HasPrefix(n.Event, "refund."):
		paymentID = n.Object.PaymentID
	default:
		return n.Event, "", nil
	}
	if paymentID == "" || len(paymentID) > 64 {
		return "", "", errs.Invalid("notification", "payment id is missing or too long")
	}
	return n.Event, paymentID, nil
}

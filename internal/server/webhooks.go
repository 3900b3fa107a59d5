package server

import (
	"errors"
	"io"
	"log/slog"
	"net/http"

	"github.com/steward-dev/steward/internal/authz"
	"github.com/steward-dev/steward/internal/billing"
	"github.com/steward-dev/steward/internal/errs"
	"github.com/steward-dev/steward/internal/payments"
	"github.com/steward-dev/steward/internal/payments/yookassa"
	"github.com/steward-dev/steward/internal/ratelimit"
)

// maxWebhookBody bounds a notification body; YooKassa's are a few KB.
const maxWebhookBody = 64 << 10

// yookassaWebhook receives YooKassa notifications. The body is used only to learn which payment
// changed; billing re-reads that payment from YooKassa's API and applies only what the API says,
// so a forged body changes nothing. Answers: 200 when handled (or ignored), 400 for a body that
// is not a notification, 404 for a payment YooKassa does not know, 503 when payments are not
// configured, 500 when processing failed (YooKassa retries non-200 answers), and 429 for an
// address over the webhook rate limit, checked first because every call costs a provider request.
func yookassaWebhook(bill *billing.Service, limits *ratelimit.Policy, logger *slog.Logger) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := ratelimit.WithHeaders(r.Context(), ratelimit.NewHeaderSink(w.Header().Set))
		if err := limits.Webhook(ctx); err != nil {
			e, _ := errs.As(err)
			refused(r, refusedWebhookRateLimited)
			writeError(w, http.StatusTooManyRequests, e)
			return
		}
		body, err := io.ReadAll(io.LimitReader(r.Body, maxWebhookBody+1))
		if err != nil || len(body) > maxWebhookBody {
			writeError(w, http.StatusBadRequest, errs.Invalid("notification", "body is unreadable or too large"))
			return
		}
		event, paymentID, err := yookassa.ParseNotification(body)
		if err != nil {
			writeError(w, http.StatusBadRequest, errs.Invalid("notification", "body is not a YooKassa notification"))
			return
		}
		if paymentID == "" {
			logger.InfoContext(r.Context(), "ignoring YooKassa notification", "event", event)
			w.WriteHeader(http.StatusOK)
			return
		}
		err = bill.ProcessPayment(authz.As(r.Context(), authz.Webhook), paymentID)
		switch {
		case err == nil:
			w.WriteHeader(http.StatusOK)
		case payments.IsNotConfigured(err):
			writeError(w, http.StatusServiceUnavailable, payments.ErrNotConfigured)
		case errors.Is(err, billing.ErrUnknownPayment):
			logger.WarnContext(r.Context(), "YooKassa notification for an unknown payment", "event", event, "payment", paymentID)
			writeError(w, http.StatusNotFound, errs.NotFound("payment"))
		default:
			logger.ErrorContext(r.Context(), "processing YooKassa notification", "event", event, "payment", paymentID, "err", err)
			writeError(w, http.StatusInternalServerError, &errs.Error{Code: errs.CodeInternal, Message: "internal server error"})
		}
	})
}

// Package yookassa is a payments.Provider for YooKassa's REST API v3
// (https://yookassa.ru/developers/api): one-stage payments (capture: true) confirmed by redirect,
// optionally saving the payment method (save_payment_method) for later charges by
// payment_method_id without confirmation, with fiscal receipts (54-FZ) when asked.
//
// Credentials are the shop id and secret key, sent with HTTP Basic auth. The secret key never
// appears in errors or logs. Webhook bodies are parsed only to learn which payment changed
// (ParseNotification); the caller then reads the payment with GetPayment and trusts only that.
package yookassa

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/steward-dev/steward/internal/errs"
	"github.com/steward-dev/steward/internal/money"
	"github.com/steward-dev/steward/internal/payments"
)

// DefaultBaseURL is YooKassa's production API endpoint.
const DefaultBaseURL = "https://api.yookassa.ru/v3"

// DefaultTimeout bounds one call (including waits for a "processing" answer) when Config.Timeout is 0.
const DefaultTimeout = 30 * time.Second

// providerName is Client.Name and the Provider of every *payments.ProviderError from this package.
const providerName = "yookassa"

// YooKassa's documented limits.
const (
	maxIdempotenceKey = 64
	maxDescription    = 128 // characters
	maxMetadataKeys   = 16
	maxMetadataKey    = 32
	maxMetadataValue  = 512
)

const (
	// maxResponse caps how much of a response body is read; payments are a few KB.
	maxResponse = 1 << 20
	// maxProcessingRetries bounds how often a 202 "processing" answer is retried within one call.
	maxProcessingRetries = 3
	// maxRetryWait caps the wait YooKassa asks for between those retries.
	maxRetryWait = 5 * time.Second
)

// Config configures a Client.
type Config struct {
	// ShopID is the shop (or gateway) id, the Basic auth user name. Required.
	ShopID string
	// SecretKey is the shop's secret key, the Basic auth password. Required.
	SecretKey string
	// BaseURL is the API root; empty means DefaultBaseURL. It must be https, except that plain
	// http is allowed for loopback hosts so tests can use httptest servers.
	BaseURL string
	// HTTPClient sends the requests; nil means a new http.Client. Its own Timeout, if any, applies
	// in addition to Timeout.
	HTTPClient *http.Client
	// Timeout bounds each CreatePayment or GetPayment call; 0 means DefaultTimeout.
	Timeout time.Duration
}

// Validate returns payments.ErrNotConfigured when both ShopID and SecretKey are empty (payments
// are simply off), and otherwise every problem joined, each an errs BAD_USER_INPUT error naming
// the setting.
func (c Config) Validate() error {
	if c.ShopID == "" && c.SecretKey == "" {
		return payments.ErrNotConfigured
	}
	var all []error
	if c.ShopID == "" {
		all = append(all, errs.Invalid("yookassa.shopId", "shop id is required"))
	} else if strings.ContainsAny(c.ShopID, ":\r\n") {
		all = append(all, errs.Invalid("yookassa.shopId", "shop id must not contain ':' or line breaks"))
	}
	if c.SecretKey == "" {
		all = append(all, errs.Invalid("yookassa.secretKey", "secret key is required"))
	}
	if c.BaseURL != "" {
		if _, err := parseBaseURL(c.BaseURL); err != nil {
			all = append(all, err)
		}
	}
	if c.Timeout < 0 {
		all = append(all, errs.Invalid("yookassa.timeout", "must not be negative"))
	}
	return errors.Join(all...)
}

func parseBaseURL(s string) (*url.URL, error) {
	bad := func(msg string) error { return errs.Invalid("yookassa.baseUrl", msg) }
	u, err := url.Parse(s)
	if err != nil || u.Host == "" {
		return nil, bad("base URL must be an absolute URL")
	}
	if u.User != nil {
		return nil, bad("base URL must not contain credentials")
	}
	if u.RawQuery != "" || u.Fragment != "" {
		return nil, bad("base URL must not have a query or fragment")
	}
	switch u.Scheme {
	case "https":
	case "http":
		if !isLoopback(u.Hostname()) {
			// Basic auth over plain http would expose the secret key.
			return nil, bad("base URL must use https (http is allowed only for loopback hosts)")
		}
	default:
		return nil, bad("base URL must use https")
	}
	u.Path = strings.TrimRight(u.Path, "/")
	return u, nil
}

func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// Client talks to YooKassa. It is safe for concurrent use.
type Client struct {
	shopID    string
	secretKey string
	base      *url.URL
	http      *http.Client
	timeout   time.Duration
}

var _ payments.Provider = (*Client)(nil)

// New returns a Client for cfg, or cfg.Validate's error (payments.ErrNotConfigured when no
// credentials are set, so callers can fall back to payments.Unconfigured).
func New(cfg Config) (*Client, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	raw := cfg.BaseURL
	if raw == "" {
		raw = DefaultBaseURL
	}
	base, err := parseBaseURL(raw)
	if err != nil {
		return nil, err
	}
	hc := cfg.HTTPClient
	if hc == nil {
		hc = &http.Client{}
	}
	timeout := cfg.Timeout
	if timeout == 0 {
		timeout = DefaultTimeout
	}
	return &Client{shopID: cfg.ShopID, secretKey: cfg.SecretKey, base: base, http: hc, timeout: timeout}, nil
}

// Name returns "yookassa".
func (c *Client) Name() string { return providerName }

// CreatePayment creates a one-stage payment (capture: true) with a redirect confirmation and
// returns it, normally Pending with a ConfirmationURL. in is checked with CreateInput.Validate and
// YooKassa's limits (idempotency key ≤ 64 characters, description ≤ 128, at most 16 metadata keys
// of ≤ 32 characters with values of ≤ 512); violations are errs BAD_USER_INPUT errors and nothing
// is sent. Retrying with the same IdempotencyKey and input returns the same payment. Failures of
// the call are *payments.ProviderError values.
func (c *Client) CreatePayment(ctx context.Context, in payments.CreateInput) (payments.Payment, error) {
	if err := validateCreate(in); err != nil {
		return payments.Payment{}, err
	}
	cur := money.Currency(in.Currency) // validated above
	req := createRequest{
		Amount:            amountJSON{Value: money.FormatDecimal(in.AmountMinor, cur), Currency: in.Currency},
		Capture:           true,
		Description:       in.Description,
		Metadata:          in.Metadata,
		SavePaymentMethod: in.SavePaymentMethod,
		PaymentMethodID:   in.PaymentMethodID,
		Receipt:           encodeReceipt(in.Receipt),
	}
	if in.PaymentMethodID == "" {
		// A charge of a saved method needs no payer, so no confirmation.
		req.Confirmation = &confirmationJSON{Type: "redirect", ReturnURL: in.ReturnURL}
	}
	body, err := json.Marshal(req)
	if err != nil {
		return payments.Payment{}, fmt.Errorf("yookassa: encode payment: %w", err)
	}
	ctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	const op = "POST /payments"
	resp, err := c.do(ctx, op, http.MethodPost, "/payments", in.IdempotencyKey, body)
	if err != nil {
		return payments.Payment{}, err
	}
	return decodePayment(op, resp)
}

// GetPayment reads the payment with the given id. An unknown id yields an errs NOT_FOUND error
// wrapping the *payments.ProviderError; other failures are *payments.ProviderError values.
func (c *Client) GetPayment(ctx context.Context, id string) (payments.Payment, error) {
	if id == "" || len(id) > 64 {
		return payments.Payment{}, errs.Invalid("paymentId", "payment id must be 1 to 64 characters")
	}
	ctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	const op = "GET /payments/{id}"
	resp, err := c.do(ctx, op, http.MethodGet, "/payments/"+url.PathEscape(id), "", nil)
	if err != nil {
		var pe *payments.ProviderError
		if errors.As(err, &pe) && pe.StatusCode == http.StatusNotFound {
			return payments.Payment{}, errs.NotFound("payment").Wrap(err)
		}
		return payments.Payment{}, err
	}
	return decodePayment(op, resp)
}

// CreateRefund refunds part or all of a succeeded payment (POST /refunds). Retrying with the same
// IdempotencyKey returns the same refund.
func (c *Client) CreateRefund(ctx context.Context, in payments.RefundInput) (payments.Refund, error) {
	cur, err := money.ParseCurrency(in.Currency)
	if err != nil || in.AmountMinor <= 0 || in.PaymentID == "" || in.IdempotencyKey == "" || len(in.IdempotencyKey) > maxIdempotenceKey {
		return payments.Refund{}, errs.Invalid("amount", "a refund needs a payment, a positive amount in a known currency and an idempotency key")
	}
	if in.Receipt != nil {
		if err := in.Receipt.Validate(); err != nil {
			return payments.Refund{}, err
		}
	}
	body, err := json.Marshal(refundRequest{PaymentID: in.PaymentID,
		Amount: amountJSON{Value: money.FormatDecimal(in.AmountMinor, cur), Currency: in.Currency}, Description: truncate(in.Description, 250),
		Receipt: encodeReceipt(in.Receipt)})
	if err != nil {
		return payments.Refund{}, fmt.Errorf("yookassa: encode refund: %w", err)
	}
	ctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	const op = "POST /refunds"
	resp, err := c.do(ctx, op, http.MethodPost, "/refunds", in.IdempotencyKey, body)
	if err != nil {
		return payments.Refund{}, err
	}
	var r refundJSON
	if err := json.Unmarshal(resp, &r); err != nil {
		return payments.Refund{}, payments.NewProviderError(providerName, op, 0, "", "", false, fmt.Errorf("decoding refund: %w", err))
	}
	minor, err := money.ParseDecimal(r.Amount.Value, cur)
	if err != nil {
		return payments.Refund{}, payments.NewProviderError(providerName, op, 0, "", "", false, fmt.Errorf("refund amount: %w", err))
	}
	return payments.Refund{ID: r.ID, PaymentID: r.PaymentID, Status: payments.Status(r.Status), AmountMinor: minor}, nil
}

func validateCreate(in payments.CreateInput) error {
	all := []error{in.Validate()}
	if len(in.IdempotencyKey) > maxIdempotenceKey {
		all = append(all, errs.Invalid("idempotencyKey", fmt.Sprintf("idempotency key must be at most %d characters", maxIdempotenceKey)))
	}
	if utf8.RuneCountInString(in.Description) > maxDescription {
		all = append(all, errs.Invalid("description", fmt.Sprintf("description must be at most %d characters", maxDescription)))
	}
	if len(in.PaymentMethodID) > 64 {
		all = append(all, errs.Invalid("paymentMethodId", "payment method id must be at most 64 characters"))
	}
	if len(in.Metadata) > maxMetadataKeys {
		all = append(all, errs.Invalid("metadata", fmt.Sprintf("at most %d metadata keys are allowed", maxMetadataKeys)))
	}
	for k, v := range in.Metadata {
		if utf8.RuneCountInString(k) > maxMetadataKey || utf8.RuneCountInString(v) > maxMetadataValue {
			all = append(all, errs.Invalid("metadata", fmt.Sprintf("metadata keys must be at most %d characters and values at most %d", maxMetadataKey, maxMetadataValue)))
			break
		}
	}
	return errors.Join(all...)
}

// do sends one API request and returns the body of a 200 answer. A 202 answer (YooKassa still
// processing) is retried with the same idempotence key after the wait it asks for, a few times
// within ctx. Every failure is a *payments.ProviderError.
func (c *Client) do(ctx context.Context, op, method, path, idempotenceKey string, body []byte) ([]byte, error) {
	target := c.base.String() + path // path is already escaped
	for attempt := 0; ; attempt++ {
		var rd io.Reader
		if body != nil {
			rd = bytes.NewReader(body)
		}
		req, err := http.NewRequestWithContext(ctx, method, target, rd)
		if err != nil {
			return nil, payments.NewProviderError(providerName, op, 0, "", "", false, err)
		}
		req.SetBasicAuth(c.shopID, c.secretKey)
		req.Header.Set("Accept", "application/json")
		if body != nil {
			req.Header.Set("Content-Type", "application/json")
		}
		if idempotenceKey != "" {
			req.Header.Set("Idempotence-Key", idempotenceKey)
		}
		resp, err := c.http.Do(req)
		if err != nil {
			return nil, payments.NewProviderError(providerName, op, 0, "", "", true, c.redactErr(err))
		}
		data, err := io.ReadAll(io.LimitReader(resp.Body, maxResponse))
		resp.Body.Close()
		if err != nil {
			return nil, payments.NewProviderError(providerName, op, resp.StatusCode, "", "reading response failed", true, c.redactErr(err))
		}
		switch {
		case resp.StatusCode == http.StatusOK:
			return data, nil
		case resp.StatusCode == http.StatusAccepted:
			if attempt >= maxProcessingRetries {
				return nil, payments.NewProviderError(providerName, op, resp.StatusCode, "processing", "request is still being processed; retry with the same idempotency key", true, nil)
			}
			if err := sleep(ctx, retryAfter(data)); err != nil {
				return nil, payments.NewProviderError(providerName, op, resp.StatusCode, "processing", "request is still being processed", true, err)
			}
		default:
			return nil, c.apiError(op, resp.StatusCode, data)
		}
	}
}

// apiError turns a non-200 answer into a ProviderError with YooKassa's code and description.
func (c *Client) apiError(op string, status int, data []byte) error {
	var e struct {
		Type        string `json:"type"`
		Code        string `json:"code"`
		Description string `json:"description"`
		Parameter   string `json:"parameter"`
	}
	desc := ""
	if json.Unmarshal(data, &e) == nil && e.Type == "error" {
		desc = e.Description
		if e.Parameter != "" {
			desc += " (parameter: " + e.Parameter + ")"
		}
	} else {
		// Not YooKassa's JSON (a proxy's HTML page, say): say no more than the status.
		e.Code = ""
		desc = http.StatusText(status)
	}
	desc = c.redact(truncate(desc, 500))
	temporary := status >= 500 || status == http.StatusTooManyRequests
	return payments.NewProviderError(providerName, op, status, c.redact(truncate(e.Code, 100)), desc, temporary, nil)
}

// redact removes the secret key from s, in case anything ever echoes it back.
func (c *Client) redact(s string) string {
	return strings.ReplaceAll(s, c.secretKey, "[redacted]")
}

// redactErr keeps err for errors.Is (timeouts, cancellation) unless its text contains the secret.
func (c *Client) redactErr(err error) error {
	if strings.Contains(err.Error(), c.secretKey) {
		return redactedError{msg: c.redact(err.Error()), cause: err}
	}
	return err
}

// redactedError shows a redacted message while errors.Is still sees the original cause.
type redactedError struct {
	msg   string
	cause error
}

func (e redactedError) Error() string { return e.msg }

func (e redactedError) Is(target error) bool { return errors.Is(e.cause, target) }

func retryAfter(data []byte) time.Duration {
	var p struct {
		RetryAfter int64 `json:"retry_after"` // milliseconds
	}
	wait := time.Second
	if json.Unmarshal(data, &p) == nil && p.RetryAfter > 0 {
		wait = time.Duration(p.RetryAfter) * time.Millisecond
	}
	return min(wait, maxRetryWait)
}

func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	s = s[:n]
	for !utf8.ValidString(s) {
		s = s[:len(s)-1]
	}
	return s + "…"
}

package payments

import (
	"errors"
	"fmt"

	"github.com/steward-dev/steward/internal/errs"
)

// ErrNotConfigured reports that this server has no payment provider credentials. It is a CONFLICT
// (a state of the server, not bad input and not a fault): clients see the message and can tell the
// user that online payment is unavailable. Match it with errors.Is or IsNotConfigured.
var ErrNotConfigured = errs.Conflict("payments are not configured on this server")

// IsNotConfigured reports whether err is or wraps ErrNotConfigured.
func IsNotConfigured(err error) bool { return errors.Is(err, ErrNotConfigured) }

// ProviderError reports a call to a payment provider that failed: the provider refused it
// (StatusCode 4xx), failed itself (5xx), answered with something unreadable, or could not be
// reached (StatusCode 0, the network error is the cause). It carries no errs category, so the API
// presents it as INTERNAL_SERVER_ERROR and logs it; its message holds the provider's own
// description for those logs and never any credentials.
type ProviderError struct {
	// Provider is the Provider.Name of the failing provider.
	Provider string
	// Op names the call, for example "POST /payments".
	Op string
	// StatusCode is the HTTP status, or 0 when no response arrived.
	StatusCode int
	// Code and Description are the provider's machine code and text, when it sent them.
	Code        string
	Description string
	// Temporary reports that retrying (with the same idempotency key) may succeed: network errors,
	// timeouts, 5xx and 429.
	Temporary bool
	cause     error
}

// NewProviderError returns a ProviderError that wraps cause (which may be nil).
func NewProviderError(provider, op string, statusCode int, code, description string, temporary bool, cause error) *ProviderError {
	return &ProviderError{
		Provider: provider, Op: op, StatusCode: statusCode, Code: code,
		Description: description, Temporary: temporary, cause: cause,
	}
}

func (e *ProviderError) Error() string {
	msg := fmt.Sprintf("%s: %s", e.Provider, e.Op)
	if e.StatusCode != 0 {
		msg += fmt.Sprintf(": HTTP %d", e.StatusCode)
	}
	if e.Code != "" {
		msg += " " + e.Code
	}
	if e.Description != "" {
		msg += ": " + e.Description
	}
	if e.cause != nil {
		msg += ": " + e.cause.Error()
	}
	return msg
}

// Unwrap returns the underlying cause, such as a network error or context.DeadlineExceeded.
func (e *ProviderError) Unwrap() error { return e.cause }

// IsProviderError reports whether err is or wraps a *ProviderError.
func IsProviderError(err error) bool {
	var pe *ProviderError
	return errors.As(err, &pe)
}

// Package errs defines the few error categories that every domain package wraps its own errors in.
// The GraphQL presenter in internal/server maps each category to one extensions.code, so domain
// packages never know about GraphQL and clients always get a stable code.
package errs

import (
	"errors"
	"fmt"
	"time"
)

// Code is the category of an error, the value clients see as extensions.code.
type Code string

// The categories every error a client sees carries, as extensions.code.
const (
	CodeUnauthenticated Code = "UNAUTHENTICATED"
	CodeForbidden       Code = "FORBIDDEN"
	CodeBadUserInput    Code = "BAD_USER_INPUT"
	CodeNotFound        Code = "NOT_FOUND"
	CodeConflict        Code = "CONFLICT"
	CodeRateLimited     Code = "RATE_LIMITED"
	CodeQuotaExceeded   Code = "QUOTA_EXCEEDED"
	// CodeServiceUnavailable means a dependency (the database) cannot answer now; retry later.
	CodeServiceUnavailable Code = "SERVICE_UNAVAILABLE"
	CodeInternal           Code = "INTERNAL_SERVER_ERROR"
)

// The refusals of a request's bounds (internal/gqllimit), decided before any resolver runs.
const (
	// CodeQueryTooLarge: the body, the query text, its tokens or the answer exceed a size limit.
	CodeQueryTooLarge Code = "QUERY_TOO_LARGE"
	// CodeQueryTooComplex: depth, aliases, fragment spreads, repeated fields or complexity.
	CodeQueryTooComplex Code = "QUERY_TOO_COMPLEX"
	// CodeTimeout: the operation ran past its deadline; nothing it changed was kept.
	CodeTimeout Code = "TIMEOUT"
	// CodePersistedQueryNotFound: a persisted-query hash the server does not know (the name
	// Apollo's automatic persisted queries use, so clients then send the text).
	CodePersistedQueryNotFound Code = "PERSISTED_QUERY_NOT_FOUND"
	// CodePersistedQueryRequired: query text that is not among the allowed operations.
	CodePersistedQueryRequired Code = "PERSISTED_QUERY_REQUIRED"
)

// Error is a categorised error whose Message is safe to show to a client.
type Error struct {
	Code    Code
	Message string
	// Field names the input field at fault, for BAD_USER_INPUT.
	Field string
	// RetryAfter is how long to wait, for RATE_LIMITED.
	RetryAfter time.Duration
	// Extra holds further safe extensions (for example the quota numbers).
	Extra map[string]any
	// cause is kept for logs and errors.Is, never shown to clients.
	cause error
}

func (e *Error) Error() string {
	if e.Field != "" {
		return fmt.Sprintf("%s: %s", e.Field, e.Message)
	}
	return e.Message
}

func (e *Error) Unwrap() error { return e.cause }

// Is makes errors.Is(err, errs.ErrNotFound) and friends match any error of the same code.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && t.Message == "" && t.Code == e.Code
}

// Sentinels for errors.Is checks by category.
var (
	ErrUnauthenticated = &Error{Code: CodeUnauthenticated}
	ErrForbidden       = &Error{Code: CodeForbidden}
	ErrBadUserInput    = &Error{Code: CodeBadUserInput}
	ErrNotFound        = &Error{Code: CodeNotFound}
	ErrConflict        = &Error{Code: CodeConflict}
	ErrRateLimited     = &Error{Code: CodeRateLimited}
	ErrQuotaExceeded   = &Error{Code: CodeQuotaExceeded}
	// ErrServiceUnavailable matches any SERVICE_UNAVAILABLE error.
	ErrServiceUnavailable = &Error{Code: CodeServiceUnavailable}
)

// Unauthenticated reports missing or bad credentials.
func Unauthenticated(msg string) *Error { return &Error{Code: CodeUnauthenticated, Message: msg} }

// Forbidden reports a known caller who may not do this.
func Forbidden(msg string) *Error { return &Error{Code: CodeForbidden, Message: msg} }

// Invalid reports bad input in one field (field may be empty when no single field is at fault).
// Clients show the message under the field (and Error() puts the field in front of it), so the
// message does not name the field again: "must be positive", not "amount must be positive"
// (TestInvalidMessagesDoNotRepeatTheField holds every call to that).
func Invalid(field, msg string) *Error {
	return &Error{Code: CodeBadUserInput, Field: field, Message: msg}
}

// NotFound reports a missing entity; what names it, e.g. "user".
func NotFound(what string) *Error { return &Error{Code: CodeNotFound, Message: what + " not found"} }

// Conflict reports a uniqueness or state rule.
func Conflict(msg string) *Error { return &Error{Code: CodeConflict, Message: msg} }

// RateLimited reports a refused call and when to retry.
func RateLimited(msg string, retryAfter time.Duration) *Error {
	return &Error{Code: CodeRateLimited, Message: msg, RetryAfter: retryAfter}
}

// QuotaExceeded reports a usage that would go beyond the quota.
func QuotaExceeded(msg string, extra map[string]any) *Error {
	return &Error{Code: CodeQuotaExceeded, Message: msg, Extra: extra}
}

// Unavailable reports that a dependency (the database, Redis) cannot answer now; the client may
// retry after retryAfter. cause is kept for logs.
func Unavailable(msg string, retryAfter time.Duration, cause error) *Error {
	return &Error{Code: CodeServiceUnavailable, Message: msg, RetryAfter: retryAfter, cause: cause}
}

// Wrap keeps cause for logs while the client sees only e.
func (e *Error) Wrap(cause error) *Error {
	c := *e
	c.cause = cause
	return &c
}

// CodeOf returns the category of err, or CodeInternal when err is not categorised.
func CodeOf(err error) Code {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return CodeInternal
}

// As returns the categorised error inside err, if any.
func As(err error) (*Error, bool) {
	var e *Error
	ok := errors.As(err, &e)
	return e, ok
}

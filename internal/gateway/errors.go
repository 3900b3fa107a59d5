package gateway

import (
	"encoding/json"
	"net/http"
	"strconv"
	"time"

	"github.com/steward-dev/steward/internal/errs"
)

// apiError is an error in OpenAI's shape, {"error": {message, type, param, code}}, with the status
// OpenAI's API uses for it, so that every OpenAI client library raises its usual exception.
type apiError struct {
	Status     int     `json:"-"`
	Message    string  `json:"message"`
	Type       string  `json:"type"`
	Param      *string `json:"param"`
	Code       *string `json:"code"`
	retryAfter time.Duration
}

func (e *apiError) Error() string { return e.Message }

func strp(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func invalidRequest(param, msg string) *apiError {
	return &apiError{Status: http.StatusBadRequest, Message: msg, Type: "invalid_request_error", Param: strp(param)}
}

func invalidAPIKey(msg string) *apiError {
	return &apiError{Status: http.StatusUnauthorized, Message: msg, Type: "invalid_request_error", Code: strp("invalid_api_key")}
}

func permissionDenied(msg string) *apiError {
	return &apiError{Status: http.StatusForbidden, Message: msg, Type: "invalid_request_error", Code: strp("permission_denied")}
}

// modelNotFound is OpenAI's answer for a model that does not exist or that the caller may not use:
// the two are indistinguishable on purpose, so that model names are not disclosed.
func modelNotFound(model string) *apiError {
	return &apiError{Status: http.StatusNotFound, Type: "invalid_request_error", Param: strp("model"), Code: strp("model_not_found"),
		Message: "The model `" + model + "` does not exist or you do not have access to it."}
}

func quotaExceeded(msg string, retryAfter time.Duration) *apiError {
	return &apiError{Status: http.StatusTooManyRequests, Message: msg, Type: "insufficient_quota", Code: strp("insufficient_quota"), retryAfter: retryAfter}
}

func upstreamFailed(msg string) *apiError {
	return &apiError{Status: http.StatusBadGateway, Message: msg, Type: "api_error", Code: strp("upstream_error")}
}

func unavailable(msg string, retryAfter time.Duration) *apiError {
	return &apiError{Status: http.StatusServiceUnavailable, Message: msg, Type: "api_error", Code: strp("service_unavailable"), retryAfter: retryAfter}
}

func internalError(requestID string) *apiError {
	msg := "The server had an error while processing your request."
	if requestID != "" {
		msg += " Request id: " + requestID + "."
	}
	return &apiError{Status: http.StatusInternalServerError, Message: msg, Type: "api_error", Code: strp("internal_error")}
}

// fromDomain maps a steward domain error to OpenAI's shape; ok is false for an error no client
// may see (the caller logs it and answers internalError).
func fromDomain(err error, now time.Time) (*apiError, bool) {
	e, ok := errs.As(err)
	if !ok {
		return nil, false
	}
	switch e.Code {
	case errs.CodeUnauthenticated:
		return invalidAPIKey(e.Message), true
	case errs.CodeForbidden:
		return permissionDenied(e.Message), true
	case errs.CodeBadUserInput:
		return invalidRequest(e.Field, e.Message), true
	case errs.CodeQuotaExceeded:
		return quotaExceeded("You exceeded your current quota: "+e.Message, untilReset(e.Extra, now)), true
	case errs.CodeConflict:
		// A full usage counter (10^15) refuses further usage.
		return quotaExceeded(e.Message, time.Hour), true
	case errs.CodeRateLimited:
		return &apiError{Status: http.StatusTooManyRequests, Message: e.Message, Type: "requests", Code: strp("rate_limit_exceeded"), retryAfter: e.RetryAfter}, true
	case errs.CodeServiceUnavailable:
		return unavailable(e.Message, e.RetryAfter), true
	}
	return nil, false
}

// untilReset is the time until the refused quota's period ends, at least a second; an hour when
// the error does not say (a period never shorter than a day exists, so an hour is conservative).
func untilReset(extra map[string]any, now time.Time) time.Duration {
	s, _ := extra["resetsAt"].(string)
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return time.Hour
	}
	if d := t.Sub(now); d > time.Second {
		return d
	}
	return time.Second
}

// write sends e as the response.
func (e *apiError) write(w http.ResponseWriter) {
	h := w.Header()
	h.Set("Content-Type", "application/json")
	if e.retryAfter > 0 {
		h.Set("Retry-After", strconv.FormatInt(int64((e.retryAfter+time.Second-1)/time.Second), 10))
	}
	w.WriteHeader(e.Status)
	_ = json.NewEncoder(w).Encode(map[string]any{"error": e})
}

package payments

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/steward-dev/steward/internal/errs"
)

func validInput() CreateInput {
	return CreateInput{
		IdempotencyKey: "key-1",
		AmountMinor:    19900,
		Currency:       "RUB",
		Description:    "Pro plan",
		ReturnURL:      "https://example.com/billing/return",
		Metadata:       map[string]string{"subscription_id": "s1"},
	}
}

func TestCreateInputValidate(t *testing.T) {
	tests := []struct {
		name       string
		mutate     func(*CreateInput)
		wantFields []string
	}{
		{name: "valid", mutate: func(*CreateInput) {}},
		{name: "http return url", mutate: func(in *CreateInput) { in.ReturnURL = "http://localhost:3000/x" }},
		{name: "no metadata", mutate: func(in *CreateInput) { in.Metadata = nil }},
		{name: "missing key", mutate: func(in *CreateInput) { in.IdempotencyKey = "" }, wantFields: []string{"idempotencyKey"}},
		{name: "zero amount", mutate: func(in *CreateInput) { in.AmountMinor = 0 }, wantFields: []string{"amount"}},
		{name: "negative amount", mutate: func(in *CreateInput) { in.AmountMinor = -1 }, wantFields: []string{"amount"}},
		{name: "bad currency", mutate: func(in *CreateInput) { in.Currency = "rub" }, wantFields: []string{"currency"}},
		{name: "relative return url", mutate: func(in *CreateInput) { in.ReturnURL = "/billing" }, wantFields: []string{"returnUrl"}},
		{name: "javascript return url", mutate: func(in *CreateInput) { in.ReturnURL = "javascript:alert(1)" }, wantFields: []string{"returnUrl"}},
		{name: "empty metadata key", mutate: func(in *CreateInput) { in.Metadata = map[string]string{"": "x"} }, wantFields: []string{"metadata"}},
		{name: "everything wrong", mutate: func(in *CreateInput) { *in = CreateInput{} },
			wantFields: []string{"idempotencyKey", "amount", "currency", "returnUrl"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := validInput()
			tt.mutate(&in)
			err := in.Validate()
			got := fieldsOf(err)
			if strings.Join(got, ",") != strings.Join(tt.wantFields, ",") {
				t.Errorf("Validate() fields = %v, want %v (err = %v)", got, tt.wantFields, err)
			}
			if err != nil && errs.CodeOf(err) != errs.CodeBadUserInput {
				t.Errorf("CodeOf(Validate()) = %s, want %s", errs.CodeOf(err), errs.CodeBadUserInput)
			}
		})
	}
}

// fieldsOf lists the errs fields inside a joined error, in order.
func fieldsOf(err error) []string {
	if err == nil {
		return nil
	}
	var list []error
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		list = j.Unwrap()
	} else {
		list = []error{err}
	}
	var fields []string
	for _, e := range list {
		if ee, ok := errs.As(e); ok {
			fields = append(fields, ee.Field)
		}
	}
	return fields
}

func TestStatus(t *testing.T) {
	tests := []struct {
		s         Status
		wantValid bool
		wantFinal bool
	}{
		{s: Pending, wantValid: true},
		{s: WaitingForCapture, wantValid: true},
		{s: Succeeded, wantValid: true, wantFinal: true},
		{s: Canceled, wantValid: true, wantFinal: true},
		{s: "cancelled"},
		{s: ""},
	}
	for _, tt := range tests {
		if got := tt.s.Valid(); got != tt.wantValid {
			t.Errorf("Status(%q).Valid() = %v, want %v", tt.s, got, tt.wantValid)
		}
		if got := tt.s.Final(); got != tt.wantFinal {
			t.Errorf("Status(%q).Final() = %v, want %v", tt.s, got, tt.wantFinal)
		}
	}
}

func TestUnconfigured(t *testing.T) {
	var p Provider = Unconfigured{}
	if got := p.Name(); got != "none" {
		t.Errorf("Name() = %q, want %q", got, "none")
	}
	_, err := p.CreatePayment(context.Background(), validInput())
	if !IsNotConfigured(err) || errs.CodeOf(err) != errs.CodeConflict {
		t.Errorf("CreatePayment error = %v (code %s), want ErrNotConfigured (CONFLICT)", err, errs.CodeOf(err))
	}
	_, err = p.GetPayment(context.Background(), "x")
	if !errors.Is(fmt.Errorf("wrapped: %w", err), ErrNotConfigured) {
		t.Errorf("GetPayment error = %v, want ErrNotConfigured", err)
	}
}

func TestProviderError(t *testing.T) {
	cause := errors.New("connection refused")
	tests := []struct {
		name string
		err  *ProviderError
		want string
	}{
		{name: "api error", err: NewProviderError("yookassa", "POST /payments", 400, "invalid_request", "Invalid amount", false, nil),
			want: "yookassa: POST /payments: HTTP 400 invalid_request: Invalid amount"},
		{name: "network error", err: NewProviderError("yookassa", "GET /payments/{id}", 0, "", "", true, cause),
			want: "yookassa: GET /payments/{id}: connection refused"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.err.Error(); got != tt.want {
				t.Errorf("Error() = %q, want %q", got, tt.want)
			}
			wrapped := fmt.Errorf("subscribe: %w", tt.err)
			if !IsProviderError(wrapped) {
				t.Errorf("IsProviderError(%v) = false, want true", wrapped)
			}
			if errs.CodeOf(wrapped) != errs.CodeInternal {
				t.Errorf("CodeOf = %s, want %s", errs.CodeOf(wrapped), errs.CodeInternal)
			}
		})
	}
	if !errors.Is(tests[1].err, cause) {
		t.Errorf("errors.Is(network error, cause) = false, want true")
	}
}

package yookassa_test

import (
	"context"
	"testing"

	"github.com/steward-dev/steward/internal/errs"
	"github.com/steward-dev/steward/internal/payments"
	"github.com/steward-dev/steward/internal/payments/yookassa"
)

func TestParseNotification(t *testing.T) {
	tests := []struct {
		name      string
		body      string
		wantEvent string
		wantID    string
		wantErr   bool
	}{
		{name: "succeeded", body: `{"type":"notification","event":"payment.succeeded","object":{"id":"22d6d597-000f-5000-9000-145f6df21d6f","status":"succeeded","paid":true}}`,
			wantEvent: "payment.succeeded", wantID: "22d6d597-000f-5000-9000-145f6df21d6f"},
		{name: "canceled", body: `{"type":"notification","event":"payment.canceled","object":{"id":"p2"}}`,
			wantEvent: "payment.canceled", wantID: "p2"},
		{name: "waiting for capture", body: `{"type":"notification","event":"payment.waiting_for_capture","object":{"id":"p3"}}`,
			wantEvent: "payment.waiting_for_capture", wantID: "p3"},
		{name: "refund names its payment", body: `{"type":"notification","event":"refund.succeeded","object":{"id":"r1","payment_id":"p4"}}`,
			wantEvent: "refund.succeeded", wantID: "p4"},
		{name: "payout is ignored", body: `{"type":"notification","event":"payout.succeeded","object":{"id":"po1"}}`,
			wantEvent: "payout.succeeded"},
		{name: "payment method is ignored", body: `{"type":"notification","event":"payment_method.active","object":{"id":"pm1"}}`,
			wantEvent: "payment_method.active"},
		{name: "not json", body: `event=payment.succeeded`, wantErr: true},
		{name: "empty", body: ``, wantErr: true},
		{name: "wrong type", body: `{"type":"error","event":"payment.succeeded","object":{"id":"p"}}`, wantErr: true},
		{name: "no event", body: `{"type":"notification","object":{"id":"p"}}`, wantErr: true},
		{name: "payment without id", body: `{"type":"notification","event":"payment.succeeded","object":{}}`, wantErr: true},
		{name: "refund without payment id", body: `{"type":"notification","event":"refund.succeeded","object":{"id":"r1"}}`, wantErr: true},
		{name: "array", body: `[]`, wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			event, id, err := yookassa.ParseNotification([]byte(tt.body))
			if tt.wantErr {
				e, ok := errs.As(err)
				if !ok || e.Code != errs.CodeBadUserInput || e.Field != "notification" {
					t.Errorf("ParseNotification() error = %v, want BAD_USER_INPUT on notification", err)
				}
				return
			}
			if err != nil || event != tt.wantEvent || id != tt.wantID {
				t.Errorf("ParseNotification() = %q, %q, %v; want %q, %q, nil", event, id, err, tt.wantEvent, tt.wantID)
			}
		})
	}
}

// TestNotificationFlow is the intended webhook use: learn the id, then trust only GetPayment.
func TestNotificationFlow(t *testing.T) {
	fake := newFake(t)
	c := newClient(t, fake.URL())
	ctx := context.Background()
	p, err := c.CreatePayment(ctx, input("webhook"))
	if err != nil {
		t.Fatal(err)
	}
	if err := fake.SetStatus(p.ID, payments.Succeeded); err != nil {
		t.Fatal(err)
	}
	body, err := fake.Notification("payment.succeeded", p.ID)
	if err != nil {
		t.Fatal(err)
	}
	event, id, err := yookassa.ParseNotification(body)
	if err != nil || event != "payment.succeeded" || id != p.ID {
		t.Fatalf("ParseNotification() = %q, %q, %v; want payment.succeeded, %q, nil", event, id, err, p.ID)
	}
	got, err := c.GetPayment(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if got.Status != payments.Succeeded || !got.Paid {
		t.Errorf("GetPayment() = %+v, want succeeded and paid", got)
	}
}

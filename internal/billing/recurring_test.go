package billing

import (
	"testing"
	"time"
)

func TestRecurringConfigValidate(t *testing.T) {
	day := 24 * time.Hour
	tests := []struct {
		name string
		cfg  RecurringConfig
		ok   bool
	}{
		{"defaults", RecurringConfig{Enabled: true, Lead: day, Dunning: DefaultDunning}, true},
		{"no retries", RecurringConfig{Enabled: true, Dunning: []time.Duration{}}, true},
		{"negative lead", RecurringConfig{Lead: -time.Hour}, false},
		{"unsorted", RecurringConfig{Dunning: []time.Duration{3 * day, day}}, false},
		{"zero offset", RecurringConfig{Dunning: []time.Duration{0}}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := tt.cfg.Validate(); (err == nil) != tt.ok {
				t.Errorf("Validate() = %v, want ok %v", err, tt.ok)
			}
		})
	}
}

func TestReceiptConfigValidate(t *testing.T) {
	good := ReceiptConfig{VATCode: 1, PaymentSubject: "service", PaymentMode: "full_payment"}
	tests := []struct {
		name string
		edit func(*ReceiptConfig)
		ok   bool
	}{
		{"good", func(*ReceiptConfig) {}, true},
		{"tax system", func(c *ReceiptConfig) { c.TaxSystemCode = 6 }, true},
		{"VAT 0", func(c *ReceiptConfig) { c.VATCode = 0 }, false},
		{"VAT 7", func(c *ReceiptConfig) { c.VATCode = 7 }, false},
		{"no subject", func(c *ReceiptConfig) { c.PaymentSubject = "" }, false},
		{"no mode", func(c *ReceiptConfig) { c.PaymentMode = "" }, false},
		{"tax system 7", func(c *ReceiptConfig) { c.TaxSystemCode = 7 }, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := good
			tt.edit(&c)
			if err := c.Validate(); (err == nil) != tt.ok {
				t.Errorf("Validate() = %v, want ok %v", err, tt.ok)
			}
		})
	}
}

// TestRenewalKeyFitsTheIdempotenceKey: YooKassa takes Idempotence-Keys of up to 64 characters.
func TestRenewalKeyFitsTheIdempotenceKey(t *testing.T) {
	from := time.Date(2999, 12, 31, 0, 0, 0, 0, time.UTC)
	key := renewalKey("01234567-89ab-cdef-0123-456789abcdef", from, 11)
	if len(key) > 64 {
		t.Errorf("renewal key %q is %d characters, want at most 64", key, len(key))
	}
	if got, want := key[:len(renewalPrefix("01234567-89ab-cdef-0123-456789abcdef", from))], renewalPrefix("01234567-89ab-cdef-0123-456789abcdef", from); got != want {
		t.Errorf("key %q does not start with the period's prefix %q", key, want)
	}
}

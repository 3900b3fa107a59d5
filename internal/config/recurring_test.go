package config

import (
	"reflect"
	"testing"
	"time"
)

func TestParseSchedule(t *testing.T) {
	day := 24 * time.Hour
	tests := []struct {
		name    string
		in      string
		want    []time.Duration
		wantErr bool
	}{
		{"days", "1d,3d,5d", []time.Duration{day, 3 * day, 5 * day}, false},
		{"go durations", "12h, 36h", []time.Duration{12 * time.Hour, 36 * time.Hour}, false},
		{"none", "none", []time.Duration{}, false},
		{"descending", "3d,1d", nil, true},
		{"zero", "0d", nil, true},
		{"garbage", "soon", nil, true},
		{"too many", "1d,2d,3d,4d,5d,6d,7d,8d,9d,10d,11d", nil, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parseSchedule(tt.in)
			if (err != nil) != tt.wantErr || (!tt.wantErr && !reflect.DeepEqual(got, tt.want)) {
				t.Errorf("parseSchedule(%q) = %v, %v; want %v (error %v)", tt.in, got, err, tt.want, tt.wantErr)
			}
		})
	}
}

func TestLoadRecurring(t *testing.T) {
	tests := []struct {
		name      string
		env       map[string]string
		wantErr   bool
		recurring Recurring
		receipts  Receipts
	}{
		{"defaults", nil, false,
			Recurring{Lead: 24 * time.Hour, Dunning: []time.Duration{24 * time.Hour, 72 * time.Hour, 120 * time.Hour}},
			Receipts{VATCode: 1, PaymentSubject: "service", PaymentMode: "full_payment"}},
		{"set", map[string]string{"STEWARD_RECURRING": "true", "STEWARD_RENEWAL_LEAD": "6h", "STEWARD_DUNNING_SCHEDULE": "2d",
			"STEWARD_RECEIPTS": "true", "STEWARD_RECEIPT_VAT_CODE": "4", "STEWARD_RECEIPT_TAX_SYSTEM_CODE": "2",
			"STEWARD_RECEIPT_PAYMENT_MODE": "full_prepayment"}, false,
			Recurring{Enabled: true, Lead: 6 * time.Hour, Dunning: []time.Duration{48 * time.Hour}},
			Receipts{Enabled: true, VATCode: 4, TaxSystemCode: 2, PaymentSubject: "service", PaymentMode: "full_prepayment"}},
		{"bad VAT code", map[string]string{"STEWARD_RECEIPT_VAT_CODE": "7"}, true, Recurring{}, Receipts{}},
		{"bad lead", map[string]string{"STEWARD_RENEWAL_LEAD": "soon"}, true, Recurring{}, Receipts{}},
		{"bad schedule", map[string]string{"STEWARD_DUNNING_SCHEDULE": "5d,1d"}, true, Recurring{}, Receipts{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg, err := Load(nil, func(k string) string { return tt.env[k] })
			if (err != nil) != tt.wantErr {
				t.Fatalf("Load error = %v, want error %v", err, tt.wantErr)
			}
			if tt.wantErr {
				return
			}
			if !reflect.DeepEqual(cfg.Recurring, tt.recurring) || cfg.Receipts != tt.receipts {
				t.Errorf("got %+v %+v, want %+v %+v", cfg.Recurring, cfg.Receipts, tt.recurring, tt.receipts)
			}
		})
	}
}

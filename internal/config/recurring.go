package config

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Recurring configures recurring payments and fiscal receipts (README "Recurring payments and
// receipts").
type Recurring struct {
	// Enabled saves the payer's method on each payment and charges it for renewals
	// (STEWARD_RECURRING, default false: YooKassa must have enabled saving methods for the shop).
	Enabled bool
	// Lead is how long before the paid period ends the renewal is charged (STEWARD_RENEWAL_LEAD,
	// default 1d).
	Lead time.Duration
	// Dunning is when a declined renewal is tried again, from the end of the paid period
	// (STEWARD_DUNNING_SCHEDULE, default 1d,3d,5d; "none" for no retry).
	Dunning []time.Duration
}

// Receipts configures fiscal receipts under 54-FZ (STEWARD_RECEIPTS and STEWARD_RECEIPT_*).
type Receipts struct {
	Enabled        bool
	VATCode        int
	PaymentSubject string
	PaymentMode    string
	// TaxSystemCode is 0 when not set.
	TaxSystemCode int
}

// loadRecurring reads the recurring payment and receipt variables.
func loadRecurring(cfg *Config, getenv func(string) string, boolVar func(string, *bool)) []error {
	var problems []error
	env := func(k, def string) string {
		if v := strings.TrimSpace(getenv(k)); v != "" {
			return v
		}
		return def
	}
	boolVar("STEWARD_RECURRING", &cfg.Recurring.Enabled)
	var err error
	if cfg.Recurring.Lead, err = parseDays(env("STEWARD_RENEWAL_LEAD", "1d")); err != nil || cfg.Recurring.Lead < 0 {
		problems = append(problems, fmt.Errorf("STEWARD_RENEWAL_LEAD=%q is not a duration (e.g. 1d or 12h)", getenv("STEWARD_RENEWAL_LEAD")))
	}
	if cfg.Recurring.Dunning, err = parseSchedule(env("STEWARD_DUNNING_SCHEDULE", "1d,3d,5d")); err != nil {
		problems = append(problems, fmt.Errorf("STEWARD_DUNNING_SCHEDULE: %w", err))
	}
	boolVar("STEWARD_RECEIPTS", &cfg.Receipts.Enabled)
	cfg.Receipts.PaymentSubject = env("STEWARD_RECEIPT_PAYMENT_SUBJECT", "service")
	cfg.Receipts.PaymentMode = env("STEWARD_RECEIPT_PAYMENT_MODE", "full_payment")
	code := func(name, def string, dst *int) {
		v := env(name, def)
		if v == "" {
			return
		}
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 6 {
			problems = append(problems, fmt.Errorf("%s=%q is not a code from 1 to 6", name, v))
			return
		}
		*dst = n
	}
	code("STEWARD_RECEIPT_VAT_CODE", "1", &cfg.Receipts.VATCode)
	code("STEWARD_RECEIPT_TAX_SYSTEM_CODE", "", &cfg.Receipts.TaxSystemCode)
	return problems
}

// parseSchedule reads "1d,3d,5d" (days or Go durations), ascending and positive; "none" is empty.
func parseSchedule(s string) ([]time.Duration, error) {
	if s == "none" {
		return []time.Duration{}, nil
	}
	out := []time.Duration{}
	for _, part := range strings.Split(s, ",") {
		d, err := parseDays(strings.TrimSpace(part))
		if err != nil || d <= 0 {
			return nil, fmt.Errorf("%q is not a positive duration (e.g. 1d or 12h)", part)
		}
		out = append(out, d)
	}
	if !slices.IsSorted(out) || len(out) > 10 {
		return nil, fmt.Errorf("%q must list at most 10 durations in ascending order", s)
	}
	return out, nil
}

// parseDays reads "3d" as three days and anything else as a Go duration.
func parseDays(s string) (time.Duration, error) {
	if n, ok := strings.CutSuffix(s, "d"); ok {
		days, err := strconv.Atoi(n)
		if err != nil {
			return 0, err
		}
		return time.Duration(days) * 24 * time.Hour, nil
	}
	return time.ParseDuration(s)
}

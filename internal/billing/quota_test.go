package billing

import (
	"testing"
	"time"

	"github.com/steward-dev/steward/internal/billing/period"
	"github.com/steward-dev/steward/internal/metric"
)

// TestMakeCheck pins the quota arithmetic every answer reports: used and reserved budget both
// count, exactly the limit is allowed, one more is not, and remaining never goes below zero.
func TestMakeCheck(t *testing.T) {
	start := time.Date(2025, 1, 31, 0, 0, 0, 0, time.UTC)
	end := time.Date(2025, 2, 28, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		name                          string
		amount, used, reserved, limit int64
		limited                       bool
		allowed                       bool
		remaining                     int64
		pct                           float64
	}{
		{name: "empty counter", amount: 0, limit: 100, limited: true, allowed: true, remaining: 100, pct: 0},
		{name: "exactly the limit fits", amount: 100, limit: 100, limited: true, allowed: true, remaining: 100},
		{name: "one more than the limit", amount: 101, limit: 100, limited: true, allowed: false, remaining: 100},
		{name: "used and reserved fill it exactly", amount: 0, used: 60, reserved: 40, limit: 100, limited: true, allowed: true, remaining: 0, pct: 100},
		{name: "full: one more is refused", amount: 1, used: 60, reserved: 40, limit: 100, limited: true, allowed: false, remaining: 0, pct: 100},
		{name: "reserved counts like used", amount: 31, used: 0, reserved: 70, limit: 100, limited: true, allowed: false, remaining: 30, pct: 70},
		{name: "the last unit", amount: 1, used: 99, limit: 100, limited: true, allowed: true, remaining: 1, pct: 99},
		{name: "overage (settled above the hold) floors remaining at zero", amount: 0, used: 150, limit: 100, limited: true, allowed: false, remaining: 0, pct: 150},
		{name: "zero quota admits zero", amount: 0, limit: 0, limited: true, allowed: true, remaining: 0, pct: 0},
		{name: "zero quota refuses one", amount: 1, limit: 0, limited: true, allowed: false, remaining: 0, pct: 0},
		{name: "zero quota with usage is 100 percent", amount: 0, used: 3, limit: 0, limited: true, allowed: false, remaining: 0, pct: 100},
		{name: "the largest quota", amount: 1, used: metric.MaxTotal - 1, limit: metric.MaxTotal, limited: true, allowed: true, remaining: 1, pct: 100 * float64(metric.MaxTotal-1) / float64(metric.MaxTotal)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := makeCheck(metric.Requests, tt.amount, tt.used, tt.reserved, tt.limit, tt.limited, start, end)
			if c.Allowed != tt.allowed {
				t.Errorf("Allowed = %v, want %v", c.Allowed, tt.allowed)
			}
			if c.Limit == nil || *c.Limit != tt.limit || c.Remaining == nil || *c.Remaining != tt.remaining {
				t.Errorf("Limit, Remaining = %v, %v; want %d, %d", c.Limit, c.Remaining, tt.limit, tt.remaining)
			}
			if c.Percentage == nil || *c.Percentage != tt.pct {
				t.Errorf("Percentage = %v, want %v", c.Percentage, tt.pct)
			}
			if c.Used != tt.used || c.Reserved != tt.reserved || c.Amount != tt.amount {
				t.Errorf("Used, Reserved, Amount = %d, %d, %d; want %d, %d, %d", c.Used, c.Reserved, c.Amount, tt.used, tt.reserved, tt.amount)
			}
			if !c.PeriodStart.Equal(start) || !c.ResetsAt.Equal(end) {
				t.Errorf("period = [%v, %v), want [%v, %v)", c.PeriodStart, c.ResetsAt, start, end)
			}
		})
	}
}

func TestMakeCheckUnlimited(t *testing.T) {
	start, end := time.Unix(0, 0).UTC(), time.Unix(86400, 0).UTC()
	c := makeCheck(metric.Images, metric.MaxAmount, metric.MaxTotal, 5, 0, false, start, end)
	if !c.Allowed || c.Limit != nil || c.Remaining != nil || c.Percentage != nil {
		t.Errorf("unlimited check = %+v; want allowed with no limit, remaining or percentage", c)
	}
	if c.Used != metric.MaxTotal || c.Reserved != 5 || c.PeriodStart == nil || !c.PeriodStart.Equal(start) {
		t.Errorf("unlimited check lost its usage or period: %+v", c)
	}
}

// A metric counts against a quota only when the plan names it; a plan's quota of 0 is a limit, not
// its absence.
func TestLiveSubLimit(t *testing.T) {
	sub := &liveSub{Quotas: map[string]int64{"REQUESTS": 0, "IMAGES": 5}}
	tests := []struct {
		m       metric.Metric
		limit   int64
		limited bool
	}{
		{metric.Requests, 0, true},
		{metric.Images, 5, true},
		{metric.TokensInput, 0, false},
	}
	for _, tt := range tests {
		if l, ok := sub.limit(tt.m); l != tt.limit || ok != tt.limited {
			t.Errorf("limit(%s) = %d, %v; want %d, %v", tt.m, l, ok, tt.limit, tt.limited)
		}
	}
	var none *liveSub
	if _, ok := none.limit(metric.Requests); ok {
		t.Errorf("no subscription limited REQUESTS")
	}
}

// A subscription canceled at its period end stops counting at that end, even before the renewer
// has processed it; one that renews keeps counting in the next period.
func TestLiveSubPeriod(t *testing.T) {
	anchor := time.Date(2024, 1, 31, 9, 0, 0, 0, time.UTC)
	end := time.Date(2024, 2, 29, 9, 0, 0, 0, time.UTC)
	tests := []struct {
		name        string
		cancelAtEnd bool
		now         time.Time
		ok          bool
		start       time.Time
	}{
		{"inside the period", false, time.Date(2024, 2, 10, 0, 0, 0, 0, time.UTC), true, anchor},
		{"canceled, still inside", true, end.Add(-time.Nanosecond), true, anchor},
		{"canceled, at the end", true, end, false, time.Time{}},
		{"renewing, at the end starts the next period", false, end, true, end},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sub := &liveSub{Anchor: anchor, PeriodEnd: end, CancelAtEnd: tt.cancelAtEnd, Interval: period.Month}
			start, _, ok := sub.period(tt.now)
			if ok != tt.ok || !start.Equal(tt.start) {
				t.Errorf("period(%v) = %v, %v; want %v, %v", tt.now, start, ok, tt.start, tt.ok)
			}
		})
	}
}

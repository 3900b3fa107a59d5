package period

import (
	"testing"
	"time"
	_ "time/tzdata" // the zone database, so the DST cases run the same on every machine
)

// TestMonthEndAnchors: only an anchor beyond a month's last day is clamped; an anchor on a day
// every month has (the 28th) never drifts to month ends, and a clamped month does not move the
// following boundaries.
func TestMonthEndAnchors(t *testing.T) {
	type boundary struct {
		k    int
		want time.Time
	}
	tests := []struct {
		name   string
		anchor time.Time
		iv     Interval
		want   []boundary
	}{
		{"feb 28 in a common year stays on the 28th", date(2025, 2, 28, 0, 0), Month,
			[]boundary{{1, date(2025, 3, 28, 0, 0)}, {2, date(2025, 4, 28, 0, 0)}}},
		{"feb 29 stays on the 29th, clamping in a common february", date(2024, 2, 29, 0, 0), Month,
			[]boundary{{1, date(2024, 3, 29, 0, 0)}, {11, date(2025, 1, 29, 0, 0)}, {12, date(2025, 2, 28, 0, 0)}, {13, date(2025, 3, 29, 0, 0)}}},
		{"jan 29 in a common year", date(2025, 1, 29, 6, 0), Month,
			[]boundary{{1, date(2025, 2, 28, 6, 0)}, {2, date(2025, 3, 29, 6, 0)}}},
		{"jan 30 in a leap year", date(2024, 1, 30, 6, 0), Month,
			[]boundary{{1, date(2024, 2, 29, 6, 0)}, {2, date(2024, 3, 30, 6, 0)}}},
		{"aug 31 through the 30-day months", date(2025, 8, 31, 0, 0), Month,
			[]boundary{{1, date(2025, 9, 30, 0, 0)}, {2, date(2025, 10, 31, 0, 0)}, {3, date(2025, 11, 30, 0, 0)}, {4, date(2025, 12, 31, 0, 0)}}},
		{"a yearly plan from feb 28 of a leap year stays on the 28th", date(2024, 2, 28, 0, 0), Year,
			[]boundary{{1, date(2025, 2, 28, 0, 0)}, {4, date(2028, 2, 28, 0, 0)}}},
		{"the last second of the year", time.Date(2024, 12, 31, 23, 59, 59, 0, time.UTC), Month,
			[]boundary{{1, time.Date(2025, 1, 31, 23, 59, 59, 0, time.UTC)}, {2, time.Date(2025, 2, 28, 23, 59, 59, 0, time.UTC)}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, b := range tt.want {
				if got := Next(tt.anchor, tt.iv, b.k); !got.Equal(b.want) {
					t.Errorf("Next(%v, %s, %d) = %v, want %v", tt.anchor, tt.iv, b.k, got, b.want)
				}
			}
		})
	}
}

// TestCurrentAtLeapBoundaries: the periods around a clamped boundary are contiguous and the
// boundary instant belongs to the period it starts.
func TestCurrentAtLeapBoundaries(t *testing.T) {
	anchor := date(2024, 2, 29, 12, 0)
	tests := []struct {
		name       string
		now        time.Time
		iv         Interval
		start, end time.Time
	}{
		{"a nanosecond before the clamped yearly boundary", date(2025, 2, 28, 12, 0).Add(-time.Nanosecond), Year, anchor, date(2025, 2, 28, 12, 0)},
		{"on the clamped yearly boundary", date(2025, 2, 28, 12, 0), Year, date(2025, 2, 28, 12, 0), date(2026, 2, 28, 12, 0)},
		{"the next leap year returns to the 29th", date(2028, 2, 29, 11, 0), Year, date(2027, 2, 28, 12, 0), date(2028, 2, 29, 12, 0)},
		// Feb 2025 has no 29th: its boundary is the 28th, and the next one is back on the 29th.
		{"monthly, after the clamped february boundary", date(2025, 2, 28, 13, 0), Month, date(2025, 2, 28, 12, 0), date(2025, 3, 29, 12, 0)},
		{"monthly, before the clamped february boundary", date(2025, 2, 28, 11, 0), Month, date(2025, 1, 29, 12, 0), date(2025, 2, 28, 12, 0)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			start, end := Current(anchor, tt.now, tt.iv)
			if !start.Equal(tt.start) || !end.Equal(tt.end) {
				t.Errorf("Current(%v, %v, %s) = [%v, %v), want [%v, %v)", anchor, tt.now, tt.iv, start, end, tt.start, tt.end)
			}
		})
	}
}

// TestTimeZonesAndDST: periods are computed in UTC whatever zone the times arrive in, so a daily
// period is 24 hours across a daylight saving switch, and a month's day is the UTC day.
func TestTimeZonesAndDST(t *testing.T) {
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Fatal(err)
	}
	// 2025-03-09 02:00 local: clocks jump to 03:00 in New York.
	anchor := time.Date(2025, 3, 8, 12, 0, 0, 0, ny) // 17:00 UTC
	for k := 1; k <= 3; k++ {
		if got, want := Next(anchor, Day, k), anchor.UTC().Add(time.Duration(k)*24*time.Hour); !got.Equal(want) || got.Location() != time.UTC {
			t.Errorf("day %d after %v = %v, want %v in UTC", k, anchor, got, want)
		}
	}
	start, end := Current(anchor, time.Date(2025, 3, 9, 12, 30, 0, 0, ny), Day) // 16:30 UTC, before 17:00
	if !start.Equal(anchor) || end.Sub(start) != 24*time.Hour {
		t.Errorf("Current across the DST switch = [%v, %v), want the 24 h period from the anchor", start, end)
	}

	// 00:30 on Feb 1 in Moscow is still Jan 31 in UTC: the anchor is a month end there.
	msk := time.FixedZone("MSK", 3*3600)
	local := time.Date(2025, 2, 1, 0, 30, 0, 0, msk)
	if got, want := Next(local, Month, 1), time.Date(2025, 2, 28, 21, 30, 0, 0, time.UTC); !got.Equal(want) {
		t.Errorf("Next(%v, month, 1) = %v, want %v (the UTC day is the 31st)", local, got, want)
	}
	// The same instant in two zones gives the same periods.
	s1, e1 := Current(local, time.Date(2025, 5, 5, 0, 0, 0, 0, ny), Month)
	s2, e2 := Current(local.UTC(), time.Date(2025, 5, 5, 0, 0, 0, 0, ny).UTC(), Month)
	if !s1.Equal(s2) || !e1.Equal(e2) || s1.Location() != time.UTC {
		t.Errorf("zones changed the period: [%v, %v) vs [%v, %v)", s1, e1, s2, e2)
	}
}

package period

import (
	"errors"
	"testing"
	"time"

	"github.com/steward-dev/steward/internal/errs"
)

func date(y int, m time.Month, d, h, mi int) time.Time {
	return time.Date(y, m, d, h, mi, 0, 0, time.UTC)
}

func TestParseInterval(t *testing.T) {
	tests := []struct {
		in      string
		want    Interval
		wantErr bool
	}{
		{in: "day", want: Day},
		{in: "week", want: Week},
		{in: "month", want: Month},
		{in: "year", want: Year},
		{in: "Month", wantErr: true},
		{in: "quarter", wantErr: true},
		{in: "", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseInterval(tt.in)
			if tt.wantErr {
				if !errors.Is(err, errs.ErrBadUserInput) {
					t.Fatalf("ParseInterval(%q) error = %v, want BAD_USER_INPUT", tt.in, err)
				}
				if e, _ := errs.As(err); e.Field != "interval" {
					t.Errorf("error field = %q, want %q", e.Field, "interval")
				}
				return
			}
			if err != nil || got != tt.want {
				t.Errorf("ParseInterval(%q) = %q, %v; want %q, nil", tt.in, got, err, tt.want)
			}
		})
	}
}

func TestAdd(t *testing.T) {
	tests := []struct {
		name string
		t    time.Time
		iv   Interval
		n    int
		want time.Time
	}{
		{name: "jan 31 + 1 month in common year", t: date(2025, 1, 31, 10, 30), iv: Month, n: 1, want: date(2025, 2, 28, 10, 30)},
		{name: "jan 31 + 1 month in leap year", t: date(2024, 1, 31, 10, 30), iv: Month, n: 1, want: date(2024, 2, 29, 10, 30)},
		{name: "mar 31 + 1 month", t: date(2025, 3, 31, 0, 0), iv: Month, n: 1, want: date(2025, 4, 30, 0, 0)},
		{name: "jan 30 + 1 month", t: date(2025, 1, 30, 0, 0), iv: Month, n: 1, want: date(2025, 2, 28, 0, 0)},
		{name: "jan 15 + 1 month", t: date(2025, 1, 15, 0, 0), iv: Month, n: 1, want: date(2025, 2, 15, 0, 0)},
		{name: "dec 31 + 1 month crosses year", t: date(2025, 12, 31, 0, 0), iv: Month, n: 1, want: date(2026, 1, 31, 0, 0)},
		{name: "nov 30 + 3 months", t: date(2025, 11, 30, 0, 0), iv: Month, n: 3, want: date(2026, 2, 28, 0, 0)},
		{name: "jan 31 + 13 months", t: date(2023, 1, 31, 0, 0), iv: Month, n: 13, want: date(2024, 2, 29, 0, 0)},
		{name: "mar 31 - 1 month", t: date(2024, 3, 31, 0, 0), iv: Month, n: -1, want: date(2024, 2, 29, 0, 0)},
		{name: "jan 31 - 2 months crosses year", t: date(2025, 1, 31, 0, 0), iv: Month, n: -2, want: date(2024, 11, 30, 0, 0)},
		{name: "zero months", t: date(2025, 1, 31, 0, 0), iv: Month, n: 0, want: date(2025, 1, 31, 0, 0)},
		{name: "feb 29 + 1 year", t: date(2024, 2, 29, 12, 0), iv: Year, n: 1, want: date(2025, 2, 28, 12, 0)},
		{name: "feb 29 + 4 years", t: date(2024, 2, 29, 12, 0), iv: Year, n: 4, want: date(2028, 2, 29, 12, 0)},
		{name: "feb 29 + 100 years is not leap", t: date(2000, 2, 29, 0, 0), iv: Year, n: 100, want: date(2100, 2, 28, 0, 0)},
		{name: "feb 29 + 400 years is leap", t: date(2000, 2, 29, 0, 0), iv: Year, n: 400, want: date(2400, 2, 29, 0, 0)},
		{name: "plain year", t: date(2025, 6, 15, 8, 0), iv: Year, n: 1, want: date(2026, 6, 15, 8, 0)},
		{name: "day across month end", t: date(2025, 1, 31, 23, 59), iv: Day, n: 1, want: date(2025, 2, 1, 23, 59)},
		{name: "day across leap day", t: date(2024, 2, 28, 0, 0), iv: Day, n: 1, want: date(2024, 2, 29, 0, 0)},
		{name: "day backwards", t: date(2024, 3, 1, 0, 0), iv: Day, n: -1, want: date(2024, 2, 29, 0, 0)},
		{name: "week across year", t: date(2025, 12, 29, 6, 0), iv: Week, n: 1, want: date(2026, 1, 5, 6, 0)},
		{name: "52 weeks", t: date(2025, 1, 1, 0, 0), iv: Week, n: 52, want: date(2025, 12, 31, 0, 0)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Add(tt.t, tt.iv, tt.n); !got.Equal(tt.want) || got.Location() != time.UTC {
				t.Errorf("Add(%v, %s, %d) = %v, want %v", tt.t, tt.iv, tt.n, got, tt.want)
			}
		})
	}
}

func TestAddKeepsTimeOfDayAndConvertsToUTC(t *testing.T) {
	moscow := time.FixedZone("MSK", 3*60*60)
	in := time.Date(2025, 1, 31, 2, 15, 30, 123456789, moscow) // Jan 30 23:15:30.123456789 UTC
	got := Add(in, Month, 1)
	want := time.Date(2025, 2, 28, 23, 15, 30, 123456789, time.UTC)
	if !got.Equal(want) || got.Location() != time.UTC {
		t.Errorf("Add(%v, month, 1) = %v, want %v", in, got, want)
	}
}

func TestAddPanicsOnInvalidInterval(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Errorf("Add with invalid interval did not panic")
		}
	}()
	Add(date(2025, 1, 1, 0, 0), "fortnight", 1)
}

func TestNextFromJan31(t *testing.T) {
	anchor := date(2024, 1, 31, 9, 0)
	want := []time.Time{
		date(2024, 1, 31, 9, 0),
		date(2024, 2, 29, 9, 0),
		date(2024, 3, 31, 9, 0),
		date(2024, 4, 30, 9, 0),
		date(2024, 5, 31, 9, 0),
		date(2024, 6, 30, 9, 0),
		date(2024, 7, 31, 9, 0),
		date(2024, 8, 31, 9, 0),
		date(2024, 9, 30, 9, 0),
		date(2024, 10, 31, 9, 0),
		date(2024, 11, 30, 9, 0),
		date(2024, 12, 31, 9, 0),
		date(2025, 1, 31, 9, 0),
		date(2025, 2, 28, 9, 0),
		date(2025, 3, 31, 9, 0),
	}
	for k, w := range want {
		if got := Next(anchor, Month, k); !got.Equal(w) {
			t.Errorf("Next(%v, month, %d) = %v, want %v", anchor, k, got, w)
		}
	}
	// Chaining loses the 31st for good after February; Next must not.
	chained := Add(Add(anchor, Month, 1), Month, 1)
	if got, want := chained, date(2024, 3, 29, 9, 0); !got.Equal(want) {
		t.Errorf("chained Add = %v, want %v (sanity check of the pitfall)", got, want)
	}
}

func TestNextYearsFromLeapDay(t *testing.T) {
	anchor := date(2024, 2, 29, 0, 0)
	want := []time.Time{
		date(2024, 2, 29, 0, 0),
		date(2025, 2, 28, 0, 0),
		date(2026, 2, 28, 0, 0),
		date(2027, 2, 28, 0, 0),
		date(2028, 2, 29, 0, 0),
	}
	for k, w := range want {
		if got := Next(anchor, Year, k); !got.Equal(w) {
			t.Errorf("Next(%v, year, %d) = %v, want %v", anchor, k, got, w)
		}
	}
}

func TestCurrent(t *testing.T) {
	tests := []struct {
		name      string
		anchor    time.Time
		now       time.Time
		iv        Interval
		wantStart time.Time
		wantEnd   time.Time
	}{
		{name: "now equals anchor", anchor: date(2025, 1, 31, 9, 0), now: date(2025, 1, 31, 9, 0), iv: Month,
			wantStart: date(2025, 1, 31, 9, 0), wantEnd: date(2025, 2, 28, 9, 0)},
		{name: "inside first month", anchor: date(2025, 1, 31, 9, 0), now: date(2025, 2, 15, 0, 0), iv: Month,
			wantStart: date(2025, 1, 31, 9, 0), wantEnd: date(2025, 2, 28, 9, 0)},
		{name: "just before boundary", anchor: date(2025, 1, 31, 9, 0), now: date(2025, 2, 28, 8, 59), iv: Month,
			wantStart: date(2025, 1, 31, 9, 0), wantEnd: date(2025, 2, 28, 9, 0)},
		{name: "exactly on boundary starts new period", anchor: date(2025, 1, 31, 9, 0), now: date(2025, 2, 28, 9, 0), iv: Month,
			wantStart: date(2025, 2, 28, 9, 0), wantEnd: date(2025, 3, 31, 9, 0)},
		{name: "same calendar month, after boundary day", anchor: date(2025, 1, 31, 9, 0), now: date(2025, 3, 30, 0, 0), iv: Month,
			wantStart: date(2025, 2, 28, 9, 0), wantEnd: date(2025, 3, 31, 9, 0)},
		{name: "leap february", anchor: date(2024, 1, 31, 0, 0), now: date(2024, 3, 1, 0, 0), iv: Month,
			wantStart: date(2024, 2, 29, 0, 0), wantEnd: date(2024, 3, 31, 0, 0)},
		{name: "many months later", anchor: date(2000, 1, 31, 0, 0), now: date(2025, 4, 30, 12, 0), iv: Month,
			wantStart: date(2025, 4, 30, 0, 0), wantEnd: date(2025, 5, 31, 0, 0)},
		{name: "year from leap day", anchor: date(2024, 2, 29, 0, 0), now: date(2025, 3, 1, 0, 0), iv: Year,
			wantStart: date(2025, 2, 28, 0, 0), wantEnd: date(2026, 2, 28, 0, 0)},
		{name: "year just before anniversary", anchor: date(2020, 6, 15, 12, 0), now: date(2025, 6, 15, 11, 59), iv: Year,
			wantStart: date(2024, 6, 15, 12, 0), wantEnd: date(2025, 6, 15, 12, 0)},
		{name: "year on anniversary", anchor: date(2020, 6, 15, 12, 0), now: date(2025, 6, 15, 12, 0), iv: Year,
			wantStart: date(2025, 6, 15, 12, 0), wantEnd: date(2026, 6, 15, 12, 0)},
		{name: "day", anchor: date(2025, 1, 1, 18, 0), now: date(2025, 3, 1, 17, 59), iv: Day,
			wantStart: date(2025, 2, 28, 18, 0), wantEnd: date(2025, 3, 1, 18, 0)},
		{name: "day on boundary", anchor: date(2025, 1, 1, 18, 0), now: date(2025, 3, 1, 18, 0), iv: Day,
			wantStart: date(2025, 3, 1, 18, 0), wantEnd: date(2025, 3, 2, 18, 0)},
		{name: "week", anchor: date(2025, 1, 6, 0, 0), now: date(2025, 1, 19, 23, 0), iv: Week,
			wantStart: date(2025, 1, 13, 0, 0), wantEnd: date(2025, 1, 20, 0, 0)},
		{name: "week on boundary", anchor: date(2025, 1, 6, 0, 0), now: date(2025, 1, 20, 0, 0), iv: Week,
			wantStart: date(2025, 1, 20, 0, 0), wantEnd: date(2025, 1, 27, 0, 0)},
		{name: "weeks over decades", anchor: date(1990, 1, 1, 0, 0), now: date(2025, 1, 1, 0, 0), iv: Week,
			wantStart: date(2024, 12, 30, 0, 0), wantEnd: date(2025, 1, 6, 0, 0)}, // both Mondays
		{name: "now before anchor gives first period", anchor: date(2025, 5, 1, 0, 0), now: date(2025, 4, 1, 0, 0), iv: Month,
			wantStart: date(2025, 5, 1, 0, 0), wantEnd: date(2025, 6, 1, 0, 0)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			gotStart, gotEnd := Current(tt.anchor, tt.now, tt.iv)
			if !gotStart.Equal(tt.wantStart) || !gotEnd.Equal(tt.wantEnd) {
				t.Errorf("Current(%v, %v, %s) = [%v, %v), want [%v, %v)",
					tt.anchor, tt.now, tt.iv, gotStart, gotEnd, tt.wantStart, tt.wantEnd)
			}
		})
	}
}

func TestCurrentSubSecond(t *testing.T) {
	anchor := time.Date(2025, 1, 1, 0, 0, 0, 500, time.UTC)
	now := time.Date(2025, 1, 2, 0, 0, 0, 499, time.UTC) // one nanosecond before the boundary
	start, end := Current(anchor, now, Day)
	if !start.Equal(anchor) || !end.Equal(anchor.Add(24*time.Hour)) {
		t.Errorf("Current = [%v, %v), want [%v, %v)", start, end, anchor, anchor.Add(24*time.Hour))
	}
}

// TestCurrentMatchesLoop checks Current against the naive walk over every boundary.
func TestCurrentMatchesLoop(t *testing.T) {
	anchors := []time.Time{
		date(2023, 1, 31, 13, 0), date(2024, 2, 29, 0, 0), date(2024, 8, 31, 23, 59), date(2025, 3, 15, 7, 30),
	}
	for _, iv := range []Interval{Day, Week, Month, Year} {
		for _, anchor := range anchors {
			k := 0 // now only grows, so the naive walk resumes where it stopped
			for now := anchor; now.Before(anchor.AddDate(6, 0, 0)); now = now.Add(37*time.Hour + 11*time.Minute) {
				for !Next(anchor, iv, k+1).After(now) {
					k++
				}
				wantStart, wantEnd := Next(anchor, iv, k), Next(anchor, iv, k+1)
				gotStart, gotEnd := Current(anchor, now, iv)
				if !gotStart.Equal(wantStart) || !gotEnd.Equal(wantEnd) {
					t.Fatalf("Current(%v, %v, %s) = [%v, %v), want [%v, %v)",
						anchor, now, iv, gotStart, gotEnd, wantStart, wantEnd)
				}
			}
		}
	}
}

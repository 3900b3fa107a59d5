// Package period does calendar arithmetic for billing periods. All results are in UTC, and every
// boundary is computed from the subscription's anchor rather than from the previous boundary, so a
// subscription started on the 31st renews on the last day of shorter months and returns to the
// 31st afterwards.
package period

import (
	"time"

	"github.com/steward-dev/steward/internal/errs"
)

// Interval is the length of one billing period. The zero value is not valid.
type Interval string

// The supported intervals.
const (
	Day   Interval = "day"
	Week  Interval = "week"
	Month Interval = "month"
	Year  Interval = "year"
)

// ParseInterval returns the Interval whose lower-case name is exactly s. Anything else yields an
// errs BAD_USER_INPUT error on field "interval".
func ParseInterval(s string) (Interval, error) {
	iv := Interval(s)
	if !iv.Valid() {
		return "", errs.Invalid("interval", "must be one of day, week, month, year")
	}
	return iv, nil
}

// Valid reports whether iv is one of Day, Week, Month and Year.
func (iv Interval) Valid() bool {
	switch iv {
	case Day, Week, Month, Year:
		return true
	}
	return false
}

// String returns the interval's name.
func (iv Interval) String() string { return string(iv) }

// Add returns t (converted to UTC) moved by n intervals; n may be negative. The time of day is
// kept. Month and Year keep t's day of month unless the target month is shorter, in which case the
// result is that month's last day: Jan 31 + 1 month is Feb 28 (Feb 29 in leap years), Mar 31 + 1
// month is Apr 30, Feb 29 + 1 year is Feb 28.
//
// Add panics if iv is not Valid: intervals come from ParseInterval or the database enum, so an
// invalid one is a programming error, not bad input.
func Add(t time.Time, iv Interval, n int) time.Time {
	t = t.UTC()
	switch iv {
	case Day:
		return t.AddDate(0, 0, n)
	case Week:
		return t.AddDate(0, 0, 7*n)
	case Month:
		return addMonths(t, n)
	case Year:
		return addMonths(t, 12*n)
	}
	panic("period: invalid interval " + string(iv))
}

// addMonths moves t (in UTC) by n calendar months, clamping the day to the target month's length.
// time.AddDate would instead overflow Jan 31 + 1 month into March.
func addMonths(t time.Time, n int) time.Time {
	y, m, d := t.Date()
	total := y*12 + int(m) - 1 + n
	ty, tm := floorDiv(total, 12), time.Month(floorMod(total, 12)+1)
	if last := daysIn(ty, tm); d > last {
		d = last
	}
	h, mi, s := t.Clock()
	return time.Date(ty, tm, d, h, mi, s, t.Nanosecond(), time.UTC)
}

// Next returns the k-th period boundary after anchor: Next(anchor, iv, 0) is anchor (in UTC) and
// Next(anchor, iv, 1) is the end of the first period. It is Add(anchor, iv, k), always counted from
// the anchor, so a subscription started on Jan 31 renews on Feb 28 (or 29), Mar 31, Apr 30, May 31.
// Chaining Add from the previous boundary instead would lose the 31st after February. Next panics
// if iv is not Valid.
func Next(anchor time.Time, iv Interval, k int) time.Time {
	return Add(anchor, iv, k)
}

// Current returns the period [start, end) that contains now, for a subscription anchored at
// anchor: start is the latest boundary Next(anchor, iv, k) with start ≤ now, and end is
// Next(anchor, iv, k+1). A now exactly on a boundary therefore belongs to the period that starts
// there. If now is before anchor, Current returns the first period, [anchor, Next(anchor, iv, 1)).
// Both results are in UTC. Current panics if iv is not Valid.
//
// The period index is estimated arithmetically and then corrected by a step or two, so the cost
// does not grow with the number of periods elapsed.
func Current(anchor, now time.Time, iv Interval) (start, end time.Time) {
	anchor, now = anchor.UTC(), now.UTC()
	if now.Before(anchor) {
		return anchor, Next(anchor, iv, 1)
	}
	k := estimate(anchor, now, iv)
	// The estimate is off by at most one period; these loops only correct it.
	for k > 0 && Next(anchor, iv, k).After(now) {
		k--
	}
	for !Next(anchor, iv, k+1).After(now) {
		k++
	}
	return Next(anchor, iv, k), Next(anchor, iv, k+1)
}

// estimate guesses how many whole periods lie between anchor and now (anchor ≤ now).
func estimate(anchor, now time.Time, iv Interval) int {
	switch iv {
	case Day, Week:
		// UTC days are always 86400 seconds long in Go's time model (no leap seconds), so whole
		// seconds divide exactly; the nanosecond remainder is left to the correction loops.
		secs := now.Unix() - anchor.Unix()
		per := int64(86400)
		if iv == Week {
			per *= 7
		}
		return int(secs / per)
	case Month, Year:
		ay, am, _ := anchor.Date()
		ny, nm, _ := now.Date()
		months := (ny-ay)*12 + int(nm) - int(am)
		if iv == Year {
			return months / 12
		}
		return months
	}
	panic("period: invalid interval " + string(iv))
}

// daysIn returns the number of days in month m of year y.
func daysIn(y int, m time.Month) int {
	// Day 0 of the next month is the last day of m; time.Date normalises it.
	return time.Date(y, m+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

func floorDiv(a, b int) int {
	q := a / b
	if (a%b != 0) && ((a < 0) != (b < 0)) {
		q--
	}
	return q
}

func floorMod(a, b int) int { return a - floorDiv(a, b)*b }

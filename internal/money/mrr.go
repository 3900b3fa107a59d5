package money

import (
	"math"
	"math/big"

	"github.com/steward-dev/steward/internal/errs"
)

// MonthlyMinor normalises a price of minor units charged once per interval to an exact monthly
// amount, as MRR needs: "day" ×365/12, "week" ×52/12, "month" ×1, "year" ÷12. interval must be one
// of those lower-case values (period.Interval's string form); anything else yields an errs
// BAD_USER_INPUT error on field "interval". The result is exact; round it once, at the end of a
// sum, with RoundMinor.
func MonthlyMinor(minor int64, interval string) (*big.Rat, error) {
	var num, den int64
	switch interval {
	case "day":
		num, den = 365, 12
	case "week":
		num, den = 52, 12
	case "month":
		num, den = 1, 1
	case "year":
		num, den = 1, 12
	default:
		return nil, errs.Invalid("interval", "must be one of day, week, month, year")
	}
	r := new(big.Rat).SetInt64(minor)
	return r.Mul(r, big.NewRat(num, den)), nil
}

// RoundMinor rounds r to the nearest integer, halves away from zero (2.5 → 3, -2.5 → -3). Results
// beyond the int64 range saturate at math.MaxInt64 or math.MinInt64; a nil r rounds to 0.
func RoundMinor(r *big.Rat) int64 {
	if r == nil {
		return 0
	}
	num := new(big.Int).Abs(r.Num())
	den := r.Denom()
	q, rem := new(big.Int).QuoRem(num, den, new(big.Int))
	if rem.Lsh(rem, 1).Cmp(den) >= 0 {
		q.Add(q, big.NewInt(1))
	}
	if r.Sign() < 0 {
		q.Neg(q)
	}
	if !q.IsInt64() {
		if q.Sign() < 0 {
			return math.MinInt64
		}
		return math.MaxInt64
	}
	return q.Int64()
}

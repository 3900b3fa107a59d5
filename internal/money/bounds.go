package money

import (
	"strconv"
	"strings"

	"github.com/steward-dev/steward/internal/errs"
)

// MaxPriceMajor is the largest price a plan may have, in major units of its currency: 10^9 (a
// billion dollars, roubles or yen per interval). In minor units that is at most 10^11, so a
// monthly normalisation (×365/12 for daily plans) stays below 4·10^12 per subscription and the
// MRR of millions of subscriptions at the largest price still fits int64 minor units.
const MaxPriceMajor int64 = 1_000_000_000

// maxDecimalLen bounds the text of a Decimal: the digits of MaxPriceMajor, a point, a few
// fraction digits and room for leading zeros.
const maxDecimalLen = 40

// CheckPrice refuses a price of minor units of c above MaxPriceMajor major units, with an errs
// BAD_USER_INPUT error on field "price".
func CheckPrice(minor int64, c Currency) error {
	if minor > MaxPriceMajor*pow10[c.Exponent()] {
		return errs.Invalid("price", "must be at most "+strconv.FormatInt(MaxPriceMajor, 10))
	}
	return nil
}

// CheckDecimal refuses Decimal text whose whole part exceeds MaxPriceMajor, or that is too long
// to be a price, before any currency is known (the door checks of every Decimal input). Text that
// is not a plain decimal is left for ParseDecimal to refuse with its precise message.
func CheckDecimal(s string) error {
	if len(s) > maxDecimalLen {
		return errs.Invalid("price", "must be at most "+strconv.Itoa(maxDecimalLen)+" characters")
	}
	whole, frac, _ := strings.Cut(s, ".")
	whole = strings.TrimLeft(whole, "0")
	n, err := strconv.ParseInt(whole, 10, 64)
	if whole == "" || err != nil && !isDigits(whole) {
		return nil
	}
	if err != nil || n > MaxPriceMajor || n == MaxPriceMajor && strings.Trim(frac, "0") != "" {
		return errs.Invalid("price", "must be at most "+strconv.FormatInt(MaxPriceMajor, 10))
	}
	return nil
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

package money

import (
	"math"
	"strconv"

	"github.com/steward-dev/steward/internal/errs"
)

// pow10 holds 10^e for the exponents in use.
var pow10 = [...]int64{1, 10, 100, 1000}

// ParseDecimal converts a non-negative decimal string such as "199", "199.9", "199.90" or "0.01"
// to integer minor units of c ("199.9" RUB is 19990).
//
// Accepted: ASCII digits, optionally followed by '.' and between one and c.Exponent() digits
// (none at all for JPY). Leading zeros are allowed. Rejected with an errs BAD_USER_INPUT error on
// field "price": the empty string, signs ('+' or '-'), spaces, exponents ("1e3"), a decimal comma,
// a bare or trailing point (".5", "5."), more fraction digits than c allows (even zeros, so
// "1.001" and "1.000" USD both fail), and values beyond math.MaxInt64 minor units. An unsupported
// currency yields the same category on field "currency".
func ParseDecimal(s string, c Currency) (int64, error) {
	if !c.Valid() {
		return 0, errs.Invalid("currency", "unsupported currency")
	}
	exp := c.Exponent()
	if s == "" {
		return 0, errs.Invalid("price", "amount is empty")
	}
	if s[0] == '-' {
		return 0, errs.Invalid("price", "amount must not be negative")
	}
	if s[0] == '+' {
		return 0, errs.Invalid("price", "amount must not have a sign")
	}
	intPart, fracPart, hasPoint := s, "", false
	for i := 0; i < len(s); i++ {
		ch := s[i]
		switch {
		case ch >= '0' && ch <= '9':
		case ch == '.' && !hasPoint:
			hasPoint = true
			intPart, fracPart = s[:i], s[i+1:]
		default:
			return 0, errs.Invalid("price", "amount must be a plain decimal number such as 199.90")
		}
	}
	if intPart == "" {
		return 0, errs.Invalid("price", "amount needs digits before the decimal point")
	}
	if hasPoint && fracPart == "" {
		return 0, errs.Invalid("price", "amount needs digits after the decimal point")
	}
	if len(fracPart) > exp {
		if exp == 0 {
			return 0, errs.Invalid("price", string(c)+" amounts have no fractional part")
		}
		return 0, errs.Invalid("price", string(c)+" amounts allow at most "+strconv.Itoa(exp)+" fraction digits")
	}

	scale := pow10[exp]
	var units int64
	for i := 0; i < len(intPart); i++ {
		d := int64(intPart[i] - '0')
		if units > (math.MaxInt64-d)/10 {
			return 0, errs.Invalid("price", "amount is too large")
		}
		units = units*10 + d
	}
	if units > math.MaxInt64/scale {
		return 0, errs.Invalid("price", "amount is too large")
	}
	units *= scale

	var frac int64
	for i := 0; i < len(fracPart); i++ {
		frac = frac*10 + int64(fracPart[i]-'0')
	}
	frac *= pow10[exp-len(fracPart)]
	if units > math.MaxInt64-frac {
		return 0, errs.Invalid("price", "amount is too large")
	}
	return units + frac, nil
}

// FormatDecimal renders minor units of c in canonical form: an optional '-', the integer part
// without leading zeros, and exactly c.Exponent() fraction digits ("199.00", "-1.50", JPY "500").
// It is the inverse of ParseDecimal for non-negative amounts and is defined for every int64,
// math.MinInt64 included.
func FormatDecimal(minor int64, c Currency) string {
	exp := c.Exponent()
	var abs uint64
	neg := minor < 0
	if neg {
		abs = uint64(-(minor + 1)) + 1 // avoids overflow at math.MinInt64
	} else {
		abs = uint64(minor)
	}
	digits := strconv.FormatUint(abs, 10)
	if exp > 0 {
		for len(digits) <= exp {
			digits = "0" + digits
		}
		digits = digits[:len(digits)-exp] + "." + digits[len(digits)-exp:]
	}
	if neg {
		return "-" + digits
	}
	return digits
}
